// <bpf/bpf_core_read.h>: every macro compiles (tests/bpf/core_macros.bpf.c,
// both byte orders) and yields relocations that resolve against the
// running kernel; bpf_core_type_matches() on a clang without that
// relocation kind is a clear compile error rather than a backend crash.
#include "unit/reloc/core_test_util.hpp"

#include <bpfxx/object_spec.hpp>

#include "base/mapped_file.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace bpfxx::test {
namespace {

TEST(CoreHeader, EveryMacroRelocatesAgainstTheRunningKernel) {
  auto file = detail::MappedFile::open("/sys/kernel/btf/vmlinux");
  if (!file) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux: " << file.error().summary();
  auto kernel = btf::Spec::parse((*file)->bytes(), *file);
  ASSERT_TRUE(kernel) << kernel.error().describe();
  btf::TypeId task = kernel->find("task_struct", btf::Kind::Struct).value();
  uint32_t comm = 0;
  for (const btf::Member& m : kernel->type(task)->members())
    if (m.name == "comm") comm = m.bit_offset / 8;
  ASSERT_NE(comm, 0u);
  for (bool be : {false, true}) {
    SCOPED_TRACE(be ? "bpfeb" : "bpfel");
    auto spec = ObjectSpec::open(bpf_object("core_macros", be));
    ASSERT_TRUE(spec) << spec.error().describe();
    ASSERT_EQ(spec->externs.size(), 1u);  // bpf_core_cast's kfunc
    EXPECT_EQ(spec->externs[0].name, "bpf_rdonly_cast");
    auto reports = check_portability(*spec, *kernel);
    ASSERT_TRUE(reports) << reports.error().describe();
    EXPECT_GE(reports->size(), 30u);
    for (const CoreReport& r : *reports) {
      EXPECT_NE(r.outcome, CoreOutcome::Failed) << r.describe();
      // Only the made-up types (user data, bitfields) are missing.
      if (r.outcome == CoreOutcome::Poisoned) {
        EXPECT_TRUE(r.access.starts_with("core_")) << r.describe();
      }
    }
    const CoreReport* c3 = find_report(*reports, btf::CoreReloKind::FieldByteOffset, "task_struct->comm[3]");
    ASSERT_NE(c3, nullptr);
    EXPECT_EQ(c3->target_value, comm + 3u);
  }
}

// Runs clang on a snippet; returns its exit status and output.
std::pair<int, std::string> compile_snippet(const std::string& body) {
  char path[] = "/tmp/bpfxx_core_header_XXXXXX.c";
  int fd = ::mkstemps(path, 2);
  if (fd < 0) return {-1, "mkstemps failed"};
  ::close(fd);
  std::ofstream(path) << "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n#include <bpf/bpf_core_read.h>\n"
                      << body;
  std::string cmd = std::string(BPFXX_CLANG) + " -target bpf -O2 -g -fsyntax-only -I" + BPFXX_BPF_INCLUDE_DIR +
                    " -I" + BPFXX_BPF_GEN_INCLUDE + " -I/usr/include/x86_64-linux-gnu " + path + " 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  char buf[512];
  while (std::fgets(buf, sizeof(buf), p) != nullptr) out += buf;
  int status = ::pclose(p);
  ::unlink(path);
  return {status, out};
}

int clang_major() {
  std::string cmd = std::string(BPFXX_CLANG) + " -dM -E -x c /dev/null 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  int major = 0;
  char buf[256];
  while (p != nullptr && std::fgets(buf, sizeof(buf), p) != nullptr) {
    std::sscanf(buf, "#define __clang_major__ %d", &major);
  }
  if (p != nullptr) ::pclose(p);
  return major;
}

TEST(CoreHeader, TypeMatchesNeedsClang15) {
  int major = clang_major();
  ASSERT_GT(major, 0) << "cannot ask " << BPFXX_CLANG << " for its version";
  auto [status, out] = compile_snippet(
      "struct task_struct { int pid; } __attribute__((preserve_access_index));\n"
      "SEC(\"raw_tp/x\") int f(void *ctx) { return bpf_core_type_matches(struct task_struct); }\n"
      "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
  if (major >= 15) {
    EXPECT_EQ(status, 0) << out;
  } else {
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("bpf_core_type_matches() needs clang >= 15"), std::string::npos) << out;
  }
}

// bpf_tracing.h: a typed kprobe asking for more register arguments than the
// architecture passes says so, instead of reading another register.
TEST(TracingHeader, MoreArgumentsThanRegistersIsAClearError) {
  for (auto [arch, limit] : {std::pair{"arm", "4"}, std::pair{"s390", "5"}}) {
    auto [status, out] = compile_snippet(std::string("#define __TARGET_ARCH_") + arch +
                                         "\n#include <bpf/bpf_tracing.h>\n"
                                         "struct pt_regs;\n"
                                         "SEC(\"kprobe/f\") int BPF_KPROBE(f, long a, long b, long c, long d, long e, "
                                         "long g) { return a + e + g; }\n"
                                         "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
    EXPECT_NE(status, 0) << arch;
    EXPECT_NE(out.find(std::string(arch) + " passes only " + limit + " function arguments in registers"),
              std::string::npos)
        << out;
  }
}

}  // namespace
}  // namespace bpfxx::test
