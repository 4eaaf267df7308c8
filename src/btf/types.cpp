// btf::Type: decoding one record on demand.
#include <bpfxx/btf/spec.hpp>

#include "base/byte_reader.hpp"
#include "btf/spec_internal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace bpfxx::btf {

std::string_view to_string(Kind kind) noexcept {
  switch (kind) {
    case Kind::Void: return "VOID";
    case Kind::Int: return "INT";
    case Kind::Ptr: return "PTR";
    case Kind::Array: return "ARRAY";
    case Kind::Struct: return "STRUCT";
    case Kind::Union: return "UNION";
    case Kind::Enum: return "ENUM";
    case Kind::Fwd: return "FWD";
    case Kind::Typedef: return "TYPEDEF";
    case Kind::Volatile: return "VOLATILE";
    case Kind::Const: return "CONST";
    case Kind::Restrict: return "RESTRICT";
    case Kind::Func: return "FUNC";
    case Kind::FuncProto: return "FUNC_PROTO";
    case Kind::Var: return "VAR";
    case Kind::Datasec: return "DATASEC";
    case Kind::Float: return "FLOAT";
    case Kind::DeclTag: return "DECL_TAG";
    case Kind::TypeTag: return "TYPE_TAG";
    case Kind::Enum64: return "ENUM64";
  }
  return "UNKNOWN";
}


// ---- Type accessors -------------------------------------------------------

std::string_view Type::name() const noexcept {
  if (spec_ == nullptr) return {};
  return spec_->string_at(name_off_).value_or("");
}

IntInfo Type::int_info() const noexcept {
  uint32_t v = spec_->read_u32(offset_ + 12);
  return {static_cast<uint8_t>((v >> 24) & 0xf), static_cast<uint8_t>((v >> 16) & 0xff),
          static_cast<uint8_t>(v & 0xff)};
}

ArrayInfo Type::array() const noexcept {
  return {spec_->read_u32(offset_ + 12), spec_->read_u32(offset_ + 16), spec_->read_u32(offset_ + 20)};
}

Member Type::member(uint32_t i) const noexcept {
  size_t o = offset_ + 12 + size_t{i} * 12;
  Member m;
  m.name = spec_->string_at(spec_->read_u32(o)).value_or("");
  m.type = spec_->read_u32(o + 4);
  uint32_t off = spec_->read_u32(o + 8);
  if (kflag_) {
    m.bit_offset = off & 0xffffff;
    m.bitfield_size = off >> 24;
  } else {
    m.bit_offset = off;
  }
  return m;
}

uint32_t Type::member_name_off(uint32_t i) const noexcept { return spec_->read_u32(offset_ + 12 + size_t{i} * 12); }

EnumValue Type::enumerator(uint32_t i) const noexcept {
  EnumValue v;
  if (kind_ == Kind::Enum64) {
    size_t o = offset_ + 12 + size_t{i} * 12;
    v.name = spec_->string_at(spec_->read_u32(o)).value_or("");
    uint64_t lo = spec_->read_u32(o + 4), hi = spec_->read_u32(o + 8);
    v.value = static_cast<int64_t>(lo | (hi << 32));
  } else {
    size_t o = offset_ + 12 + size_t{i} * 8;
    v.name = spec_->string_at(spec_->read_u32(o)).value_or("");
    uint32_t raw = spec_->read_u32(o + 4);
    v.value = kflag_ ? static_cast<int64_t>(static_cast<int32_t>(raw)) : static_cast<int64_t>(raw);
  }
  return v;
}

Param Type::param(uint32_t i) const noexcept {
  size_t o = offset_ + 12 + size_t{i} * 8;
  return {spec_->string_at(spec_->read_u32(o)).value_or(""), spec_->read_u32(o + 4)};
}

VarLinkage Type::var_linkage() const noexcept {
  return static_cast<VarLinkage>(spec_->read_u32(offset_ + 12));
}

VarSecinfo Type::secinfo(uint32_t i) const noexcept {
  size_t o = offset_ + 12 + size_t{i} * 12;
  return {spec_->read_u32(o), spec_->read_u32(o + 4), spec_->read_u32(o + 8)};
}

int32_t Type::decl_tag_component() const noexcept {
  return static_cast<int32_t>(spec_->read_u32(offset_ + 12));
}

std::vector<Member> Type::members() const {
  std::vector<Member> out;
  out.reserve(vlen_);
  for (uint32_t i = 0; i < vlen_; ++i) out.push_back(member(i));
  return out;
}
std::vector<EnumValue> Type::enumerators() const {
  std::vector<EnumValue> out;
  out.reserve(vlen_);
  for (uint32_t i = 0; i < vlen_; ++i) out.push_back(enumerator(i));
  return out;
}
std::vector<Param> Type::params() const {
  std::vector<Param> out;
  out.reserve(vlen_);
  for (uint32_t i = 0; i < vlen_; ++i) out.push_back(param(i));
  return out;
}
std::vector<VarSecinfo> Type::secinfos() const {
  std::vector<VarSecinfo> out;
  out.reserve(vlen_);
  for (uint32_t i = 0; i < vlen_; ++i) out.push_back(secinfo(i));
  return out;
}

}  // namespace bpfxx::btf
