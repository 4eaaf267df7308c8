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

struct NameIndexData {
  std::once_flag once;
  std::unordered_map<std::string_view, std::vector<TypeId>> by_name;
};

Error malformed(std::string message, std::optional<uint64_t> offset = std::nullopt);

constexpr bool host_big_endian() noexcept { return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__; }

}  // namespace bpfxx::btf::internal
