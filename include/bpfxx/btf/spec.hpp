// btf::Spec: BTF type information, parsed zero-copy from a .BTF section, a raw
// BTF file or the kernel's /sys/kernel/btf/vmlinux.
//
// The spec keeps the bytes it was parsed from (borrowed from a keep-alive owner
// such as a MappedFile) and one flat vector of record offsets by type id; types
// are decoded on access. Parsing validates untrusted input once: header and
// section bounds, string offsets, record sizes, referenced ids, and reference
// loops. Editing (the loader's DATASEC fixups, later the builder) copies the
// edited section into owned storage first, so the original bytes are never
// written. Split BTF (module BTF on top of vmlinux) keeps its base spec alive
// and continues its type ids and string offsets.
//
// Thread safety: as std::vector. Concurrent const use is safe (the name index
// is built once under a lock); mutation is exclusive.
#pragma once

#include <bpfxx/btf/types.hpp>
#include <bpfxx/result.hpp>

#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bpfxx::btf {

inline constexpr uint16_t kMagic = 0xeB9F;
inline constexpr size_t kHeaderSize = 24;

class Spec {
 public:
  Spec();
  Spec(const Spec& other);
  Spec& operator=(const Spec& other);
  Spec(Spec&&) noexcept;
  Spec& operator=(Spec&&) noexcept;
  ~Spec();

  // Parses BTF bytes. `keepalive` owns them (may be null if the caller keeps
  // them alive for the spec's lifetime). Either byte order is accepted.
  static Result<Spec> parse(std::span<const std::byte> bytes,
                            std::shared_ptr<const void> keepalive = {});
  // Parses a buffer handed over: the spec keeps it. This is the overload a
  // temporary (`parse(builder.encode())`) binds to, so it cannot dangle.
  static Result<Spec> parse(std::vector<std::byte>&& bytes);
  // Parses split BTF whose ids and strings continue those of `base`.
  static Result<Spec> parse_split(std::span<const std::byte> bytes, std::shared_ptr<const Spec> base,
                                  std::shared_ptr<const void> keepalive = {});

  bool big_endian() const noexcept;
  // Number of type ids, void (id 0) and the base's types included.
  uint32_t type_count() const noexcept { return first_id_ + static_cast<uint32_t>(offsets_.size()); }
  // The first id this spec defines itself (1, or the base's type_count()).
  TypeId first_id() const noexcept { return first_id_; }
  const std::shared_ptr<const Spec>& base() const noexcept { return base_; }

  // The type with this id; id 0 is void.
  Result<Type> type(TypeId id) const;
  // Just the kind of a valid id, without decoding the rest.
  Kind kind_of(TypeId id) const noexcept {
    if (id >= first_id_) return static_cast<Kind>((read_u32(offsets_[id - first_id_] + 4) >> 24) & 0x1f);
    return kind_of_base(id);
  }
  // The same without the range check, for ids known to be valid.
  Type type_unchecked(TypeId id) const noexcept;
  std::optional<std::string_view> string_at(uint32_t offset) const noexcept;
  // Whether the string at `offset` is exactly `name`: a bounded compare,
  // with no scan for the string's end (false for an offset out of range).
  bool name_is(uint32_t offset, std::string_view name) const noexcept;

  // Every type with this name, in id order. The first lookups scan; later
  // ones use an index built once. Answers, found or not, are remembered, so
  // no name is searched for twice.
  std::span<const TypeId> find_by_name(std::string_view name) const;
  // The first type with this name and kind.
  std::optional<TypeId> find(std::string_view name, Kind kind) const;

  // Follows typedefs and modifiers (const, volatile, restrict, type tags).
  Result<TypeId> resolve(TypeId id) const;
  // Follows modifiers only (keeps typedefs).
  Result<TypeId> skip_modifiers(TypeId id) const;
  Result<uint32_t> size_of(TypeId id) const;
  Result<uint32_t> align_of(TypeId id) const;
  // A C spelling of the type for messages and dumps: "struct task_struct *".
  std::string c_name(TypeId id) const;
  // A one-line description of one record: "[12] STRUCT 'event' size=64 vlen=5".
  std::string describe(TypeId id) const;

  // Edits (copy-on-write of this spec's own section).
  Result<void> set_size(TypeId id, uint32_t size);  // DATASEC, STRUCT, UNION, INT...
  Result<void> set_secinfo(TypeId id, uint32_t index, VarSecinfo info);
  Result<void> set_var_linkage(TypeId id, VarLinkage linkage);
  Result<void> set_func_linkage(TypeId id, FuncLinkage linkage);
  // Replaces a whole record; the caller supplies words in host order. Used by
  // the sanitizer and the builder.
  Result<void> replace_record(TypeId id, std::span<const uint32_t> words);
  // Appends a record (words in host order) and returns its id.
  TypeId append_record(std::span<const uint32_t> words);
  // Adds a string (deduplicated against nothing: callers keep their own map)
  // and returns its offset.
  uint32_t add_string(std::string_view s);

  // Header + types + strings, in this spec's byte order. For split BTF only
  // this spec's own types and strings are written, as the kernel expects.
  std::vector<std::byte> encode() const;

  // Equal when the encoded types and strings are equal.
  bool operator==(const Spec& other) const;

 private:
  friend class Type;
  struct NameIndex;
  bool index_and_validate_fast();
  void scan_for_name(std::string_view name, std::vector<TypeId>& out) const;
  void reset_names();
  Result<void> index_types();
  Result<void> validate_references() const;
  std::span<const std::byte> own_types() const noexcept;
  Kind kind_of_base(TypeId id) const noexcept;
  std::span<const std::byte> own_strings() const noexcept;
  Error out_of_range(TypeId id) const;  // type()'s error, kept out of line
  uint32_t read_u32(size_t offset) const noexcept {
    uint32_t v;
    std::memcpy(&v, types_.data() + offset, 4);
    return swap_ ? __builtin_bswap32(v) : v;
  }
  void write_u32(size_t offset, uint32_t value);
  void copy_types_if_viewed();
  // Owns the types and drops the name caches: for edits that add records
  // or replace them (and so may change names).
  void make_types_owned();
  Result<size_t> record_offset(TypeId id, Kind expect, const char* what) const;

  std::shared_ptr<const void> keepalive_;
  std::shared_ptr<const Spec> base_;
  std::span<const std::byte> types_;    // borrowed unless owned below
  std::span<const std::byte> strings_;  // borrowed unless owned below
  std::vector<std::byte> types_owned_;
  std::vector<std::byte> strings_owned_;
  bool types_are_owned_ = false;
  bool strings_are_owned_ = false;
  bool swap_ = false;
  TypeId first_id_ = 1;
  uint32_t str_base_ = 0;  // string offsets below this belong to the base
  // Record offset of id first_id_ + i. The allocator leaves new elements
  // uninitialised so the index pass can size the vector for the worst case
  // and write it without a bounds check or a zero fill.
  template <class T>
  struct UninitAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
      using other = UninitAllocator<U>;
    };
    UninitAllocator() = default;
    template <class U>
    UninitAllocator(const UninitAllocator<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept {
      ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
      ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
  };
  std::vector<uint32_t, UninitAllocator<uint32_t>> offsets_;
  // Name offset of each record, kept by the index pass so that a name scan
  // reads one contiguous array; dropped by the first edit.
  std::vector<uint32_t, UninitAllocator<uint32_t>> name_offs_;
  mutable std::unique_ptr<NameIndex> names_;
};

// Record size in bytes of a type given its kind and vlen (0 for an unknown kind).
constexpr size_t record_size(Kind kind, uint16_t vlen) noexcept {
  constexpr size_t base = 12;
  switch (kind) {
    case Kind::Int:
    case Kind::Var:
    case Kind::DeclTag: return base + 4;
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
    case Kind::Union:
    case Kind::Datasec:
    case Kind::Enum64: return base + size_t{vlen} * 12;
    case Kind::Enum:
    case Kind::FuncProto: return base + size_t{vlen} * 8;
    case Kind::Void: return 0;
  }
  return 0;
}

// Inline: every query and the CO-RE and header-generation walks decode
// types by id, often several per step.
inline Result<Type> Spec::type(TypeId id) const {
  if (id >= type_count()) [[unlikely]] return out_of_range(id);
  return type_unchecked(id);
}

inline std::optional<std::string_view> Spec::string_at(uint32_t offset) const noexcept {
  if (offset < str_base_) [[unlikely]] {
    if (!base_) return std::nullopt;
    return base_->string_at(offset);
  }
  const size_t at = offset - str_base_;
  if (at >= strings_.size()) return std::nullopt;
  // The strings end with a NUL (parse checks it, edits keep it), so the
  // scan stops inside them.
  const char* s = reinterpret_cast<const char*>(strings_.data()) + at;
  return std::string_view(s, std::strlen(s));
}

inline Type Spec::type_unchecked(TypeId id) const noexcept {
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
  t.name_off_ = read_u32(t.offset_);
  return t;
}

}  // namespace bpfxx::btf
