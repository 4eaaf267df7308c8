// Tests of bpfxx::Result and the BPFXX_TRY / BPFXX_TRY_ASSIGN macros: values
// and errors come out as put in, value() on an error throws BadResultAccess
// with the error, and the macros propagate errors unchanged.
#include <bpfxx/result.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace bpfxx {
namespace {

Error sample_error() { return Error(Errc::NotFound, "no such map").with_op("lookup").with_map("m"); }

// ---- Result<T> ---------------------------------------------------------------

TEST(ResultTest, HoldsAValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(r.value_or(7), 42);
  *r = 43;
  EXPECT_EQ(r.value(), 43);
}

TEST(ResultTest, HoldsAnError) {
  Result<int> r = sample_error();
  ASSERT_FALSE(r.has_value());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code(), Errc::NotFound);
  EXPECT_EQ(r.error().message(), "no such map");
  EXPECT_EQ(r.value_or(7), 7);
}

TEST(ResultTest, ValueOnErrorThrowsWithTheError) {
  Result<std::string> r = sample_error();
  try {
    (void)r.value();
    FAIL() << "value() did not throw";
  } catch (const BadResultAccess& e) {
    EXPECT_EQ(e.error().code(), Errc::NotFound);
    EXPECT_EQ(e.error().map(), "m");
    EXPECT_STREQ(e.what(), "lookup: map 'm': no such map");
  }
  // The rvalue and const overloads throw too.
  EXPECT_THROW((void)std::move(r).value(), BadResultAccess);
  const Result<std::string> c = sample_error();
  EXPECT_THROW((void)c.value(), BadResultAccess);
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(**r, 5);
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 5);
}

TEST(ResultTest, ConvertsFromConstructibleTypes) {
  Result<std::string> r = "text";  // const char* -> std::string
  EXPECT_EQ(r.value(), "text");
  EXPECT_EQ(r->size(), 4u);
  Result<std::vector<int>> v = std::vector<int>{1, 2};
  EXPECT_EQ(v->size(), 2u);
}

TEST(ResultTest, ErrorCanBeMovedOut) {
  Result<int> r = sample_error();
  Error e = std::move(r).error();
  EXPECT_EQ(e.op(), "lookup");
}

// ---- Result<void> ------------------------------------------------------------

TEST(ResultTest, VoidSuccessAndFailure) {
  Result<void> ok;
  EXPECT_TRUE(ok.has_value());
  EXPECT_NO_THROW(ok.value());
  Result<void> bad = sample_error();
  EXPECT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "no such map");
  EXPECT_THROW(bad.value(), BadResultAccess);
}

// ---- BPFXX_TRY / BPFXX_TRY_ASSIGN -----------------------------------------------
// The error reaches the caller unchanged (code, message, names) and nothing
// after the failing step runs.

Result<int> maybe(bool fail, int v) {
  if (fail) return Error(Errc::InvalidInput, "step failed").with_file_offset(12);
  return v;
}
Result<void> maybe_void(bool fail) {
  if (fail) return Error(Errc::Io, "io failed");
  return {};
}

Result<int> try_chain(bool fail_first, bool fail_second, int* reached) {
  BPFXX_TRY(maybe_void(fail_first));
  ++*reached;
  BPFXX_TRY(maybe(fail_second, 1));
  ++*reached;
  return 10;
}

TEST(ResultTest, TryPropagatesErrors) {
  int reached = 0;
  Result<int> a = try_chain(false, false, &reached);
  EXPECT_EQ(a.value(), 10);
  EXPECT_EQ(reached, 2);

  reached = 0;
  Result<int> b = try_chain(true, false, &reached);
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code(), Errc::Io);
  EXPECT_EQ(b.error().message(), "io failed");
  EXPECT_EQ(reached, 0);

  reached = 0;
  Result<int> c = try_chain(false, true, &reached);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), Errc::InvalidInput);
  EXPECT_EQ(c.error().file_offset(), 12u);
  EXPECT_EQ(reached, 1);
}

Result<int> try_assign_sum(bool fail_a, bool fail_b) {
  // Two uses in one function need distinct hidden temporaries.
  BPFXX_TRY_ASSIGN(int a, maybe(fail_a, 3));
  BPFXX_TRY_ASSIGN(int b, maybe(fail_b, 4));
  int c = 0;
  BPFXX_TRY_ASSIGN(c, maybe(false, 5));  // assigns an existing variable
  return a + b + c;
}

TEST(ResultTest, TryAssignDeclaresAndPropagates) {
  EXPECT_EQ(try_assign_sum(false, false).value(), 12);
  Result<int> r = try_assign_sum(false, true);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "step failed");
}

Result<std::unique_ptr<int>> make_ptr(bool fail) {
  if (fail) return Error(Errc::Internal, "no");
  return std::make_unique<int>(9);
}
Result<int> try_assign_move_only(bool fail) {
  BPFXX_TRY_ASSIGN(std::unique_ptr<int> p, make_ptr(fail));
  return *p;
}
Result<void> try_in_void(bool fail) {
  BPFXX_TRY_ASSIGN(auto p, make_ptr(fail));
  if (*p != 9) return Error(Errc::Internal, "wrong value");
  return {};
}

TEST(ResultTest, TryAssignMovesOnlyTypesAndWorksInVoidFunctions) {
  EXPECT_EQ(try_assign_move_only(false).value(), 9);
  EXPECT_EQ(try_assign_move_only(true).error().code(), Errc::Internal);
  EXPECT_TRUE(try_in_void(false).has_value());
  EXPECT_EQ(try_in_void(true).error().message(), "no");
}

}  // namespace
}  // namespace bpfxx
