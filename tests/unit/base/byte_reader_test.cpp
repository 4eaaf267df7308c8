// Tests of ByteReader, the one way parsers read untrusted bytes: bounds
// checks that cannot overflow, NUL-terminated strings that must end inside
// the buffer, and reads swapped to host order for foreign-endian files.
#include "base/byte_reader.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

namespace bpfxx::detail {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

std::array<std::byte, 8> bytes8(std::array<uint8_t, 8> v) {
  std::array<std::byte, 8> out{};
  for (size_t i = 0; i < 8; ++i) out[i] = std::byte{v[i]};
  return out;
}

// ---- range_ok -----------------------------------------------------------------------
// offset + length may exceed 2^64 in a malicious file; the check must not
// wrap around and accept it.

static_assert(range_ok(10, 0, 10));
static_assert(range_ok(10, 10, 0));
static_assert(!range_ok(10, 11, 0));
static_assert(!range_ok(10, 5, 6));
static_assert(range_ok(0, 0, 0));

TEST(ByteReaderTest, RangeOkRejectsOverflow) {
  EXPECT_FALSE(range_ok(10, 2, kMax));     // 2 + kMax wraps to 1
  EXPECT_FALSE(range_ok(10, kMax, 2));     // kMax + 2 wraps to 1
  EXPECT_FALSE(range_ok(kMax, kMax, 1));   // one past the largest size
  EXPECT_TRUE(range_ok(kMax, kMax, 0));
  EXPECT_TRUE(range_ok(kMax, 1, kMax - 1));
  EXPECT_FALSE(range_ok(kMax, 1, kMax));
  EXPECT_FALSE(range_ok(16, uint64_t{1} << 63, uint64_t{1} << 63));
}

// ---- Typed reads ----------------------------------------------------------------------

TEST(ByteReaderTest, ReadsLittleAndSwapped) {
  auto raw = bytes8({0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08});
  ByteReader host(raw);
  ByteReader swapped(raw, true);
  EXPECT_FALSE(host.swapped());
  EXPECT_TRUE(swapped.swapped());
  // Assume a little-endian host, as this project's CI does; the swapped reader
  // then reads the big-endian value.
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "tests assume a little-endian host");
  EXPECT_EQ(host.read<uint32_t>(0), 0x04030201u);
  EXPECT_EQ(swapped.read<uint32_t>(0), 0x01020304u);
  EXPECT_EQ(host.read<uint16_t>(6), 0x0807u);
  EXPECT_EQ(swapped.read<uint16_t>(6), 0x0708u);
  EXPECT_EQ(host.read<uint64_t>(0), 0x0807060504030201ull);
  EXPECT_EQ(swapped.read<uint64_t>(0), 0x0102030405060708ull);
  EXPECT_EQ(swapped.read<uint8_t>(3), 0x04u);  // single bytes never swap
  EXPECT_EQ(swapped.get<uint32_t>(4), 0x05060708u);
}

TEST(ByteReaderTest, SignedReadsSwapCorrectly) {
  auto raw = bytes8({0xff, 0xfe, 0x80, 0x00, 0, 0, 0, 0});
  ByteReader swapped(raw, true);
  EXPECT_EQ(swapped.read<int16_t>(0), static_cast<int16_t>(-2));      // 0xfffe
  EXPECT_EQ(swapped.read<int32_t>(0), static_cast<int32_t>(0xfffe8000u));
  ByteReader host(raw);
  EXPECT_EQ(host.read<int16_t>(0), static_cast<int16_t>(-257));       // 0xfeff
}

TEST(ByteReaderTest, ReadsPastTheEndFail) {
  auto raw = bytes8({1, 2, 3, 4, 5, 6, 7, 8});
  ByteReader r(raw);
  EXPECT_TRUE(r.read<uint32_t>(4).has_value());
  EXPECT_FALSE(r.read<uint32_t>(5).has_value());
  EXPECT_FALSE(r.read<uint64_t>(1).has_value());
  EXPECT_FALSE(r.read<uint8_t>(8).has_value());
  EXPECT_FALSE(r.read<uint8_t>(kMax).has_value());
  EXPECT_FALSE(r.read<uint32_t>(kMax - 1).has_value());
  ByteReader empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_FALSE(empty.read<uint8_t>(0).has_value());
}

TEST(ByteReaderTest, ByteswapIsConstexpr) {
  static_assert(byteswap(uint16_t{0x1234}) == 0x3412);
  static_assert(byteswap(uint32_t{0x12345678}) == 0x78563412u);
  static_assert(byteswap(uint64_t{0x0102030405060708}) == 0x0807060504030201ull);
  static_assert(byteswap(int32_t{-2}) == static_cast<int32_t>(0xfeffffffu));
  static_assert(byteswap(uint8_t{0xab}) == 0xab);
  SUCCEED();
}

// ---- Sub-ranges ---------------------------------------------------------------------------

TEST(ByteReaderTest, SubChecksBoundsAndKeepsPointers) {
  auto raw = bytes8({1, 2, 3, 4, 5, 6, 7, 8});
  ByteReader r(raw, true);
  auto s = r.sub(2, 4);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->data(), raw.data() + 2);  // a view, not a copy
  EXPECT_EQ(s->size(), 4u);
  auto end = r.sub(8, 0);
  ASSERT_TRUE(end.has_value());
  EXPECT_TRUE(end->empty());
  EXPECT_FALSE(r.sub(9, 0).has_value());
  EXPECT_FALSE(r.sub(4, 5).has_value());
  EXPECT_FALSE(r.sub(1, kMax).has_value());
  EXPECT_TRUE(r.in_bounds(0, 8));
  EXPECT_FALSE(r.in_bounds(kMax, 1));

  ByteReader inner = r.sub_reader(4, 4);
  EXPECT_TRUE(inner.swapped());  // the byte order carries over
  EXPECT_EQ(inner.read<uint32_t>(0), 0x05060708u);
}

// ---- cstr_at -------------------------------------------------------------------------------
// A string table entry must end with a NUL inside the table; reading up to
// the next NUL past the end would leak or crash.

TEST(ByteReaderTest, CstrAtRequiresANul) {
  constexpr std::string_view table("\0abc\0def", 8);  // "def" is not terminated
  ByteReader r(as_bytes(table));
  EXPECT_EQ(r.cstr_at(0), std::string_view(""));
  EXPECT_EQ(r.cstr_at(1), std::string_view("abc"));
  EXPECT_EQ(r.cstr_at(2), std::string_view("bc"));
  EXPECT_EQ(r.cstr_at(4), std::string_view(""));
  EXPECT_FALSE(r.cstr_at(5).has_value());
  EXPECT_FALSE(r.cstr_at(7).has_value());
  EXPECT_FALSE(r.cstr_at(8).has_value());   // offset == size
  EXPECT_FALSE(r.cstr_at(kMax).has_value());
  // The view points into the buffer.
  EXPECT_EQ(r.cstr_at(1)->data(), table.data() + 1);
}

TEST(ByteReaderTest, AsBytesViewsTheString) {
  std::string_view s = "xyz";
  auto b = as_bytes(s);
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(static_cast<const void*>(b.data()), static_cast<const void*>(s.data()));
}

}  // namespace
}  // namespace bpfxx::detail
