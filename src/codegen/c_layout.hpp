// LayoutModel: how clang -target bpf lays out the C the header declares, and
// what each struct or union definition needs (packed, aligned(N), padding) so
// that its layout is the BTF's, offset for offset.
//
// Sizes and alignments here are those of the emitted C, not of the BTF: a
// `long double` or a compiler-builtin `va_list` may differ between the kernel
// and the BPF target, and a struct whose alignment BTF does not record gets
// the one its emitted definition has. Padding then absorbs every difference
// in the containing structs.
//
// Thread safety: one owner.
#pragma once

#include <bpfxx/btf/spec.hpp>

#include "codegen/zeroed_array.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::codegen::detail {

struct Shape {
  uint32_t size = 0;
  uint32_t align = 1;
};

// What a struct or union definition needs.
struct Plan {
  bool packed = false;
  bool exact = true;        // false: no C spelling reproduces the BTF layout
  uint32_t align_attr = 0;  // emit __attribute__((aligned(N))); 0: none
  uint32_t align = 1;       // the alignment clang gives the definition
};

// One member as the header declares it.
struct Slot {
  std::string_view name;
  btf::TypeId type = 0;
  uint64_t bit_offset = 0;
  uint32_t bits = 0;  // bitfield width; 0: not a bitfield
  Shape shape;
};

struct WalkEnd {
  uint64_t end_bits = 0;
  uint32_t max_align = 1;
};

inline uint64_t round_up(uint64_t v, uint64_t to) { return to <= 1 ? v : (v + to - 1) / to * to; }

class LayoutModel {
 public:
  explicit LayoutModel(const btf::Spec& spec);

  Shape shape(btf::TypeId id) {
    if (id < cells_.size() && cells_[id].state == kDone) return {cells_[id].size, cells_[id].align};
    return compute(id);
  }
  Plan plan(btf::TypeId composite);
  // A layout found while writing a definition: begin() marks the struct as
  // in progress (false if it is decided or already in progress), then
  // either store() its plan, or abandon() to leave it to plan().
  bool begin(btf::TypeId composite);
  void store(btf::TypeId composite, const Plan& p);
  void abandon(btf::TypeId composite);
  // The plan for a walk that reached every member in `packed` mode, if the
  // size can be reached from where it ended.
  std::optional<Plan> finish(const btf::Type& t, bool packed, const WalkEnd& end);
  Slot slot(const btf::Type& t, uint32_t index);
  // The first structural failure met (a struct containing itself by value,
  // nesting too deep); the header cannot be written then.
  const std::optional<std::string>& failure() const noexcept { return failure_; }

  // Visits members and padding in declaration order as they are laid out,
  // packed or not: out.pad(bits, at_bit) and out.member(index, slot).
  // Returns false if the BTF offsets are out of reach in that mode.
  template <typename Out>
  bool lay_out(const btf::Type& t, bool packed, Out& out, WalkEnd& end);
  // The trailing padding a struct needs after its last member.
  template <typename Out>
  void lay_out_tail(const btf::Type& t, const Plan& plan, const WalkEnd& end, Out& out);

 private:
  // Per type id, 8 bytes, all zero (kUnknown) at first: vmlinux has ~130k
  // ids, most never looked at.
  struct Cell {
    uint32_t size;
    uint16_t align;
    uint8_t state;  // kUnknown, kBusy, kDone
    uint8_t bits;   // kPacked, kInexact, kLegacyInt, log2(aligned attr) + 1 above kAttrShift
  };
  enum : uint8_t { kUnknown = 0, kBusy = 1, kDone = 2 };
  enum : uint8_t { kPacked = 1, kInexact = 2, kLegacyInt = 4, kAttrShift = 3 };

  Shape compute(btf::TypeId id);
  Plan decide(const btf::Type& t);
  template <typename Out>
  static void pad(uint64_t from, uint64_t to, bool packed, Out& out);

  const btf::Spec& spec_;
  ZeroedArray<Cell> cells_;
  int depth_ = 0;
  std::optional<std::string> failure_;
};

// Padding with unnamed bitfields, which take no part in the struct's
// alignment. Outside packed structs an unnamed bitfield that would cross a
// unit of its type starts at the next unit instead, so a `long: 64` from an
// unaligned position also swallows the rest of the current 64-bit unit.
template <typename Out>
void LayoutModel::pad(uint64_t from, uint64_t to, bool packed, Out& out) {
  while (from < to) {
    uint64_t unit_end = round_up(from, 64);
    if (!packed && unit_end + 64 <= to) {
      out.pad(64, unit_end);
      from = unit_end + 64;
      continue;
    }
    uint64_t stop = to;
    if (unit_end > from && unit_end < stop) stop = unit_end;  // never cross a 64-bit unit
    if (stop - from > 64) stop = from + 64;
    out.pad(static_cast<uint32_t>(stop - from), from);
    from = stop;
  }
}

template <typename Out>
bool LayoutModel::lay_out(const btf::Type& t, bool packed, Out& out, WalkEnd& end) {
  const bool is_union = t.kind() == btf::Kind::Union;
  uint64_t pos = 0;
  uint32_t max_align = 1;
  for (uint32_t i = 0; i < t.vlen(); ++i) {
    Slot s = slot(t, i);
    const uint32_t a = packed ? 1 : s.shape.align;
    const uint64_t unit_bits = uint64_t{s.shape.size} * 8;
    if (is_union) {
      if (s.bit_offset != 0 || (s.bits != 0 && s.bits > unit_bits)) return false;
      out.member(i, s);
      pos = std::max<uint64_t>(pos, s.bits != 0 ? s.bits : unit_bits);
    } else if (s.bits == 0) {
      if (s.bit_offset % 8 != 0) return false;
      uint64_t natural = round_up(pos, uint64_t{a} * 8);
      if (s.bit_offset < natural) return false;
      if (s.bit_offset > natural) pad(pos, s.bit_offset, packed, out);
      out.member(i, s);
      pos = s.bit_offset + unit_bits;
    } else {
      if (s.bits > unit_bits) return false;
      // clang moves a bitfield that would run past the end of a unit of its
      // type (counted from an aligned start) to the next aligned position.
      auto crosses = [&](uint64_t at) { return !packed && at % (uint64_t{a} * 8) + s.bits > unit_bits; };
      uint64_t natural = crosses(pos) ? round_up(pos, uint64_t{a} * 8) : pos;
      if (s.bit_offset < natural) return false;
      if (s.bit_offset > natural) {
        if (crosses(s.bit_offset)) return false;
        pad(pos, s.bit_offset, packed, out);
      }
      out.member(i, s);
      pos = s.bit_offset + s.bits;
    }
    max_align = std::max(max_align, a);
  }
  end = {pos, max_align};
  return true;
}

template <typename Out>
void LayoutModel::lay_out_tail(const btf::Type& t, const Plan& plan, const WalkEnd& end, Out& out) {
  if (!plan.exact) return;
  uint64_t size_bits = uint64_t{t.size()} * 8;
  uint64_t natural = round_up(end.end_bits, uint64_t{plan.packed ? 1 : std::max(end.max_align, plan.align_attr)} * 8);
  if (natural >= size_bits) return;
  if (t.kind() == btf::Kind::Union) {
    out.pad(static_cast<uint32_t>(size_bits), 0);  // overlays the members from offset 0
  } else {
    pad(end.end_bits, size_bits, plan.packed, out);
  }
}

}  // namespace bpfxx::codegen::detail
