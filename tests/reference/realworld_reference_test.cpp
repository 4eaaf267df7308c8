// Reference check against libbpf: every tracing tool in tests/bpf/realworld
// loads with bpfxx exactly when it loads with bpftool (libbpf 1.1) on this
// kernel. libbpf runs as an external program; nothing of bpfxx links it.
#include <bpfxx/object.hpp>

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace bpfxx::test {
namespace {

bool bpftool_loads(const std::string& object) {
  std::string dir = "/sys/fs/bpf/bpfxx_ref_" + std::to_string(::getpid());
  std::string cmd = "bpftool prog loadall " + object + " " + dir + " >/dev/null 2>&1";
  bool ok = std::system(cmd.c_str()) == 0;
  std::system(("rm -rf " + dir).c_str());
  return ok;
}

TEST(LibbpfReference, RealWorldToolsLoadWhereLibbpfLoadsThem) {
  BPFXX_REQUIRE_ROOT();
  ensure_bpffs();
  struct stat st {};
  bool have_bpftool = ::stat("/usr/sbin/bpftool", &st) == 0;
  if (!have_bpftool && kernel_tests_required()) FAIL() << "bpftool (Debian package bpftool) is not installed";
  if (!have_bpftool) GTEST_SKIP() << "bpftool is not installed";
  for (const char* tool : {"execsnoop", "opensnoop", "runqlat"}) {
    std::string path = bpf_object(tool);
    bool libbpf = bpftool_loads(path);
    auto obj = Object::open_and_load(path);
    EXPECT_EQ(obj.has_value(), libbpf) << tool << ": libbpf " << (libbpf ? "loads" : "does not load")
                                       << ", bpfxx: " << (obj ? "loads" : obj.error().describe());
    EXPECT_TRUE(libbpf) << tool;
  }
}

}  // namespace
}  // namespace bpfxx::test
