#include <bpfxx/btf/spec.hpp>

#include "base/byte_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace bpfxx::btf {

using detail::byteswap;

struct Spec::NameIndex {
  std::once_flag once;
  std::unordered_map<std::string_view, std::vector<TypeId>> by_name;
};

namespace {

Error malformed(std::string message, std::optional<uint64_t> offset = std::nullopt) {
  Error e = Error(Errc::InvalidInput, std::move(message)).with_op("parse BTF");
  if (offset) std::move(e).with_file_offset(*offset);
  return e;
}

constexpr bool host_big_endian() noexcept { return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__; }

// Kinds whose reference defines them (no cycles allowed through these).
bool is_chain_kind(Kind k) noexcept {
  switch (k) {
    case Kind::Ptr:
    case Kind::Typedef:
    case Kind::Volatile:
    case Kind::Const:
    case Kind::Restrict:
    case Kind::TypeTag:
    case Kind::Array:
    case Kind::Var:
    case Kind::DeclTag:
    case Kind::Func:
      return true;
    default:
      return false;
  }
}

}  // namespace

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

size_t record_size(Kind kind, uint16_t vlen) noexcept {
  constexpr size_t base = 12;
  switch (kind) {
    case Kind::Int: return base + 4;
    case Kind::Ptr:
    case Kind::Fwd:
    case Kind::Typedef:
    case Kind::Volatile:
    case Kind::Const:
    case Kind::Restrict:
    case Kind::Func:
    case Kind::Float:
    case Kind::TypeTag: return base;
    case Kind::Array: return base + 12;
    case Kind::Struct:
    case Kind::Union: return base + size_t{vlen} * 12;
    case Kind::Enum: return base + size_t{vlen} * 8;
    case Kind::FuncProto: return base + size_t{vlen} * 8;
    case Kind::Var: return base + 4;
    case Kind::Datasec: return base + size_t{vlen} * 12;
    case Kind::DeclTag: return base + 4;
    case Kind::Enum64: return base + size_t{vlen} * 12;
    case Kind::Void: return 0;
  }
  return 0;
}

// ---- Type accessors -------------------------------------------------------

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
      offsets_(other.offsets_) {
  if (types_are_owned_) types_ = types_owned_;
  if (strings_are_owned_) strings_ = strings_owned_;
}

Spec& Spec::operator=(const Spec& other) {
  if (this != &other) *this = Spec(other);
  return *this;
}

uint32_t Spec::read_u32(size_t offset) const noexcept {
  uint32_t v;
  std::memcpy(&v, types_.data() + offset, 4);
  return swap_ ? byteswap(v) : v;
}

void Spec::write_u32(size_t offset, uint32_t value) {
  make_types_owned();
  if (swap_) value = byteswap(value);
  std::memcpy(types_owned_.data() + offset, &value, 4);
}

void Spec::make_types_owned() {
  if (!types_are_owned_) {
    types_owned_.assign(types_.begin(), types_.end());
    types_are_owned_ = true;
    types_ = types_owned_;
  }
  names_.reset();
}

bool Spec::big_endian() const noexcept { return swap_ != host_big_endian(); }

Result<Spec> Spec::parse(std::span<const std::byte> bytes, std::shared_ptr<const void> keepalive) {
  return parse_split(bytes, nullptr, std::move(keepalive));
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
  BPFXX_TRY(s.index_types());
  BPFXX_TRY(s.validate_references());
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
  const uint32_t count = type_count();
  auto check = [&](TypeId from, TypeId to, const char* what) -> Result<void> {
    if (to >= count) {
      return malformed(fmt::format("type [{}] {} refers to type [{}], beyond the last type [{}]", from,
                                   what, to, count - 1));
    }
    return {};
  };
  for (uint32_t i = 0; i < offsets_.size(); ++i) {
    TypeId id = first_id_ + i;
    Type t = type_unchecked(id);
    switch (t.kind()) {
      case Kind::Ptr:
      case Kind::Typedef:
      case Kind::Volatile:
      case Kind::Const:
      case Kind::Restrict:
      case Kind::TypeTag:
      case Kind::Var:
      case Kind::FuncProto:
        BPFXX_TRY(check(id, t.ref(), "reference"));
        break;
      case Kind::Func:
      case Kind::DeclTag:
        BPFXX_TRY(check(id, t.ref(), "reference"));
        if (t.ref() == 0) return malformed(fmt::format("type [{}] {} refers to void", id, to_string(t.kind())));
        break;
      default:
        break;
    }
    switch (t.kind()) {
      case Kind::Array: {
        ArrayInfo a = t.array();
        BPFXX_TRY(check(id, a.elem_type, "element type"));
        BPFXX_TRY(check(id, a.index_type, "index type"));
        break;
      }
      case Kind::Struct:
      case Kind::Union:
        for (uint32_t m = 0; m < t.vlen(); ++m) BPFXX_TRY(check(id, t.member(m).type, "member"));
        break;
      case Kind::FuncProto:
        for (uint32_t p = 0; p < t.vlen(); ++p) BPFXX_TRY(check(id, t.param(p).type, "parameter"));
        break;
      case Kind::Datasec:
        for (uint32_t v = 0; v < t.vlen(); ++v) BPFXX_TRY(check(id, t.secinfo(v).type, "variable"));
        break;
      case Kind::Func: {
        Type proto = type_unchecked(t.ref());
        if (proto.kind() != Kind::FuncProto) {
          return malformed(fmt::format("FUNC [{}] refers to [{}], a {} and not a FUNC_PROTO", id, t.ref(),
                                       to_string(proto.kind())));
        }
        break;
      }
      case Kind::Int: {
        IntInfo ii = t.int_info();
        if (ii.bits > 128 || uint32_t{ii.bits} + ii.bit_offset > t.size() * 8u) {
          return malformed(fmt::format("INT [{}] has {} bits at offset {} in {} bytes", id, ii.bits,
                                       ii.bit_offset, t.size()));
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
  std::vector<uint8_t> state(offsets_.size(), kUnseen);
  std::vector<TypeId> stack;
  for (uint32_t i = 0; i < offsets_.size(); ++i) {
    if (state[i] != kUnseen) continue;
    TypeId cur = first_id_ + i;
    stack.clear();
    for (;;) {
      if (cur < first_id_) break;  // void or a base type: already known good
      uint32_t idx = cur - first_id_;
      if (state[idx] == kDone) break;
      if (state[idx] == kActive) {
        return malformed(fmt::format("type [{}] is part of a reference loop", cur));
      }
      Type t = type_unchecked(cur);
      if (!is_chain_kind(t.kind())) {
        state[idx] = kDone;
        break;
      }
      state[idx] = kActive;
      stack.push_back(cur);
      cur = t.kind() == Kind::Array ? t.array().elem_type : t.ref();
    }
    for (TypeId s : stack) state[s - first_id_] = kDone;
  }
  return {};
}

// ---- Spec: access ---------------------------------------------------------

Type Spec::type_unchecked(TypeId id) const noexcept {
  if (id < first_id_) {
    if (base_) return base_->type_unchecked(id);
    return Type{};  // void
  }
  Type t;
  t.spec_ = this;
  t.id_ = id;
  t.offset_ = offsets_[id - first_id_];
  uint32_t info = read_u32(t.offset_ + 4);
  t.kind_ = static_cast<Kind>((info >> 24) & 0x1f);
  t.kflag_ = (info >> 31) != 0;
  t.vlen_ = static_cast<uint16_t>(info & 0xffff);
  t.size_or_type_ = read_u32(t.offset_ + 8);
  t.name_ = string_at(read_u32(t.offset_)).value_or("");
  return t;
}

Result<Type> Spec::type(TypeId id) const {
  if (id >= type_count()) {
    return Error(Errc::NotFound, fmt::format("type id {} out of range ({} types)", id, type_count()))
        .with_op("BTF lookup");
  }
  return type_unchecked(id);
}

std::optional<std::string_view> Spec::string_at(uint32_t offset) const noexcept {
  if (offset < str_base_) {
    if (!base_) return std::nullopt;
    return base_->string_at(offset);
  }
  detail::ByteReader r(strings_);
  return r.cstr_at(offset - str_base_);
}

std::span<const std::byte> Spec::own_types() const noexcept { return types_; }
std::span<const std::byte> Spec::own_strings() const noexcept { return strings_; }

std::span<const TypeId> Spec::find_by_name(std::string_view name) const {
  if (!names_) {
    // Lazily created on first use. Creating the holder is not itself
    // synchronized: concurrent readers must not race the very first call.
    // call_once below serializes building the table.
    static std::mutex create_mutex;
    std::lock_guard lock(create_mutex);
    if (!names_) names_ = std::make_unique<NameIndex>();
  }
  std::call_once(names_->once, [this] {
    auto& map = names_->by_name;
    if (base_) {
      for (TypeId id = 1; id < first_id_; ++id) {
        Type t = base_->type_unchecked(id);
        if (!t.name().empty()) map[t.name()].push_back(id);
      }
    }
    map.reserve(offsets_.size());
    for (uint32_t i = 0; i < offsets_.size(); ++i) {
      std::optional<std::string_view> n = string_at(read_u32(offsets_[i]));
      if (n && !n->empty()) map[*n].push_back(first_id_ + i);
    }
  });
  auto it = names_->by_name.find(name);
  if (it == names_->by_name.end()) return {};
  return it->second;
}

std::optional<TypeId> Spec::find(std::string_view name, Kind kind) const {
  for (TypeId id : find_by_name(name)) {
    if (type_unchecked(id).kind() == kind) return id;
  }
  return std::nullopt;
}

Result<TypeId> Spec::resolve(TypeId id) const {
  // Validation guarantees the chain ends; the bound guards edited specs.
  for (uint32_t steps = 0; steps <= type_count(); ++steps) {
    BPFXX_TRY_ASSIGN(Type t, type(id));
    if (t.kind() != Kind::Typedef && !t.is_modifier()) return id;
    id = t.ref();
  }
  return malformed(fmt::format("type [{}] does not resolve (reference loop)", id));
}

Result<TypeId> Spec::skip_modifiers(TypeId id) const {
  for (uint32_t steps = 0; steps <= type_count(); ++steps) {
    BPFXX_TRY_ASSIGN(Type t, type(id));
    if (!t.is_modifier()) return id;
    id = t.ref();
  }
  return malformed(fmt::format("type [{}] does not resolve (reference loop)", id));
}

Result<uint32_t> Spec::size_of(TypeId id) const {
  uint64_t multiplier = 1;
  for (uint32_t steps = 0; steps <= type_count(); ++steps) {
    BPFXX_TRY_ASSIGN(Type t, type(id));
    uint64_t size = 0;
    switch (t.kind()) {
      case Kind::Int:
      case Kind::Struct:
      case Kind::Union:
      case Kind::Enum:
      case Kind::Enum64:
      case Kind::Datasec:
      case Kind::Float:
        size = t.size();
        break;
      case Kind::Ptr:
        size = 8;  // BPF is a 64-bit target
        break;
      case Kind::Typedef:
      case Kind::Volatile:
      case Kind::Const:
      case Kind::Restrict:
      case Kind::TypeTag:
      case Kind::Var:
        id = t.ref();
        continue;
      case Kind::Array: {
        ArrayInfo a = t.array();
        if (__builtin_mul_overflow(multiplier, uint64_t{a.nelems}, &multiplier) || multiplier > UINT32_MAX) {
          return malformed(fmt::format("array type [{}] size overflows", t.id()));
        }
        id = a.elem_type;
        continue;
      }
      default:
        return Error(Errc::InvalidInput,
                     fmt::format("type [{}] {} '{}' has no size", t.id(), to_string(t.kind()), t.name()))
            .with_op("BTF size");
    }
    uint64_t total = 0;
    if (__builtin_mul_overflow(size, multiplier, &total) || total > UINT32_MAX) {
      return malformed(fmt::format("type [{}] size overflows", id));
    }
    return static_cast<uint32_t>(total);
  }
  return malformed(fmt::format("type [{}] size does not resolve (reference loop)", id));
}

Result<uint32_t> Spec::align_of(TypeId id) const {
  // Struct members are followed recursively. Results are memoized, so a type
  // shared by many members is visited once (malformed BTF nesting structs of
  // two members each, a few dozen levels deep, would otherwise take 2^depth
  // steps). A struct met again while its own alignment is being computed
  // contains itself by value, which C cannot express; the depth bound keeps
  // a long chain of distinct nested structs from exhausting the stack.
  constexpr int kMaxDepth = 64;
  constexpr uint32_t kInProgress = 0;
  std::unordered_map<TypeId, uint32_t> memo;  // struct/union id -> alignment
  auto rec = [&](auto& self, TypeId tid, int depth) -> Result<uint32_t> {
    if (depth > kMaxDepth) return malformed(fmt::format("type [{}] nests too deeply", tid));
    BPFXX_TRY_ASSIGN(TypeId rid, resolve(tid));
    BPFXX_TRY_ASSIGN(Type t, type(rid));
    switch (t.kind()) {
      case Kind::Int:
      case Kind::Enum:
      case Kind::Enum64:
      case Kind::Float: {
        uint32_t s = t.size();
        return std::min<uint32_t>(s == 0 ? 1 : s, 8);
      }
      case Kind::Ptr: return 8;
      case Kind::Array: return self(self, t.array().elem_type, depth + 1);
      case Kind::Struct:
      case Kind::Union: {
        auto [it, inserted] = memo.try_emplace(rid, kInProgress);
        if (!inserted) {
          if (it->second == kInProgress) {
            return malformed(fmt::format("{} [{}] '{}' contains itself by value", to_string(t.kind()), rid, t.name()));
          }
          return it->second;
        }
        uint32_t align = 1;
        for (uint32_t i = 0; i < t.vlen(); ++i) {
          BPFXX_TRY_ASSIGN(uint32_t a, self(self, t.member(i).type, depth + 1));
          align = std::max(align, a);
        }
        memo[rid] = align;
        return align;
      }
      default:
        return Error(Errc::InvalidInput,
                     fmt::format("type [{}] {} has no alignment", t.id(), to_string(t.kind())))
            .with_op("BTF align");
    }
  };
  return rec(rec, id, 0);
}

std::string Spec::c_name(TypeId id) const {
  // Built from the outside in, the way C declarators nest: `decl` grows
  // around the name's position ("*", "(*)[4]", "*const"). Qualifiers wait in
  // `quals` until a pointer takes them ("char *const") or, if none does, the
  // base type does ("const char *").
  std::string decl;
  std::string quals;
  auto qualify = [&](const char* q) { quals += quals.empty() ? q : std::string(" ") + q; };
  auto finish = [&](std::string_view base) {
    std::string out = quals.empty() ? std::string(base) : quals + " " + std::string(base);
    if (decl.empty()) return out;
    return out + (decl[0] == '[' ? "" : " ") + decl;
  };
  auto tagged = [](const char* tag, std::string_view name) {
    return std::string(tag) + std::string(name.empty() ? "<anon>" : name);
  };
  for (uint32_t steps = 0; steps <= type_count(); ++steps) {
    if (id == 0) return finish("void");
    auto tr = type(id);
    if (!tr) return "<bad type " + std::to_string(id) + ">";
    Type t = *tr;
    switch (t.kind()) {
      case Kind::Ptr:
        decl = "*" + quals + (!quals.empty() && !decl.empty() && decl[0] != '[' ? " " : "") + decl;
        quals.clear();
        id = t.ref();
        continue;
      case Kind::Const: qualify("const"); id = t.ref(); continue;
      case Kind::Volatile: qualify("volatile"); id = t.ref(); continue;
      case Kind::Restrict: qualify("restrict"); id = t.ref(); continue;
      case Kind::TypeTag: id = t.ref(); continue;
      case Kind::Array:
        if (!decl.empty() && decl[0] == '*') decl = "(" + decl + ")";
        decl += "[" + std::to_string(t.array().nelems) + "]";
        id = t.array().elem_type;
        continue;
      case Kind::Struct: return finish(tagged("struct ", t.name()));
      case Kind::Union: return finish(tagged("union ", t.name()));
      case Kind::Enum:
      case Kind::Enum64: return finish(tagged("enum ", t.name()));
      case Kind::Fwd: return finish(tagged(t.fwd_is_union() ? "union " : "struct ", t.name()));
      case Kind::FuncProto: return finish("<function>");
      default: return finish(t.name());
    }
  }
  return "<loop>";
}

std::string Spec::describe(TypeId id) const {
  auto tr = type(id);
  if (!tr) return fmt::format("[{}] <invalid>", id);
  const Type& t = *tr;
  std::string s = fmt::format("[{}] {} '{}'", id, to_string(t.kind()), t.name());
  switch (t.kind()) {
    case Kind::Int: {
      IntInfo ii = t.int_info();
      s += fmt::format(" size={} bits={} offset={} encoding={}", t.size(), ii.bits, ii.bit_offset,
                       ii.encoding & kIntBool ? "BOOL" : ii.encoding & kIntChar ? "CHAR"
                                                     : ii.encoding & kIntSigned ? "SIGNED" : "(none)");
      break;
    }
    case Kind::Struct:
    case Kind::Union:
    case Kind::Enum:
    case Kind::Enum64:
    case Kind::Datasec:
      s += fmt::format(" size={} vlen={}", t.size(), t.vlen());
      break;
    case Kind::Float: s += fmt::format(" size={}", t.size()); break;
    case Kind::Array: {
      ArrayInfo a = t.array();
      s += fmt::format(" type_id={} index_type_id={} nr_elems={}", a.elem_type, a.index_type, a.nelems);
      break;
    }
    case Kind::FuncProto: s += fmt::format(" ret_type_id={} vlen={}", t.ref(), t.vlen()); break;
    case Kind::Var:
      s += fmt::format(" type_id={} linkage={}", t.ref(), static_cast<uint32_t>(t.var_linkage()));
      break;
    case Kind::Func:
      s += fmt::format(" type_id={} linkage={}", t.ref(), static_cast<uint32_t>(t.func_linkage()));
      break;
    case Kind::DeclTag: s += fmt::format(" type_id={} component_idx={}", t.ref(), t.decl_tag_component()); break;
    case Kind::Fwd: s += t.fwd_is_union() ? " fwd_kind=union" : " fwd_kind=struct"; break;
    default: s += fmt::format(" type_id={}", t.ref()); break;
  }
  return s;
}

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
  names_.reset();
  return off;
}

std::vector<std::byte> Spec::encode() const {
  std::vector<std::byte> out(kHeaderSize + types_.size() + strings_.size());
  auto put16 = [&](size_t o, uint16_t v) {
    if (swap_) v = byteswap(v);
    std::memcpy(out.data() + o, &v, 2);
  };
  auto put32 = [&](size_t o, uint32_t v) {
    if (swap_) v = byteswap(v);
    std::memcpy(out.data() + o, &v, 4);
  };
  put16(0, kMagic);
  out[2] = std::byte{1};  // version
  out[3] = std::byte{0};  // flags
  put32(4, kHeaderSize);
  put32(8, 0);
  put32(12, static_cast<uint32_t>(types_.size()));
  put32(16, static_cast<uint32_t>(types_.size()));
  put32(20, static_cast<uint32_t>(strings_.size()));
  if (!types_.empty()) std::memcpy(out.data() + kHeaderSize, types_.data(), types_.size());
  if (!strings_.empty()) std::memcpy(out.data() + kHeaderSize + types_.size(), strings_.data(), strings_.size());
  return out;
}

bool Spec::operator==(const Spec& other) const {
  return first_id_ == other.first_id_ && swap_ == other.swap_ &&
         std::equal(types_.begin(), types_.end(), other.types_.begin(), other.types_.end()) &&
         std::equal(strings_.begin(), strings_.end(), other.strings_.begin(), other.strings_.end());
}

}  // namespace bpfxx::btf
