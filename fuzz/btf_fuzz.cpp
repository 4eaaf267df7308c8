// BTF reader: what parses round-trips (parse -> encode -> parse is equal) and
// every type decodes and resolves without running away.
#include <bpfxx/btf/spec.hpp>

#include "fuzz_assert.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto s = bpfxx::btf::Spec::parse(bytes);
  if (!s) {
    FUZZ_CHECK(!s.error().message().empty());
    return 0;
  }
  for (bpfxx::btf::TypeId id = 1; id < s->type_count(); ++id) {
    auto t = s->type(id);
    FUZZ_CHECK(t.has_value());
    (void)s->resolve(id);
    (void)s->size_of(id);
    (void)s->align_of(id);
    (void)s->c_name(id);
    (void)s->describe(id);
    for (uint32_t i = 0; i < t->vlen() && t->is_struct_or_union(); ++i) (void)t->member(i);
  }
  auto encoded = s->encode();
  auto again = bpfxx::btf::Spec::parse(encoded);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *s);
  // A named type is found by its name (the vector string search and the
  // name offsets the parse kept must agree with the records).
  for (bpfxx::btf::TypeId id = 1; id < s->type_count() && id <= 8; ++id) {
    std::string_view name = s->type_unchecked(id).name();
    if (name.empty()) continue;
    auto ids = s->find_by_name(name);
    FUZZ_CHECK(std::find(ids.begin(), ids.end(), id) != ids.end());
  }
  return 0;
}
