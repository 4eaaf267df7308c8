// NameTable: the C names the header gives BTF names, unique per C namespace.
//
// C has one namespace for struct, union and enum tags and another for
// ordinary identifiers (typedefs, enumerators, functions). BTF may hold two
// different types with one name (static types of two kernel files), so the
// first to be emitted keeps the name and later ones become `name___2`,
// `name___3`, as bpftool names them; CO-RE matches such a name as a flavor of
// the plain one. A forward declaration and one definition of the same tag
// kind share the name, as they do in C.
//
// Thread safety: one owner.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::codegen::detail {

// The kind of a tag, for telling a matching forward declaration apart.
enum class TagKind : uint8_t { Struct, Union, Enum };

class NameTable {
 public:
  NameTable(size_t expected_tags, size_t expected_idents);

  static uint64_t hash(std::string_view name) noexcept;

  // The name for a tag. `complete`: a definition, not a forward declaration.
  std::string_view tag(std::string_view name, TagKind kind, bool complete);
  // The name for an ordinary identifier; `hash` is hash(name).
  std::string_view ident(std::string_view name) { return ident(name, hash(name)); }
  std::string_view ident(std::string_view name, uint64_t hash);
  // Looking a name up is a cache miss at a random slot; asking for several
  // ahead lets their misses overlap (the enumerators of one enum).
  void prefetch_ident(uint64_t hash) const { idents_.prefetch(hash); }
  // Whether an ordinary identifier has been given out already.
  bool ident_taken(std::string_view name) const;

 private:
  struct Entry {  // 16 bytes
    const char* data;
    uint32_t size;
    uint32_t count : 24;  // distinct owners so far
    uint32_t kind : 2;    // a TagKind
    uint32_t complete : 1;
    std::string_view name() const { return {data, size}; }
  };
  // Open addressing over 8-byte slots (a hash and an index into entries):
  // vmlinux gives ~35k names, each looked up once at a random slot, so the
  // slots must stay small enough for the cache; entries are read only when
  // the hash matches.
  struct Table {
    std::vector<uint64_t> slots;  // hash << 32 | entry index + 1; 0: free
    std::vector<Entry> entries;
    Entry* find_or_add(std::string_view key, uint64_t hash, bool& added);
    const Entry* find(std::string_view key) const;
    void prefetch(uint64_t hash) const { __builtin_prefetch(&slots[hash & (slots.size() - 1)]); }
    void grow();
  };
  std::string_view suffixed(std::string_view name, uint32_t n);

  Table tags_;
  Table idents_;
  std::deque<std::string> renamed_;  // stable storage for `name___N`
};

}  // namespace bpfxx::codegen::detail
