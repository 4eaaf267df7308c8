// bpfxx_bench_btf: vmlinux.h generation, bpfxx against bpftool (the peer).
//
//   bpfxx_bench_btf [--runs N] [--btf PATH] [--bpftool PATH] [--cli PATH]
//
// Each side runs as its own process, timed the same way: wall time from the
// parent around fork/spawn and wait4, user and system time from wait4's
// rusage of the child. bpfxx runs in a forked child that opens and parses
// the BTF and streams the header to /dev/null (the library path, no exec); bpftool runs as `bpftool btf dump file PATH format c` with
// stdout on /dev/null. The bpfxx CLI, exec'd the same way, is reported too,
// as is an in-process split of bpfxx's time into parsing and generating.
// Runs alternate sides (A B, B A, ...) after one warm-up each.
//
// Prints a table, then `BENCH <measure> bpfxx=<v> peer=<v> ratio=<r>` lines.
// Exits 1 when something fails (not when a goal is missed).
#include "measure.hpp"

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/codegen/c_header.hpp>

#include "base/mapped_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#ifndef BPFXX_BENCH_CLI
#define BPFXX_BENCH_CLI "bpfxx"
#endif

extern char** environ;

namespace {

struct Options {
  int runs = 15;
  std::string btf = "/sys/kernel/btf/vmlinux";
  std::string bpftool = "/usr/sbin/bpftool";
  std::string cli = BPFXX_BENCH_CLI;
};

struct RunTime {
  double wall_ms = 0;
  double user_ms = 0;
  double sys_ms = 0;
};

[[noreturn]] void die(const std::string& msg) {
  fmt::print(stderr, "bpfxx_bench_btf: {}\n", msg);
  std::exit(1);
}

double now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double tv_ms(const timeval& tv) { return static_cast<double>(tv.tv_sec) * 1e3 + static_cast<double>(tv.tv_usec) / 1e3; }

RunTime wait_child(pid_t pid, double start_ms, const char* what) {
  int status = 0;
  rusage ru{};
  if (::wait4(pid, &status, 0, &ru) != pid) die(fmt::format("wait4 for {}: {}", what, std::strerror(errno)));
  double end = now_ms();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die(fmt::format("{} failed (status {:#x})", what, status));
  return {end - start_ms, tv_ms(ru.ru_utime), tv_ms(ru.ru_stime)};
}

// What an application does: read the file, parse it, write the header.
size_t generate(const std::string& path, int out_fd, double* parse_ms = nullptr, double* gen_ms = nullptr) {
  double t0 = now_ms();
  auto file = bpfxx::detail::MappedFile::open(path);
  if (!file) die(file.error().describe());
  auto spec = bpfxx::btf::Spec::parse((*file)->bytes(), *file);
  if (!spec) die(spec.error().describe());
  double t1 = now_ms();
  // Streamed to the file as `bpfxx btf dump` does it (bpftool prints too).
  size_t bytes = 0;
  auto written = bpfxx::codegen::write_c_header(*spec, {}, [&](std::string_view piece) {
    bytes += piece.size();
    for (size_t done = 0; done < piece.size();) {
      ssize_t n = ::write(out_fd, piece.data() + done, piece.size() - done);
      if (n <= 0) die(fmt::format("write: {}", std::strerror(errno)));
      done += static_cast<size_t>(n);
    }
  });
  if (!written) die(written.error().describe());
  double t2 = now_ms();
  if (parse_ms) *parse_ms = t1 - t0;
  if (gen_ms) *gen_ms = t2 - t1;
  return bytes;
}

RunTime time_library(const Options& o, int devnull) {
  double start = now_ms();
  pid_t pid = ::fork();
  if (pid < 0) die(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    generate(o.btf, devnull);
    ::_exit(0);
  }
  return wait_child(pid, start, "the bpfxx child");
}

RunTime time_command(const std::vector<std::string>& args, const char* what) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  double start = now_ms();
  pid_t pid = 0;
  int err = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) die(fmt::format("cannot run {}: {}", args[0], std::strerror(err)));
  return wait_child(pid, start, what);
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--runs") {
      o.runs = std::atoi(value().c_str());
      if (o.runs < 10) die("--runs needs at least 10");
    } else if (a == "--btf") {
      o.btf = value();
    } else if (a == "--bpftool") {
      o.bpftool = value();
    } else if (a == "--cli") {
      o.cli = value();
    } else {
      die("usage: bpfxx_bench_btf [--runs N (>= 10)] [--btf PATH] [--bpftool PATH] [--cli PATH]");
    }
  }
  return o;
}

struct Row {
  std::string name;
  std::string method;
  bench::Stats mine;
  bench::Stats peer;
  bool has_peer = true;
  double goal_ratio = 0;
};

std::string ratio_text(const Row& r) {
  if (!r.has_peer || r.peer.median == 0) return "-";
  return fmt::format("{:.3f}", r.mine.median / r.peer.median);
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_args(argc, argv);
  if (::access(o.btf.c_str(), R_OK) != 0) die(fmt::format("cannot read {}: {}", o.btf, std::strerror(errno)));
  if (::access(o.bpftool.c_str(), X_OK) != 0) {
    die(fmt::format("{} not found: the peer is Debian's bpftool (make deps installs it)", o.bpftool));
  }
  const bool have_cli = ::access(o.cli.c_str(), X_OK) == 0;
  int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (devnull < 0) die("cannot open /dev/null");

  const std::vector<std::string> bpftool = {o.bpftool, "btf", "dump", "file", o.btf, "format", "c"};
  const std::vector<std::string> cli = {o.cli, "btf", "dump", o.btf};
  size_t bytes = generate(o.btf, devnull);
  fmt::print("bpfxx_bench_btf: vmlinux.h from {} ({} bytes of header), {} runs per side after 1 warm-up\n", o.btf,
             bytes, o.runs);
  fmt::print("peer:   {} btf dump file {} format c > /dev/null\n", o.bpftool, o.btf);
  fmt::print("method: each side a child process; wall from fork/spawn to wait4, user/sys from wait4's rusage\n");
  fmt::print("        (the kernel splits user/sys by scheduler-tick samples: coarse for spans of a few ms)\n");
  fmt::print("units:  milliseconds; ratio = bpfxx / bpftool\n\n");
  std::fflush(stdout);

  time_library(o, devnull);
  time_command(bpftool, "bpftool");
  if (have_cli) time_command(cli, "the bpfxx CLI");
  std::vector<RunTime> lib, peer, tool;
  std::vector<double> parse_ms, gen_ms;
  for (int i = 0; i < o.runs; ++i) {
    if (i % 2 == 0) {
      lib.push_back(time_library(o, devnull));
      peer.push_back(time_command(bpftool, "bpftool"));
    } else {
      peer.push_back(time_command(bpftool, "bpftool"));
      lib.push_back(time_library(o, devnull));
    }
    if (have_cli) tool.push_back(time_command(cli, "the bpfxx CLI"));
    double p = 0, g = 0;
    generate(o.btf, devnull, &p, &g);
    parse_ms.push_back(p);
    gen_ms.push_back(g);
  }

  auto stats = [](const std::vector<RunTime>& v, double RunTime::*field) {
    std::vector<double> xs;
    for (const RunTime& r : v) xs.push_back(r.*field);
    return bench::stats_of(xs);
  };
  std::vector<Row> rows;
  rows.push_back({"vmlinux_h_ms", "wall, forked child (library) vs bpftool process", stats(lib, &RunTime::wall_ms),
                  stats(peer, &RunTime::wall_ms), true, 0.2});
  rows.push_back({"vmlinux_h_user_ms", "user, wait4 rusage", stats(lib, &RunTime::user_ms),
                  stats(peer, &RunTime::user_ms), true, 0});
  rows.push_back({"vmlinux_h_sys_ms", "system, wait4 rusage", stats(lib, &RunTime::sys_ms),
                  stats(peer, &RunTime::sys_ms), true, 0});
  if (have_cli) {
    rows.push_back({"vmlinux_h_cli_ms", "wall, `bpfxx btf dump` process vs bpftool process",
                    stats(tool, &RunTime::wall_ms), stats(peer, &RunTime::wall_ms), true, 0});
  }
  rows.push_back({"parse_btf_ms", "in process: read + btf::Spec::parse", bench::stats_of(parse_ms), {}, false, 0});
  rows.push_back({"write_header_ms", "in process: codegen::write_c_header, streamed to /dev/null", bench::stats_of(gen_ms), {},
                  false, 0});

  fmt::print("{:<20} {:>9} {:>9} {:>9}   {:>9} {:>9} {:>9}   {:>6}  {:<14} {}\n", "measure", "bpfxx", "p10", "p90",
             "bpftool", "p10", "p90", "ratio", "goal", "method");
  for (const Row& r : rows) {
    auto cell = [&](double v, bool show) { return show ? fmt::format("{:.2f}", v) : std::string("-"); };
    std::string goal;
    if (r.goal_ratio > 0) {
      goal = fmt::format("<={:.2f} {}", r.goal_ratio, r.mine.median <= r.goal_ratio * r.peer.median ? "met" : "MISSED");
    }
    fmt::print("{:<20} {:>9} {:>9} {:>9}   {:>9} {:>9} {:>9}   {:>6}  {:<14} {}\n", r.name, cell(r.mine.median, true),
               cell(r.mine.p10, true), cell(r.mine.p90, true), cell(r.peer.median, r.has_peer),
               cell(r.peer.p10, r.has_peer), cell(r.peer.p90, r.has_peer), ratio_text(r), goal, r.method);
  }
  fmt::print("\n");
  for (const Row& r : rows) {
    if (r.goal_ratio <= 0) continue;
    fmt::print("goal {}: bpfxx/bpftool = {} (must be <= {:.2f}): {}\n", r.name, ratio_text(r), r.goal_ratio,
               r.mine.median <= r.goal_ratio * r.peer.median ? "met" : "MISSED");
  }
  fmt::print("\n");
  for (const Row& r : rows) {
    if (!r.has_peer) continue;
    fmt::print("BENCH {} bpfxx={:.2f} peer={:.2f} ratio={}\n", r.name, r.mine.median, r.peer.median, ratio_text(r));
  }
  return 0;
}
