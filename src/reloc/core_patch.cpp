// Writing a relocated value into the instruction clang left for it, and
// poisoning instructions whose relocation has no target.
//
// Clang puts CO-RE values in four places: the immediate of an ALU/ALU64
// instruction (r1 = 16, r1 += 16), the offset of a load or store
// (r1 = *(u32 *)(r2 + 16)), and the 64-bit immediate of an ld_imm64 (enum
// values, type ids). Before writing, the instruction must still hold the
// value computed from the local types: anything else means the record and
// the code disagree, and patching would corrupt the program.
#include "reloc/core_internal.hpp"

#include <fmt/format.h>

#include <limits>

namespace bpfxx::reloc::core {

namespace {

Error bad_insn(uint32_t index, const Insn& in, std::string what) {
  return Error(Errc::RelocationFailed, fmt::format("instruction {} ({}): {}", index, insn::to_string(in), what));
}

uint8_t size_code(uint32_t bytes) noexcept {
  switch (bytes) {
    case 1: return insn::kB;
    case 2: return insn::kH;
    case 4: return insn::kW;
    case 8: return insn::kDW;
    default: return 0xff;
  }
}

Result<void> patch_alu(Insn& in, uint32_t index, const Patch& p) {
  if ((in.code & insn::kX) != insn::kK) return bad_insn(index, in, "a CO-RE value needs an immediate operand");
  const bool alu64 = insn::cls(in.code) == insn::kAlu64;
  // ALU32 works on the low 32 bits; ALU64 sign-extends its immediate.
  const bool holds = alu64 ? static_cast<int64_t>(in.imm) == static_cast<int64_t>(p.local_value)
                           : static_cast<uint32_t>(in.imm) == static_cast<uint32_t>(p.local_value);
  if (p.validate && !holds) {
    return bad_insn(index, in, fmt::format("holds {}, but the local types give {}", in.imm, p.local_value));
  }
  const int64_t v = static_cast<int64_t>(p.target_value);
  const bool fits = alu64 ? v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()
                          : p.target_value <= std::numeric_limits<uint32_t>::max() ||
                                v >= std::numeric_limits<int32_t>::min();
  if (!fits) return bad_insn(index, in, fmt::format("the target value {} does not fit a 32-bit immediate", p.target_value));
  in.imm = static_cast<int32_t>(static_cast<uint32_t>(p.target_value));
  return {};
}

Result<void> patch_mem(Insn& in, uint32_t index, const Patch& p) {
  if (p.validate && static_cast<int64_t>(in.off) != static_cast<int64_t>(p.local_value)) {
    return bad_insn(index, in, fmt::format("has offset {}, but the local types give {}", in.off, p.local_value));
  }
  if (p.target_value > static_cast<uint64_t>(std::numeric_limits<int16_t>::max())) {
    return bad_insn(index, in, fmt::format("the target offset {} does not fit a load's 16-bit offset", p.target_value));
  }
  in.off = static_cast<int16_t>(p.target_value);
  // Follow a field that changed size, when the instruction accessed the
  // whole field. One that reads part of it (clang narrowing a load to the
  // bytes it uses) keeps its size.
  if (p.local_size != 0 && p.target_size != p.local_size && mem_access_size(in) == p.local_size) {
    uint8_t code = size_code(p.target_size);
    if (code == 0xff) {
      return bad_insn(index, in, fmt::format("the target field is {} bytes, which no load or store can access",
                                             p.target_size));
    }
    in.code = static_cast<uint8_t>((in.code & ~uint8_t{0x18}) | code);
  }
  return {};
}

Result<void> patch_ld_imm64(std::span<Insn> insns, uint32_t index, const Patch& p) {
  Insn& lo = insns[index];
  if (index + 1 >= insns.size()) return bad_insn(index, lo, "ld_imm64 without its second half");
  const Insn& hi = insns[index + 1];
  if (lo.src() != 0 || lo.off != 0 || hi.code != 0 || hi.regs != 0 || hi.off != 0) {
    return bad_insn(index, lo, "an ld_imm64 carrying a CO-RE value must be a plain constant");
  }
  uint64_t held = static_cast<uint32_t>(lo.imm) | (uint64_t{static_cast<uint32_t>(hi.imm)} << 32);
  if (p.validate && held != p.local_value) {
    return bad_insn(index, lo, fmt::format("holds {}, but the local types give {}", held, p.local_value));
  }
  lo.imm = static_cast<int32_t>(static_cast<uint32_t>(p.target_value));
  insns[index + 1].imm = static_cast<int32_t>(static_cast<uint32_t>(p.target_value >> 32));
  return {};
}

}  // namespace

uint32_t mem_access_size(const Insn& in) noexcept {
  uint8_t c = insn::cls(in.code);
  if (c != insn::kLdx && c != insn::kSt && c != insn::kStx) return 0;
  switch (in.code & 0x18) {
    case insn::kB: return 1;
    case insn::kH: return 2;
    case insn::kW: return 4;
    default: return 8;
  }
}

Result<void> patch_insn(std::span<Insn> insns, uint32_t index, const Patch& p) {
  if (index >= insns.size()) {
    return Error(Errc::RelocationFailed,
                 fmt::format("instruction {} is past the end of the program ({} instructions)", index, insns.size()));
  }
  Insn& in = insns[index];
  switch (insn::cls(in.code)) {
    case insn::kAlu:
    case insn::kAlu64: return patch_alu(in, index, p);
    case insn::kLdx:
    case insn::kSt:
    case insn::kStx: return patch_mem(in, index, p);
    case insn::kLd:
      if (insn::is_ld_imm64(in)) return patch_ld_imm64(insns, index, p);
      break;
    default: break;
  }
  return bad_insn(index, in, "this kind of instruction cannot carry a CO-RE value");
}

void poison_insn(std::span<Insn> insns, uint32_t index) {
  if (index >= insns.size()) return;
  const bool wide = insn::is_ld_imm64(insns[index]) && index + 1 < insns.size();
  // The second half of an ld_imm64 alone is no instruction (opcode 0), so
  // it becomes the same bad call: the verifier then names the poison, not
  // an unknown opcode, if it ever gets there.
  for (uint32_t i = index; i <= index + (wide ? 1 : 0); ++i) {
    Insn& in = insns[i];
    in = Insn{};
    in.code = insn::kCallCode;
    in.imm = kPoisonHelperId;
  }
}

}  // namespace bpfxx::reloc::core
