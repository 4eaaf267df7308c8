#include "codegen/c_layout.hpp"

#include <fmt/format.h>

namespace bpfxx::codegen::detail {

using btf::Kind;
using btf::Type;
using btf::TypeId;

namespace {

// Deeper than any real C type; bounds the recursion on hostile BTF.
constexpr int kMaxDepth = 512;
// The largest alignment a trailing gap is taken to mean (a page): anything
// wider is padded explicitly instead.
constexpr uint32_t kMaxInferredAlign = 4096;

struct NoOutput {
  void pad(uint32_t, uint64_t) {}
  void member(uint32_t, const Slot&) {}
};

// Alignment of a scalar of `size` bytes on the BPF target: its size for the
// power-of-two sizes (__int128 is 16-byte aligned there too).
uint32_t scalar_align(uint32_t size) {
  if (size == 0) return 1;
  uint32_t a = size & (~size + 1);  // lowest set bit
  return a > 16 ? 16 : a;
}

// A power-of-two alignment above `align` that rounds a struct ending at
// `end_bits` up to exactly `size_bits`, or 0. The smallest such, except that
// a cache line (64 bytes, ____cacheline_aligned on the common architectures)
// is preferred when it fits too: a smaller guess is always safe, but a
// faithful one keeps containing structs free of explicit padding.
uint32_t explaining_align(uint64_t end_bits, uint64_t size_bits, uint32_t align) {
  auto fits = [&](uint32_t a) { return round_up(end_bits, uint64_t{a} * 8) == size_bits; };
  for (uint32_t a = align * 2; a <= kMaxInferredAlign && uint64_t{a} * 8 <= size_bits; a *= 2) {
    if (!fits(a)) continue;
    return a < 64 && fits(64) ? 64 : a;
  }
  return 0;
}

}  // namespace

LayoutModel::LayoutModel(const btf::Spec& spec) : spec_(spec), cells_(spec.type_count()) {}

Slot LayoutModel::slot(const Type& t, uint32_t index) {
  const btf::Member m = t.member(index);
  Slot s{m.name, m.type, m.bit_offset, m.bitfield_size, shape(m.type)};
  // Older BTF (struct kflag clear) encodes a bitfield in the member's INT:
  // fewer bits than its size, and possibly an offset within it.
  if (s.bits == 0 && m.type < cells_.size() && (cells_[m.type].bits & kLegacyInt) != 0) {
    btf::IntInfo ii = spec_.type_unchecked(m.type).int_info();
    s.bits = ii.bits;
    s.bit_offset += ii.bit_offset;
  }
  return s;
}

Shape LayoutModel::compute(TypeId id) {
  if (id >= cells_.size()) return {};
  if (cells_[id].state == kBusy) {
    if (!failure_) failure_ = fmt::format("type [{}] contains itself by value", id);
    return {};
  }
  if (++depth_ > kMaxDepth) {
    if (!failure_) failure_ = fmt::format("type [{}] nests more than {} levels deep", id, kMaxDepth);
    --depth_;
    return {};
  }
  cells_[id].state = kBusy;
  Shape s;
  uint8_t bits = 0;
  Type t = spec_.type_unchecked(id);
  switch (t.kind()) {
    case Kind::Int: {
      s = {t.size(), scalar_align(t.size())};
      btf::IntInfo ii = t.int_info();
      if (ii.bit_offset != 0 || uint32_t{ii.bits} != t.size() * 8) bits |= kLegacyInt;
      break;
    }
    case Kind::Enum:
    case Kind::Enum64: s = {t.size(), scalar_align(t.size())}; break;
    // float and double; any other width is written `long double`, which
    // is 8 bytes on the BPF target.
    case Kind::Float: s = t.size() == 4 ? Shape{4, 4} : Shape{8, 8}; break;
    case Kind::Ptr: s = {8, 8}; break;
    case Kind::Typedef:
      // Not emitted (clang predefines it), so it has the BPF target's shape.
      s = t.name() == "__builtin_va_list" ? Shape{8, 8} : shape(t.ref());
      break;
    case Kind::Const:
    case Kind::Volatile:
    case Kind::Restrict:
    case Kind::TypeTag: s = shape(t.ref()); break;
    case Kind::Array: {
      Shape e = shape(t.array().elem_type);
      uint64_t total = uint64_t{e.size} * t.array().nelems;
      s = {total > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(total), e.align};
      break;
    }
    case Kind::Struct:
    case Kind::Union: {
      Plan p = decide(t);
      store(id, p);
      --depth_;
      return {t.size(), p.align};
    }
    default: break;  // void, FWD, functions: no by-value shape
  }
  cells_[id] = {s.size, static_cast<uint16_t>(s.align), kDone, bits};
  --depth_;
  return s;
}

Plan LayoutModel::plan(TypeId composite) {
  Shape s = shape(composite);
  if (composite >= cells_.size()) return {};
  uint8_t bits = cells_[composite].bits;
  uint32_t attr = bits >> kAttrShift;
  return Plan{.packed = (bits & kPacked) != 0,
              .exact = (bits & kInexact) == 0,
              .align_attr = attr == 0 ? 0u : 1u << (attr - 1),
              .align = s.align};
}

std::optional<Plan> LayoutModel::finish(const Type& t, bool packed, const WalkEnd& end) {
  const uint64_t size_bits = uint64_t{t.size()} * 8;
  const uint32_t align = packed ? 1 : end.max_align;
  if (t.size() % align != 0) return std::nullopt;
  const uint64_t natural = round_up(end.end_bits, uint64_t{align} * 8);
  if (natural > size_bits) return std::nullopt;
  Plan p{.packed = packed, .exact = true, .align_attr = 0, .align = align};
  if (natural < size_bits && !packed) {
    // A gap at the end is what a larger alignment leaves; padding it
    // would lose that alignment in every containing struct.
    p.align_attr = explaining_align(end.end_bits, size_bits, align);
    if (p.align_attr != 0) p.align = p.align_attr;
  }
  // A union is padded by one unnamed bitfield, at most a long wide.
  if (t.kind() == Kind::Union && natural < size_bits && p.align_attr == 0 && size_bits > 64) return std::nullopt;
  return p;
}

Plan LayoutModel::decide(const Type& t) {
  // Natural alignment first; packed only when offsets or the size rule it out.
  for (bool packed : {false, true}) {
    NoOutput none;
    WalkEnd end;
    if (!lay_out(t, packed, none, end)) continue;
    if (std::optional<Plan> p = finish(t, packed, end)) return *p;
  }
  return Plan{.packed = false, .exact = false, .align_attr = 0, .align = 1};
}

bool LayoutModel::begin(TypeId composite) {
  if (composite >= cells_.size() || cells_[composite].state != kUnknown) return false;
  cells_[composite].state = kBusy;
  return true;
}

void LayoutModel::store(TypeId composite, const Plan& p) {
  uint8_t bits = 0;
  if (p.packed) bits |= kPacked;
  if (!p.exact) bits |= kInexact;
  if (p.align_attr != 0) bits |= static_cast<uint8_t>((__builtin_ctz(p.align_attr) + 1) << kAttrShift);
  cells_[composite] = {spec_.type_unchecked(composite).size(), static_cast<uint16_t>(p.align), kDone, bits};
}

void LayoutModel::abandon(TypeId composite) {
  if (cells_[composite].state == kBusy) cells_[composite].state = kUnknown;
}

}  // namespace bpfxx::codegen::detail
