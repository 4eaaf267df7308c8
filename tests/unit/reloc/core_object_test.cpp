// CO-RE relocation of objects clang compiled (tests/bpf/core_kinds.bpf.c,
// core_task.bpf.c), against Builder-made targets and the real
// /sys/kernel/btf/vmlinux: every relocation clang emits lands in the
// instruction with the target's value, and check_portability reports them.
#include "unit/reloc/core_test_util.hpp"

#include <bpfxx/object_spec.hpp>

#include "base/mapped_file.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>

namespace bpfxx::test {
namespace {

using btf::Builder;
using btf::CoreReloKind;
using btf::kIntSigned;
using btf::TypeId;

ObjectSpec open_object(const std::string& name, bool big_endian = false) {
  auto spec = ObjectSpec::open(bpf_object(name, big_endian));
  if (!spec) ADD_FAILURE() << spec.error().describe();
  return spec ? std::move(*spec) : ObjectSpec{};
}

// The value an instruction carries where CO-RE writes: an immediate, a
// load/store offset or an ld_imm64 constant.
uint64_t held(const std::vector<Insn>& insns, uint32_t i) {
  const Insn& in = insns[i];
  switch (insn::cls(in.code)) {
    case insn::kLdx:
    case insn::kSt:
    case insn::kStx: return static_cast<uint64_t>(static_cast<int64_t>(in.off));
    case insn::kLd:
      return static_cast<uint32_t>(in.imm) | (uint64_t{static_cast<uint32_t>(insns[i + 1].imm)} << 32);
    case insn::kAlu: return static_cast<uint32_t>(in.imm);
    default: return static_cast<uint64_t>(static_cast<int64_t>(in.imm));
  }
}

// Every Resolved or Missing report's instruction holds its new value.
void expect_values_in_code(const Relocated& r) {
  for (const CoreReport& rep : r.reports) {
    if (rep.outcome == CoreOutcome::Resolved || rep.outcome == CoreOutcome::Missing) {
      EXPECT_EQ(held(r.insns, rep.insn_index), rep.target_value) << rep.describe();
    } else if (rep.outcome == CoreOutcome::Poisoned) {
      EXPECT_EQ(r.insns[rep.insn_index], poison()) << rep.describe();
    }
  }
}

const CoreReport& report(const Relocated& r, CoreReloKind kind, std::string_view access) {
  const CoreReport* rep = find_report(r.reports, kind, access);
  if (rep == nullptr) {
    std::string all;
    for (const CoreReport& x : r.reports) all += "\n  " + x.describe();
    ADD_FAILURE() << "no " << btf::to_string(kind) << " report for " << access << "; have:" << all;
    static const CoreReport none;
    return none;
  }
  return *rep;
}

Relocated relocate_program(const ObjectSpec& spec, std::string_view program, const btf::Spec& target) {
  const ProgramSpec* p = spec.program(program);
  if (p == nullptr || !spec.btf) {
    ADD_FAILURE() << "no program " << program;
    return {};
  }
  return relocate(*p, *spec.btf, target);
}

// struct core_sample as a newer kernel might have it: a field in front,
// bitfields shifted, arr doubled, next and width moved, width widened.
btf::Spec moved_kinds_target() {
  Builder b;
  TypeId i32 = b.add_int("int", 4, kIntSigned);
  TypeId i16 = b.add_int("short int", 2, kIntSigned);
  TypeId i64 = b.add_int("long long int", 8, kIntSigned);
  TypeId u32 = b.add_int("unsigned int", 4, 0);
  TypeId u64 = b.add_int("long unsigned int", 8, 0);
  TypeId anon = b.add_struct("", 8, {{"c", i32, 0}, {"d", i16, 32}});
  TypeId fwd = b.add_fwd("core_sample");
  b.add_struct("core_sample", 80,
               {{"pad0", i64, 0},
                {"a", i32, 64},
                {"b", i64, 128},
                {"", anon, 192},
                {"x", u32, 256, 5},
                {"lo", u32, 261, 3},
                {"mid", u32, 264, 7},
                {"hi", i32, 271, 5},
                {"arr", b.add_array(i32, u32, 8), 288},
                {"next", b.add_ptr(fwd), 512},
                {"width", u64, 576}});
  b.add_enum("core_state", 4, {{"CORE_IDLE", 0}, {"CORE_NEW", 1}, {"CORE_BUSY", 7}, {"CORE_GONE", 12}});
  b.add_typedef("core_u32_t", u32);
  return std::move(b).finish().value();
}

TEST(CoreObject, DirectLoadsFollowMovedAndWidenedFields) {
  ObjectSpec spec = open_object("core_kinds");
  btf::Spec target = moved_kinds_target();
  Relocated r = relocate_program(spec, "loads", target);
  ASSERT_FALSE(r.reports.empty());
  for (const CoreReport& rep : r.reports) EXPECT_EQ(rep.outcome, CoreOutcome::Resolved) << rep.describe();
  expect_values_in_code(r);
  EXPECT_EQ(report(r, CoreReloKind::FieldByteOffset, "core_sample->a").target_value, 8u);
  EXPECT_EQ(report(r, CoreReloKind::FieldByteOffset, "core_sample->b").target_value, 16u);
  EXPECT_EQ(report(r, CoreReloKind::FieldByteOffset, "core_sample->d").target_value, 28u);  // anonymous struct
  EXPECT_EQ(report(r, CoreReloKind::FieldByteOffset, "core_sample->arr[2]").target_value, 36u + 8u);
  EXPECT_EQ(report(r, CoreReloKind::FieldByteOffset, "core_sample->next").target_value, 64u);
  const CoreReport& width = report(r, CoreReloKind::FieldByteOffset, "core_sample->width");
  EXPECT_EQ(width.local_value, 56u);
  EXPECT_EQ(width.target_value, 72u);
  // unsigned int became unsigned long: the 4-byte load became an 8-byte one.
  EXPECT_EQ(r.insns[width.insn_index].code, insn::kLdx | insn::kMem | insn::kDW);
  EXPECT_EQ(spec.program("loads")->insns[width.insn_index].code, insn::kLdx | insn::kMem | insn::kW);
}

TEST(CoreObject, QueriesGetTheTargetsAnswers) {
  ObjectSpec spec = open_object("core_kinds");
  btf::Spec target = moved_kinds_target();
  Relocated r = relocate_program(spec, "queries", target);
  for (const CoreReport& rep : r.reports) EXPECT_EQ(rep.outcome, CoreOutcome::Resolved) << rep.describe();
  expect_values_in_code(r);
  EXPECT_EQ(report(r, CoreReloKind::FieldExists, "core_sample->c").target_value, 1u);
  EXPECT_EQ(report(r, CoreReloKind::FieldByteSize, "core_sample->width").target_value, 8u);
  EXPECT_EQ(report(r, CoreReloKind::FieldByteOffset, "core_sample->arr[2]").target_value, 44u);
  EXPECT_EQ(report(r, CoreReloKind::FieldSigned, "core_sample->hi").target_value, 1u);
  EXPECT_EQ(report(r, CoreReloKind::TypeExists, "struct core_sample").target_value, 1u);
  EXPECT_EQ(report(r, CoreReloKind::TypeSize, "struct core_sample").target_value, 80u);
  const CoreReport& local_id = report(r, CoreReloKind::TypeIdLocal, "struct core_sample");
  EXPECT_EQ(local_id.target_value, local_id.local_value);
  EXPECT_EQ(report(r, CoreReloKind::TypeIdTarget, "struct core_sample").target_value, target.find("core_sample", btf::Kind::Struct));
  EXPECT_EQ(report(r, CoreReloKind::EnumValueExists, "enum core_state::CORE_GONE").target_value, 1u);
  const CoreReport& busy = report(r, CoreReloKind::EnumValue, "enum core_state::CORE_BUSY");
  EXPECT_EQ(busy.local_value, 4u);
  EXPECT_EQ(busy.target_value, 7u);
  EXPECT_EQ(report(r, CoreReloKind::TypeExists, "core_u32_t").target_value, 1u);
}

TEST(CoreObject, BitfieldShiftsBothByteOrders) {
  btf::Spec target = moved_kinds_target();
  for (bool be : {false, true}) {
    SCOPED_TRACE(be ? "bpfeb" : "bpfel");
    ObjectSpec spec = open_object("core_kinds", be);
    Relocated r = relocate_program(spec, "bitfields", target);
    for (const CoreReport& rep : r.reports) EXPECT_EQ(rep.outcome, CoreOutcome::Resolved) << rep.describe();
    expect_values_in_code(r);
    // mid: bits 264..270, in the 4-byte word at 32.
    EXPECT_EQ(report(r, CoreReloKind::FieldByteOffset, "core_sample->mid").target_value, 32u);
    EXPECT_EQ(report(r, CoreReloKind::FieldByteSize, "core_sample->mid").target_value, 4u);
    EXPECT_EQ(report(r, CoreReloKind::FieldLShiftU64, "core_sample->mid").target_value,
              be ? 32u + 8u : 64u - (264u + 7u - 256u));
    EXPECT_EQ(report(r, CoreReloKind::FieldRShiftU64, "core_sample->mid").target_value, 57u);
    EXPECT_EQ(report(r, CoreReloKind::FieldSigned, "core_sample->mid").target_value, 0u);
    // hi: signed, bits 271..275.
    EXPECT_EQ(report(r, CoreReloKind::FieldLShiftU64, "core_sample->hi").target_value,
              be ? 32u + 15u : 64u - (271u + 5u - 256u));
    EXPECT_EQ(report(r, CoreReloKind::FieldRShiftU64, "core_sample->hi").target_value, 59u);
    EXPECT_EQ(report(r, CoreReloKind::FieldSigned, "core_sample->hi").target_value, 1u);
  }
}

TEST(CoreObject, PortabilityCheckAgainstATargetLackingMost) {
  ObjectSpec spec = open_object("core_kinds");
  Builder b;
  TypeId i32 = b.add_int("int", 4, kIntSigned);
  b.add_struct("core_sample", 4, {{"a", i32, 0}});
  btf::Spec target = std::move(b).finish().value();
  auto reports = check_portability(spec, target);
  ASSERT_TRUE(reports) << reports.error().describe();
  size_t resolved = 0, missing = 0, poisoned = 0;
  for (const CoreReport& r : *reports) {
    EXPECT_NE(r.outcome, CoreOutcome::Failed) << r.describe();
    resolved += r.outcome == CoreOutcome::Resolved;
    missing += r.outcome == CoreOutcome::Missing;
    poisoned += r.outcome == CoreOutcome::Poisoned;
    if (r.outcome == CoreOutcome::Poisoned) {
      EXPECT_FALSE(r.guarded) << r.describe();  // nothing guards them
    }
  }
  EXPECT_GT(resolved, 0u);  // core_sample->a, the type checks
  EXPECT_GT(poisoned, 0u);
  EXPECT_EQ(missing, 3u);   // field c, enum value, typedef
  const CoreReport* c = find_report(*reports, CoreReloKind::FieldExists, "core_sample->c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->reason, "the target's struct core_sample has no member 'c'");
}

// ---- The running kernel's BTF ----------------------------------------------

struct MemberAt {
  uint32_t byte_offset = 0;
  bool found = false;
};
// Searches named members, descending into anonymous ones.
MemberAt member_at(const btf::Spec& spec, TypeId id, std::string_view name, uint32_t base_bits = 0) {
  btf::Type t = spec.type(spec.resolve(id).value()).value();
  for (const btf::Member& m : t.members()) {
    if (m.name == name) return {(base_bits + m.bit_offset) / 8, true};
    if (m.name.empty()) {
      MemberAt inner = member_at(spec, m.type, name, base_bits + m.bit_offset);
      if (inner.found) return inner;
    }
  }
  return {};
}

void expect_task_offsets(const ObjectSpec& spec, const btf::Spec& kernel) {
  TypeId task = kernel.find("task_struct", btf::Kind::Struct).value();
  auto reports = check_portability(spec, kernel);
  ASSERT_TRUE(reports) << reports.error().describe();
  for (std::string_view field : {"pid", "tgid", "comm", "real_parent", "start_time"}) {
    SCOPED_TRACE(field);
    MemberAt want = member_at(kernel, task, field);
    ASSERT_TRUE(want.found);
    const CoreReport* r = find_report(*reports, CoreReloKind::FieldByteOffset, "task_struct->" + std::string(field));
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->outcome, CoreOutcome::Resolved) << r->describe();
    EXPECT_EQ(r->target_value, want.byte_offset);
    EXPECT_EQ(r->target_type_id, task);
  }
  // The field no kernel has: existence 0, the guarded read poisoned and
  // unreachable, the unguarded one poisoned and reachable.
  const std::string missing = "task_struct___future->bpfxx_no_such_field";
  size_t guarded = 0, reachable = 0;
  for (const CoreReport& r : *reports) {
    if (r.access != missing) continue;
    if (r.kind == CoreReloKind::FieldExists) {
      EXPECT_EQ(r.outcome, CoreOutcome::Missing);
      continue;
    }
    ASSERT_EQ(r.outcome, CoreOutcome::Poisoned) << r.describe();
    EXPECT_EQ(r.reason, "the target's struct task_struct has no member 'bpfxx_no_such_field'");
    (r.guarded ? guarded : reachable) += 1;
    EXPECT_EQ(r.guarded, r.program == "guarded_missing") << r.describe();
  }
  EXPECT_EQ(guarded, 1u);
  EXPECT_EQ(reachable, 1u);
}

TEST(CoreObject, TaskStructAgainstTheRunningKernel) {
  auto file = detail::MappedFile::open("/sys/kernel/btf/vmlinux");
  if (!file) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux: " << file.error().summary();
  auto kernel = btf::Spec::parse((*file)->bytes(), *file);
  ASSERT_TRUE(kernel) << kernel.error().describe();
  expect_task_offsets(open_object("core_task"), *kernel);
}

// ---- Two real kernels, without booting them ----------------------------------

// make test-vm writes Debian 6.1's and the host's BTF to <build>/vm/btf/; make
// test runs first, so a missing fixture skips unless BPFXX_REQUIRE_VM_BTF=1.
TEST(CoreObject, TaskStructOffsetsFollowEachKernel) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(BPFXX_BINARY_DIR) / "vm" / "btf";
  const char* required = std::getenv("BPFXX_REQUIRE_VM_BTF");
  std::vector<std::string> names = {"vmlinux-6.1.btf", "vmlinux-6.18.btf"};
  for (const std::string& n : names) {
    if (fs::exists(dir / n)) continue;
    if (required != nullptr && std::string(required) == "1") FAIL() << (dir / n) << " is missing";
    GTEST_SKIP() << (dir / n) << " not produced yet: make test-vm writes it (tests/vm/run.sh)";
  }
  ObjectSpec spec = open_object("core_task");
  std::vector<std::map<std::string, uint64_t>> offsets;
  for (const std::string& n : names) {
    SCOPED_TRACE(n);
    auto file = detail::MappedFile::open((dir / n).string());
    ASSERT_TRUE(file) << file.error().summary();
    auto kernel = btf::Spec::parse((*file)->bytes(), *file);
    ASSERT_TRUE(kernel) << kernel.error().describe();
    expect_task_offsets(spec, *kernel);
    auto reports = check_portability(spec, *kernel).value();
    std::map<std::string, uint64_t> by_access;
    for (const CoreReport& r : reports) {
      if (r.kind == CoreReloKind::FieldByteOffset && r.outcome == CoreOutcome::Resolved) by_access[r.access] = r.target_value;
    }
    offsets.push_back(std::move(by_access));
  }
  // The same object, two layouts: task_struct grew between 6.1 and 6.18,
  // and everything after the growth moved.
  EXPECT_NE(offsets[0].at("task_struct->start_time"), offsets[1].at("task_struct->start_time"));
  EXPECT_NE(offsets[0].at("task_struct->comm"), offsets[1].at("task_struct->comm"));
}

}  // namespace
}  // namespace bpfxx::test
