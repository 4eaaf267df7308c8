// btf::Builder: every kind it adds decodes back with the same fields, strings
// are shared, the result passes the parser's validation, and split builders
// continue their base's ids.
#include <bpfxx/btf/builder.hpp>

#include <gtest/gtest.h>

#include <string>

namespace bpfxx::btf {
namespace {

TEST(BtfBuilder, EveryKindRoundTrips) {
  Builder b;
  TypeId u32 = b.add_int("unsigned int", 4, 0);
  TypeId s64 = b.add_int("long", 8, kIntSigned);
  TypeId ptr = b.add_ptr(u32);
  TypeId arr = b.add_array(u32, u32, 16);
  TypeId task = b.add_struct("task_struct", 24, {{"pid", u32, 0}, {"tgid", u32, 32}, {"start", s64, 64},
                                                 {"comm", ptr, 128}});
  TypeId bits = b.add_struct("flags", 4, {{"a", u32, 0, 3}, {"b", u32, 3, 5}});
  TypeId un = b.add_union("u", 8, {{"x", u32, 0}, {"y", s64, 0}});
  TypeId en = b.add_enum("state", 4, {{"RUNNING", 0}, {"STOPPED", -4}}, /*is_signed=*/true);
  TypeId en64 = b.add_enum64("big", 8, {{"HUGE", int64_t{1} << 40}});
  TypeId fwd = b.add_fwd("mm_struct");
  TypeId td = b.add_typedef("pid_t", u32);
  TypeId cv = b.add_const(b.add_volatile(td));
  TypeId proto = b.add_func_proto(s64, {{"task", b.add_ptr(task)}, {"flags", u32}});
  TypeId fn = b.add_func("do_thing", proto, FuncLinkage::Global);
  TypeId var = b.add_var("counter", s64, VarLinkage::GlobalAllocated);
  TypeId sec = b.add_datasec(".bss", 8, {{var, 0, 8}});
  TypeId fl = b.add_float("double", 8);
  TypeId tag = b.add_decl_tag("user", task, 1);
  TypeId tt = b.add_type_tag("rcu", task);
  auto spec = std::move(b).finish();
  ASSERT_TRUE(spec) << spec.error().describe();

  EXPECT_EQ(spec->type(u32)->name(), "unsigned int");
  EXPECT_EQ(spec->type(s64)->int_info().encoding, kIntSigned);
  EXPECT_EQ(spec->type(ptr)->ref(), u32);
  EXPECT_EQ(spec->type(arr)->array().nelems, 16u);
  EXPECT_EQ(*spec->size_of(arr), 64u);
  auto t = *spec->type(task);
  ASSERT_EQ(t.vlen(), 4);
  EXPECT_EQ(t.member(1).name, "tgid");
  EXPECT_EQ(t.member(1).bit_offset, 32u);
  EXPECT_EQ(t.member(2).type, s64);
  auto bf = *spec->type(bits);
  EXPECT_TRUE(bf.kflag());
  EXPECT_EQ(bf.member(1).bit_offset, 3u);
  EXPECT_EQ(bf.member(1).bitfield_size, 5u);
  EXPECT_EQ(spec->type(un)->kind(), Kind::Union);
  EXPECT_EQ(spec->type(en)->enumerator(1).value, -4);
  EXPECT_EQ(spec->type(en64)->enumerator(0).value, int64_t{1} << 40);
  EXPECT_EQ(spec->type(fwd)->kind(), Kind::Fwd);
  EXPECT_EQ(*spec->resolve(cv), u32);
  EXPECT_EQ(spec->type(proto)->param(0).name, "task");
  EXPECT_EQ(spec->type(fn)->func_linkage(), FuncLinkage::Global);
  EXPECT_EQ(spec->type(sec)->secinfo(0).type, var);
  EXPECT_EQ(spec->type(fl)->size(), 8u);
  EXPECT_EQ(spec->type(tag)->decl_tag_component(), 1);
  EXPECT_EQ(spec->type(tt)->ref(), task);
  EXPECT_EQ(spec->c_name(cv), "const volatile pid_t");
  EXPECT_EQ(spec->find("task_struct", Kind::Struct), task);

  // Encoding and parsing again is the identity.
  auto again = Spec::parse(spec->encode());
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *spec);
}

TEST(BtfBuilder, StringsAreShared) {
  Builder b;
  uint32_t a = b.add_string("pid");
  uint32_t c = b.add_string("pid");
  EXPECT_EQ(a, c);
  EXPECT_EQ(b.add_string(""), 0u);
}

TEST(BtfBuilder, ExtendsACopyOfASpec) {
  Builder base;
  TypeId u32 = base.add_int("u32", 4, 0);
  Spec first = std::move(base).finish().value();
  Builder more(first);
  TypeId p = more.add_ptr(u32);
  Spec second = std::move(more).finish().value();
  EXPECT_EQ(p, 2u);
  EXPECT_EQ(second.type_count(), 3u);
  EXPECT_EQ(first.type_count(), 2u);  // the original is untouched
}

TEST(BtfBuilder, SplitContinuesTheBase) {
  Builder base;
  TypeId u32 = base.add_int("u32", 4, 0);
  auto vmlinux = std::make_shared<const Spec>(std::move(base).finish().value());
  Builder module = Builder::split(vmlinux);
  TypeId s = module.add_struct("module_thing", 4, {{"x", u32, 0}});
  auto spec = std::move(module).finish();
  ASSERT_TRUE(spec) << spec.error().describe();
  EXPECT_EQ(s, 2u);
  EXPECT_EQ(spec->first_id(), 2u);
  EXPECT_EQ(spec->type(s)->member(0).type, u32);
  EXPECT_EQ(spec->type(u32)->name(), "u32");
  EXPECT_EQ(spec->find("module_thing", Kind::Struct), s);
  EXPECT_EQ(spec->find("u32", Kind::Int), u32);
}

// name_is compares in place, in a split spec's own strings and its base's,
// and never reads past the end of the strings.
TEST(BtfBuilder, NameIsComparesInPlaceWithinBounds) {
  Builder base;
  TypeId u32 = base.add_int("u32", 4, 0);
  auto vmlinux = std::make_shared<const Spec>(std::move(base).finish().value());
  Builder module = Builder::split(vmlinux);
  TypeId s = module.add_struct("module_thing", 4, {{"field", u32, 0}});
  Spec spec = std::move(module).finish().value();
  const uint32_t field = spec.type(s)->member_name_off(0);
  EXPECT_TRUE(spec.name_is(field, "field"));
  EXPECT_FALSE(spec.name_is(field, "fiel"));    // a prefix is not the name
  EXPECT_FALSE(spec.name_is(field, "fields"));  // nor is a longer name
  EXPECT_FALSE(spec.name_is(field, ""));
  // An offset into the base's strings, through the split spec.
  const uint32_t u32_name = spec.type(u32)->name_offset();
  EXPECT_TRUE(spec.name_is(u32_name, "u32"));
  EXPECT_FALSE(spec.name_is(u32_name, "u3"));
  EXPECT_TRUE(spec.name_is(0, ""));
  // Past the end: false, whatever the name.
  EXPECT_FALSE(spec.name_is(1u << 30, ""));
  EXPECT_FALSE(spec.name_is(1u << 30, "field"));
  // The last string: its NUL is the strings' last byte.
  const uint32_t last = spec.type(s)->name_offset() > field ? spec.type(s)->name_offset() : field;
  const std::string_view last_name = *spec.string_at(last);
  EXPECT_TRUE(spec.name_is(last, last_name));
  EXPECT_FALSE(spec.name_is(last, std::string(last_name) + "x"));
}

TEST(BtfBuilder, InvalidReferencesFailAtFinish) {
  Builder b;
  b.add_ptr(42);  // no type 42
  auto spec = std::move(b).finish();
  ASSERT_FALSE(spec);
  EXPECT_EQ(spec.error().code(), Errc::InvalidInput);
}

}  // namespace
}  // namespace bpfxx::btf
