// Is a poisoned instruction guarded? A small constant propagation over the
// relocated program, the part of the verifier's path pruning that CO-RE
// guards rely on: `if (bpf_core_field_exists(...))` compiles to a register
// set to the relocated 0 or 1 and a conditional jump on it, so with the
// constants known the guarded branch is dead.
//
// Registers hold a known constant or "unknown"; branches on known values
// follow one edge, others both; states merge where paths meet. Everything
// the analysis does not model (memory, helpers, stack spills) is unknown,
// so it may call a guarded instruction reachable, never the reverse, unless
// the guard lives in memory, which clang does not do for these constants.
#include "reloc/core.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <optional>

namespace bpfxx::reloc {

namespace {

struct Regs {
  std::array<std::optional<uint64_t>, 11> r;
  // Keeps only what both paths agree on; true when something was lost.
  bool merge(const Regs& o) {
    bool changed = false;
    for (size_t i = 0; i < r.size(); ++i) {
      if (r[i] && (!o.r[i] || *o.r[i] != *r[i])) {
        r[i].reset();
        changed = true;
      }
    }
    return changed;
  }
};

std::optional<uint64_t> alu(uint8_t op, uint64_t a, uint64_t b, bool is64) {
  uint64_t v;
  switch (op) {
    case 0x00: v = a + b; break;
    case 0x10: v = a - b; break;
    case 0x20: v = a * b; break;
    case 0x40: v = a | b; break;
    case 0x50: v = a & b; break;
    case 0x60: v = a << (b & (is64 ? 63 : 31)); break;
    case 0x70: v = (is64 ? a : static_cast<uint32_t>(a)) >> (b & (is64 ? 63 : 31)); break;
    case 0xa0: v = a ^ b; break;
    case 0xb0: v = b; break;  // mov
    default: return std::nullopt;
  }
  return is64 ? v : static_cast<uint32_t>(v);
}

// nullopt: undecidable.
std::optional<bool> branch(uint8_t op, uint64_t a, uint64_t b, bool is32) {
  if (is32) {
    a = static_cast<uint32_t>(a);
    b = static_cast<uint32_t>(b);
  }
  const int64_t sa = is32 ? static_cast<int32_t>(a) : static_cast<int64_t>(a);
  const int64_t sb = is32 ? static_cast<int32_t>(b) : static_cast<int64_t>(b);
  switch (op) {
    case 0x10: return a == b;
    case 0x50: return a != b;
    case 0x20: return a > b;
    case 0x30: return a >= b;
    case 0xa0: return a < b;
    case 0xb0: return a <= b;
    case 0x40: return (a & b) != 0;
    case 0x60: return sa > sb;
    case 0x70: return sa >= sb;
    case 0xc0: return sa < sb;
    case 0xd0: return sa <= sb;
    default: return std::nullopt;
  }
}

class Reach {
 public:
  Reach(std::span<const Insn> insns, std::span<const uint32_t> opaque)
      : insns_(insns), opaque_(opaque), in_(insns.size()), seen_(insns.size(), false) {}

  void run() {
    visit(0, Regs{});
    while (!work_.empty()) {
      size_t i = work_.front();
      work_.pop_front();
      step(i, in_[i]);
    }
  }
  bool reached(size_t i) const { return i < seen_.size() && seen_[i]; }

 private:
  void visit(size_t i, const Regs& st) {
    if (i >= insns_.size()) return;
    if (!seen_[i]) {
      seen_[i] = true;
      in_[i] = st;
    } else if (!in_[i].merge(st)) {
      return;
    }
    work_.push_back(i);
  }

  void step(size_t i, Regs st) {
    const Insn& in = insns_[i];
    const uint8_t cls = insn::cls(in.code), op = in.code & 0xf0;
    const uint8_t dst = in.dst() % 11, src = in.src() % 11;
    switch (cls) {
      case insn::kAlu:
      case insn::kAlu64: {
        const bool is64 = cls == insn::kAlu64;
        std::optional<uint64_t> b = (in.code & insn::kX) ? st.r[src]
                                                         : std::optional<uint64_t>(static_cast<uint64_t>(
                                                               static_cast<int64_t>(in.imm)));
        if (op == 0xb0 && !is64 && b) b = static_cast<uint32_t>(*b);
        std::optional<uint64_t> a = st.r[dst];
        st.r[dst] = (b && (a || op == 0xb0)) ? alu(op, a.value_or(0), *b, is64) : std::nullopt;
        return visit(i + 1, st);
      }
      case insn::kLd:
        if (insn::is_ld_imm64(in) && i + 1 < insns_.size()) {
          const bool known = in.src() == 0 && !std::binary_search(opaque_.begin(), opaque_.end(), i);
          st.r[dst] = known ? std::optional<uint64_t>(static_cast<uint32_t>(in.imm) |
                                                      (uint64_t{static_cast<uint32_t>(insns_[i + 1].imm)} << 32))
                            : std::nullopt;
          // A subprogram whose address is taken (a callback) runs too.
          if (in.src() == insn::kPseudoFunc) visit(i + 1 + static_cast<size_t>(in.imm), Regs{});
          return visit(i + 2, st);
        }
        st.r[0].reset();  // legacy packet loads
        return visit(i + 1, st);
      case insn::kLdx:
        st.r[dst].reset();
        return visit(i + 1, st);
      case insn::kSt:
      case insn::kStx:
        if ((in.code & 0xe0) == insn::kAtomic) {
          st.r[src].reset();
          st.r[0].reset();
        }
        return visit(i + 1, st);
      case insn::kJmp:
      case insn::kJmp32: break;
      default: return;
    }
    if (in.code == insn::kCallCode) {
      if (in.src() == insn::kPseudoCall) visit(i + 1 + static_cast<size_t>(static_cast<int64_t>(in.imm)), Regs{});
      for (int r = 0; r <= 5; ++r) st.r[r].reset();
      return visit(i + 1, st);
    }
    if (in.code == insn::kExitCode) return;
    const int64_t off = (cls == insn::kJmp32 && op == insn::kJa) ? in.imm : in.off;
    const size_t target = static_cast<size_t>(static_cast<int64_t>(i) + 1 + off);
    if (op == insn::kJa) return visit(target, st);
    std::optional<bool> taken;
    std::optional<uint64_t> b = (in.code & insn::kX) ? st.r[src]
                                                     : std::optional<uint64_t>(static_cast<uint64_t>(
                                                           static_cast<int64_t>(in.imm)));
    if (st.r[dst] && b) taken = branch(op, *st.r[dst], *b, cls == insn::kJmp32);
    if (!taken || *taken) visit(target, st);
    if (!taken || !*taken) visit(i + 1, st);
  }

  std::span<const Insn> insns_;
  std::span<const uint32_t> opaque_;
  std::vector<Regs> in_;
  std::vector<bool> seen_;
  std::deque<size_t> work_;
};

}  // namespace

void mark_guarded(std::span<const Insn> insns, std::span<const uint32_t> opaque, std::vector<CoreReport>& reports) {
  std::vector<uint32_t> sorted(opaque.begin(), opaque.end());
  std::sort(sorted.begin(), sorted.end());
  Reach reach(insns, sorted);
  reach.run();
  for (CoreReport& r : reports) {
    if (r.outcome == CoreOutcome::Poisoned) r.guarded = !reach.reached(r.insn_index);
  }
}

}  // namespace bpfxx::reloc
