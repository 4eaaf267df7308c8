// Kernel BTF: shared once per process, the same types from a file (raw and
// ELF .BTF), split BTF on top of a base, and clear errors for missing files
// and modules.
#include <bpfxx/kernel_btf.hpp>

#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace bpfxx::test {
namespace {

TEST(KernelBtf, SharedOncePerProcess) {
  auto a = kernel_btf();
  ASSERT_TRUE(a) << a.error().describe();
  auto b = kernel_btf();
  ASSERT_TRUE(b);
  EXPECT_EQ(a->get(), b->get());
  EXPECT_TRUE((*a)->find("task_struct", btf::Kind::Struct));
}

TEST(KernelBtf, FromRawFileAndFromElf) {
  auto raw = open_btf_file("/sys/kernel/btf/vmlinux");
  ASSERT_TRUE(raw) << raw.error().describe();
  EXPECT_GT((*raw)->type_count(), 1000u);
  // A BPF object is an ELF with a .BTF section.
  auto obj = open_btf_file(bpf_object("tracepoint_counter"));
  ASSERT_TRUE(obj) << obj.error().describe();
  EXPECT_TRUE((*obj)->find("syscall_enter", btf::Kind::Struct));
}

TEST(KernelBtf, MissingFileAndModuleAreClear) {
  auto missing = open_btf_file("/nonexistent/vmlinux.btf");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::NotFound);
  auto module = kernel_module_btf("bpfxx_no_such_module");
  ASSERT_FALSE(module);
  EXPECT_NE(module.error().message().find("bpfxx_no_such_module"), std::string::npos);
  EXPECT_FALSE(module.error().hint().empty());
}

TEST(KernelBtf, ElfWithoutBtfSaysSo) {
  // The test binary itself is an ELF without .BTF.
  auto r = open_btf_file("/proc/self/exe");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::NotFound);
  EXPECT_NE(r.error().message().find(".BTF"), std::string::npos) << r.error().describe();
}

}  // namespace
}  // namespace bpfxx::test
