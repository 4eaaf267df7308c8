// Tests of btf::Spec on real BTF: the .BTF sections of the test objects (both
// byte orders) and the running kernel's /sys/kernel/btf/vmlinux.
//
// Expected ids, names and layouts for globals.bpf.o come from
// `bpftool btf dump file globals.bpf.o` (clang 14); the test does not run
// the tool. Lookups, resolution, sizes, alignments, C names and one-line
// descriptions are checked against it; parse -> encode -> parse must give an
// equal spec; edits must leave the original bytes alone.
#include <bpfxx/btf/spec.hpp>

#include "base/mapped_file.hpp"
#include "btf_test_util.hpp"

#include <linux/btf.h>

#include <gtest/gtest.h>

namespace bpfxx::btf {
namespace {

using test_util::BtfBuilder;
using test_util::contains;
using test_util::kTestObjects;
using test_util::TestObject;

// ---- Kind values are the file format's -------------------------------------------------

static_assert(static_cast<int>(Kind::Void) == BTF_KIND_UNKN);
static_assert(static_cast<int>(Kind::Int) == BTF_KIND_INT);
static_assert(static_cast<int>(Kind::Ptr) == BTF_KIND_PTR);
static_assert(static_cast<int>(Kind::Array) == BTF_KIND_ARRAY);
static_assert(static_cast<int>(Kind::Struct) == BTF_KIND_STRUCT);
static_assert(static_cast<int>(Kind::Union) == BTF_KIND_UNION);
static_assert(static_cast<int>(Kind::Enum) == BTF_KIND_ENUM);
static_assert(static_cast<int>(Kind::Fwd) == BTF_KIND_FWD);
static_assert(static_cast<int>(Kind::Typedef) == BTF_KIND_TYPEDEF);
static_assert(static_cast<int>(Kind::Volatile) == BTF_KIND_VOLATILE);
static_assert(static_cast<int>(Kind::Const) == BTF_KIND_CONST);
static_assert(static_cast<int>(Kind::Restrict) == BTF_KIND_RESTRICT);
static_assert(static_cast<int>(Kind::Func) == BTF_KIND_FUNC);
static_assert(static_cast<int>(Kind::FuncProto) == BTF_KIND_FUNC_PROTO);
static_assert(static_cast<int>(Kind::Var) == BTF_KIND_VAR);
static_assert(static_cast<int>(Kind::Datasec) == BTF_KIND_DATASEC);
static_assert(static_cast<int>(Kind::Float) == BTF_KIND_FLOAT);
static_assert(static_cast<int>(Kind::DeclTag) == BTF_KIND_DECL_TAG);
static_assert(static_cast<int>(Kind::TypeTag) == BTF_KIND_TYPE_TAG);
static_assert(static_cast<int>(Kind::Enum64) == BTF_KIND_ENUM64);
static_assert(kMaxKind == BTF_KIND_MAX);
static_assert(kMagic == BTF_MAGIC);
static_assert(kHeaderSize == sizeof(struct btf_header));
static_assert(kIntSigned == BTF_INT_SIGNED && kIntChar == BTF_INT_CHAR && kIntBool == BTF_INT_BOOL);

TEST(BtfKindTest, ValuesMatchUapi) {
  // The static_asserts above already fail the build on a mismatch; this
  // lists the pairs as a test too.
  const std::pair<Kind, int> pairs[] = {
      {Kind::Int, BTF_KIND_INT},           {Kind::Ptr, BTF_KIND_PTR},         {Kind::Array, BTF_KIND_ARRAY},
      {Kind::Struct, BTF_KIND_STRUCT},     {Kind::Union, BTF_KIND_UNION},     {Kind::Enum, BTF_KIND_ENUM},
      {Kind::Fwd, BTF_KIND_FWD},           {Kind::Typedef, BTF_KIND_TYPEDEF}, {Kind::Volatile, BTF_KIND_VOLATILE},
      {Kind::Const, BTF_KIND_CONST},       {Kind::Restrict, BTF_KIND_RESTRICT}, {Kind::Func, BTF_KIND_FUNC},
      {Kind::FuncProto, BTF_KIND_FUNC_PROTO}, {Kind::Var, BTF_KIND_VAR},      {Kind::Datasec, BTF_KIND_DATASEC},
      {Kind::Float, BTF_KIND_FLOAT},       {Kind::DeclTag, BTF_KIND_DECL_TAG}, {Kind::TypeTag, BTF_KIND_TYPE_TAG},
      {Kind::Enum64, BTF_KIND_ENUM64},
  };
  EXPECT_EQ(std::size(pairs), static_cast<size_t>(NR_BTF_KINDS - 1));
  for (auto [kind, uapi] : pairs) EXPECT_EQ(static_cast<int>(kind), uapi) << to_string(kind);
}

TEST(BtfKindTest, NamesAndRecordSizes) {
  EXPECT_EQ(to_string(Kind::FuncProto), "FUNC_PROTO");
  EXPECT_EQ(to_string(Kind::Enum64), "ENUM64");
  EXPECT_EQ(to_string(static_cast<Kind>(31)), "UNKNOWN");
  // Record sizes from Documentation/bpf/btf.rst: 12-byte btf_type + extra.
  EXPECT_EQ(record_size(Kind::Int, 0), 16u);
  EXPECT_EQ(record_size(Kind::Ptr, 0), 12u);
  EXPECT_EQ(record_size(Kind::Array, 0), 24u);
  EXPECT_EQ(record_size(Kind::Struct, 3), 12u + 3 * 12);
  EXPECT_EQ(record_size(Kind::Enum, 2), 12u + 2 * 8);
  EXPECT_EQ(record_size(Kind::Enum64, 2), 12u + 2 * 12);
  EXPECT_EQ(record_size(Kind::FuncProto, 1), 20u);
  EXPECT_EQ(record_size(Kind::Var, 0), 16u);
  EXPECT_EQ(record_size(Kind::Datasec, 2), 36u);
  EXPECT_EQ(record_size(Kind::DeclTag, 0), 16u);
  EXPECT_EQ(record_size(static_cast<Kind>(25), 0), 0u);
}

// ---- globals.bpf.o, as bpftool dumps it -----------------------------------------------------

class GlobalsBtf : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    auto s = Spec::parse(obj_.btf);
    ASSERT_TRUE(s.has_value()) << s.error().summary();
    spec_ = std::move(*s);
  }
  TestObject obj_{"globals", GetParam()};
  Spec spec_;
};

TEST_P(GlobalsBtf, Counts) {
  EXPECT_EQ(spec_.big_endian(), GetParam());
  EXPECT_EQ(spec_.type_count(), 49u);  // [1]..[48] and void
  EXPECT_EQ(spec_.first_id(), 1u);
  EXPECT_EQ(spec_.base(), nullptr);
}

TEST_P(GlobalsBtf, FindByName) {
  auto config = spec_.find_by_name("config");
  ASSERT_EQ(config.size(), 1u);
  EXPECT_EQ(config[0], 17u);
  EXPECT_EQ(spec_.find("config", Kind::Struct), 17u);
  EXPECT_EQ(spec_.find("config", Kind::Typedef), std::nullopt);
  EXPECT_EQ(spec_.find("config_t", Kind::Typedef), 16u);
  EXPECT_EQ(spec_.find("int", Kind::Int), 3u);
  EXPECT_EQ(spec_.find("mode", Kind::Enum), 25u);
  EXPECT_EQ(spec_.find("read_globals", Kind::Func), 4u);
  EXPECT_EQ(spec_.find(".rodata", Kind::Datasec), 47u);
  EXPECT_EQ(spec_.find("data_static", Kind::Var), 34u);
  EXPECT_TRUE(spec_.find_by_name("no_such_type").empty());
  EXPECT_TRUE(spec_.find_by_name("").empty());  // anonymous types are not indexed
}

TEST_P(GlobalsBtf, DecodesRecords) {
  Type cfg = spec_.type(17).value();
  EXPECT_EQ(cfg.kind(), Kind::Struct);
  EXPECT_EQ(cfg.name(), "config");
  EXPECT_EQ(cfg.size(), 8u);
  EXPECT_EQ(cfg.vlen(), 4u);
  EXPECT_FALSE(cfg.kflag());
  auto members = cfg.members();
  ASSERT_EQ(members.size(), 4u);
  struct {
    const char* name;
    TypeId type;
    uint32_t bit_offset;
  } want[] = {{"limit", 6, 0}, {"port", 18, 32}, {"enabled", 20, 48}, {"pad", 20, 56}};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(members[i].name, want[i].name);
    EXPECT_EQ(members[i].type, want[i].type);
    EXPECT_EQ(members[i].bit_offset, want[i].bit_offset);
    EXPECT_EQ(members[i].bitfield_size, 0u);
  }

  IntInfo i = spec_.type(3)->int_info();
  EXPECT_EQ(i.encoding, kIntSigned);
  EXPECT_EQ(i.bits, 32);
  EXPECT_EQ(i.bit_offset, 0);
  EXPECT_EQ(spec_.type(33)->int_info().bits, 64);  // unsigned long long
  EXPECT_EQ(spec_.type(33)->int_info().encoding, 0);

  ArrayInfo a = spec_.type(8)->array();
  EXPECT_EQ(a.elem_type, 6u);
  EXPECT_EQ(a.index_type, 9u);
  EXPECT_EQ(a.nelems, 4u);

  Type mode = spec_.type(25).value();
  EXPECT_FALSE(mode.enum_signed());  // clang 14 marks every ENUM unsigned
  auto values = mode.enumerators();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0].name, "MODE_OFF");
  EXPECT_EQ(values[0].value, 0);
  EXPECT_EQ(values[1].name, "MODE_ON");
  EXPECT_EQ(values[1].value, 1);
  EXPECT_EQ(values[2].name, "MODE_AUTO");
  EXPECT_EQ(values[2].value, 0xffffffffll);  // -1 stored unsigned

  Type func = spec_.type(4).value();
  EXPECT_EQ(func.func_linkage(), FuncLinkage::Global);
  EXPECT_EQ(func.ref(), 2u);
  auto params = spec_.type(2)->params();
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].name, "ctx");
  EXPECT_EQ(params[0].type, 1u);
  EXPECT_EQ(spec_.type(2)->ref(), 3u);  // returns int

  EXPECT_EQ(spec_.type(34)->var_linkage(), VarLinkage::Static);
  EXPECT_EQ(spec_.type(5)->var_linkage(), VarLinkage::GlobalAllocated);

  // DATASEC sizes and offsets are as clang wrote them; the object model fixes
  // them from the symbol table, the BTF layer does not.
  Type data = spec_.type(45).value();
  EXPECT_EQ(data.name(), ".data");
  EXPECT_EQ(data.size(), 0u);
  auto vars = data.secinfos();
  ASSERT_EQ(vars.size(), 3u);
  EXPECT_EQ(vars[0], (VarSecinfo{5, 0, 4}));
  EXPECT_EQ(vars[1], (VarSecinfo{10, 0, 16}));
  EXPECT_EQ(vars[2], (VarSecinfo{34, 24, 8}));

  EXPECT_EQ(spec_.string_at(0), std::string_view(""));
  EXPECT_FALSE(spec_.string_at(1u << 30).has_value());
}

TEST_P(GlobalsBtf, LookupOutOfRangeIsNotFound) {
  auto t = spec_.type(49);
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code(), Errc::NotFound);
  EXPECT_TRUE(contains(t.error().message(), "type id 49 out of range (49 types)")) << t.error().message();
  Type v = spec_.type(0).value();
  EXPECT_EQ(v.kind(), Kind::Void);
  EXPECT_EQ(spec_.resolve(1000).error().code(), Errc::NotFound);
}

TEST_P(GlobalsBtf, ResolveAndSkipModifiers) {
  // [14] CONST -> [15] VOLATILE -> [16] TYPEDEF config_t -> [17] STRUCT config
  EXPECT_EQ(spec_.resolve(14).value(), 17u);
  EXPECT_EQ(spec_.skip_modifiers(14).value(), 16u);
  EXPECT_EQ(spec_.resolve(6).value(), 7u);          // __u32 -> unsigned int
  EXPECT_EQ(spec_.skip_modifiers(6).value(), 6u);   // a typedef is not a modifier
  EXPECT_EQ(spec_.resolve(31).value(), 33u);        // volatile __u64
  EXPECT_EQ(spec_.resolve(42).value(), 42u);        // pointers are not followed
  EXPECT_EQ(spec_.resolve(3).value(), 3u);
  EXPECT_EQ(spec_.resolve(0).value(), 0u);
}

TEST_P(GlobalsBtf, SizeOf) {
  EXPECT_EQ(spec_.size_of(3).value(), 4u);    // int
  EXPECT_EQ(spec_.size_of(17).value(), 8u);   // struct config
  EXPECT_EQ(spec_.size_of(14).value(), 8u);   // const volatile config_t
  EXPECT_EQ(spec_.size_of(8).value(), 16u);   // __u32[4]
  EXPECT_EQ(spec_.size_of(38).value(), 11u);  // const char[11]
  EXPECT_EQ(spec_.size_of(42).value(), 8u);   // struct config *
  EXPECT_EQ(spec_.size_of(25).value(), 4u);   // enum mode
  EXPECT_EQ(spec_.size_of(22).value(), 8u);   // VAR ro_config
  EXPECT_EQ(spec_.size_of(19).value(), 2u);   // unsigned short
  auto proto = spec_.size_of(2);
  ASSERT_FALSE(proto.has_value());
  EXPECT_EQ(proto.error().code(), Errc::InvalidInput);
  EXPECT_TRUE(contains(proto.error().message(), "FUNC_PROTO")) << proto.error().message();
  EXPECT_TRUE(contains(proto.error().message(), "has no size")) << proto.error().message();
  EXPECT_FALSE(spec_.size_of(0).has_value());  // void
}

TEST_P(GlobalsBtf, AlignOf) {
  EXPECT_EQ(spec_.align_of(17).value(), 4u);  // struct config: max(__u32, __u16, __u8)
  EXPECT_EQ(spec_.align_of(14).value(), 4u);
  EXPECT_EQ(spec_.align_of(18).value(), 2u);  // __u16
  EXPECT_EQ(spec_.align_of(29).value(), 1u);  // char[8]
  EXPECT_EQ(spec_.align_of(42).value(), 8u);  // pointer
  EXPECT_EQ(spec_.align_of(32).value(), 8u);  // __u64
  EXPECT_EQ(spec_.align_of(25).value(), 4u);  // enum
  auto func = spec_.align_of(4);
  ASSERT_FALSE(func.has_value());
  EXPECT_TRUE(contains(func.error().message(), "FUNC has no alignment")) << func.error().message();
}

TEST_P(GlobalsBtf, CNames) {
  EXPECT_EQ(spec_.c_name(3), "int");
  EXPECT_EQ(spec_.c_name(17), "struct config");
  EXPECT_EQ(spec_.c_name(16), "config_t");
  EXPECT_EQ(spec_.c_name(14), "const volatile config_t");
  EXPECT_EQ(spec_.c_name(23), "const volatile enum mode");
  EXPECT_EQ(spec_.c_name(8), "__u32[4]");
  EXPECT_EQ(spec_.c_name(38), "const char[11]");
  EXPECT_EQ(spec_.c_name(42), "struct config *");
  EXPECT_EQ(spec_.c_name(1), "void *");
  EXPECT_EQ(spec_.c_name(0), "void");
  EXPECT_EQ(spec_.c_name(2), "<function>");
  EXPECT_EQ(spec_.c_name(4), "read_globals");
  EXPECT_EQ(spec_.c_name(4000), "<bad type 4000>");
}

TEST_P(GlobalsBtf, Describe) {
  EXPECT_EQ(spec_.describe(3), "[3] INT 'int' size=4 bits=32 offset=0 encoding=SIGNED");
  EXPECT_EQ(spec_.describe(7), "[7] INT 'unsigned int' size=4 bits=32 offset=0 encoding=(none)");
  EXPECT_EQ(spec_.describe(17), "[17] STRUCT 'config' size=8 vlen=4");
  EXPECT_EQ(spec_.describe(8), "[8] ARRAY '' type_id=6 index_type_id=9 nr_elems=4");
  EXPECT_EQ(spec_.describe(1), "[1] PTR '' type_id=0");
  EXPECT_EQ(spec_.describe(16), "[16] TYPEDEF 'config_t' type_id=17");
  EXPECT_EQ(spec_.describe(25), "[25] ENUM 'mode' size=4 vlen=3");
  EXPECT_EQ(spec_.describe(4), "[4] FUNC 'read_globals' type_id=2 linkage=1");
  EXPECT_EQ(spec_.describe(2), "[2] FUNC_PROTO '' ret_type_id=3 vlen=1");
  EXPECT_EQ(spec_.describe(34), "[34] VAR 'data_static' type_id=31 linkage=0");
  EXPECT_EQ(spec_.describe(45), "[45] DATASEC '.data' size=0 vlen=3");
  EXPECT_EQ(spec_.describe(11), "[11] CONST '' type_id=12");
  EXPECT_EQ(spec_.describe(99), "[99] <invalid>");
}

INSTANTIATE_TEST_SUITE_P(ByteOrders, GlobalsBtf, testing::Bool(),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

// ---- Every test object -------------------------------------------------------------------------
// Both byte orders decode to the same types; encoding round-trips.

void expect_same_types(const Spec& a, const Spec& b) {
  ASSERT_EQ(a.type_count(), b.type_count());
  for (TypeId id = 1; id < a.type_count(); ++id) {
    Type x = a.type_unchecked(id), y = b.type_unchecked(id);
    ASSERT_EQ(x.kind(), y.kind()) << "type " << id;
    ASSERT_EQ(x.name(), y.name()) << "type " << id;
    ASSERT_EQ(x.vlen(), y.vlen()) << "type " << id;
    ASSERT_EQ(x.kflag(), y.kflag()) << "type " << id;
    ASSERT_EQ(x.size(), y.size()) << "type " << id;
    ASSERT_EQ(a.describe(id), b.describe(id));
    if (x.is_struct_or_union()) {
      for (uint32_t m = 0; m < x.vlen(); ++m) {
        ASSERT_EQ(x.member(m).name, y.member(m).name);
        ASSERT_EQ(x.member(m).type, y.member(m).type);
        ASSERT_EQ(x.member(m).bit_offset, y.member(m).bit_offset);
      }
    } else if (x.kind() == Kind::Datasec) {
      ASSERT_EQ(x.secinfos(), y.secinfos());
    } else if (x.kind() == Kind::FuncProto) {
      for (uint32_t p = 0; p < x.vlen(); ++p) ASSERT_EQ(x.param(p).type, y.param(p).type);
    } else if (x.is_enum()) {
      for (uint32_t e = 0; e < x.vlen(); ++e) ASSERT_EQ(x.enumerator(e).value, y.enumerator(e).value);
    }
  }
}

TEST(BtfSpecTest, EveryObjectParsesInBothByteOrders) {
  const uint32_t counts[] = {49, 82, 26, 55, 15};  // bpftool's last id + 1
  for (size_t i = 0; i < std::size(kTestObjects); ++i) {
    SCOPED_TRACE(kTestObjects[i]);
    TestObject le(kTestObjects[i], false), be(kTestObjects[i], true);
    auto a = Spec::parse(le.btf);
    auto b = Spec::parse(be.btf);
    ASSERT_TRUE(a.has_value()) << a.error().summary();
    ASSERT_TRUE(b.has_value()) << b.error().summary();
    EXPECT_FALSE(a->big_endian());
    EXPECT_TRUE(b->big_endian());
    EXPECT_EQ(a->type_count(), counts[i]);
    expect_same_types(*a, *b);
    EXPECT_FALSE(*a == *b);  // equal types, but bytes in different orders
  }
}

void expect_round_trip(std::span<const std::byte> bytes) {
  auto first = Spec::parse(bytes);
  ASSERT_TRUE(first.has_value()) << first.error().summary();
  std::vector<std::byte> encoded = first->encode();
  auto second = Spec::parse(encoded);
  ASSERT_TRUE(second.has_value()) << second.error().summary();
  EXPECT_TRUE(*first == *second);
  EXPECT_EQ(second->encode(), encoded);  // a fixed point
  EXPECT_EQ(second->big_endian(), first->big_endian());
  expect_same_types(*first, *second);
}

TEST(BtfSpecTest, EveryObjectRoundTrips) {
  for (const char* name : kTestObjects) {
    for (bool be : {false, true}) {
      SCOPED_TRACE(std::string(name) + (be ? " bpfeb" : " bpfel"));
      TestObject obj(name, be);
      expect_round_trip(obj.btf);
    }
  }
}

TEST(BtfSpecTest, EncodeWritesTheSpecsByteOrder) {
  TestObject obj("subprogs", true);
  auto s = Spec::parse(obj.btf);
  ASSERT_TRUE(s.has_value());
  auto bytes = s->encode();
  ASSERT_GE(bytes.size(), kHeaderSize);
  EXPECT_EQ(bytes[0], std::byte{0xeb});  // big-endian magic 0xeB9F
  EXPECT_EQ(bytes[1], std::byte{0x9f});
  // clang writes the same layout (24-byte header, types then strings), so the
  // encoding reproduces the section byte for byte.
  EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), obj.btf.begin(), obj.btf.end()));
}

TEST(BtfSpecTest, CopiesAreIndependentAndEqual) {
  TestObject obj("globals");
  Spec a = Spec::parse(obj.btf).value();
  Spec b = a;
  EXPECT_TRUE(a == b);
  ASSERT_TRUE(b.set_size(45, 32).has_value());
  EXPECT_FALSE(a == b);
  EXPECT_EQ(a.type(45)->size(), 0u);
  EXPECT_EQ(b.type(45)->size(), 32u);
  Spec c;
  c = b;  // copy of an edited (owning) spec points at its own storage
  b = a;
  EXPECT_EQ(c.type(45)->size(), 32u);
  EXPECT_EQ(b.type(45)->size(), 0u);
}

// ---- Editing --------------------------------------------------------------------------------------
// Edits copy the spec's section first: the bytes it was parsed from (a
// mapped file in real use) are never written. The edited spec re-parses.

class EditBtf : public testing::TestWithParam<bool> {
 protected:
  TestObject obj_{"globals", GetParam()};
  std::vector<std::byte> original_{obj_.btf.begin(), obj_.btf.end()};
  Spec spec_ = Spec::parse(obj_.btf).value();
  void expect_source_untouched() {
    EXPECT_TRUE(std::equal(obj_.btf.begin(), obj_.btf.end(), original_.begin(), original_.end()));
  }
  // Encodes the edited spec and parses the result; the spec keeps the new
  // bytes alive through its keep-alive pointer.
  Spec reparse() {
    auto bytes = std::make_shared<const std::vector<std::byte>>(spec_.encode());
    return Spec::parse(*bytes, bytes).value();
  }
};

TEST_P(EditBtf, SetSizeSecinfoAndLinkage) {
  ASSERT_TRUE(spec_.set_size(45, 32).has_value());
  ASSERT_TRUE(spec_.set_secinfo(45, 1, {10, 4, 16}).has_value());
  ASSERT_TRUE(spec_.set_var_linkage(5, VarLinkage::Static).has_value());
  expect_source_untouched();
  EXPECT_EQ(spec_.type(45)->size(), 32u);
  EXPECT_EQ(spec_.type(45)->secinfo(1), (VarSecinfo{10, 4, 16}));
  EXPECT_EQ(spec_.type(5)->var_linkage(), VarLinkage::Static);
  Spec again = reparse();
  EXPECT_EQ(again.type(45)->size(), 32u);
  EXPECT_EQ(again.type(45)->secinfo(1), (VarSecinfo{10, 4, 16}));
  EXPECT_EQ(again.type(5)->var_linkage(), VarLinkage::Static);
  EXPECT_EQ(again.big_endian(), GetParam());
}

TEST_P(EditBtf, AppendAndAddString) {
  uint32_t before_count = spec_.type_count();
  // The header's str_len: a new string goes right after the existing ones.
  detail::ByteReader header(obj_.btf, GetParam() != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__));
  uint32_t name = spec_.add_string("added_t");
  EXPECT_EQ(name, header.read<uint32_t>(20));
  EXPECT_EQ(spec_.string_at(name), std::string_view("added_t"));
  TypeId id = spec_.append_record(std::vector<uint32_t>{name, BtfBuilder::info(Kind::Typedef), 17});
  EXPECT_EQ(id, before_count);
  EXPECT_EQ(spec_.type_count(), before_count + 1);
  expect_source_untouched();
  EXPECT_EQ(spec_.find("added_t", Kind::Typedef), id);  // the name index is rebuilt
  EXPECT_EQ(spec_.c_name(id), "added_t");
  EXPECT_EQ(spec_.resolve(id).value(), 17u);
  Spec again = reparse();
  EXPECT_EQ(again.type_count(), before_count + 1);
  EXPECT_EQ(again.describe(id), "[49] TYPEDEF 'added_t' type_id=17");
}

TEST_P(EditBtf, ReplaceRecordWithADifferentSize) {
  // [17] struct config (4 members) becomes a 1-member struct: every later
  // record moves, and must still decode.
  std::string before_tail = spec_.describe(45) + spec_.describe(48);
  uint32_t config_name_off = 0;
  for (uint32_t off = 1; off < obj_.btf.size() && config_name_off == 0; ++off) {
    if (spec_.string_at(off) == std::string_view("config")) config_name_off = off;
  }
  ASSERT_NE(config_name_off, 0u);
  std::vector<uint32_t> rec{config_name_off, BtfBuilder::info(Kind::Struct, 1), 4, 0, 6, 0};
  ASSERT_TRUE(spec_.replace_record(17, rec).has_value());
  expect_source_untouched();
  EXPECT_EQ(spec_.type(17)->vlen(), 1u);
  EXPECT_EQ(spec_.size_of(17).value(), 4u);
  EXPECT_EQ(spec_.describe(45) + spec_.describe(48), before_tail);
  Spec again = reparse();
  EXPECT_EQ(again.describe(17), "[17] STRUCT 'config' size=4 vlen=1");
  EXPECT_EQ(again.describe(45) + again.describe(48), before_tail);
}

TEST_P(EditBtf, BadEditsAreRejected) {
  auto wrong_kind = spec_.set_secinfo(17, 0, {});
  ASSERT_FALSE(wrong_kind.has_value());
  EXPECT_EQ(wrong_kind.error().code(), Errc::InvalidInput);
  EXPECT_TRUE(contains(wrong_kind.error().message(), "type [17] is STRUCT and not DATASEC"))
      << wrong_kind.error().message();
  EXPECT_FALSE(spec_.set_var_linkage(3, VarLinkage::Static).has_value());
  auto no_var = spec_.set_secinfo(45, 3, {});
  ASSERT_FALSE(no_var.has_value());
  EXPECT_TRUE(contains(no_var.error().message(), "DATASEC [45] has no variable 3")) << no_var.error().message();
  auto out_of_range = spec_.set_size(49, 1);
  ASSERT_FALSE(out_of_range.has_value());
  EXPECT_TRUE(contains(out_of_range.error().message(), "type id 49 is not in this spec"))
      << out_of_range.error().message();
  EXPECT_FALSE(spec_.set_size(0, 1).has_value());  // void is nobody's record
  std::vector<uint32_t> mismatched{0, BtfBuilder::info(Kind::Struct, 2), 4, 0, 6, 0};  // 2 members, 1 given
  auto bad_record = spec_.replace_record(17, mismatched);
  ASSERT_FALSE(bad_record.has_value());
  EXPECT_TRUE(contains(bad_record.error().message(), "record size does not match its kind"));
  EXPECT_FALSE(spec_.replace_record(17, std::vector<uint32_t>{0, 0}).has_value());
  // Nothing was changed by the failed edits.
  EXPECT_TRUE(spec_ == Spec::parse(obj_.btf).value());
}

INSTANTIATE_TEST_SUITE_P(ByteOrders, EditBtf, testing::Bool(),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

// ---- c_name of declarators -----------------------------------------------------------------------
// Pointers to arrays and qualified pointers need C's inside-out spelling.

// Name lookups when a name has several string entries (producers dedup
// strings, but nothing forces them to), and after an edit renames a type.
TEST(BtfSpecTest, FindByNameSeesEveryCopyOfAName) {
  for (bool be : {false, true}) {
    BtfBuilder b(be);
    TypeId i = b.int_("int", 4, 32);                 // 1
    b.struct_("dup", 4, {{"a", i, 0}});              // 2: first "dup" string
    b.typedef_("other", i);                          // 3
    b.typedef_("dup", i);                            // 4: second "dup" string
    b.struct_("dup_not", 4, {{"dup", i, 0}});        // 5: a prefix match, and a member named dup
    b.typedef_("not_dup", i);                        // 6
    // [7]'s name is the tail of "not_dup": producers may share tails.
    b.add({static_cast<uint32_t>(b.strings().find("not_dup") + 4), BtfBuilder::info(Kind::Typedef), i});
    auto s = Spec::parse(b.build());
    ASSERT_TRUE(s.has_value()) << s.error().summary();
    auto ids = s->find_by_name("dup");
    EXPECT_EQ(std::vector<TypeId>(ids.begin(), ids.end()), (std::vector<TypeId>{2, 4, 7}));
    EXPECT_EQ(s->type(7)->name(), "dup");
    EXPECT_EQ(s->find("dup", Kind::Typedef), 4u);
    EXPECT_EQ(s->find("dup", Kind::Struct), 2u);
    EXPECT_EQ(s->find("du", Kind::Struct), std::nullopt);
    // Rename [3] to "dup" by pointing it at the first copy: the lookup must
    // see the edit, not the name offsets the parse recorded.
    uint32_t dup_off = 0;
    while (s->string_at(dup_off) != std::string_view("dup")) ++dup_off;
    std::vector<uint32_t> rec{dup_off, BtfBuilder::info(Kind::Typedef), i};
    ASSERT_TRUE(s->replace_record(3, rec).has_value());
    ids = s->find_by_name("dup");
    EXPECT_EQ(std::vector<TypeId>(ids.begin(), ids.end()), (std::vector<TypeId>{2, 3, 4, 7}));
    EXPECT_TRUE(s->find_by_name("other").empty());
  }
}

TEST(BtfSpecTest, CNameDeclarators) {
  BtfBuilder b;
  TypeId chr = b.int_("char", 1, 8, kIntSigned);        // 1
  TypeId idx = b.int_("__ARRAY_SIZE_TYPE__", 4, 32);    // 2
  TypeId cchr = b.const_(chr);                          // 3
  TypeId p_cchr = b.ptr(cchr);                          // 4: const char *
  TypeId p_chr = b.ptr(chr);                            // 5
  TypeId c_p_chr = b.const_(p_chr);                     // 6: char *const
  TypeId arr = b.array(chr, idx, 4);                    // 7
  TypeId p_arr = b.ptr(arr);                            // 8: char (*)[4]
  TypeId arr_p = b.array(p_chr, idx, 2);                // 9: char *[2]
  TypeId pp = b.ptr(c_p_chr);                           // 10: char *const *
  TypeId arr2 = b.array(arr, idx, 3);                   // 11: char[3][4]
  TypeId fwd = b.fwd("later", true);                    // 12
  TypeId p_fwd = b.ptr(fwd);                            // 13
  TypeId anon = b.struct_("", 4, {{"x", idx, 0}});      // 14
  TypeId v_p_cchr = b.volatile_(p_cchr);                // 15: const char *volatile
  auto bytes = b.build();
  Spec s = Spec::parse(bytes).value();
  EXPECT_EQ(s.c_name(p_cchr), "const char *");
  EXPECT_EQ(s.c_name(c_p_chr), "char *const");
  EXPECT_EQ(s.c_name(p_arr), "char (*)[4]");
  EXPECT_EQ(s.c_name(arr_p), "char *[2]");
  EXPECT_EQ(s.c_name(pp), "char *const *");
  EXPECT_EQ(s.c_name(arr2), "char[3][4]");
  EXPECT_EQ(s.c_name(p_fwd), "union later *");
  EXPECT_EQ(s.c_name(anon), "struct <anon>");
  EXPECT_EQ(s.c_name(v_p_cchr), "const char *volatile");
}

// ---- vmlinux ------------------------------------------------------------------------------------------
// The kernel's own BTF: >100k types, every kind clang emits and more. Skipped
// only when the kernel exposes none.

class VmlinuxBtf : public testing::Test {
 protected:
  void SetUp() override {
    auto f = detail::MappedFile::open("/sys/kernel/btf/vmlinux");
    if (!f && f.error().code() == Errc::NotFound) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
    ASSERT_TRUE(f.has_value()) << f.error().summary();
    file_ = *f;
    auto s = Spec::parse(file_->bytes(), file_);
    ASSERT_TRUE(s.has_value()) << s.error().summary();
    spec_ = std::move(*s);
  }
  std::shared_ptr<const detail::MappedFile> file_;
  Spec spec_;
};

TEST_F(VmlinuxBtf, KnownKernelTypes) {
  EXPECT_GT(spec_.type_count(), 10000u);
  EXPECT_EQ(spec_.big_endian(), __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);

  auto list_head = spec_.find("list_head", Kind::Struct);
  ASSERT_TRUE(list_head.has_value());
  EXPECT_EQ(spec_.size_of(*list_head).value(), 16u);
  EXPECT_EQ(spec_.align_of(*list_head).value(), 8u);
  Type lh = spec_.type(*list_head).value();
  ASSERT_EQ(lh.vlen(), 2u);
  EXPECT_EQ(lh.member(0).name, "next");
  EXPECT_EQ(lh.member(1).bit_offset, 64u);
  EXPECT_EQ(spec_.c_name(lh.member(0).type), "struct list_head *");

  auto u32 = spec_.find("u32", Kind::Typedef);
  ASSERT_TRUE(u32.has_value());
  EXPECT_EQ(spec_.size_of(*u32).value(), 4u);
  EXPECT_EQ(spec_.type(spec_.resolve(*u32).value())->name(), "unsigned int");

  auto map_type = spec_.find("bpf_map_type", Kind::Enum);
  ASSERT_TRUE(map_type.has_value());
  bool ringbuf = false;
  for (const EnumValue& v : spec_.type(*map_type)->enumerators()) {
    if (v.name == "BPF_MAP_TYPE_RINGBUF") ringbuf = v.value == 27;
  }
  EXPECT_TRUE(ringbuf);

  auto task = spec_.find("task_struct", Kind::Struct);
  ASSERT_TRUE(task.has_value());
  uint32_t task_size = spec_.size_of(*task).value();
  EXPECT_GT(task_size, 1000u);
  EXPECT_EQ(task_size % spec_.align_of(*task).value(), 0u);
}

TEST_F(VmlinuxBtf, EveryTypeDescribesAndNames) {
  // Walks all types once: no loops, no out-of-range references, every
  // sized type has a size.
  size_t sized = 0;
  for (TypeId id = 1; id < spec_.type_count(); ++id) {
    Type t = spec_.type_unchecked(id);
    ASSERT_FALSE(contains(spec_.describe(id), "<invalid>"));
    ASSERT_FALSE(contains(spec_.c_name(id), "<loop>"));
    if (t.kind() == Kind::Struct || t.kind() == Kind::Int || t.kind() == Kind::Typedef) {
      auto size = spec_.size_of(id);
      if (size) ++sized;
    }
  }
  EXPECT_GT(sized, 10000u);
}

TEST_F(VmlinuxBtf, RoundTrips) { expect_round_trip(file_->bytes()); }

}  // namespace
}  // namespace bpfxx::btf
