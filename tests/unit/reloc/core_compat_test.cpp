// The compatibility rules on Builder-made types: type-based kinds (exists,
// size, ids), TYPE_MATCHES' stricter layout rules, which field types may
// stand in for each other, and bounds on hostile nesting.
#include "unit/reloc/core_test_util.hpp"

#include <gtest/gtest.h>

namespace bpfxx::test {
namespace {

using btf::Builder;
using btf::CoreReloKind;
using btf::kIntSigned;
using btf::TypeId;

TEST(CoreCompat, TypeKinds) {
  Builder bl;
  TypeId i32 = bl.add_int("int", 4, kIntSigned);
  TypeId task = bl.add_struct("task_struct", 8, {{"pid", i32, 0}, {"tgid", i32, 32}});
  TypeId pid_t = bl.add_typedef("pid_t", i32);
  TypeId gone = bl.add_struct("gone_struct", 4, {{"x", i32, 0}});
  TypeId strict = bl.add_struct("strict", 4, {{"v", i32, 0}});
  uint32_t zero = bl.add_string("0");
  btf::Spec local = std::move(bl).finish().value();
  Builder bt;
  TypeId ti32 = bt.add_int("int", 4, kIntSigned);
  TypeId ti64 = bt.add_int("long int", 8, kIntSigned);
  TypeId ttask = bt.add_struct("task_struct", 16, {{"state", ti64, 0}, {"pid", ti32, 64}, {"tgid", ti32, 96}});
  bt.add_typedef("pid_t", ti32);
  bt.add_struct("strict", 8, {{"v", ti64, 0}});  // v changed size: compatible, not matching
  btf::Spec target = std::move(bt).finish().value();
  std::vector<Insn> insns = {mov64_imm(1, 1), mov64_imm(2, 8), mov64_imm(3, 1), mov64_imm(4, 1), mov64_imm(5, 1),
                             mov64_imm(6, 1), mov64_imm(7, 4)};
  push_ld_imm64(insns, 8, task);
  push_ld_imm64(insns, 9, 12345);  // a target id: never validated
  insns.push_back(mov64_imm(1, 4));
  push_ld_imm64(insns, 2, 4);
  insns.push_back(exit_insn());
  ProgramSpec p = program_of(insns, {{0, task, zero, CoreReloKind::TypeExists},
                                     {1, task, zero, CoreReloKind::TypeSize},
                                     {2, gone, zero, CoreReloKind::TypeExists},
                                     {3, task, zero, CoreReloKind::TypeMatches},
                                     {4, strict, zero, CoreReloKind::TypeMatches},
                                     {5, pid_t, zero, CoreReloKind::TypeExists},
                                     {6, pid_t, zero, CoreReloKind::TypeSize},
                                     {7, task, zero, CoreReloKind::TypeIdLocal},
                                     {9, task, zero, CoreReloKind::TypeIdTarget},
                                     // A missing type's size and kernel id are 0, not poison.
                                     {11, gone, zero, CoreReloKind::TypeSize},
                                     {12, gone, zero, CoreReloKind::TypeIdTarget}});
  Relocated r = relocate(p, local, target);
  EXPECT_EQ(r.insns[0], mov64_imm(1, 1));
  EXPECT_EQ(r.insns[1], mov64_imm(2, 16));
  EXPECT_EQ(r.insns[2], mov64_imm(3, 0));
  EXPECT_EQ(r.insns[3], mov64_imm(4, 1));  // partial local type, members match
  EXPECT_EQ(r.insns[4], mov64_imm(5, 0));
  EXPECT_EQ(r.insns[5], mov64_imm(6, 1));
  EXPECT_EQ(r.insns[6], mov64_imm(7, 4));
  EXPECT_EQ(r.insns[7].imm, static_cast<int32_t>(task));
  EXPECT_EQ(r.insns[9].imm, static_cast<int32_t>(ttask));
  EXPECT_EQ(r.insns[10].imm, 0);
  EXPECT_EQ(r.reports[0].access, "struct task_struct");
  EXPECT_EQ(r.reports[2].outcome, CoreOutcome::Missing);
  EXPECT_EQ(r.reports[4].outcome, CoreOutcome::Missing);
  EXPECT_NE(r.reports[4].reason.find("does not match"), std::string::npos);
  EXPECT_EQ(r.reports[5].access, "pid_t");
  EXPECT_EQ(r.reports[8].target_type_id, ttask);
  EXPECT_EQ(r.insns[11], mov64_imm(1, 0));
  EXPECT_EQ(r.insns[12].imm, 0);
  EXPECT_EQ(r.reports[9].outcome, CoreOutcome::Missing);
  EXPECT_EQ(r.reports[10].outcome, CoreOutcome::Missing);
  EXPECT_EQ(r.reports[10].reason, "the target has no STRUCT named 'gone_struct'");
}


TEST(CoreCompat, TypeMatchesRules) {
  // Layout-level agreement: names, sizes, signedness, every local member;
  // pointers only need the pointee's name and kind; enums need the names.
  Builder bl;
  TypeId i32 = bl.add_int("int", 4, kIntSigned);
  TypeId lfwd = bl.add_fwd("file");
  TypeId has_ptr = bl.add_struct("holder", 16, {{"f", bl.add_ptr(lfwd), 0}, {"n", i32, 64}});
  TypeId en = bl.add_enum("mode", 4, {{"A", 0}, {"B", 1}});
  TypeId arr = bl.add_struct("arrs", 16, {{"a", bl.add_array(i32, i32, 4), 0}});
  uint32_t zero = bl.add_string("0");
  btf::Spec local = std::move(bl).finish().value();
  Builder bt;
  TypeId ti32 = bt.add_int("int", 4, kIntSigned);
  TypeId file = bt.add_struct("file", 64, {});
  bt.add_struct("holder", 24, {{"x", ti32, 0}, {"f", bt.add_ptr(file), 64}, {"n", ti32, 128}});
  bt.add_enum("mode", 4, {{"B", 7}, {"A", 9}, {"C", 1}});
  bt.add_struct("arrs", 32, {{"a", bt.add_array(ti32, ti32, 8), 0}});  // 8 elements, not 4
  btf::Spec target = std::move(bt).finish().value();
  ProgramSpec p = program_of({mov64_imm(1, 1), mov64_imm(2, 1), mov64_imm(3, 1), exit_insn()},
                             {{0, has_ptr, zero, CoreReloKind::TypeMatches},
                              {1, en, zero, CoreReloKind::TypeMatches},
                              {2, arr, zero, CoreReloKind::TypeMatches}});
  Relocated r = relocate(p, local, target);
  EXPECT_EQ(r.insns[0], mov64_imm(1, 1)) << r.reports[0].describe();
  EXPECT_EQ(r.insns[1], mov64_imm(2, 1)) << r.reports[1].describe();
  EXPECT_EQ(r.insns[2], mov64_imm(3, 0)) << r.reports[2].describe();
}


TEST(CoreCompat, IncompatibleFieldTypeIsNamed) {
  TaskLocal l = task_local();
  Builder bt;
  TypeId i32 = bt.add_int("int", 4, kIntSigned);
  TypeId task = bt.add_fwd("task_struct");
  bt.add_struct("task_struct", 16, {{"pid", i32, 0}, {"tgid", bt.add_ptr(task), 64}});
  btf::Spec target = std::move(bt).finish().value();
  ProgramSpec p = program_of({mov64_imm(1, 4), exit_insn()}, {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  EXPECT_EQ(r.insns[0], poison());
  EXPECT_EQ(r.reports[0].reason,
            "member 'tgid' of the target's struct task_struct is a pointer (struct task_struct *), the local one an "
            "integer (int)");
}


TEST(CoreCompat, EnumsAndIntegersAreCompatibleFields) {
  Builder bl;
  TypeId i32 = bl.add_int("int", 4, kIntSigned);
  TypeId s = bl.add_struct("st", 4, {{"mode", i32, 0}});
  uint32_t mode = bl.add_string("0:0");
  btf::Spec local = std::move(bl).finish().value();
  Builder bt;
  TypeId en = bt.add_enum("modes", 4, {{"M", 1}}, true);
  bt.add_struct("st", 8, {{"x", en, 0}, {"mode", en, 32}});
  btf::Spec target = std::move(bt).finish().value();
  ProgramSpec p = program_of({mov64_imm(1, 0), mov64_imm(2, 1), exit_insn()},
                             {{0, s, mode, CoreReloKind::FieldByteOffset}, {1, s, mode, CoreReloKind::FieldSigned}});
  Relocated r = relocate(p, local, target);
  EXPECT_EQ(r.insns[0], mov64_imm(1, 4));
  EXPECT_EQ(r.insns[1], mov64_imm(2, 1));  // a signed enum
}


TEST(CoreCompat, HostileNestingEndsQuickly) {
  // Anonymous structs nested as a DAG: each level holds the one below
  // twice, so a naive member search visits 2^40 members.
  TaskLocal l = task_local();
  Builder bt;
  TypeId i32 = bt.add_int("int", 4, kIntSigned);
  TypeId level = bt.add_struct("", 4, {{"x", i32, 0}});
  for (int i = 0; i < 40; ++i) level = bt.add_struct("", 4, {{"", level, 0}, {"", level, 0}});
  bt.add_struct("task_struct", 4, {{"", level, 0}});
  // Named structs doing the same, for TYPE_MATCHES.
  TypeId named = bt.add_struct("deep0", 4, {{"x", i32, 0}});
  for (int i = 1; i <= 30; ++i) {
    std::string n = "deep" + std::to_string(i);
    named = bt.add_struct(n, 4, {{"a", named, 0}, {"b", named, 0}});
  }
  btf::Spec target = std::move(bt).finish().value();
  Builder bl(target);  // the same types locally
  uint32_t zero = bl.add_string("0");
  btf::Spec local = std::move(bl).finish().value();

  ProgramSpec p = program_of({mov64_imm(1, 4), exit_insn()}, {{0, l.task, l.tgid, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  EXPECT_EQ(r.reports[0].outcome, CoreOutcome::Failed);
  EXPECT_NE(r.reports[0].reason.find("nests too deeply"), std::string::npos) << r.reports[0].reason;
  ProgramSpec q = program_of({mov64_imm(1, 1), exit_insn()}, {{0, named, zero, CoreReloKind::TypeMatches}});
  Relocated m = relocate(q, local, target);
  EXPECT_EQ(m.reports[0].outcome, CoreOutcome::Failed);
  EXPECT_NE(m.reports[0].reason.find("too large"), std::string::npos) << m.reports[0].reason;
}

}  // namespace
}  // namespace bpfxx::test
