#include "codegen/c_names.hpp"

namespace bpfxx::codegen::detail {

namespace {

uint64_t hash_of(std::string_view s) noexcept {
  // FNV-1a: names are short, and this keeps the table free of std::hash's
  // per-call overhead.
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h ^ (h >> 32);
}

// Up to 3/4 full: linear probing stays within a cache line or two, and a
// smaller table misses the cache less often than a sparser one.
size_t capacity_for(size_t n) {
  size_t cap = 64;
  while (cap * 3 < n * 4) cap *= 2;
  return cap;
}

}  // namespace

NameTable::NameTable(size_t expected_tags, size_t expected_idents) {
  tags_.slots.resize(capacity_for(expected_tags));
  tags_.entries.reserve(expected_tags);
  idents_.slots.resize(capacity_for(expected_idents));
  idents_.entries.reserve(expected_idents);
}

uint64_t NameTable::hash(std::string_view name) noexcept { return hash_of(name); }

NameTable::Entry* NameTable::Table::find_or_add(std::string_view key, uint64_t h, bool& added) {
  if ((entries.size() + 1) * 4 > slots.size() * 3) grow();
  const uint32_t tag = static_cast<uint32_t>(h >> 32);
  const size_t mask = slots.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint64_t s = slots[i];
    if (s == 0) {
      entries.push_back({key, 0, TagKind::Struct, false});
      slots[i] = (uint64_t{tag} << 32) | entries.size();
      added = true;
      return &entries.back();
    }
    if (static_cast<uint32_t>(s >> 32) == tag) {
      Entry& e = entries[static_cast<uint32_t>(s) - 1];
      if (e.name == key) {
        added = false;
        return &e;
      }
    }
  }
}

const NameTable::Entry* NameTable::Table::find(std::string_view key) const {
  const uint64_t h = hash_of(key);
  const uint32_t tag = static_cast<uint32_t>(h >> 32);
  const size_t mask = slots.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint64_t s = slots[i];
    if (s == 0) return nullptr;
    if (static_cast<uint32_t>(s >> 32) == tag && entries[static_cast<uint32_t>(s) - 1].name == key) {
      return &entries[static_cast<uint32_t>(s) - 1];
    }
  }
}

void NameTable::Table::grow() {
  slots.assign(slots.size() * 2, 0);
  const size_t mask = slots.size() - 1;
  for (size_t e = 0; e < entries.size(); ++e) {
    const uint64_t h = hash_of(entries[e].name);
    size_t i = h & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = (uint64_t{static_cast<uint32_t>(h >> 32)} << 32) | (e + 1);
  }
}

std::string_view NameTable::suffixed(std::string_view name, uint32_t n) {
  std::string& s = renamed_.emplace_back(name);
  s += "___";
  s += std::to_string(n);
  return s;
}

std::string_view NameTable::tag(std::string_view name, uint64_t hash, TagKind kind, bool complete) {
  bool added = false;
  Entry* e = tags_.find_or_add(name, hash, added);
  if (added) {
    e->count = 1;
    e->kind = kind;
    e->complete = complete;
    return name;
  }
  // `struct foo;` and `struct foo {...}` name one type; two definitions do not.
  if (e->kind == kind && (!complete || !e->complete)) {
    e->complete |= complete;
    return name;
  }
  return suffixed(name, ++e->count);
}

std::string_view NameTable::ident(std::string_view name, uint64_t hash) {
  bool added = false;
  Entry* e = idents_.find_or_add(name, hash, added);
  if (added) {
    e->count = 1;
    return name;
  }
  return suffixed(name, ++e->count);
}

bool NameTable::ident_taken(std::string_view name) const { return idents_.find(name) != nullptr; }

}  // namespace bpfxx::codegen::detail
