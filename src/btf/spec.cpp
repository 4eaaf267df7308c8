// btf::Spec: parsing and validation of untrusted BTF.
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

namespace internal {

Error malformed(std::string message, std::optional<uint64_t> offset) {
  Error e = Error(Errc::InvalidInput, std::move(message)).with_op("parse BTF");
  if (offset) std::move(e).with_file_offset(*offset);
  return e;
}

}  // namespace internal

// ---- Spec: construction ---------------------------------------------------

Spec::Spec() = default;
Spec::~Spec() = default;
Spec::Spec(Spec&&) noexcept = default;
Spec& Spec::operator=(Spec&&) noexcept = default;

Spec::Spec(const Spec& other)
    : keepalive_(other.keepalive_),
      base_(other.base_),
      types_(other.types_),
      strings_(other.strings_),
      types_owned_(other.types_owned_),
      strings_owned_(other.strings_owned_),
      types_are_owned_(other.types_are_owned_),
      strings_are_owned_(other.strings_are_owned_),
      swap_(other.swap_),
      first_id_(other.first_id_),
      str_base_(other.str_base_),
      offsets_(other.offsets_),
      name_offs_(other.name_offs_) {
  if (types_are_owned_) types_ = types_owned_;
  if (strings_are_owned_) strings_ = strings_owned_;
  reset_names();
}

Spec& Spec::operator=(const Spec& other) {
  if (this != &other) *this = Spec(other);
  return *this;
}


void Spec::write_u32(size_t offset, uint32_t value) {
  // The words written this way (sizes, linkage, DATASEC entries) are never
  // names or kinds, so the name caches stay valid.
  copy_types_if_viewed();
  if (swap_) value = byteswap(value);
  std::memcpy(types_owned_.data() + offset, &value, 4);
}

void Spec::copy_types_if_viewed() {
  if (!types_are_owned_) {
    types_owned_.assign(types_.begin(), types_.end());
    types_are_owned_ = true;
    types_ = types_owned_;
  }
}

void Spec::make_types_owned() {
  name_offs_.clear();
  copy_types_if_viewed();
  reset_names();
}

void Spec::reset_names() {
  // Edits are exclusive, so no lookup runs concurrently: keep an index that
  // has not answered anything yet.
  if (names_ && names_->scans == 0 && !names_->full) return;
  names_ = std::make_unique<NameIndex>();
}

bool Spec::big_endian() const noexcept { return swap_ != host_big_endian(); }

Result<Spec> Spec::parse(std::span<const std::byte> bytes, std::shared_ptr<const void> keepalive) {
  return parse_split(bytes, nullptr, std::move(keepalive));
}

Result<Spec> Spec::parse(std::vector<std::byte>&& bytes) {
  auto owned = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
  std::span<const std::byte> view(*owned);
  return parse_split(view, nullptr, std::move(owned));
}

Result<Spec> Spec::parse_split(std::span<const std::byte> bytes, std::shared_ptr<const Spec> base,
                               std::shared_ptr<const void> keepalive) {
  detail::ByteReader raw(bytes);
  if (bytes.size() < kHeaderSize) {
    return malformed(fmt::format("{} bytes is too small for a BTF header", bytes.size()), 0);
  }
  uint16_t magic = raw.get<uint16_t>(0);
  bool swap;
  if (magic == kMagic) {
    swap = false;
  } else if (magic == byteswap(kMagic)) {
    swap = true;
  } else {
    return malformed(fmt::format("bad BTF magic 0x{:04x}", magic), 0);
  }
  detail::ByteReader r(bytes, swap);
  uint8_t version = r.get<uint8_t>(2);
  if (version != 1) return malformed(fmt::format("unsupported BTF version {}", version), 2);
  uint32_t hdr_len = r.get<uint32_t>(4);
  uint32_t type_off = r.get<uint32_t>(8), type_len = r.get<uint32_t>(12);
  uint32_t str_off = r.get<uint32_t>(16), str_len = r.get<uint32_t>(20);
  if (hdr_len < kHeaderSize || hdr_len > bytes.size()) {
    return malformed(fmt::format("BTF header length {} invalid for {} bytes", hdr_len, bytes.size()), 4);
  }
  // A longer header than we know is fine only if the extra bytes are zero.
  for (size_t i = kHeaderSize; i < hdr_len; ++i) {
    if (bytes[i] != std::byte{0}) return malformed("unknown non-zero BTF header fields", i);
  }
  auto body = r.sub(hdr_len, bytes.size() - hdr_len);
  detail::ByteReader b(*body, swap);
  if (!b.in_bounds(type_off, type_len)) {
    return malformed(fmt::format("type section [{}, +{}) out of bounds", type_off, type_len), 8);
  }
  if (!b.in_bounds(str_off, str_len)) {
    return malformed(fmt::format("string section [{}, +{}) out of bounds", str_off, str_len), 16);
  }
  if (type_off % 4 != 0) return malformed("type section is not 4-byte aligned", 8);
  if (type_len % 4 != 0) return malformed("type section length is not a multiple of 4", 12);
  if (uint64_t{type_off} < uint64_t{str_off} + str_len && uint64_t{str_off} < uint64_t{type_off} + type_len &&
      type_len > 0 && str_len > 0) {
    return malformed("type and string sections overlap", 8);
  }
  Spec s;
  s.keepalive_ = std::move(keepalive);
  s.swap_ = swap;
  s.types_ = body->subspan(type_off, type_len);
  s.strings_ = body->subspan(str_off, str_len);
  if (base) {
    s.first_id_ = base->type_count();
    s.str_base_ = static_cast<uint32_t>(base->own_strings().size()) + base->str_base_;
    if (base->big_endian() != s.big_endian()) return malformed("split BTF byte order differs from its base");
    s.base_ = std::move(base);
    // Split BTF may have an empty string section; if not, it starts with NUL.
    if (!s.strings_.empty() && s.strings_.back() != std::byte{0}) {
      return malformed("string section is not NUL-terminated", 16);
    }
  } else {
    if (s.strings_.empty() || s.strings_[0] != std::byte{0}) {
      return malformed("string section does not start with an empty string", hdr_len + str_off);
    }
    if (s.strings_.back() != std::byte{0}) {
      return malformed("string section is not NUL-terminated", hdr_len + str_off + str_len - 1);
    }
  }
  s.reset_names();
  if (!s.index_and_validate_fast()) {
    // The fast pass only says whether something is wrong; the careful
    // passes say what, and where.
    BPFXX_TRY(s.index_types());
    BPFXX_TRY(s.validate_references());
    return malformed("BTF failed validation");  // unreachable if the passes agree
  }
  return s;
}

Result<void> Spec::index_types() {
  const size_t n = types_.size();
  const uint32_t str_limit = str_base_ + static_cast<uint32_t>(strings_.size());
  offsets_.clear();
  // Most records are 12-16 bytes; reserving by that estimate avoids regrowth.
  offsets_.reserve(n / 16 + 1);
  size_t off = 0;
  while (off < n) {
    if (n - off < 12) return malformed(fmt::format("truncated type record at offset {}", off));
    uint32_t name_off = read_u32(off);
    uint32_t info = read_u32(off + 4);
    uint8_t kind = (info >> 24) & 0x1f;
    uint16_t vlen = info & 0xffff;
    TypeId id = first_id_ + static_cast<uint32_t>(offsets_.size());
    if (kind == 0 || kind > kMaxKind) {
      return Error(Errc::NotSupported, fmt::format("not supported yet: BTF kind {} (type [{}])", kind, id))
          .with_op("parse BTF");
    }
    if (name_off >= str_limit || (name_off < str_base_ && !base_)) {
      return malformed(fmt::format("type [{}] name offset {} out of bounds", id, name_off));
    }
    Kind k = static_cast<Kind>(kind);
    size_t size = record_size(k, vlen);
    if (size > n - off) {
      return malformed(fmt::format("type [{}] {} with {} entries overruns the type section", id,
                                   to_string(k), vlen));
    }
    // Check the names of the variable-length entries now, while the record
    // is hot: members, enumerators and parameters all start with a name.
    size_t stride = 0;
    switch (k) {
      case Kind::Struct:
      case Kind::Union:
      case Kind::Enum64: stride = 12; break;
      case Kind::Enum:
      case Kind::FuncProto: stride = 8; break;
      default: break;
    }
    if (stride != 0) {
      for (size_t i = 0, o = off + 12; i < vlen; ++i, o += stride) {
        if (read_u32(o) >= str_limit) {
          return malformed(fmt::format("type [{}] entry {} name offset out of bounds", id, i));
        }
      }
    }
    if (offsets_.size() >= 0x7fffffffu - first_id_) return malformed("too many types");
    offsets_.push_back(static_cast<uint32_t>(off));
    off += size;
  }
  return {};
}

Result<void> Spec::validate_references() const {
  // Reads raw record words rather than decoding Types: this runs over every
  // type of every BTF bpfxx opens, vmlinux's ~130k included.
  const uint32_t count = type_count();
  const size_t n = offsets_.size();
  auto beyond = [&](TypeId from, const char* what, TypeId to) {
    return malformed(fmt::format("type [{}] {} refers to type [{}], beyond the last type [{}]", from, what, to,
                                 count - 1));
  };
  for (uint32_t i = 0; i < n; ++i) {
    const TypeId id = first_id_ + i;
    const size_t off = offsets_[i];
    const uint32_t info = read_u32(off + 4);
    const Kind kind = static_cast<Kind>((info >> 24) & 0x1f);
    const uint32_t vlen = info & 0xffff;
    const uint32_t ref = read_u32(off + 8);
    switch (kind) {
      case Kind::Ptr:
      case Kind::Typedef:
      case Kind::Volatile:
      case Kind::Const:
      case Kind::Restrict:
      case Kind::TypeTag:
      case Kind::Var:
        if (ref >= count) return beyond(id, "reference", ref);
        break;
      case Kind::FuncProto:
        if (ref >= count) return beyond(id, "return type", ref);
        for (uint32_t p = 0; p < vlen; ++p) {
          uint32_t t = read_u32(off + 12 + size_t{p} * 8 + 4);
          if (t >= count) return beyond(id, "parameter", t);
        }
        break;
      case Kind::Func:
        if (ref >= count) return beyond(id, "reference", ref);
        if (ref == 0) return malformed(fmt::format("type [{}] FUNC refers to void", id));
        if (kind_of(ref) != Kind::FuncProto) {
          return malformed(fmt::format("FUNC [{}] refers to [{}], a {} and not a FUNC_PROTO", id, ref,
                                       to_string(kind_of(ref))));
        }
        break;
      case Kind::DeclTag:
        if (ref >= count) return beyond(id, "reference", ref);
        if (ref == 0) return malformed(fmt::format("type [{}] DECL_TAG refers to void", id));
        break;
      case Kind::Array: {
        uint32_t elem = read_u32(off + 12), index = read_u32(off + 16);
        if (elem >= count) return beyond(id, "element type", elem);
        if (index >= count) return beyond(id, "index type", index);
        break;
      }
      case Kind::Struct:
      case Kind::Union:
        for (uint32_t m = 0; m < vlen; ++m) {
          uint32_t t = read_u32(off + 12 + size_t{m} * 12 + 4);
          if (t >= count) return beyond(id, "member", t);
        }
        break;
      case Kind::Datasec:
        for (uint32_t v = 0; v < vlen; ++v) {
          uint32_t t = read_u32(off + 12 + size_t{v} * 12);
          if (t >= count) return beyond(id, "variable", t);
        }
        break;
      case Kind::Int: {
        uint32_t enc = read_u32(off + 12);
        uint32_t bits = enc & 0xff, bit_offset = (enc >> 16) & 0xff;
        if (bits > 128 || bits + bit_offset > uint64_t{ref} * 8u) {
          return malformed(fmt::format("INT [{}] has {} bits at offset {} in {} bytes", id, bits, bit_offset, ref));
        }
        break;
      }
      default:
        break;
    }
  }
  // Reference chains (pointers, typedefs, modifiers, arrays, vars, tags) must
  // end; a loop would send every resolver into an endless walk.
  enum : uint8_t { kUnseen = 0, kActive = 1, kDone = 2 };
  std::vector<uint8_t> state(n, kUnseen);
  std::vector<TypeId> stack;
  stack.reserve(16);
  for (uint32_t i = 0; i < n; ++i) {
    if (state[i] != kUnseen) continue;
    TypeId cur = first_id_ + i;
    stack.clear();
    for (;;) {
      if (cur < first_id_) break;  // void or a base type: already known good
      uint32_t idx = cur - first_id_;
      if (state[idx] == kDone) break;
      if (state[idx] == kActive) return malformed(fmt::format("type [{}] is part of a reference loop", cur));
      const size_t off = offsets_[idx];
      Kind k = static_cast<Kind>((read_u32(off + 4) >> 24) & 0x1f);
      if (!internal::is_chain_kind(k)) {
        state[idx] = kDone;
        break;
      }
      state[idx] = kActive;
      stack.push_back(cur);
      cur = k == Kind::Array ? read_u32(off + 12) : read_u32(off + 8);
    }
    for (TypeId s : stack) state[s - first_id_] = kDone;
  }
  return {};
}

}  // namespace bpfxx::btf
