// Tests of how programs come out of code sections: names, sections, program
// and attach types, attach targets and instruction counts of multi_prog.bpf.o
// (several programs per section, "?" sections not autoloaded); the
// relocations of every kind (map_fd, map_value with the variable's offset in
// .data/.rodata/.bss/.data.custom/.rodata.str1.1) at the instructions
// `llvm-objdump -dr` shows; and malformed objects that must be refused with
// a message saying what is wrong.
#include <bpfxx/object_spec.hpp>

#include "spec_test_util.hpp"

#include <gtest/gtest.h>

#include <set>

namespace bpfxx {
namespace {

using spec_test::contains;
using spec_test::ObjectBytes;
using spec_test::open_object;

// ---- multi_prog.bpf.o ------------------------------------------------------------------------

struct WantProgram {
  const char* name;
  const char* section;
  ProgType type;
  std::optional<AttachType> attach_type;
  AttachKind attach_kind;
  const char* target;
  uint32_t flags;
  size_t insns;
  bool autoload;
};

const WantProgram kMultiProg[] = {
    {"on_tracepoint", "tracepoint/syscalls/sys_enter_openat", ProgType::Tracepoint, std::nullopt,
     AttachKind::Tracepoint, "syscalls/sys_enter_openat", 0, 7, true},
    {"on_raw_tp", "raw_tp/sys_enter", ProgType::RawTracepoint, std::nullopt, AttachKind::RawTracepoint, "sys_enter",
     0, 7, true},
    {"on_tp_btf", "tp_btf/sched_switch", ProgType::Tracing, AttachType::TraceRawTp, AttachKind::Tracing,
     "sched_switch", kSectionAttachBtf, 10, true},
    {"on_kprobe", "kprobe/do_unlinkat", ProgType::Kprobe, std::nullopt, AttachKind::Kprobe, "do_unlinkat", 0, 7,
     true},
    {"on_kretprobe", "kretprobe/do_unlinkat", ProgType::Kprobe, std::nullopt, AttachKind::Kretprobe, "do_unlinkat",
     0, 7, true},
    {"on_uprobe", "uprobe//proc/self/exe:main", ProgType::Kprobe, std::nullopt, AttachKind::Uprobe,
     "/proc/self/exe:main", 0, 7, true},
    {"on_fentry", "fentry/do_unlinkat", ProgType::Tracing, AttachType::TraceFentry, AttachKind::Tracing,
     "do_unlinkat", kSectionAttachBtf, 10, true},
    {"xdp_pass", "xdp", ProgType::Xdp, AttachType::Xdp, AttachKind::Xdp, "", 0, 2, true},
    {"xdp_drop", "xdp", ProgType::Xdp, AttachType::Xdp, AttachKind::Xdp, "", 0, 2, true},
    {"tc_prog", "tc", ProgType::SchedCls, std::nullopt, AttachKind::Tc, "", 0, 2, true},
    {"cgroup_ingress", "cgroup_skb/ingress", ProgType::CgroupSkb, AttachType::CgroupInetIngress, AttachKind::Cgroup,
     "", 0, 2, true},
    {"socket_prog", "socket", ProgType::SocketFilter, std::nullopt, AttachKind::SocketFilter, "", 0, 2, true},
    {"not_autoloaded", "?tp/syscalls/sys_enter_close", ProgType::Tracepoint, std::nullopt, AttachKind::Tracepoint,
     "syscalls/sys_enter_close", 0, 7, false},
};

class MultiProg : public testing::TestWithParam<bool> {
 protected:
  ObjectSpec spec_ = open_object("multi_prog", GetParam());
};

TEST_P(MultiProg, ProgramsInElfOrder) {
  ASSERT_EQ(spec_.programs.size(), std::size(kMultiProg));
  for (size_t i = 0; i < std::size(kMultiProg); ++i) {
    const WantProgram& w = kMultiProg[i];
    const ProgramSpec& p = spec_.programs[i];
    SCOPED_TRACE(w.name);
    EXPECT_EQ(p.name, w.name);
    EXPECT_EQ(p.section, w.section);
    EXPECT_EQ(p.type, w.type);
    EXPECT_EQ(p.expected_attach_type, w.attach_type);
    EXPECT_EQ(p.attach_kind, w.attach_kind);
    EXPECT_EQ(p.attach_target, w.target);
    EXPECT_EQ(p.section_flags, w.flags);
    EXPECT_EQ(p.insn_count(), w.insns);
    EXPECT_EQ(p.autoload, w.autoload);
    EXPECT_EQ(p.license, "GPL");
    // No subprograms: one function, one func_info at 0, some line_info.
    ASSERT_EQ(p.functions.size(), 1u);
    EXPECT_EQ(p.functions[0], (FunctionPlacement{w.name, 0, static_cast<uint32_t>(w.insns)}));
    ASSERT_EQ(p.func_info.size(), 1u);
    EXPECT_EQ(p.func_info[0].insn_index, 0u);
    EXPECT_EQ(spec_.btf->type(p.func_info[0].type_id)->name(), w.name);
    EXPECT_FALSE(p.line_info.empty());
    EXPECT_TRUE(p.core_relocations.empty());
  }
}

TEST_P(MultiProg, Instructions) {
  // `llvm-objdump -d`: xdp_pass is "r0 = 2; exit", xdp_drop "r0 = 1; exit".
  const Insn exit_insn{insn::kExitCode, 0, 0, 0};
  EXPECT_EQ(spec_.program("xdp_pass")->insns, (std::vector<Insn>{{0xb7, 0x00, 0, 2}, exit_insn}));
  EXPECT_EQ(spec_.program("xdp_drop")->insns, (std::vector<Insn>{{0xb7, 0x00, 0, 1}, exit_insn}));
  EXPECT_EQ(spec_.program("cgroup_ingress")->insns, (std::vector<Insn>{{0xb7, 0x00, 0, 1}, exit_insn}));
  // on_tracepoint: r1 = hits ll; r2 = *(u64 *)(r1 + 0); r2 += 1;
  // *(u64 *)(r1 + 0) = r2; r0 = 0; exit
  const auto& tp = spec_.program("on_tracepoint")->insns;
  ASSERT_EQ(tp.size(), 7u);
  EXPECT_TRUE(insn::is_ld_imm64(tp[0]));
  EXPECT_EQ(tp[0].dst(), 1);
  EXPECT_EQ(tp[2], (Insn{0x79, 0x12, 0, 0}));  // ldxdw r2, [r1 + 0]: dst 2, src 1
  EXPECT_EQ(tp[2].dst(), 2);
  EXPECT_EQ(tp[2].src(), 1);
  EXPECT_EQ(tp[3], (Insn{0x07, 0x02, 0, 1}));
  EXPECT_EQ(tp[4], (Insn{0x7b, 0x21, 0, 0}));  // stxdw [r1 + 0], r2
  EXPECT_TRUE(insn::is_exit(tp[6]));
  // Every global access is a map_value relocation of .bss at offset 0.
  for (const char* name : {"on_tracepoint", "on_raw_tp", "on_kprobe", "on_kretprobe", "on_uprobe", "not_autoloaded"}) {
    EXPECT_EQ(spec_.program(name)->relocations, (std::vector<InsnRelocation>{{0, RelocKind::MapValue, ".bss", 0}}))
        << name;
  }
  EXPECT_EQ(spec_.program("on_fentry")->relocations,
            (std::vector<InsnRelocation>{{3, RelocKind::MapValue, ".bss", 0}}));
  EXPECT_TRUE(spec_.program("socket_prog")->relocations.empty());
}

INSTANTIATE_TEST_SUITE_P(ByteOrders, MultiProg, testing::Bool(),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

// ---- Relocations --------------------------------------------------------------------------------

TEST(ProgramParserTest, GlobalDataRelocations) {
  // `llvm-readelf -r globals.bpf.o`, offsets / 8; symbol value + addend.
  const std::vector<InsnRelocation> want = {
      {0, RelocKind::MapValue, ".rodata", 12},        // ro_mode
      {4, RelocKind::MapValue, ".rodata", 4},         // ro_config
      {8, RelocKind::MapValue, ".data", 0},           // data_counter
      {13, RelocKind::MapValue, ".rodata", 0},        // ro_limit
      {19, RelocKind::MapValue, ".rodata", 4},        // ro_config.port
      {22, RelocKind::MapValue, ".data", 24},         // .data + 24: static data_static
      {29, RelocKind::MapValue, ".data.custom", 4},   // custom_name
      {34, RelocKind::MapValue, ".data.custom", 0},   // custom_value
      {39, RelocKind::MapValue, ".bss", 0},           // .bss + 0: static bss_static
      {47, RelocKind::MapValue, ".data", 4},          // data_array
      {51, RelocKind::MapValue, ".bss", 8},           // bss_total
      {56, RelocKind::MapValue, ".bss", 8},           // bss_total
      {59, RelocKind::MapValue, ".rodata", 16},       // .rodata + 16: bpf_printk's format
      {63, RelocKind::MapValue, ".rodata.str1.1", 0}, // the "literal" string
  };
  for (bool be : {false, true}) {
    ObjectSpec spec = open_object("globals", be);
    const ProgramSpec* p = spec.program("read_globals");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->relocations, want);
    for (const InsnRelocation& r : p->relocations) {
      EXPECT_TRUE(insn::is_ld_imm64(p->insns[r.insn_index])) << r.insn_index;
      ASSERT_NE(spec.map(r.target), nullptr);
      EXPECT_LT(r.offset, spec.map(r.target)->value_size);
    }
  }
}

TEST(ProgramParserTest, MapFdRelocations) {
  // `llvm-readelf -r maps_kinds.bpf.o`: use_maps starts at byte 0x10 of "xdp".
  const std::vector<InsnRelocation> want = {
      {7, RelocKind::MapFd, "array_map", 0},    {18, RelocKind::MapFd, "pinned_hash", 0},
      {23, RelocKind::MapFd, "percpu_array", 0}, {33, RelocKind::MapFd, "percpu_hash", 0},
      {42, RelocKind::MapFd, "lru_hash", 0},    {51, RelocKind::MapFd, "ringbuf", 0},
      {58, RelocKind::MapFd, "perf_events", 0}, {67, RelocKind::MapFd, "outer_array", 0},
      {81, RelocKind::MapFd, "outer_hash", 0},  {94, RelocKind::MapFd, "jump_table", 0},
  };
  ObjectSpec spec = open_object("maps_kinds");
  const ProgramSpec* p = spec.program("use_maps");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->insn_count(), 100u);
  EXPECT_EQ(p->relocations, want);
  EXPECT_EQ(spec.program("tail_target")->insn_count(), 2u);
  EXPECT_TRUE(spec.program("tail_target")->relocations.empty());

  ObjectSpec legacy = open_object("legacy_maps");
  EXPECT_EQ(legacy.program("count_legacy")->relocations,
            (std::vector<InsnRelocation>{{6, RelocKind::MapFd, "legacy_counts", 0},
                                         {15, RelocKind::MapFd, "legacy_hash", 0}}));
}

// ---- Malformed objects ------------------------------------------------------------------------------

Error expect_failure(const ObjectBytes& obj, Errc code, std::string_view message) {
  auto r = obj.parse();
  if (r.has_value()) {
    ADD_FAILURE() << "parsed although: " << message;
    return Error(Errc::Internal, "parsed");
  }
  EXPECT_EQ(r.error().code(), code) << r.error().describe();
  EXPECT_TRUE(contains(r.error().message(), message)) << r.error().describe();
  EXPECT_EQ(r.error().object(), "patched");
  return std::move(r).error();
}

TEST(ProgramParserTest, NonBpfMachine) {
  ObjectBytes obj("globals");
  obj.put<uint16_t>(18, 62);  // EM_X86_64
  Error e = expect_failure(obj, Errc::InvalidInput, "not a BPF object: ELF machine is 62, expected 247 (EM_BPF)");
  EXPECT_EQ(e.op(), "parse object");
}

TEST(ProgramParserTest, ExecutableInsteadOfRelocatable) {
  ObjectBytes obj("globals", true);
  obj.put<uint16_t>(16, 2);  // ET_EXEC, written big-endian
  expect_failure(obj, Errc::InvalidInput, "ELF type 2 is not a relocatable object (ET_REL)");
}

TEST(ProgramParserTest, DataRelocationOfANonLdImm64) {
  // Relocation 0 of read_globals (ro_mode, insn 0) moved to insn 2, a load.
  ObjectBytes obj("globals");
  obj.put<uint64_t>(obj.rel_offset(".reltp/syscalls/sys_enter_getpid", 0), 2 * 8);
  expect_failure(obj, Errc::InvalidInput,
                 "'read_globals' instruction 2: a global variable reference must be a ld_imm64");
}

TEST(ProgramParserTest, MapRelocationOfANonLdImm64) {
  ObjectBytes obj("legacy_maps");
  obj.put<uint64_t>(obj.rel_offset(".reltp/syscalls/sys_enter_getpid", 0), 8 * 8);
  expect_failure(obj, Errc::InvalidInput, "'count_legacy' instruction 8: a map reference must be a ld_imm64");
}

TEST(ProgramParserTest, CodeRelocationOfANeitherCallNorLd) {
  // prog_calls' relocation 1 (the call of middle via .text) moved to insn 0,
  // "r1 = 2".
  ObjectBytes obj("subprogs");
  obj.put<uint64_t>(obj.rel_offset(".reltp/syscalls/sys_enter_getppid", 1), 0);
  expect_failure(obj, Errc::InvalidInput,
                 "'prog_calls' instruction 0: relocation against code that is neither a call nor a ld_imm64");
}

TEST(ProgramParserTest, RelocationOutsideEveryFunction) {
  ObjectBytes obj("subprogs");
  obj.put<uint64_t>(obj.rel_offset(".reltp/syscalls/sys_enter_getppid", 1), 0x1000);
  expect_failure(obj, Errc::InvalidInput,
                 "relocation at offset 4096 of 'tp/syscalls/sys_enter_getppid' is not at an instruction of a function");
  ObjectBytes odd("subprogs");
  odd.put<uint64_t>(odd.rel_offset(".reltp/syscalls/sys_enter_getppid", 1), 0x21);  // not a multiple of 8
  expect_failure(odd, Errc::InvalidInput, "relocation at offset 33");
  // Aligned but past the end, where offset + 8 would wrap to 0: an error,
  // not code left over from a static link.
  ObjectBytes huge("subprogs");
  huge.put<uint64_t>(huge.rel_offset(".reltp/syscalls/sys_enter_getppid", 1), 0xfffffffffffffff8ull);
  expect_failure(huge, Errc::InvalidInput, "is not at an instruction of a function");
}

TEST(ProgramParserTest, UnrelocatedCallOutOfAProgramAloneInItsSection) {
  // prog_calls is the only function of its section. A call with no
  // relocation that leaves it would, once linked, land in whatever
  // subprogram is appended after it: an error, not silently wrong code.
  for (int32_t imm : {200, -50}) {
    ObjectBytes obj("subprogs");
    const size_t at = obj.insn_offset("tp/syscalls/sys_enter_getppid", 0);
    obj.put<uint8_t>(at, 0x85);      // BPF_JMP | BPF_CALL
    obj.put<uint8_t>(at + 1, 0x10);  // src = BPF_PSEUDO_CALL, dst = 0
    obj.put<int16_t>(at + 2, 0);
    obj.put<int32_t>(at + 4, imm);
    expect_failure(obj, Errc::InvalidInput, "'prog_calls' instruction 0: call target");
  }
}

TEST(ProgramParserTest, OffsetofAndContainerOfAreRelocated) {
  // headers_compat's from_member uses container_of(p, struct
  // task_struct___compat, tgid) and offsetof(.., real_parent): with bpfxx's
  // offsetof both are field offsets relocated against the kernel (as with
  // libbpf's headers), not constants of the build machine's layout.
  ObjectSpec spec = open_object("headers_compat");
  const ProgramSpec* p = spec.program("from_member");
  ASSERT_NE(p, nullptr);
  std::set<std::string> accesses;
  for (const CoreRelocation& r : p->core_relocations) {
    if (r.kind != btf::CoreReloKind::FieldByteOffset) continue;
    if (spec.btf->type(r.type_id).value().name() != "task_struct___compat") continue;
    accesses.insert(std::string(spec.btf->string_at(r.access_str_off).value()));
  }
  EXPECT_EQ(accesses, (std::set<std::string>{"0:1", "0:2"}));
}

TEST(ProgramParserTest, HiddenGlobalFunctionsBecomeStaticInBtf) {
  // hidden_func.bpf.c's set_to is __hidden: the linker keeps it private to
  // the object, and its BTF FUNC must say static to the kernel, in both
  // byte orders; the entry point stays global.
  for (bool be : {false, true}) {
    SCOPED_TRACE(be ? "bpfeb" : "bpfel");
    ObjectSpec spec = open_object("hidden_func", be);
    ASSERT_TRUE(spec.btf);
    auto set_to = spec.btf->find("set_to", btf::Kind::Func);
    ASSERT_TRUE(set_to);
    EXPECT_EQ(spec.btf->type(*set_to)->func_linkage(), btf::FuncLinkage::Static);
    auto entry = spec.btf->find("call_hidden", btf::Kind::Func);
    ASSERT_TRUE(entry);
    EXPECT_EQ(spec.btf->type(*entry)->func_linkage(), btf::FuncLinkage::Global);
  }
}

TEST(ProgramParserTest, ExternWithoutKconfigOrKsymIsRefusedByName) {
  for (bool be : {false, true}) {
    SCOPED_TRACE(be ? "bpfeb" : "bpfel");
    auto spec = ObjectSpec::open(bpfxx::test::bpf_object("externs_bare", be));
    ASSERT_FALSE(spec);
    EXPECT_EQ(spec.error().code(), Errc::InvalidInput);
    EXPECT_NE(spec.error().message().find("extern 'LINUX_KERNEL_VERSION' is neither __kconfig nor __ksym"),
              std::string::npos)
        << spec.error().describe();
    EXPECT_NE(spec.error().hint().find("__kconfig"), std::string::npos);
  }
}

TEST(ProgramParserTest, RelocationInCodeNoFunctionCoversIsSkippedWithANote) {
  // As after a static link that kept two __weak definitions: the losing
  // body stays in .text without a function symbol, relocations and all.
  for (bool be : {false, true}) {
    SCOPED_TRACE(be ? "bpfeb" : "bpfel");
    ObjectSpec intact = open_object("orphan_code", be);
    EXPECT_TRUE(intact.notes.empty());
    ObjectBytes obj("orphan_code", be);
    obj.put<uint8_t>(obj.symbol_offset("helper_reads_counter") + 4, 0x10);  // STB_GLOBAL, STT_NOTYPE
    auto spec = obj.parse();
    ASSERT_TRUE(spec) << spec.error().describe();
    ASSERT_EQ(spec->notes.size(), 1u);
    EXPECT_TRUE(contains(spec->notes[0], "section '.text': 1 relocation in code no function symbol covers"))
        << spec->notes[0];
    // The program is untouched.
    const ProgramSpec* p = spec->program("entry");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->insns, intact.program("entry")->insns);
    EXPECT_EQ(p->relocations, intact.program("entry")->relocations);
    EXPECT_TRUE(contains(spec->dump(), "note: section '.text'"));
  }
}

TEST(ProgramParserTest, DataReferencePastTheSectionEnd) {
  // Insn 22 is "r4 = 24 ll" against .data's section symbol: the offset is
  // in the immediate.
  ObjectBytes obj("globals");
  obj.put<int32_t>(obj.insn_offset("tp/syscalls/sys_enter_getpid", 22) + 4, 1000);
  expect_failure(obj, Errc::InvalidInput, "'read_globals' instruction 22: offset 1000 is outside '.data' (32 bytes)");
  ObjectBytes neg("globals");
  neg.put<int32_t>(neg.insn_offset("tp/syscalls/sys_enter_getpid", 22) + 4, -8);
  expect_failure(neg, Errc::InvalidInput, "offset -8 is outside '.data'");
}

TEST(ProgramParserTest, CallIntoTheMiddleOfAFunction) {
  // .text insn 0 is global_helper's "call 2" (to middle at insn 3); 3 lands
  // on middle's second instruction.
  ObjectBytes obj("subprogs");
  obj.put<int32_t>(obj.insn_offset(".text", 0) + 4, 3);
  expect_failure(obj, Errc::InvalidInput, "'global_helper' instruction 0: call target is not the start of a function");
  // The same through a relocation: prog_calls insn 4 calls .text + (2 + 1) * 8.
  ObjectBytes rel("subprogs", true);
  rel.put<int32_t>(rel.insn_offset("tp/syscalls/sys_enter_getppid", 4) + 4, 4);
  expect_failure(rel, Errc::InvalidInput, "'prog_calls' instruction 4: call target is not the start of a function");
  // And a callback address: prog_with_loop insn 5 is "r2 = 88 ll" (loop_cb).
  ObjectBytes cb("subprogs");
  cb.put<int32_t>(cb.insn_offset("tp/syscalls/sys_enter_getpid", 5) + 4, 96);
  expect_failure(cb, Errc::InvalidInput, "'prog_with_loop' instruction 5: callback target is not the start");
}

TEST(ProgramParserTest, FunctionSymbolOutsideItsSection) {
  ObjectBytes obj("multi_prog");
  obj.put<uint64_t>(obj.symbol_offset("xdp_drop") + 16, 64);  // st_size past the section
  expect_failure(obj, Errc::InvalidInput, "function 'xdp_drop' [16, +64) is misaligned, empty, overlapping or outside");
}

TEST(ProgramParserTest, VersionSectionMustHoldOneWord) {
  // Renaming "license" to "version" makes a 4-byte "GPL\0" section the
  // kernel version: that parses; resizing it does not.
  ObjectBytes obj("legacy_maps");
  const elf::File f = obj.elf();
  const elf::Section* lic = f.section_by_name("license");
  ASSERT_NE(lic, nullptr);
  uint64_t shstr = f.sections()[obj.get<uint16_t>(62)].offset;
  uint64_t name_at = shstr + obj.get<uint32_t>(obj.get<uint64_t>(40) + uint64_t{lic->index} * 64);
  std::memcpy(obj.bytes().data() + name_at, "version", 7);
  auto ok = obj.parse();
  ASSERT_TRUE(ok.has_value()) << ok.error().describe();
  EXPECT_EQ(ok->license, "");
  EXPECT_EQ(ok->kernel_version, obj.get<uint32_t>(lic->offset));
  obj.put<uint64_t>(obj.get<uint64_t>(40) + uint64_t{lic->index} * 64 + 32, 3);
  expect_failure(obj, Errc::InvalidInput, "section 'version' must hold one 32-bit value");
}

}  // namespace
}  // namespace bpfxx
