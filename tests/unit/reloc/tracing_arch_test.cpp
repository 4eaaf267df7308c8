// bpf_tracing.h's register views for every architecture it knows
// (tests/bpf/tracing_arch.bpf.c, built once per -D__TARGET_ARCH_<arch>).
// Each build declares its architecture's registers as the kernel's BTF names
// them; the expected offsets below come from the kernels' ptrace.h layouts
// (arch/<arch>/include/asm/ptrace.h and uapi/asm/ptrace.h):
//  - the plain PT_REGS_* macros read the right register (their byte offsets,
//    computed by the compiler into .rodata);
//  - the _CORE and _CORE_SYSCALL forms become CO-RE relocations naming the
//    right fields, which resolve against that BTF to the same registers
//    (and, through the local views, to fields such as orig_gpr2 that only
//    the kernel's struct has).
#include <bpfxx/core.hpp>
#include <bpfxx/object_spec.hpp>

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bpfxx::test {
namespace {

constexpr uint64_t kNone = ~uint64_t{0};  // a register the view does not offer

struct ArchCase {
  const char* arch;
  // PARM1..8, RET, FP, RC, SP, IP
  std::array<uint64_t, 13> plain;
  // program "core": access -> offset in the target
  std::vector<std::pair<std::string, uint64_t>> core;
  // program "syscall": the syscall arguments 1..6
  std::vector<std::pair<std::string, uint64_t>> syscall;
};

std::ostream& operator<<(std::ostream& os, const ArchCase& c) { return os << c.arch; }

const ArchCase kCases[] = {
    {"x86",
     // struct pt_regs: r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss
     {112, 104, 96, 88, 72, 64, kNone, kNone, 152, 32, 80, 152, 128},
     {{"pt_regs___bpfxx_x86->di", 112},
      {"pt_regs___bpfxx_x86->si", 104},
      {"pt_regs___bpfxx_x86->dx", 96},
      {"pt_regs___bpfxx_x86->cx", 88},
      {"pt_regs___bpfxx_x86->r8", 72},
      {"pt_regs___bpfxx_x86->r9", 64},
      {"pt_regs___bpfxx_x86->sp", 152},
      {"pt_regs___bpfxx_x86->bp", 32},
      {"pt_regs___bpfxx_x86->ax", 80},
      {"pt_regs___bpfxx_x86->ip", 128}},
     // The syscall ABI's fourth argument is r10 (syscall clobbers rcx).
     {{"pt_regs___bpfxx_x86->di", 112},
      {"pt_regs___bpfxx_x86->si", 104},
      {"pt_regs___bpfxx_x86->dx", 96},
      {"pt_regs___bpfxx_x86->r10", 56},
      {"pt_regs___bpfxx_x86->r8", 72},
      {"pt_regs___bpfxx_x86->r9", 64}}},
    {"arm64",
     // user_pt_regs: regs[31] sp pc pstate; the kernel's pt_regs adds orig_x0 after it
     {0, 8, 16, 24, 32, 40, 48, 56, 240, 232, 0, 248, 256},
     {{"user_pt_regs->regs[0]", 0},
      {"user_pt_regs->regs[7]", 56},
      {"user_pt_regs->regs[30]", 240},
      {"user_pt_regs->regs[29]", 232},
      {"user_pt_regs->sp", 248},
      {"user_pt_regs->pc", 256}},
     {{"pt_regs___bpfxx_arm64->orig_x0", 272},
      {"user_pt_regs->regs[1]", 8},
      {"user_pt_regs->regs[5]", 40}}},
    {"riscv",
     // user_regs_struct: pc ra sp gp tp t0 t1 t2 s0 s1 a0..a7 ...; orig_a0 at 280 in pt_regs
     {80, 88, 96, 104, 112, 120, 128, 136, 8, 64, 80, 16, 0},
     {{"user_regs_struct->a0", 80},
      {"user_regs_struct->a7", 136},
      {"user_regs_struct->ra", 8},
      {"user_regs_struct->s0", 64},
      {"user_regs_struct->sp", 16},
      {"user_regs_struct->pc", 0}},
     {{"pt_regs___bpfxx_riscv->orig_a0", 280},
      {"user_regs_struct->a1", 88},
      {"user_regs_struct->a5", 120}}},
    {"s390",
     // user_pt_regs: args[1] psw{mask,addr} gprs[16]; orig_gpr2 follows it in pt_regs.
     // Five arguments in gprs[2..6]; the sixth is on the stack.
     {40, 48, 56, 64, 72, kNone, kNone, kNone, 136, 112, 40, 144, 16},
     {{"user_pt_regs->gprs[2]", 40},
      {"user_pt_regs->gprs[6]", 72},
      {"user_pt_regs->gprs[14]", 136},
      {"user_pt_regs->gprs[11]", 112},
      {"user_pt_regs->gprs[15]", 144},
      {"user_pt_regs->psw.addr", 16}},
     {{"pt_regs___bpfxx_s390->orig_gpr2", 152},
      {"user_pt_regs->gprs[3]", 48},
      {"user_pt_regs->gprs[4]", 56},
      {"user_pt_regs->gprs[5]", 64},
      {"user_pt_regs->gprs[6]", 72},
      {"user_pt_regs->gprs[7]", 80}}},
    {"arm",
     // uregs[18] of 4-byte registers: r0..r10 fp ip sp lr pc cpsr ORIG_r0. Four
     // arguments; pc, not the scratch register ip, is uregs[15]. Read through a
     // 32-bit local view whatever size the program's struct pt_regs has.
     {0, 4, 8, 12, kNone, kNone, kNone, kNone, 56, 44, 0, 52, 60},
     {{"pt_regs___bpfxx_arm->uregs[0]", 0},
      {"pt_regs___bpfxx_arm->uregs[3]", 12},
      {"pt_regs___bpfxx_arm->uregs[14]", 56},
      {"pt_regs___bpfxx_arm->uregs[11]", 44},
      {"pt_regs___bpfxx_arm->uregs[13]", 52},
      {"pt_regs___bpfxx_arm->uregs[15]", 60}},
     // No syscall wrappers: the handler's r0..r5.
     {{"pt_regs___bpfxx_arm->uregs[0]", 0},
      {"pt_regs___bpfxx_arm->uregs[1]", 4},
      {"pt_regs___bpfxx_arm->uregs[2]", 8},
      {"pt_regs___bpfxx_arm->uregs[3]", 12},
      {"pt_regs___bpfxx_arm->uregs[4]", 16},
      {"pt_regs___bpfxx_arm->uregs[5]", 20}}},
    {"powerpc",
     // gpr[32] nip msr orig_gpr3 ctr link ...; no frame pointer register
     {24, 32, 40, 48, 56, 64, 72, 80, 288, kNone, 24, 8, 256},
     {{"pt_regs->gpr[3]", 24},
      {"pt_regs->gpr[10]", 80},
      {"pt_regs->link", 288},
      {"pt_regs->gpr[1]", 8},
      {"pt_regs->nip", 256}},
     // The kernel's registers sit in an anonymous union member. Whether a
     // syscall wrapper passes the user's registers is decided at load time
     // (LINUX_HAS_SYSCALL_WRAPPER): argument 1 is then orig_gpr3, else gpr[3].
     {{"pt_regs->orig_gpr3", 272},
      {"pt_regs->gpr[3]", 24},
      {"pt_regs->gpr[4]", 32},
      {"pt_regs->gpr[8]", 64}}},
    {"mips",
     // The kernel's 64-bit pt_regs: regs[32] cp0_status hi lo cp0_badvaddr cp0_cause cp0_epc
     {32, 40, 48, 56, 64, 72, 80, 88, 248, 240, 16, 232, 296},
     // The local view puts cp0_epc right after regs; CO-RE moves it to 296.
     {{"pt_regs___bpfxx_mips->regs[4]", 32},
      {"pt_regs___bpfxx_mips->regs[11]", 88},
      {"pt_regs___bpfxx_mips->regs[31]", 248},
      {"pt_regs___bpfxx_mips->regs[30]", 240},
      {"pt_regs___bpfxx_mips->regs[2]", 16},
      {"pt_regs___bpfxx_mips->regs[29]", 232},
      {"pt_regs___bpfxx_mips->cp0_epc", 296}},
     {{"pt_regs___bpfxx_mips->regs[4]", 32},
      {"pt_regs___bpfxx_mips->regs[9]", 72}}},
    {"loongarch",
     // user_pt_regs: regs[32] orig_a0 csr_era csr_badv ...; a0..a7 are regs[4..11]
     {32, 40, 48, 56, 64, 72, 80, 88, 8, 176, 32, 24, 264},
     {{"pt_regs___bpfxx_loongarch->regs[4]", 32},
      {"pt_regs___bpfxx_loongarch->regs[11]", 88},
      {"pt_regs___bpfxx_loongarch->regs[1]", 8},
      {"pt_regs___bpfxx_loongarch->regs[22]", 176},
      {"pt_regs___bpfxx_loongarch->regs[3]", 24},
      {"pt_regs___bpfxx_loongarch->csr_era", 264}},
     {{"pt_regs___bpfxx_loongarch->regs[4]", 32},
      {"pt_regs___bpfxx_loongarch->regs[9]", 72}}},
};

class TracingArchTest : public ::testing::TestWithParam<ArchCase> {};

// Report value by access, for one program; fails the test on duplicates
// that disagree.
std::map<std::string, uint64_t> resolved_of(const std::vector<CoreReport>& reports, const std::string& program) {
  std::map<std::string, uint64_t> out;
  for (const CoreReport& r : reports) {
    if (r.program != program) continue;
    EXPECT_EQ(r.outcome, CoreOutcome::Resolved) << r.describe();
    auto [it, inserted] = out.emplace(r.access, r.target_value);
    if (!inserted) {
      EXPECT_EQ(it->second, r.target_value) << r.describe();
    }
  }
  return out;
}

TEST_P(TracingArchTest, PlainMacrosReadTheArchitecturesRegisters) {
  const ArchCase& c = GetParam();
  auto spec = ObjectSpec::open(bpf_object(std::string("tracing_arch_") + c.arch));
  ASSERT_TRUE(spec) << spec.error().describe();
  const MapSpec* rodata = spec->map(".rodata");
  ASSERT_NE(rodata, nullptr);
  ASSERT_GE(rodata->contents.size(), sizeof(uint64_t) * c.plain.size());
  static const char* const kNames[] = {"PARM1", "PARM2", "PARM3", "PARM4", "PARM5", "PARM6", "PARM7",
                                       "PARM8", "RET",   "FP",    "RC",    "SP",    "IP"};
  for (size_t i = 0; i < c.plain.size(); ++i) {
    uint64_t off = 0;
    std::memcpy(&off, rodata->contents.data() + i * sizeof(off), sizeof(off));
    EXPECT_EQ(off, c.plain[i]) << c.arch << " PT_REGS_" << kNames[i];
  }
}

TEST_P(TracingArchTest, CoreFormsRelocateToTheSameRegisters) {
  const ArchCase& c = GetParam();
  auto spec = ObjectSpec::open(bpf_object(std::string("tracing_arch_") + c.arch));
  ASSERT_TRUE(spec) << spec.error().describe();
  ASSERT_TRUE(spec->btf);
  auto reports = check_portability(*spec, *spec->btf);
  ASSERT_TRUE(reports) << reports.error().describe();
  const auto core = resolved_of(*reports, "core");
  for (const auto& [access, offset] : c.core) {
    auto it = core.find(access);
    ASSERT_NE(it, core.end()) << c.arch << ": no CO-RE read of " << access;
    EXPECT_EQ(it->second, offset) << c.arch << " " << access;
  }
  const auto syscall = resolved_of(*reports, "syscall");
  for (const auto& [access, offset] : c.syscall) {
    auto it = syscall.find(access);
    ASSERT_NE(it, syscall.end()) << c.arch << ": no CO-RE syscall read of " << access;
    EXPECT_EQ(it->second, offset) << c.arch << " " << access;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryArchitecture, TracingArchTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ArchCase>& info) { return std::string(info.param.arch); });

}  // namespace
}  // namespace bpfxx::test
