// bpfxx::Insn: one 8-byte BPF instruction, in host byte order.
//
// The register nibbles are kept as one byte whose layout is the little-endian
// kernel's (dst in the low nibble); instructions from big-endian objects are
// converted on parse. The opcode constants are the ISA's
// (Documentation/bpf/standardization/instruction-set.rst).
//
// Thread safety: a value type.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

namespace bpfxx {

// A trivial type (no member initialisers), so vectors of instructions copy
// with memcpy; write Insn{} for a zeroed one.
struct Insn {
  uint8_t code;
  uint8_t regs;  // dst in bits 0-3, src in bits 4-7
  int16_t off;
  int32_t imm;

  uint8_t dst() const noexcept { return regs & 0xf; }
  uint8_t src() const noexcept { return regs >> 4; }
  void set_dst(uint8_t r) noexcept { regs = static_cast<uint8_t>((regs & 0xf0) | (r & 0xf)); }
  void set_src(uint8_t r) noexcept { regs = static_cast<uint8_t>((regs & 0x0f) | (r << 4)); }
  bool operator==(const Insn&) const = default;
};
static_assert(sizeof(Insn) == 8);
static_assert(std::is_trivial_v<Insn>);

namespace insn {
// Classes.
inline constexpr uint8_t kLd = 0x00, kLdx = 0x01, kSt = 0x02, kStx = 0x03, kAlu = 0x04, kJmp = 0x05,
                         kJmp32 = 0x06, kAlu64 = 0x07;
// Sizes and modes for loads and stores.
inline constexpr uint8_t kW = 0x00, kH = 0x08, kB = 0x10, kDW = 0x18;
inline constexpr uint8_t kImm = 0x00, kAbs = 0x20, kInd = 0x40, kMem = 0x60, kMemsx = 0x80, kAtomic = 0xc0;
// Jump operations.
inline constexpr uint8_t kCall = 0x80, kExit = 0x90, kJa = 0x00;
// Source operand.
inline constexpr uint8_t kK = 0x00, kX = 0x08;
// ALU operations.
inline constexpr uint8_t kAdd = 0x00, kMov = 0xb0;

inline constexpr uint8_t kLdImm64 = kLd | kDW | kImm;  // 0x18: two slots
inline constexpr uint8_t kCallCode = kJmp | kCall;      // 0x85
inline constexpr uint8_t kExitCode = kJmp | kExit;      // 0x95

// Values of src_reg that give an instruction a special meaning.
inline constexpr uint8_t kPseudoMapFd = 1;      // ld_imm64: imm is a map fd
inline constexpr uint8_t kPseudoMapValue = 2;   // ld_imm64: map fd + value offset
inline constexpr uint8_t kPseudoBtfId = 3;      // ld_imm64: kernel variable BTF id
inline constexpr uint8_t kPseudoFunc = 4;       // ld_imm64: a subprogram's address
inline constexpr uint8_t kPseudoMapIdx = 5;
inline constexpr uint8_t kPseudoMapIdxValue = 6;
inline constexpr uint8_t kPseudoCall = 1;       // call: a BPF-to-BPF call
inline constexpr uint8_t kPseudoKfuncCall = 2;  // call: a kernel function

inline constexpr uint8_t cls(uint8_t code) noexcept { return code & 0x07; }
inline bool is_ld_imm64(const Insn& i) noexcept { return i.code == kLdImm64; }
inline bool is_pseudo_call(const Insn& i) noexcept { return i.code == kCallCode && i.src() == kPseudoCall; }
inline bool is_helper_call(const Insn& i) noexcept { return i.code == kCallCode && i.src() == 0; }
inline bool is_exit(const Insn& i) noexcept { return i.code == kExitCode; }

// One line of disassembly-ish text for dumps: "ld_imm64 r1, map 'events'" is
// beyond this; it prints the raw fields: "18 1 0 0 0".
std::string to_string(const Insn& i);
}  // namespace insn

}  // namespace bpfxx
