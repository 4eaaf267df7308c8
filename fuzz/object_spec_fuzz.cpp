// Whole-object parsing (ELF, BTF, .BTF.ext, maps, relocations, linking): any
// input parses or fails cleanly; what parses is deterministic (a second parse
// is equal and dumps the same) and its relocations point inside programs.
#include <bpfxx/object_spec.hpp>

#include "fuzz_assert.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto a = bpfxx::ObjectSpec::parse(bytes, "fuzz");
  if (!a) {
    FUZZ_CHECK(!a.error().summary().empty());
    return 0;
  }
  auto b = bpfxx::ObjectSpec::parse(bytes, "fuzz");
  FUZZ_CHECK(b.has_value());
  FUZZ_CHECK(*a == *b);
  FUZZ_CHECK(a->dump() == b->dump());
  for (const auto& p : a->programs) {
    for (const auto& r : p.relocations) FUZZ_CHECK(r.insn_index < p.insns.size());
    for (const auto& f : p.func_info) FUZZ_CHECK(f.insn_index < p.insns.size());
    for (const auto& l : p.line_info) FUZZ_CHECK(l.insn_index < p.insns.size());
  }
  bpfxx::ObjectSpec copy = *a;
  FUZZ_CHECK(copy == *a);
  return 0;
}
