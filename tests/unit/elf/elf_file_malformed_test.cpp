// Malformed ELF input for elf::File: bytes of a real object are mutated, or
// a tiny ELF is written by the builder in elf_test_util.hpp. Each defect must
// fail with InvalidInput (or NotSupported for a 32-bit file or a second
// symbol table), with a message naming the problem and the file offset where
// it was found; none may crash or hang.
#include "elf/elf_file.hpp"

#include "elf_test_util.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace bpfxx::elf {
namespace {

using namespace test_util;  // NOLINT(google-build-using-namespace): test helpers
using test::bpf_object;
using test::read_file;

// ---- Malformed inputs ---------------------------------------------------------------------------------

// Parses bytes expecting an error with this code, message part and offset.
void expect_parse_error(const std::vector<std::byte>& bytes, Errc code, std::string_view message,
                        std::optional<uint64_t> offset) {
  auto f = File::parse(bytes);
  ASSERT_FALSE(f.has_value()) << "parsed although " << message;
  EXPECT_EQ(f.error().code(), code) << f.error().summary();
  EXPECT_TRUE(contains(f.error().message(), message)) << f.error().summary();
  EXPECT_EQ(f.error().op(), "parse ELF");
  if (offset) {
    EXPECT_EQ(f.error().file_offset(), *offset) << f.error().summary();
  }
}

// subprogs.bpf.o: 30 sections, .symtab (29) of 22 symbols linked to .strtab
// (1), ".reltp/syscalls/sys_enter_getpid" (4) with 3 entries. Where things
// sit in the file depends on the debug info, which names the build
// directory, so offsets are read from the pristine file.
class MalformedElf : public testing::Test {
 protected:
  void SetUp() override {
    bytes_ = read_file(bpf_object("subprogs"));
    auto f = File::parse(bytes_);
    ASSERT_TRUE(f.has_value());
    ASSERT_EQ(f->sections().size(), 30u);
    shoff_ = get<uint64_t>(bytes_, 40);
    ASSERT_EQ(shoff_ + 30 * 64, bytes_.size());  // clang puts the header table last
    symtab_ = f->section(29)->offset;
    rel_ = f->section(4)->offset;
    strtab_size_ = f->section(1)->size;
  }
  uint64_t shdr(uint32_t index) const { return shoff_ + uint64_t{index} * 64; }
  std::vector<std::byte> bytes_;
  uint64_t shoff_ = 0, symtab_ = 0, rel_ = 0, strtab_size_ = 0;
};

TEST_F(MalformedElf, TruncatedHeader) {
  bytes_.resize(40);
  expect_parse_error(bytes_, Errc::InvalidInput, "40 bytes, too small for an ELF header", 0);
  expect_parse_error({}, Errc::InvalidInput, "0 bytes", 0);
}

TEST_F(MalformedElf, BadMagic) {
  bytes_[1] = std::byte{'X'};
  expect_parse_error(bytes_, Errc::InvalidInput, "bad magic", 0);
}

TEST_F(MalformedElf, ThirtyTwoBitClassIsNotSupported) {
  bytes_[4] = std::byte{1};  // ELFCLASS32
  expect_parse_error(bytes_, Errc::NotSupported, "32-bit ELF", std::nullopt);
}

TEST_F(MalformedElf, UnknownEncodingAndVersion) {
  auto enc = bytes_;
  enc[5] = std::byte{3};
  expect_parse_error(enc, Errc::InvalidInput, "data encoding", 5);
  auto ver = bytes_;
  ver[6] = std::byte{2};
  expect_parse_error(ver, Errc::InvalidInput, "ELF version", 6);
}

TEST_F(MalformedElf, SectionHeaderTableOutOfBounds) {
  put<uint64_t>(bytes_, 40, bytes_.size() - 10);
  expect_parse_error(bytes_, Errc::InvalidInput, "section header table out of bounds", 40);
  // The first header fits but the other 29 do not.
  put<uint64_t>(bytes_, 40, bytes_.size() - 64);
  expect_parse_error(bytes_, Errc::InvalidInput, "section header table (30 entries) out of bounds",
                     bytes_.size() - 64);
  // An offset near 2^64 must not wrap around.
  put<uint64_t>(bytes_, 40, ~uint64_t{0} - 8);
  expect_parse_error(bytes_, Errc::InvalidInput, "section header table out of bounds", 40);
}

TEST_F(MalformedElf, WrongSectionHeaderSize) {
  put<uint16_t>(bytes_, 58, 40);
  expect_parse_error(bytes_, Errc::InvalidInput, "section header size is 40, expected 64", 58);
}

TEST_F(MalformedElf, SectionCountWithoutTable) {
  put<uint64_t>(bytes_, 40, 0);
  expect_parse_error(bytes_, Errc::InvalidInput, "section count without a section header table", 60);
}

TEST_F(MalformedElf, SectionContentsOutOfBounds) {
  auto past_end = bytes_;
  put<uint64_t>(past_end, shdr(19) + 24, past_end.size());  // .BTF's sh_offset
  expect_parse_error(past_end, Errc::InvalidInput, "section 19 contents", shdr(19) + 24);
  auto huge = bytes_;
  put<uint64_t>(huge, shdr(19) + 32, ~uint64_t{0});  // sh_size: offset + size wraps
  expect_parse_error(huge, Errc::InvalidInput, "section 19 contents", shdr(19) + 24);
  // NOBITS sections have no file contents, so any offset is fine.
  auto bss = bytes_;
  put<uint64_t>(bss, shdr(7) + 24, ~uint64_t{0});
  EXPECT_TRUE(File::parse(bss).has_value());
}

TEST_F(MalformedElf, ShstrndxOutOfRange) {
  put<uint16_t>(bytes_, 62, 200);
  expect_parse_error(bytes_, Errc::InvalidInput, "section name table index 200 out of range (30 sections)", 62);
}

TEST_F(MalformedElf, ShstrndxNotAStringTable) {
  put<uint16_t>(bytes_, 62, 2);  // .text
  expect_parse_error(bytes_, Errc::InvalidInput, "section name table (section 2) is not a string table", 62);
}

TEST_F(MalformedElf, SectionNameOffsetOutOfBounds) {
  put<uint32_t>(bytes_, shdr(5), static_cast<uint32_t>(strtab_size_));  // one past the last name
  expect_parse_error(bytes_, Errc::InvalidInput,
                     "section 5 name offset " + std::to_string(strtab_size_) + " out of bounds or unterminated",
                     shdr(5));
}

TEST(ElfFileTest, SectionNameUnterminated) {
  // The last name in .shstrtab loses its NUL: reading it would run past the
  // table into the section headers.
  BuiltElf elf = build_elf(small_object(false));
  const uint32_t shstrndx = elf.shnum - 1;
  uint64_t size = get<uint64_t>(elf.bytes, elf.shdr(shstrndx) + 32);
  put<uint64_t>(elf.bytes, elf.shdr(shstrndx) + 32, size - 1);
  auto f = File::parse(elf.bytes);
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code(), Errc::InvalidInput);
  EXPECT_TRUE(contains(f.error().message(), "section 6 name offset")) << f.error().message();
  EXPECT_TRUE(contains(f.error().message(), "unterminated")) << f.error().message();
  EXPECT_EQ(f.error().file_offset(), elf.shdr(shstrndx));
}

TEST_F(MalformedElf, SymtabWithBadEntsize) {
  put<uint64_t>(bytes_, shdr(29) + 56, 16);
  expect_parse_error(bytes_, Errc::InvalidInput, "symbol table entry size 16 / size 528 invalid", symtab_);
  auto ragged = read_file(bpf_object("subprogs"));
  put<uint64_t>(ragged, shdr(29) + 32, 0x210 - 4);  // not a whole number of entries
  expect_parse_error(ragged, Errc::InvalidInput, "symbol table entry size 24 / size 524 invalid", symtab_);
}

TEST_F(MalformedElf, SymtabLinkNotAStringTable) {
  put<uint32_t>(bytes_, shdr(29) + 40, 2);
  expect_parse_error(bytes_, Errc::InvalidInput, "symbol table does not link to a string table", symtab_);
  put<uint32_t>(bytes_, shdr(29) + 40, 999);
  expect_parse_error(bytes_, Errc::InvalidInput, "symbol table does not link to a string table", symtab_);
}

TEST_F(MalformedElf, SymbolNameOutOfBounds) {
  put<uint32_t>(bytes_, symtab_ + 3 * 24, 0xffffff);
  expect_parse_error(bytes_, Errc::InvalidInput, "symbol 3 name offset 16777215 out of bounds", symtab_ + 3 * 24);
}

TEST_F(MalformedElf, SymbolSectionIndexOutOfRange) {
  put<uint16_t>(bytes_, symtab_ + 17 * 24 + 6, 500);
  expect_parse_error(bytes_, Errc::InvalidInput, "symbol 17 refers to section 500 of 30", symtab_ + 17 * 24 + 6);
  // Reserved indexes (ABS, COMMON) are not section numbers and stay allowed.
  auto abs = read_file(bpf_object("subprogs"));
  put<uint16_t>(abs, symtab_ + 17 * 24 + 6, kShnCommon);
  auto f = File::parse(abs);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  EXPECT_EQ(f->symbols()[17].section, kShnCommon);
}

TEST_F(MalformedElf, RelocationSymbolIndexOutOfRange) {
  // The file parses (relocations are decoded on demand); decoding fails.
  put<uint32_t>(bytes_, rel_ + 16 + 12, 9999);  // second entry's r_info high half
  auto f = File::parse(bytes_);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  auto r = f->relocations(*f->section(4));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::InvalidInput);
  EXPECT_TRUE(contains(r.error().message(),
                       "relocation 1 in '.reltp/syscalls/sys_enter_getpid' refers to symbol 9999 of 22"))
      << r.error().message();
  EXPECT_EQ(r.error().file_offset(), rel_ + 16 + 8);
}

TEST_F(MalformedElf, RelSizeNotAMultipleOfSixteen) {
  put<uint64_t>(bytes_, shdr(4) + 32, 0x28);
  auto f = File::parse(bytes_);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  auto r = f->relocations(*f->section(4));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::InvalidInput);
  EXPECT_TRUE(contains(r.error().message(), "size 40 is not a multiple of 16")) << r.error().message();
  EXPECT_EQ(r.error().file_offset(), rel_);
}

TEST_F(MalformedElf, RelocationsOfANonRelocationSection) {
  auto f = File::parse(bytes_);
  ASSERT_TRUE(f.has_value());
  auto r = f->relocations(*f->section(2));
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(contains(r.error().message(), "'.text' is not a relocation section")) << r.error().message();
}

TEST_F(MalformedElf, HugeSectionCountOverflow) {
  // Extended numbering lets a file claim 2^32 - 1 sections: the table size
  // (count * 64) must be checked without overflowing or allocating.
  put<uint16_t>(bytes_, 60, 0);
  put<uint64_t>(bytes_, shdr(0) + 32, 0xffffffff);
  expect_parse_error(bytes_, Errc::InvalidInput, "section header table (4294967295 entries) out of bounds",
                     shdr(0));
  put<uint64_t>(bytes_, shdr(0) + 32, uint64_t{1} << 40);
  expect_parse_error(bytes_, Errc::InvalidInput, "section count too large", shdr(0) + 32);
}

TEST(ElfFileTest, TwoSymbolTablesAreNotSupported) {
  auto defs = small_object(false);
  defs.push_back(defs[2]);
  defs.back().name = ".symtab2";
  BuiltElf elf = build_elf(defs);
  auto f = File::parse(elf.bytes);
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code(), Errc::NotSupported);
  EXPECT_TRUE(contains(f.error().message(), "more than one symbol table")) << f.error().message();
}

// ---- Never a crash -------------------------------------------------------------------------------------
// Every single-byte corruption of the headers, and every truncation, either
// parses or fails with a message: no crash, no hang, no other error code.

void parse_anything(const std::vector<std::byte>& bytes) {
  auto f = File::parse(bytes);
  if (!f) {
    EXPECT_TRUE(f.error().code() == Errc::InvalidInput || f.error().code() == Errc::NotSupported)
        << f.error().summary();
    EXPECT_FALSE(f.error().message().empty());
    return;
  }
  for (const Section& s : f->sections()) {
    if (s.type != kShtRel && s.type != kShtRela) continue;
    auto r = f->relocations(s);
    if (r) {
      for (const Relocation& rel : *r) EXPECT_LT(rel.symbol, f->symbols().size());
    }
  }
}

TEST(ElfFileTest, CorruptedHeadersNeverCrash) {
  for (bool be : {false, true}) {
    const auto original = read_file(bpf_object("subprogs", be));
    auto f = File::parse(original);
    ASSERT_TRUE(f.has_value());
    const uint64_t shoff = get<uint64_t>(original, 40, be);
    const uint64_t symtab = f->section(29)->offset, symtab_size = f->section(29)->size;
    std::vector<uint64_t> positions;
    for (uint64_t i = 0; i < 64; ++i) positions.push_back(i);
    for (uint64_t i = shoff; i < original.size(); ++i) positions.push_back(i);
    for (uint64_t i = symtab; i < symtab + symtab_size; ++i) positions.push_back(i);  // the symbol table
    for (uint64_t pos : positions) {
      for (uint8_t value : {uint8_t{0x00}, uint8_t{0xff}, uint8_t{0x7f}}) {
        auto bytes = original;
        bytes[pos] = std::byte{value};
        parse_anything(bytes);
      }
    }
  }
}

TEST(ElfFileTest, TruncationsNeverCrash) {
  const auto original = read_file(bpf_object("globals"));
  for (size_t len = 0; len < original.size(); len += 7) {
    std::vector<std::byte> bytes(original.begin(), original.begin() + static_cast<ptrdiff_t>(len));
    parse_anything(bytes);
  }
}

}  // namespace
}  // namespace bpfxx::elf
