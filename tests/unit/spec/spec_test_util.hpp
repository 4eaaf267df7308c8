// Helpers for the spec unit tests: loading the compiled test objects and
// patching their bytes to make malformed objects (an instruction's immediate,
// a relocation's offset, a BTF member's name) at offsets found with the elf
// and btf readers the spec layer is built on.
#pragma once

#include <bpfxx/object_spec.hpp>

#include "elf/elf_file.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::spec_test {

inline constexpr const char* kTestObjects[] = {"globals", "maps_kinds", "subprogs", "multi_prog", "legacy_maps"};

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

inline ObjectSpec open_object(const std::string& name, bool big_endian = false) {
  auto spec = ObjectSpec::open(bpfxx::test::bpf_object(name, big_endian));
  if (!spec) {
    ADD_FAILURE() << spec.error().describe();
    return ObjectSpec{};
  }
  return std::move(*spec);
}

// A test object's bytes, with the ELF reader's view of them for locating
// things to patch. Patches are written in the file's byte order.
class ObjectBytes {
 public:
  explicit ObjectBytes(const std::string& name, bool big_endian = false)
      : bytes_(bpfxx::test::read_file(bpfxx::test::bpf_object(name, big_endian))), big_endian_(big_endian) {}

  std::vector<std::byte>& bytes() { return bytes_; }
  // A fresh parse of the current bytes; valid until the next patch.
  elf::File elf() const { return elf::File::parse(bytes_).value(); }

  const elf::Section& section(std::string_view name) {
    elf_ = elf();
    const elf::Section* s = elf_.section_by_name(name);
    EXPECT_NE(s, nullptr) << name;
    return *s;
  }
  uint64_t section_offset(std::string_view name) { return section(name).offset; }

  template <typename T>
  void put(uint64_t offset, T value) {
    if (big_endian_) value = detail::byteswap(value);
    ASSERT_LE(offset + sizeof(T), bytes_.size());
    std::memcpy(bytes_.data() + offset, &value, sizeof(T));
  }
  template <typename T>
  T get(uint64_t offset) const {
    T v;
    std::memcpy(&v, bytes_.data() + offset, sizeof(T));
    return big_endian_ ? detail::byteswap(v) : v;
  }

  // The file offset of instruction `insn` of code section `section`.
  uint64_t insn_offset(std::string_view section_name, uint32_t insn) {
    return section_offset(section_name) + uint64_t{insn} * 8;
  }

  // The file offset of relocation `index` of REL section `rel_name`.
  uint64_t rel_offset(std::string_view rel_name, uint32_t index) {
    return section_offset(rel_name) + uint64_t{index} * 16;
  }

  // The file offset of symbol `name` in .symtab.
  uint64_t symbol_offset(std::string_view name) {
    uint64_t symtab = section_offset(".symtab");
    elf_ = elf();
    for (const elf::Symbol& s : elf_.symbols()) {
      if (s.name == name) return symtab + uint64_t{s.index} * 24;
    }
    ADD_FAILURE() << "no symbol " << name;
    return 0;
  }

  // The file offset of the record of BTF type `id`, walking the records of
  // .BTF with the format's record sizes.
  uint64_t btf_record_offset(btf::TypeId id) {
    uint64_t btf = section_offset(".BTF");
    uint32_t hdr_len = get<uint32_t>(btf + 4), type_off = get<uint32_t>(btf + 8);
    uint64_t off = btf + hdr_len + type_off;
    for (btf::TypeId cur = 1; cur < id; ++cur) {
      uint32_t info = get<uint32_t>(off + 4);
      off += btf::record_size(static_cast<btf::Kind>((info >> 24) & 0x1f), static_cast<uint16_t>(info & 0xffff));
    }
    return off;
  }
  // The offset of string `s` within the .BTF string section.
  uint32_t btf_string(std::string_view s) {
    uint64_t btf = section_offset(".BTF");
    uint32_t hdr_len = get<uint32_t>(btf + 4), str_off = get<uint32_t>(btf + 16), str_len = get<uint32_t>(btf + 20);
    const char* strings = reinterpret_cast<const char*>(bytes_.data() + btf + hdr_len + str_off);
    std::string_view table(strings, str_len);
    std::string needle = std::string(1, '\0') + std::string(s) + '\0';
    size_t at = table.find(needle);
    EXPECT_NE(at, std::string_view::npos) << s;
    return static_cast<uint32_t>(at + 1);
  }
  // The file offset of string `s` in the .BTF string section.
  uint64_t btf_string_file_offset(std::string_view s) {
    uint64_t btf = section_offset(".BTF");
    return btf + get<uint32_t>(btf + 4) + get<uint32_t>(btf + 16) + btf_string(s);
  }

  Result<ObjectSpec> parse(std::string name = "patched") const { return ObjectSpec::parse(bytes_, std::move(name)); }

 private:
  std::vector<std::byte> bytes_;
  bool big_endian_;
  elf::File elf_;
};

}  // namespace bpfxx::spec_test
