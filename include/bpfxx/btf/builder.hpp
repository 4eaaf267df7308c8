// btf::Builder: creates BTF types and encodes them, for tests (synthetic
// target kernels for CO-RE), for the loader (sanitizing BTF for older
// kernels) and for tools.
//
// A Builder owns a Spec and appends records to it; strings are deduplicated.
// It can start empty, from a copy of an existing spec (to edit or extend it),
// or on top of a base spec (split BTF).
//
//   btf::Builder b;
//   auto u32 = b.add_int("unsigned int", 4, 0);
//   auto s = b.add_struct("task_struct", 8, {{"pid", u32, 0}, {"tgid", u32, 32}});
//   btf::Spec spec = std::move(b).finish().value();
//
// Thread safety: one owner, not synchronized.
#pragma once

#include <bpfxx/btf/spec.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bpfxx::btf {

struct MemberDef {
  std::string_view name;
  TypeId type = 0;
  uint32_t bit_offset = 0;
  uint32_t bitfield_size = 0;  // non-zero makes the struct use kflag encoding
};

struct EnumValueDef {
  std::string_view name;
  int64_t value = 0;
};

struct ParamDef {
  std::string_view name;
  TypeId type = 0;
};

class Builder {
 public:
  Builder();
  // Starts from a copy of `spec`: new types get ids after its last one.
  explicit Builder(const Spec& spec);
  // Starts split BTF on top of `base`.
  static Builder split(std::shared_ptr<const Spec> base);

  TypeId add_int(std::string_view name, uint32_t size_bytes, uint8_t encoding, uint8_t bits = 0,
                 uint8_t bit_offset = 0);
  TypeId add_float(std::string_view name, uint32_t size_bytes);
  TypeId add_ptr(TypeId target);
  TypeId add_array(TypeId elem, TypeId index, uint32_t nelems);
  TypeId add_struct(std::string_view name, uint32_t size_bytes, std::initializer_list<MemberDef> members);
  TypeId add_struct(std::string_view name, uint32_t size_bytes, const std::vector<MemberDef>& members);
  TypeId add_union(std::string_view name, uint32_t size_bytes, const std::vector<MemberDef>& members);
  TypeId add_enum(std::string_view name, uint32_t size_bytes, const std::vector<EnumValueDef>& values,
                  bool is_signed = false);
  TypeId add_enum64(std::string_view name, uint32_t size_bytes, const std::vector<EnumValueDef>& values,
                    bool is_signed = false);
  TypeId add_fwd(std::string_view name, bool is_union = false);
  TypeId add_typedef(std::string_view name, TypeId target);
  TypeId add_const(TypeId target);
  TypeId add_volatile(TypeId target);
  TypeId add_restrict(TypeId target);
  TypeId add_type_tag(std::string_view value, TypeId target);
  TypeId add_func_proto(TypeId return_type, const std::vector<ParamDef>& params);
  TypeId add_func(std::string_view name, TypeId proto, FuncLinkage linkage = FuncLinkage::Global);
  TypeId add_var(std::string_view name, TypeId type, VarLinkage linkage = VarLinkage::GlobalAllocated);
  TypeId add_datasec(std::string_view name, uint32_t size_bytes, const std::vector<VarSecinfo>& vars);
  TypeId add_decl_tag(std::string_view value, TypeId target, int32_t component = -1);

  // Appends a raw record (host-order words) as is, for kinds or encodings
  // the typed calls do not cover.
  TypeId add_raw(std::span<const uint32_t> words);
  uint32_t add_string(std::string_view s);

  const Spec& spec() const noexcept { return spec_; }
  // The spec under construction, for edits of existing records (set_size,
  // set_secinfo, replace_record...) alongside additions.
  Spec& edit() noexcept { return spec_; }
  // Validates the result as if it had been read from a file.
  Result<Spec> finish() &&;

 private:
  TypeId add_composite(Kind kind, std::string_view name, uint32_t size, const std::vector<MemberDef>& members);
  TypeId add_enum_any(Kind kind, std::string_view name, uint32_t size, const std::vector<EnumValueDef>& values,
                      bool is_signed);
  TypeId add_ref(Kind kind, std::string_view name, TypeId target);
  Spec spec_;
  std::unordered_map<std::string, uint32_t> strings_;
};

// The info word of a BTF record.
constexpr uint32_t make_info(Kind kind, uint32_t vlen, bool kflag) noexcept {
  return (kflag ? 1u << 31 : 0u) | (static_cast<uint32_t>(kind) << 24) | (vlen & 0xffff);
}

}  // namespace bpfxx::btf
