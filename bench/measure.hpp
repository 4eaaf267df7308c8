// Timing for the benchmark: what one measured span cost, and the order
// statistics the report prints.
//
// A span is read three ways at once, because each clock answers a different
// question and none answers all of them:
//   wall   CLOCK_MONOTONIC: what a caller waits, kernel sleeps included;
//   cpu    CLOCK_THREAD_CPUTIME_ID: user + system CPU, precise to the
//          nanosecond (the scheduler's sum_exec_runtime), but not split;
//   user/sys  getrusage(RUSAGE_SELF): the split the goals are stated in. With
//          CONFIG_TICK_CPU_ACCOUNTING the kernel only *samples* the split at
//          each scheduler tick and scales the precise total by it, so a span
//          much shorter than a tick gets the process-wide ratio, not its own.
//          probe_rusage_accounting() finds out which kind of kernel this is;
//   sampled user  a UserSampler's estimate, when one is attached.
#pragma once

#include "user_sampler.hpp"

#include <sys/resource.h>
#include <time.h>

#include <cstdint>
#include <vector>

namespace bench {

struct Sample {
  double wall_us = 0;
  double cpu_us = 0;
  double user_us = 0;
  double sys_us = 0;
  double sampled_user_us = 0;  // 0 without a sampler

  Sample& operator+=(const Sample& other);
  Sample per_op(uint64_t ops) const;
};

// Reads all clocks at construction (or restart()) and returns the deltas.
// The order of the reads (rusage, cpu, wall, then the reverse on stop) keeps
// the cheap clock_gettime calls innermost so they bracket the work tightly.
class Stopwatch {
 public:
  explicit Stopwatch(UserSampler* sampler = nullptr) : sampler_(sampler) { restart(); }
  void restart();
  // With a sampler this also frees the span's sample records: call it once
  // per span then (without one, as often as needed).
  Sample elapsed();

 private:
  UserSampler* sampler_;
  uint64_t ring_start_ = 0;
  rusage ru_{};
  timespec cpu_{};
  timespec wall_{};
};

struct Stats {
  double median = 0;
  double p10 = 0;
  double p90 = 0;
};

// Median and 10th/90th percentiles, linearly interpolated between ranks.
Stats stats_of(std::vector<double> values);

// Whether getrusage resolves the user/system split of a span shorter than a
// tick. Measured, not read from the kernel config: short spans of pure user
// work (a loop) alternate with spans of almost pure kernel work (reading
// /dev/zero). Precise accounting reports each kind as what it is; tick
// accounting hands each span whatever share keeps the process's running
// totals in line with the ticks sampled so far (the kernel also keeps both
// totals monotonic), which has nothing to do with the span itself.
struct RusageAccounting {
  bool per_span_precise = false;
  double user_work_user_share = 0;    // median user/(user+sys) of the user-bound spans
  double kernel_work_user_share = 0;  // the same for the kernel-bound spans
};
RusageAccounting probe_rusage_accounting();

}  // namespace bench
