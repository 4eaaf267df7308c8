// Tests of classify_section: what a section name says about a program's type,
// expected attach type, load flags, attach kind and target. The rows follow
// the kernel's Documentation/bpf/libbpf/program_types.rst; the most specific
// prefix wins ("tc/ingress" over "tc"), a prefix matches only whole words
// ("tcxyz" is not "tcx"), and unknown names give nullopt. A leading '?' is
// not part of the table: the linker strips it and clears autoload (checked
// in program_parser_test.cpp).
#include <bpfxx/map_spec.hpp>
#include <bpfxx/program_spec.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bpfxx {
namespace {

struct Case {
  const char* section;
  const char* prefix;
  ProgType type;
  std::optional<AttachType> attach_type;
  uint32_t flags;
  AttachKind kind;
  const char* target;
};

const Case kCases[] = {
    {"tracepoint/syscalls/sys_enter_openat", "tracepoint", ProgType::Tracepoint, std::nullopt, 0,
     AttachKind::Tracepoint, "syscalls/sys_enter_openat"},
    {"tp/sched/sched_switch", "tp", ProgType::Tracepoint, std::nullopt, 0, AttachKind::Tracepoint,
     "sched/sched_switch"},
    {"raw_tp/sys_enter", "raw_tp", ProgType::RawTracepoint, std::nullopt, 0, AttachKind::RawTracepoint, "sys_enter"},
    {"raw_tracepoint/sys_exit", "raw_tracepoint", ProgType::RawTracepoint, std::nullopt, 0,
     AttachKind::RawTracepoint, "sys_exit"},
    {"raw_tp.w/bpf_test_finish", "raw_tp.w", ProgType::RawTracepointWritable, std::nullopt, 0,
     AttachKind::RawTracepoint, "bpf_test_finish"},
    {"tp_btf/sched_switch", "tp_btf", ProgType::Tracing, AttachType::TraceRawTp, kSectionAttachBtf,
     AttachKind::Tracing, "sched_switch"},
    {"kprobe/do_unlinkat", "kprobe", ProgType::Kprobe, std::nullopt, 0, AttachKind::Kprobe, "do_unlinkat"},
    {"kprobe", "kprobe", ProgType::Kprobe, std::nullopt, 0, AttachKind::Kprobe, ""},
    {"kretprobe/do_unlinkat", "kretprobe", ProgType::Kprobe, std::nullopt, 0, AttachKind::Kretprobe, "do_unlinkat"},
    {"kprobe.multi/vfs_*", "kprobe.multi", ProgType::Kprobe, AttachType::TraceKprobeMulti, 0,
     AttachKind::KprobeMulti, "vfs_*"},
    {"kretprobe.multi/x", "kretprobe.multi", ProgType::Kprobe, AttachType::TraceKprobeMulti, 0,
     AttachKind::KretprobeMulti, "x"},
    {"uprobe//proc/self/exe:main", "uprobe", ProgType::Kprobe, std::nullopt, 0, AttachKind::Uprobe,
     "/proc/self/exe:main"},
    {"uretprobe/libc.so.6:malloc", "uretprobe", ProgType::Kprobe, std::nullopt, 0, AttachKind::Uretprobe,
     "libc.so.6:malloc"},
    {"uprobe.s//bin/sh:main", "uprobe.s", ProgType::Kprobe, std::nullopt, kSectionSleepable, AttachKind::Uprobe,
     "/bin/sh:main"},
    {"ksyscall/openat", "ksyscall", ProgType::Kprobe, std::nullopt, 0, AttachKind::Ksyscall, "openat"},
    {"usdt/./app:provider:probe", "usdt", ProgType::Kprobe, std::nullopt, 0, AttachKind::Usdt, "./app:provider:probe"},
    {"fentry/do_unlinkat", "fentry", ProgType::Tracing, AttachType::TraceFentry, kSectionAttachBtf,
     AttachKind::Tracing, "do_unlinkat"},
    {"fexit/do_unlinkat", "fexit", ProgType::Tracing, AttachType::TraceFexit, kSectionAttachBtf, AttachKind::Tracing,
     "do_unlinkat"},
    {"fentry.s/x", "fentry.s", ProgType::Tracing, AttachType::TraceFentry, kSectionAttachBtf | kSectionSleepable,
     AttachKind::Tracing, "x"},
    {"fmod_ret/x", "fmod_ret", ProgType::Tracing, AttachType::ModifyReturn, kSectionAttachBtf, AttachKind::Tracing,
     "x"},
    {"lsm/file_open", "lsm", ProgType::Lsm, AttachType::LsmMac, kSectionAttachBtf, AttachKind::Lsm, "file_open"},
    {"iter/task", "iter", ProgType::Tracing, AttachType::TraceIter, kSectionAttachBtf, AttachKind::Iter, "task"},
    {"freplace/handler", "freplace", ProgType::Ext, std::nullopt, kSectionAttachBtf, AttachKind::Freplace, "handler"},
    {"syscall", "syscall", ProgType::Syscall, std::nullopt, kSectionSleepable, AttachKind::None, ""},
    {"xdp", "xdp", ProgType::Xdp, AttachType::Xdp, 0, AttachKind::Xdp, ""},
    {"xdp.frags", "xdp.frags", ProgType::Xdp, AttachType::Xdp, kSectionXdpFrags, AttachKind::Xdp, ""},
    {"xdp/devmap", "xdp/devmap", ProgType::Xdp, AttachType::XdpDevmap, 0, AttachKind::None, ""},
    {"xdp.frags/cpumap", "xdp.frags/cpumap", ProgType::Xdp, AttachType::XdpCpumap, kSectionXdpFrags,
     AttachKind::None, ""},
    // "tc/ingress" is its own row (tcx); plain "tc" is the netlink classifier.
    {"tc/ingress", "tc/ingress", ProgType::SchedCls, AttachType::TcxIngress, 0, AttachKind::Tcx, ""},
    {"tc/egress", "tc/egress", ProgType::SchedCls, AttachType::TcxEgress, 0, AttachKind::Tcx, ""},
    {"tc", "tc", ProgType::SchedCls, std::nullopt, 0, AttachKind::Tc, ""},
    {"tc/other", "tc", ProgType::SchedCls, std::nullopt, 0, AttachKind::Tc, "other"},
    {"tcx/ingress", "tcx/ingress", ProgType::SchedCls, AttachType::TcxIngress, 0, AttachKind::Tcx, ""},
    {"classifier", "classifier", ProgType::SchedCls, std::nullopt, 0, AttachKind::Tc, ""},
    {"netkit/primary", "netkit/primary", ProgType::SchedCls, AttachType::NetkitPrimary, 0, AttachKind::Netkit, ""},
    {"cgroup_skb/ingress", "cgroup_skb/ingress", ProgType::CgroupSkb, AttachType::CgroupInetIngress, 0,
     AttachKind::Cgroup, ""},
    {"cgroup_skb/egress", "cgroup_skb/egress", ProgType::CgroupSkb, AttachType::CgroupInetEgress, 0,
     AttachKind::Cgroup, ""},
    {"cgroup/connect4", "cgroup/connect4", ProgType::CgroupSockAddr, AttachType::CgroupInet4Connect, 0,
     AttachKind::Cgroup, ""},
    {"socket", "socket", ProgType::SocketFilter, std::nullopt, 0, AttachKind::SocketFilter, ""},
    {"sk_skb/stream_parser", "sk_skb/stream_parser", ProgType::SkSkb, AttachType::SkSkbStreamParser, 0,
     AttachKind::Sockmap, ""},
    {"sk_skb", "sk_skb", ProgType::SkSkb, std::nullopt, 0, AttachKind::None, ""},
    {"perf_event", "perf_event", ProgType::PerfEvent, std::nullopt, 0, AttachKind::PerfEvent, ""},
};

TEST(SectionTableTest, KnownSections) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.section);
    auto info = classify_section(c.section);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->prefix, c.prefix);
    EXPECT_EQ(info->type, c.type);
    EXPECT_EQ(info->expected_attach_type, c.attach_type);
    EXPECT_EQ(info->flags, c.flags);
    EXPECT_EQ(info->attach_kind, c.kind);
    EXPECT_EQ(info->target, c.target);
  }
}

TEST(SectionTableTest, TargetIsAViewIntoTheName) {
  std::string name = "kprobe/vfs_read";
  auto info = classify_section(name);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->target.data(), name.data() + 7);
}

TEST(SectionTableTest, UnknownSections) {
  for (const char* name : {"", "foo", "kprobex", "kprobe_multi/x", "tcxyz", "xdpfoo", "tracepointx/a",
                           "?tp/syscalls/sys_enter_close", "/kprobe", ".text", "maps", ".maps", "license",
                           "KPROBE/x", " tp/x"}) {
    EXPECT_FALSE(classify_section(name).has_value()) << "'" << name << "'";
  }
}

// Every row of the table's source classifies to itself, alone and with a
// target, whatever other rows share its first word; a longer word does not
// match it.
TEST(SectionTableTest, EveryRowMatchesItself) {
  std::ifstream in(std::string(BPFXX_SOURCE_DIR) + "/tools/gen/inputs/sections.txt");
  ASSERT_TRUE(in.good());
  std::vector<std::string> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("attach_kinds:", 0) == 0 || line.rfind("flags:", 0) == 0) continue;
    std::istringstream words(line);
    std::string name;
    if (words >> name) rows.push_back(name);
  }
  ASSERT_GT(rows.size(), 90u);
  for (const std::string& row : rows) {
    SCOPED_TRACE(row);
    auto alone = classify_section(row);
    ASSERT_TRUE(alone.has_value());
    EXPECT_EQ(alone->prefix, row);
    EXPECT_EQ(alone->target, "");
    const std::string with_target = row + "/some/target";
    auto targeted = classify_section(with_target);
    ASSERT_TRUE(targeted.has_value());
    EXPECT_EQ(targeted->prefix, row);
    EXPECT_EQ(targeted->target, "some/target");
    auto longer = classify_section(row + "zz");
    if (longer) {
      EXPECT_NE(longer->prefix, row);
    }
  }
}

TEST(SectionTableTest, NamesOfGeneratedEnums) {
  EXPECT_EQ(to_string(ProgType::Tracepoint), "tracepoint");
  EXPECT_EQ(to_string(AttachType::TcxIngress), "tcx_ingress");
  EXPECT_EQ(to_string(AttachKind::KprobeMulti), "kprobe_multi");
  EXPECT_EQ(to_string(MapType::Ringbuf), "ringbuf");
  EXPECT_EQ(to_string(RelocKind::MapValue), "map_value");
  EXPECT_EQ(to_string(MapOrigin::Inner), "inner");
}

}  // namespace
}  // namespace bpfxx
