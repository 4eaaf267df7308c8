// Internals shared by the btf/ sources: the lazy name index and the error
// constructor for malformed input.
#pragma once

#include <bpfxx/btf/spec.hpp>

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

constexpr bool host_big_endian() noexcept { return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__; }

}  // namespace bpfxx::btf::internal
