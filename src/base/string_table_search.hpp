// Finding a name in a table of NUL-terminated strings (a BTF or ELF string
// section): every offset at which reading a string yields exactly `name`.
// That is each place `name` is followed by a NUL, whether or not it starts
// a string: a producer may share one string's tail as another's name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace bpfxx::detail {

// Appends the offsets, in increasing order, to `out`. An empty name
// matches nothing.
void find_string_offsets(std::span<const std::byte> table, std::string_view name, std::vector<uint32_t>& out);

}  // namespace bpfxx::detail
