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
  explicit NameTable(size_t expected_names);

  // The name for a tag. `complete`: a definition, not a forward declaration.
  std::string_view tag(std::string_view name, TagKind kind, bool complete);
  // The name for an ordinary identifier.
  std::string_view ident(std::string_view name);
  // Whether an ordinary identifier has been given out already.
  bool ident_taken(std::string_view name) const;

 private:
  struct Slot {
    std::string_view key;  // empty: free
    uint32_t count = 0;    // distinct owners so far
    TagKind kind = TagKind::Struct;
    bool complete = false;
  };
  // Open addressing, linear probing: ~50k names per header, looked up once
  // each, so a flat table beats node-based maps by a wide margin.
  struct Table {
    std::vector<Slot> slots;
    size_t used = 0;
    Slot* find_or_add(std::string_view key, bool& added);
    const Slot* find(std::string_view key) const;
    void grow();
  };
  std::string_view suffixed(std::string_view name, uint32_t n);

  Table tags_;
  Table idents_;
  std::deque<std::string> renamed_;  // stable storage for `name___N`
};

}  // namespace bpfxx::codegen::detail
