// Malformed BTF, written by hand with BtfBuilder: every defect must end in a
// clear Error (InvalidInput, or NotSupported for an unknown kind) whose
// message names it. None may crash or hang, including reference loops that
// would send a resolver around forever and nesting that would blow up
// exponentially.
#include <bpfxx/btf/spec.hpp>

#include "btf_test_util.hpp"

#include <gtest/gtest.h>

namespace bpfxx::btf {
namespace {

using test_util::BtfBuilder;
using test_util::contains;

// A small valid BTF to break: int, a pointer, a struct, a function.
BtfBuilder valid_builder(bool big_endian = false) {
  BtfBuilder b(big_endian);
  TypeId i = b.int_("int", 4, 32, kIntSigned);                 // 1
  TypeId p = b.ptr(i);                                        // 2
  b.struct_("pair", 8, {{"a", i, 0}, {"b", i, 32}});          // 3
  TypeId proto = b.func_proto(i, {{"x", p}});                 // 4
  b.func("f", proto);                                         // 5
  return b;
}

Error expect_error(std::span<const std::byte> bytes, Errc code, std::string_view message) {
  auto s = Spec::parse(bytes);
  if (s.has_value()) {
    ADD_FAILURE() << "parsed although it should fail with: " << message;
    return Error(Errc::Internal, "parsed");
  }
  EXPECT_EQ(s.error().code(), code) << s.error().summary();
  EXPECT_TRUE(contains(s.error().message(), message)) << s.error().summary();
  EXPECT_EQ(s.error().op(), "parse BTF");
  return std::move(s).error();
}

TEST(BtfMalformedTest, ValidBaselineParses) {
  for (bool be : {false, true}) {
    auto bytes = valid_builder(be).build();
    auto s = Spec::parse(bytes);
    ASSERT_TRUE(s.has_value()) << s.error().summary();
    EXPECT_EQ(s->type_count(), 6u);
    EXPECT_EQ(s->big_endian(), be);
    EXPECT_EQ(s->describe(5), "[5] FUNC 'f' type_id=4 linkage=1");
  }
}

// ---- Header ------------------------------------------------------------------------------------

TEST(BtfMalformedTest, TooSmall) {
  auto bytes = valid_builder().build();
  bytes.resize(10);
  Error e = expect_error(bytes, Errc::InvalidInput, "10 bytes is too small for a BTF header");
  EXPECT_EQ(e.file_offset(), 0u);
}

TEST(BtfMalformedTest, BadMagic) {
  BtfBuilder b = valid_builder();
  auto bytes = b.build();
  b.put16(bytes, 0, 0x1234);
  Error e = expect_error(bytes, Errc::InvalidInput, "bad BTF magic 0x1234");
  EXPECT_EQ(e.file_offset(), 0u);
}

TEST(BtfMalformedTest, BadVersion) {
  auto bytes = valid_builder().build();
  bytes[2] = std::byte{2};
  Error e = expect_error(bytes, Errc::InvalidInput, "unsupported BTF version 2");
  EXPECT_EQ(e.file_offset(), 2u);
}

TEST(BtfMalformedTest, HeaderLengthOutOfRange) {
  BtfBuilder b = valid_builder();
  auto small = b.build();
  b.put32(small, BtfBuilder::kHdrLenOff, 16);
  Error e = expect_error(small, Errc::InvalidInput, "BTF header length 16 invalid");
  EXPECT_EQ(e.file_offset(), 4u);
  auto big = b.build();
  b.put32(big, BtfBuilder::kHdrLenOff, static_cast<uint32_t>(big.size() + 1));
  expect_error(big, Errc::InvalidInput, "invalid for " + std::to_string(big.size()) + " bytes");
  // A longer header is fine only when its unknown fields are zero.
  auto longer = b.build();
  b.put32(longer, BtfBuilder::kHdrLenOff, 28);  // the first type word becomes header
  expect_error(longer, Errc::InvalidInput, "unknown non-zero BTF header fields");
}

// ---- Section bounds -------------------------------------------------------------------------------

TEST(BtfMalformedTest, TypeSectionOutOfBounds) {
  BtfBuilder b = valid_builder();
  auto bytes = b.build();
  b.put32(bytes, BtfBuilder::kTypeLenOff, 0xfffffff0);
  Error e = expect_error(bytes, Errc::InvalidInput, "type section [0, +4294967280) out of bounds");
  EXPECT_EQ(e.file_offset(), 8u);
  auto wrap = b.build();
  b.put32(wrap, BtfBuilder::kTypeOffOff, 0xfffffffc);  // offset + length would wrap in 32 bits
  expect_error(wrap, Errc::InvalidInput, "type section [4294967292, +");
}

TEST(BtfMalformedTest, StringSectionOutOfBounds) {
  BtfBuilder b = valid_builder();
  auto bytes = b.build();
  b.put32(bytes, BtfBuilder::kStrLenOff, 100000);
  Error e = expect_error(bytes, Errc::InvalidInput, "string section");
  EXPECT_TRUE(contains(e.message(), "out of bounds")) << e.message();
  EXPECT_EQ(e.file_offset(), 16u);
}

TEST(BtfMalformedTest, SectionsOverlap) {
  BtfBuilder b = valid_builder();
  auto bytes = b.build();
  b.put32(bytes, BtfBuilder::kStrOffOff, 8);  // strings start inside the types
  b.put32(bytes, BtfBuilder::kStrLenOff, 4);
  Error e = expect_error(bytes, Errc::InvalidInput, "type and string sections overlap");
  EXPECT_EQ(e.file_offset(), 8u);
}

TEST(BtfMalformedTest, TypeSectionMisaligned) {
  BtfBuilder b = valid_builder();
  auto len = b.build();
  b.put32(len, BtfBuilder::kTypeLenOff, 10);
  expect_error(len, Errc::InvalidInput, "type section length is not a multiple of 4");
}

TEST(BtfMalformedTest, StringSectionNotTerminated) {
  BtfBuilder b = valid_builder();
  b.strings().back() = 'x';  // the last string loses its NUL
  auto bytes = b.build();
  Error e = expect_error(bytes, Errc::InvalidInput, "string section is not NUL-terminated");
  EXPECT_EQ(e.file_offset(), bytes.size() - 1);
}

TEST(BtfMalformedTest, StringSectionNotStartingWithNul) {
  BtfBuilder b = valid_builder();
  b.strings()[0] = 'x';
  expect_error(b.build(), Errc::InvalidInput, "string section does not start with an empty string");
  BtfBuilder empty = valid_builder();
  auto bytes = empty.build();
  empty.put32(bytes, BtfBuilder::kStrLenOff, 0);
  expect_error(bytes, Errc::InvalidInput, "string section does not start with an empty string");
}

// ---- Records --------------------------------------------------------------------------------------

TEST(BtfMalformedTest, NameOffsetOutOfBounds) {
  BtfBuilder b;
  b.add({5000, BtfBuilder::info(Kind::Int), 4, 32});
  expect_error(b.build(), Errc::InvalidInput, "type [1] name offset 5000 out of bounds");
  BtfBuilder m;
  TypeId i = m.int_("int", 4, 32);
  m.add({0, BtfBuilder::info(Kind::Struct, 1), 4, 7777, i, 0});  // member name
  expect_error(m.build(), Errc::InvalidInput, "type [2] entry 0 name offset out of bounds");
}

TEST(BtfMalformedTest, UnknownKindIsNotSupported) {
  BtfBuilder b;
  b.int_("int", 4, 32);
  b.add({0, 25u << 24, 0});
  expect_error(b.build(), Errc::NotSupported, "BTF kind 25 (type [2])");
}

TEST(BtfMalformedTest, RecordOverrunsTheSection) {
  BtfBuilder b;
  TypeId i = b.int_("int", 4, 32);
  b.add({0, BtfBuilder::info(Kind::Struct, 5), 20, 0, i, 0});  // claims 5 members, holds 1
  expect_error(b.build(), Errc::InvalidInput, "type [2] STRUCT with 5 entries overruns the type section");
  BtfBuilder t;
  t.int_("int", 4, 32);
  t.words().push_back(0);  // 8 stray bytes: less than a record header
  t.words().push_back(0);
  expect_error(t.build(), Errc::InvalidInput, "truncated type record at offset 16");
}

TEST(BtfMalformedTest, ReferenceBeyondTheLastType) {
  BtfBuilder b;
  b.int_("int", 4, 32);
  b.ptr(99);
  expect_error(b.build(), Errc::InvalidInput, "type [2] reference refers to type [99], beyond the last type [2]");
  BtfBuilder m;
  m.struct_("s", 4, {{"x", 42, 0}});
  expect_error(m.build(), Errc::InvalidInput, "type [1] member refers to type [42]");
  BtfBuilder a;
  TypeId i = a.int_("int", 4, 32);
  a.array(i, 77, 2);
  expect_error(a.build(), Errc::InvalidInput, "type [2] index type refers to type [77]");
  BtfBuilder d;
  d.datasec(".data", 4, {{9, 0, 4}});
  expect_error(d.build(), Errc::InvalidInput, "type [1] variable refers to type [9]");
  BtfBuilder p;
  p.func_proto(0, {{"a", 12}});
  expect_error(p.build(), Errc::InvalidInput, "type [1] parameter refers to type [12]");
}

TEST(BtfMalformedTest, FuncMustPointToAFuncProto) {
  BtfBuilder b;
  TypeId i = b.int_("int", 4, 32);
  b.func("f", i);
  expect_error(b.build(), Errc::InvalidInput, "FUNC [2] refers to [1], a INT and not a FUNC_PROTO");
  BtfBuilder v;
  v.func("f", 0);
  expect_error(v.build(), Errc::InvalidInput, "type [1] FUNC refers to void");
  // The prototype may come after the FUNC, but it must still be one.
  for (bool be : {false, true}) {
    BtfBuilder later(be);
    later.func("f", 3);                  // 1
    TypeId i = later.int_("int", 4, 32);  // 2
    later.func_proto(i, {});             // 3
    EXPECT_TRUE(Spec::parse(later.build()).has_value());
    BtfBuilder wrong(be);
    wrong.func("f", 3);                         // 1
    TypeId j = wrong.int_("int", 4, 32);         // 2
    wrong.struct_("s", 4, {{"a", j, 0}});       // 3
    expect_error(wrong.build(), Errc::InvalidInput, "FUNC [1] refers to [3], a STRUCT and not a FUNC_PROTO");
  }
}

TEST(BtfMalformedTest, IntWiderThan128Bits) {
  BtfBuilder b;
  b.int_("huge", 32, 200);
  expect_error(b.build(), Errc::InvalidInput, "INT [1] has 200 bits at offset 0 in 32 bytes");
  BtfBuilder o;
  o.int_("spill", 4, 30, 0, 8);  // 30 bits at bit 8 do not fit in 32
  expect_error(o.build(), Errc::InvalidInput, "INT [1] has 30 bits at offset 8 in 4 bytes");
}

// ---- Loops ----------------------------------------------------------------------------------------------
// A chain of references that comes back to itself would make resolve(),
// size_of() and c_name() walk forever; parsing refuses it.

TEST(BtfMalformedTest, PointerToItself) {
  BtfBuilder b;
  b.ptr(1);
  expect_error(b.build(), Errc::InvalidInput, "type [1] is part of a reference loop");
}

TEST(BtfMalformedTest, TypedefConstTypedefCycle) {
  BtfBuilder b;
  b.int_("int", 4, 32);                   // 1
  b.typedef_("a_t", 3);                   // 2 -> 3
  b.const_(4);                            // 3 -> 4
  b.typedef_("b_t", 2);                   // 4 -> 2
  expect_error(b.build(), Errc::InvalidInput, "is part of a reference loop");
}

TEST(BtfMalformedTest, ArrayOfItself) {
  BtfBuilder b;
  TypeId i = b.int_("int", 4, 32);
  b.array(2, i, 4);
  expect_error(b.build(), Errc::InvalidInput, "type [2] is part of a reference loop");
}

TEST(BtfMalformedTest, LongChainIsNotALoop) {
  // 10000 typedefs in a row are deep but finite.
  BtfBuilder b;
  TypeId prev = b.int_("int", 4, 32);
  for (int k = 0; k < 10000; ++k) prev = b.typedef_("t", prev);
  auto bytes = b.build();
  auto s = Spec::parse(bytes);
  ASSERT_TRUE(s.has_value()) << s.error().summary();
  EXPECT_EQ(s->resolve(prev).value(), 1u);
  EXPECT_EQ(s->size_of(prev).value(), 4u);
}

// ---- Errors found after parsing ----------------------------------------------------------------------------
// Some defects are legal BTF but have no answer: those queries fail, cleanly.

TEST(BtfMalformedTest, ArraySizeOverflow) {
  BtfBuilder b;
  TypeId i = b.int_("int", 4, 32);
  TypeId inner = b.array(i, i, 0x10000);
  TypeId outer = b.array(inner, i, 0x10000);  // 2^32 elements of 4 bytes
  TypeId small = b.array(i, i, 0x100000);     // 4 MiB: fine
  auto bytes = b.build();
  Spec s = Spec::parse(bytes).value();
  auto r = s.size_of(outer);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::InvalidInput);
  // The walk from [3] finds the product too large at the inner array [2].
  EXPECT_TRUE(contains(r.error().message(), "array type [2] size overflows")) << r.error().message();
  EXPECT_EQ(s.size_of(small).value(), 0x400000u);
}

TEST(BtfMalformedTest, ElementSizeTimesCountOverflows) {
  BtfBuilder b;
  TypeId i = b.int_("long", 8, 64);
  TypeId arr = b.array(i, i, 0x20000000);  // 2^29 * 8 = 2^32
  auto bytes = b.build();
  Spec s = Spec::parse(bytes).value();
  auto r = s.size_of(arr);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(contains(r.error().message(), "size overflows")) << r.error().message();
}

TEST(BtfMalformedTest, StructContainingItselfByValue) {
  // Members are not reference chains, so this parses; alignment cannot be
  // computed and must fail instead of recursing forever.
  BtfBuilder b;
  TypeId i = b.int_("int", 4, 32);
  b.struct_("self", 8, {{"x", i, 0}, {"again", 2, 32}});
  auto bytes = b.build();
  Spec s = Spec::parse(bytes).value();
  EXPECT_EQ(s.size_of(2).value(), 8u);  // the header's size is all size_of needs
  auto r = s.align_of(2);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::InvalidInput);
  EXPECT_TRUE(contains(r.error().message(), "STRUCT [2] 'self' contains itself by value")) << r.error().message();
}

TEST(BtfMalformedTest, MutuallyContainingStructs) {
  BtfBuilder b;
  b.struct_("a", 4, {{"b", 2, 0}});
  b.struct_("b", 4, {{"a", 1, 0}});
  auto bytes = b.build();
  Spec s = Spec::parse(bytes).value();
  auto r = s.align_of(1);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(contains(r.error().message(), "contains itself by value")) << r.error().message();
}

TEST(BtfMalformedTest, SharedNestingIsLinear) {
  // Level k holds two members of level k-1: 60 levels would be 2^60 visits
  // without memoization. The answer is the int's alignment.
  BtfBuilder b;
  TypeId prev = b.int_("int", 4, 32);
  for (int k = 0; k < 60; ++k) prev = b.struct_("level", 8, {{"l", prev, 0}, {"r", prev, 32}});
  auto bytes = b.build();
  Spec s = Spec::parse(bytes).value();
  EXPECT_EQ(s.align_of(prev).value(), 4u);
}

TEST(BtfMalformedTest, DeepDistinctNestingIsBounded) {
  // A long chain of distinct structs nesting by value ends in an error, not a
  // stack overflow.
  BtfBuilder b;
  TypeId prev = b.int_("int", 4, 32);
  for (int k = 0; k < 5000; ++k) prev = b.struct_("n", 4, {{"x", prev, 0}});
  auto bytes = b.build();
  Spec s = Spec::parse(bytes).value();
  auto r = s.align_of(prev);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(contains(r.error().message(), "nests too deeply")) << r.error().message();
}

// ---- Never a crash ------------------------------------------------------------------------------------------
// Every word of a small valid BTF set to a few hostile values: parsing either
// fails with a message or gives a spec whose queries all terminate.

TEST(BtfMalformedTest, CorruptedWordsNeverCrashOrHang) {
  BtfBuilder b = valid_builder();
  TypeId arr = b.array(1, 1, 3);
  b.typedef_("arr_t", arr);
  b.enum_("e", 4, {{"A", 1}, {"B", -1}}, true);
  b.var("v", 3);
  b.datasec(".data", 8, {{9, 0, 8}});
  const auto original = b.build();
  const uint32_t hostile[] = {0, 1, 2, 7, 0xffffffff, 0x80000000, 0x0d000001, 0x04000003, 0x02000000};
  size_t parsed = 0;
  for (size_t pos = 0; pos + 4 <= original.size(); pos += 4) {
    for (uint32_t v : hostile) {
      auto bytes = original;
      b.put32(bytes, pos, v);
      auto s = Spec::parse(bytes);
      if (!s) {
        EXPECT_TRUE(s.error().code() == Errc::InvalidInput || s.error().code() == Errc::NotSupported);
        EXPECT_FALSE(s.error().message().empty());
        continue;
      }
      ++parsed;
      for (TypeId id = 0; id < s->type_count(); ++id) {
        (void)s->resolve(id);
        (void)s->skip_modifiers(id);
        (void)s->size_of(id);
        (void)s->align_of(id);
        (void)s->c_name(id);
        EXPECT_FALSE(s->describe(id).empty());
      }
      auto round = s->encode();
      EXPECT_TRUE(Spec::parse(round).has_value());
    }
  }
  EXPECT_GT(parsed, 0u);  // some corruptions are harmless (names, sizes)
}

}  // namespace
}  // namespace bpfxx::btf
