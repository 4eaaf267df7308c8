// Tests of the `bpfxx` command-line tool: runs the built binary on the test
// objects and checks its text, its JSON and its exit status (0 ok, 1 something
// failed to load, 2 usage error or unreadable object).
#include "support/test_support.hpp"

#include <bpfxx/object_spec.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

std::string cli_path() { return std::string(BPFXX_BINARY_DIR) + "/tools/bpfxx/bpfxx"; }

struct CliRun {
  int status = -1;  // the exit status; -1 when the tool did not exit normally
  std::string out;
  std::string err;
};

constexpr int kExecFailed = 127;

// Runs the CLI with `args`, capturing stdout and stderr. With `as_nobody`
// the child drops to uid/gid 65534 first (losing every capability, as a
// root process does when all its uids become non-zero).
CliRun run_cli(const std::vector<std::string>& args, bool as_nobody = false) {
  CliRun r;
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return r;
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return r;
  }
  std::string path = cli_path();
  std::vector<char*> argv;
  argv.push_back(path.data());
  std::vector<std::string> copies = args;
  for (std::string& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    if (as_nobody) {
      if (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
          ::setresuid(65534, 65534, 65534) != 0)
        ::_exit(kExecFailed);
    }
    ::execv(path.c_str(), argv.data());
    ::_exit(kExecFailed);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (pid < 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return r;
  }
  // Read both pipes together so neither can fill up and stall the child.
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_pipes = 2;
  while (open_pipes > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  for (const pollfd& p : fds) {
    if (p.fd >= 0) ::close(p.fd);
  }
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(wstatus)) r.status = WEXITSTATUS(wstatus);
  return r;
}

std::string describe(const CliRun& r) {
  return "exit status " + std::to_string(r.status) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
}

json parse_json(const CliRun& r) {
  json doc = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(doc.is_discarded()) << "not JSON:\n" << describe(r);
  return doc;
}

const json* find_named(const json& array, const std::string& name) {
  for (const json& item : array) {
    if (item.value("name", "") == name) return &item;
  }
  return nullptr;
}

// The line of verifier_reject.bpf.c the verifier stops at, looked up in the
// source so that editing the comment above it does not break the test.
uint32_t rejected_source_line() {
  std::ifstream in(std::string(BPFXX_SOURCE_DIR) + "/tests/bpf/verifier_reject.bpf.c");
  std::string line;
  for (uint32_t n = 1; std::getline(in, line); ++n) {
    if (line.find("return *v == 7;") != std::string::npos) return n;
  }
  ADD_FAILURE() << "verifier_reject.bpf.c has no 'return *v == 7;' line";
  return 0;
}

// A file in a fresh temporary directory, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    std::string templ = (std::filesystem::temp_directory_path() / "bpfxx-cli-test-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
      return;
    }
    dir_ = templ;
    path_ = dir_ + "/not_an_object.o";
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_, path_;
};

std::set<std::string> bpffs_entries() {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/sys/fs/bpf", ec)) names.insert(e.path().filename());
  return names;
}

// --- no root needed: the CLI itself, obj show, unreadable input ---

TEST(CliTest, VersionAndHelp) {
  CliRun v = run_cli({"--version"});
  EXPECT_EQ(v.status, 0) << describe(v);
  EXPECT_EQ(v.out.rfind("bpfxx ", 0), 0u) << describe(v);
  CliRun h = run_cli({"obj", "--help"});
  EXPECT_EQ(h.status, 0) << describe(h);
  EXPECT_NE(h.out.find("show"), std::string::npos) << describe(h);
  EXPECT_NE(h.out.find("load"), std::string::npos) << describe(h);
}

TEST(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({}).status, 2);
  EXPECT_EQ(run_cli({"obj"}).status, 2);
  EXPECT_EQ(run_cli({"obj", "show"}).status, 2);
  EXPECT_EQ(run_cli({"obj", "show", "--no-such-flag", bpfxx::test::bpf_object("globals")}).status, 2);
  CliRun r = run_cli({"obj", "load", "--log-level", "9", bpfxx::test::bpf_object("globals")});
  EXPECT_EQ(r.status, 2) << describe(r);
}

TEST(CliTest, ShowTextTracepointCounter) {
  CliRun r = run_cli({"obj", "show", bpfxx::test::bpf_object("tracepoint_counter")});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_TRUE(r.err.empty()) << describe(r);
  for (const char* want : {"object tracepoint_counter", "little-endian", "\"GPL\"", "count_getppid",
                           "tracepoint/syscalls/sys_enter_getppid", "syscalls/sys_enter_getppid", "per_pid",
                           ".rodata", ".bss", ".data", "target_pid", "calls", "last_nr",
                           "const volatile __u32", "BPF_F_RDONLY_PROG", "BPF_F_MMAPABLE", "map_value", "map_fd"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << "missing '" << want << "'\n" << describe(r);
  }
}

TEST(CliTest, ShowTextMapsKindsAndGlobals) {
  CliRun m = run_cli({"obj", "show", bpfxx::test::bpf_object("maps_kinds")});
  ASSERT_EQ(m.status, 0) << describe(m);
  for (const char* want : {"array_map", "pinned_hash", "percpu_array", "percpu_hash", "lru_hash", "ringbuf",
                           "perf_events", "outer_array", "outer_hash", "jump_table", "prog_array", "by_name",
                           "0x5 (BPF_F_NO_PREALLOC|BPF_F_NUMA_NODE)", "array key 4 value 8 max_entries 4",
                           "tail_target", "use_maps"}) {
    EXPECT_NE(m.out.find(want), std::string::npos) << "missing '" << want << "'\n" << describe(m);
  }
  CliRun g = run_cli({"obj", "show", bpfxx::test::bpf_object("globals")});
  ASSERT_EQ(g.status, 0) << describe(g);
  for (const char* want : {"data_counter", "data_static", "ro_config", "const volatile config_t", "bss_config_ptr",
                           "struct config *", "custom_name", ".data.custom", "static", "global"}) {
    EXPECT_NE(g.out.find(want), std::string::npos) << "missing '" << want << "'\n" << describe(g);
  }
}

TEST(CliTest, ShowJsonTracepointCounterMatchesSpec) {
  std::string path = bpfxx::test::bpf_object("tracepoint_counter");
  auto spec = bpfxx::ObjectSpec::open(path);
  ASSERT_TRUE(spec) << spec.error().describe();
  CliRun r = run_cli({"obj", "show", "--json", path});
  ASSERT_EQ(r.status, 0) << describe(r);
  json doc = parse_json(r);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["object"]["name"], "tracepoint_counter");
  EXPECT_EQ(doc["object"]["endianness"], "little");
  EXPECT_EQ(doc["object"]["license"], "GPL");
  ASSERT_TRUE(doc["object"]["btf_types"].is_number());
  EXPECT_EQ(doc["object"]["btf_types"].get<uint32_t>(), spec->btf->type_count() - 1);

  ASSERT_EQ(doc["programs"].size(), 1u);
  const json& prog = doc["programs"][0];
  EXPECT_EQ(prog["name"], "count_getppid");
  EXPECT_EQ(prog["type"], "tracepoint");
  EXPECT_EQ(prog["attach_kind"], "tracepoint");
  EXPECT_EQ(prog["attach_target"], "syscalls/sys_enter_getppid");
  EXPECT_TRUE(prog["attach_type"].is_null());
  EXPECT_EQ(prog["insn_count"].get<size_t>(), spec->programs[0].insn_count());
  EXPECT_EQ(prog["autoload"], true);
  EXPECT_EQ(prog["relocations"].size(), spec->programs[0].relocations.size());

  ASSERT_EQ(doc["maps"].size(), spec->maps.size());
  const json* per_pid = find_named(doc["maps"], "per_pid");
  ASSERT_NE(per_pid, nullptr) << doc.dump(2);
  EXPECT_EQ((*per_pid)["type"], "hash");
  EXPECT_EQ((*per_pid)["key_size"], 4);
  EXPECT_EQ((*per_pid)["value_size"], 8);
  EXPECT_EQ((*per_pid)["max_entries"], 16);
  EXPECT_EQ((*per_pid)["key_type"], "__u32");
  const json* rodata = find_named(doc["maps"], ".rodata");
  ASSERT_NE(rodata, nullptr);
  EXPECT_EQ((*rodata)["flags"], 0x480);
  EXPECT_EQ((*rodata)["origin"], "data");
  EXPECT_EQ((*rodata)["read_only"], true);

  ASSERT_EQ(doc["variables"].size(), 3u);
  const json* target_pid = find_named(doc["variables"], "target_pid");
  ASSERT_NE(target_pid, nullptr);
  EXPECT_EQ((*target_pid)["section"], ".rodata");
  EXPECT_EQ((*target_pid)["size"], 4);
  EXPECT_EQ((*target_pid)["linkage"], "global");
  EXPECT_EQ((*target_pid)["type"], "const volatile __u32");
}

TEST(CliTest, ShowJsonMapsKinds) {
  CliRun r = run_cli({"obj", "show", "--json", bpfxx::test::bpf_object("maps_kinds")});
  ASSERT_EQ(r.status, 0) << describe(r);
  json doc = parse_json(r);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["programs"].size(), 2u);
  const json* ringbuf = find_named(doc["maps"], "ringbuf");
  ASSERT_NE(ringbuf, nullptr);
  EXPECT_EQ((*ringbuf)["type"], "ringbuf");
  EXPECT_EQ((*ringbuf)["max_entries"], 4096);
  const json* pinned = find_named(doc["maps"], "pinned_hash");
  ASSERT_NE(pinned, nullptr);
  EXPECT_EQ((*pinned)["type"], "hash");
  EXPECT_EQ((*pinned)["key_size"], 8);
  EXPECT_EQ((*pinned)["value_size"], 4);
  EXPECT_EQ((*pinned)["flags"], 5);
  EXPECT_EQ((*pinned)["flag_names"], json::array({"BPF_F_NO_PREALLOC", "BPF_F_NUMA_NODE"}));
  EXPECT_EQ((*pinned)["pinning"], "by_name");
  const json* outer = find_named(doc["maps"], "outer_array");
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ((*outer)["type"], "array_of_maps");
  ASSERT_TRUE((*outer)["inner"].is_object());
  EXPECT_EQ((*outer)["inner"]["type"], "array");
  EXPECT_EQ((*outer)["inner"]["max_entries"], 4);
  EXPECT_EQ((*outer)["initial_slots"].size(), 2u);
  const json* jump = find_named(doc["maps"], "jump_table");
  ASSERT_NE(jump, nullptr);
  EXPECT_EQ((*jump)["type"], "prog_array");
  ASSERT_EQ((*jump)["initial_slots"].size(), 1u);
  EXPECT_EQ((*jump)["initial_slots"][0]["index"], 1);
  EXPECT_EQ((*jump)["initial_slots"][0]["target"], "tail_target");
}

TEST(CliTest, ShowJsonMultiProgAndGlobals) {
  CliRun m = run_cli({"obj", "show", "--json", bpfxx::test::bpf_object("multi_prog")});
  ASSERT_EQ(m.status, 0) << describe(m);
  json doc = parse_json(m);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["programs"].size(), 13u);
  const json* off = find_named(doc["programs"], "not_autoloaded");
  ASSERT_NE(off, nullptr);
  EXPECT_EQ((*off)["autoload"], false);
  const json* drop = find_named(doc["programs"], "xdp_drop");
  ASSERT_NE(drop, nullptr);
  EXPECT_EQ((*drop)["section"], "xdp");
  EXPECT_EQ((*drop)["type"], "xdp");
  EXPECT_EQ((*drop)["attach_type"], "xdp");

  CliRun g = run_cli({"obj", "show", "--json", bpfxx::test::bpf_object("globals")});
  ASSERT_EQ(g.status, 0) << describe(g);
  json gdoc = parse_json(g);
  ASSERT_TRUE(gdoc.is_object());
  const json* ptr = find_named(gdoc["variables"], "bss_config_ptr");
  ASSERT_NE(ptr, nullptr);
  EXPECT_EQ((*ptr)["section"], ".bss");
  EXPECT_EQ((*ptr)["type"], "struct config *");
  const json* stat = find_named(gdoc["variables"], "data_static");
  ASSERT_NE(stat, nullptr);
  EXPECT_EQ((*stat)["linkage"], "static");
  EXPECT_EQ((*stat)["size"], 8);
}

TEST(CliTest, ShowNonElfExitsTwoWithMessage) {
  TempFile f("this is not an ELF file\n");
  CliRun r = run_cli({"obj", "show", f.path()});
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_TRUE(r.out.empty()) << describe(r);
  EXPECT_NE(r.err.find("error:"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find("ELF"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find(f.path()), std::string::npos) << describe(r);

  // With --json, stdout still holds one JSON document (as bpftool's JSON
  // mode prints its errors), for every command that opens the object.
  for (const char* command : {"show", "load", "check"}) {
    SCOPED_TRACE(command);
    CliRun json_run = run_cli({"obj", command, "--json", f.path()});
    EXPECT_EQ(json_run.status, 2) << describe(json_run);
    auto doc = nlohmann::json::parse(json_run.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << describe(json_run);
    EXPECT_EQ(doc["ok"], false);
    EXPECT_EQ(doc["file"], f.path());
    EXPECT_EQ(doc["error"]["code"], "invalid input");
    EXPECT_NE(doc["error"]["message"].get<std::string>().find("ELF"), std::string::npos) << describe(json_run);
  }
}

TEST(CliTest, ShowMissingFileExitsTwo) {
  CliRun r = run_cli({"obj", "show", "/nonexistent/bpfxx-cli-test.o"});
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_NE(r.err.find("No such file"), std::string::npos) << describe(r);
}

// Parsing fails before any syscall, so this needs no root.
TEST(CliTest, LoadNonElfExitsTwo) {
  TempFile f("\x7f" "ELF but cut short");
  CliRun r = run_cli({"obj", "load", f.path()});
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_NE(r.err.find("error:"), std::string::npos) << describe(r);
}

TEST(CliTest, LoadUnknownProgramIsUsageError) {
  CliRun r = run_cli({"obj", "load", "--program", "no_such_prog", bpfxx::test::bpf_object("multi_prog")});
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_NE(r.err.find("no_such_prog"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find("xdp_pass"), std::string::npos) << describe(r);  // lists the real ones
}

// --- obj load: needs root ---

TEST(CliTest, LoadTracepointCounterOk) {
  BPFXX_REQUIRE_ROOT();
  CliRun r = run_cli({"obj", "load", bpfxx::test::bpf_object("tracepoint_counter")});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_NE(r.out.find("count_getppid"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("ok ("), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("per_pid"), std::string::npos) << describe(r);
  EXPECT_EQ(r.out.find("FAILED"), std::string::npos) << describe(r);

  CliRun j = run_cli({"obj", "load", "--json", bpfxx::test::bpf_object("tracepoint_counter")});
  ASSERT_EQ(j.status, 0) << describe(j);
  json doc = parse_json(j);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["ok"], true);
  EXPECT_EQ(doc["setup"]["ok"], true);
  ASSERT_EQ(doc["programs"].size(), 1u);
  EXPECT_EQ(doc["programs"][0]["name"], "count_getppid");
  EXPECT_EQ(doc["programs"][0]["verdict"], "ok");
  ASSERT_TRUE(doc["programs"][0]["insn_count"].is_number());
  EXPECT_GT(doc["programs"][0]["insn_count"].get<int>(), 0);
  EXPECT_EQ(doc["summary"]["loaded"], 1);
}

TEST(CliTest, LoadVerifierRejectFailsWithLogAndLine) {
  BPFXX_REQUIRE_ROOT();
  uint32_t line = rejected_source_line();
  CliRun r = run_cli({"obj", "load", bpfxx::test::bpf_object("verifier_reject")});
  ASSERT_EQ(r.status, 1) << describe(r);
  EXPECT_NE(r.out.find("unchecked_lookup"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("FAILED"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("invalid mem access"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("verifier_reject.bpf.c:" + std::to_string(line)), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("verifier log:"), std::string::npos) << describe(r);

  CliRun j = run_cli({"obj", "load", "--json", bpfxx::test::bpf_object("verifier_reject")});
  ASSERT_EQ(j.status, 1) << describe(j);
  json doc = parse_json(j);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["setup"]["ok"], true);  // the map was fine: only the program failed
  ASSERT_EQ(doc["programs"].size(), 1u);
  const json& p = doc["programs"][0];
  EXPECT_EQ(p["verdict"], "failed");
  ASSERT_TRUE(p["verifier_log"].is_string());
  EXPECT_NE(p["verifier_log"].get<std::string>().find("invalid mem access"), std::string::npos);
  ASSERT_TRUE(p["source_line"].is_object()) << p.dump(2);
  EXPECT_EQ(p["source_line"]["line"], line);
  EXPECT_NE(p["source_line"]["file"].get<std::string>().find("verifier_reject.bpf.c"), std::string::npos);
  EXPECT_EQ(p["error"]["code"], "verifier rejected");
  EXPECT_NE(p["error"]["summary"].get<std::string>().find("unchecked_lookup"), std::string::npos);
}

// Each program gets its own verdict, whatever happens to the others, and a
// program with autoload off is reported as skipped unless named.
TEST(CliTest, LoadMultiProgReportsEachProgram) {
  BPFXX_REQUIRE_ROOT();
  CliRun r = run_cli({"obj", "load", "--json", bpfxx::test::bpf_object("multi_prog")});
  ASSERT_TRUE(r.status == 0 || r.status == 1) << describe(r);
  json doc = parse_json(r);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["programs"].size(), 13u);
  EXPECT_EQ(doc["ok"], r.status == 0);
  for (const char* name : {"on_tracepoint", "on_kprobe", "xdp_pass", "xdp_drop", "tc_prog", "socket_prog"}) {
    const json* p = find_named(doc["programs"], name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_EQ((*p)["verdict"], "ok") << p->dump(2);
  }
  const json* off = find_named(doc["programs"], "not_autoloaded");
  ASSERT_NE(off, nullptr);
  EXPECT_EQ((*off)["verdict"], "skipped");

  CliRun named = run_cli({"obj", "load", "--program", "not_autoloaded", "--program", "xdp_drop",
                       bpfxx::test::bpf_object("multi_prog")});
  ASSERT_EQ(named.status, 0) << describe(named);
  EXPECT_NE(named.out.find("not_autoloaded"), std::string::npos) << describe(named);
  EXPECT_EQ(named.out.find("xdp_pass"), std::string::npos) << describe(named);  // not selected
}

// Program arrays with initial slots and a map pinned by name load, and the
// tool leaves nothing pinned behind.
TEST(CliTest, LoadMapsKindsLeavesNoPins) {
  BPFXX_REQUIRE_ROOT();
  bpfxx::test::ensure_bpffs();
  std::set<std::string> before = bpffs_entries();
  CliRun r = run_cli({"obj", "load", bpfxx::test::bpf_object("maps_kinds")});
  EXPECT_EQ(r.status, 0) << describe(r);
  EXPECT_NE(r.out.find("use_maps"), std::string::npos) << describe(r);
  // Programs load one at a time here: no note blames an autoload setting
  // for the program array's slot (the tool turned it off, not the object).
  EXPECT_EQ(r.out.find("left empty"), std::string::npos) << describe(r);
  for (const std::string& name : bpffs_entries()) {
    EXPECT_TRUE(before.count(name)) << "left behind in /sys/fs/bpf: " << name;
  }
}

// Without privileges the load fails with the library's permission message
// and a hint, not a crash. As root the child drops to nobody first.
TEST(CliTest, LoadWithoutRootSaysPermissionDenied) {
  // A world-readable copy: the test object's directory may not be.
  TempFile copy("");
  std::filesystem::copy_file(bpfxx::test::bpf_object("tracepoint_counter"), copy.path(),
                             std::filesystem::copy_options::overwrite_existing);
  ::chmod(copy.dir().c_str(), 0755);
  ::chmod(copy.path().c_str(), 0644);
  CliRun r = run_cli({"obj", "load", copy.path()}, /*as_nobody=*/::geteuid() == 0);
  if (r.status == kExecFailed) GTEST_SKIP() << "cannot run the CLI as nobody: " << describe(r);
  ASSERT_EQ(r.status, 1) << describe(r);
  EXPECT_NE(r.out.find("FAILED"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("Operation not permitted"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("run as root"), std::string::npos) << describe(r);

  CliRun j = run_cli({"obj", "load", "--json", copy.path()}, ::geteuid() == 0);
  ASSERT_EQ(j.status, 1) << describe(j);
  json doc = parse_json(j);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["setup"]["ok"], false);
  EXPECT_EQ(doc["setup"]["error"]["code"], "permission denied");
}

}  // namespace

namespace {

// `obj check`: CO-RE portability without loading anything. core_task has a
// reachable poisoned read (a problem: exit 1), execsnoop none (exit 0).
TEST(CliCheckTest, ReportsEveryRelocationAndTheProblems) {
  CliRun r = run_cli({"obj", "check", bpfxx::test::bpf_object("core_task")});
  EXPECT_EQ(r.status, 1) << describe(r);
  EXPECT_NE(r.out.find("task_struct->pid"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("POISONED, reachable"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("poisoned, guarded"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("has no member 'bpfxx_no_such_field'"), std::string::npos) << describe(r);

  CliRun ok = run_cli({"obj", "check", bpfxx::test::bpf_object("execsnoop"), "--btf", "/sys/kernel/btf/vmlinux", "--json"});
  EXPECT_EQ(ok.status, 0) << describe(ok);
  json doc = parse_json(ok);
  EXPECT_EQ(doc["problems"], 0);
  ASSERT_FALSE(doc["relocations"].empty());
  for (const json& rel : doc["relocations"]) EXPECT_EQ(rel["outcome"], "resolved") << rel.dump();

  CliRun bad = run_cli({"obj", "check", bpfxx::test::bpf_object("execsnoop"), "--btf", "/nonexistent.btf"});
  EXPECT_EQ(bad.status, 2) << describe(bad);
}

}  // namespace
