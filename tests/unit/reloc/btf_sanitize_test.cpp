// BTF for older kernels: each kind a kernel lacks is replaced in place, ids
// and sizes keep their meaning, the result still parses, and a kernel that
// has everything gets the spec untouched.
#include <bpfxx/btf/builder.hpp>

#include "reloc/btf_sanitize.hpp"

#include <gtest/gtest.h>

namespace bpfxx::reloc {
namespace {

using btf::Kind;

struct Sample {
  btf::Spec spec;
  btf::TypeId tag, ttag, e64, fl, func, var, sec, ptr;
};

Sample sample() {
  btf::Builder b;
  Sample s{};
  auto i = b.add_int("int", 4, btf::kIntSigned);
  auto st = b.add_struct("task", 4, {{"pid", i, 0}});
  s.tag = b.add_decl_tag("user", st, -1);
  s.ttag = b.add_type_tag("rcu", st);
  s.ptr = b.add_ptr(s.ttag);
  s.e64 = b.add_enum64("big", 8, {{"HUGE", int64_t{1} << 40}});
  s.fl = b.add_float("double", 8);
  s.func = b.add_func("handler", b.add_func_proto(i, {{"x", i}}), btf::FuncLinkage::Global);
  s.var = b.add_var("counter", i);
  s.sec = b.add_datasec(".bss", 4, {{s.var, 0, 4}});
  s.spec = std::move(b).finish().value();
  return s;
}

TEST(BtfSanitize, ModernKernelGetsTheSpecUntouched) {
  Sample s = sample();
  auto out = sanitize_btf(s.spec, features::BtfFeatures{});
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->has_value());
}

TEST(BtfSanitize, EveryMissingKindIsReplacedInPlace) {
  Sample s = sample();
  features::BtfFeatures old;
  old.func_global = old.datasec = old.float_kind = old.decl_tag = old.type_tag = old.enum64 = false;
  auto out = sanitize_btf(s.spec, old);
  ASSERT_TRUE(out) << out.error().describe();
  ASSERT_TRUE(out->has_value());
  const btf::Spec& b = **out;
  EXPECT_EQ(b.type_count(), s.spec.type_count());  // ids keep their meaning
  EXPECT_EQ(b.type(s.tag)->kind(), Kind::Int);
  EXPECT_EQ(b.type(s.ttag)->kind(), Kind::Const);
  EXPECT_EQ(b.type(s.ttag)->ref(), s.spec.type(s.ttag)->ref());
  EXPECT_EQ(b.type(s.e64)->kind(), Kind::Union);
  EXPECT_EQ(*b.size_of(s.e64), 8u);
  EXPECT_EQ(b.type(s.fl)->kind(), Kind::Struct);
  EXPECT_EQ(*b.size_of(s.fl), 8u);
  EXPECT_EQ(b.type(s.func)->kind(), Kind::Func);
  EXPECT_EQ(b.type(s.func)->func_linkage(), btf::FuncLinkage::Static);
  EXPECT_EQ(b.type(s.func)->name(), "handler");
  EXPECT_EQ(b.type(s.var)->kind(), Kind::Int);
  EXPECT_EQ(b.type(s.sec)->kind(), Kind::Struct);
  EXPECT_EQ(*b.size_of(s.sec), 4u);
  for (btf::TypeId id = 1; id < b.type_count(); ++id) {
    Kind k = b.type(id)->kind();
    EXPECT_TRUE(k != Kind::DeclTag && k != Kind::TypeTag && k != Kind::Enum64 && k != Kind::Float &&
                k != Kind::Var && k != Kind::Datasec)
        << b.describe(id);
  }
  EXPECT_TRUE(btf::Spec::parse(b.encode()));
}

TEST(BtfSanitize, OnlyTheMissingKindsChange) {
  Sample s = sample();
  features::BtfFeatures k;
  k.type_tag = false;
  auto out = sanitize_btf(s.spec, k);
  ASSERT_TRUE(out && out->has_value());
  EXPECT_EQ((*out)->type(s.ttag)->kind(), Kind::Const);
  EXPECT_EQ((*out)->type(s.tag)->kind(), Kind::DeclTag);
  EXPECT_EQ((*out)->type(s.e64)->kind(), Kind::Enum64);
  EXPECT_EQ((*out)->type(s.func)->func_linkage(), btf::FuncLinkage::Global);
}

}  // namespace
}  // namespace bpfxx::reloc
