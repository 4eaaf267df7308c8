// ELF reader: any input parses or fails with InvalidInput/NotSupported; what
// parses has every section inside the input and decodable relocations.
#include "elf/elf_file.hpp"
#include "fuzz_assert.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto f = bpfxx::elf::File::parse(bytes);
  if (!f) {
    auto c = f.error().code();
    FUZZ_CHECK(c == bpfxx::Errc::InvalidInput || c == bpfxx::Errc::NotSupported);
    FUZZ_CHECK(!f.error().message().empty());
    return 0;
  }
  const std::byte* lo = bytes.data();
  const std::byte* hi = bytes.data() + bytes.size();
  for (const auto& s : f->sections()) {
    if (!s.data.empty()) FUZZ_CHECK(s.data.data() >= lo && s.data.data() + s.data.size() <= hi);
    if (s.type == bpfxx::elf::kShtRel || s.type == bpfxx::elf::kShtRela) {
      auto rels = f->relocations(s);
      if (rels) {
        for (const auto& r : *rels) FUZZ_CHECK(r.symbol < f->symbols().size());
      }
    }
  }
  for (const auto& sym : f->symbols()) {
    if (!sym.name.empty()) {
      FUZZ_CHECK(reinterpret_cast<const std::byte*>(sym.name.data()) >= lo);
      FUZZ_CHECK(reinterpret_cast<const std::byte*>(sym.name.data() + sym.name.size()) < hi);
    }
  }
  return 0;
}
