// `bpfxx btf dump`, the built CLI run as a subprocess: a raw BTF file and an
// ELF object's .BTF, C and raw formats, --filter-object, -o, and a clear
// failure for a file that is neither.
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace bpfxx::codegen {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int status = -1;
  std::string out;  // stdout and stderr together
};

CliRun run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), BPFXX_CLI);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  fs::path log = fs::temp_directory_path() / ("bpfxx-cli-" + std::to_string(::getpid()) + ".log");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  CliRun r;
  if (::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::stringstream ss;
    ss << std::ifstream(log).rdbuf();
    r.out = ss.str();
  }
  posix_spawn_file_actions_destroy(&actions);
  std::error_code ec;
  fs::remove(log, ec);
  return r;
}

TEST(BtfDumpCli, ObjectBtfAsCAndRaw) {
  std::string object = test::bpf_object("globals");
  CliRun c = run_cli({"btf", "dump", object});
  ASSERT_EQ(c.status, 0) << c.out;
  EXPECT_EQ(c.out.rfind("#ifndef __VMLINUX_H__\n", 0), 0u) << c.out.substr(0, 200);
  EXPECT_NE(c.out.find("#endif /* __VMLINUX_H__ */\n"), std::string::npos);

  CliRun raw = run_cli({"btf", "dump", object, "--format", "raw"});
  ASSERT_EQ(raw.status, 0) << raw.out;
  EXPECT_EQ(raw.out.rfind("[1] ", 0), 0u) << raw.out.substr(0, 200);
  EXPECT_NE(raw.out.find(" DATASEC '"), std::string::npos) << raw.out;
}

TEST(BtfDumpCli, KernelBtfFilteredToAnObjectIntoAFile) {
  if (!fs::exists("/sys/kernel/btf/vmlinux")) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
  fs::path out = fs::temp_directory_path() / ("bpfxx-cli-" + std::to_string(::getpid()) + ".h");
  CliRun r = run_cli({"btf", "dump", "/sys/kernel/btf/vmlinux", "--filter-object", test::bpf_object("globals"), "-o",
                   out.string()});
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "");  // the header went to the file
  std::stringstream ss;
  ss << std::ifstream(out).rdbuf();
  std::error_code ec;
  fs::remove(out, ec);
  EXPECT_NE(ss.str().find("typedef unsigned int __u32;"), std::string::npos) << ss.str().substr(0, 500);
  EXPECT_LT(ss.str().size(), 100000u) << "filtered, not all of vmlinux";
}

TEST(BtfDumpCli, NeitherBtfNorElfIsAUsageError) {
  fs::path bogus = fs::temp_directory_path() / ("bpfxx-cli-" + std::to_string(::getpid()) + ".bin");
  std::ofstream(bogus) << "not btf at all";
  CliRun r = run_cli({"btf", "dump", bogus.string()});
  std::error_code ec;
  fs::remove(bogus, ec);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("neither raw BTF"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(bogus.string()), std::string::npos) << r.out;
}

}  // namespace
}  // namespace bpfxx::codegen
