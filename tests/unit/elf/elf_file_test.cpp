// Tests of elf::File on real objects.
//
// subprogs.bpf.o is checked section by section, symbol by symbol and
// relocation by relocation against what llvm-readelf (LLVM 14) reports for
// the same file; its big-endian twin must read the same. The expected tables
// were taken from `llvm-readelf -S -s -r` once; the test does not run the
// tool. The other test objects must agree across byte orders, and objects
// written by the builder in elf_test_util.hpp exercise what clang never
// emits (RELA, extended numbering, SHN_XINDEX).
#include "elf/elf_file.hpp"

#include "elf_test_util.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::elf {
namespace {

using namespace test_util;  // NOLINT(google-build-using-namespace): test helpers
using test::bpf_object;
using test::read_file;

// ---- A real object against llvm-readelf ----------------------------------------------------

struct ExpectedSection {
  uint32_t index;
  const char* name;
  uint32_t type;
  uint64_t flags, offset, size;
  uint32_t link, info;
  uint64_t addralign, entsize;
};

// `llvm-readelf -S subprogs.bpf.o`: identical for the .bpfeb.o twin. The
// debug info names the build directory and the source path, so the sizes of
// .debug_str, .debug_line, .rel.debug_line, .debug_line_str and .BTF, and the
// offsets of everything laid out after .debug_str starts, depend on where
// the tree is built: those are kAny and checked for consistency instead.
constexpr uint64_t kAny = ~uint64_t{0};
const ExpectedSection kSubprogsSections[] = {
    {0, "", kShtNull, 0x0, 0x000000, 0x000000, 0, 0, 0, 0x00},
    {1, ".strtab", kShtStrtab, 0x0, kAny, 0x000186, 0, 0, 1, 0x00},
    {2, ".text", kShtProgbits, 0x6, 0x000040, 0x0000b0, 0, 0, 8, 0x00},
    {3, "tp/syscalls/sys_enter_getpid", kShtProgbits, 0x6, 0x0000f0, 0x0000a0, 0, 0, 8, 0x00},
    {4, ".reltp/syscalls/sys_enter_getpid", kShtRel, 0x40, kAny, 0x000030, 29, 3, 8, 0x10},
    {5, "tp/syscalls/sys_enter_getppid", kShtProgbits, 0x6, 0x000190, 0x000068, 0, 0, 8, 0x00},
    {6, ".reltp/syscalls/sys_enter_getppid", kShtRel, 0x40, kAny, 0x000030, 29, 5, 8, 0x10},
    {7, ".bss", kShtNobits, 0x3, 0x0001f8, 0x000008, 0, 0, 8, 0x00},
    {8, "license", kShtProgbits, 0x3, 0x0001f8, 0x000004, 0, 0, 1, 0x00},
    {9, ".debug_loclists", kShtProgbits, 0x0, 0x0001fc, 0x000048, 0, 0, 1, 0x00},
    {10, ".debug_abbrev", kShtProgbits, 0x0, 0x000244, 0x000120, 0, 0, 1, 0x00},
    {11, ".debug_info", kShtProgbits, 0x0, 0x000364, 0x000193, 0, 0, 1, 0x00},
    {12, ".rel.debug_info", kShtRel, 0x40, kAny, 0x000060, 29, 11, 8, 0x10},
    {13, ".debug_rnglists", kShtProgbits, 0x0, 0x0004f7, 0x000026, 0, 0, 1, 0x00},
    {14, ".debug_str_offsets", kShtProgbits, 0x0, 0x00051d, 0x000074, 0, 0, 1, 0x00},
    {15, ".rel.debug_str_offsets", kShtRel, 0x40, kAny, 0x0001b0, 29, 14, 8, 0x10},
    {16, ".debug_str", kShtProgbits, 0x30, 0x000591, kAny, 0, 0, 1, 0x01},
    {17, ".debug_addr", kShtProgbits, 0x0, kAny, 0x000078, 0, 0, 1, 0x00},
    {18, ".rel.debug_addr", kShtRel, 0x40, kAny, 0x0000e0, 29, 17, 8, 0x10},
    {19, ".BTF", kShtProgbits, 0x0, kAny, kAny, 0, 0, 4, 0x00},
    {20, ".rel.BTF", kShtRel, 0x40, kAny, 0x000020, 29, 19, 8, 0x10},
    {21, ".BTF.ext", kShtProgbits, 0x0, kAny, 0x000278, 0, 0, 4, 0x00},
    {22, ".rel.BTF.ext", kShtRel, 0x40, kAny, 0x000250, 29, 21, 8, 0x10},
    {23, ".debug_frame", kShtProgbits, 0x0, kAny, 0x0000a0, 0, 0, 8, 0x00},
    {24, ".rel.debug_frame", kShtRel, 0x40, kAny, 0x0000c0, 29, 23, 8, 0x10},
    {25, ".debug_line", kShtProgbits, 0x0, kAny, kAny, 0, 0, 1, 0x00},
    {26, ".rel.debug_line", kShtRel, 0x40, kAny, kAny, 29, 25, 8, 0x10},
    {27, ".debug_line_str", kShtProgbits, 0x30, kAny, kAny, 0, 0, 1, 0x01},
    {28, ".llvm_addrsig", 0x6fff4c03, 0x80000000, kAny, 0x000004, 29, 0, 1, 0x00},
    {29, ".symtab", kShtSymtab, 0x0, kAny, 0x000210, 1, 17, 8, 0x18},
};

struct ExpectedSymbol {
  uint32_t index;
  const char* name;  // readelf prints a section symbol's section name; the file has ""
  uint8_t bind, type;
  uint32_t section;
  uint64_t value, size;
};

// `llvm-readelf -s subprogs.bpf.o`.
const ExpectedSymbol kSubprogsSymbols[] = {
    {0, "", kStbLocal, kSttNotype, kShnUndef, 0x0, 0},
    {1, "subprogs.bpf.c", kStbLocal, kSttFile, kShnAbs, 0x0, 0},
    {2, ".text", kStbLocal, kSttSection, 2, 0x0, 0},
    {3, "middle", kStbLocal, kSttFunc, 2, 0x18, 64},
    {4, "leaf", kStbLocal, kSttFunc, 2, 0x90, 32},
    {5, "tp/syscalls/sys_enter_getpid", kStbLocal, kSttSection, 3, 0x0, 0},
    {6, "loop_cb", kStbLocal, kSttFunc, 2, 0x58, 56},
    {7, "tp/syscalls/sys_enter_getppid", kStbLocal, kSttSection, 5, 0x0, 0},
    {8, ".debug_loclists", kStbLocal, kSttSection, 9, 0x0, 0},
    {9, ".debug_abbrev", kStbLocal, kSttSection, 10, 0x0, 0},
    {10, ".debug_rnglists", kStbLocal, kSttSection, 13, 0x0, 0},
    {11, ".debug_str_offsets", kStbLocal, kSttSection, 14, 0x0, 0},
    {12, ".debug_str", kStbLocal, kSttSection, 16, 0x0, 0},
    {13, ".debug_addr", kStbLocal, kSttSection, 17, 0x0, 0},
    {14, ".debug_frame", kStbLocal, kSttSection, 23, 0x0, 0},
    {15, ".debug_line", kStbLocal, kSttSection, 25, 0x0, 0},
    {16, ".debug_line_str", kStbLocal, kSttSection, 27, 0x0, 0},
    {17, "global_helper", kStbGlobal, kSttFunc, 2, 0x0, 24},
    {18, "prog_with_loop", kStbGlobal, kSttFunc, 3, 0x0, 160},
    {19, "result", kStbGlobal, kSttObject, 7, 0x0, 8},
    {20, "prog_calls", kStbGlobal, kSttFunc, 5, 0x0, 104},
    {21, "LICENSE", kStbGlobal, kSttObject, 8, 0x0, 4},
};

class SubprogsObject : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    bytes_ = read_file(bpf_object("subprogs", GetParam()));
    ASSERT_FALSE(bytes_.empty());
    auto f = File::parse(bytes_);
    ASSERT_TRUE(f.has_value()) << f.error().summary();
    file_ = std::move(*f);
  }
  std::vector<std::byte> bytes_;
  File file_;
};

TEST_P(SubprogsObject, HeaderMatchesReadelf) {
  EXPECT_EQ(file_.big_endian(), GetParam());
  EXPECT_EQ(file_.type(), 1);  // REL
  EXPECT_EQ(file_.machine(), kMachineBpf);
  EXPECT_EQ(file_.flags(), 0u);
  EXPECT_EQ(file_.bytes().data(), bytes_.data());  // parsed in place
  EXPECT_TRUE(file_.has_symtab());
}

TEST_P(SubprogsObject, SectionsMatchReadelf) {
  ASSERT_EQ(file_.sections().size(), std::size(kSubprogsSections));
  for (const ExpectedSection& e : kSubprogsSections) {
    SCOPED_TRACE(e.name);
    const Section* s = file_.section(e.index);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->index, e.index);
    EXPECT_EQ(s->name, e.name);
    EXPECT_EQ(s->type, e.type);
    EXPECT_EQ(s->flags, e.flags);
    if (e.offset != kAny) {
      EXPECT_EQ(s->offset, e.offset);
    }
    if (e.size != kAny) {
      EXPECT_EQ(s->size, e.size);
    }
    EXPECT_EQ(s->link, e.link);
    EXPECT_EQ(s->info, e.info);
    EXPECT_EQ(s->addralign, e.addralign);
    EXPECT_EQ(s->entsize, e.entsize);
    if (e.type == kShtNobits || e.type == kShtNull) {
      EXPECT_TRUE(s->data.empty());
    } else {
      // Contents are views into the file bytes, not copies.
      EXPECT_EQ(s->data.data(), bytes_.data() + s->offset);
      EXPECT_EQ(s->data.size(), s->size);
      EXPECT_LE(s->offset + s->size, bytes_.size());
      if (s->addralign > 1) {
        EXPECT_EQ(s->offset % s->addralign, 0u);
      }
    }
  }
  EXPECT_EQ(file_.section(30), nullptr);
  EXPECT_TRUE(file_.section(2)->is_exec());
  EXPECT_TRUE(file_.section(7)->is_writable());
  EXPECT_TRUE(file_.section(8)->is_alloc());
  EXPECT_FALSE(file_.section(19)->is_alloc());
  ASSERT_NE(file_.section_by_name(".BTF"), nullptr);
  EXPECT_EQ(file_.section_by_name(".BTF")->index, 19u);
  EXPECT_EQ(file_.section_by_name(".BTF.ext")->index, 21u);
  EXPECT_EQ(file_.section_by_name(".nope"), nullptr);
  EXPECT_EQ(file_.section_by_name(""), nullptr);  // the null section has no name to find
}

TEST_P(SubprogsObject, SymbolsMatchReadelf) {
  ASSERT_EQ(file_.symbols().size(), std::size(kSubprogsSymbols));
  for (const ExpectedSymbol& e : kSubprogsSymbols) {
    SCOPED_TRACE(e.name);
    const Symbol& s = file_.symbols()[e.index];
    EXPECT_EQ(s.index, e.index);
    if (e.type == kSttSection) {
      EXPECT_EQ(s.name, "");
      EXPECT_EQ(file_.section(s.section)->name, e.name);
    } else {
      EXPECT_EQ(s.name, e.name);
    }
    EXPECT_EQ(s.bind, e.bind);
    EXPECT_EQ(s.type, e.type);
    EXPECT_EQ(s.visibility, kStvDefault);
    EXPECT_EQ(s.section, e.section);
    EXPECT_EQ(s.value, e.value);
    EXPECT_EQ(s.size, e.size);
  }
}

TEST_P(SubprogsObject, RelocationsMatchReadelf) {
  // `llvm-readelf -r`: R_BPF_64_64 = 1, R_BPF_64_32 = 10.
  struct Expected {
    uint64_t offset;
    uint32_t symbol, type;
  };
  const Expected getpid[] = {{0x28, 2, 1}, {0x58, 17, 10}, {0x78, 19, 1}};
  const Expected getppid[] = {{0x08, 17, 10}, {0x20, 2, 10}, {0x40, 19, 1}};
  auto check = [&](uint32_t section, std::span<const Expected> want) {
    auto r = file_.relocations(*file_.section(section));
    ASSERT_TRUE(r.has_value()) << r.error().summary();
    ASSERT_EQ(r->size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ((*r)[i].offset, want[i].offset);
      EXPECT_EQ((*r)[i].symbol, want[i].symbol);
      EXPECT_EQ((*r)[i].type, want[i].type);
      EXPECT_EQ((*r)[i].addend, 0);
    }
  };
  check(4, getpid);
  check(6, getppid);
  // .rel.BTF.ext: 37 entries, all R_BPF_64_NODYLD32 (4).
  auto ext = file_.relocations(*file_.section(22));
  ASSERT_TRUE(ext.has_value());
  EXPECT_EQ(ext->size(), 37u);
  for (const Relocation& r : *ext) EXPECT_EQ(r.type, 4u);
  EXPECT_EQ(ext->front().offset, 0x2cu);
  EXPECT_EQ(ext->back().offset, 0x268u);
  EXPECT_EQ(ext->back().symbol, 7u);
}

TEST_P(SubprogsObject, ReaderSwapsSectionContents) {
  // license holds "GPL\0" either way; .text's first instruction is the call
  // at global_helper (code 0x85, imm 2), whose imm is stored in file order.
  const Section* text = file_.section(2);
  detail::ByteReader r = file_.reader_for(*text);
  EXPECT_EQ(r.read<uint8_t>(0), 0x85);
  EXPECT_EQ(r.read<int32_t>(4), 2);
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(file_.section(8)->data.data()), 3), "GPL");
}

INSTANTIATE_TEST_SUITE_P(ByteOrders, SubprogsObject, testing::Bool(),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

// ---- Other test objects -----------------------------------------------------------------------
// Every object the tests build parses in both byte orders with the same
// section names, sizes, symbols and relocation targets.

TEST(ElfFileTest, BothByteOrdersAgreeForEveryObject) {
  for (const char* name : {"globals", "maps_kinds", "subprogs", "multi_prog", "legacy_maps"}) {
    SCOPED_TRACE(name);
    auto le_bytes = read_file(bpf_object(name, false));
    auto be_bytes = read_file(bpf_object(name, true));
    auto le = File::parse(le_bytes);
    auto be = File::parse(be_bytes);
    ASSERT_TRUE(le.has_value()) << le.error().summary();
    ASSERT_TRUE(be.has_value()) << be.error().summary();
    EXPECT_FALSE(le->big_endian());
    EXPECT_TRUE(be->big_endian());
    ASSERT_EQ(le->sections().size(), be->sections().size());
    for (size_t i = 0; i < le->sections().size(); ++i) {
      const Section& a = le->sections()[i];
      const Section& b = be->sections()[i];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.type, b.type);
      EXPECT_EQ(a.flags, b.flags);
      EXPECT_EQ(a.size, b.size);
      if (a.type == kShtRel) {
        auto ra = le->relocations(a);
        auto rb = be->relocations(b);
        ASSERT_TRUE(ra.has_value() && rb.has_value());
        ASSERT_EQ(ra->size(), rb->size());
        for (size_t k = 0; k < ra->size(); ++k) {
          EXPECT_EQ((*ra)[k].offset, (*rb)[k].offset);
          EXPECT_EQ((*ra)[k].symbol, (*rb)[k].symbol);
          EXPECT_EQ((*ra)[k].type, (*rb)[k].type);
        }
      }
    }
    ASSERT_EQ(le->symbols().size(), be->symbols().size());
    for (size_t i = 0; i < le->symbols().size(); ++i) {
      EXPECT_EQ(le->symbols()[i].name, be->symbols()[i].name);
      EXPECT_EQ(le->symbols()[i].value, be->symbols()[i].value);
      EXPECT_EQ(le->symbols()[i].size, be->symbols()[i].size);
      EXPECT_EQ(le->symbols()[i].section, be->symbols()[i].section);
    }
  }
}

TEST(ElfFileTest, GlobalsDataSections) {
  // From `llvm-readelf -S -s globals.bpf.o`.
  auto bytes = read_file(bpf_object("globals"));
  auto f = File::parse(bytes);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  struct {
    const char* name;
    uint32_t type;
    uint64_t flags, size;
  } want[] = {
      {".data", kShtProgbits, kShfWrite | kShfAlloc, 0x20},
      {".rodata", kShtProgbits, kShfAlloc, 0x1b},
      {".data.custom", kShtProgbits, kShfWrite | kShfAlloc, 0xc},
      {".rodata.str1.1", kShtProgbits, kShfAlloc | 0x10 | 0x20, 0x8},  // SHF_MERGE | SHF_STRINGS
      {".bss", kShtNobits, kShfWrite | kShfAlloc, 0x18},
      {"license", kShtProgbits, kShfWrite | kShfAlloc, 0x4},
  };
  for (const auto& w : want) {
    const Section* s = f->section_by_name(w.name);
    ASSERT_NE(s, nullptr) << w.name;
    EXPECT_EQ(s->type, w.type) << w.name;
    EXPECT_EQ(s->flags, w.flags) << w.name;
    EXPECT_EQ(s->size, w.size) << w.name;
  }
  EXPECT_TRUE(f->section_by_name(".bss")->data.empty());
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(f->section_by_name(".rodata.str1.1")->data.data())),
            "literal");
  // Symbols of .data.custom (section 7): custom_value at 0, custom_name at 4.
  int found = 0;
  for (const Symbol& s : f->symbols()) {
    if (s.name == "custom_value") {
      EXPECT_EQ(s.section, 7u);
      EXPECT_EQ(s.value, 0u);
      EXPECT_EQ(s.size, 4u);
      ++found;
    } else if (s.name == "bss_static") {
      EXPECT_EQ(s.bind, kStbLocal);
      EXPECT_EQ(s.section, 9u);
      ++found;
    } else if (s.name == "custom_name") {
      EXPECT_EQ(s.value, 4u);
      EXPECT_EQ(s.size, 8u);
      ++found;
    }
  }
  EXPECT_EQ(found, 3);
}

// ---- The builder's objects -----------------------------------------------------------------------

TEST(ElfFileTest, BuiltObjectParsesInBothByteOrders) {
  for (bool be : {false, true}) {
    SCOPED_TRACE(be ? "big-endian" : "little-endian");
    BuiltElf elf = build_elf(small_object(be), be);
    auto f = File::parse(elf.bytes);
    ASSERT_TRUE(f.has_value()) << f.error().summary();
    EXPECT_EQ(f->big_endian(), be);
    ASSERT_EQ(f->sections().size(), 7u);
    EXPECT_EQ(f->section(6)->name, ".shstrtab");
    EXPECT_EQ(f->section(5)->name, ".bss");
    EXPECT_EQ(f->section(5)->size, 32u);
    EXPECT_TRUE(f->section(5)->data.empty());
    ASSERT_EQ(f->symbols().size(), 4u);
    EXPECT_EQ(f->symbols()[2].name, "main");
    EXPECT_EQ(f->symbols()[2].bind, kStbGlobal);
    EXPECT_EQ(f->symbols()[2].type, kSttFunc);
    EXPECT_EQ(f->symbols()[2].visibility, kStvHidden);
    EXPECT_EQ(f->symbols()[2].size, 16u);
    EXPECT_EQ(f->symbols()[3].name, "data");
    EXPECT_EQ(f->symbols()[3].section, 5u);
    EXPECT_EQ(f->symbols()[3].value, 4u);
    auto rel = f->relocations(*f->section(4));
    ASSERT_TRUE(rel.has_value()) << rel.error().summary();
    ASSERT_EQ(rel->size(), 1u);
    EXPECT_EQ((*rel)[0].offset, 8u);
    EXPECT_EQ((*rel)[0].symbol, 2u);
    EXPECT_EQ((*rel)[0].type, 10u);
  }
}

TEST(ElfFileTest, RelaCarriesAddends) {
  auto defs = small_object(false);
  Writer w;
  w.add(uint64_t{8});
  w.add((uint64_t{3} << 32) | 1);
  w.add(int64_t{-16});
  defs[3] = {".rela.text", kShtRela, 0, w.out, 3, 1, 24};
  BuiltElf elf = build_elf(defs);
  auto f = File::parse(elf.bytes);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  auto rel = f->relocations(*f->section(4));
  ASSERT_TRUE(rel.has_value()) << rel.error().summary();
  ASSERT_EQ(rel->size(), 1u);
  EXPECT_EQ((*rel)[0].symbol, 3u);
  EXPECT_EQ((*rel)[0].addend, -16);
}

TEST(ElfFileTest, NoSectionHeaderTable) {
  BuiltElf elf = build_elf({});
  put<uint64_t>(elf.bytes, 40, 0);  // e_shoff
  put<uint16_t>(elf.bytes, 60, 0);  // e_shnum
  auto f = File::parse(elf.bytes);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  EXPECT_TRUE(f->sections().empty());
  EXPECT_TRUE(f->symbols().empty());
  EXPECT_FALSE(f->has_symtab());
}

TEST(ElfFileTest, ExtendedSectionNumbering) {
  // e_shnum = 0 and e_shstrndx = SHN_XINDEX: the real values sit in section
  // 0's sh_size and sh_link.
  BuiltElf elf = build_elf(small_object(false));
  put<uint16_t>(elf.bytes, 60, 0);
  put<uint16_t>(elf.bytes, 62, kShnXindex);
  put<uint64_t>(elf.bytes, elf.shdr(0) + 32, elf.shnum);
  put<uint32_t>(elf.bytes, elf.shdr(0) + 40, elf.shnum - 1);
  auto f = File::parse(elf.bytes);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  EXPECT_EQ(f->sections().size(), 7u);
  EXPECT_EQ(f->section(0)->size, 0u);
  EXPECT_EQ(f->section(1)->name, ".text");
}

TEST(ElfFileTest, ExtendedSymbolSectionIndex) {
  // A symbol with st_shndx = SHN_XINDEX takes its section from SYMTAB_SHNDX.
  auto defs = small_object(false);
  std::vector<SymDef> syms = {{}, {0, kStbLocal, kSttSection, 1}, {1, kStbGlobal, kSttFunc, kShnXindex, 0, 16},
                              {6, kStbGlobal, kSttObject, 5, 4, 8}};
  defs[2].data = symtab_bytes(syms);
  Writer x;
  for (uint32_t v : {0u, 0u, 1u, 0u}) x.add(v);
  defs.push_back({".symtab_shndx", kShtSymtabShndx, 0, x.out, 3, 0, 4});
  BuiltElf elf = build_elf(defs);
  auto f = File::parse(elf.bytes);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  EXPECT_EQ(f->symbols()[2].section, 1u);

  // Without the table the same symbol is an error.
  defs.pop_back();
  BuiltElf bad = build_elf(defs);
  auto g = File::parse(bad.bytes);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code(), Errc::InvalidInput);
  EXPECT_TRUE(contains(g.error().message(), "SHN_XINDEX without a table")) << g.error().message();
  EXPECT_EQ(g.error().file_offset(), bad.data_offset[3] + 2 * 24);
}

}  // namespace
}  // namespace bpfxx::elf
