#include <bpfxx/btf/builder.hpp>

#include <array>
#include <cstring>

namespace bpfxx::btf {

namespace {

// Header plus a string table holding only the empty string.
const std::array<std::byte, kHeaderSize + 1>& empty_btf() {
  static const auto bytes = [] {
    std::array<std::byte, kHeaderSize + 1> b{};
    uint32_t words[6] = {uint32_t{kMagic} | (1u << 16), kHeaderSize, 0, 0, 0, 1};
    std::memcpy(b.data(), words, sizeof(words));
    return b;
  }();
  return bytes;
}

}  // namespace

Builder::Builder() { spec_ = Spec::parse(std::span<const std::byte>(empty_btf())).value(); }

Builder::Builder(const Spec& spec) : spec_(spec) {}

Builder Builder::split(std::shared_ptr<const Spec> base) {
  Builder b;
  // An empty split spec: a header with no types and no strings.
  std::array<std::byte, kHeaderSize> header{};
  uint32_t words[6] = {uint32_t{kMagic} | (1u << 16), kHeaderSize, 0, 0, 0, 0};
  std::memcpy(header.data(), words, sizeof(words));
  b.spec_ = Spec::parse_split(header, std::move(base)).value();
  return b;
}

uint32_t Builder::add_string(std::string_view s) {
  if (s.empty()) return 0;
  auto it = strings_.find(std::string(s));
  if (it != strings_.end()) return it->second;
  uint32_t off = spec_.add_string(s);
  strings_.emplace(std::string(s), off);
  return off;
}

TypeId Builder::add_raw(std::span<const uint32_t> words) { return spec_.append_record(words); }

TypeId Builder::add_int(std::string_view name, uint32_t size, uint8_t encoding, uint8_t bits, uint8_t bit_offset) {
  if (bits == 0) bits = static_cast<uint8_t>(size * 8);
  uint32_t w[] = {add_string(name), make_info(Kind::Int, 0, false), size,
                  (uint32_t{encoding} << 24) | (uint32_t{bit_offset} << 16) | bits};
  return add_raw(w);
}

TypeId Builder::add_float(std::string_view name, uint32_t size) {
  uint32_t w[] = {add_string(name), make_info(Kind::Float, 0, false), size};
  return add_raw(w);
}

TypeId Builder::add_ref(Kind kind, std::string_view name, TypeId target) {
  uint32_t w[] = {add_string(name), make_info(kind, 0, false), target};
  return add_raw(w);
}

TypeId Builder::add_ptr(TypeId target) { return add_ref(Kind::Ptr, {}, target); }
TypeId Builder::add_typedef(std::string_view name, TypeId target) { return add_ref(Kind::Typedef, name, target); }
TypeId Builder::add_const(TypeId target) { return add_ref(Kind::Const, {}, target); }
TypeId Builder::add_volatile(TypeId target) { return add_ref(Kind::Volatile, {}, target); }
TypeId Builder::add_restrict(TypeId target) { return add_ref(Kind::Restrict, {}, target); }
TypeId Builder::add_type_tag(std::string_view value, TypeId target) { return add_ref(Kind::TypeTag, value, target); }

TypeId Builder::add_fwd(std::string_view name, bool is_union) {
  uint32_t w[] = {add_string(name), make_info(Kind::Fwd, 0, is_union), 0};
  return add_raw(w);
}

TypeId Builder::add_array(TypeId elem, TypeId index, uint32_t nelems) {
  uint32_t w[] = {0, make_info(Kind::Array, 0, false), 0, elem, index, nelems};
  return add_raw(w);
}

TypeId Builder::add_composite(Kind kind, std::string_view name, uint32_t size, const std::vector<MemberDef>& members) {
  bool bitfields = false;
  for (const MemberDef& m : members) bitfields |= m.bitfield_size != 0;
  std::vector<uint32_t> w = {add_string(name), make_info(kind, static_cast<uint32_t>(members.size()), bitfields), size};
  for (const MemberDef& m : members) {
    w.push_back(add_string(m.name));
    w.push_back(m.type);
    w.push_back(bitfields ? (m.bitfield_size << 24) | (m.bit_offset & 0xffffff) : m.bit_offset);
  }
  return add_raw(w);
}

TypeId Builder::add_struct(std::string_view name, uint32_t size, std::initializer_list<MemberDef> members) {
  return add_composite(Kind::Struct, name, size, std::vector<MemberDef>(members));
}
TypeId Builder::add_struct(std::string_view name, uint32_t size, const std::vector<MemberDef>& members) {
  return add_composite(Kind::Struct, name, size, members);
}
TypeId Builder::add_union(std::string_view name, uint32_t size, const std::vector<MemberDef>& members) {
  return add_composite(Kind::Union, name, size, members);
}

TypeId Builder::add_enum_any(Kind kind, std::string_view name, uint32_t size, const std::vector<EnumValueDef>& values,
                             bool is_signed) {
  std::vector<uint32_t> w = {add_string(name), make_info(kind, static_cast<uint32_t>(values.size()), is_signed), size};
  for (const EnumValueDef& v : values) {
    w.push_back(add_string(v.name));
    w.push_back(static_cast<uint32_t>(static_cast<uint64_t>(v.value)));
    if (kind == Kind::Enum64) w.push_back(static_cast<uint32_t>(static_cast<uint64_t>(v.value) >> 32));
  }
  return add_raw(w);
}

TypeId Builder::add_enum(std::string_view name, uint32_t size, const std::vector<EnumValueDef>& values,
                         bool is_signed) {
  return add_enum_any(Kind::Enum, name, size, values, is_signed);
}
TypeId Builder::add_enum64(std::string_view name, uint32_t size, const std::vector<EnumValueDef>& values,
                           bool is_signed) {
  return add_enum_any(Kind::Enum64, name, size, values, is_signed);
}

TypeId Builder::add_func_proto(TypeId return_type, const std::vector<ParamDef>& params) {
  std::vector<uint32_t> w = {0, make_info(Kind::FuncProto, static_cast<uint32_t>(params.size()), false), return_type};
  for (const ParamDef& p : params) {
    w.push_back(add_string(p.name));
    w.push_back(p.type);
  }
  return add_raw(w);
}

TypeId Builder::add_func(std::string_view name, TypeId proto, FuncLinkage linkage) {
  uint32_t w[] = {add_string(name), make_info(Kind::Func, static_cast<uint32_t>(linkage), false), proto};
  return add_raw(w);
}

TypeId Builder::add_var(std::string_view name, TypeId type, VarLinkage linkage) {
  uint32_t w[] = {add_string(name), make_info(Kind::Var, 0, false), type, static_cast<uint32_t>(linkage)};
  return add_raw(w);
}

TypeId Builder::add_datasec(std::string_view name, uint32_t size, const std::vector<VarSecinfo>& vars) {
  std::vector<uint32_t> w = {add_string(name), make_info(Kind::Datasec, static_cast<uint32_t>(vars.size()), false),
                             size};
  for (const VarSecinfo& v : vars) {
    w.push_back(v.type);
    w.push_back(v.offset);
    w.push_back(v.size);
  }
  return add_raw(w);
}

TypeId Builder::add_decl_tag(std::string_view value, TypeId target, int32_t component) {
  uint32_t w[] = {add_string(value), make_info(Kind::DeclTag, 0, false), target, static_cast<uint32_t>(component)};
  return add_raw(w);
}

Result<Spec> Builder::finish() && {
  std::vector<std::byte> bytes = spec_.encode();
  auto owned = std::make_shared<std::vector<std::byte>>(std::move(bytes));
  std::span<const std::byte> view(*owned);
  if (spec_.base()) return Spec::parse_split(view, spec_.base(), owned);
  return Spec::parse(view, owned);
}

}  // namespace bpfxx::btf
