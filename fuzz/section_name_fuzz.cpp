// Section-name classification: a match's prefix is a prefix of the name and
// its target is what follows "prefix/".
#include <bpfxx/program_spec.hpp>

#include "fuzz_assert.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view name(reinterpret_cast<const char*>(data), size);
  auto info = bpfxx::classify_section(name);
  if (!info) return 0;
  FUZZ_CHECK(name.substr(0, info->prefix.size()) == info->prefix);
  if (name.size() == info->prefix.size()) {
    FUZZ_CHECK(info->target.empty());
  } else {
    FUZZ_CHECK(name[info->prefix.size()] == '/');
    FUZZ_CHECK(info->target == name.substr(info->prefix.size() + 1));
  }
  return 0;
}
