// The order pass: which types get a top-level definition, and in what order.
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

// One pass over every type: which types are referred to (an anonymous type
// that is goes inline where it is used), whether any type tag appears (the
// prologue then defines its macro), and which FUNCs are kfuncs.
void HeaderWriter::scan_types() {
  const TypeId count = spec_.type_count();
  auto mark = [&](TypeId target) {
    if (target < count) flags_[target] |= kReferenced;
  };
  for (TypeId id = 1; id < count; ++id) {
    Type t = spec_.type_unchecked(id);
    switch (t.kind()) {
      case Kind::TypeTag: has_type_tags_ = true; [[fallthrough]];
      case Kind::Ptr:
      case Kind::Typedef:
      case Kind::Const:
      case Kind::Volatile:
      case Kind::Restrict: mark(t.ref()); break;
      case Kind::Array: mark(t.array().elem_type); break;
      case Kind::Struct:
      case Kind::Union:
        for (uint32_t i = 0; i < t.vlen(); ++i) mark(t.member(i).type);
        break;
      case Kind::FuncProto:
        mark(t.ref());
        for (uint32_t i = 0; i < t.vlen(); ++i) mark(t.param(i).type);
        break;
      case Kind::DeclTag:
        // The kernel marks kfuncs with __attribute__((btf_decl_tag("bpf_kfunc"))).
        if (options_.functions != FunctionDecls::None && t.decl_tag_component() == -1 && t.ref() < count &&
            t.name() == "bpf_kfunc") {
          flags_[t.ref()] |= kKfunc;
        }
        break;
      default: break;
    }
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
    for (TypeId id = 1; id < count && !failure_; ++id) visit(id);
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

// Lists the definitions `id` needs before its own (if it needs one) and
// returns whether `id` is now usable by value: a defined struct, union or
// enum, or a typedef of one. `through_ptr`: only a pointer to `id` is needed,
// for which a named struct needs no definition at all.
bool HeaderWriter::order(TypeId id, bool through_ptr, int depth) {
  if (id == 0 || failure_) return false;
  uint8_t& f = flags_[id];
  if (f & kOrdered) return true;
  Type t = spec_.type_unchecked(id);
  const Kind kind = t.kind();
  if (f & kOrderBusy) {
    // A struct reached again through a pointer is what forward declarations
    // are for; reached again by value, C cannot express it.
    if (t.is_struct_or_union() && through_ptr && !t.name().empty()) return false;
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
      bool strong = order(t.ref(), true, depth + 1);
      flags_[id] |= kOrdered;
      return strong;
    }
    case Kind::Array:
      // An array's element type must be complete even behind a pointer.
      return order(t.array().elem_type, false, depth + 1);
    case Kind::Struct:
    case Kind::Union: {
      if (through_ptr && !t.name().empty()) return false;
      f |= kOrderBusy;
      for (uint32_t i = 0; i < t.vlen(); ++i) order(t.member(i).type, false, depth + 1);
      // Anonymous ones are written inline where used; an anonymous one that
      // nothing uses declares nothing, so it is left out.
      if (!t.name().empty()) queue_.push_back(id);
      flags_[id] = static_cast<uint8_t>((flags_[id] & ~kOrderBusy) | kOrdered);
      return true;
    }
    case Kind::Enum:
    case Kind::Enum64:
      // An anonymous enum used nowhere still defines constants: keep it.
      if (!t.name().empty() || ((f & kReferenced) == 0 && t.vlen() > 0)) queue_.push_back(id);
      f |= kOrdered;
      return true;
    case Kind::Fwd:
      queue_.push_back(id);
      f |= kOrdered;
      return true;
    case Kind::Typedef: {
      bool strong = order(t.ref(), through_ptr, depth + 1);
      if (through_ptr && !strong) return false;
      queue_.push_back(id);
      flags_[id] |= kOrdered;
      return true;
    }
    case Kind::Const:
    case Kind::Volatile:
    case Kind::Restrict:
    case Kind::TypeTag:
      // Not marked: one modifier may be reached through a pointer first and
      // by value later, and must then order its target by value.
      return order(t.ref(), through_ptr, depth + 1);
    case Kind::FuncProto: {
      // Parameters and results may be incomplete types in a declaration.
      bool strong = order(t.ref(), through_ptr, depth + 1);
      for (uint32_t i = 0; i < t.vlen(); ++i) order(t.param(i).type, through_ptr, depth + 1);
      flags_[id] |= kOrdered;
      return strong;
    }
    default: return false;  // FUNC, VAR, DATASEC, DECL_TAG: no C type
  }
}

}  // namespace bpfxx::codegen::detail
