#include "runner.hpp"

#include <cstdio>
#include <thread>

namespace bench {

namespace {

constexpr size_t index(Phase p) { return static_cast<size_t>(p); }

// One full open → load → attach → destroy link → close cycle on instance 0,
// each phase timed on its own.
std::array<Sample, kPhaseCount> cycle(Side& side) {
  std::array<Sample, kPhaseCount> out;
  side.reserve(1);
  Stopwatch sw;
  side.open(0);
  out[index(Phase::Open)] = sw.elapsed();
  sw.restart();
  side.load(0);
  out[index(Phase::Load)] = sw.elapsed();
  sw.restart();
  side.attach(0);
  out[index(Phase::Attach)] = sw.elapsed();
  // Detaching waits for RCU grace periods inside the kernel's close() (~30 ms
  // here, more when the last link unregisters the tracepoint): mostly sleep.
  sw.restart();
  side.destroy_links(0);
  out[index(Phase::CloseLink)] = sw.elapsed();
  sw.restart();
  side.close(0);
  out[index(Phase::CloseObject)] = sw.elapsed();
  return out;
}

// A round of one batch: chunks of `chunk` operations timed back to back, with
// untimed preparation and cleanup around each chunk (so memory and fds stay
// bounded however many operations a round needs), until the timed spans
// hold `target_cpu_us` of CPU. A user-time estimate is as good as the number
// of samples (or scheduler ticks) that land in timed spans, which grows with
// the CPU time they cover: the target is CPU time, not an operation count.
template <typename Prepare, typename Op, typename Cleanup>
Sample timed_round(UserSampler* sampler, size_t chunk, double target_cpu_us, uint64_t& ops, Prepare prepare, Op op,
                   Cleanup cleanup) {
  Sample total;
  Stopwatch round_clock;
  while (total.cpu_us < target_cpu_us) {
    prepare(chunk);
    Stopwatch sw(sampler);
    for (size_t j = 0; j < chunk; ++j) op(j);
    total += sw.elapsed();
    ops += chunk;
    cleanup(chunk);
    // A side whose timed operations sleep rather than compute would never
    // reach the CPU target; stop it at a generous wall-clock bound.
    if (round_clock.elapsed().wall_us > 40 * target_cpu_us + 2e6) break;
  }
  return total;
}

// Chunk sizes: enough operations per timed span that the clock reads are
// noise, few enough that the untimed setup stays small. Loads create a 1 MiB
// ring buffer each.
constexpr size_t kOpenChunk = 32;
constexpr size_t kLoadChunk = 4;
// The kernel refuses to attach one program to one tracepoint twice (EEXIST:
// the tracepoint's program array holds each program once), so attach batches
// attach the trace_mmap of this many separately loaded objects. A tracepoint
// takes at most 64 programs (BPF_TRACE_MAX_PROGS), anchor and anyone else's
// included.
constexpr size_t kAttachTargets = 48;

// Every detach sleeps for an RCU grace period in the kernel (~30 ms here,
// ~70 ms for the tracepoint's last link), so a chunk's links are destroyed
// from one thread each: the waits overlap and a chunk costs one wait, not 48.
void destroy_links_in_parallel(Side& s, size_t count) {
  std::vector<std::thread> threads;
  threads.reserve(count);
  for (size_t j = 0; j < count; ++j) threads.emplace_back([&s, j] { s.destroy_links(j); });
  for (std::thread& t : threads) t.join();
}

// A batch measurement of one phase on one side: setup() once, then rounds,
// then teardown(); only the operations themselves are timed.
class Batch {
 public:
  Batch(Side& side, Phase phase) : s_(side), phase_(phase) {}

  void setup() {
    switch (phase_) {
      case Phase::Open: s_.reserve(kOpenChunk); break;
      case Phase::Load: s_.reserve(kLoadChunk); break;
      case Phase::Attach:
        // Targets 0..N-1 plus an anchor, instance N, whose link stays
        // attached throughout: with the tracepoint kept registered, the
        // attaches and detaches between chunks skip registering and
        // unregistering it. Attach's user-space work is the same either
        // way; the per-iteration numbers cover the register/unregister path.
        s_.reserve(kAttachTargets + 1);
        for (size_t i = 0; i <= kAttachTargets; ++i) {
          s_.open(i);
          s_.load(i);
        }
        s_.attach(kAttachTargets);
        break;
      default: throw BenchFailure("no batch for this phase");
    }
  }

  // With a sampler, only the timed spans see it enabled.
  Sample round(UserSampler* sampler, double target_cpu_us, uint64_t& ops) {
    if (sampler != nullptr) sampler->enable();
    Sample total = run_round(sampler, target_cpu_us, ops);
    if (sampler != nullptr) sampler->disable();
    return total;
  }

  void teardown() {
    if (phase_ != Phase::Attach) return;
    s_.destroy_links(kAttachTargets);
    for (size_t i = 0; i <= kAttachTargets; ++i) s_.close(i);
  }

 private:
  Sample run_round(UserSampler* sampler, double target_cpu_us, uint64_t& ops) {
    auto close_all = [&](size_t n) {
      for (size_t j = 0; j < n; ++j) s_.close(j);
    };
    switch (phase_) {
      case Phase::Open:
        return timed_round(
            sampler, kOpenChunk, target_cpu_us, ops, [](size_t) {}, [&](size_t j) { s_.open(j); }, close_all);
      case Phase::Load:
        return timed_round(
            sampler, kLoadChunk, target_cpu_us, ops,
            [&](size_t n) {
              for (size_t j = 0; j < n; ++j) s_.open(j);
            },
            [&](size_t j) { s_.load(j); }, close_all);
      case Phase::Attach:
        return timed_round(
            sampler, kAttachTargets, target_cpu_us, ops, [](size_t) {}, [&](size_t j) { s_.attach(j); },
            [&](size_t n) { destroy_links_in_parallel(s_, n); });
      default: throw BenchFailure("no batch for this phase");
    }
  }

  Side& s_;
  Phase phase_;
};

}  // namespace

std::string_view phase_name(Phase phase) {
  switch (phase) {
    case Phase::Open: return "open";
    case Phase::Load: return "load";
    case Phase::Attach: return "attach";
    case Phase::CloseLink: return "close_link";
    case Phase::CloseObject: return "close_object";
  }
  return "?";
}

std::array<SideResults, 2> run_schedule(std::array<Side*, 2> sides, const RunConfig& config, UserSampler* sampler) {
  std::array<SideResults, 2> results;

  // Cold: the first cycle of each side in this process, sides[0] first.
  // It pays one-time costs (page faults in the library's code, feature
  // probes, caches) that a long-running loader pays once.
  std::fprintf(stderr, "cold run...\n");
  for (size_t s = 0; s < 2; ++s) results[s].cold = cycle(*sides[s]);

  // Interleaved A B, then B A, and so on: machine noise (other builds on
  // the same cores, frequency changes) spreads evenly over both sides and
  // neither always runs right after the other.
  std::fprintf(stderr, "%d warm-up + %d iterations per side...\n", config.warmup, config.iterations);
  for (int it = 0; it < config.warmup + config.iterations; ++it) {
    for (size_t k = 0; k < 2; ++k) {
      size_t s = (it % 2 == 0) ? k : 1 - k;
      std::array<Sample, kPhaseCount> c = cycle(*sides[s]);
      if (it < config.warmup) continue;
      for (size_t p = 0; p < kPhaseCount; ++p) results[s].iterations[p].push_back(c[p]);
    }
  }

  for (size_t p = 0; p < kBatchedPhaseCount; ++p) {
    auto phase = static_cast<Phase>(p);
    const double round_target_us =
        (phase == Phase::Attach ? config.attach_batch_ms : config.batch_ms) * 1000.0 / config.rounds;
    std::fprintf(stderr, "batch %.*s: %d rounds x %.0f ms CPU per side...\n", static_cast<int>(phase_name(phase).size()),
                 phase_name(phase).data(), config.rounds, round_target_us / 1000.0);
    std::array<Batch, 2> batches{Batch(*sides[0], phase), Batch(*sides[1], phase)};
    for (Batch& b : batches) b.setup();
    for (int r = 0; r < config.rounds; ++r) {
      for (size_t k = 0; k < 2; ++k) {
        size_t s = (r % 2 == 0) ? k : 1 - k;
        auto run = [&](BatchSeries& series, UserSampler* with) {
          uint64_t ops = 0;
          Sample round = batches[s].round(with, round_target_us, ops);
          series.rounds.push_back(round.per_op(ops));
          // Pool the raw sums; they become per-operation values below.
          series.pooled += round;
          series.ops += ops;
        };
        run(results[s].batches[p].plain, nullptr);
        if (sampler != nullptr) run(results[s].batches[p].sampled, sampler);
      }
    }
    for (Batch& b : batches) b.teardown();
  }
  for (auto& r : results) {
    for (auto& b : r.batches) {
      b.plain.pooled = b.plain.pooled.per_op(b.plain.ops);
      b.sampled.pooled = b.sampled.pooled.per_op(b.sampled.ops);
    }
  }
  return results;
}

}  // namespace bench
