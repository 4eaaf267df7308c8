// btf::Spec: the fast index-and-validate pass.
//
// Every BTF bpfxx opens goes through this pass, vmlinux's ~120k types
// included, so it is written for speed: one walk over the records that
// records each offset and checks every name and reference, specialised for
// the byte order, with the output written into buffers sized for the worst
// case. It only says whether the BTF is sound; when it is not, Spec::parse
// runs the careful passes (index_types, validate_references) to say what is
// wrong and where.
//
// Measured on vmlinux (6.18, ~127k types), against what was tried: a size
// from a per-kind table for every record, and a fully branch-free variant
// with masks, were both slower than this (the table puts a load on the
// chain from one record to the next; the masks spill registers); not
// keeping the name offsets saves little in a fresh process and costs find
// a scan of the records; populating the output pages up front
// (MADV_POPULATE_WRITE) saved nothing measurable.
#include <bpfxx/btf/spec.hpp>

#include "base/byte_reader.hpp"
#include "btf/spec_internal.hpp"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <memory_resource>
#include <vector>

namespace bpfxx::btf {

namespace {

template <bool Swap>
inline uint32_t load(const std::byte* p) noexcept {
  return detail::load_unchecked<Swap, uint32_t>(p);
}

struct PassResult {
  bool ok = false;
  uint32_t count = 0;
  std::vector<TypeId> base_funcs;  // FUNCs whose proto is a base type: checked by the caller
};

constexpr uint8_t kFuncProto = static_cast<uint8_t>(Kind::FuncProto);
constexpr uint8_t kFunc = static_cast<uint8_t>(Kind::Func);

// Kinds whose record is the 12-byte header alone, and those of them whose
// third word is a type id.
constexpr uint32_t kSmallKinds = internal::kind_mask({Kind::Ptr, Kind::Fwd, Kind::Typedef, Kind::Volatile, Kind::Const,
                                            Kind::Restrict, Kind::Func, Kind::Float, Kind::TypeTag});
constexpr uint32_t kSmallRefKinds = kSmallKinds & ~internal::kind_mask({Kind::Fwd, Kind::Float});
constexpr uint8_t kArray = static_cast<uint8_t>(Kind::Array);

// The walk itself. `offsets`, `names` and `kinds` have room for the most
// records `n` bytes can hold (12 bytes each), so they are written
// unchecked; `kinds` lets a FUNC's prototype be checked without touching
// the prototype's record.
template <bool Swap>
PassResult walk(const std::byte* t, size_t n, TypeId first_id, uint32_t str_limit, uint32_t* offsets,
                uint32_t* names, uint8_t* kinds, std::pmr::memory_resource* scratch) {
  PassResult r;
  uint32_t max_ref = 0;
  uint32_t max_name = 0;
  // Chain records whose reference is not behind them, and FUNCs whose
  // prototype comes later: at most one entry per record each, so plain
  // arrays of that bound (uninitialised: only what is written is touched).
  const size_t most = n / 12 + 1;
  auto* forward = static_cast<TypeId*>(scratch->allocate(most * sizeof(TypeId), alignof(TypeId)));
  auto* late_funcs = static_cast<TypeId*>(scratch->allocate(most * sizeof(TypeId), alignof(TypeId)));
  size_t n_forward = 0, n_late_funcs = 0;
  uint32_t count = 0;
  bool bad = false;
  size_t off = 0;
  // Each path advances by its own record size. For the fixed-size kinds
  // that is a constant, so the next record's address does not wait on
  // this one's decode: the processor predicts the branch and runs ahead.
  while (off < n) {
    if (n - off < 12) return r;
    const std::byte* rec = t + off;
    const TypeId id = first_id + count;
    const uint32_t name_off = load<Swap>(rec);
    const uint32_t info = load<Swap>(rec + 4);
    const uint32_t ref = load<Swap>(rec + 8);
    const uint8_t kind = (info >> 24) & 0x1f;
    const uint32_t vlen = info & 0xffff;
    max_name = std::max(max_name, name_off);
    offsets[count] = static_cast<uint32_t>(off);
    names[count] = name_off;
    kinds[count] = kind;
    ++count;
    // Two records in three are 12 bytes long (FUNC alone is almost half
    // of vmlinux): they take a path whose only branch is this one, with
    // their checks folded into `bad`.
    if ((kSmallKinds >> kind) & 1) {
      const uint32_t target = (kSmallRefKinds >> kind) & 1 ? ref : 0;  // FWD and FLOAT refer to nothing
      max_ref = std::max(max_ref, target);
      // A FUNC's prototype, when it comes earlier, is checked right here
      // against the kinds written so far.
      const bool is_func = kind == kFunc;
      const uint32_t back = ref - first_id;
      const bool behind = back < count - 1;
      bad |= is_func & ((ref == 0) | (behind & (kinds[behind ? back : 0] != kFuncProto)));
      if ((target >= id) | (is_func & (ref < first_id) & (ref != 0))) [[unlikely]] {
        if (target >= id) {
          forward[n_forward++] = id;
          if (is_func) late_funcs[n_late_funcs++] = id;
        } else {
          r.base_funcs.push_back(id);
        }
      }
      off += 12;
      continue;
    }
    const std::byte* entry = rec + 12;
    const size_t left = n - off - 12;  // bytes after the common header
    switch (static_cast<Kind>(kind)) {
      case Kind::Var:
      case Kind::DeclTag:
        if (left < 4) return r;
        if (kind == static_cast<uint8_t>(Kind::DeclTag) && ref == 0) return r;
        max_ref = std::max(max_ref, ref);
        if (ref >= id) [[unlikely]] forward[n_forward++] = id;
        off += 16;
        break;
      case Kind::Int: {
        if (left < 4) return r;
        const uint32_t enc = load<Swap>(entry);
        const uint32_t bits = enc & 0xff, bit_offset = (enc >> 16) & 0xff;
        if (bits > 128 || bits + bit_offset > uint64_t{ref} * 8u) return r;
        off += 16;
        break;
      }
      case Kind::Array: {
        if (left < 12) return r;
        const uint32_t elem = load<Swap>(entry);
        max_ref = std::max({max_ref, elem, load<Swap>(entry + 4)});
        if (elem >= id) [[unlikely]] forward[n_forward++] = id;
        off += 24;
        break;
      }
      case Kind::FuncProto: {
        const size_t bytes = size_t{vlen} * 8;
        if (bytes > left) return r;
        max_ref = std::max(max_ref, ref);
        for (const std::byte* end = entry + bytes; entry < end; entry += 8) {
          max_name = std::max(max_name, load<Swap>(entry));
          max_ref = std::max(max_ref, load<Swap>(entry + 4));
        }
        off += 12 + bytes;
        break;
      }
      case Kind::Struct:
      case Kind::Union: {
        const size_t bytes = size_t{vlen} * 12;
        if (bytes > left) return r;
        for (const std::byte* end = entry + bytes; entry < end; entry += 12) {
          max_name = std::max(max_name, load<Swap>(entry));
          max_ref = std::max(max_ref, load<Swap>(entry + 4));
        }
        off += 12 + bytes;
        break;
      }
      case Kind::Datasec: {
        const size_t bytes = size_t{vlen} * 12;
        if (bytes > left) return r;
        for (const std::byte* end = entry + bytes; entry < end; entry += 12) {
          max_ref = std::max(max_ref, load<Swap>(entry));
        }
        off += 12 + bytes;
        break;
      }
      case Kind::Enum:
      case Kind::Enum64: {
        const size_t stride = kind == static_cast<uint8_t>(Kind::Enum) ? 8 : 12;
        const size_t bytes = size_t{vlen} * stride;
        if (bytes > left) return r;
        for (const std::byte* end = entry + bytes; entry < end; entry += stride) {
          max_name = std::max(max_name, load<Swap>(entry));
        }
        off += 12 + bytes;
        break;
      }
      default:
        return r;  // kind 0 or one this build does not know
    }
  }
  if (bad) return r;
  if (max_name >= str_limit && max_name != 0) return r;
  if (max_ref >= first_id + count) return r;
  for (size_t i = 0; i < n_late_funcs; ++i) {
    const TypeId id = late_funcs[i];
    const uint32_t proto = load<Swap>(t + offsets[id - first_id] + 8);
    if (kinds[proto - first_id] != kFuncProto) return r;
  }
  // Walk each chain that starts at a forward edge; a chain that comes back
  // to a record on the current walk is a loop. Chains that only point
  // backwards end by construction.
  if (n_forward != 0) {
    enum : uint8_t { kUnseen = 0, kActive = 1, kDone = 2 };
    std::pmr::vector<uint8_t> state(count, kUnseen, scratch);
    auto next_in_chain = [&](uint32_t idx) {
      const std::byte* rec = t + offsets[idx];
      return kinds[idx] == kArray ? load<Swap>(rec + 12) : load<Swap>(rec + 8);
    };
    for (size_t f = 0; f < n_forward; ++f) {
      const TypeId start = forward[f];
      TypeId cur = start;
      for (;;) {
        if (cur < first_id) break;
        const uint32_t idx = cur - first_id;
        if (state[idx] == kDone) break;
        if (state[idx] == kActive) return r;
        if (((internal::kChainKinds >> kinds[idx]) & 1) == 0) {
          state[idx] = kDone;
          break;
        }
        state[idx] = kActive;
        cur = next_in_chain(idx);
      }
      // The records marked active are exactly this chain from its start:
      // walk it again to mark them done, with no stack to keep.
      for (TypeId c = start; c >= first_id && state[c - first_id] == kActive; c = next_in_chain(c - first_id)) {
        state[c - first_id] = kDone;
      }
    }
  }
  r.count = count;
  r.ok = true;
  return r;
}

}  // namespace

bool Spec::index_and_validate_fast() {
  const size_t n = types_.size();
  // Every record is at least 12 bytes: this bounds the id range up front.
  const size_t most = n / 12;
  if (most >= 0x7fffffffu - first_id_) return false;
  const uint32_t str_limit = str_base_ + static_cast<uint32_t>(strings_.size());
  // Uninitialised storage for the worst case: only the part written is
  // ever touched, so the unused tail costs address space, not memory.
  offsets_.clear();
  offsets_.resize(most + 1);
  name_offs_.clear();
  name_offs_.resize(most + 1);
  // The walk's temporaries (a kind per record, the forward edges, the loop
  // check's state) come from one arena: a stack buffer that holds them all
  // for an object's BTF, the heap beyond it for the kernel's.
  alignas(std::max_align_t) std::byte scratch_buffer[4096];
  std::pmr::monotonic_buffer_resource scratch(scratch_buffer, sizeof(scratch_buffer));
  auto* kinds = static_cast<uint8_t*>(scratch.allocate(most + 1, 1));
  PassResult r = swap_ ? walk<true>(types_.data(), n, first_id_, str_limit, offsets_.data(), name_offs_.data(),
                                    kinds, &scratch)
                       : walk<false>(types_.data(), n, first_id_, str_limit, offsets_.data(), name_offs_.data(),
                                     kinds, &scratch);
  if (!r.ok) {
    offsets_.clear();
    name_offs_.clear();
    return false;
  }
  offsets_.resize(r.count);
  name_offs_.resize(r.count);
  for (TypeId id : r.base_funcs) {
    if (kind_of(read_u32(offsets_[id - first_id_] + 8)) != Kind::FuncProto) return false;
  }
  return true;
}

}  // namespace bpfxx::btf
