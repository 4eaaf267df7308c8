// btf::Spec: copy-on-write editing and encoding.
#include <bpfxx/btf/spec.hpp>

#include "base/byte_reader.hpp"
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

// ---- Spec: editing --------------------------------------------------------

Result<size_t> Spec::record_offset(TypeId id, Kind expect, const char* what) const {
  if (id < first_id_ || id >= type_count()) {
    return Error(Errc::InvalidInput, fmt::format("{}: type id {} is not in this spec", what, id))
        .with_op("edit BTF");
  }
  Type t = type_unchecked(id);
  if (expect != Kind::Void && t.kind() != expect) {
    return Error(Errc::InvalidInput,
                 fmt::format("{}: type [{}] is {} and not {}", what, id, to_string(t.kind()), to_string(expect)))
        .with_op("edit BTF");
  }
  return size_t{offsets_[id - first_id_]};
}

Result<void> Spec::set_size(TypeId id, uint32_t size) {
  BPFXX_TRY_ASSIGN(size_t off, record_offset(id, Kind::Void, "set size"));
  write_u32(off + 8, size);
  return {};
}

Result<void> Spec::set_secinfo(TypeId id, uint32_t index, VarSecinfo info) {
  BPFXX_TRY_ASSIGN(size_t off, record_offset(id, Kind::Datasec, "set secinfo"));
  if (index >= type_unchecked(id).vlen()) {
    return Error(Errc::InvalidInput, fmt::format("DATASEC [{}] has no variable {}", id, index)).with_op("edit BTF");
  }
  size_t o = off + 12 + size_t{index} * 12;
  write_u32(o, info.type);
  write_u32(o + 4, info.offset);
  write_u32(o + 8, info.size);
  return {};
}

Result<void> Spec::set_var_linkage(TypeId id, VarLinkage linkage) {
  BPFXX_TRY_ASSIGN(size_t off, record_offset(id, Kind::Var, "set linkage"));
  write_u32(off + 12, static_cast<uint32_t>(linkage));
  return {};
}

Result<void> Spec::set_func_linkage(TypeId id, FuncLinkage linkage) {
  BPFXX_TRY_ASSIGN(size_t off, record_offset(id, Kind::Func, "set linkage"));
  // A FUNC keeps its linkage where other kinds keep vlen: the info word's
  // low 16 bits.
  const uint32_t info = read_u32(off + 4);
  write_u32(off + 4, (info & 0xffff0000u) | static_cast<uint32_t>(linkage));
  return {};
}

Result<void> Spec::replace_record(TypeId id, std::span<const uint32_t> words) {
  BPFXX_TRY_ASSIGN(size_t off, record_offset(id, Kind::Void, "replace record"));
  Type old = type_unchecked(id);
  size_t old_size = record_size(old.kind(), old.vlen());
  if (words.size() < 3) return Error(Errc::InvalidInput, "record too short").with_op("edit BTF");
  Kind k = static_cast<Kind>((words[1] >> 24) & 0x1f);
  size_t new_size = record_size(k, static_cast<uint16_t>(words[1] & 0xffff));
  if (new_size != words.size() * 4) {
    return Error(Errc::InvalidInput, "record size does not match its kind").with_op("edit BTF");
  }
  make_types_owned();
  std::vector<std::byte> bytes(words.size() * 4);
  for (size_t i = 0; i < words.size(); ++i) {
    uint32_t w = swap_ ? byteswap(words[i]) : words[i];
    std::memcpy(bytes.data() + i * 4, &w, 4);
  }
  auto pos = types_owned_.begin() + static_cast<ptrdiff_t>(off);
  pos = types_owned_.erase(pos, pos + static_cast<ptrdiff_t>(old_size));
  types_owned_.insert(pos, bytes.begin(), bytes.end());
  types_ = types_owned_;
  if (new_size != old_size) {
    for (size_t i = id - first_id_ + 1; i < offsets_.size(); ++i) {
      offsets_[i] = static_cast<uint32_t>(offsets_[i] - old_size + new_size);
    }
  }
  return {};
}

TypeId Spec::append_record(std::span<const uint32_t> words) {
  make_types_owned();
  size_t off = types_owned_.size();
  types_owned_.resize(off + words.size() * 4);
  for (size_t i = 0; i < words.size(); ++i) {
    uint32_t w = swap_ ? byteswap(words[i]) : words[i];
    std::memcpy(types_owned_.data() + off + i * 4, &w, 4);
  }
  types_ = types_owned_;
  offsets_.push_back(static_cast<uint32_t>(off));
  return type_count() - 1;
}

uint32_t Spec::add_string(std::string_view s) {
  if (!strings_are_owned_) {
    strings_owned_.assign(strings_.begin(), strings_.end());
    strings_are_owned_ = true;
  }
  if (strings_owned_.empty() && !base_) strings_owned_.push_back(std::byte{0});
  uint32_t off = str_base_ + static_cast<uint32_t>(strings_owned_.size());
  auto bytes = detail::as_bytes(s);
  strings_owned_.insert(strings_owned_.end(), bytes.begin(), bytes.end());
  strings_owned_.push_back(std::byte{0});
  strings_ = strings_owned_;
  reset_names();
  return off;
}

std::vector<std::byte> Spec::encode() const {
  std::byte header[kHeaderSize] = {};
  auto put16 = [&](size_t o, uint16_t v) {
    if (swap_) v = byteswap(v);
    std::memcpy(header + o, &v, 2);
  };
  auto put32 = [&](size_t o, uint32_t v) {
    if (swap_) v = byteswap(v);
    std::memcpy(header + o, &v, 4);
  };
  put16(0, kMagic);
  header[2] = std::byte{1};  // version
  header[3] = std::byte{0};  // flags
  put32(4, kHeaderSize);
  put32(8, 0);
  put32(12, static_cast<uint32_t>(types_.size()));
  put32(16, static_cast<uint32_t>(types_.size()));
  put32(20, static_cast<uint32_t>(strings_.size()));
  // Built by appending: value-initialising the whole buffer first would
  // write every byte twice.
  std::vector<std::byte> out(header, header + kHeaderSize);
  out.reserve(kHeaderSize + types_.size() + strings_.size());
  out.insert(out.end(), types_.begin(), types_.end());
  out.insert(out.end(), strings_.begin(), strings_.end());
  return out;
}

bool Spec::operator==(const Spec& other) const {
  return first_id_ == other.first_id_ && swap_ == other.swap_ &&
         std::equal(types_.begin(), types_.end(), other.types_.begin(), other.types_.end()) &&
         std::equal(strings_.begin(), strings_.end(), other.strings_.begin(), other.strings_.end());
}

}  // namespace bpfxx::btf
