#include "elf/elf_file.hpp"

#include <fmt/format.h>

#include <cstring>

namespace bpfxx::elf {

namespace {

constexpr size_t kEhdrSize = 64;
constexpr size_t kShdrSize = 64;
constexpr size_t kSymSize = 24;
constexpr size_t kRelSize = 16;
constexpr size_t kRelaSize = 24;

Error malformed(std::string message, uint64_t offset) {
  return Error(Errc::InvalidInput, std::move(message)).with_op("parse ELF").with_file_offset(offset);
}

// A field of a header whose bounds were checked as a whole.
template <bool Swap, typename T>
T field(const std::byte* p) noexcept {
  return detail::load_unchecked<Swap, T>(p);
}

}  // namespace

Result<File> File::parse(std::span<const std::byte> bytes, std::pmr::memory_resource* mr) {
  detail::ByteReader raw(bytes);
  if (bytes.size() < kEhdrSize) {
    return malformed(fmt::format("file is {} bytes, too small for an ELF header", bytes.size()), 0);
  }
  auto ident = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  if (ident(0) != 0x7f || ident(1) != 'E' || ident(2) != 'L' || ident(3) != 'F') {
    return malformed("not an ELF file (bad magic)", 0);
  }
  if (ident(4) != 2) {
    return Error(Errc::NotSupported, "not supported yet: 32-bit ELF (only ELFCLASS64 objects are read)")
        .with_op("parse ELF");
  }
  if (ident(5) != 1 && ident(5) != 2) return malformed("unknown ELF data encoding", 5);
  if (ident(6) != 1) return malformed("unknown ELF version", 6);

  File f(mr);
  bool file_big_endian = ident(5) == 2;
  f.reader_ = detail::ByteReader(bytes, file_big_endian != host_big_endian());
  const auto& r = f.reader_;
  f.type_ = r.get<uint16_t>(16);
  f.machine_ = r.get<uint16_t>(18);
  uint64_t shoff = r.get<uint64_t>(40);
  f.flags_ = r.get<uint32_t>(48);
  uint16_t shentsize = r.get<uint16_t>(58);
  uint32_t shnum = r.get<uint16_t>(60);
  uint32_t shstrndx = r.get<uint16_t>(62);

  if (shoff == 0) {
    if (shnum != 0) return malformed("section count without a section header table", 60);
    return f;  // no sections at all: valid, if useless
  }
  if (shentsize != kShdrSize) {
    return malformed(fmt::format("section header size is {}, expected {}", shentsize, kShdrSize), 58);
  }
  // Extended numbering: the real counts live in section header 0.
  if (!r.in_bounds(shoff, kShdrSize)) return malformed("section header table out of bounds", 40);
  if (shnum == 0) {
    uint64_t real = r.get<uint64_t>(shoff + 32);
    if (real > UINT32_MAX) return malformed("section count too large", shoff + 32);
    shnum = static_cast<uint32_t>(real);
  }
  if (shstrndx == kShnXindex) shstrndx = r.get<uint32_t>(shoff + 40);
  BPFXX_TRY(f.parse_sections(shoff, shnum, shstrndx));
  BPFXX_TRY(f.parse_symbols());
  return f;
}

Result<void> File::parse_sections(uint64_t shoff, uint32_t shnum, uint32_t shstrndx) {
  const auto& r = reader_;
  uint64_t table_size = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(shnum), kShdrSize, &table_size) ||
      !r.in_bounds(shoff, table_size)) {
    return malformed(fmt::format("section header table ({} entries) out of bounds", shnum), shoff);
  }
  if (shstrndx >= shnum) {
    return malformed(fmt::format("section name table index {} out of range ({} sections)", shstrndx, shnum), 62);
  }
  if (r.swapped()) {
    BPFXX_TRY(read_section_headers<true>(shoff, shnum));
  } else {
    BPFXX_TRY(read_section_headers<false>(shoff, shnum));
  }
  const Section& shstr = sections_[shstrndx];
  if (shstr.type != kShtStrtab) {
    return malformed(fmt::format("section name table (section {}) is not a string table", shstrndx), 62);
  }
  detail::ByteReader names(shstr.data);
  for (uint32_t i = 1; i < shnum; ++i) {
    uint32_t name_off = r.get<uint32_t>(static_cast<size_t>(shoff + uint64_t{i} * kShdrSize));
    auto name = names.cstr_at(name_off);
    if (!name) {
      return malformed(fmt::format("section {} name offset {} out of bounds or unterminated", i, name_off),
                       shoff + uint64_t{i} * kShdrSize);
    }
    sections_[i].name = *name;
  }
  return {};
}

template <bool Swap>
Result<void> File::read_section_headers(uint64_t shoff, uint32_t shnum) {
  const detail::ByteReader& r = reader_;
  const std::byte* table = r.bytes().data() + shoff;  // bounds checked by the caller
  sections_.reserve(shnum);
  for (uint32_t i = 0; i < shnum; ++i) {
    const std::byte* h = table + size_t{i} * kShdrSize;
    Section& s = sections_.emplace_back();
    s.index = i;
    s.type = field<Swap, uint32_t>(h + 4);
    s.flags = field<Swap, uint64_t>(h + 8);
    s.offset = field<Swap, uint64_t>(h + 24);
    s.size = field<Swap, uint64_t>(h + 32);
    s.link = field<Swap, uint32_t>(h + 40);
    s.info = field<Swap, uint32_t>(h + 44);
    s.addralign = field<Swap, uint64_t>(h + 48);
    s.entsize = field<Swap, uint64_t>(h + 56);
    if (i == 0) {
      // Section 0 may carry extended counts in size/link; it has no contents.
      s.size = 0;
      continue;
    }
    if (s.type != kShtNobits && s.type != kShtNull) {
      auto data = r.sub(s.offset, s.size);
      if (!data) {
        return malformed(fmt::format("section {} contents [{}, +{}) out of bounds ({} bytes)", i,
                                     s.offset, s.size, r.size()),
                         shoff + size_t{i} * kShdrSize + 24);
      }
      s.data = *data;
    }
  }
  return {};
}

Result<void> File::parse_symbols() {
  uint32_t shndx_index = 0;
  for (const Section& s : sections_) {
    if (s.type == kShtSymtab) {
      if (symtab_index_ != 0) {
        return Error(Errc::NotSupported, "not supported yet: more than one symbol table")
            .with_op("parse ELF");
      }
      symtab_index_ = s.index;
    } else if (s.type == kShtSymtabShndx) {
      shndx_index = s.index;
    }
  }
  if (symtab_index_ == 0) return {};
  const Section& symtab = sections_[symtab_index_];
  if (symtab.entsize != kSymSize || symtab.size % kSymSize != 0) {
    return malformed(fmt::format("symbol table entry size {} / size {} invalid", symtab.entsize, symtab.size),
                     symtab.offset);
  }
  if (symtab.link == 0 || symtab.link >= sections_.size() || sections_[symtab.link].type != kShtStrtab) {
    return malformed("symbol table does not link to a string table", symtab.offset);
  }
  return reader_.swapped() ? read_symbols<true>(symtab, shndx_index) : read_symbols<false>(symtab, shndx_index);
}

template <bool Swap>
Result<void> File::read_symbols(const Section& symtab, uint32_t shndx_index) {
  detail::ByteReader strings(sections_[symtab.link].data);
  const std::byte* syms = symtab.data.data();  // entsize and size checked by the caller
  detail::ByteReader xindex;
  size_t count = symtab.size / kSymSize;
  if (shndx_index != 0) {
    xindex = reader_for(sections_[shndx_index]);
    if (xindex.size() < count * 4) return malformed("extended section index table too short", sections_[shndx_index].offset);
  }
  symbols_.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const size_t o = i * kSymSize;
    const std::byte* e = syms + o;
    Symbol& sym = symbols_.emplace_back();
    sym.index = static_cast<uint32_t>(i);
    const uint32_t name_off = field<Swap, uint32_t>(e);
    const uint8_t info = static_cast<uint8_t>(e[4]);
    sym.visibility = static_cast<uint8_t>(e[5]) & 0x3;
    const uint16_t shndx = field<Swap, uint16_t>(e + 6);
    sym.value = field<Swap, uint64_t>(e + 8);
    sym.size = field<Swap, uint64_t>(e + 16);
    sym.bind = info >> 4;
    sym.type = info & 0xf;
    sym.section = shndx;
    if (shndx == kShnXindex) {
      if (shndx_index == 0) return malformed(fmt::format("symbol {} uses SHN_XINDEX without a table", i), symtab.offset + o);
      sym.section = xindex.get<uint32_t>(i * 4);
    }
    if (sym.section != kShnUndef && sym.section < kShnLoreserve && sym.section >= sections_.size()) {
      return malformed(fmt::format("symbol {} refers to section {} of {}", i, sym.section, sections_.size()),
                       symtab.offset + o + 6);
    }
    auto name = strings.cstr_at(name_off);
    if (!name) {
      return malformed(fmt::format("symbol {} name offset {} out of bounds or unterminated", i, name_off),
                       symtab.offset + o);
    }
    sym.name = *name;
  }
  return {};
}

const Section* File::section_by_name(std::string_view name) const noexcept {
  for (const Section& s : sections_) {
    if (s.index != 0 && s.name == name) return &s;
  }
  return nullptr;
}

Result<std::pmr::vector<Relocation>> File::relocations(const Section& rel, std::pmr::memory_resource* mr) const {
  bool rela = rel.type == kShtRela;
  if (!rela && rel.type != kShtRel) {
    return malformed(fmt::format("section '{}' is not a relocation section", rel.name), rel.offset);
  }
  size_t entsize = rela ? kRelaSize : kRelSize;
  if (rel.size % entsize != 0) {
    return malformed(fmt::format("relocation section '{}' size {} is not a multiple of {}", rel.name,
                                 rel.size, entsize),
                     rel.offset);
  }
  detail::ByteReader r = reader_for(rel);
  size_t count = rel.size / entsize;
  std::pmr::vector<Relocation> out(mr);
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    size_t o = i * entsize;
    Relocation rr;
    rr.offset = r.get<uint64_t>(o);
    uint64_t info = r.get<uint64_t>(o + 8);
    rr.symbol = static_cast<uint32_t>(info >> 32);
    rr.type = static_cast<uint32_t>(info & 0xffffffffu);
    rr.addend = rela ? r.get<int64_t>(o + 16) : 0;
    if (rr.symbol >= symbols_.size()) {
      return malformed(fmt::format("relocation {} in '{}' refers to symbol {} of {}", i, rel.name,
                                   rr.symbol, symbols_.size()),
                       rel.offset + o + 8);
    }
    out.push_back(rr);
  }
  return out;
}

}  // namespace bpfxx::elf
