#include <bpfxx/btf/ext.hpp>

#include "base/byte_reader.hpp"

#include <fmt/format.h>

namespace bpfxx::btf {

namespace {

Error malformed(std::string message, uint64_t offset) {
  return Error(Errc::InvalidInput, std::move(message)).with_op("parse .BTF.ext").with_file_offset(offset);
}

// Decodes one info block: a record size, then per section a name, a count and
// that many records. `min_rec` is the size of the fields we read; larger
// records (a newer format) are accepted and their tail is skipped. `r` views
// the bytes after the header, which start at `base` in the section, so error
// offsets are `base + off` and count from the start of .BTF.ext.
template <typename Record>
Result<std::vector<ExtSection<Record>>> parse_block(const detail::ByteReader& r, uint64_t base, uint64_t off,
                                                     uint64_t len, uint32_t min_rec, const Spec& btf,
                                                     const char* what) {
  std::vector<ExtSection<Record>> out;
  if (len == 0) return out;
  if (!r.in_bounds(off, len)) return malformed(fmt::format("{} block out of bounds", what), base + off);
  detail::ByteReader b = r.sub_reader(static_cast<size_t>(off), static_cast<size_t>(len));
  if (b.size() < 4) return malformed(fmt::format("{} block too short", what), base + off);
  uint32_t rec_size = b.get<uint32_t>(0);
  if (rec_size < min_rec || rec_size % 4 != 0) {
    return malformed(fmt::format("{} record size {} is invalid (at least {})", what, rec_size, min_rec),
                     base + off);
  }
  // Count the sections first so the list is allocated once.
  size_t sections = 0;
  for (size_t p = 4; p + 8 <= b.size();) {
    uint64_t n = b.get<uint32_t>(p + 4);
    ++sections;
    p += 8;
    if (n * rec_size > b.size() - p) break;  // reported by the main pass
    p += static_cast<size_t>(n * rec_size);
  }
  out.reserve(sections);
  size_t pos = 4;
  while (pos < b.size()) {
    if (b.size() - pos < 8) {
      return malformed(fmt::format("truncated {} section header", what), base + off + pos);
    }
    uint32_t name_off = b.get<uint32_t>(pos);
    uint32_t count = b.get<uint32_t>(pos + 4);
    pos += 8;
    auto name = btf.string_at(name_off);
    if (!name) {
      return malformed(fmt::format("{} section name offset {} out of bounds", what, name_off), base + off + pos - 8);
    }
    uint64_t bytes = uint64_t{count} * rec_size;
    if (bytes > b.size() - pos) {
      return malformed(fmt::format("{} section '{}' claims {} records of {} bytes, past the end", what, *name,
                                   count, rec_size),
                       base + off + pos - 4);
    }
    ExtSection<Record> sec;
    sec.section = *name;
    sec.records = ExtRecords<Record>(b.bytes().data() + pos, rec_size, count, b.swapped());
    pos += static_cast<size_t>(bytes);
    out.push_back(std::move(sec));
  }
  return out;
}

template <typename Record>
const ExtSection<Record>* find_section(const std::vector<ExtSection<Record>>& v, std::string_view name) {
  for (const auto& s : v) {
    if (s.section == name) return &s;
  }
  return nullptr;
}

}  // namespace

std::string_view to_string(CoreReloKind kind) noexcept {
  switch (kind) {
    case CoreReloKind::FieldByteOffset: return "byte_off";
    case CoreReloKind::FieldByteSize: return "byte_sz";
    case CoreReloKind::FieldExists: return "field_exists";
    case CoreReloKind::FieldSigned: return "signed";
    case CoreReloKind::FieldLShiftU64: return "lshift_u64";
    case CoreReloKind::FieldRShiftU64: return "rshift_u64";
    case CoreReloKind::TypeIdLocal: return "local_type_id";
    case CoreReloKind::TypeIdTarget: return "target_type_id";
    case CoreReloKind::TypeExists: return "type_exists";
    case CoreReloKind::TypeSize: return "type_size";
    case CoreReloKind::EnumValueExists: return "enumval_exists";
    case CoreReloKind::EnumValue: return "enumval_value";
    case CoreReloKind::TypeMatches: return "type_matches";
  }
  return "unknown";
}

Result<Ext> Ext::parse(std::span<const std::byte> bytes, const Spec& btf) {
  if (bytes.size() < 24) return malformed(fmt::format("{} bytes is too small for a .BTF.ext header", bytes.size()), 0);
  detail::ByteReader raw(bytes);
  uint16_t magic = raw.get<uint16_t>(0);
  bool swap;
  if (magic == kMagic) {
    swap = false;
  } else if (magic == detail::byteswap(kMagic)) {
    swap = true;
  } else {
    return malformed(fmt::format("bad .BTF.ext magic 0x{:04x}", magic), 0);
  }
  if (swap != (btf.big_endian() != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__))) {
    return malformed(".BTF.ext byte order differs from .BTF", 0);
  }
  detail::ByteReader r(bytes, swap);
  if (r.get<uint8_t>(2) != 1) return malformed(fmt::format("unsupported .BTF.ext version {}", r.get<uint8_t>(2)), 2);
  uint32_t hdr_len = r.get<uint32_t>(4);
  if (hdr_len < 24 || hdr_len > bytes.size()) {
    return malformed(fmt::format(".BTF.ext header length {} invalid", hdr_len), 4);
  }
  uint64_t func_off = r.get<uint32_t>(8), func_len = r.get<uint32_t>(12);
  uint64_t line_off = r.get<uint32_t>(16), line_len = r.get<uint32_t>(20);
  uint64_t core_off = 0, core_len = 0;
  if (hdr_len >= 32) {
    core_off = r.get<uint32_t>(24);
    core_len = r.get<uint32_t>(28);
  }
  detail::ByteReader body = r.sub_reader(hdr_len, bytes.size() - hdr_len);
  Ext ext;
  BPFXX_TRY_ASSIGN(ext.func_infos_, parse_block<FuncInfo>(body, hdr_len, func_off, func_len, 8, btf, "func_info"));
  BPFXX_TRY_ASSIGN(ext.line_infos_, parse_block<LineInfo>(body, hdr_len, line_off, line_len, 16, btf, "line_info"));
  BPFXX_TRY_ASSIGN(ext.core_relos_, parse_block<CoreRelo>(body, hdr_len, core_off, core_len, 16, btf, "core_relo"));
  for (const auto& sec : ext.core_relos_) {
    for (const auto& rel : sec.records) {
      if (static_cast<uint32_t>(rel.kind) > static_cast<uint32_t>(CoreReloKind::TypeMatches)) {
        return Error(Errc::NotSupported,
                     fmt::format("not supported yet: CO-RE relocation kind {} in section '{}'",
                                 static_cast<uint32_t>(rel.kind), sec.section))
            .with_op("parse .BTF.ext");
      }
    }
  }
  return ext;
}

const ExtSection<FuncInfo>* Ext::func_infos_for(std::string_view section) const noexcept {
  return find_section(func_infos_, section);
}
const ExtSection<LineInfo>* Ext::line_infos_for(std::string_view section) const noexcept {
  return find_section(line_infos_, section);
}
const ExtSection<CoreRelo>* Ext::core_relos_for(std::string_view section) const noexcept {
  return find_section(core_relos_, section);
}

}  // namespace bpfxx::btf
