// Externs against the running kernel: .kconfig values agree with its config,
// a typeless ksym with kallsyms, kfuncs run, missing strong externs are clear
// errors and missing weak ones read as absent.
#include <bpfxx/object.hpp>

#include "kernel/kernel_helpers.hpp"
#include "load/externs_load.hpp"
#include "support/kernel_expect.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/syscall.h>
#include <sys/utsname.h>

namespace bpfxx::test {
namespace {

class ExternsTest : public testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ensure_tracefs();
  }
};

reloc::KconfigValues this_kernel_config() {
  auto v = detail::system_kconfig("");
  EXPECT_TRUE(v) << v.error().describe();
  return v ? *v : reloc::KconfigValues{};
}

TEST_F(ExternsTest, KconfigValuesAgreeWithTheKernelsConfig) {
  ObjectSpec spec = spec_for_this_process("externs");
  spec.program("call_kfuncs")->autoload = false;  // kfuncs have their own test
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto link = obj->program("read_kconfig")->attach();
  ASSERT_TRUE(link) << link.error().describe();
  ::syscall(SYS_getppid);

  reloc::KconfigValues config = this_kernel_config();
  utsname u{};
  ::uname(&u);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "seen_version"), *detail::kernel_version_of(u.release));
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "seen_jit"), config["CONFIG_BPF_JIT"] == "y" ? 1u : 0u);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "seen_syscall"), 1u);  // TRI_YES
  EXPECT_EQ(read_global<int32_t>(*obj, spec, "seen_hz"), std::stoi(config["CONFIG_HZ"]));
  EXPECT_EQ(read_global<int32_t>(*obj, spec, "seen_nr_cpus"), std::stoi(config["CONFIG_NR_CPUS"]));
  EXPECT_EQ(read_global<int32_t>(*obj, spec, "seen_missing"), 0);  // __weak and absent
  std::string hostname = config["CONFIG_DEFAULT_HOSTNAME"];
  hostname = hostname.substr(1, hostname.size() - 2);
  auto bytes = read_global<std::array<char, 16>>(*obj, spec, "seen_hostname");
  EXPECT_EQ(std::string(bytes.data()), hostname);

  // The typeless ksym is _stext's address from kallsyms.
  std::ifstream kallsyms("/proc/kallsyms");
  std::string addr, type, name;
  uint64_t stext = 0;
  while (kallsyms >> addr >> type >> name) {
    if (name == "_stext") stext = std::stoull(addr, nullptr, 16);
    std::getline(kallsyms, name);
  }
  ASSERT_NE(stext, 0u);
  EXPECT_EQ(read_global<uint64_t>(*obj, spec, "seen_stext"), stext);
}

// x86_64 kernels since 4.17 (this one and the 6.1 guest) reach syscalls
// through wrappers; the answer comes from the wrapper of bpf() in the
// kernel's BTF, and only when asked for.
TEST_F(ExternsTest, SyscallWrapperIsFoundInTheKernelsBtf) {
  auto asked = detail::system_kconfig("", true);
  ASSERT_TRUE(asked) << asked.error().describe();
  auto it = asked->find("LINUX_HAS_SYSCALL_WRAPPER");
  ASSERT_NE(it, asked->end());
  EXPECT_EQ(it->second, "y");
  auto not_asked = detail::system_kconfig("", false);
  ASSERT_TRUE(not_asked) << not_asked.error().describe();
  EXPECT_EQ(not_asked->count("LINUX_HAS_SYSCALL_WRAPPER"), 0u);
}

TEST_F(ExternsTest, KernelVersionOfReleaseStrings) {
  EXPECT_EQ(detail::kernel_version_of("6.18.44-fc-v669"), 0x6122cu);
  EXPECT_EQ(detail::kernel_version_of("6.1.0-56-amd64"), 0x60100u);
  EXPECT_EQ(detail::kernel_version_of("5.4.300"), (5u << 16) | (4u << 8) | 255u);  // patch saturates
  EXPECT_FALSE(detail::kernel_version_of("garbage"));
}

TEST_F(ExternsTest, KfuncsRunFromASyscallProgram) {
  BPFXX_NEEDS_FEATURE(task_kfuncs, "task_kfuncs");
  ASSERT_TRUE(task_kfuncs);  // no kernel lists it as refused: it works, or the test skips as newer
  ObjectSpec spec = spec_for_this_process("externs");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto run = obj->program("call_kfuncs")->test_run();
  ASSERT_TRUE(run) << run.error().describe();
  EXPECT_EQ(run->retval, 0u);  // bpf_task_acquire returned the task, and it was released
  EXPECT_EQ(read_global<uint64_t>(*obj, spec, "kfunc_calls"), 1u);
}

ObjectSpec only(const char* program) {
  ObjectSpec spec = open_spec("externs_missing");
  for (ProgramSpec& p : spec.programs) p.autoload = p.name == program;
  return spec;
}

TEST_F(ExternsTest, MissingStrongKfuncIsAClearError) {
  auto obj = Object::load(only("strong_missing"));
  ASSERT_FALSE(obj);
  EXPECT_EQ(obj.error().code(), Errc::NotFound);
  EXPECT_EQ(obj.error().program(), "strong_missing");
  EXPECT_NE(obj.error().message().find("bpfxx_no_such_kfunc"), std::string::npos) << obj.error().describe();
  EXPECT_NE(obj.error().hint().find("__weak"), std::string::npos);
}

TEST_F(ExternsTest, MissingWeakExternsReadAsAbsent) {
  ObjectSpec spec = only("weak_missing");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto run = obj->program("weak_missing")->test_run();
  ASSERT_TRUE(run) << run.error().describe();
  EXPECT_EQ(run->retval, 7u);
  EXPECT_EQ(read_global<uint64_t>(*obj, spec, "weak_value_was_null"), 1u);
}

TEST_F(ExternsTest, ReachableCallOfAMissingWeakKfuncNamesIt) {
  auto obj = Object::load(only("weak_unguarded"));
  ASSERT_FALSE(obj);
  EXPECT_EQ(obj.error().code(), Errc::NotFound);
  EXPECT_EQ(obj.error().program(), "weak_unguarded");
  EXPECT_NE(obj.error().message().find("calls kfunc 'bpfxx_no_such_weak_kfunc'"), std::string::npos)
      << obj.error().describe();
  EXPECT_NE(obj.error().hint().find("bpf_ksym_exists(bpfxx_no_such_weak_kfunc)"), std::string::npos);
  ASSERT_TRUE(obj.error().source_line()) << obj.error().describe();
  EXPECT_NE(obj.error().source_line()->text.find("bpfxx_no_such_weak_kfunc(2)"), std::string::npos)
      << obj.error().describe();
  EXPECT_FALSE(obj.error().verifier_log().empty());
}

// Typed ksyms of kernel variables: the kernel resolves them through kallsyms
// data symbols, which only CONFIG_KALLSYMS_ALL kernels list.
TEST_F(ExternsTest, TypedPerCpuKsymLoadsOrIsRefusedClearly) {
  BPFXX_NEEDS_FEATURE(kallsyms_data, "kallsyms_data");
  auto obj = Object::load(only("typed_percpu"));
  if (!kallsyms_data) {
    ASSERT_FALSE(obj);
    EXPECT_EQ(obj.error().program(), "typed_percpu");
    EXPECT_NE(obj.error().verifier_log().find("bpf_prog_active"), std::string::npos) << obj.error().describe();
    return;
  }
  ASSERT_TRUE(obj) << obj.error().describe();
  auto run = obj->program("typed_percpu")->test_run();
  ASSERT_TRUE(run) << run.error().describe();
  EXPECT_EQ(run->retval, 3u);
}

TEST_F(ExternsTest, MissingKernelConfigIsAClearError) {
  auto obj = Object::load(spec_for_this_process("externs"), {.kconfig_path = "/nonexistent/config"});
  ASSERT_FALSE(obj);
  EXPECT_EQ(obj.error().code(), Errc::NotFound);
  EXPECT_NE(obj.error().message().find("/nonexistent/config"), std::string::npos) << obj.error().describe();
}

}  // namespace
}  // namespace bpfxx::test
