// Helpers for the ELF unit tests: byte patching in either byte order, and a
// tiny ELF64 writer for hand-made inputs (a header, sections with contents,
// a .shstrtab added last and the section header table at the end).
#pragma once

#include "elf/elf_file.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bpfxx::elf::test_util {

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// ---- Byte helpers --------------------------------------------------------------------

template <typename T>
inline void put(std::vector<std::byte>& b, uint64_t off, T v, bool big_endian = false) {
  if (big_endian) v = detail::byteswap(v);
  ASSERT_LE(off + sizeof(T), b.size());
  std::memcpy(b.data() + off, &v, sizeof(T));
}

template <typename T>
inline T get(const std::vector<std::byte>& b, uint64_t off, bool big_endian = false) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof(T));
  return big_endian ? detail::byteswap(v) : v;
}

// Appends integers in one byte order.
struct Writer {
  bool big_endian = false;
  std::vector<std::byte> out;
  template <typename T>
  void add(T v) {
    if (big_endian) v = detail::byteswap(v);
    size_t at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &v, sizeof(T));
  }
  void add_bytes(std::span<const std::byte> b) { out.insert(out.end(), b.begin(), b.end()); }
  void align(size_t a) {
    while (out.size() % a != 0) out.push_back(std::byte{0});
  }
};

inline std::vector<std::byte> str_bytes(std::string_view s) {
  auto b = detail::as_bytes(s);
  return {b.begin(), b.end()};
}

// ---- A tiny ELF builder ---------------------------------------------------------------
// Writes a 64-bit ELF: header, each section's contents (8-byte aligned), a
// .shstrtab added last, then the section header table. Section 0 is the null
// section; the caller's sections are 1..n.

struct SectionDef {
  std::string name;
  uint32_t type = kShtProgbits;
  uint64_t flags = 0;
  std::vector<std::byte> data;  // for NOBITS only its size counts
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t entsize = 0;
};

struct BuiltElf {
  std::vector<std::byte> bytes;
  uint64_t shoff = 0;
  uint32_t shnum = 0;
  std::vector<uint64_t> data_offset;  // by section index
  uint64_t shdr(uint32_t index) const { return shoff + uint64_t{index} * 64; }
};

inline BuiltElf build_elf(const std::vector<SectionDef>& defs, bool big_endian = false) {
  BuiltElf out;
  Writer w{big_endian, {}};
  w.out.resize(64);
  std::string shstr(1, '\0');
  std::vector<uint32_t> name_off;
  out.data_offset.push_back(0);
  for (const SectionDef& d : defs) {
    name_off.push_back(static_cast<uint32_t>(shstr.size()));
    shstr += d.name;
    shstr += '\0';
    w.align(8);
    out.data_offset.push_back(w.out.size());
    if (d.type != kShtNobits) w.add_bytes(d.data);
  }
  uint32_t shstr_name = static_cast<uint32_t>(shstr.size());
  shstr += ".shstrtab";
  shstr += '\0';
  w.align(8);
  uint64_t shstr_off = w.out.size();
  out.data_offset.push_back(shstr_off);
  w.add_bytes(str_bytes(shstr));
  w.align(8);
  out.shoff = w.out.size();
  out.shnum = static_cast<uint32_t>(defs.size() + 2);
  auto shdr = [&](uint32_t name, uint32_t type, uint64_t flags, uint64_t off, uint64_t size, uint32_t link,
                  uint32_t info, uint64_t entsize) {
    w.add(name);
    w.add(type);
    w.add(flags);
    w.add(uint64_t{0});  // addr
    w.add(off);
    w.add(size);
    w.add(link);
    w.add(info);
    w.add(uint64_t{8});  // addralign
    w.add(entsize);
  };
  shdr(0, kShtNull, 0, 0, 0, 0, 0, 0);
  for (size_t i = 0; i < defs.size(); ++i) {
    const SectionDef& d = defs[i];
    shdr(name_off[i], d.type, d.flags, out.data_offset[i + 1], d.data.size(), d.link, d.info, d.entsize);
  }
  shdr(shstr_name, kShtStrtab, 0, shstr_off, shstr.size(), 0, 0, 0);

  // The ELF header.
  std::vector<std::byte>& b = w.out;
  const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, static_cast<uint8_t>(big_endian ? 2 : 1), 1};
  std::memcpy(b.data(), ident, sizeof(ident));
  put<uint16_t>(b, 16, 1, big_endian);    // ET_REL
  put<uint16_t>(b, 18, kMachineBpf, big_endian);
  put<uint32_t>(b, 20, 1, big_endian);    // EV_CURRENT
  put<uint64_t>(b, 40, out.shoff, big_endian);
  put<uint16_t>(b, 52, 64, big_endian);   // e_ehsize
  put<uint16_t>(b, 58, 64, big_endian);   // e_shentsize
  put<uint16_t>(b, 60, static_cast<uint16_t>(out.shnum), big_endian);
  put<uint16_t>(b, 62, static_cast<uint16_t>(out.shnum - 1), big_endian);
  out.bytes = std::move(b);
  return out;
}

struct SymDef {
  uint32_t name = 0;
  uint8_t bind = kStbLocal;
  uint8_t type = kSttNotype;
  uint16_t shndx = 0;
  uint64_t value = 0;
  uint64_t size = 0;
  uint8_t other = 0;
};

inline std::vector<std::byte> symtab_bytes(const std::vector<SymDef>& syms, bool big_endian = false) {
  Writer w{big_endian, {}};
  for (const SymDef& s : syms) {
    w.add(s.name);
    w.add(static_cast<uint8_t>((s.bind << 4) | s.type));
    w.add(s.other);
    w.add(s.shndx);
    w.add(s.value);
    w.add(s.size);
  }
  return w.out;
}

inline std::vector<std::byte> rel_bytes(const std::vector<std::pair<uint64_t, uint64_t>>& rels,
                                        bool big_endian = false) {
  Writer w{big_endian, {}};
  for (auto [offset, info] : rels) {
    w.add(offset);
    w.add(info);
  }
  return w.out;
}

// A small valid object: code, a string table, a symbol table with a
// function and a section symbol, and one relocation of the code.
inline std::vector<SectionDef> small_object(bool big_endian) {
  std::vector<SectionDef> d;
  d.push_back({".text", kShtProgbits, kShfAlloc | kShfExecinstr, std::vector<std::byte>(16, std::byte{0x95}), 0, 0, 0});
  d.push_back({".strtab", kShtStrtab, 0, str_bytes(std::string_view("\0main\0data\0", 11)), 0, 0, 0});
  d.push_back({".symtab", kShtSymtab, 0,
               symtab_bytes({{},
                             {0, kStbLocal, kSttSection, 1, 0, 0},
                             {1, kStbGlobal, kSttFunc, 1, 0, 16, kStvHidden},
                             {6, kStbGlobal, kSttObject, 5, 4, 8}},
                            big_endian),
               2, 2, 24});
  d.push_back({".rel.text", kShtRel, 0, rel_bytes({{8, (uint64_t{2} << 32) | 10}}, big_endian), 3, 1, 16});
  d.push_back({".bss", kShtNobits, kShfAlloc | kShfWrite, std::vector<std::byte>(32), 0, 0, 0});
  return d;
}

}  // namespace bpfxx::elf::test_util
