// Ordering: which types get a top-level definition, and in what order; each
// is written (emit) as soon as everything it embeds has been.
#include "codegen/c_writer.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace bpfxx::codegen::detail {

using btf::Kind;
using btf::Type;
using btf::TypeId;

namespace {
constexpr int kMaxDepth = 512;
}

// One look at every kind: whether the prologue must define the type tag
// macro (any tag at all: declarations are written as types are ordered,
// after the prologue), and, for function declarations, which FUNCs the
// kernel marks as kfuncs (__attribute__((btf_decl_tag("bpf_kfunc")))).
void HeaderWriter::scan_kinds() {
  const TypeId count = spec_.type_count();
  for (TypeId id = 1; id < count; ++id) {
    Kind k = spec_.kind_of(id);
    if (k == Kind::TypeTag) has_type_tags_ = true;
    if (k != Kind::DeclTag || options_.functions == FunctionDecls::None) continue;
    Type t = spec_.type_unchecked(id);
    if (t.decl_tag_component() == -1 && t.ref() < count && t.name() == "bpf_kfunc") flags_[t.ref()] |= kKfunc;
  }
}

void HeaderWriter::order_roots() {
  const TypeId count = spec_.type_count();
  auto visit = [&](TypeId id) {
    if (spec_.kind_of(id) == Kind::Func) {
      if (options_.functions == FunctionDecls::All ||
          (options_.functions == FunctionDecls::Kfuncs && (flags_[id] & kKfunc) != 0)) {
        functions_.push_back(id);
      }
      return;
    }
    order(id, false, 0);
  };
  if (!options_.roots) {
    // Every type, but only those that can need a definition of their own:
    // what pointers, modifiers and prototypes lead to is visited as a root
    // anyway, and vmlinux's ~30k prototypes of functions alone lead nowhere.
    for (TypeId id = 1; id < count && !failure_; ++id) {
      switch (spec_.kind_of(id)) {
        case Kind::Struct:
        case Kind::Union:
        case Kind::Enum:
        case Kind::Enum64:
        case Kind::Fwd:
        case Kind::Typedef:
        case Kind::Func: visit(id); break;
        default: break;
      }
    }
    return;
  }
  std::vector<TypeId> roots = *options_.roots;
  std::sort(roots.begin(), roots.end());
  roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
  for (TypeId id : roots) {
    if (id == 0 || id >= count) {
      fail(fmt::format("root type id {} is out of range (the BTF has {} types)", id, count));
      return;
    }
    visit(id);
  }
}

// Writes the definitions `id` needs before its own, then its own (if it has
// one), and returns whether `id` is now usable by value: a defined struct,
// union or enum, or a typedef of one. `through_ptr`: only a pointer to `id`
// is needed, for which a named struct needs no definition at all.
bool HeaderWriter::order(TypeId id, bool through_ptr, int depth) {
  if (id == 0 || failure_) return false;
  uint16_t& f = flags_[id];
  if (f & kOrdered) return true;
  Type t = spec_.type_unchecked(id);
  const Kind kind = t.kind();
  if (f & kOrderBusy) {
    // A struct reached again through a pointer is what forward declarations
    // are for; reached again by value, C cannot express it.
    if (t.is_struct_or_union() && through_ptr && !anonymous(t)) return false;
    fail(fmt::format("type [{}] {} '{}' contains itself by value", id, to_string(kind), t.name()));
    return false;
  }
  if (depth > kMaxDepth) {
    fail(fmt::format("type [{}] nests more than {} levels deep", id, kMaxDepth));
    return false;
  }
  switch (kind) {
    case Kind::Int:
    case Kind::Float:
      f |= kOrdered;
      return false;
    case Kind::Ptr: {
      bool strong = order_ref(t.ref(), true, depth + 1);
      flags_[id] |= kOrdered;
      return strong;
    }
    case Kind::Array:
      // An array's element type must be complete even behind a pointer.
      return order_ref(t.array().elem_type, false, depth + 1);
    case Kind::Struct:
    case Kind::Union: {
      if (through_ptr && !anonymous(t)) return false;
      f |= kOrderBusy;
      for (uint32_t i = 0; i < t.vlen(); ++i) order_ref(t.member(i).type, false, depth + 1);
      // Anonymous ones are written inline where used; an anonymous one that
      // nothing uses declares nothing, so it is left out.
      if (!anonymous(t)) emit(id, id, 0);
      flags_[id] = static_cast<uint16_t>((flags_[id] & ~kOrderBusy) | kOrdered);
      return true;
    }
    case Kind::Enum:
    case Kind::Enum64:
      // An anonymous enum that no type uses still defines constants, so it
      // gets a definition of its own. Whether one does is only known once
      // every type is ordered: such enums are written last, if still unused.
      if (!anonymous(t)) {
        emit(id, id, 0);
      } else if ((f & kReferenced) == 0 && t.vlen() > 0) {
        lone_enums_.push_back(id);
      }
      f |= kOrdered;
      return true;
    case Kind::Fwd:
      emit(id, id, 0);
      f |= kOrdered;
      return true;
    case Kind::Typedef: {
      bool strong = order_ref(t.ref(), through_ptr, depth + 1);
      if (through_ptr && !strong) return false;
      emit(id, id, 0);
      flags_[id] |= kOrdered;
      return true;
    }
    case Kind::TypeTag:
    case Kind::Const:
    case Kind::Volatile:
    case Kind::Restrict:
      // Not marked: one modifier may be reached through a pointer first and
      // by value later, and must then order its target by value.
      return order_ref(t.ref(), through_ptr, depth + 1);
    case Kind::FuncProto: {
      // Parameters and results may be incomplete types in a declaration.
      bool strong = order_ref(t.ref(), through_ptr, depth + 1);
      for (uint32_t i = 0; i < t.vlen(); ++i) order_ref(t.param(i).type, through_ptr, depth + 1);
      flags_[id] |= kOrdered;
      return strong;
    }
    default: return false;  // FUNC, VAR, DATASEC, DECL_TAG: no C type
  }
}

}  // namespace bpfxx::codegen::detail
