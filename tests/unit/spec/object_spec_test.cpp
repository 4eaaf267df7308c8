// Tests of ObjectSpec as a whole: every test object opens and parses in both
// byte orders; global variables of globals.bpf.o are listed with their
// offsets, sizes, linkage and types and can be read and set; dump() is
// stable and specs are values (copies compare equal, edits make them
// differ); open() failures name the file.
//
// Expected layouts come from `llvm-readelf -s` and `bpftool btf dump` of
// globals.bpf.o (clang 14).
#include <bpfxx/object_spec.hpp>

#include "elf/elf_file.hpp"
#include "spec_test_util.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace bpfxx {
namespace {

using spec_test::contains;
using spec_test::kTestObjects;
using spec_test::ObjectBytes;
using spec_test::open_object;

// ---- Every object ------------------------------------------------------------------------

TEST(ObjectSpecTest, EveryObjectOpensInBothByteOrders) {
  const size_t programs[] = {1, 2, 2, 13, 1};
  const size_t maps[] = {5, 12, 1, 1, 2};
  for (size_t i = 0; i < std::size(kTestObjects); ++i) {
    for (bool be : {false, true}) {
      SCOPED_TRACE(std::string(kTestObjects[i]) + (be ? " bpfeb" : " bpfel"));
      ObjectSpec spec = open_object(kTestObjects[i], be);
      EXPECT_EQ(spec.name, kTestObjects[i]);  // the file's stem
      EXPECT_EQ(spec.license, "GPL");
      EXPECT_EQ(spec.kernel_version, 0u);
      EXPECT_EQ(spec.big_endian, be);
      EXPECT_EQ(spec.programs.size(), programs[i]);
      EXPECT_EQ(spec.maps.size(), maps[i]);
      ASSERT_NE(spec.btf, nullptr);
      for (const ProgramSpec& p : spec.programs) {
        EXPECT_EQ(p.license, "GPL");
        EXPECT_FALSE(p.insns.empty());
        EXPECT_EQ(p.functions.at(0).name, p.name);
        EXPECT_EQ(p.functions.at(0).insn_index, 0u);
      }
    }
  }
}

// clang leaves every DATASEC (.maps, .data*, .rodata*, .bss*, license...)
// at size 0 and its VARs at offset 0; the parse must set them from the ELF
// section and symbols, or the kernel refuses the BTF.
TEST(ObjectSpecTest, EveryDatasecGetsItsSectionsSizeAndOffsets) {
  for (const char* name : kTestObjects) {
    for (bool be : {false, true}) {
      SCOPED_TRACE(std::string(name) + (be ? " bpfeb" : " bpfel"));
      ObjectSpec spec = open_object(name, be);
      auto bytes = test::read_file(test::bpf_object(name, be));
      auto elf = elf::File::parse(bytes);
      ASSERT_TRUE(elf) << elf.error().describe();
      size_t checked = 0;
      for (btf::TypeId id = 1; id < spec.btf->type_count(); ++id) {
        if (spec.btf->kind_of(id) != btf::Kind::Datasec) continue;
        btf::Type ds = *spec.btf->type(id);
        const elf::Section* sec = elf->section_by_name(ds.name());
        if (sec == nullptr) continue;  // .kconfig/.ksyms: laid out at load
        SCOPED_TRACE(std::string(ds.name()));
        EXPECT_EQ(ds.size(), sec->size);
        for (const btf::VarSecinfo& vs : ds.secinfos()) {
          btf::Type var = *spec.btf->type(vs.type);
          const elf::Symbol* sym = nullptr;
          for (const elf::Symbol& s : elf->symbols()) {
            if (s.section == sec->index && s.name == var.name()) sym = &s;
          }
          ASSERT_NE(sym, nullptr) << var.name();
          EXPECT_EQ(vs.offset, sym->value) << var.name();
        }
        ++checked;
      }
      EXPECT_GT(checked, 0u);
    }
  }
}

TEST(ObjectSpecTest, ParseFromBytesEqualsOpenFromPath) {
  for (const char* name : kTestObjects) {
    SCOPED_TRACE(name);
    ObjectSpec from_path = open_object(name);
    auto bytes = test::read_file(test::bpf_object(name));
    auto from_bytes = ObjectSpec::parse(bytes, name);
    ASSERT_TRUE(from_bytes.has_value()) << from_bytes.error().describe();
    EXPECT_TRUE(*from_bytes == from_path);
    EXPECT_EQ(from_bytes->dump(), from_path.dump());
    auto default_name = ObjectSpec::parse(bytes);
    ASSERT_TRUE(default_name.has_value());
    EXPECT_EQ(default_name->name, "object");
  }
}

TEST(ObjectSpecTest, ParsedBytesMayBeFreedAfterwards) {
  // parse() copies what the spec must own: the caller's buffer can go away.
  std::optional<ObjectSpec> spec;
  {
    auto bytes = test::read_file(test::bpf_object("globals"));
    spec = ObjectSpec::parse(bytes, "globals").value();
    std::memset(bytes.data(), 0xff, bytes.size());
  }
  EXPECT_EQ(spec->btf->c_name(spec->btf->find("config", btf::Kind::Struct).value()), "struct config");
  EXPECT_TRUE(*spec == open_object("globals"));
}

TEST(ObjectSpecTest, BigEndianObjectsHaveTheSamePrograms) {
  // Instructions are converted to host layout (register nibbles swapped
  // back, fields byte-swapped), so programs compare equal across byte orders;
  // map definitions too. Only the initial contents of data sections keep the
  // target's byte order.
  for (const char* name : kTestObjects) {
    SCOPED_TRACE(name);
    ObjectSpec le = open_object(name, false);
    ObjectSpec be = open_object(name, true);
    ASSERT_EQ(le.programs.size(), be.programs.size());
    for (size_t i = 0; i < le.programs.size(); ++i) {
      EXPECT_TRUE(le.programs[i] == be.programs[i]) << le.programs[i].name;
      EXPECT_EQ(le.programs[i].insns, be.programs[i].insns) << le.programs[i].name;
    }
    ASSERT_EQ(le.maps.size(), be.maps.size());
    for (size_t i = 0; i < le.maps.size(); ++i) {
      MapSpec b = be.maps[i];
      b.contents = le.maps[i].contents;
      EXPECT_TRUE(le.maps[i] == b) << le.maps[i].name;
    }
    EXPECT_EQ(le.dump().substr(le.dump().find('\n')), be.dump().substr(be.dump().find('\n')));
  }
  ObjectSpec be = open_object("globals", true);
  auto counter = be.variable("data_counter").value();
  const std::byte one_be[] = {std::byte{0}, std::byte{0}, std::byte{0}, std::byte{1}};
  EXPECT_TRUE(std::equal(counter.begin(), counter.end(), std::begin(one_be), std::end(one_be)));
}

// ---- Global variables of globals.bpf.o -------------------------------------------------------

class GlobalsSpec : public testing::Test {
 protected:
  ObjectSpec spec_ = open_object("globals");
  std::string type_name(btf::TypeId id) const { return spec_.btf->c_name(id); }
};

TEST_F(GlobalsSpec, DataSectionMaps) {
  struct Want {
    const char* name;
    uint32_t value_size;
    uint32_t flags;
    bool read_only;
    bool has_datasec;
  } want[] = {
      {".data", 32, kMapFlagMmapable, false, true},
      {".rodata", 27, kMapFlagMmapable | kMapFlagRdonlyProg, true, true},
      {".data.custom", 12, kMapFlagMmapable, false, true},
      {".rodata.str1.1", 8, kMapFlagMmapable | kMapFlagRdonlyProg, true, false},
      {".bss", 24, kMapFlagMmapable, false, true},
  };
  ASSERT_EQ(spec_.maps.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    const MapSpec& m = spec_.maps[i];
    SCOPED_TRACE(m.name);
    EXPECT_EQ(m.name, want[i].name);
    EXPECT_EQ(m.section, want[i].name);
    EXPECT_EQ(m.origin, MapOrigin::Data);
    EXPECT_EQ(m.type, MapType::Array);
    EXPECT_EQ(m.key_size, 4u);
    EXPECT_EQ(m.value_size, want[i].value_size);
    EXPECT_EQ(m.max_entries, 1u);
    EXPECT_EQ(m.flags, want[i].flags);
    EXPECT_EQ(m.read_only, want[i].read_only);
    // .bss keeps no bytes (empty contents are zeros); the others hold the file's.
    EXPECT_EQ(m.contents.size(), m.name == ".bss" ? 0u : want[i].value_size);
    if (want[i].has_datasec) {
      ASSERT_NE(m.value_type, 0u);
      btf::Type ds = spec_.btf->type(m.value_type).value();
      EXPECT_EQ(ds.kind(), btf::Kind::Datasec);
      EXPECT_EQ(ds.name(), want[i].name);
      EXPECT_EQ(ds.size(), want[i].value_size);  // fixed from the ELF section size
    } else {
      EXPECT_EQ(m.value_type, 0u);
    }
  }
  // .bss has no file bytes: empty contents mean zeros, and its variables read
  // as zeros. The string literal section holds the literal.
  EXPECT_TRUE(spec_.map(".bss")->contents.empty());
  for (const VariableSpec& v : spec_.map(".bss")->variables) {
    EXPECT_EQ(spec_.variable(v.name).value(), std::vector<std::byte>(v.size)) << v.name;
  }
  const auto& lit = spec_.map(".rodata.str1.1")->contents;
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(lit.data()), lit.size()), std::string("literal\0", 8));
  EXPECT_TRUE(spec_.map(".rodata.str1.1")->variables.empty());
}

TEST_F(GlobalsSpec, Variables) {
  struct Want {
    const char* map;
    const char* name;
    uint32_t offset, size;
    bool is_global;
    const char* type;
  } want[] = {
      {".data", "data_counter", 0, 4, true, "int"},
      {".data", "data_array", 4, 16, true, "__u32[4]"},
      {".data", "data_static", 24, 8, false, "volatile __u64"},
      {".rodata", "ro_limit", 0, 4, true, "const volatile __u32"},
      {".rodata", "ro_config", 4, 8, true, "const volatile config_t"},
      {".rodata", "ro_mode", 12, 4, true, "const volatile enum mode"},
      {".rodata", "read_globals.__bpfxx_fmt", 16, 11, false, "const char[11]"},
      {".data.custom", "custom_value", 0, 4, true, "int"},
      {".data.custom", "custom_name", 4, 8, true, "char[8]"},
      {".bss", "bss_static", 0, 4, false, "volatile __u32"},
      {".bss", "bss_total", 8, 8, true, "__u64"},
      {".bss", "bss_config_ptr", 16, 8, true, "struct config *"},
  };
  size_t total = 0;
  for (const MapSpec& m : spec_.maps) total += m.variables.size();
  EXPECT_EQ(total, std::size(want));
  for (const Want& w : want) {
    SCOPED_TRACE(w.name);
    const MapSpec* m = spec_.map(w.map);
    ASSERT_NE(m, nullptr);
    const VariableSpec* v = m->variable(w.name);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->offset, w.offset);
    EXPECT_EQ(v->size, w.size);
    EXPECT_EQ(v->is_global, w.is_global);
    EXPECT_EQ(type_name(v->type), w.type);
    // The DATASEC lists the variable at the same place (offsets fixed from
    // the symbol table, clang leaves them 0).
    bool in_datasec = false;
    for (const btf::VarSecinfo& vs : spec_.btf->type(m->value_type)->secinfos()) {
      if (spec_.btf->type(vs.type)->name() == w.name) {
        in_datasec = true;
        EXPECT_EQ(vs.offset, w.offset);
        EXPECT_EQ(vs.size, w.size);
      }
    }
    EXPECT_TRUE(in_datasec);
  }
  // Variables are kept in offset order within each map.
  for (const MapSpec& m : spec_.maps) {
    EXPECT_TRUE(std::is_sorted(m.variables.begin(), m.variables.end(),
                               [](auto& a, auto& b) { return a.offset < b.offset; }));
  }
}

template <typename T>
T value_of(const ObjectSpec& spec, std::string_view name) {
  auto bytes = spec.variable(name).value();
  EXPECT_EQ(bytes.size(), sizeof(T));
  T v{};
  std::memcpy(&v, bytes.data(), std::min(sizeof(T), bytes.size()));
  return v;
}

TEST_F(GlobalsSpec, InitialValues) {
  EXPECT_EQ(value_of<int32_t>(spec_, "data_counter"), 1);
  EXPECT_EQ(value_of<uint64_t>(spec_, "data_static"), 7u);
  EXPECT_EQ(value_of<uint32_t>(spec_, "ro_limit"), 100u);
  EXPECT_EQ(value_of<uint32_t>(spec_, "ro_mode"), 1u);
  EXPECT_EQ(value_of<int32_t>(spec_, "custom_value"), 42);
  struct Config {
    uint32_t limit;
    uint16_t port;
    uint8_t enabled, pad;
  };
  Config c = value_of<Config>(spec_, "ro_config");
  EXPECT_EQ(c.limit, 10u);
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.enabled, 1);
  uint32_t arr[4];
  auto a = spec_.variable("data_array").value();
  ASSERT_EQ(a.size(), sizeof(arr));
  std::memcpy(arr, a.data(), sizeof(arr));
  EXPECT_EQ(arr[0], 1u);
  EXPECT_EQ(arr[3], 4u);
  auto name = spec_.variable("custom_name").value();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(name.data())), "bpfxx");
  EXPECT_EQ(value_of<uint64_t>(spec_, "bss_total"), 0u);
  auto fmt = spec_.variable("read_globals.__bpfxx_fmt").value();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(fmt.data()), fmt.size()), std::string("total %llu\0", 11));
}

TEST_F(GlobalsSpec, SetVariable) {
  ObjectSpec before = spec_;
  ASSERT_TRUE(spec_.set_variable("ro_limit", uint32_t{5}).has_value());
  EXPECT_EQ(value_of<uint32_t>(spec_, "ro_limit"), 5u);
  EXPECT_EQ(value_of<uint32_t>(spec_, "ro_mode"), 1u);  // the neighbours are untouched
  EXPECT_FALSE(spec_ == before);
  ASSERT_TRUE(spec_.set_variable("bss_static", uint32_t{9}).has_value());
  EXPECT_EQ(value_of<uint32_t>(spec_, "bss_static"), 9u);
  const std::byte raw[8] = {std::byte{'h'}, std::byte{'i'}};
  ASSERT_TRUE(spec_.set_variable("custom_name", std::span<const std::byte>(raw)).has_value());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(spec_.variable("custom_name")->data())), "hi");
  EXPECT_EQ(value_of<uint32_t>(before, "ro_limit"), 100u);  // the copy kept its own contents
}

TEST_F(GlobalsSpec, SetVariableWithTheWrongSize) {
  auto r = spec_.set_variable("ro_limit", uint64_t{5});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::InvalidInput);
  EXPECT_EQ(r.error().message(), "variable 'ro_limit' is 4 bytes, the new value 8 bytes");
  EXPECT_EQ(r.error().map(), ".rodata");
  EXPECT_EQ(r.error().object(), "globals");
  EXPECT_EQ(r.error().op(), "set variable");
  EXPECT_EQ(value_of<uint32_t>(spec_, "ro_limit"), 100u);
}

TEST_F(GlobalsSpec, UnknownVariableListsTheKnownOnes) {
  auto r = spec_.set_variable("no_such_var", uint32_t{1});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::NotFound);
  EXPECT_EQ(r.error().message(), "no global variable 'no_such_var'");
  EXPECT_EQ(r.error().hint(),
            "variables: data_counter, data_array, data_static, ro_limit, ro_config, ro_mode, "
            "read_globals.__bpfxx_fmt, custom_value, custom_name, bss_static, bss_total, bss_config_ptr");
  auto g = spec_.variable("no_such_var");
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code(), Errc::NotFound);
  // An object without data sections says so.
  ObjectSpec legacy = open_object("legacy_maps");
  auto none = legacy.set_variable("x", uint32_t{1});
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().hint(), "the object has no global variables");
}

TEST(ObjectSpecTest, ObjectWithoutBtfNamesVariablesFromSymbols) {
  // With .BTF hidden (renamed .BTX) the symbol table still names the
  // variables of each data section; types and func/line info are gone.
  ObjectBytes obj("globals");
  elf::File f = obj.elf();
  uint64_t shoff = obj.get<uint64_t>(40);
  uint64_t names = f.sections()[obj.get<uint16_t>(62)].offset;
  uint64_t at = names + obj.get<uint32_t>(shoff + uint64_t{f.section_by_name(".BTF")->index} * 64);
  obj.bytes()[at + 3] = std::byte{'X'};
  auto r = obj.parse("globals");
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  EXPECT_EQ(r->btf, nullptr);
  const MapSpec* data = r->map(".data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->value_type, 0u);
  EXPECT_EQ(data->variables, (std::vector<VariableSpec>{{"data_counter", 0, 4, 0, true},
                                                        {"data_array", 4, 16, 0, true},
                                                        {"data_static", 24, 8, 0, false}}));
  EXPECT_EQ(r->map(".bss")->variables.size(), 3u);
  EXPECT_EQ(value_of<uint32_t>(*r, "ro_limit"), 100u);
  const ProgramSpec* p = r->program("read_globals");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->func_info.empty());
  EXPECT_TRUE(p->line_info.empty());
  EXPECT_EQ(p->insns, open_object("globals").program("read_globals")->insns);
  EXPECT_TRUE(contains(r->dump(), "btf none"));
}

// ---- dump() and value semantics ----------------------------------------------------------------

TEST(ObjectSpecTest, DumpIsStable) {
  for (const char* name : kTestObjects) {
    SCOPED_TRACE(name);
    ObjectSpec a = open_object(name);
    ObjectSpec b = open_object(name);
    EXPECT_EQ(a.dump(), b.dump());
    EXPECT_EQ(a.dump(), a.dump());
    ObjectSpec c = a;
    EXPECT_TRUE(c == a);
    EXPECT_EQ(c.dump(), a.dump());
  }
}

TEST(ObjectSpecTest, DumpContents) {
  ObjectSpec spec = open_object("globals");
  std::string d = spec.dump();
  EXPECT_EQ(d.rfind("object globals: little-endian, license 'GPL', kernel_version 0x0, btf 48 types\n", 0), 0u)
      << d;
  for (const char* line : {
           "program read_globals: section 'tp/syscalls/sys_enter_getpid' type tracepoint attach_type - "
           "attach tracepoint target 'syscalls/sys_enter_getpid' insns 69\n",
           "  function read_globals at 0 (69 insns)\n",
           "  reloc insn 22 map_value .data+24\n",
           "  reloc insn 63 map_value .rodata.str1.1+0\n",
           "  btf.ext func_info 1 line_info 19 core_relo 0\n",
           "map .rodata: array key 4 value 27 max_entries 1 flags 0x480 origin data section .rodata "
           "value_type '.rodata' read_only\n",
           "  var data_static offset 24 size 8 static type 'volatile __u64'\n",
           "  var bss_config_ptr offset 16 size 8 global type 'struct config *'\n",
       }) {
    EXPECT_TRUE(contains(d, line)) << "missing: " << line << "\nin:\n" << d;
  }
  std::string maps = open_object("maps_kinds").dump();
  EXPECT_TRUE(contains(maps, "map pinned_hash: hash key 8 value 4 max_entries 128 flags 0x5 origin btf section "
                             ".maps pinning by_name key_type '__u64' value_type '__u32'\n"))
      << maps;
  EXPECT_TRUE(contains(maps, "  slot 2 = inner_b\n  inner map outer_array.inner: array key 4 value 8")) << maps;
  std::string multi = open_object("multi_prog").dump();
  EXPECT_TRUE(contains(multi, "target 'syscalls/sys_enter_close' insns 7 (no autoload)\n")) << multi;
}

TEST(ObjectSpecTest, EditsMakeSpecsDiffer) {
  ObjectSpec a = open_object("maps_kinds");
  ObjectSpec b = a;
  b.map("array_map")->max_entries = 9;
  EXPECT_FALSE(a == b);
  b = a;
  b.program("use_maps")->type = ProgType::Kprobe;
  EXPECT_FALSE(a == b);
  b = a;
  b.program("use_maps")->insns[0].imm ^= 1;
  EXPECT_FALSE(a == b);
  b = a;
  EXPECT_TRUE(a == b);
  EXPECT_EQ(b.map("nope"), nullptr);
  EXPECT_EQ(b.program("nope"), nullptr);
  const ObjectSpec& cb = b;
  EXPECT_EQ(cb.map("ringbuf")->type, MapType::Ringbuf);
  EXPECT_EQ(cb.program("tail_target")->name, "tail_target");
}

// ---- open() failures ---------------------------------------------------------------------------------

TEST(ObjectSpecTest, OpenMissingFile) {
  auto r = ObjectSpec::open("/nonexistent/dir/prog.bpf.o");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::NotFound);
  EXPECT_EQ(r.error().message().rfind("opening BPF object '/nonexistent/dir/prog.bpf.o': ", 0), 0u)
      << r.error().message();
}

TEST(ObjectSpecTest, OpenNotAnElfFile) {
  auto r = ObjectSpec::open("/proc/self/status");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::InvalidInput);
  EXPECT_TRUE(contains(r.error().message(), "bad magic")) << r.error().summary();
  EXPECT_EQ(r.error().object(), "status");
  EXPECT_EQ(r.error().file_offset(), 0u);
}

TEST(ObjectSpecTest, TruncatedObjectsFailCleanly) {
  auto bytes = test::read_file(test::bpf_object("maps_kinds"));
  for (size_t len = 0; len < bytes.size(); len += 61) {
    auto r = ObjectSpec::parse(std::span<const std::byte>(bytes).first(len), "cut");
    ASSERT_FALSE(r.has_value()) << len;
    EXPECT_EQ(r.error().code(), Errc::InvalidInput) << r.error().summary();
    EXPECT_EQ(r.error().object(), "cut");
  }
}

}  // namespace
}  // namespace bpfxx
