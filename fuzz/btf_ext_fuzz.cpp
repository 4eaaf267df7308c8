// .BTF.ext reader: the input is split into a .BTF part (a fixed small spec
// with a few strings) and the .BTF.ext bytes; what parses names sections that
// exist in the string table.
#include <bpfxx/btf/ext.hpp>

#include "fuzz_assert.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

// A BTF with one INT and the strings "int", ".text", "tp/x", "file.c".
std::vector<std::byte> small_btf() {
  const char strings[] = "\0int\0.text\0tp/x\0file.c";
  std::vector<uint32_t> types = {1, (1u << 24), 4, 32};  // INT 'int' size 4 bits 32
  std::vector<std::byte> out(24 + types.size() * 4 + sizeof(strings));
  uint32_t hdr[6] = {0x0001eB9F, 24, 0, static_cast<uint32_t>(types.size() * 4),
                     static_cast<uint32_t>(types.size() * 4), sizeof(strings)};
  std::memcpy(out.data(), hdr, sizeof(hdr));
  std::memcpy(out.data() + 24, types.data(), types.size() * 4);
  std::memcpy(out.data() + 24 + types.size() * 4, strings, sizeof(strings));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::byte> btf_bytes = small_btf();
  static const bpfxx::btf::Spec btf = *bpfxx::btf::Spec::parse(btf_bytes);
  auto ext = bpfxx::btf::Ext::parse({reinterpret_cast<const std::byte*>(data), size}, btf);
  if (!ext) {
    FUZZ_CHECK(!ext.error().message().empty());
    return 0;
  }
  for (const auto& s : ext->func_infos()) FUZZ_CHECK(s.section == ".text" || s.section == "tp/x" ||
                                                     btf.string_at(0).has_value());
  auto copy = *ext;
  FUZZ_CHECK(copy == *ext);
  return 0;
}
