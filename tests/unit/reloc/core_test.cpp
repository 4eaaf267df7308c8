// CO-RE relocation on hand-written programs: a Builder-made local BTF, CO-RE
// records and instructions written here, and Builder-made target kernels in
// which fields moved, changed size, vanished, bitfields shifted and enums
// were renumbered. Every test checks the exact instructions afterwards.
#include "unit/reloc/core_test_util.hpp"

#include "reloc/core_internal.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstring>

namespace bpfxx::test {
namespace {

using btf::Builder;
using btf::CoreReloKind;
using btf::kIntSigned;
using btf::TypeId;

TEST(CoreReloc, MovedFieldPatchesLoadOffsetAndImmediates) {
  TaskLocal l = task_local();
  btf::Spec target = task_target();
  ProgramSpec p = program_of({ldx(insn::kW, 0, 1, 4), mov64_imm(2, 4), mov32_imm(3, 0), add64_imm(4, 4), exit_insn()},
                             {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset},
                              {1, l.task, l.tgid, CoreReloKind::FieldByteOffset},
                              {2, l.task, l.pid, CoreReloKind::FieldByteOffset},
                              {3, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  EXPECT_EQ(r.insns[0], ldx(insn::kW, 0, 1, 12));
  EXPECT_EQ(r.insns[1], mov64_imm(2, 12));
  EXPECT_EQ(r.insns[2], mov32_imm(3, 8));
  EXPECT_EQ(r.insns[3], add64_imm(4, 12));
  EXPECT_EQ(r.insns[4], exit_insn());
  ASSERT_EQ(r.reports.size(), 4u);
  const CoreReport& rep = r.reports[0];
  EXPECT_EQ(rep.outcome, CoreOutcome::Resolved);
  EXPECT_EQ(rep.access, "task_struct->tgid");
  EXPECT_EQ(rep.local_type, "struct task_struct");
  EXPECT_EQ(rep.local_value, 4u);
  EXPECT_EQ(rep.target_value, 12u);
  EXPECT_EQ(rep.target_source, "vmlinux");
  EXPECT_EQ(rep.program, "prog");
  EXPECT_EQ(rep.describe(), "prog insn 0 byte_off task_struct->tgid: 4 -> 12 (vmlinux [3])");
}

TEST(CoreReloc, FlavorSuffixFindsTheKernelType) {
  TaskLocal l = task_local("task_struct___v2");
  btf::Spec target = task_target();
  ProgramSpec p = program_of({mov64_imm(1, 0), exit_insn()}, {{0, l.task, l.pid, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  EXPECT_EQ(r.insns[0], mov64_imm(1, 8));
  EXPECT_EQ(r.reports[0].outcome, CoreOutcome::Resolved);
  EXPECT_EQ(r.reports[0].access, "task_struct___v2->pid");
}

TEST(CoreReloc, RemovedFieldExistsIsZeroAndReadIsPoisoned) {
  TaskLocal l = task_local();
  btf::Spec target = task_target();
  ProgramSpec p = program_of({mov64_imm(1, 1), ldx(insn::kW, 0, 1, 8), mov64_imm(2, 4), exit_insn()},
                             {{0, l.task, l.gone, CoreReloKind::FieldExists},
                              {1, l.task, l.gone, CoreReloKind::FieldByteOffset},
                              {2, l.task, l.gone, CoreReloKind::FieldByteSize}});
  Relocated r = relocate(p, l.spec, target);
  EXPECT_EQ(r.insns[0], mov64_imm(1, 0));
  EXPECT_EQ(r.insns[1], poison());
  EXPECT_EQ(r.insns[2], poison());
  EXPECT_EQ(r.reports[0].outcome, CoreOutcome::Missing);
  EXPECT_EQ(r.reports[0].target_value, 0u);
  EXPECT_EQ(r.reports[1].outcome, CoreOutcome::Poisoned);
  EXPECT_EQ(r.reports[1].reason, "the target's struct task_struct has no member 'gone'");
  EXPECT_EQ(r.reports[2].outcome, CoreOutcome::Poisoned);
}

// What the loader asks for: the same patches, and text only where something
// went wrong (a resolved relocation's names are never read there).
TEST(CoreReloc, ProblemsOnlyDetailPatchesAlikeAndDescribesOnlyProblems) {
  TaskLocal l = task_local();
  btf::Spec target = task_target();
  ProgramSpec p = program_of({mov64_imm(1, 4), ldx(insn::kW, 0, 1, 8), mov64_imm(2, 1), exit_insn()},
                             {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset},
                              {1, l.task, l.gone, CoreReloKind::FieldByteOffset},
                              {2, l.task, l.gone, CoreReloKind::FieldExists}});
  Relocated full = relocate(p, l.spec, target);
  Relocated r = relocate(p, l.spec, target, reloc::CoreDetail::ProblemsOnly);
  EXPECT_EQ(r.insns, full.insns);
  const std::vector<CoreReport>& lean = r.reports;
  ASSERT_EQ(lean.size(), 3u);
  // Resolved: values and target id, no text.
  EXPECT_EQ(lean[0].outcome, CoreOutcome::Resolved);
  EXPECT_EQ(lean[0].local_value, 4u);
  EXPECT_EQ(lean[0].target_value, 12u);
  EXPECT_EQ(lean[0].target_type_id, full.reports[0].target_type_id);
  EXPECT_TRUE(lean[0].access.empty());
  EXPECT_TRUE(lean[0].local_type.empty());
  EXPECT_TRUE(lean[0].program.empty());
  EXPECT_TRUE(lean[0].target_source.empty());
  // Poisoned and Missing: as complete as with full detail.
  EXPECT_EQ(lean[1], full.reports[1]);
  EXPECT_EQ(lean[1].access, "task_struct->gone");
  EXPECT_EQ(lean[2], full.reports[2]);
}

TEST(CoreReloc, MissingTypeIsPoisonedWithReason) {
  TaskLocal l = task_local("mm_struct");
  btf::Spec target = task_target();
  ProgramSpec p = program_of({mov64_imm(1, 4), exit_insn()}, {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  EXPECT_EQ(r.insns[0], poison());
  EXPECT_EQ(r.reports[0].reason, "the target has no STRUCT named 'mm_struct'");
}

// Local: struct flags { unsigned int a:3, b:5; int s:4; }
struct FlagsLocal {
  btf::Spec spec;
  TypeId flags = 0;
  uint32_t b = 0, s = 0;
};
FlagsLocal flags_local() {
  Builder bl;
  TypeId u32 = bl.add_int("unsigned int", 4, 0);
  TypeId i32 = bl.add_int("int", 4, kIntSigned);
  FlagsLocal l;
  l.flags = bl.add_struct("flags", 4, {{"a", u32, 0, 3}, {"b", u32, 3, 5}, {"s", i32, 8, 4}});
  l.b = bl.add_string("0:1");
  l.s = bl.add_string("0:2");
  l.spec = std::move(bl).finish().value();
  return l;
}

TEST(CoreReloc, ShiftedBitfieldGetsNewShifts) {
  FlagsLocal l = flags_local();
  // Target: a new 30-bit field first pushes b across the first word.
  Builder bt;
  TypeId u32 = bt.add_int("unsigned int", 4, 0);
  TypeId u8 = bt.add_int("unsigned char", 1, 0);
  bt.add_struct("flags", 8, {{"x", u32, 0, 30}, {"a", u32, 30, 3}, {"b", u32, 33, 5}, {"s", u8, 38, 4}});
  btf::Spec target = std::move(bt).finish().value();
  ProgramSpec p = program_of({mov64_imm(1, 0), mov64_imm(2, 4), mov64_imm(3, 56), mov64_imm(4, 59),
                              mov64_imm(5, 0), mov64_imm(6, 1), mov64_imm(7, 52), exit_insn()},
                             {{0, l.flags, l.b, CoreReloKind::FieldByteOffset},
                              {1, l.flags, l.b, CoreReloKind::FieldByteSize},
                              {2, l.flags, l.b, CoreReloKind::FieldLShiftU64},
                              {3, l.flags, l.b, CoreReloKind::FieldRShiftU64},
                              {4, l.flags, l.b, CoreReloKind::FieldSigned},
                              {5, l.flags, l.s, CoreReloKind::FieldSigned},
                              {6, l.flags, l.s, CoreReloKind::FieldLShiftU64}});
  Relocated r = relocate(p, l.spec, target);
  // b: bits 33..37 sit in the second 4-byte word: load 4 bytes at 4,
  // shift left by 64 - (33 + 5 - 32) = 58, right by 64 - 5 = 59.
  EXPECT_EQ(r.insns[0], mov64_imm(1, 4));
  EXPECT_EQ(r.insns[1], mov64_imm(2, 4));
  EXPECT_EQ(r.insns[2], mov64_imm(3, 58));
  EXPECT_EQ(r.insns[3], mov64_imm(4, 59));
  EXPECT_EQ(r.insns[4], mov64_imm(5, 0));
  // s became unsigned; bits 38..41 straddle a byte, so 2 bytes load at
  // byte 4 and the left shift is 64 - (38 + 4 - 32).
  EXPECT_EQ(r.insns[5], mov64_imm(6, 0));
  EXPECT_EQ(r.insns[6], mov64_imm(7, 54));
  for (const CoreReport& rep : r.reports) EXPECT_EQ(rep.outcome, CoreOutcome::Resolved) << rep.describe();
}

TEST(CoreReloc, BitfieldShiftsOnBigEndianObjects) {
  // The same local types, as a big-endian object's BTF: the left shift
  // counts from the top of the u64 the loaded bytes occupy.
  FlagsLocal l = flags_local();
  // Spec::parse borrows the bytes: they must outlive the spec.
  const std::vector<std::byte> be_bytes = [&] {
    std::vector<std::byte> bytes = l.spec.encode();
    // Swap every 32-bit word of header, types (all words) and leave strings.
    auto swap_at = [&](size_t off) {
      std::swap(bytes[off], bytes[off + 3]);
      std::swap(bytes[off + 1], bytes[off + 2]);
    };
    uint32_t hdr_len = 24, type_len = 0;
    std::memcpy(&type_len, bytes.data() + 12, 4);
    std::swap(bytes[0], bytes[1]);  // magic
    for (size_t off = 4; off < hdr_len; off += 4) swap_at(off);
    for (size_t off = hdr_len; off < hdr_len + type_len; off += 4) swap_at(off);
    return bytes;
  }();
  auto be = btf::Spec::parse(be_bytes);
  ASSERT_TRUE(be) << be.error().describe();
  ASSERT_TRUE(be->big_endian());
  ProgramSpec p = program_of({mov64_imm(1, 35), exit_insn()}, {{0, l.flags, l.b, CoreReloKind::FieldLShiftU64}});
  Relocated r = relocate(p, *be, *be);
  // 4 bytes loaded: (8 - 4) * 8 + 3 bits before b.
  EXPECT_EQ(r.insns[0], mov64_imm(1, 35)) << r.reports[0].describe();
}

TEST(CoreReloc, GrownUnsignedFieldWidensTheLoadSignedOneIsPoisoned) {
  Builder bl;
  TypeId u32 = bl.add_int("unsigned int", 4, 0);
  TypeId i32 = bl.add_int("int", 4, kIntSigned);
  TypeId s = bl.add_struct("sizes", 8, {{"width", u32, 0}, {"delta", i32, 32}});
  uint32_t width = bl.add_string("0:0"), delta = bl.add_string("0:1");
  btf::Spec local = std::move(bl).finish().value();
  Builder bt;
  TypeId u64 = bt.add_int("long unsigned int", 8, 0);
  TypeId i64 = bt.add_int("long int", 8, kIntSigned);
  bt.add_struct("sizes", 16, {{"delta", i64, 0}, {"width", u64, 64}});
  btf::Spec target = std::move(bt).finish().value();
  ProgramSpec p = program_of({ldx(insn::kW, 0, 1, 0), stx(insn::kW, 1, 2, 0), ldx(insn::kH, 3, 1, 0),
                              ldx(insn::kW, 4, 1, 4), exit_insn()},
                             {{0, s, width, CoreReloKind::FieldByteOffset},
                              {1, s, width, CoreReloKind::FieldByteOffset},
                              {2, s, width, CoreReloKind::FieldByteOffset},
                              {3, s, delta, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, local, target);
  EXPECT_EQ(r.insns[0], ldx(insn::kDW, 0, 1, 8));
  EXPECT_EQ(r.insns[1], stx(insn::kDW, 1, 2, 8));
  // A load of part of the field keeps its size, only the offset moves.
  EXPECT_EQ(r.insns[2], ldx(insn::kH, 3, 1, 8));
  // A signed value read at another size would lose its sign.
  EXPECT_EQ(r.insns[3], poison());
  EXPECT_EQ(r.reports[3].outcome, CoreOutcome::Poisoned);
  EXPECT_NE(r.reports[3].reason.find("8 bytes in the target and 4 locally"), std::string::npos) << r.reports[3].reason;
  // The loader's lean reports: this poisoned one complete, as with full detail.
  Relocated lean = relocate(p, local, target, reloc::CoreDetail::ProblemsOnly);
  EXPECT_EQ(lean.insns, r.insns);
  EXPECT_EQ(lean.reports[3], r.reports[3]);
  EXPECT_TRUE(lean.reports[0].access.empty());
}

TEST(CoreReloc, RenumberedEnumValueInLdImm64) {
  Builder bl;
  TypeId e = bl.add_enum("state", 4, {{"IDLE", 0}, {"BUSY", 4}, {"GONE", 9}});
  uint32_t busy = bl.add_string("1"), gone = bl.add_string("2");
  btf::Spec local = std::move(bl).finish().value();
  Builder bt;
  bt.add_enum64("state", 8, {{"IDLE", 0}, {"NEW", 1}, {"BUSY", int64_t{1} << 40}});
  btf::Spec target = std::move(bt).finish().value();
  std::vector<Insn> insns;
  push_ld_imm64(insns, 1, 4);
  push_ld_imm64(insns, 2, 1);
  push_ld_imm64(insns, 3, 9);
  insns.push_back(exit_insn());
  ProgramSpec p = program_of(insns, {{0, e, busy, CoreReloKind::EnumValue},
                                     {2, e, gone, CoreReloKind::EnumValueExists},
                                     {4, e, gone, CoreReloKind::EnumValue}});
  Relocated r = relocate(p, local, target);
  std::vector<Insn> want;
  push_ld_imm64(want, 1, uint64_t{1} << 40);
  push_ld_imm64(want, 2, 0);
  want.push_back(poison());
  want.push_back(poison());
  want.push_back(exit_insn());
  EXPECT_EQ(r.insns, want);
  EXPECT_EQ(r.reports[0].access, "enum state::BUSY");
  EXPECT_EQ(r.reports[1].outcome, CoreOutcome::Missing);
  EXPECT_EQ(r.reports[2].outcome, CoreOutcome::Poisoned);
  EXPECT_EQ(r.reports[2].reason, "the target's enum state has no enumerator 'GONE'");
}

TEST(CoreReloc, AmbiguousCandidatesAreAnErrorNamingThem) {
  TaskLocal l = task_local();
  Builder bt;
  TypeId i32 = bt.add_int("int", 4, kIntSigned);
  TypeId a = bt.add_struct("task_struct", 8, {{"pid", i32, 0}, {"tgid", i32, 32}});
  TypeId b = bt.add_struct("task_struct", 12, {{"x", i32, 0}, {"pid", i32, 32}, {"tgid", i32, 64}});
  btf::Spec target = std::move(bt).finish().value();
  ProgramSpec p = program_of({mov64_imm(1, 4), exit_insn()}, {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  EXPECT_EQ(r.insns[0], mov64_imm(1, 4));  // untouched
  EXPECT_EQ(r.reports[0].outcome, CoreOutcome::Failed);
  EXPECT_NE(r.reports[0].reason.find(fmt::format("struct task_struct [{}] gives 4", a)), std::string::npos)
      << r.reports[0].reason;
  EXPECT_NE(r.reports[0].reason.find(fmt::format("struct task_struct [{}] gives 8", b)), std::string::npos);

  std::vector<Insn> insns = p.insns;
  reloc::CoreTargets targets(target);
  auto res = reloc::relocate_core(insns, p, l.spec, targets);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), Errc::RelocationFailed);
  EXPECT_EQ(res.error().program(), "prog");
  EXPECT_NE(res.error().message().find("ambiguous"), std::string::npos) << res.error().message();
}

TEST(CoreReloc, SameResultFromSeveralCandidatesIsFine) {
  TaskLocal l = task_local();
  Builder bt;
  TypeId i32 = bt.add_int("int", 4, kIntSigned);
  TypeId u32 = bt.add_int("unsigned int", 4, 0);
  bt.add_struct("task_struct", 8, {{"pid", i32, 0}, {"tgid", i32, 32}});
  bt.add_struct("task_struct", 8, {{"pid", u32, 0}, {"tgid", u32, 32}});
  btf::Spec target = std::move(bt).finish().value();
  ProgramSpec p = program_of({mov64_imm(1, 4), exit_insn()}, {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  EXPECT_EQ(relocate(p, l.spec, target).reports[0].outcome, CoreOutcome::Resolved);
}

TEST(CoreReloc, InstructionNotHoldingTheLocalValueFails) {
  TaskLocal l = task_local();
  btf::Spec target = task_target();
  ProgramSpec p = program_of({mov64_imm(1, 5), exit_insn()}, {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  EXPECT_EQ(r.insns[0], mov64_imm(1, 5));
  EXPECT_EQ(r.reports[0].outcome, CoreOutcome::Failed);
  EXPECT_NE(r.reports[0].reason.find("holds 5, but the local types give 4"), std::string::npos) << r.reports[0].reason;

  // A jump cannot carry a value at all.
  ProgramSpec q = program_of({jeq_imm(1, 4, 0), exit_insn()}, {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  EXPECT_EQ(relocate(q, l.spec, target).reports[0].outcome, CoreOutcome::Failed);
  // Nor can an instruction past the end.
  ProgramSpec z = program_of({exit_insn()}, {{7, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  EXPECT_EQ(relocate(z, l.spec, target).reports[0].outcome, CoreOutcome::Failed);
}

TEST(CoreReloc, MalformedRecordsFailWithoutTouchingCode) {
  TaskLocal l = task_local();
  btf::Spec target = task_target();
  Builder b(l.spec);
  uint32_t bad1 = b.add_string("0:9"), bad2 = b.add_string("0::1"), bad3 = b.add_string("x");
  std::string too_long = "0";
  for (int i = 0; i < 64; ++i) too_long += ":0";  // 65 indexes, one past the bound
  uint32_t bad4 = b.add_string(too_long);
  btf::Spec local = std::move(b).finish().value();
  for (uint32_t acc : {bad1, bad2, bad3, bad4, 999999u}) {
    ProgramSpec p = program_of({mov64_imm(1, 4), exit_insn()}, {{0, l.task, acc, CoreReloKind::FieldByteOffset}});
    Relocated r = relocate(p, local, target);
    EXPECT_EQ(r.reports[0].outcome, CoreOutcome::Failed);
    EXPECT_EQ(r.insns[0], mov64_imm(1, 4));
  }
  ProgramSpec p = program_of({mov64_imm(1, 4), exit_insn()}, {{0, 4242, l.tgid, CoreReloKind::FieldByteOffset}});
  EXPECT_EQ(relocate(p, local, target).reports[0].outcome, CoreOutcome::Failed);
}

TEST(CoreReloc, ArraysAnonymousMembersAndRootIndex) {
  // Local: struct s { int n; int arr[4]; struct s *next; }.
  Builder bl;
  TypeId i32 = bl.add_int("int", 4, kIntSigned);
  TypeId s = bl.add_struct("s", 32, {{"n", i32, 0}, {"arr", bl.add_array(i32, i32, 4), 32}});
  uint32_t arr3 = bl.add_string("0:1:3"), n = bl.add_string("0:0"), second = bl.add_string("1:0");
  btf::Spec local = std::move(bl).finish().value();
  // Target: n moved into an anonymous union, arr grew and moved.
  Builder bt;
  TypeId ti32 = bt.add_int("int", 4, kIntSigned);
  TypeId anon = bt.add_union("", 4, {{"n", ti32, 0}, {"m", ti32, 0}});
  bt.add_struct("s", 64, {{"pad", ti32, 0}, {"", anon, 32}, {"arr", bt.add_array(ti32, ti32, 8), 64}});
  btf::Spec target = std::move(bt).finish().value();
  // Target where arr shrank to 2: element 3 no longer exists.
  Builder bs;
  TypeId si32 = bs.add_int("int", 4, kIntSigned);
  bs.add_struct("s", 12, {{"n", si32, 0}, {"arr", bs.add_array(si32, si32, 2), 32}});
  btf::Spec small = std::move(bs).finish().value();

  ProgramSpec p = program_of({mov64_imm(1, 16), mov64_imm(2, 0), mov64_imm(3, 32), exit_insn()},
                             {{0, s, arr3, CoreReloKind::FieldByteOffset},
                              {1, s, n, CoreReloKind::FieldByteOffset},
                              {2, s, second, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, local, target);
  EXPECT_EQ(r.insns[0], mov64_imm(1, 8 + 12));
  EXPECT_EQ(r.insns[1], mov64_imm(2, 4));
  EXPECT_EQ(r.insns[2], mov64_imm(3, 64 + 4));  // s[1].n: one whole target struct further
  EXPECT_EQ(r.reports[0].access, "s->arr[3]");
  EXPECT_EQ(r.reports[1].access, "s->n");
  EXPECT_EQ(r.reports[2].access, "s[1].n");
  Relocated q = relocate(p, local, small);
  EXPECT_EQ(q.insns[0], poison());
  EXPECT_EQ(q.reports[0].reason, "element [3] is past the end of the target's int[2]");
}

TEST(CoreReloc, ModuleBtfIsSearchedOnlyWhenVmlinuxLacksTheType) {
  TaskLocal l = task_local("module_thing");
  Builder bv;
  TypeId i32 = bv.add_int("int", 4, kIntSigned);
  auto vmlinux = std::make_shared<const btf::Spec>(std::move(bv).finish().value());
  Builder bm = Builder::split(vmlinux);
  bm.add_struct("module_thing", 16, {{"x", i32, 0}, {"pid", i32, 32}, {"tgid", i32, 64}});
  btf::Spec module = std::move(bm).finish().value();
  ProgramSpec p = program_of({mov64_imm(1, 4), exit_insn()}, {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  std::vector<Insn> insns = p.insns;
  reloc::CoreTargets targets(*vmlinux);
  targets.add("my_module", module);
  auto reports = reloc::apply_core_relocations(insns, p, l.spec, targets);
  EXPECT_EQ(insns[0], mov64_imm(1, 8));
  EXPECT_EQ(reports[0].target_source, "my_module");
}

TEST(CoreReloc, EssentialNames) {
  using reloc::core::essential_name;
  EXPECT_EQ(essential_name("task_struct___v2"), "task_struct");
  EXPECT_EQ(essential_name("a___b___c"), "a___b");
  EXPECT_EQ(essential_name("__u32"), "__u32");
  EXPECT_EQ(essential_name("a____b"), "a____b");
  EXPECT_EQ(essential_name("x___"), "x___");
  EXPECT_EQ(essential_name(""), "");
}

}  // namespace
}  // namespace bpfxx::test
