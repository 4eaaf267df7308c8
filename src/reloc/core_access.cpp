// Access strings: parsing "0:1:2" through the local type, walking the same
// access through a candidate target type by member names, and spelling the
// access in C for reports.
//
// An access string is a list of indexes. The first indexes the root pointer
// as an array (p[0] for p->...); each next one is a member index when the
// current type is a struct or union, or an element index when it is an
// array. Members without a name (anonymous structs and unions) appear in the
// string but mean nothing to a reader, so the target side finds the named
// member wherever its anonymous nesting put it.
#include "reloc/core_internal.hpp"

#include <fmt/format.h>

#include <charconv>

namespace bpfxx::reloc::core {

namespace {

// The member budget stops anonymous structs nested as a DAG (each member
// searched again through every path to it) from taking exponential time.
constexpr int kMaxMembersSearched = 1 << 16;

Error broken(std::string msg) { return Error(Errc::RelocationFailed, std::move(msg)); }

Result<btf::TypeId> resolved(const btf::Spec& btf, btf::TypeId id) { return btf.resolve(id); }

// An array that is the last member of a struct and has no elements: C's
// flexible array member, which any index may address.
bool is_flexible(const btf::Spec& btf, const decltype(AccessSpec::accessors)& accessors, const btf::ArrayInfo& a) {
  if (a.nelems != 0 || accessors.empty() || accessors.back().name.empty()) return false;
  const Accessor& holder = accessors.back();
  return holder.index + 1 == btf.type_unchecked(holder.type_id).vlen();
}

Result<void> parse_indexes(std::string_view access, decltype(AccessSpec::raw)& out) {
  if (access.empty() || access.front() == ':') return broken(fmt::format("malformed access string '{}'", access));
  size_t pos = 0;
  while (pos < access.size()) {
    uint32_t v = 0;
    auto [end, ec] = std::from_chars(access.data() + pos, access.data() + access.size(), v);
    if (ec != std::errc() || out.full()) {
      return broken(fmt::format("malformed access string '{}'", access));
    }
    out.push_back(v);
    pos = static_cast<size_t>(end - access.data());
    if (pos < access.size()) {
      if (access[pos] != ':' || pos + 1 == access.size()) {
        return broken(fmt::format("malformed access string '{}'", access));
      }
      ++pos;
    }
  }
  return {};
}

std::string kind_word(const btf::Type& t) {
  switch (t.kind()) {
    case btf::Kind::Int: return "an integer";
    case btf::Kind::Ptr: return "a pointer";
    case btf::Kind::Array: return "an array";
    case btf::Kind::Struct: return "a struct";
    case btf::Kind::Union: return "a union";
    case btf::Kind::Enum:
    case btf::Kind::Enum64: return "an enum";
    case btf::Kind::Fwd: return "a forward declaration";
    case btf::Kind::Float: return "a float";
    case btf::Kind::FuncProto: return "a function";
    default: return std::string(btf::to_string(t.kind()));
  }
}

// Finds the member named like local accessor `lacc` in target composite
// `comp` (resolved), descending into anonymous members, and appends its
// path to `out`. On success `next` is the member's type.
Result<bool> find_member(const AccessSpec& local, const Accessor& lacc, const btf::Spec& target, btf::TypeId comp,
                         AccessSpec& out, btf::TypeId& next, std::string& why, int& budget) {
  btf::Type t = target.type_unchecked(comp);
  if (!t.is_struct_or_union()) return false;
  const btf::Member lm = local.btf->type_unchecked(lacc.type_id).member(lacc.index);
  for (uint32_t i = 0; i < t.vlen(); ++i) {
    if (--budget < 0) return broken("target type nests too deeply");
    // Names are compared in place: only anonymous members (searched
    // inside) and the one named like the local member are decoded.
    const uint32_t name_off = t.member_name_off(i);
    if (!target.name_is(name_off, "") && !target.name_is(name_off, lm.name)) continue;
    btf::Member m = t.member(i);
    if (out.raw.full()) return broken("target type nests too deeply");
    out.raw.push_back(i);
    out.bit_offset += m.bit_offset;
    if (m.name.empty()) {
      BPFXX_TRY_ASSIGN(btf::TypeId inner, resolved(target, m.type));
      BPFXX_TRY_ASSIGN(bool found, find_member(local, lacc, target, inner, out, next, why, budget));
      if (found) return true;
    } else if (m.name == lm.name) {
      BPFXX_TRY_ASSIGN(bool compatible, fields_compatible(*local.btf, lm.type, target, m.type));
      if (compatible) {
        out.accessors.push_back({comp, i, m.name});
        next = m.type;
        return true;
      }
      BPFXX_TRY_ASSIGN(btf::TypeId lt, resolved(*local.btf, lm.type));
      BPFXX_TRY_ASSIGN(btf::TypeId tt, resolved(target, m.type));
      why = fmt::format("member '{}' of the target's {} is {} ({}), the local one {} ({})", m.name,
                        target.c_name(comp), kind_word(target.type_unchecked(tt)), target.c_name(m.type),
                        kind_word(local.btf->type_unchecked(lt)), local.btf->c_name(lm.type));
    }
    out.raw.pop_back();
    out.bit_offset -= m.bit_offset;
  }
  return false;
}

Result<bool> match_field(const AccessSpec& local, const btf::Spec& target, btf::TypeId cand, AccessSpec& out,
                         std::string& why) {
  btf::TypeId tid = cand;
  for (size_t i = 0; i < local.accessors.size(); ++i) {
    const Accessor& lacc = local.accessors[i];
    // Anonymous members found on the way lengthen the target's access.
    if (out.raw.full() || out.accessors.full()) return broken("target type nests too deeply");
    BPFXX_TRY_ASSIGN(tid, resolved(target, tid));
    if (i == 0) {
      // The root: p[k] of the candidate type itself.
      BPFXX_TRY_ASSIGN(uint32_t size, target.size_of(tid));
      out.accessors.push_back({tid, lacc.index, {}});
      out.raw.push_back(lacc.index);
      out.bit_offset = uint64_t{lacc.index} * size * 8;
    } else if (!lacc.name.empty()) {
      btf::TypeId next = 0;
      int budget = kMaxMembersSearched;
      BPFXX_TRY_ASSIGN(bool found, find_member(local, lacc, target, tid, out, next, why, budget));
      if (!found) {
        if (why.empty()) {
          why = target.type_unchecked(tid).is_struct_or_union()
                    ? fmt::format("the target's {} has no member '{}'", target.c_name(tid), lacc.name)
                    : fmt::format("the target's {} is not a struct or union, so it has no member '{}'",
                                  target.c_name(tid), lacc.name);
        }
        return false;
      }
      tid = next;
    } else {
      btf::Type t = target.type_unchecked(tid);
      if (t.kind() != btf::Kind::Array) {
        why = fmt::format("the target's {} is not an array, so it has no element [{}]", target.c_name(tid),
                          lacc.index);
        return false;
      }
      btf::ArrayInfo a = t.array();
      if (!is_flexible(target, out.accessors, a) && lacc.index >= a.nelems) {
        why = fmt::format("element [{}] is past the end of the target's {}", lacc.index, target.c_name(tid));
        return false;
      }
      BPFXX_TRY_ASSIGN(tid, resolved(target, a.elem_type));
      BPFXX_TRY_ASSIGN(uint32_t size, target.size_of(tid));
      out.accessors.push_back({tid, lacc.index, {}});
      out.raw.push_back(lacc.index);
      out.bit_offset += uint64_t{lacc.index} * size * 8;
    }
  }
  return true;
}

Result<bool> match_enum(const AccessSpec& local, const btf::Spec& target, btf::TypeId cand, AccessSpec& out,
                        std::string& why) {
  BPFXX_TRY_ASSIGN(btf::TypeId tid, resolved(target, cand));
  btf::Type t = target.type_unchecked(tid);
  if (!t.is_enum()) {
    why = fmt::format("the target's {} is not an enum", target.c_name(cand));
    return false;
  }
  std::string_view want = essential_name(local.accessors[0].name);
  for (uint32_t i = 0; i < t.vlen(); ++i) {
    btf::EnumValue v = t.enumerator(i);
    if (essential_name(v.name) != want) continue;
    out.accessors.push_back({tid, i, v.name});
    out.raw.push_back(i);
    return true;
  }
  why = fmt::format("the target's {} has no enumerator '{}'", target.c_name(tid), want);
  return false;
}

}  // namespace

std::string_view essential_name(std::string_view name) noexcept {
  // The last X___Y boundary wins: "a___b___c" is a flavor of "a___b".
  for (size_t i = name.size() >= 5 ? name.size() - 5 + 1 : 0; i-- > 0;) {
    if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' && name[i + 4] != '_') {
      return name.substr(0, i + 1);
    }
  }
  return name;
}

Result<AccessSpec> parse_local(const btf::Spec& btf, btf::TypeId root, std::string_view access,
                               btf::CoreReloKind kind) {
  AccessSpec s;
  s.btf = &btf;
  s.root_id = root;
  BPFXX_TRY(btf.type(root));
  ReloClass cls = class_of(kind);
  if (cls == ReloClass::Type) {
    // Type-based kinds name the type only; clang writes "0".
    if (access != "0") return broken(fmt::format("type relocation with access string '{}' (expected \"0\")", access));
    s.raw.push_back(0);
    s.accessors.push_back({root, 0, {}});
    return s;
  }
  BPFXX_TRY(parse_indexes(access, s.raw));
  BPFXX_TRY_ASSIGN(btf::TypeId id, resolved(btf, root));
  btf::Type t = btf.type_unchecked(id);
  if (cls == ReloClass::Enum) {
    if (!t.is_enum() || s.raw.size() != 1 || s.raw[0] >= t.vlen()) {
      return broken(fmt::format("enum relocation '{}' does not name an enumerator of {}", access, btf.c_name(root)));
    }
    s.accessors.push_back({id, s.raw[0], t.enumerator(s.raw[0]).name});
    return s;
  }
  BPFXX_TRY_ASSIGN(uint32_t root_size, btf.size_of(id));
  s.accessors.push_back({id, s.raw[0], {}});
  s.bit_offset = uint64_t{s.raw[0]} * root_size * 8;
  for (size_t i = 1; i < s.raw.size(); ++i) {
    uint32_t idx = s.raw[i];
    BPFXX_TRY_ASSIGN(id, resolved(btf, id));
    t = btf.type_unchecked(id);
    if (t.is_struct_or_union()) {
      if (idx >= t.vlen()) {
        return broken(fmt::format("access '{}' names member {} of {}, which has {}", access, idx, btf.c_name(id),
                                  t.vlen()));
      }
      btf::Member m = t.member(idx);
      s.bit_offset += m.bit_offset;
      if (!m.name.empty()) s.accessors.push_back({id, idx, m.name});
      id = m.type;
    } else if (t.kind() == btf::Kind::Array) {
      btf::ArrayInfo a = t.array();
      if (!is_flexible(btf, s.accessors, a) && idx >= a.nelems) {
        return broken(fmt::format("access '{}' indexes element {} of {}", access, idx, btf.c_name(id)));
      }
      BPFXX_TRY_ASSIGN(id, resolved(btf, a.elem_type));
      BPFXX_TRY_ASSIGN(uint32_t size, btf.size_of(id));
      s.accessors.push_back({id, idx, {}});
      s.bit_offset += uint64_t{idx} * size * 8;
    } else {
      return broken(fmt::format("access '{}' goes into {}, which is not a struct, union or array", access,
                                btf.c_name(id)));
    }
  }
  return s;
}

Result<bool> match_candidate(const AccessSpec& local, btf::CoreReloKind kind, const btf::Spec& target,
                             btf::TypeId cand, AccessSpec& out, std::string& why) {
  out.btf = &target;
  out.root_id = cand;
  out.raw.clear();
  out.accessors.clear();
  out.bit_offset = 0;
  switch (class_of(kind)) {
    case ReloClass::Field: return match_field(local, target, cand, out, why);
    case ReloClass::Enum: return match_enum(local, target, cand, out, why);
    case ReloClass::Type: break;
  }
  out.raw.push_back(0);
  out.accessors.push_back({cand, 0, {}});
  const bool matches = kind == btf::CoreReloKind::TypeMatches;
  BPFXX_TRY_ASSIGN(bool ok, matches ? types_match(*local.btf, local.root_id, target, cand)
                                    : types_compatible(*local.btf, local.root_id, target, cand));
  if (!ok) {
    why = fmt::format("the target's {} [{}] {} the local one", target.c_name(cand), cand,
                      matches ? "does not match" : "is not compatible with");
  }
  return ok;
}

std::string access_text(const AccessSpec& local, btf::CoreReloKind kind) {
  const btf::Spec& btf = *local.btf;
  switch (class_of(kind)) {
    case ReloClass::Type: return btf.c_name(local.root_id);
    case ReloClass::Enum: {
      std::string_view enum_name = btf.type_unchecked(local.accessors[0].type_id).name();
      return fmt::format("enum {}::{}", enum_name.empty() ? "<anon>" : enum_name, local.accessors[0].name);
    }
    case ReloClass::Field: break;
  }
  std::string_view root = btf.type_unchecked(local.root_id).name();
  std::string out = root.empty() ? btf.c_name(local.root_id) : std::string(root);
  // p->a for the usual p[0], p[k].a otherwise.
  bool first_member = local.accessors[0].index == 0;
  if (!first_member) out += fmt::format("[{}]", local.accessors[0].index);
  for (size_t i = 1; i < local.accessors.size(); ++i) {
    const Accessor& a = local.accessors[i];
    if (a.name.empty()) {
      out += fmt::format("[{}]", a.index);
    } else {
      out += first_member ? "->" : ".";
      out += a.name;
      first_member = false;
    }
  }
  return out;
}

}  // namespace bpfxx::reloc::core
