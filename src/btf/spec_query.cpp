// btf::Spec: lookups, resolution, sizes and names of types.
#include <bpfxx/btf/spec.hpp>

#include "base/byte_reader.hpp"
#include "base/string_table_search.hpp"
#include "btf/spec_internal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace bpfxx::btf {

using bpfxx::detail::byteswap;
using internal::host_big_endian;
using internal::malformed;

struct Spec::NameIndex : internal::NameIndexData {};

// ---- Spec: access ---------------------------------------------------------

Kind Spec::kind_of_base(TypeId id) const noexcept {
  if (id == 0 || !base_) return Kind::Void;
  return base_->kind_of(id);
}

Error Spec::out_of_range(TypeId id) const {
  return Error(Errc::NotFound, fmt::format("type id {} out of range ({} types)", id, type_count())).with_op("BTF lookup");
}

bool Spec::name_is(uint32_t offset, std::string_view name) const noexcept {
  if (offset < str_base_) return base_ && base_->name_is(offset, name);
  const size_t at = offset - str_base_;
  // The name and its terminating NUL must both be inside the strings.
  if (at >= strings_.size() || strings_.size() - at <= name.size()) return false;
  const char* s = reinterpret_cast<const char*>(strings_.data()) + at;
  return s[name.size()] == '\0' && std::memcmp(s, name.data(), name.size()) == 0;
}

std::span<const std::byte> Spec::own_types() const noexcept { return types_; }
std::span<const std::byte> Spec::own_strings() const noexcept { return strings_; }

void Spec::scan_for_name(std::string_view name, std::vector<TypeId>& out) const {
  if (base_) {
    auto from_base = base_->find_by_name(name);
    out.assign(from_base.begin(), from_base.end());
  }
  // Every offset whose string is the name, in the base's strings and our
  // own: usually one, but string tables need not be deduplicated, and a
  // name may be the tail of a longer string.
  std::vector<uint32_t> offsets;
  for (const Spec* s = this; s != nullptr; s = s->base_.get()) {
    const size_t from = offsets.size();
    detail::find_string_offsets(s->strings_, name, offsets);
    for (size_t i = from; i < offsets.size(); ++i) offsets[i] += s->str_base_;
  }
  if (offsets.empty()) return;
  std::sort(offsets.begin(), offsets.end());
  const uint32_t count = static_cast<uint32_t>(offsets_.size());
  // A 1024-bit filter hashed from the wanted offsets (usually one, a few
  // when tails of longer strings match) rejects nearly every record with
  // one predictable branch; the rest are checked exactly. Each record's
  // name offset comes from the copy the index pass kept (a contiguous
  // scan) or, after an edit, from the record itself.
  uint64_t filter[16] = {};
  auto slot = [](uint32_t v) { return (v * 0x9e3779b1u) >> 22; };
  for (uint32_t o : offsets) filter[slot(o) >> 6] |= uint64_t{1} << (slot(o) & 63);
  auto scan = [&](auto name_at) {
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t n = name_at(i);
      const uint32_t h = slot(n);
      if (((filter[h >> 6] >> (h & 63)) & 1) == 0) [[likely]] continue;
      if (std::binary_search(offsets.begin(), offsets.end(), n)) out.push_back(first_id_ + i);
    }
  };
  if (name_offs_.size() == count) {
    const uint32_t* names = name_offs_.data();
    scan([names](uint32_t i) { return names[i]; });
  } else {
    scan([this](uint32_t i) { return read_u32(offsets_[i]); });
  }
}

std::span<const TypeId> Spec::find_by_name(std::string_view name) const {
  if (!names_ || name.empty()) return {};
  internal::NameIndexData& idx = *names_;
  std::lock_guard lock(idx.mu);
  if (!idx.full) {
    if (auto it = idx.remembered.find(std::string(name)); it != idx.remembered.end()) return it->second;
    if (idx.scans < internal::NameIndexData::kScanLimit) {
      ++idx.scans;
      std::vector<TypeId> ids;
      scan_for_name(name, ids);
      auto [it, inserted] = idx.remembered.emplace(std::string(name), std::move(ids));
      return it->second;
    }
    // Many distinct names: index them all once.
    auto& map = idx.by_name;
    if (base_) {
      for (TypeId id = 1; id < first_id_; ++id) {
        Type t = base_->type_unchecked(id);
        if (!t.name().empty()) map[t.name()].push_back(id);
      }
    }
    map.reserve(offsets_.size());
    for (uint32_t i = 0; i < offsets_.size(); ++i) {
      std::optional<std::string_view> n = string_at(read_u32(offsets_[i]));
      if (n && !n->empty()) map[*n].push_back(first_id_ + i);
    }
    idx.full = true;
  }
  auto it = idx.by_name.find(name);
  if (it == idx.by_name.end()) return {};
  return it->second;
}

std::optional<TypeId> Spec::find(std::string_view name, Kind kind) const {
  for (TypeId id : find_by_name(name)) {
    if (type_unchecked(id).kind() == kind) return id;
  }
  return std::nullopt;
}

Result<TypeId> Spec::resolve(TypeId id) const {
  // Validation guarantees the chain ends; the bound guards edited specs.
  for (uint32_t steps = 0; steps <= type_count(); ++steps) {
    if (id >= type_count()) [[unlikely]] return std::move(type(id)).error();  // type()'s own error
    const Type t = type_unchecked(id);
    if (t.kind() != Kind::Typedef && !t.is_modifier()) return id;
    id = t.ref();
  }
  return malformed(fmt::format("type [{}] does not resolve (reference loop)", id));
}

Result<TypeId> Spec::skip_modifiers(TypeId id) const {
  for (uint32_t steps = 0; steps <= type_count(); ++steps) {
    if (id >= type_count()) [[unlikely]] return std::move(type(id)).error();  // type()'s own error
    const Type t = type_unchecked(id);
    if (!t.is_modifier()) return id;
    id = t.ref();
  }
  return malformed(fmt::format("type [{}] does not resolve (reference loop)", id));
}

Result<uint32_t> Spec::size_of(TypeId id) const {
  uint64_t multiplier = 1;
  for (uint32_t steps = 0; steps <= type_count(); ++steps) {
    if (id >= type_count()) [[unlikely]] return std::move(type(id)).error();  // type()'s own error
    const Type t = type_unchecked(id);
    uint64_t size = 0;
    switch (t.kind()) {
      case Kind::Int:
      case Kind::Struct:
      case Kind::Union:
      case Kind::Enum:
      case Kind::Enum64:
      case Kind::Datasec:
      case Kind::Float:
        size = t.size();
        break;
      case Kind::Ptr:
        size = 8;  // BPF is a 64-bit target
        break;
      case Kind::Typedef:
      case Kind::Volatile:
      case Kind::Const:
      case Kind::Restrict:
      case Kind::TypeTag:
      case Kind::Var:
        id = t.ref();
        continue;
      case Kind::Array: {
        ArrayInfo a = t.array();
        if (__builtin_mul_overflow(multiplier, uint64_t{a.nelems}, &multiplier) || multiplier > UINT32_MAX) {
          return malformed(fmt::format("array type [{}] size overflows", t.id()));
        }
        id = a.elem_type;
        continue;
      }
      default:
        return Error(Errc::InvalidInput,
                     fmt::format("type [{}] {} '{}' has no size", t.id(), to_string(t.kind()), t.name()))
            .with_op("BTF size");
    }
    uint64_t total = 0;
    if (__builtin_mul_overflow(size, multiplier, &total) || total > UINT32_MAX) {
      return malformed(fmt::format("type [{}] size overflows", id));
    }
    return static_cast<uint32_t>(total);
  }
  return malformed(fmt::format("type [{}] size does not resolve (reference loop)", id));
}

Result<uint32_t> Spec::align_of(TypeId id) const {
  // Struct members are followed recursively. Results are memoized, so a type
  // shared by many members is visited once (malformed BTF nesting structs of
  // two members each, a few dozen levels deep, would otherwise take 2^depth
  // steps). A struct met again while its own alignment is being computed
  // contains itself by value, which C cannot express; the depth bound keeps
  // a long chain of distinct nested structs from exhausting the stack.
  constexpr int kMaxDepth = 64;
  constexpr uint32_t kInProgress = 0;
  std::unordered_map<TypeId, uint32_t> memo;  // struct/union id -> alignment
  auto rec = [&](auto& self, TypeId tid, int depth) -> Result<uint32_t> {
    if (depth > kMaxDepth) return malformed(fmt::format("type [{}] nests too deeply", tid));
    BPFXX_TRY_ASSIGN(TypeId rid, resolve(tid));
    BPFXX_TRY_ASSIGN(Type t, type(rid));
    switch (t.kind()) {
      case Kind::Int:
      case Kind::Enum:
      case Kind::Enum64:
      case Kind::Float: {
        uint32_t s = t.size();
        return std::min<uint32_t>(s == 0 ? 1 : s, 8);
      }
      case Kind::Ptr: return 8;
      case Kind::Array: return self(self, t.array().elem_type, depth + 1);
      case Kind::Struct:
      case Kind::Union: {
        auto [it, inserted] = memo.try_emplace(rid, kInProgress);
        if (!inserted) {
          if (it->second == kInProgress) {
            return malformed(fmt::format("{} [{}] '{}' contains itself by value", to_string(t.kind()), rid, t.name()));
          }
          return it->second;
        }
        uint32_t align = 1;
        for (uint32_t i = 0; i < t.vlen(); ++i) {
          BPFXX_TRY_ASSIGN(uint32_t a, self(self, t.member(i).type, depth + 1));
          align = std::max(align, a);
        }
        memo[rid] = align;
        return align;
      }
      default:
        return Error(Errc::InvalidInput,
                     fmt::format("type [{}] {} has no alignment", t.id(), to_string(t.kind())))
            .with_op("BTF align");
    }
  };
  return rec(rec, id, 0);
}

std::string Spec::c_name(TypeId id) const {
  // Built from the outside in, the way C declarators nest: `decl` grows
  // around the name's position ("*", "(*)[4]", "*const"). Qualifiers wait in
  // `quals` until a pointer takes them ("char *const") or, if none does, the
  // base type does ("const char *").
  std::string decl;
  std::string quals;
  auto qualify = [&](const char* q) { quals += quals.empty() ? q : std::string(" ") + q; };
  auto finish = [&](std::string_view base) {
    std::string out = quals.empty() ? std::string(base) : quals + " " + std::string(base);
    if (decl.empty()) return out;
    return out + (decl[0] == '[' ? "" : " ") + decl;
  };
  auto tagged = [](const char* tag, std::string_view name) {
    return std::string(tag) + std::string(name.empty() ? "<anon>" : name);
  };
  for (uint32_t steps = 0; steps <= type_count(); ++steps) {
    if (id == 0) return finish("void");
    auto tr = type(id);
    if (!tr) return "<bad type " + std::to_string(id) + ">";
    Type t = *tr;
    switch (t.kind()) {
      case Kind::Ptr:
        decl = "*" + quals + (!quals.empty() && !decl.empty() && decl[0] != '[' ? " " : "") + decl;
        quals.clear();
        id = t.ref();
        continue;
      case Kind::Const: qualify("const"); id = t.ref(); continue;
      case Kind::Volatile: qualify("volatile"); id = t.ref(); continue;
      case Kind::Restrict: qualify("restrict"); id = t.ref(); continue;
      case Kind::TypeTag: id = t.ref(); continue;
      case Kind::Array:
        if (!decl.empty() && decl[0] == '*') decl = "(" + decl + ")";
        decl += "[" + std::to_string(t.array().nelems) + "]";
        id = t.array().elem_type;
        continue;
      case Kind::Struct: return finish(tagged("struct ", t.name()));
      case Kind::Union: return finish(tagged("union ", t.name()));
      case Kind::Enum:
      case Kind::Enum64: return finish(tagged("enum ", t.name()));
      case Kind::Fwd: return finish(tagged(t.fwd_is_union() ? "union " : "struct ", t.name()));
      case Kind::FuncProto: return finish("<function>");
      default: return finish(t.name());
    }
  }
  return "<loop>";
}

std::string Spec::describe(TypeId id) const {
  auto tr = type(id);
  if (!tr) return fmt::format("[{}] <invalid>", id);
  const Type& t = *tr;
  std::string s = fmt::format("[{}] {} '{}'", id, to_string(t.kind()), t.name());
  switch (t.kind()) {
    case Kind::Int: {
      IntInfo ii = t.int_info();
      s += fmt::format(" size={} bits={} offset={} encoding={}", t.size(), ii.bits, ii.bit_offset,
                       ii.encoding & kIntBool ? "BOOL" : ii.encoding & kIntChar ? "CHAR"
                                                     : ii.encoding & kIntSigned ? "SIGNED" : "(none)");
      break;
    }
    case Kind::Struct:
    case Kind::Union:
    case Kind::Enum:
    case Kind::Enum64:
    case Kind::Datasec:
      s += fmt::format(" size={} vlen={}", t.size(), t.vlen());
      break;
    case Kind::Float: s += fmt::format(" size={}", t.size()); break;
    case Kind::Array: {
      ArrayInfo a = t.array();
      s += fmt::format(" type_id={} index_type_id={} nr_elems={}", a.elem_type, a.index_type, a.nelems);
      break;
    }
    case Kind::FuncProto: s += fmt::format(" ret_type_id={} vlen={}", t.ref(), t.vlen()); break;
    case Kind::Var:
      s += fmt::format(" type_id={} linkage={}", t.ref(), static_cast<uint32_t>(t.var_linkage()));
      break;
    case Kind::Func:
      s += fmt::format(" type_id={} linkage={}", t.ref(), static_cast<uint32_t>(t.func_linkage()));
      break;
    case Kind::DeclTag: s += fmt::format(" type_id={} component_idx={}", t.ref(), t.decl_tag_component()); break;
    case Kind::Fwd: s += t.fwd_is_union() ? " fwd_kind=union" : " fwd_kind=struct"; break;
    default: s += fmt::format(" type_id={}", t.ref()); break;
  }
  return s;
}

}  // namespace bpfxx::btf
