// Tests of linking subprograms into programs, on subprogs.bpf.o: each program
// gets its own copy of every .text function it reaches (transitively, and
// through a bpf_loop callback), placed after its entry function; calls and
// callback addresses are rewritten to the placed copies; func_info has one
// record per placed function at its placement and line_info is rebased.
//
// The layout of .text comes from `llvm-objdump -dr subprogs.bpf.o`:
// global_helper (insns 0-2), middle (3-10), loop_cb (11-17), leaf (18-21).
#include <bpfxx/object_spec.hpp>

#include "elf/elf_file.hpp"
#include "spec_test_util.hpp"

#include <gtest/gtest.h>

namespace bpfxx {
namespace {

using spec_test::open_object;

class Subprogs : public testing::TestWithParam<bool> {
 protected:
  ObjectSpec spec_ = open_object("subprogs", GetParam());
  const ProgramSpec& prog(std::string_view name) { return *spec_.program(name); }
};

TEST_P(Subprogs, PlacementOfProgWithLoop) {
  const ProgramSpec& p = prog("prog_with_loop");
  // Functions are placed in the order their references are met: the entry,
  // then loop_cb (insn 5) and global_helper (insn 11), then middle (called
  // by global_helper), then leaf (called by middle).
  EXPECT_EQ(p.functions, (std::vector<FunctionPlacement>{{"prog_with_loop", 0, 20},
                                                         {"loop_cb", 20, 7},
                                                         {"global_helper", 27, 3},
                                                         {"middle", 30, 8},
                                                         {"leaf", 38, 4}}));
  EXPECT_EQ(p.insn_count(), 42u);
  EXPECT_EQ(p.relocations, (std::vector<InsnRelocation>{{5, RelocKind::Func, "loop_cb", 0},
                                                         {11, RelocKind::Call, "global_helper", 0},
                                                         {15, RelocKind::MapValue, ".bss", 0},
                                                         {27, RelocKind::Call, "middle", 0},
                                                         {31, RelocKind::Call, "leaf", 0},
                                                         {35, RelocKind::Call, "leaf", 0}}));
  // Immediates are relative to the next instruction.
  EXPECT_EQ(p.insns[5].imm, 20 - 5 - 1);
  EXPECT_EQ(p.insns[5].src(), insn::kPseudoFunc);
  EXPECT_EQ(p.insns[11].imm, 27 - 11 - 1);
  EXPECT_EQ(p.insns[27].imm, 30 - 27 - 1);
  EXPECT_EQ(p.insns[31].imm, 38 - 31 - 1);
  EXPECT_EQ(p.insns[35].imm, 38 - 35 - 1);
  EXPECT_TRUE(insn::is_helper_call(p.insns[8]));  // bpf_loop stays a helper call
  EXPECT_EQ(p.insns[8].imm, 181);
}

TEST_P(Subprogs, PlacementOfProgCalls) {
  const ProgramSpec& p = prog("prog_calls");
  EXPECT_EQ(p.functions, (std::vector<FunctionPlacement>{{"prog_calls", 0, 13},
                                                         {"global_helper", 13, 3},
                                                         {"middle", 16, 8},
                                                         {"leaf", 24, 4}}));
  EXPECT_EQ(p.insn_count(), 28u);
  EXPECT_EQ(p.relocations, (std::vector<InsnRelocation>{{1, RelocKind::Call, "global_helper", 0},
                                                         {4, RelocKind::Call, "middle", 0},
                                                         {8, RelocKind::MapValue, ".bss", 0},
                                                         {13, RelocKind::Call, "middle", 0},
                                                         {17, RelocKind::Call, "leaf", 0},
                                                         {21, RelocKind::Call, "leaf", 0}}));
  EXPECT_EQ(p.insns[1].imm, 13 - 1 - 1);
  EXPECT_EQ(p.insns[4].imm, 16 - 4 - 1);  // middle is placed once, shared by both calls
  // loop_cb is not reachable from prog_calls and is not copied in.
  for (const FunctionPlacement& f : p.functions) EXPECT_NE(f.name, "loop_cb");
}

TEST_P(Subprogs, EveryCallLandsOnItsPlacedTarget) {
  for (const ProgramSpec& p : spec_.programs) {
    SCOPED_TRACE(p.name);
    size_t calls = 0;
    for (const InsnRelocation& r : p.relocations) {
      if (r.kind != RelocKind::Call && r.kind != RelocKind::Func) continue;
      ++calls;
      const Insn& in = p.insns[r.insn_index];
      int64_t target = int64_t{r.insn_index} + in.imm + 1;
      auto it = std::find_if(p.functions.begin(), p.functions.end(),
                             [&](const FunctionPlacement& f) { return f.insn_index == target; });
      ASSERT_NE(it, p.functions.end()) << "insn " << r.insn_index;
      EXPECT_EQ(it->name, r.target);
      if (r.kind == RelocKind::Call) {
        EXPECT_TRUE(insn::is_pseudo_call(in));
      } else {
        EXPECT_TRUE(insn::is_ld_imm64(in));
      }
    }
    // Every pseudo call in the linked program is listed.
    size_t pseudo = 0;
    for (size_t i = 0; i < p.insns.size(); ++i) {
      if (insn::is_pseudo_call(p.insns[i]) || (insn::is_ld_imm64(p.insns[i]) && p.insns[i].src() == insn::kPseudoFunc))
        ++pseudo;
      if (insn::is_ld_imm64(p.insns[i])) ++i;
    }
    EXPECT_EQ(pseudo, calls);
    // Placements tile the program with no gaps.
    uint32_t next = 0;
    for (const FunctionPlacement& f : p.functions) {
      EXPECT_EQ(f.insn_index, next) << f.name;
      next += f.insn_count;
    }
    EXPECT_EQ(next, p.insn_count());
    EXPECT_TRUE(insn::is_exit(p.insns.back()));
  }
}

TEST_P(Subprogs, CopiesAreTheTextInstructions) {
  // The placed copies equal .text's instructions except the call immediates
  // the linker rewrote.
  const ProgramSpec& a = prog("prog_with_loop");
  const ProgramSpec& b = prog("prog_calls");
  auto slice = [](const ProgramSpec& p, std::string_view fn) {
    for (const FunctionPlacement& f : p.functions) {
      if (f.name == fn) {
        return std::vector<Insn>(p.insns.begin() + f.insn_index, p.insns.begin() + f.insn_index + f.insn_count);
      }
    }
    return std::vector<Insn>{};
  };
  for (const char* fn : {"global_helper", "middle", "leaf"}) {
    EXPECT_EQ(slice(a, fn), slice(b, fn)) << fn;  // same relative layout in both programs
  }
  EXPECT_EQ(slice(a, "leaf"),
            (std::vector<Insn>{{0xbf, 0x10, 0, 0}, {0x27, 0x00, 0, 3}, {0x07, 0x00, 0, 1}, {0x95, 0, 0, 0}}));
}

TEST_P(Subprogs, FuncInfoAtEveryPlacement) {
  for (const ProgramSpec& p : spec_.programs) {
    SCOPED_TRACE(p.name);
    ASSERT_EQ(p.func_info.size(), p.functions.size());
    for (size_t i = 0; i < p.functions.size(); ++i) {
      EXPECT_EQ(p.func_info[i].insn_index, p.functions[i].insn_index);
      btf::Type f = spec_.btf->type(p.func_info[i].type_id).value();
      EXPECT_EQ(f.kind(), btf::Kind::Func);
      EXPECT_EQ(f.name(), p.functions[i].name);
    }
    EXPECT_EQ(spec_.btf->type(p.func_info[0].type_id)->func_linkage(), btf::FuncLinkage::Global);
  }
  // global_helper is a global function, middle a static one.
  const ProgramSpec& p = prog("prog_calls");
  EXPECT_EQ(spec_.btf->type(p.func_info[1].type_id)->func_linkage(), btf::FuncLinkage::Global);
  EXPECT_EQ(spec_.btf->type(p.func_info[2].type_id)->func_linkage(), btf::FuncLinkage::Static);
}

TEST_P(Subprogs, LineInfoIsRebased) {
  // Count, independently of the linker, the .BTF.ext line records inside
  // each placed function's byte range of its section.
  ObjectSpec& spec = spec_;
  spec_test::ObjectBytes obj("subprogs", GetParam());
  elf::File elf = obj.elf();
  btf::Spec btf = btf::Spec::parse(elf.section_by_name(".BTF")->data).value();
  btf::Ext ext = btf::Ext::parse(elf.section_by_name(".BTF.ext")->data, btf).value();
  for (const ProgramSpec& p : spec.programs) {
    SCOPED_TRACE(p.name);
    size_t expected = 0;
    for (const FunctionPlacement& f : p.functions) {
      const elf::Symbol* sym = nullptr;
      for (const elf::Symbol& s : elf.symbols()) {
        if (s.name == f.name && s.type == elf::kSttFunc) sym = &s;
      }
      ASSERT_NE(sym, nullptr) << f.name;
      const auto* lines = ext.line_infos_for(elf.section(sym->section)->name);
      ASSERT_NE(lines, nullptr);
      size_t in_function = 0;
      for (const btf::LineInfo& li : lines->records) {
        if (li.byte_offset < sym->value || li.byte_offset >= sym->value + sym->size) continue;
        ++in_function;
        // The same record appears at the rebased instruction index.
        uint32_t at = f.insn_index + static_cast<uint32_t>((li.byte_offset - sym->value) / 8);
        EXPECT_TRUE(std::any_of(p.line_info.begin(), p.line_info.end(), [&](const LineInfoRecord& r) {
          return r.insn_index == at && r.line == li.line && r.column == li.column && r.line_off == li.line_off;
        })) << f.name << " insn " << at;
      }
      EXPECT_GT(in_function, 0u) << f.name;
      expected += in_function;
    }
    EXPECT_EQ(p.line_info.size(), expected);
    for (const LineInfoRecord& r : p.line_info) EXPECT_LT(r.insn_index, p.insn_count());
  }
  EXPECT_EQ(prog("prog_with_loop").line_info.size(), 25u);
  EXPECT_EQ(prog("prog_calls").line_info.size(), 19u);
}

INSTANTIATE_TEST_SUITE_P(ByteOrders, Subprogs, testing::Bool(),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

}  // namespace
}  // namespace bpfxx
