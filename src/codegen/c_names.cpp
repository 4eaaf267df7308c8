#include "codegen/c_names.hpp"

#include <cstring>

namespace bpfxx::codegen::detail {

namespace {

// Eight bytes at a time (the last word overlapping the one before), mixed
// with multiplications: names are mostly 8-30 bytes, and hashing ~50k of
// them byte by byte showed in profiles.
uint64_t hash_of(std::string_view s) noexcept {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
  auto mix = [&](uint64_t w) {
    h ^= w;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  };
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      mix(w);
    }
    uint64_t w;
    std::memcpy(&w, p + n - 8, 8);  // the last 8 bytes, overlapping what was mixed
    mix(w);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    mix(uint64_t{a} << 32 | b);
  } else if (n > 0) {
    mix(uint64_t{static_cast<unsigned char>(p[0])} << 16 | uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
        static_cast<unsigned char>(p[n - 1]));
  }
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
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
  // Slots for the expected count (they are zeroed now, and all of them are
  // touched); entries reserved with room to spare (only used ones are).
  tags_.slots.resize(capacity_for(expected_tags));
  tags_.entries.reserve(expected_tags + expected_tags / 4);
  idents_.slots.resize(capacity_for(expected_idents));
  idents_.entries.reserve(expected_idents + expected_idents / 4);
}

uint64_t NameTable::hash(std::string_view name) noexcept { return hash_of(name); }

NameTable::Entry* NameTable::Table::find_or_add(std::string_view key, uint64_t h, bool& added) {
  if ((entries.size() + 1) * 4 > slots.size() * 3) grow();
  const uint32_t tag = static_cast<uint32_t>(h >> 32);
  const size_t mask = slots.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint64_t s = slots[i];
    if (s == 0) {
      entries.push_back({key.data(), static_cast<uint32_t>(key.size()), 0, 0, 0});
      slots[i] = (uint64_t{tag} << 32) | entries.size();
      added = true;
      return &entries.back();
    }
    if (static_cast<uint32_t>(s >> 32) == tag) {
      Entry& e = entries[static_cast<uint32_t>(s) - 1];
      if (e.name() == key) {
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
    if (static_cast<uint32_t>(s >> 32) == tag && entries[static_cast<uint32_t>(s) - 1].name() == key) {
      return &entries[static_cast<uint32_t>(s) - 1];
    }
  }
}

void NameTable::Table::grow() {
  slots.assign(slots.size() * 2, 0);
  const size_t mask = slots.size() - 1;
  for (size_t e = 0; e < entries.size(); ++e) {
    const uint64_t h = hash_of(entries[e].name());
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

std::string_view NameTable::tag(std::string_view name, TagKind kind, bool complete) {
  bool added = false;
  Entry* e = tags_.find_or_add(name, hash(name), added);
  if (added) {
    e->count = 1;
    e->kind = static_cast<uint32_t>(kind);
    e->complete = complete;
    return name;
  }
  // `struct foo;` and `struct foo {...}` name one type; two definitions do not.
  if (e->kind == static_cast<uint32_t>(kind) && (!complete || !e->complete)) {
    e->complete = e->complete | complete;
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
