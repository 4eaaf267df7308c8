// bpfxx_bench_core: CO-RE relocation cost, bpfxx against libbpf, on an
// object with ~70 CO-RE relocations against the running kernel's BTF.
//
//   bpfxx_bench_core [--rounds N] [--sample-us US] [--object PATH]
//
// bpfxx: the relocation alone (reloc::apply_core_relocations over every
// program, a fresh candidate cache per object as Object::load makes one),
// against the kernel BTF that Object::load parses once per process. It is
// pure user-space work, so its thread CPU time is its user time.
// libbpf: the user-space share of bpf_object__load for the same object,
// which is where libbpf does its CO-RE work (with its own per-load parse of
// the kernel BTF and its own candidate search). libbpf has no public call
// that relocates without loading, so its whole load's user time is the
// peer; the kernel's verification time is system time and not counted.
//
// Prints `BENCH core_relocate_us bpfxx=<v> peer=<v> ratio=<r>` (goal: ratio
// at most 1/3) and the numbers behind it.
#include "measure.hpp"
#include "user_sampler.hpp"

#include <bpfxx/object_spec.hpp>

#include "base/mapped_file.hpp"
#include "reloc/core.hpp"

#include <bpf/libbpf.h>

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#ifndef BPFXX_BENCH_CORE_OBJECT
#define BPFXX_BENCH_CORE_OBJECT "core_bench.bpf.o"
#endif

namespace {

[[noreturn]] void die(const std::string& msg) {
  fmt::print(stderr, "bpfxx_bench_core: {}\n", msg);
  std::exit(1);
}

struct Options {
  std::string object = BPFXX_BENCH_CORE_OBJECT;
  int rounds = 7;
  long sample_us = 100;
};

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--rounds") {
      o.rounds = std::max(3, std::atoi(value().c_str()));
    } else if (a == "--sample-us") {
      o.sample_us = std::atol(value().c_str());
    } else if (a == "--object") {
      o.object = value();
    } else if (a == "--help" || a == "-h") {
      fmt::print("usage: bpfxx_bench_core [--rounds N] [--sample-us US (0: getrusage)] [--object PATH]\n");
      std::exit(0);
    } else {
      die("unknown option " + a);
    }
  }
  return o;
}

// libbpf reports failures only through its print callback; keep warnings.
std::string g_libbpf_log;
int capture(enum libbpf_print_level level, const char* format, va_list args) {
  if (level != LIBBPF_WARN) return 0;
  char line[512];
  int n = std::vsnprintf(line, sizeof(line), format, args);
  if (n > 0 && g_libbpf_log.size() < 8192) g_libbpf_log.append(line, std::min<size_t>(size_t(n), sizeof(line) - 1));
  return 0;
}

struct Bpfxx {
  bpfxx::ObjectSpec spec;
  std::shared_ptr<const bpfxx::btf::Spec> kernel;
  size_t relocations = 0;

  // One object's worth of CO-RE relocation, as Object::load does it.
  void relocate_once() {
    bpfxx::reloc::CoreTargets targets(*kernel);
    for (const bpfxx::ProgramSpec& p : spec.programs) {
      std::vector<bpfxx::Insn> insns = p.insns;
      auto reports = bpfxx::reloc::apply_core_relocations(insns, p, *spec.btf, targets);
      for (const bpfxx::CoreReport& r : reports) {
        if (r.outcome != bpfxx::CoreOutcome::Resolved) die("bpfxx: unexpected relocation result: " + r.describe());
      }
    }
  }
};

// User time per operation of `op`, run `ops` times per span: from the
// sampler's share of user-mode samples times the CPU time of a plain run,
// or from getrusage without a sampler.
template <typename Prepare, typename Op, typename Cleanup>
double user_us_per_op(bench::UserSampler* sampler, int ops, Prepare prepare, Op op, Cleanup cleanup) {
  auto span = [&](bench::UserSampler* s) {
    prepare();
    if (s != nullptr) s->enable();
    bench::Stopwatch sw(s);
    for (int i = 0; i < ops; ++i) op(i);
    bench::Sample out = sw.elapsed();
    if (s != nullptr) s->disable();
    cleanup();
    return out.per_op(static_cast<uint64_t>(ops));
  };
  bench::Sample plain = span(nullptr);
  if (sampler == nullptr) return plain.user_us;
  bench::Sample sampled = span(sampler);
  double share = sampled.cpu_us > 0 ? sampled.sampled_user_us / sampled.cpu_us : 0;
  return plain.cpu_us * std::min(share, 1.0);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt = parse_args(argc, argv);
  if (::geteuid() != 0) die("must run as root: libbpf's side loads the program (try: sudo make bench)");

  // bpfxx's side: the object's spec and the kernel BTF, both outside timing.
  Bpfxx mine;
  auto spec = bpfxx::ObjectSpec::open(opt.object);
  if (!spec) die(spec.error().describe());
  mine.spec = std::move(*spec);
  for (const bpfxx::ProgramSpec& p : mine.spec.programs) mine.relocations += p.core_relocations.size();
  auto file = bpfxx::detail::MappedFile::open("/sys/kernel/btf/vmlinux");
  if (!file) die(file.error().describe());
  auto kernel = bpfxx::btf::Spec::parse((*file)->bytes(), *file);
  if (!kernel) die(kernel.error().describe());
  mine.kernel = std::make_shared<const bpfxx::btf::Spec>(std::move(*kernel));

  // The first relocation in a process also builds the kernel BTF's name
  // lookups (kept with the process-wide kernel spec): reported on its own.
  bench::Stopwatch cold;
  mine.relocate_once();
  double cold_us = cold.elapsed().cpu_us;

  std::string why;
  std::unique_ptr<bench::UserSampler> sampler;
  if (opt.sample_us > 0) sampler = bench::UserSampler::open(static_cast<uint64_t>(opt.sample_us) * 1000, why);

  libbpf_set_print(capture);
  std::vector<bpf_object*> objs;
  constexpr int kLoadsPerRound = 8;
  constexpr int kRelocationsPerRound = 400;
  std::vector<double> mine_us, peer_us;
  for (int round = 0; round < opt.rounds; ++round) {
    mine_us.push_back(user_us_per_op(
        sampler.get(), kRelocationsPerRound, [] {}, [&](int) { mine.relocate_once(); }, [] {}));
    peer_us.push_back(user_us_per_op(
        sampler.get(), kLoadsPerRound,
        [&] {
          for (int i = 0; i < kLoadsPerRound; ++i) {
            bpf_object* o = bpf_object__open_file(opt.object.c_str(), nullptr);
            if (o == nullptr) die("libbpf: bpf_object__open_file failed: " + std::string(std::strerror(errno)));
            objs.push_back(o);
          }
        },
        [&](int i) {
          int err = bpf_object__load(objs[static_cast<size_t>(i)]);
          if (err != 0) die("libbpf: bpf_object__load failed: " + std::string(std::strerror(-err)) + "\n" + g_libbpf_log);
        },
        [&] {
          for (bpf_object* o : objs) bpf_object__close(o);
          objs.clear();
        }));
  }
  bench::Stats m = bench::stats_of(mine_us), p = bench::stats_of(peer_us);
  double ratio = p.median > 0 ? m.median / p.median : 0;
  fmt::print("bpfxx_bench_core: {} CO-RE relocations in {} ({} program{}), against /sys/kernel/btf/vmlinux\n",
             mine.relocations, opt.object, mine.spec.programs.size(), mine.spec.programs.size() == 1 ? "" : "s");
  fmt::print("user time: {}\n", sampler ? fmt::format("CPU time x user share of perf samples every {} us", opt.sample_us)
                                         : "getrusage (" + (why.empty() ? std::string("sampling off") : why) + ")");
  fmt::print("{:<34} {:>10} {:>10} {:>10}\n", "measure (us, median of rounds)", "median", "p10", "p90");
  fmt::print("{:<34} {:>10.2f} {:>10.2f} {:>10.2f}\n", "bpfxx relocation, per object", m.median, m.p10, m.p90);
  fmt::print("{:<34} {:>10.2f} {:>10.2f} {:>10.2f}\n", "libbpf bpf_object__load, user", p.median, p.p10, p.p90);
  fmt::print("{:<34} {:>10.2f}\n", "bpfxx first relocation (cold)", cold_us);
  fmt::print("goal core_relocate_us: bpfxx/libbpf = {:.3f} (must be <= 0.33): {}\n\n", ratio,
             ratio <= 1.0 / 3 ? "met" : "MISSED");
  fmt::print("BENCH core_relocate_us bpfxx={:.2f} peer={:.2f} ratio={:.3f}\n", m.median, p.median, ratio);
  fmt::print("BENCH core_relocate_per_relo_us bpfxx={:.3f} peer={:.3f} ratio={:.3f}\n",
             m.median / static_cast<double>(mine.relocations), p.median / static_cast<double>(mine.relocations), ratio);
  fmt::print("BENCH core_relocate_cold_us bpfxx={:.2f} peer={:.2f} ratio={:.3f}\n", cold_us, p.median,
             p.median > 0 ? cold_us / p.median : 0);
  return 0;
}
