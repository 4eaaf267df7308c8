// CO-RE on the running kernel: a program declaring only part of
// task_struct, with its own field order, reads this process's pid, tgid,
// comm, parent and start time, and they agree with /proc; a read of a field
// no kernel has loads when guarded and, unguarded, fails with an error
// that names the access, the source line and what the kernel lacks.
#include <bpfxx/object.hpp>

#include "kernel/kernel_helpers.hpp"
#include "load/kernel_btf.hpp"

#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace bpfxx::test {
namespace {

class CoreKernelTest : public testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ensure_tracefs();
  }
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Field 22 of /proc/self/stat: the start time in clock ticks since boot.
// The command name (field 2) may hold spaces, so count after its ')'.
uint64_t proc_start_ticks() {
  std::string stat = read_text("/proc/self/stat");
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  for (int i = 3; i <= 22; ++i) rest >> field;
  return std::stoull(field);
}

int64_t clock_ns(clockid_t id) {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

TEST_F(CoreKernelTest, PartialTaskStructReadsWhatProcSays) {
  ObjectSpec spec = spec_for_this_process("core_task");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto read = obj->program("read_task")->attach();
  ASSERT_TRUE(read) << read.error().describe();
  auto guarded = obj->program("guarded_missing")->attach();
  ASSERT_TRUE(guarded) << guarded.error().describe();
  ::syscall(SYS_getppid);
  read->detach();
  guarded->detach();

  ASSERT_GE(read_global<uint64_t>(*obj, spec, "calls"), 1u);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "task_pid"), static_cast<uint32_t>(::syscall(SYS_gettid)));
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "task_tgid"), static_cast<uint32_t>(::getpid()));
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "parent_tgid"), static_cast<uint32_t>(::getppid()));

  std::string comm = read_text("/proc/self/comm");
  if (!comm.empty() && comm.back() == '\n') comm.pop_back();
  auto raw = read_global<std::array<char, 16>>(*obj, spec, "task_comm");
  EXPECT_EQ(std::string(raw.data(), strnlen(raw.data(), raw.size())), comm);

  // task_struct::start_time counts CLOCK_MONOTONIC; /proc reports boot time
  // (which also counts suspend) in ticks. Shift by the clocks' current gap
  // and allow one tick each way for the conversion's rounding.
  uint64_t start_ns = read_global<uint64_t>(*obj, spec, "task_start_time");
  int64_t suspended_ns = clock_ns(CLOCK_BOOTTIME) - clock_ns(CLOCK_MONOTONIC);
  double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
  double ticks = static_cast<double>(static_cast<int64_t>(start_ns) + suspended_ns) * hz / 1e9;
  EXPECT_NEAR(ticks, static_cast<double>(proc_start_ticks()), 1.0) << "start_time " << start_ns << " ns";

  // The guard saw a kernel without the field and took the other branch;
  // the poisoned read it skipped is noted.
  EXPECT_EQ(read_global<int64_t>(*obj, spec, "guarded_value"), -1);
  bool noted = false;
  for (const std::string& n : obj->notes()) {
    noted |= n.find("program 'guarded_missing': CO-RE relocation of task_struct___future->bpfxx_no_such_field") !=
             std::string::npos;
  }
  EXPECT_TRUE(noted);
}

TEST_F(CoreKernelTest, UnguardedMissingFieldIsExplained) {
  ObjectSpec spec = spec_for_this_process("core_task");
  spec.program("unguarded_missing")->autoload = true;
  auto obj = Object::load(spec);
  ASSERT_FALSE(obj);
  const Error& e = obj.error();
  std::cout << e.describe();  // what a user sees, for the record
  EXPECT_EQ(e.code(), Errc::RelocationFailed);
  EXPECT_EQ(e.program(), "unguarded_missing");
  EXPECT_EQ(e.object(), "core_task");
  EXPECT_NE(e.message().find("task_struct___future->bpfxx_no_such_field"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("the target's struct task_struct has no member 'bpfxx_no_such_field'"),
            std::string::npos)
      << e.message();
  ASSERT_TRUE(e.source_line().has_value());
  EXPECT_NE(e.source_line()->file.find("core_task.bpf.c"), std::string::npos);
  EXPECT_NE(e.source_line()->text.find("BPF_CORE_READ(task, bpfxx_no_such_field)"), std::string::npos)
      << e.source_line()->text;
  EXPECT_NE(e.verifier_log().find("unknown#195896080"), std::string::npos);
  EXPECT_NE(e.hint().find("bpf_core_field_exists"), std::string::npos);
}

TEST_F(CoreKernelTest, KernelBtfIsParsedOncePerProcess) {
  auto before = detail::running_kernel_btf();
  ASSERT_TRUE(before) << before.error().describe();
  for (int i = 0; i < 3; ++i) {
    ObjectSpec spec = spec_for_this_process("core_task");
    auto obj = Object::load(spec);
    ASSERT_TRUE(obj) << obj.error().describe();
  }
  auto after = detail::running_kernel_btf();
  ASSERT_TRUE(after);
  EXPECT_EQ(before->get(), after->get());
}

}  // namespace
}  // namespace bpfxx::test
