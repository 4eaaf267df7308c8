// bpfxx_bench_btf_open: opening the kernel's BTF, bpfxx against libbpf.
//
// The measured operation, for both: open /sys/kernel/btf/vmlinux, validate
// it, index every type id, and find `task_struct`. bpfxx: open_btf_file()
// (a fresh parse, not the kernel_btf() cache) and Spec::find; libbpf:
// btf__load_vmlinux_btf() and btf__find_by_name_kind().
//  - cold: the first parse in a fresh process (a child per sample, so
//    nothing of an earlier parse is warm in the allocator or the caches);
//  - warm: repeated parses in one process;
//  - peak RSS increase of the process across the cold parse (VmHWM);
//  - a name that does not exist looked up twice: the second lookup.
// Medians of the samples; one BENCH line per measure. For scale, two warm
// floors are printed: reading every byte of the mapped file once (memory
// traffic alone), and walking the records to record each type's offset
// with no validation (the id -> offset index alone, a serial chain).
#include <bpfxx/kernel_btf.hpp>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

long vm_hwm_kib() {
  FILE* f = std::fopen("/proc/self/status", "re");
  if (f == nullptr) return -1;
  char line[256];
  long kib = -1;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) kib = std::strtol(line + 6, nullptr, 10);
  }
  std::fclose(f);
  return kib;
}

struct Sample {
  double ms = 0;
  long rss_kib = 0;
};

// One open + validate + index + find of each side.
Sample bpfxx_once() {
  long before = vm_hwm_kib();
  auto t0 = Clock::now();
  auto spec = bpfxx::open_btf_file("/sys/kernel/btf/vmlinux");
  if (!spec) {
    std::fprintf(stderr, "bpfxx: %s\n", spec.error().summary().c_str());
    std::exit(1);
  }
  auto id = (*spec)->find("task_struct", bpfxx::btf::Kind::Struct);
  double ms = ms_since(t0);
  if (!id) std::exit(1);
  return {ms, vm_hwm_kib() - before};
}

Sample libbpf_once() {
  long before = vm_hwm_kib();
  auto t0 = Clock::now();
  struct btf* btf = btf__load_vmlinux_btf();
  if (btf == nullptr) {
    std::fprintf(stderr, "libbpf: btf__load_vmlinux_btf failed\n");
    std::exit(1);
  }
  int id = btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);
  double ms = ms_since(t0);
  long rss = vm_hwm_kib() - before;
  btf__free(btf);
  if (id <= 0) std::exit(1);
  return {ms, rss};
}

// The second of two lookups of a name that is not there.
double bpfxx_missing_twice_us() {
  auto spec = bpfxx::open_btf_file("/sys/kernel/btf/vmlinux").value();
  (void)spec->find_by_name("bpfxx_no_such_type");
  auto t0 = Clock::now();
  (void)spec->find_by_name("bpfxx_no_such_type");
  return ms_since(t0) * 1000;
}

double libbpf_missing_twice_us() {
  struct btf* btf = btf__load_vmlinux_btf();
  (void)btf__find_by_name(btf, "bpfxx_no_such_type");
  auto t0 = Clock::now();
  (void)btf__find_by_name(btf, "bpfxx_no_such_type");
  double us = ms_since(t0) * 1000;
  btf__free(btf);
  return us;
}

// Two floors, both warm, both mapping the file as bpfxx does.
struct Mapped {
  const unsigned char* bytes = nullptr;
  size_t size = 0;
};

template <typename Body>
double with_mapping_ms(Body body) {
  int fd = ::open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) std::exit(1);
  const size_t size = static_cast<size_t>(st.st_size);
  auto t0 = Clock::now();
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  if (p == MAP_FAILED) std::exit(1);
  body(Mapped{static_cast<const unsigned char*>(p), size});
  double ms = ms_since(t0);
  ::munmap(p, size);
  ::close(fd);
  return ms;
}

// Memory: read every byte once, 16 bytes at a time, and nothing else.
double memory_floor_ms() {
  return with_mapping_ms([](Mapped m) {
    uint64_t lanes[2] = {0, 0};
    size_t i = 0;
    for (; i + 16 <= m.size; i += 16) {
      uint64_t w[2];
      std::memcpy(w, m.bytes + i, 16);
      lanes[0] += w[0];
      lanes[1] += w[1];
    }
    if (lanes[0] + lanes[1] == 1) std::printf(" ");  // keeps the loop
  });
}

// The id -> offset index alone: walk the type records, each one's size
// from its kind and vlen, and record where each starts; no validation, no
// name. Each record's start depends on the previous header, so this is a
// serial chain no single-threaded parser that builds the index avoids.
double walk_floor_ms() {
  return with_mapping_ms([](Mapped m) {
    // Bytes after the 12-byte header, and per vlen entry, by kind (1..19).
    static constexpr uint8_t kExtra[32] = {0, 4, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 4, 0, 0};
    static constexpr uint8_t kPerVlen[32] = {0, 0, 0, 0, 12, 12, 8, 0, 0, 0, 0, 0, 0, 8, 0, 12, 0, 0, 0, 12};
    uint32_t hdr_len = 0, type_off = 0, type_len = 0;
    std::memcpy(&hdr_len, m.bytes + 4, 4);
    std::memcpy(&type_off, m.bytes + 8, 4);
    std::memcpy(&type_len, m.bytes + 12, 4);
    const unsigned char* types = m.bytes + hdr_len + type_off;
    std::vector<uint32_t> offsets(type_len / 12 + 1);
    size_t off = 0, count = 0;
    while (off + 12 <= type_len) {
      uint32_t info = 0;
      std::memcpy(&info, types + off + 4, 4);
      const uint32_t kind = (info >> 24) & 0x1f, vlen = info & 0xffff;
      offsets[count++] = static_cast<uint32_t>(off);
      off += 12 + kExtra[kind] + size_t{kPerVlen[kind]} * vlen;
    }
    if (count == 1) std::printf(" ");
  });
}

// Runs this binary as a child measuring one cold sample of `side`.
Sample cold_in_child(const char* self, const char* side) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) std::exit(1);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::execl(self, self, "--child", side, static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipefd[1]);
  char buf[128] = {};
  ssize_t n = ::read(pipefd[0], buf, sizeof(buf) - 1);
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  Sample s;
  if (n <= 0 || std::sscanf(buf, "%lf %ld", &s.ms, &s.rss_kib) != 2 || status != 0) {
    std::fprintf(stderr, "child for %s failed\n", side);
    std::exit(1);
  }
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void line(const char* name, double bpfxx, double peer) {
  std::printf("BENCH %s bpfxx=%.3f peer=%.3f ratio=%.2f\n", name, bpfxx, peer, peer > 0 ? bpfxx / peer : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  libbpf_set_print([](enum libbpf_print_level, const char*, va_list) { return 0; });
  if (argc == 3 && std::strcmp(argv[1], "--child") == 0) {
    Sample s = std::strcmp(argv[2], "bpfxx") == 0 ? bpfxx_once() : libbpf_once();
    std::printf("%.6f %ld\n", s.ms, s.rss_kib);
    return 0;
  }
  int runs = argc > 1 ? std::max(5, std::atoi(argv[1])) : 21;
  std::vector<double> cold_b, cold_l, rss_b, rss_l, warm_b, warm_l;
  for (int i = 0; i < runs; ++i) {  // interleaved, so noise hits both sides
    Sample b = cold_in_child(argv[0], "bpfxx");
    Sample l = cold_in_child(argv[0], "libbpf");
    cold_b.push_back(b.ms);
    cold_l.push_back(l.ms);
    rss_b.push_back(static_cast<double>(b.rss_kib));
    rss_l.push_back(static_cast<double>(l.rss_kib));
  }
  bpfxx_once();
  libbpf_once();
  for (int i = 0; i < runs; ++i) {
    warm_b.push_back(bpfxx_once().ms);
    warm_l.push_back(libbpf_once().ms);
  }
  double miss_b = bpfxx_missing_twice_us(), miss_l = libbpf_missing_twice_us();
  std::vector<double> memory_floor, walk_floor;
  for (int i = 0; i < runs; ++i) {
    memory_floor.push_back(memory_floor_ms());
    walk_floor.push_back(walk_floor_ms());
  }

  std::printf("kernel BTF: open + validate + index + find task_struct (%d samples each, medians)\n", runs);
  std::printf("%-36s %12s %12s %8s\n", "measure", "bpfxx", "libbpf", "ratio");
  auto row = [](const char* n, double b, double l) {
    std::printf("%-36s %12.3f %12.3f %8.2f\n", n, b, l, l > 0 ? b / l : 0.0);
  };
  row("cold (first in a process) ms", median(cold_b), median(cold_l));
  row("warm ms", median(warm_b), median(warm_l));
  row("peak RSS increase KiB (cold)", median(rss_b), median(rss_l));
  row("missing name, second lookup us", miss_b, miss_l);
  const double warm_peer = median(warm_l);
  std::printf("floors (warm), as a share of libbpf's warm time:\n");
  std::printf("  memory: map the file, read every byte once                 %6.3f ms (%.2f)\n", median(memory_floor),
              warm_peer > 0 ? median(memory_floor) / warm_peer : 0.0);
  std::printf("  index:  map the file, record each type's offset, no checks %6.3f ms (%.2f)\n", median(walk_floor),
              warm_peer > 0 ? median(walk_floor) / warm_peer : 0.0);
  std::printf("\n");
  line("btf_vmlinux_open_cold_ms", median(cold_b), median(cold_l));
  line("btf_vmlinux_open_warm_ms", median(warm_b), median(warm_l));
  line("btf_vmlinux_rss_increase_kib", median(rss_b), median(rss_l));
  line("btf_missing_name_second_lookup_us", miss_b, miss_l);
  return 0;
}
