// bpfxx_bench_open_mem: opening the mmapsnoop object from memory, bpfxx
// against libbpf, by wall clock.
//
// bpfxx_bench's open_user_us estimates the user-space share of opening a
// file. That needs a sampler and carries its noise, and libbpf's open of a
// file makes about 20 syscalls to our 4 (strace), whose entry and exit
// costs land partly in user time. This measures the parse alone, where
// wall time is CPU time: the object's bytes are already in memory, and each
// side turns them into its object model. bpfxx: ObjectSpec::parse, which
// copies the bytes, as the spec owns them. libbpf: bpf_object__open_mem,
// which still makes a few syscalls (it maps its global-data buffers and
// probes the kernel version).
// Like bpfxx_bench's open batch, 32 objects are opened and kept, then closed
// untimed; rounds alternate sides; medians of the per-open time.
// Freeing a batch can leave glibc's heap top free and large enough to trim,
// and the next batch then faults every page back in: 2.5x the parse time,
// depending on nothing but the order of the allocations. Trimming is turned
// off for both sides, so the measure stays the parse's.
#include <bpfxx/object_spec.hpp>

#include <bpf/libbpf.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <malloc.h>
#include <iterator>
#include <optional>
#include <vector>

#ifndef BPFXX_BENCH_OBJECT
#define BPFXX_BENCH_OBJECT "mmapsnoop.bpf.o"
#endif

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kChunk = 32;

double us_per_op(Clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / kChunk;
}

double bpfxx_round(std::span<const std::byte> bytes, std::vector<std::optional<bpfxx::ObjectSpec>>& keep) {
  auto t0 = Clock::now();
  for (int j = 0; j < kChunk; ++j) {
    auto spec = bpfxx::ObjectSpec::parse(bytes, "mmapsnoop");
    if (!spec) {
      std::fprintf(stderr, "bpfxx: %s\n", spec.error().summary().c_str());
      std::exit(1);
    }
    keep[j].emplace(std::move(*spec));
  }
  double us = us_per_op(t0);
  for (auto& k : keep) k.reset();
  return us;
}

double libbpf_round(const std::vector<char>& bytes, std::vector<bpf_object*>& keep) {
  auto t0 = Clock::now();
  for (int j = 0; j < kChunk; ++j) {
    keep[j] = bpf_object__open_mem(bytes.data(), bytes.size(), nullptr);
    if (keep[j] == nullptr) {
      std::fprintf(stderr, "libbpf: bpf_object__open_mem failed\n");
      std::exit(1);
    }
  }
  double us = us_per_op(t0);
  for (bpf_object* o : keep) bpf_object__close(o);
  return us;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  libbpf_set_print([](enum libbpf_print_level, const char*, va_list) { return 0; });
  ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
  ::mallopt(M_MMAP_THRESHOLD, 256 << 20);
  const char* path = argc > 1 ? argv[1] : BPFXX_BENCH_OBJECT;
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) {
    std::fprintf(stderr, "bpfxx_bench_open_mem: cannot read %s\n", path);
    return 1;
  }
  std::span<const std::byte> view(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size());
  std::vector<std::optional<bpfxx::ObjectSpec>> keep_b(kChunk);
  std::vector<bpf_object*> keep_l(kChunk);
  for (int i = 0; i < 20; ++i) {  // warm-up: allocator, caches, libbpf's probes
    bpfxx_round(view, keep_b);
    libbpf_round(bytes, keep_l);
  }
  constexpr int kRounds = 301;
  std::vector<double> b, l;
  for (int i = 0; i < kRounds; ++i) {  // alternating, so noise hits both sides
    if (i % 2 == 0) {
      b.push_back(bpfxx_round(view, keep_b));
      l.push_back(libbpf_round(bytes, keep_l));
    } else {
      l.push_back(libbpf_round(bytes, keep_l));
      b.push_back(bpfxx_round(view, keep_b));
    }
  }
  double mb = median(b), ml = median(l);
  std::printf("open from memory (%s, %d rounds of %d opens kept alive; medians, wall us per open)\n", path, kRounds,
              kChunk);
  std::printf("  %-28s %10s %10s %8s\n", "measure", "bpfxx", "libbpf", "ratio");
  std::printf("  %-28s %10.2f %10.2f %8.2f\n", "open_mem_wall_us", mb, ml, mb / ml);
  std::printf("BENCH open_mem_wall_us bpfxx=%.2f peer=%.2f ratio=%.2f\n", mb, ml, mb / ml);
  return 0;
}
