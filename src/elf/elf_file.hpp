// elf::File: a zero-copy, bounds-checked reader of 64-bit ELF files.
//
// Parsing validates the header, every section header and the symbol table
// once; afterwards sections and symbols are plain values whose names and
// contents are views into the caller's bytes (which must outlive the File).
// Both byte orders are read, so big-endian (bpfeb) objects parse too; what to
// do with them is the object model's decision.
//
// Thread safety: immutable after parse; concurrent const use is safe.
#pragma once

#include <bpfxx/result.hpp>

#include "base/byte_reader.hpp"

#include <cstdint>
#include <memory_resource>
#include <span>
#include <string_view>
#include <vector>

namespace bpfxx::elf {

// The ELF constants bpfxx reads; values from the System V gABI.
inline constexpr uint16_t kMachineBpf = 247;  // EM_BPF
inline constexpr uint32_t kShtNull = 0, kShtProgbits = 1, kShtSymtab = 2, kShtStrtab = 3,
                          kShtRela = 4, kShtNobits = 8, kShtRel = 9, kShtSymtabShndx = 18;
inline constexpr uint64_t kShfWrite = 0x1, kShfAlloc = 0x2, kShfExecinstr = 0x4;
inline constexpr uint8_t kStbLocal = 0, kStbGlobal = 1, kStbWeak = 2;
inline constexpr uint8_t kSttNotype = 0, kSttObject = 1, kSttFunc = 2, kSttSection = 3,
                         kSttFile = 4;
inline constexpr uint8_t kStvDefault = 0, kStvHidden = 2;
inline constexpr uint16_t kShnUndef = 0, kShnLoreserve = 0xff00, kShnAbs = 0xfff1,
                          kShnCommon = 0xfff2, kShnXindex = 0xffff;

struct Section {
  uint32_t index = 0;
  std::string_view name;
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t offset = 0;  // file offset of the contents
  uint64_t size = 0;    // in memory; NOBITS sections have no file bytes
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t addralign = 0;
  uint64_t entsize = 0;
  std::span<const std::byte> data;  // empty for NOBITS

  bool is_exec() const noexcept { return (flags & kShfExecinstr) != 0; }
  bool is_alloc() const noexcept { return (flags & kShfAlloc) != 0; }
  bool is_writable() const noexcept { return (flags & kShfWrite) != 0; }
};

struct Symbol {
  uint32_t index = 0;
  std::string_view name;
  uint8_t bind = 0;
  uint8_t type = 0;
  uint8_t visibility = 0;
  uint32_t section = 0;  // section index, SHN_XINDEX already resolved
  uint64_t value = 0;
  uint64_t size = 0;
};

struct Relocation {
  uint64_t offset = 0;  // byte offset within the section being relocated
  uint32_t symbol = 0;  // index into File::symbols()
  uint32_t type = 0;
  int64_t addend = 0;   // 0 for REL sections
};

class File {
 public:
  // The section and symbol tables are allocated from `mr`: a caller that
  // parses and drops the file at once (ObjectSpec::open) passes an arena.
  // A moved File keeps that allocator, so it must not outlive `mr`.
  File() = default;  // empty: no sections, no symbols
  static Result<File> parse(std::span<const std::byte> bytes,
                            std::pmr::memory_resource* mr = std::pmr::get_default_resource());

  bool big_endian() const noexcept { return reader_.swapped() != host_big_endian(); }
  uint16_t type() const noexcept { return type_; }
  uint16_t machine() const noexcept { return machine_; }
  uint32_t flags() const noexcept { return flags_; }
  std::span<const std::byte> bytes() const noexcept { return reader_.bytes(); }
  // A reader over the file that swaps to host order as the file needs.
  const detail::ByteReader& reader() const noexcept { return reader_; }
  detail::ByteReader reader_for(const Section& s) const noexcept {
    return detail::ByteReader(s.data, reader_.swapped());
  }

  std::span<const Section> sections() const noexcept { return sections_; }
  const Section* section(uint32_t index) const noexcept {
    return index < sections_.size() ? &sections_[index] : nullptr;
  }
  const Section* section_by_name(std::string_view name) const noexcept;
  // All symbols of the (single) SHT_SYMTAB, index 0 included.
  std::span<const Symbol> symbols() const noexcept { return symbols_; }
  bool has_symtab() const noexcept { return symtab_index_ != 0; }

  // Decodes a SHT_REL or SHT_RELA section, checking symbol indexes.
  Result<std::pmr::vector<Relocation>> relocations(
      const Section& rel_section, std::pmr::memory_resource* mr = std::pmr::get_default_resource()) const;

 private:
  explicit File(std::pmr::memory_resource* mr) : sections_(mr), symbols_(mr) {}
  static constexpr bool host_big_endian() noexcept {
    return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
  }
  Result<void> parse_sections(uint64_t shoff, uint32_t shnum, uint32_t shstrndx);
  template <bool Swap>
  Result<void> read_section_headers(uint64_t shoff, uint32_t shnum);
  template <bool Swap>
  Result<void> read_symbols(const Section& symtab, uint32_t shndx_index);
  Result<void> parse_symbols();

  detail::ByteReader reader_;
  uint16_t type_ = 0;
  uint16_t machine_ = 0;
  uint32_t flags_ = 0;
  std::pmr::vector<Section> sections_;
  std::pmr::vector<Symbol> symbols_;
  uint32_t symtab_index_ = 0;
};

}  // namespace bpfxx::elf
