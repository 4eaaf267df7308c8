// Loading real objects: global data read back after the program ran, .rodata
// set before load changing behaviour, verifier rejections with their log and
// source line, and nothing left behind when a load fails.
#include <bpfxx/object.hpp>

#include "kernel/kernel_helpers.hpp"

#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

namespace bpfxx::test {
namespace {

class ObjectLoadTest : public testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ensure_tracefs();
  }
};

TEST_F(ObjectLoadTest, TracepointCountsIntoBssDataAndHashMap) {
  ObjectSpec spec = spec_for_this_process("tracepoint_counter");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto link = obj->program("count_getppid")->attach();
  ASSERT_TRUE(link) << link.error().describe();
  EXPECT_EQ(link->description(), "tracepoint syscalls/sys_enter_getppid");
  EXPECT_EQ(link->mechanism(), LinkMechanism::BpfLink);
  constexpr int kCalls = 7;
  for (int i = 0; i < kCalls; ++i) ::syscall(SYS_getppid);
  link->detach();
  ::syscall(SYS_getppid);  // after detach: not counted

  EXPECT_EQ(read_global<uint64_t>(*obj, spec, "calls"), uint64_t{kCalls});
  EXPECT_EQ(read_global<uint64_t>(*obj, spec, "last_nr"), uint64_t{SYS_getppid});
  uint32_t pid = static_cast<uint32_t>(::getpid());
  auto per_pid = obj->map("per_pid")->lookup_as<uint64_t>(pid);
  ASSERT_TRUE(per_pid) << per_pid.error().describe();
  EXPECT_EQ(*per_pid, uint64_t{kCalls});
}

TEST_F(ObjectLoadTest, GlobalDataIsMmapableAndWritable) {
  ObjectSpec spec = spec_for_this_process("tracepoint_counter");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto data = obj->map(".data")->mmap_data();
  ASSERT_TRUE(data) << data.error().describe();
  const VariableSpec* last_nr = spec.map(".data")->variable("last_nr");
  ASSERT_NE(last_nr, nullptr);
  uint64_t initial = 0;
  std::memcpy(&initial, data->data() + last_nr->offset, sizeof(initial));
  EXPECT_EQ(initial, 42u);  // the C initialiser
  auto link = obj->program("count_getppid")->attach();
  ASSERT_TRUE(link) << link.error().describe();
  ::syscall(SYS_getppid);
  uint64_t now = 0;
  std::memcpy(&now, data->data() + last_nr->offset, sizeof(now));
  EXPECT_EQ(now, uint64_t{SYS_getppid});  // the program's write, seen through the mapping

  // .rodata is frozen: its mapping is read-only and updates are refused.
  auto rodata = obj->map(".rodata");
  const uint32_t key = 0;
  std::vector<std::byte> value(rodata->value_buffer_size());
  auto upd = rodata->update(std::as_bytes(std::span<const uint32_t, 1>(&key, 1)), value);
  EXPECT_FALSE(upd);
}

TEST_F(ObjectLoadTest, RodataSetBeforeLoadChangesBehaviour) {
  for (auto [multiplier, square, expected] : {std::tuple{uint64_t{3}, false, uint64_t{21}},
                                              std::tuple{uint64_t{5}, false, uint64_t{35}},
                                              std::tuple{uint64_t{5}, true, uint64_t{49}}}) {
    ObjectSpec spec = spec_for_this_process("rodata_config");
    ASSERT_TRUE(spec.set_variable("multiplier", multiplier));
    ASSERT_TRUE(spec.set_variable("use_square", square));
    auto obj = Object::load(spec);
    ASSERT_TRUE(obj) << obj.error().describe();
    auto link = obj->program("configured")->attach();
    ASSERT_TRUE(link) << link.error().describe();
    ::syscall(SYS_getppid);
    link->detach();
    EXPECT_EQ(read_global<uint64_t>(*obj, spec, "runs"), 1u);
    EXPECT_EQ(read_global<uint64_t>(*obj, spec, "result"), expected) << "multiplier " << multiplier;
  }
}

TEST_F(ObjectLoadTest, VerifierRejectionCarriesLogAndSourceLine) {
  size_t fds_before = open_fd_count();
  auto obj = Object::load(open_spec("verifier_reject"));
  ASSERT_FALSE(obj);
  const Error& e = obj.error();
  EXPECT_EQ(e.code(), Errc::VerifierRejected);
  EXPECT_EQ(e.sys_errno(), EACCES);
  EXPECT_EQ(e.program(), "unchecked_lookup");
  EXPECT_EQ(e.object(), "verifier_reject");
  EXPECT_EQ(e.op(), "BPF_PROG_LOAD");
  EXPECT_NE(e.verifier_log().find("invalid mem access"), std::string::npos) << e.verifier_log();
  ASSERT_TRUE(e.source_line().has_value());
  EXPECT_NE(e.source_line()->file.find("verifier_reject.bpf.c"), std::string::npos);
  EXPECT_EQ(e.source_line()->line, 18u);
  EXPECT_NE(e.source_line()->text.find("*v == 7"), std::string::npos) << e.source_line()->text;
  EXPECT_NE(e.summary().find("invalid mem access"), std::string::npos) << e.summary();
  EXPECT_NE(e.describe().find("verifier log:"), std::string::npos);
  // The map created before the failing program is closed again.
  EXPECT_EQ(open_fd_count(), fds_before);
}

TEST_F(ObjectLoadTest, LogLevelKeepsTheLogOfASuccessfulLoad) {
  auto obj = Object::load(spec_for_this_process("tracepoint_counter"), {.log_level = 2});
  ASSERT_TRUE(obj) << obj.error().describe();
  const std::string& log = obj->program("count_getppid")->verifier_log();
  EXPECT_NE(log.find("processed"), std::string::npos) << log;
}

TEST_F(ObjectLoadTest, UnknownSectionIsAClearError) {
  ObjectSpec spec = spec_for_this_process("tracepoint_counter");
  spec.programs[0].type = ProgType::Unspec;
  auto obj = Object::load(spec);
  ASSERT_FALSE(obj);
  EXPECT_EQ(obj.error().program(), "count_getppid");
  // Refused before the kernel is asked: no errno, the section named.
  EXPECT_EQ(obj.error().code(), Errc::InvalidInput);
  EXPECT_EQ(obj.error().sys_errno(), 0);
  EXPECT_NE(obj.error().message().find("does not say one"), std::string::npos) << obj.error().describe();
  EXPECT_NE(obj.error().hint().find("SEC("), std::string::npos) << obj.error().describe();
}

TEST_F(ObjectLoadTest, BigEndianObjectIsRefusedBeforeAnySyscall) {
  auto spec = ObjectSpec::open(bpf_object("tracepoint_counter", /*big_endian=*/true));
  ASSERT_TRUE(spec) << spec.error().describe();
  auto obj = Object::load(*spec);
  ASSERT_FALSE(obj);
  EXPECT_EQ(obj.error().code(), Errc::NotSupported);
  EXPECT_NE(obj.error().message().find("big-endian"), std::string::npos);
}

TEST_F(ObjectLoadTest, EditedMaxEntriesReachesTheKernel) {
  ObjectSpec spec = spec_for_this_process("tracepoint_counter");
  spec.map("per_pid")->max_entries = 1234;
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto again = Map::from_fd(*Fd::duplicate(obj->map("per_pid")->fd()));
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->max_entries(), 1234u);
  EXPECT_EQ(again->type(), MapType::Hash);
}

// Global data maps carry libbpf's kernel names, so tools that find maps by
// name (bpftool map show name ...) see the same names for either loader:
// the standard sections get an object-name prefix, custom ones their own
// name.
TEST_F(ObjectLoadTest, DataMapsHaveLibbpfsKernelNames) {
  ObjectSpec spec = open_spec("globals");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  const std::pair<const char*, const char*> expected[] = {
      {".data", "globals.data"},      {".rodata", "globals.rodata"},         {".bss", "globals.bss"},
      {".data.custom", ".data.custom"}, {".rodata.str1.1", ".rodata.str1.1"},
  };
  for (const auto& [section, kernel_name] : expected) {
    SCOPED_TRACE(section);
    Map* m = obj->map(section);
    ASSERT_NE(m, nullptr);
    auto fd = Fd::duplicate(m->fd());
    ASSERT_TRUE(fd);
    auto seen = Map::from_fd(std::move(*fd));
    ASSERT_TRUE(seen) << seen.error().describe();
    EXPECT_EQ(seen->name(), kernel_name);
  }
}

TEST_F(ObjectLoadTest, StructOpsProgramsAreNotSupportedYetByName) {
  ObjectSpec spec = open_spec("struct_ops_prog");
  ASSERT_EQ(spec.program("cong_init")->type, ProgType::StructOps);
  auto obj = Object::load(spec);
  ASSERT_FALSE(obj);
  EXPECT_EQ(obj.error().code(), Errc::NotSupported);
  EXPECT_EQ(obj.error().program(), "cong_init");
  EXPECT_NE(obj.error().message().find("not supported yet: struct_ops"), std::string::npos)
      << obj.error().describe();
  // The hint's way out: the object's other programs load.
  spec.program("cong_init")->autoload = false;
  auto rest = Object::load(spec);
  ASSERT_TRUE(rest) << rest.error().describe();
  EXPECT_EQ(rest->program("plain")->test_run()->retval, 1u);
}

TEST_F(ObjectLoadTest, EveryTestObjectThatShouldLoadDoes) {
  // headers_compat: every macro of the BPF-side headers that libbpf users
  // reach for (BPF_KPROBE and friends, BPF_CORE_READ chains, container_of on
  // a CO-RE type, the return-address readers, printk formats), all verified.
  for (const char* name : {"tracepoint_counter", "raw_tp_counter", "ringbuf_events", "rodata_config",
                           "kprobe_counter", "headers_compat"}) {
    auto obj = Object::load(spec_for_this_process(name));
    EXPECT_TRUE(obj) << name << ": " << obj.error().describe();
  }
  // The x86 register views' CO-RE reads (function and syscall arguments)
  // resolved against this kernel's struct pt_regs, and verified.
  auto obj = Object::load(open_spec("tracing_arch_x86"));
  EXPECT_TRUE(obj) << obj.error().describe();
}

}  // namespace
}  // namespace bpfxx::test
