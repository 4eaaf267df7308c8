// Tests of map definitions: the BTF-defined maps of maps_kinds.bpf.o (array,
// hash with pinning/map_flags/numa_node, per-CPU, LRU, ring buffer, perf
// event array, prog array and array/hash of maps with inner map templates
// and initial slots), the legacy struct bpf_map_def maps of legacy_maps.bpf.o,
// and malformed definitions: an unknown attribute is NotSupported and named,
// a key type whose size disagrees with key_size is refused.
#include <bpfxx/object_spec.hpp>

#include "spec_test_util.hpp"

#include <gtest/gtest.h>

namespace bpfxx {
namespace {

using spec_test::contains;
using spec_test::ObjectBytes;
using spec_test::open_object;

struct WantMap {
  const char* name;
  MapType type;
  uint32_t key_size, value_size, max_entries, flags;
  PinType pinning;
  const char* key_type;    // C name, "" when none
  const char* value_type;
};

// In .maps offset order (`llvm-readelf -s maps_kinds.bpf.o`).
const WantMap kMapsKinds[] = {
    {"inner_a", MapType::Array, 4, 8, 4, 0, PinType::None, "__u32", "__u64"},
    {"inner_b", MapType::Array, 4, 8, 4, 0, PinType::None, "__u32", "__u64"},
    {"outer_array", MapType::ArrayOfMaps, 4, 4, 4, 0, PinType::None, "__u32", ""},
    {"outer_hash", MapType::HashOfMaps, 4, 4, 8, 0, PinType::None, "__u32", ""},
    {"jump_table", MapType::ProgArray, 4, 4, 4, 0, PinType::None, "__u32", ""},
    {"array_map", MapType::Array, 4, 16, 8, 0, PinType::None, "__u32", "struct value"},
    {"pinned_hash", MapType::Hash, 8, 4, 128, kMapFlagNoPrealloc | 4 /* BPF_F_NUMA_NODE */, PinType::ByName, "__u64",
     "__u32"},
    {"percpu_array", MapType::PercpuArray, 4, 8, 2, 0, PinType::None, "__u32", "__u64"},
    {"percpu_hash", MapType::PercpuHash, 4, 16, 16, 0, PinType::None, "__u32", "struct value"},
    {"lru_hash", MapType::LruHash, 4, 8, 32, 0, PinType::None, "__u32", "__u64"},
    {"ringbuf", MapType::Ringbuf, 0, 0, 4096, 0, PinType::None, "", ""},
    {"perf_events", MapType::PerfEventArray, 4, 4, 0, 0, PinType::None, "", ""},
};

void expect_map(const ObjectSpec& spec, const MapSpec& m, const WantMap& w) {
  SCOPED_TRACE(w.name);
  EXPECT_EQ(m.name, w.name);
  EXPECT_EQ(m.type, w.type);
  EXPECT_EQ(m.key_size, w.key_size);
  EXPECT_EQ(m.value_size, w.value_size);
  EXPECT_EQ(m.max_entries, w.max_entries);
  EXPECT_EQ(m.flags, w.flags);
  EXPECT_EQ(m.pinning, w.pinning);
  EXPECT_EQ(m.numa_node, 0u);
  EXPECT_EQ(m.map_extra, 0u);
  EXPECT_EQ(m.key_type == 0 ? "" : spec.btf->c_name(m.key_type), w.key_type);
  EXPECT_EQ(m.value_type == 0 ? "" : spec.btf->c_name(m.value_type), w.value_type);
  EXPECT_TRUE(m.contents.empty());
  EXPECT_TRUE(m.variables.empty());
  EXPECT_FALSE(m.read_only);
}

class MapsKinds : public testing::TestWithParam<bool> {
 protected:
  ObjectSpec spec_ = open_object("maps_kinds", GetParam());
};

TEST_P(MapsKinds, BtfDefinedMaps) {
  ASSERT_EQ(spec_.maps.size(), std::size(kMapsKinds));
  for (size_t i = 0; i < std::size(kMapsKinds); ++i) {
    const MapSpec& m = spec_.maps[i];
    expect_map(spec_, m, kMapsKinds[i]);
    EXPECT_EQ(m.section, ".maps");
    EXPECT_EQ(m.origin, MapOrigin::BtfDefined);
  }
}

TEST_P(MapsKinds, MapInMapTemplatesAndSlots) {
  for (const char* outer : {"outer_array", "outer_hash"}) {
    SCOPED_TRACE(outer);
    const MapSpec* m = spec_.map(outer);
    ASSERT_NE(m, nullptr);
    ASSERT_NE(m->inner, nullptr);
    // The template is struct inner_map: the same definition as inner_a/b.
    const MapSpec& inner = *m->inner;
    EXPECT_EQ(inner.name, std::string(outer) + ".inner");
    EXPECT_EQ(inner.origin, MapOrigin::Inner);
    EXPECT_EQ(inner.section, ".maps");
    WantMap want_inner = kMapsKinds[0];
    want_inner.name = "";
    MapSpec renamed = inner;
    renamed.name = "";
    expect_map(spec_, renamed, want_inner);
    EXPECT_EQ(inner.inner, nullptr);
    EXPECT_TRUE(inner.initial_slots.empty());
  }
  EXPECT_EQ(spec_.map("outer_array")->initial_slots,
            (std::vector<MapSlotInit>{{0, "inner_a"}, {2, "inner_b"}}));
  EXPECT_EQ(spec_.map("outer_hash")->initial_slots, (std::vector<MapSlotInit>{{1, "inner_b"}}));
}

TEST_P(MapsKinds, ProgArraySlots) {
  const MapSpec* m = spec_.map("jump_table");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->inner, nullptr);  // values are function prototypes, not maps
  EXPECT_EQ(m->initial_slots, (std::vector<MapSlotInit>{{1, "tail_target"}}));
  ASSERT_NE(spec_.program(m->initial_slots[0].target), nullptr);
}

TEST_P(MapsKinds, OtherMapsHaveNoInnerOrSlots) {
  for (const MapSpec& m : spec_.maps) {
    if (m.type == MapType::ArrayOfMaps || m.type == MapType::HashOfMaps || m.type == MapType::ProgArray) continue;
    EXPECT_EQ(m.inner, nullptr) << m.name;
    EXPECT_TRUE(m.initial_slots.empty()) << m.name;
  }
}

INSTANTIATE_TEST_SUITE_P(ByteOrders, MapsKinds, testing::Bool(),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

TEST(MapParserTest, LegacyMaps) {
  for (bool be : {false, true}) {
    ObjectSpec spec = open_object("legacy_maps", be);
    ASSERT_EQ(spec.maps.size(), 2u);
    const MapSpec& counts = spec.maps[0];
    EXPECT_EQ(counts.name, "legacy_counts");
    EXPECT_EQ(counts.section, "maps");
    EXPECT_EQ(counts.origin, MapOrigin::Legacy);
    EXPECT_EQ(counts.type, MapType::Array);
    EXPECT_EQ(counts.key_size, 4u);
    EXPECT_EQ(counts.value_size, 8u);
    EXPECT_EQ(counts.max_entries, 16u);
    EXPECT_EQ(counts.flags, 0u);
    EXPECT_EQ(counts.key_type, 0u);  // struct bpf_map_def carries no types
    EXPECT_EQ(counts.value_type, 0u);
    const MapSpec& hash = spec.maps[1];
    EXPECT_EQ(hash.name, "legacy_hash");
    EXPECT_EQ(hash.type, MapType::Hash);
    EXPECT_EQ(hash.key_size, 4u);
    EXPECT_EQ(hash.value_size, 4u);
    EXPECT_EQ(hash.max_entries, 64u);
    EXPECT_EQ(hash.flags, kMapFlagNoPrealloc);
  }
}

// ---- Malformed definitions ---------------------------------------------------------------------------

Error expect_failure(const ObjectBytes& obj, Errc code, std::string_view message) {
  auto r = obj.parse();
  if (r.has_value()) {
    ADD_FAILURE() << "parsed although: " << message;
    return Error(Errc::Internal, "parsed");
  }
  EXPECT_EQ(r.error().code(), code) << r.error().describe();
  EXPECT_TRUE(contains(r.error().message(), message)) << r.error().describe();
  EXPECT_EQ(r.error().object(), "patched");  // every parse error names the object
  return std::move(r).error();
}

// The id of the struct describing BTF-defined map `name`.
btf::TypeId map_def_struct(const ObjectSpec& spec, std::string_view name) {
  auto var = spec.btf->find(name, btf::Kind::Var);
  EXPECT_TRUE(var.has_value()) << name;
  return spec.btf->resolve(spec.btf->type(*var)->ref()).value();
}

TEST(MapParserTest, UnknownAttributeIsNotSupported) {
  // "numa_node" renamed in the BTF strings: pinned_hash now has an attribute
  // bpfxx does not know.
  for (bool be : {false, true}) {
    ObjectBytes obj("maps_kinds", be);
    uint64_t at = obj.btf_string_file_offset("numa_node");
    std::memcpy(obj.bytes().data() + at, "numa_nod3", 9);
    Error e = expect_failure(obj, Errc::NotSupported,
                             "not supported yet: map attribute 'numa_nod3' in map 'pinned_hash'");
    EXPECT_EQ(e.map(), "pinned_hash");
    EXPECT_EQ(e.op(), "parse map definition");
  }
}

TEST(MapParserTest, KeyTypeSizeConflictsWithKeySize) {
  // array_map's members are type, max_entries, key, value. Renaming
  // max_entries (8) to key_size makes key_size 8 while the key type, __u32,
  // is 4 bytes.
  ObjectSpec spec = open_object("maps_kinds");
  btf::TypeId def = map_def_struct(spec, "array_map");
  ASSERT_EQ(spec.btf->type(def)->member(1).name, "max_entries");
  ObjectBytes obj("maps_kinds");
  obj.put<uint32_t>(obj.btf_record_offset(def) + 12 + 1 * 12, obj.btf_string("key_size"));
  Error e = expect_failure(obj, Errc::InvalidInput, "map 'array_map': key type size 4 conflicts with key_size 8");
  EXPECT_EQ(e.map(), "array_map");
}

TEST(MapParserTest, ValueSizeConflictsWithValueType) {
  // perf_events' members are type, key_size, value_size, each an __uint,
  // i.e. a pointer to int[N]. Renaming key_size to "value" turns it into a
  // __type whose pointee, int[4], is 16 bytes; the value_size that follows
  // says 4.
  ObjectSpec spec = open_object("maps_kinds");
  btf::TypeId def = map_def_struct(spec, "perf_events");
  ASSERT_EQ(spec.btf->type(def)->member(1).name, "key_size");
  ObjectBytes obj("maps_kinds");
  obj.put<uint32_t>(obj.btf_record_offset(def) + 12 + 1 * 12, obj.btf_string("value"));
  Error e = expect_failure(obj, Errc::InvalidInput,
                           "map 'perf_events': value_size 4 conflicts with the value type's size 16");
  EXPECT_EQ(e.map(), "perf_events");
}

TEST(MapParserTest, AttributeOfTheWrongShape) {
  // array_map's "key" (a __type pointer) renamed "type": the pointee is
  // __u32, not an array, so it is no __uint.
  ObjectSpec spec = open_object("maps_kinds");
  btf::TypeId def = map_def_struct(spec, "array_map");
  ObjectBytes obj("maps_kinds");
  obj.put<uint32_t>(obj.btf_record_offset(def) + 12 + 2 * 12, obj.btf_string("type"));
  Error e = expect_failure(obj, Errc::InvalidInput,
                           "map 'array_map': attribute 'type' is not an integer declared with __uint or __ulong");
  EXPECT_EQ(e.map(), "array_map");
}

TEST(MapParserTest, MapWithoutType) {
  ObjectSpec spec = open_object("maps_kinds");
  btf::TypeId def = map_def_struct(spec, "ringbuf");
  ASSERT_EQ(spec.btf->type(def)->member(0).name, "type");
  ObjectBytes obj("maps_kinds");
  obj.put<uint32_t>(obj.btf_record_offset(def) + 12, obj.btf_string("max_entries"));
  expect_failure(obj, Errc::InvalidInput, "map 'ringbuf' has no type");
}

TEST(MapParserTest, NumaNodeIsRead) {
  // pinned_hash says __uint(numa_node, 0), i.e. a pointer to int[0]; making
  // that array int[3] must give numa_node 3 and change nothing else.
  ObjectSpec spec = open_object("maps_kinds");
  btf::TypeId def = map_def_struct(spec, "pinned_hash");
  btf::TypeId numa_array = 0;
  for (const btf::Member& m : spec.btf->type(def)->members()) {
    if (m.name == "numa_node") numa_array = spec.btf->type(m.type)->ref();
  }
  ASSERT_NE(numa_array, 0u);
  ASSERT_EQ(spec.btf->type(numa_array)->array().nelems, 0u);
  ObjectBytes obj("maps_kinds");
  obj.put<uint32_t>(obj.btf_record_offset(numa_array) + 20, 3);
  auto r = obj.parse("maps_kinds");
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  EXPECT_EQ(r->map("pinned_hash")->numa_node, 3u);
  MapSpec m = *r->map("pinned_hash");
  m.numa_node = 0;
  EXPECT_TRUE(m == *spec.map("pinned_hash"));
  EXPECT_TRUE(contains(r->dump(), "pinning by_name numa_node 3 key_type"));
}

TEST(MapParserTest, LegacyMapTooSmall) {
  ObjectBytes obj("legacy_maps");
  obj.put<uint64_t>(obj.symbol_offset("legacy_counts") + 16, 8);  // st_size
  expect_failure(obj, Errc::InvalidInput, "legacy map 'legacy_counts' is 8 bytes, too small for struct bpf_map_def");
}

TEST(MapParserTest, MapsWithoutBtf) {
  // Renaming .BTF hides it: BTF-defined maps cannot be read without it.
  ObjectBytes obj("maps_kinds");
  elf::File f = obj.elf();
  const elf::Section* btf = f.section_by_name(".BTF");
  ASSERT_NE(btf, nullptr);
  uint64_t shoff = obj.get<uint64_t>(40);
  uint64_t names = f.sections()[obj.get<uint16_t>(62)].offset;
  uint64_t at = names + obj.get<uint32_t>(shoff + uint64_t{btf->index} * 64);
  obj.bytes()[at + 3] = std::byte{'X'};  // ".BTX"
  Error e = expect_failure(obj, Errc::InvalidInput, "section .maps needs BTF: compile the object with -g");
  EXPECT_EQ(e.object(), "patched");
}

TEST(MapParserTest, SlotBeyondMaxEntries) {
  // outer_array has max_entries 4 and slot 2 = inner_b; shrinking it to 2
  // puts that slot out of range. max_entries is the nelems of the array the
  // __uint pointer points to.
  ObjectSpec spec = open_object("maps_kinds");
  btf::TypeId def = map_def_struct(spec, "outer_array");
  btf::Member max = spec.btf->type(def)->member(1);
  ASSERT_EQ(max.name, "max_entries");
  btf::TypeId arr = spec.btf->type(max.type)->ref();
  ASSERT_EQ(spec.btf->type(arr)->kind(), btf::Kind::Array);
  ObjectBytes obj("maps_kinds");
  // inner_a/b and outer_hash share the same "int[4]"/"int[8]" arrays; this
  // edit changes every map whose max_entries is 4.
  obj.put<uint32_t>(obj.btf_record_offset(arr) + 20, 2);
  expect_failure(obj, Errc::InvalidInput, "map 'outer_array': initial slot 2 is beyond max_entries 2");
}

}  // namespace
}  // namespace bpfxx
