// Internals shared by the btf/ sources: the lazy name index and the error
// constructor for malformed input.
#pragma once

#include <bpfxx/btf/spec.hpp>

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bpfxx::btf::internal {

// Name lookups. The first few names are found by scanning (the string
// table for the name, then the records for its offset: a fraction of a
// millisecond on vmlinux) and remembered, found or not; after kScanLimit
// distinct names the full name -> ids table is built once.
struct NameIndexData {
  static constexpr uint32_t kScanLimit = 16;
  std::mutex mu;
  uint32_t scans = 0;
  bool full = false;
  std::unordered_map<std::string, std::vector<TypeId>> remembered;
  std::unordered_map<std::string_view, std::vector<TypeId>> by_name;
};

Error malformed(std::string message, std::optional<uint64_t> offset = std::nullopt);

// A set of kinds as a bit mask (kinds are below 32), tested with one shift.
constexpr uint32_t kind_mask(std::initializer_list<Kind> kinds) {
  uint32_t mask = 0;
  for (Kind k : kinds) mask |= 1u << static_cast<uint8_t>(k);
  return mask;
}

// Kinds whose record is a link in a reference chain (pointers, typedefs,
// modifiers, arrays, vars, funcs, tags): their reference defines them, so a
// loop through them never ends and validation refuses it.
constexpr uint32_t kChainKinds = kind_mask({Kind::Ptr, Kind::Typedef, Kind::Volatile, Kind::Const, Kind::Restrict,
                                            Kind::TypeTag, Kind::Array, Kind::Var, Kind::DeclTag, Kind::Func});

constexpr bool is_chain_kind(Kind k) noexcept { return ((kChainKinds >> static_cast<uint8_t>(k)) & 1) != 0; }

constexpr bool host_big_endian() noexcept { return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__; }

}  // namespace bpfxx::btf::internal
