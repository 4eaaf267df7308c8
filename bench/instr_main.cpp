// bpfxx_bench_instr: user-space instructions per open and per load, bpfxx
// against libbpf, counted by callgrind.
//
// The user-time measures of bpfxx_bench come from sampling and vary by
// ±10% from run to run on this VM, more than the differences they judge.
// Instruction counts do not: this binary re-runs itself under
// `valgrind --tool=callgrind --collect-atstart=no`, and the child turns
// collection on around each operation only (CALLGRIND_TOGGLE_COLLECT), so
// the count is the operation's own user-space instructions, library code
// and libc included, syscalls' kernel side excluded. Instructions are not
// time (cache misses and syscall entry costs are missing), but they are
// exact and repeatable. Operations, on the mmapsnoop object as bpfxx_bench
// uses it (trace_mmap only), and then on its no-CO-RE build (measures
// prefixed nocore_), where libbpf's load does not read the kernel BTF:
//   open: ObjectSpec::open / bpf_object__open_file
//   load: Object::load / bpf_object__load (needs root: BPF_PROG_LOAD)
// Both sides run a warm-up operation first, uncounted.
#include <bpfxx/object.hpp>
#include <bpfxx/object_spec.hpp>

#include <bpf/libbpf.h>
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

#ifndef BPFXX_BENCH_OBJECT
#define BPFXX_BENCH_OBJECT "mmapsnoop.bpf.o"
#endif

namespace {

constexpr int kOps = 50;
constexpr const char* kKprobe = "kprobe_mmap";

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "bpfxx_bench_instr: %s\n", why.c_str());
  std::exit(1);
}

// ---- The child, under callgrind -------------------------------------------------------

void bpfxx_ops(const char* path, bool load) {
  for (int i = 0; i <= kOps; ++i) {
    const bool counted = i > 0;
    if (!load && counted) CALLGRIND_TOGGLE_COLLECT;
    auto spec = bpfxx::ObjectSpec::open(path);
    if (!load && counted) CALLGRIND_TOGGLE_COLLECT;
    if (!spec) die(spec.error().describe());
    if (!load) continue;
    // mmapsnoop's kprobe cannot load on a kernel without kprobes; other
    // objects given on the command line may have no such program.
    if (bpfxx::ProgramSpec* kprobe = spec->program(kKprobe)) kprobe->autoload = false;
    if (counted) CALLGRIND_TOGGLE_COLLECT;
    auto obj = bpfxx::Object::load(*spec);
    if (counted) CALLGRIND_TOGGLE_COLLECT;
    if (!obj) die(obj.error().describe());
  }
}

void libbpf_ops(const char* path, bool load) {
  for (int i = 0; i <= kOps; ++i) {
    const bool counted = i > 0;
    if (!load && counted) CALLGRIND_TOGGLE_COLLECT;
    bpf_object* obj = bpf_object__open_file(path, nullptr);
    if (!load && counted) CALLGRIND_TOGGLE_COLLECT;
    if (obj == nullptr) die("bpf_object__open_file failed");
    if (load) {
      if (bpf_program* kprobe = bpf_object__find_program_by_name(obj, kKprobe)) bpf_program__set_autoload(kprobe, false);
      if (counted) CALLGRIND_TOGGLE_COLLECT;
      int err = bpf_object__load(obj);
      if (counted) CALLGRIND_TOGGLE_COLLECT;
      if (err != 0) die("bpf_object__load failed: " + std::string(std::strerror(-err)));
    }
    bpf_object__close(obj);
  }
}

// ---- The parent ----------------------------------------------------------------------------

// Instructions per operation of one side and operation, from a callgrind run.
double count(const char* self, const char* path, const std::string& side, const std::string& op) {
  const std::string out = "/tmp/bpfxx_bench_instr." + std::to_string(::getpid()) + "." + side + "." + op;
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 2);
    const std::string file_arg = "--callgrind-out-file=" + out;
    ::execlp("valgrind", "valgrind", "--tool=callgrind", "--collect-atstart=no", file_arg.c_str(), self, "--child",
             side.c_str(), op.c_str(), path, static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    die("valgrind run of " + side + " " + op + " failed (status " + std::to_string(status) +
        "); is valgrind installed (Debian package valgrind)?");
  }
  std::ifstream in(out);
  std::string line;
  double total = -1;
  while (std::getline(in, line)) {
    if (line.rfind("summary:", 0) == 0 || line.rfind("totals:", 0) == 0) {
      total = std::strtod(line.c_str() + line.find(':') + 1, nullptr);
    }
  }
  ::unlink(out.c_str());
  if (total < 0) die("no instruction total in " + out);
  return total / kOps;
}

}  // namespace

int main(int argc, char** argv) {
  libbpf_set_print([](enum libbpf_print_level, const char*, va_list) { return 0; });
  if (argc == 5 && std::strcmp(argv[1], "--child") == 0) {
    const bool load = std::strcmp(argv[3], "load") == 0;
    if (std::strcmp(argv[2], "bpfxx") == 0) {
      bpfxx_ops(argv[4], load);
    } else {
      libbpf_ops(argv[4], load);
    }
    return 0;
  }
  // The example's object (CO-RE) and its no-CO-RE build, or the one given.
  std::vector<std::pair<std::string, std::string>> objects;  // {path, measure prefix}
  if (argc > 1) {
    objects.emplace_back(argv[1], "");
  } else {
    objects.emplace_back(BPFXX_BENCH_OBJECT, "");
#ifdef BPFXX_BENCH_NO_CORE_OBJECT
    objects.emplace_back(BPFXX_BENCH_NO_CORE_OBJECT, "nocore_");
#endif
  }
  std::vector<std::string> ops = {"open"};
  if (::geteuid() == 0) {
    ops.push_back("load");
  } else {
    std::fprintf(stderr, "bpfxx_bench_instr: not root: load is not measured\n");
  }
  std::vector<std::string> lines;
  for (const auto& [path, prefix] : objects) {
    std::printf("user-space instructions per operation (callgrind, %d operations each, %s)\n", kOps, path.c_str());
    std::printf("  %-28s %12s %12s %8s\n", "measure", "bpfxx", "libbpf", "ratio");
    for (const std::string& op : ops) {
      double b = count(argv[0], path.c_str(), "bpfxx", op), l = count(argv[0], path.c_str(), "libbpf", op);
      const std::string name = prefix + op + "_instructions";
      std::printf("  %-28s %12.0f %12.0f %8.2f\n", name.c_str(), b, l, b / l);
      char buf[160];
      std::snprintf(buf, sizeof(buf), "BENCH %s bpfxx=%.0f peer=%.0f ratio=%.3f", name.c_str(), b, l, b / l);
      lines.push_back(buf);
    }
  }
  for (const std::string& l : lines) std::printf("%s\n", l.c_str());
  return 0;
}
