#include "codegen/c_names.hpp"

namespace bpfxx::codegen::detail {

namespace {

size_t hash_of(std::string_view s) noexcept {
  // FNV-1a: names are short, and this keeps the table free of std::hash's
  // per-call overhead.
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return static_cast<size_t>(h ^ (h >> 29));
}

size_t capacity_for(size_t n) {
  size_t cap = 64;
  while (cap < n * 2) cap *= 2;
  return cap;
}

}  // namespace

NameTable::NameTable(size_t expected_names) {
  tags_.slots.resize(capacity_for(expected_names / 2));
  idents_.slots.resize(capacity_for(expected_names));
}

NameTable::Slot* NameTable::Table::find_or_add(std::string_view key, bool& added) {
  if ((used + 1) * 2 > slots.size()) grow();
  size_t mask = slots.size() - 1;
  for (size_t i = hash_of(key) & mask;; i = (i + 1) & mask) {
    Slot& s = slots[i];
    if (s.key.empty()) {
      s.key = key;
      ++used;
      added = true;
      return &s;
    }
    if (s.key == key) {
      added = false;
      return &s;
    }
  }
}

const NameTable::Slot* NameTable::Table::find(std::string_view key) const {
  size_t mask = slots.size() - 1;
  for (size_t i = hash_of(key) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots[i];
    if (s.key.empty()) return nullptr;
    if (s.key == key) return &s;
  }
}

void NameTable::Table::grow() {
  std::vector<Slot> old = std::move(slots);
  slots.assign(old.size() * 2, Slot{});
  size_t mask = slots.size() - 1;
  for (const Slot& s : old) {
    if (s.key.empty()) continue;
    size_t i = hash_of(s.key) & mask;
    while (!slots[i].key.empty()) i = (i + 1) & mask;
    slots[i] = s;
  }
}

std::string_view NameTable::suffixed(std::string_view name, uint32_t n) {
  std::string& s = renamed_.emplace_back(name);
  s += "___";
  s += std::to_string(n);
  return s;
}

std::string_view NameTable::tag(std::string_view name, TagKind kind, bool complete) {
  bool added = false;
  Slot* s = tags_.find_or_add(name, added);
  if (added) {
    s->count = 1;
    s->kind = kind;
    s->complete = complete;
    return name;
  }
  // `struct foo;` and `struct foo {...}` name one type; two definitions do not.
  if (s->kind == kind && (!complete || !s->complete)) {
    s->complete |= complete;
    return name;
  }
  return suffixed(name, ++s->count);
}

std::string_view NameTable::ident(std::string_view name) {
  bool added = false;
  Slot* s = idents_.find_or_add(name, added);
  if (added) {
    s->count = 1;
    return name;
  }
  return suffixed(name, ++s->count);
}

bool NameTable::ident_taken(std::string_view name) const { return idents_.find(name) != nullptr; }

}  // namespace bpfxx::codegen::detail
