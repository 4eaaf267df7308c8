// Tests of find_string_offsets, the name search behind btf::Spec lookups:
// every offset whose string is the name (including the tail of a longer
// string, which is what reading a string there yields), never a prefix or
// an inner substring, at every position a vector scan can put a hit, and
// at the table's edges.
#include "base/string_table_search.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::detail {
namespace {

std::span<const std::byte> bytes(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

std::vector<uint32_t> find_all(const std::string& table, std::string_view name) {
  std::vector<uint32_t> out;
  find_string_offsets(bytes(table), name, out);
  return out;
}

// The reference answer: every offset where reading a NUL-terminated string
// gives `name`.
std::vector<uint32_t> naive(const std::string& table, std::string_view name) {
  std::vector<uint32_t> out;
  for (size_t p = 0; p < table.size() && !name.empty(); ++p) {
    size_t end = table.find('\0', p);
    if (end == std::string::npos) break;  // an unterminated tail is no string
    if (std::string_view(table).substr(p, end - p) == name) out.push_back(static_cast<uint32_t>(p));
  }
  return out;
}

std::string table_of(std::initializer_list<const char*> strings) {
  std::string t;
  for (const char* s : strings) {
    t += s;
    t += '\0';
  }
  return t;
}

TEST(StringTableSearchTest, FindsStringsAndTailsOnly) {
  std::string t = table_of({"", "task_struct_x", "my_task_struct", "task_struc", "task_struct", "int"});
  auto hits = find_all(t, "task_struct");
  EXPECT_EQ(hits, naive(t, "task_struct"));
  // The tail of "my_task_struct" reads as "task_struct", as does the string.
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0], t.find("my_task_struct") + 3);
  EXPECT_EQ(hits[1], t.find(std::string("\0task_struct\0", 13)) + 1);
  EXPECT_TRUE(find_all(t, "task").empty());  // a prefix is not a string
  EXPECT_TRUE(find_all(t, "_stru").empty());  // nor is an inner part
  EXPECT_EQ(find_all(t, "struct"), naive(t, "struct"));
  EXPECT_EQ(find_all(t, "struct").size(), 2u);
}

TEST(StringTableSearchTest, EdgesOfTheTable) {
  // A split BTF's string table may start with a name rather than a NUL.
  std::string t = table_of({"first", "middle", "last"});
  EXPECT_EQ(find_all(t, "first"), std::vector<uint32_t>{0});
  EXPECT_EQ(find_all(t, "last"), naive(t, "last"));
  // Without its terminator the last name is not a string.
  std::string open = t + "tail";
  EXPECT_TRUE(find_all(open, "tail").empty());
  EXPECT_TRUE(find_all(t, "").empty());
  EXPECT_TRUE(find_all("", "x").empty());
  EXPECT_TRUE(find_all(std::string("x", 1), "x").empty());
  EXPECT_EQ(find_all(std::string("x\0", 2), "x"), std::vector<uint32_t>{0});
}

TEST(StringTableSearchTest, EveryAlignmentAndLength) {
  // Hits at every offset modulo the vector widths, for one-byte names and
  // names longer than a vector, agree with the reference.
  for (size_t pad = 0; pad < 70; ++pad) {
    for (const char* name : {"a", "ab", "sk_buff", "a_name_longer_than_thirty_two_bytes_total"}) {
      std::string t(1, '\0');
      t += std::string(pad, 'z');
      t += '\0';
      t += name;
      t += '\0';
      t += std::string(pad % 7, 'q');
      t += '\0';
      t += name;  // a second copy: both are reported
      t += '\0';
      t += std::string(100, 'y');
      t += '\0';
      auto got = find_all(t, name);
      EXPECT_EQ(got, naive(t, name)) << "pad " << pad << " name " << name;
      EXPECT_GE(got.size(), 2u);
    }
  }
}

TEST(StringTableSearchTest, ReportsEveryHit) {
  std::string t(1, '\0');
  for (int i = 0; i < 20; ++i) t += std::string("dup") + '\0';
  auto hits = find_all(t, "dup");
  ASSERT_EQ(hits.size(), 20u);
  EXPECT_EQ(hits[0], 1u);
  EXPECT_EQ(hits[3], 13u);
  EXPECT_EQ(find_all(t, "up").size(), 20u);  // every tail too
}

}  // namespace
}  // namespace bpfxx::detail
