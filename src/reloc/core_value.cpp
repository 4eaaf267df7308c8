// The value each CO-RE relocation kind takes for one side (local or
// target) of a walked access: byte offsets and sizes, bitfield shifts,
// signedness, type ids and sizes, enumerator values.
#include "reloc/core_internal.hpp"

#include <fmt/format.h>

namespace bpfxx::reloc::core {

namespace {

Error broken(std::string msg) { return Error(Errc::RelocationFailed, std::move(msg)); }

// The element of an array (or the root object) rather than a named member:
// only its offset and size are meaningful.
Result<Value> element_value(btf::CoreReloKind kind, const AccessSpec& s, const Accessor& last) {
  BPFXX_TRY_ASSIGN(uint32_t size, s.btf->size_of(last.type_id));
  Value v;
  if (kind == btf::CoreReloKind::FieldByteOffset) {
    v.value = s.bit_offset / 8;
    v.field_size = size;
    v.field_type = last.type_id;
  } else if (kind == btf::CoreReloKind::FieldByteSize) {
    v.value = size;
  } else {
    return broken(fmt::format("a {} relocation needs a named field, not an array element", btf::to_string(kind)));
  }
  return v;
}

Result<Value> field_value(btf::CoreReloKind kind, const AccessSpec& s, bool big_endian) {
  const Accessor& last = s.accessors.back();
  if (last.name.empty()) return element_value(kind, s, last);
  const btf::Spec& btf = *s.btf;
  btf::Member m = btf.type_unchecked(last.type_id).member(last.index);
  BPFXX_TRY_ASSIGN(btf::TypeId field_type, btf.resolve(m.type));
  btf::Type ft = btf.type_unchecked(field_type);

  const uint64_t bit_off = s.bit_offset;
  uint64_t bit_size = m.bitfield_size;
  const bool bitfield = bit_size > 0;
  uint64_t byte_size = 0, byte_off = 0;
  if (bitfield) {
    // The smallest naturally aligned load, starting from the bitfield's
    // declared type, that covers every bit of it.
    byte_size = ft.size();
    if (byte_size == 0) return broken(fmt::format("bitfield '{}' has a type without a size", m.name));
    byte_off = bit_off / 8 / byte_size * byte_size;
    while (bit_off + bit_size - byte_off * 8 > byte_size * 8) {
      if (byte_size >= 8) {
        return broken(fmt::format("bitfield '{}' cannot be read with one load of at most 8 bytes", m.name));
      }
      byte_size *= 2;
      byte_off = bit_off / 8 / byte_size * byte_size;
    }
  } else {
    BPFXX_TRY_ASSIGN(uint32_t size, btf.size_of(field_type));
    byte_size = size;
    byte_off = bit_off / 8;
    bit_size = byte_size * 8;
  }

  Value v;
  // Clang and this computation may pick different (equally valid) loads for
  // a bitfield, so only what cannot differ is checked against the
  // instruction: signedness and the right shift.
  v.validate = !bitfield;
  switch (kind) {
    case btf::CoreReloKind::FieldByteOffset:
      v.value = byte_off;
      if (!bitfield) {
        v.field_size = static_cast<uint32_t>(byte_size);
        v.field_type = field_type;
      }
      break;
    case btf::CoreReloKind::FieldByteSize: v.value = byte_size; break;
    case btf::CoreReloKind::FieldSigned:
      v.value = (ft.is_enum() && ft.enum_signed()) ||
                (ft.kind() == btf::Kind::Int && (ft.int_info().encoding & btf::kIntSigned));
      v.validate = true;
      break;
    case btf::CoreReloKind::FieldLShiftU64:
      // Shifts for a u64 holding the loaded bytes, so that the field ends
      // up in the top bits: little-endian loads put byte 0 lowest,
      // big-endian ones put the loaded bytes at the top of the u64.
      v.value = big_endian ? (8 - byte_size) * 8 + (bit_off - byte_off * 8) : 64 - (bit_off + bit_size - byte_off * 8);
      break;
    case btf::CoreReloKind::FieldRShiftU64:
      v.value = 64 - bit_size;
      v.validate = true;
      break;
    default: return broken(fmt::format("{} is not a field relocation", btf::to_string(kind)));
  }
  return v;
}

}  // namespace

Result<Value> value_of(btf::CoreReloKind kind, const AccessSpec& s, bool big_endian) {
  Value v;
  switch (kind) {
    case btf::CoreReloKind::FieldExists:
    case btf::CoreReloKind::TypeExists:
    case btf::CoreReloKind::TypeMatches:
    case btf::CoreReloKind::EnumValueExists: v.value = 1; return v;
    case btf::CoreReloKind::TypeIdLocal:
    case btf::CoreReloKind::TypeIdTarget:
      // Ids change when objects are linked together, so the compiler's
      // value is not checked.
      v.value = s.root_id;
      v.validate = false;
      return v;
    case btf::CoreReloKind::TypeSize: {
      BPFXX_TRY_ASSIGN(uint32_t size, s.btf->size_of(s.root_id));
      v.value = size;
      return v;
    }
    case btf::CoreReloKind::EnumValue: {
      const Accessor& e = s.accessors[0];
      // Signed values sign-extend to 64 bits, as clang writes them.
      v.value = static_cast<uint64_t>(s.btf->type_unchecked(e.type_id).enumerator(e.index).value);
      return v;
    }
    default: return field_value(kind, s, big_endian);
  }
}

}  // namespace bpfxx::reloc::core
