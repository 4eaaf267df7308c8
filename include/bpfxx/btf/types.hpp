// The BTF type model: kinds, the decoded pieces of a type, and Type, a light
// view of one type record inside a btf::Spec.
//
// Values follow the kernel's BTF format (Documentation/bpf/btf.rst). The kind
// numbers are part of that file format and are checked against the UAPI
// <linux/btf.h> by a unit test.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace bpfxx::btf {

using TypeId = uint32_t;

enum class Kind : uint8_t {
  Void = 0,  // id 0 only; never stored
  Int = 1,
  Ptr = 2,
  Array = 3,
  Struct = 4,
  Union = 5,
  Enum = 6,
  Fwd = 7,
  Typedef = 8,
  Volatile = 9,
  Const = 10,
  Restrict = 11,
  Func = 12,
  FuncProto = 13,
  Var = 14,
  Datasec = 15,
  Float = 16,
  DeclTag = 17,
  TypeTag = 18,
  Enum64 = 19,
};
inline constexpr uint8_t kMaxKind = 19;

std::string_view to_string(Kind kind) noexcept;

// INT encoding bits.
inline constexpr uint8_t kIntSigned = 1, kIntChar = 2, kIntBool = 4;

struct IntInfo {
  uint8_t encoding = 0;     // kIntSigned | kIntChar | kIntBool
  uint8_t bit_offset = 0;   // legacy bit offset within the storage
  uint8_t bits = 0;         // number of value bits
};

struct ArrayInfo {
  TypeId elem_type = 0;
  TypeId index_type = 0;
  uint32_t nelems = 0;
};

struct Member {
  std::string_view name;
  TypeId type = 0;
  uint32_t bit_offset = 0;     // from the start of the struct
  uint32_t bitfield_size = 0;  // 0 when not a bitfield (or legacy INT-encoded)
};

struct EnumValue {
  std::string_view name;
  int64_t value = 0;  // for unsigned 64-bit enums, the bits reinterpret as uint64_t
};

struct Param {
  std::string_view name;
  TypeId type = 0;  // 0 with an empty name: a trailing "..." (varargs)
};

enum class VarLinkage : uint32_t { Static = 0, GlobalAllocated = 1, GlobalExtern = 2 };
enum class FuncLinkage : uint32_t { Static = 0, Global = 1, Extern = 2 };

struct VarSecinfo {
  TypeId type = 0;
  uint32_t offset = 0;
  uint32_t size = 0;
  bool operator==(const VarSecinfo&) const = default;
};

class Spec;

// A view of one type; valid while its Spec lives and is not mutated.
class Type {
 public:
  Type() = default;

  TypeId id() const noexcept { return id_; }
  Kind kind() const noexcept { return kind_; }
  std::string_view name() const noexcept;  // decoded on each call
  uint32_t name_offset() const noexcept { return name_off_; }
  uint16_t vlen() const noexcept { return vlen_; }
  bool kflag() const noexcept { return kflag_; }
  // The size of INT, STRUCT, UNION, ENUM, ENUM64, DATASEC and FLOAT.
  uint32_t size() const noexcept { return size_or_type_; }
  // The referenced type of PTR, TYPEDEF, the modifiers, FUNC, VAR, DECL_TAG,
  // TYPE_TAG, and FUNC_PROTO (its return type).
  TypeId ref() const noexcept { return size_or_type_; }

  bool is_struct_or_union() const noexcept { return kind_ == Kind::Struct || kind_ == Kind::Union; }
  bool is_enum() const noexcept { return kind_ == Kind::Enum || kind_ == Kind::Enum64; }
  bool is_modifier() const noexcept {
    return kind_ == Kind::Volatile || kind_ == Kind::Const || kind_ == Kind::Restrict ||
           kind_ == Kind::TypeTag;
  }
  // An unsigned enum (kflag clear) or signed one (kflag set); ENUM64 too.
  bool enum_signed() const noexcept { return kflag_; }
  FuncLinkage func_linkage() const noexcept { return static_cast<FuncLinkage>(vlen_); }
  // Only for FWD: true when it declares a union.
  bool fwd_is_union() const noexcept { return kflag_; }

  IntInfo int_info() const noexcept;
  ArrayInfo array() const noexcept;
  Member member(uint32_t i) const noexcept;
  // Just the member's name offset, for comparing names without decoding
  // them (Spec::name_is).
  uint32_t member_name_off(uint32_t i) const noexcept;
  EnumValue enumerator(uint32_t i) const noexcept;
  Param param(uint32_t i) const noexcept;
  VarLinkage var_linkage() const noexcept;
  VarSecinfo secinfo(uint32_t i) const noexcept;
  int32_t decl_tag_component() const noexcept;  // -1: the declaration itself

  std::vector<Member> members() const;
  std::vector<EnumValue> enumerators() const;
  std::vector<Param> params() const;
  std::vector<VarSecinfo> secinfos() const;

 private:
  friend class Spec;
  const Spec* spec_ = nullptr;
  TypeId id_ = 0;
  uint32_t offset_ = 0;  // of the record within the spec's type section
  Kind kind_ = Kind::Void;
  bool kflag_ = false;
  uint16_t vlen_ = 0;
  uint32_t size_or_type_ = 0;
  uint32_t name_off_ = 0;
};

}  // namespace bpfxx::btf
