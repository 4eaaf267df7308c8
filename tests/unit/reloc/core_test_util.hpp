// Helpers for the CO-RE unit tests: hand-written instructions, programs
// with CO-RE records over a Builder-made local BTF, and report lookups.
#pragma once

#include <bpfxx/btf/builder.hpp>
#include <bpfxx/core.hpp>
#include <bpfxx/program_spec.hpp>

#include "reloc/core.hpp"

#include <string_view>
#include <vector>

namespace bpfxx::test {

inline Insn make_insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  Insn i{};
  i.code = code;
  i.set_dst(dst);
  i.set_src(src);
  i.off = off;
  i.imm = imm;
  return i;
}
inline Insn mov64_imm(uint8_t dst, int32_t imm) { return make_insn(0xb7, dst, 0, 0, imm); }
inline Insn mov32_imm(uint8_t dst, int32_t imm) { return make_insn(0xb4, dst, 0, 0, imm); }
inline Insn add64_imm(uint8_t dst, int32_t imm) { return make_insn(0x07, dst, 0, 0, imm); }
inline Insn ldx(uint8_t size, uint8_t dst, uint8_t src, int16_t off) {
  return make_insn(static_cast<uint8_t>(insn::kLdx | insn::kMem | size), dst, src, off, 0);
}
inline Insn stx(uint8_t size, uint8_t dst, uint8_t src, int16_t off) {
  return make_insn(static_cast<uint8_t>(insn::kStx | insn::kMem | size), dst, src, off, 0);
}
inline Insn jeq_imm(uint8_t dst, int32_t imm, int16_t off) { return make_insn(0x15, dst, 0, off, imm); }
inline Insn exit_insn() { return make_insn(insn::kExitCode, 0, 0, 0, 0); }
inline Insn poison() { return make_insn(insn::kCallCode, 0, 0, 0, reloc::kPoisonHelperId); }
// Both halves of an ld_imm64 of `value` into `dst`.
inline void push_ld_imm64(std::vector<Insn>& v, uint8_t dst, uint64_t value) {
  v.push_back(make_insn(insn::kLdImm64, dst, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(value))));
  v.push_back(make_insn(0, 0, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(value >> 32))));
}

inline ProgramSpec program_of(std::vector<Insn> insns, std::vector<CoreRelocation> relos) {
  ProgramSpec p;
  p.name = "prog";
  p.insns = std::move(insns);
  p.core_relocations = std::move(relos);
  return p;
}

// Relocates a copy of `p`'s instructions against one target spec.
struct Relocated {
  std::vector<Insn> insns;
  std::vector<CoreReport> reports;
};
inline Relocated relocate(const ProgramSpec& p, const btf::Spec& local, const btf::Spec& target,
                          reloc::CoreDetail detail = reloc::CoreDetail::Full) {
  Relocated r{p.insns, {}};
  reloc::CoreTargets targets(target);
  r.reports = reloc::apply_core_relocations(r.insns, p, local, targets, detail);
  return r;
}

// The first report with this kind and C access text, or null.
inline const CoreReport* find_report(const std::vector<CoreReport>& reports, btf::CoreReloKind kind,
                                     std::string_view access) {
  for (const CoreReport& r : reports) {
    if (r.kind == kind && r.access == access) return &r;
  }
  return nullptr;
}

// Local: struct task_struct { int pid; int tgid; int gone; };
struct TaskLocal {
  btf::Spec spec;
  btf::TypeId task = 0;
  uint32_t pid = 0, tgid = 0, gone = 0;  // access strings
};
inline TaskLocal task_local(std::string_view name = "task_struct") {
  btf::Builder b;
  btf::TypeId i32 = b.add_int("int", 4, btf::kIntSigned);
  TaskLocal l;
  l.task = b.add_struct(name, 12, {{"pid", i32, 0}, {"tgid", i32, 32}, {"gone", i32, 64}});
  l.pid = b.add_string("0:0");
  l.tgid = b.add_string("0:1");
  l.gone = b.add_string("0:2");
  l.spec = std::move(b).finish().value();
  return l;
}

// Target: struct task_struct { long state; int pid; int tgid; } (no "gone").
inline btf::Spec task_target() {
  btf::Builder b;
  btf::TypeId i32 = b.add_int("int", 4, btf::kIntSigned);
  btf::TypeId i64 = b.add_int("long int", 8, btf::kIntSigned);
  b.add_struct("task_struct", 16, {{"state", i64, 0}, {"pid", i32, 64}, {"tgid", i32, 96}});
  return std::move(b).finish().value();
}

}  // namespace bpfxx::test
