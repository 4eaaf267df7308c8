// Compatibility rules: when a target type may stand in for a local one.
//
// Three relations, from loosest to strictest:
//  - fields_compatible: the type of a field the program reads. Only what
//    changes the meaning of the bytes matters, since the instruction is
//    rewritten for the new offset and size anyway.
//  - types_compatible: type-based relocations (exists, size, target id).
//    Same kind, and pointers, arrays and function prototypes recursively.
//  - types_match: TYPE_MATCHES (bpf_core_type_matches), which promises that
//    the local definition describes the target layout: every local member
//    exists in the target with a matching type, integers agree in size and
//    signedness, enums have every local enumerator.
// All three skip modifiers and typedefs on both sides.
#include "reloc/core_internal.hpp"

namespace bpfxx::reloc::core {

namespace {

// Kernel types nest far less deeply; the bounds only stop hostile BTF. The
// step budget matters for TYPE_MATCHES, which compares every member of
// every nested struct: a chain of structs of two members each would
// otherwise take 2^depth steps.
constexpr int kMaxDepth = 32;
constexpr int kMaxMatchSteps = 1 << 16;

Error too_deep() { return Error(Errc::RelocationFailed, "types nest too deeply to compare"); }

bool is_int_like(btf::Kind k) noexcept { return k == btf::Kind::Int || k == btf::Kind::Enum || k == btf::Kind::Enum64; }

// Names agree when both lose the same ___flavor suffix. An anonymous target
// type agrees only with an anonymous local one.
bool names_agree(std::string_view local, std::string_view target) {
  if (target.empty()) return local.empty();
  return essential_name(local) == essential_name(target);
}

Result<bool> match_rec(const btf::Spec& lb, btf::TypeId lid, const btf::Spec& tb, btf::TypeId tid, bool behind_ptr,
                       int level, int& budget);

bool enums_match(const btf::Type& l, const btf::Type& t) {
  if (l.size() != t.size() || l.vlen() > t.vlen()) return false;
  // Every local enumerator must exist in the target by name; values may
  // differ (that is what ENUMVAL_VALUE relocations are for).
  for (uint32_t i = 0; i < l.vlen(); ++i) {
    std::string_view name = l.enumerator(i).name;
    bool found = false;
    for (uint32_t j = 0; j < t.vlen() && !found; ++j) found = names_agree(name, t.enumerator(j).name);
    if (!found) return false;
  }
  return true;
}

Result<bool> composites_match(const btf::Spec& lb, const btf::Type& l, const btf::Spec& tb, const btf::Type& t,
                              bool behind_ptr, int level, int& budget) {
  if (l.vlen() > t.vlen()) return false;
  for (uint32_t i = 0; i < l.vlen(); ++i) {
    btf::Member lm = l.member(i);
    bool found = false;
    for (uint32_t j = 0; j < t.vlen() && !found; ++j) {
      btf::Member tm = t.member(j);
      if (!names_agree(lm.name, tm.name)) continue;
      BPFXX_TRY_ASSIGN(found, match_rec(lb, lm.type, tb, tm.type, behind_ptr, level - 1, budget));
    }
    if (!found) return false;
  }
  return true;
}

Result<bool> match_rec(const btf::Spec& lb, btf::TypeId lid, const btf::Spec& tb, btf::TypeId tid, bool behind_ptr,
                       int level, int& budget) {
  if (level <= 0) return too_deep();
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    if (--budget < 0) return Error(Errc::RelocationFailed, "types too large to compare");
    BPFXX_TRY_ASSIGN(lid, lb.resolve(lid));
    BPFXX_TRY_ASSIGN(tid, tb.resolve(tid));
    btf::Type l = lb.type_unchecked(lid);
    btf::Type t = tb.type_unchecked(tid);
    const btf::Kind lk = l.kind(), tk = t.kind();
    // Base types are compared by size and encoding, not by how a compiler
    // spelled them: clang writes "long" where gcc-built kernels say "long
    // int". (The kernel-side loader also compares these names; being
    // looser here only accepts layouts that are the same.)
    if (lk != btf::Kind::Int && lk != btf::Kind::Float && !names_agree(l.name(), t.name())) return false;
    switch (lk) {
      case btf::Kind::Void: return tk == btf::Kind::Void;
      case btf::Kind::Fwd:
        // A declaration behind a pointer may meet the definition.
        if (tk == btf::Kind::Fwd) return l.fwd_is_union() == t.fwd_is_union();
        return behind_ptr && ((tk == btf::Kind::Struct && !l.fwd_is_union()) ||
                              (tk == btf::Kind::Union && l.fwd_is_union()));
      case btf::Kind::Enum:
      case btf::Kind::Enum64: return t.is_enum() && enums_match(l, t);
      case btf::Kind::Struct:
      case btf::Kind::Union:
        if (behind_ptr) {
          // Through a pointer only the name and kind matter: the pointee's
          // layout is not what the program reads here.
          if (tk == lk) return true;
          return tk == btf::Kind::Fwd && t.fwd_is_union() == (lk == btf::Kind::Union);
        }
        if (tk != lk) return false;
        return composites_match(lb, l, tb, t, behind_ptr, level, budget);
      case btf::Kind::Int:
        return tk == btf::Kind::Int && l.size() == t.size() &&
               (l.int_info().encoding & btf::kIntSigned) == (t.int_info().encoding & btf::kIntSigned);
      case btf::Kind::Float: return tk == btf::Kind::Float && l.size() == t.size();
      case btf::Kind::Ptr:
        if (tk != btf::Kind::Ptr) return false;
        behind_ptr = true;
        lid = l.ref();
        tid = t.ref();
        continue;
      case btf::Kind::Array:
        if (tk != btf::Kind::Array || l.array().nelems != t.array().nelems) return false;
        lid = l.array().elem_type;
        tid = t.array().elem_type;
        continue;
      case btf::Kind::FuncProto:
        if (tk != btf::Kind::FuncProto || l.vlen() != t.vlen()) return false;
        for (uint32_t i = 0; i < l.vlen(); ++i) {
          BPFXX_TRY_ASSIGN(bool ok,
                           match_rec(lb, l.param(i).type, tb, t.param(i).type, behind_ptr, level - 1, budget));
          if (!ok) return false;
        }
        lid = l.ref();
        tid = t.ref();
        continue;
      default: return false;
    }
  }
  return too_deep();
}

Result<bool> compat_rec(const btf::Spec& lb, btf::TypeId lid, const btf::Spec& tb, btf::TypeId tid, int level,
                        int& budget) {
  if (level <= 0) return too_deep();
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    if (--budget < 0) return Error(Errc::RelocationFailed, "types too large to compare");
    BPFXX_TRY_ASSIGN(lid, lb.resolve(lid));
    BPFXX_TRY_ASSIGN(tid, tb.resolve(tid));
    btf::Type l = lb.type_unchecked(lid);
    btf::Type t = tb.type_unchecked(tid);
    if (!kinds_compatible(l.kind(), t.kind())) return false;
    switch (l.kind()) {
      case btf::Kind::Void:
      case btf::Kind::Struct:
      case btf::Kind::Union:
      case btf::Kind::Enum:
      case btf::Kind::Enum64:
      case btf::Kind::Fwd:
      case btf::Kind::Float: return true;
      case btf::Kind::Int:
        // INTs with a bit offset are a long-gone bitfield encoding.
        return l.int_info().bit_offset == 0 && t.int_info().bit_offset == 0;
      case btf::Kind::Ptr:
        lid = l.ref();
        tid = t.ref();
        continue;
      case btf::Kind::Array:
        lid = l.array().elem_type;
        tid = t.array().elem_type;
        continue;
      case btf::Kind::FuncProto:
        if (l.vlen() != t.vlen()) return false;
        for (uint32_t i = 0; i < l.vlen(); ++i) {
          BPFXX_TRY_ASSIGN(bool ok, compat_rec(lb, l.param(i).type, tb, t.param(i).type, level - 1, budget));
          if (!ok) return false;
        }
        lid = l.ref();
        tid = t.ref();
        continue;
      default: return false;
    }
  }
  return too_deep();
}

}  // namespace

ReloClass class_of(btf::CoreReloKind kind) noexcept {
  switch (kind) {
    case btf::CoreReloKind::FieldByteOffset:
    case btf::CoreReloKind::FieldByteSize:
    case btf::CoreReloKind::FieldExists:
    case btf::CoreReloKind::FieldSigned:
    case btf::CoreReloKind::FieldLShiftU64:
    case btf::CoreReloKind::FieldRShiftU64: return ReloClass::Field;
    case btf::CoreReloKind::EnumValueExists:
    case btf::CoreReloKind::EnumValue: return ReloClass::Enum;
    default: return ReloClass::Type;
  }
}

bool zero_when_missing(btf::CoreReloKind kind) noexcept {
  switch (kind) {
    case btf::CoreReloKind::FieldExists:
    case btf::CoreReloKind::TypeExists:
    case btf::CoreReloKind::TypeMatches:
    case btf::CoreReloKind::EnumValueExists:
    // bpf_core_type_size() and bpf_core_type_id_kernel() are documented (in
    // libbpf's bpf_core_read.h, and so in programs written against it) to
    // give 0 for a type the kernel lacks, and programs test them for it.
    case btf::CoreReloKind::TypeSize:
    case btf::CoreReloKind::TypeIdTarget: return true;
    default: return false;
  }
}

bool kinds_compatible(btf::Kind a, btf::Kind b) noexcept {
  auto is_enum = [](btf::Kind k) { return k == btf::Kind::Enum || k == btf::Kind::Enum64; };
  return a == b || (is_enum(a) && is_enum(b));
}

Result<bool> fields_compatible(const btf::Spec& lb, btf::TypeId lid, const btf::Spec& tb, btf::TypeId tid) {
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    BPFXX_TRY_ASSIGN(lid, lb.resolve(lid));
    BPFXX_TRY_ASSIGN(tid, tb.resolve(tid));
    btf::Type l = lb.type_unchecked(lid);
    btf::Type t = tb.type_unchecked(tid);
    // Any struct or union for any struct or union: the access goes on by
    // member name, and a kernel turning a struct member into a union keeps
    // the fields reachable.
    if (l.is_struct_or_union() && t.is_struct_or_union()) return true;
    // Integers of any size or signedness, and enums for integers: the value
    // is read by the (resized) load; FIELD_SIGNED says how to extend it.
    if (is_int_like(l.kind()) && is_int_like(t.kind())) {
      if (l.kind() == btf::Kind::Int && l.int_info().bit_offset != 0) return false;
      if (t.kind() == btf::Kind::Int && t.int_info().bit_offset != 0) return false;
      if (l.is_enum() && t.is_enum()) {
        // Named enums must be the same enum; an anonymous one fits any.
        std::string_view ln = essential_name(l.name()), tn = essential_name(t.name());
        return ln.empty() || tn.empty() || ln == tn;
      }
      return true;
    }
    if (l.kind() != t.kind()) return false;
    switch (l.kind()) {
      case btf::Kind::Ptr:
      case btf::Kind::Float: return true;
      case btf::Kind::Fwd: {
        std::string_view ln = essential_name(l.name()), tn = essential_name(t.name());
        return ln.empty() || tn.empty() || ln == tn;
      }
      case btf::Kind::Array:
        lid = l.array().elem_type;
        tid = t.array().elem_type;
        continue;
      default: return false;
    }
  }
  return too_deep();
}

Result<bool> types_compatible(const btf::Spec& lb, btf::TypeId lid, const btf::Spec& tb, btf::TypeId tid) {
  // The records themselves first: a typedef only stands for a typedef.
  if (!kinds_compatible(lb.kind_of(lid), tb.kind_of(tid))) return false;
  int budget = kMaxMatchSteps;
  return compat_rec(lb, lid, tb, tid, kMaxDepth, budget);
}

Result<bool> types_match(const btf::Spec& lb, btf::TypeId lid, const btf::Spec& tb, btf::TypeId tid) {
  int budget = kMaxMatchSteps;
  return match_rec(lb, lid, tb, tid, /*behind_ptr=*/false, kMaxDepth, budget);
}

}  // namespace bpfxx::reloc::core
