// The root set of a header filtered to one object: the target's types that
// the object's BTF names. A program's BTF holds every type it declares or
// uses (with -g, clang writes each one it refers to, and each CO-RE
// relocation starts from one of them), so its names are the types the
// program may need from the header.
#include <bpfxx/codegen/c_header.hpp>

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace bpfxx::codegen {

using btf::Kind;
using btf::TypeId;

namespace {

// Kind classes that can stand for each other: a forward declaration for its
// struct, ENUM for ENUM64 (a kernel may widen an enum).
enum : uint8_t { kStruct = 1, kUnion = 2, kEnum = 4, kTypedef = 8, kFunc = 16 };

uint8_t class_of(const btf::Type& t) {
  switch (t.kind()) {
    case Kind::Struct: return kStruct;
    case Kind::Union: return kUnion;
    case Kind::Fwd: return t.fwd_is_union() ? kUnion : kStruct;
    case Kind::Enum:
    case Kind::Enum64: return kEnum;
    case Kind::Typedef: return kTypedef;
    case Kind::Func: return kFunc;
    default: return 0;
  }
}

// "task_struct___old" -> "task_struct": CO-RE ignores a suffix that starts
// with the last "___" standing between two other characters.
std::string_view essential_name(std::string_view name) {
  for (size_t i = name.size() >= 5 ? name.size() - 5 + 1 : 0; i-- > 0;) {
    if (name[i] != '_' && name.compare(i + 1, 3, "___") == 0 && name[i + 4] != '_') return name.substr(0, i + 1);
  }
  return name;
}

// The UAPI integer typedefs BPF programs' helper declarations
// (bpf_helper_defs.h) are written in: a header filtered to a program must
// still compile that program, whose own BTF may name none of them.
constexpr std::string_view kHelperTypedefs[] = {"__u8",   "__s8",   "__u16",  "__s16",  "__u32", "__s32",
                                                "__u64",  "__s64",  "__be16", "__be32", "__be64", "__le16",
                                                "__le32", "__le64", "__wsum", "__sum16"};

}  // namespace

std::vector<TypeId> object_type_roots(const btf::Spec& object_btf, const btf::Spec& target,
                                      bool include_functions) {
  std::unordered_map<std::string_view, uint8_t> wanted;
  for (TypeId id = 1; id < object_btf.type_count(); ++id) {
    btf::Type t = object_btf.type_unchecked(id);
    uint8_t cls = class_of(t);
    if (cls == 0 || t.name().empty()) continue;
    if (cls == kFunc) {
      // Only what the program declares extern (kfuncs) comes from the kernel.
      if (!include_functions || t.func_linkage() != btf::FuncLinkage::Extern) continue;
    }
    wanted[essential_name(t.name())] |= cls;
  }
  for (std::string_view name : kHelperTypedefs) wanted[name] |= kTypedef;
  std::vector<TypeId> roots;
  for (TypeId id = 1; id < target.type_count(); ++id) {
    btf::Type t = target.type_unchecked(id);
    uint8_t cls = class_of(t);
    if (cls == 0) continue;
    std::string_view name = t.name();
    if (name.empty()) continue;
    auto it = wanted.find(name);
    if (it != wanted.end() && (it->second & cls) != 0) roots.push_back(id);
  }
  return roots;
}

}  // namespace bpfxx::codegen
