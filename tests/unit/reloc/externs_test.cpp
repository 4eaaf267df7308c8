// Externs without a kernel: how the object model sees them, the .kconfig
// map's bytes for every value type and every bad value, the instruction
// patches for ksyms and kfuncs, and the BTF the kernel will be given.
#include <bpfxx/object_spec.hpp>

#include "reloc/externs.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace bpfxx::reloc {
namespace {

ObjectSpec externs_object() {
  auto spec = ObjectSpec::open(test::bpf_object("externs"));
  EXPECT_TRUE(spec) << spec.error().describe();
  return spec ? std::move(*spec) : ObjectSpec{};
}

const ExternSpec* find_extern(const ObjectSpec& spec, std::string_view name) {
  for (const ExternSpec& e : spec.externs) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

KconfigValues good_values() {
  return {{"LINUX_KERNEL_VERSION", "397868"}, {"CONFIG_BPF_JIT", "y"}, {"CONFIG_BPF_SYSCALL", "m"},
          {"CONFIG_HZ", "250"}, {"CONFIG_NR_CPUS", "0x100"}, {"CONFIG_DEFAULT_HOSTNAME", "\"(none)\""}};
}

template <typename T>
T at(const std::vector<std::byte>& bytes, uint32_t offset) {
  T v{};
  std::memcpy(&v, bytes.data() + offset, sizeof(T));
  return v;
}

TEST(Externs, ParsedWithKindsTypesAndLayout) {
  ObjectSpec spec = externs_object();
  ASSERT_EQ(spec.externs.size(), 10u);
  const ExternSpec* jit = find_extern(spec, "CONFIG_BPF_JIT");
  ASSERT_NE(jit, nullptr);
  EXPECT_EQ(jit->kind, ExternKind::Kconfig);
  EXPECT_EQ(jit->kconfig_type, KconfigType::Bool);
  EXPECT_EQ(jit->size, 1u);
  const ExternSpec* tri = find_extern(spec, "CONFIG_BPF_SYSCALL");
  EXPECT_EQ(tri->kconfig_type, KconfigType::Tristate);
  const ExternSpec* host = find_extern(spec, "CONFIG_DEFAULT_HOSTNAME");
  EXPECT_EQ(host->kconfig_type, KconfigType::CharArray);
  EXPECT_EQ(host->size, 16u);
  const ExternSpec* hz = find_extern(spec, "CONFIG_HZ");
  EXPECT_EQ(hz->kconfig_type, KconfigType::Int);
  EXPECT_TRUE(hz->is_signed);
  EXPECT_TRUE(find_extern(spec, "CONFIG_BPFXX_DOES_NOT_EXIST")->is_weak);
  EXPECT_FALSE(hz->is_weak);
  const ExternSpec* stext = find_extern(spec, "_stext");
  EXPECT_EQ(stext->kind, ExternKind::Ksym);
  EXPECT_EQ(stext->type, 0u);  // typeless
  EXPECT_EQ(find_extern(spec, "bpf_task_acquire")->kind, ExternKind::Kfunc);

  // The .kconfig map: read-only, every value inside it, aligned, no overlap.
  const MapSpec* kconfig = spec.map(".kconfig");
  ASSERT_NE(kconfig, nullptr);
  EXPECT_TRUE(kconfig->read_only);
  uint32_t end = 0;
  for (const ExternSpec& e : spec.externs) {
    if (e.kind != ExternKind::Kconfig) continue;
    EXPECT_LE(e.offset + e.size, kconfig->value_size) << e.name;
    if (e.kconfig_type == KconfigType::Int) {
      EXPECT_EQ(e.offset % e.size, 0u) << e.name;
    }
    end = std::max(end, e.offset + e.size);
  }
  EXPECT_EQ(end, kconfig->value_size);

  // References to .kconfig values became map-value relocations.
  const ProgramSpec* prog = spec.program("read_kconfig");
  size_t kconfig_refs = 0, extern_refs = 0;
  for (const InsnRelocation& r : prog->relocations) {
    kconfig_refs += r.kind == RelocKind::MapValue && r.target == ".kconfig";
    extern_refs += r.kind == RelocKind::Extern;
  }
  EXPECT_EQ(kconfig_refs, 7u);
  EXPECT_EQ(extern_refs, 1u);  // _stext
}

TEST(Externs, KconfigContentsForEveryType) {
  ObjectSpec spec = externs_object();
  auto bytes = kconfig_contents(spec, good_values());
  ASSERT_TRUE(bytes) << bytes.error().describe();
  EXPECT_EQ(at<uint32_t>(*bytes, find_extern(spec, "LINUX_KERNEL_VERSION")->offset), 397868u);
  EXPECT_EQ(at<uint8_t>(*bytes, find_extern(spec, "CONFIG_BPF_JIT")->offset), 1u);
  EXPECT_EQ(at<uint32_t>(*bytes, find_extern(spec, "CONFIG_BPF_SYSCALL")->offset), 2u);  // TRI_MODULE
  EXPECT_EQ(at<int32_t>(*bytes, find_extern(spec, "CONFIG_HZ")->offset), 250);
  EXPECT_EQ(at<int32_t>(*bytes, find_extern(spec, "CONFIG_NR_CPUS")->offset), 256);
  EXPECT_EQ(at<int32_t>(*bytes, find_extern(spec, "CONFIG_BPFXX_DOES_NOT_EXIST")->offset), 0);
  const char* host = reinterpret_cast<const char*>(bytes->data()) + find_extern(spec, "CONFIG_DEFAULT_HOSTNAME")->offset;
  EXPECT_STREQ(host, "(none)");
}

TEST(Externs, BadKconfigValuesAreClearErrors) {
  ObjectSpec spec = externs_object();
  struct Case {
    const char* name;
    const char* value;
    const char* message;
  } cases[] = {
      {"CONFIG_BPF_JIT", "m", "use enum libbpf_tristate"},
      {"CONFIG_BPF_SYSCALL", "maybe", "y, n or m"},
      {"CONFIG_HZ", "fast", "an integer"},
      {"CONFIG_HZ", "99999999999", "within 4 bytes"},
      {"CONFIG_DEFAULT_HOSTNAME", "unquoted", "a quoted string"},
      {"CONFIG_DEFAULT_HOSTNAME", "\"a name far longer than sixteen\"", "does not fit"},
  };
  for (const Case& c : cases) {
    KconfigValues v = good_values();
    v[c.name] = c.value;
    auto bytes = kconfig_contents(spec, v);
    ASSERT_FALSE(bytes) << c.name << "=" << c.value;
    EXPECT_NE(bytes.error().message().find(c.message), std::string::npos) << bytes.error().describe();
    EXPECT_NE(bytes.error().message().find(c.name), std::string::npos);
  }
  KconfigValues missing = good_values();
  missing.erase("CONFIG_HZ");
  auto bytes = kconfig_contents(spec, missing);
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code(), Errc::NotFound);
  EXPECT_NE(bytes.error().hint().find("__weak"), std::string::npos);
}

TEST(Externs, KsymAndKfuncPatches) {
  ObjectSpec spec = externs_object();
  std::vector<ResolvedExtern> resolved = {
      {"_stext", true, 0, 0xffffffff81000000ull},
      {"bpf_task_acquire", true, 1234, 0},
      {"bpf_task_release", true, 1240, 0},
  };
  const ProgramSpec* reader = spec.program("read_kconfig");
  std::vector<Insn> insns = reader->insns;
  ASSERT_TRUE(apply_extern_relocations(insns, *reader, spec, resolved));
  for (const InsnRelocation& r : reader->relocations) {
    if (r.kind != RelocKind::Extern) continue;
    EXPECT_EQ(insns[r.insn_index].src(), 0);
    EXPECT_EQ(static_cast<uint32_t>(insns[r.insn_index].imm), 0x81000000u);
    EXPECT_EQ(static_cast<uint32_t>(insns[r.insn_index + 1].imm), 0xffffffffu);
  }
  const ProgramSpec* caller = spec.program("call_kfuncs");
  insns = caller->insns;
  ASSERT_TRUE(apply_extern_relocations(insns, *caller, spec, resolved));
  std::vector<int32_t> ids;
  for (const InsnRelocation& r : caller->relocations) {
    if (r.kind != RelocKind::Extern) continue;
    EXPECT_EQ(insns[r.insn_index].src(), insn::kPseudoKfuncCall);
    ids.push_back(insns[r.insn_index].imm);
  }
  EXPECT_EQ(ids, (std::vector<int32_t>{1234, 1240}));

  // Missing and strong: an error naming the kfunc.
  resolved[1].found = false;
  insns = caller->insns;
  auto r = apply_extern_relocations(insns, *caller, spec, resolved);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::NotFound);
  EXPECT_NE(r.error().message().find("bpf_task_acquire"), std::string::npos);
}

// A kfunc of a module: the call names the module BTF by its fd_array slot
// (off), while vmlinux kfuncs keep off 0.
TEST(Externs, ModuleKfuncCallsCarryTheirFdArraySlot) {
  ObjectSpec spec = externs_object();
  std::vector<ResolvedExtern> resolved = {
      {"_stext", true, 0, 0xffffffff81000000ull},
      {"bpf_task_acquire", true, 130001, 0, "some_module", 2, 9},
      {"bpf_task_release", true, 1240, 0},
  };
  const ProgramSpec* caller = spec.program("call_kfuncs");
  std::vector<Insn> insns = caller->insns;
  ASSERT_TRUE(apply_extern_relocations(insns, *caller, spec, resolved));
  std::vector<std::pair<int32_t, int16_t>> calls;
  for (const InsnRelocation& r : caller->relocations) {
    if (r.kind != RelocKind::Extern) continue;
    EXPECT_EQ(insns[r.insn_index].src(), insn::kPseudoKfuncCall);
    calls.emplace_back(insns[r.insn_index].imm, insns[r.insn_index].off);
  }
  EXPECT_EQ(calls, (std::vector<std::pair<int32_t, int16_t>>{{130001, 2}, {1240, 0}}));
}

TEST(Externs, WeakMissingKfuncBecomesAnUnreachableBadCall) {
  auto spec = ObjectSpec::open(test::bpf_object("externs_missing"));
  ASSERT_TRUE(spec) << spec.error().describe();
  const ProgramSpec* prog = spec->program("weak_missing");
  std::vector<Insn> insns = prog->insns;
  std::vector<ResolvedExtern> none;
  ASSERT_TRUE(apply_extern_relocations(insns, *prog, *spec, none));
  bool poisoned_call = false, null_address = false;
  for (const InsnRelocation& r : prog->relocations) {
    if (r.kind != RelocKind::Extern) continue;
    const Insn& in = insns[r.insn_index];
    if (in.code == insn::kCallCode) {
      poisoned_call |= in.imm == kPoisonKfuncCall && in.src() == 0;
    } else {
      null_address |= in.imm == 0 && insns[r.insn_index + 1].imm == 0 && in.src() == 0;
    }
  }
  EXPECT_TRUE(poisoned_call);
  EXPECT_TRUE(null_address);
}

TEST(Externs, SanitizedBtfHasNoExternLinkage) {
  ObjectSpec spec = externs_object();
  auto btf = sanitize_extern_btf(spec);
  ASSERT_TRUE(btf) << btf.error().describe();
  for (btf::TypeId id = 1; id < btf->type_count(); ++id) {
    btf::Type t = *btf->type(id);
    if (t.kind() == btf::Kind::Var) {
      EXPECT_NE(t.var_linkage(), btf::VarLinkage::GlobalExtern) << t.name();
    }
    if (t.kind() == btf::Kind::Func) {
      EXPECT_NE(t.func_linkage(), btf::FuncLinkage::Extern) << t.name();
    }
    if (t.kind() != btf::Kind::Datasec) continue;
    // Every DATASEC entry is a VAR with a size, in increasing offsets within the section.
    uint32_t last_end = 0;
    for (uint32_t i = 0; i < t.vlen(); ++i) {
      btf::VarSecinfo vs = t.secinfo(i);
      EXPECT_EQ(btf->type(vs.type)->kind(), btf::Kind::Var) << t.name();
      EXPECT_GT(vs.size, 0u) << t.name();
      EXPECT_GE(vs.offset, last_end) << t.name();
      last_end = vs.offset + vs.size;
    }
    EXPECT_LE(last_end, t.size()) << t.name();
    if (t.name() == ".kconfig") {
      EXPECT_EQ(t.size(), spec.map(".kconfig")->value_size);
    }
  }
  // Parses again like any BTF, and the original is untouched.
  EXPECT_TRUE(btf::Spec::parse(btf->encode()));
  EXPECT_NE(spec.btf->find(".ksyms", btf::Kind::Datasec), std::nullopt);
  EXPECT_EQ(spec.btf->type(*spec.btf->find("_stext", btf::Kind::Var))->var_linkage(), btf::VarLinkage::GlobalExtern);
}

}  // namespace
}  // namespace bpfxx::reloc

namespace bpfxx::reloc {
namespace {

// Without a kernel config, LINUX_* values and __weak options still work; a
// strong CONFIG_ value is an error that says the config is missing.
TEST(Externs, NoKernelConfigOnlyFailsForStrongOptions) {
  ObjectSpec spec = externs_object();
  KconfigValues v = {{"LINUX_KERNEL_VERSION", "397868"}, {std::string(kKconfigSourceKey), ""}};
  auto bytes = kconfig_contents(spec, v);
  ASSERT_FALSE(bytes);
  EXPECT_NE(bytes.error().message().find("not available"), std::string::npos) << bytes.error().describe();
  EXPECT_NE(bytes.error().hint().find("config.gz"), std::string::npos);
}

}  // namespace
}  // namespace bpfxx::reloc
