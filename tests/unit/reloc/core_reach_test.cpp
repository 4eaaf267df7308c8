// mark_guarded: a poisoned instruction behind an existence check that
// resolved to 0 is unreachable; one on the straight path, or in a
// subprogram the program calls, is reachable.
#include "unit/reloc/core_test_util.hpp"

#include <gtest/gtest.h>

namespace bpfxx::test {
namespace {

using btf::Builder;
using btf::CoreReloKind;
using btf::kIntSigned;
using btf::TypeId;

TEST(CoreReach, GuardedPoisonIsUnreachable) {
  TaskLocal l = task_local();
  btf::Spec target = task_target();
  // if (exists(gone)) r0 = *(gone);  and, unguarded, r0 = *(gone) again.
  ProgramSpec p = program_of({mov64_imm(1, 1), jeq_imm(1, 0, 1), ldx(insn::kW, 0, 2, 8), ldx(insn::kW, 0, 2, 8),
                              exit_insn()},
                             {{0, l.task, l.gone, CoreReloKind::FieldExists},
                              {2, l.task, l.gone, CoreReloKind::FieldByteOffset},
                              {3, l.task, l.gone, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  reloc::mark_guarded(r.insns, {}, r.reports);
  EXPECT_TRUE(r.reports[1].guarded);
  EXPECT_FALSE(r.reports[2].guarded);
  EXPECT_NE(r.reports[1].describe().find("poisoned, guarded"), std::string::npos);
  EXPECT_NE(r.reports[2].describe().find("reachable"), std::string::npos);
}

TEST(CoreReach, Jmp32GuardsAndSubprogramCalls) {
  TaskLocal l = task_local();
  btf::Spec target = task_target();
  // 0: w1 = 1 (exists -> 0)   1: if w1 == 0 goto +1 (32-bit compare)
  // 2: poisoned (guarded)     3: call +2 (a subprogram at 6)   4: r0 = 0  5: exit
  // 6: poisoned (reached through the call)                     7: exit
  ProgramSpec p = program_of({mov32_imm(1, 1), make_insn(0x16, 1, 0, 1, 0), ldx(insn::kW, 0, 2, 8),
                              make_insn(insn::kCallCode, 0, insn::kPseudoCall, 0, 2), mov64_imm(0, 0), exit_insn(),
                              ldx(insn::kW, 0, 1, 8), exit_insn()},
                             {{0, l.task, l.gone, CoreReloKind::FieldExists},
                              {2, l.task, l.gone, CoreReloKind::FieldByteOffset},
                              {6, l.task, l.gone, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  EXPECT_EQ(r.insns[0], mov32_imm(1, 0));
  reloc::mark_guarded(r.insns, {}, r.reports);
  EXPECT_TRUE(r.reports[1].guarded);
  EXPECT_FALSE(r.reports[2].guarded);
}

TEST(CoreReach, UnknownValuesKeepBothBranches) {
  TaskLocal l = task_local();
  btf::Spec target = task_target();
  // The guard register is overwritten by a load (unknown), and an ld_imm64
  // listed as opaque (a map reference) is unknown too: no branch is dead.
  std::vector<Insn> insns = {mov64_imm(1, 1), ldx(insn::kDW, 1, 10, -8), jeq_imm(1, 0, 1), ldx(insn::kW, 0, 2, 8)};
  push_ld_imm64(insns, 3, 0);
  insns.push_back(jeq_imm(3, 0, 1));
  insns.push_back(ldx(insn::kW, 0, 2, 8));
  insns.push_back(exit_insn());
  ProgramSpec p = program_of(insns, {{0, l.task, l.gone, CoreReloKind::FieldExists},
                                     {3, l.task, l.gone, CoreReloKind::FieldByteOffset},
                                     {7, l.task, l.gone, CoreReloKind::FieldByteOffset}});
  Relocated r = relocate(p, l.spec, target);
  std::vector<uint32_t> opaque = {4};
  reloc::mark_guarded(r.insns, opaque, r.reports);
  EXPECT_FALSE(r.reports[1].guarded);
  EXPECT_FALSE(r.reports[2].guarded);
  // Without the opaque mark the ld_imm64's 0 is a constant, and the
  // second read is dead.
  reloc::mark_guarded(r.insns, {}, r.reports);
  EXPECT_TRUE(r.reports[2].guarded);
}

}  // namespace
}  // namespace bpfxx::test
