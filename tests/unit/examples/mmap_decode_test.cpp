// mmapsnoop's prot/flags decoding: every named bit, the map type field, huge
// page sizes and unknown bits.
#include "mmap_decode.hpp"

#include <gtest/gtest.h>

namespace {

TEST(MmapDecode, Prot) {
  EXPECT_EQ(mmapsnoop::decode_prot(0), "PROT_NONE");
  EXPECT_EQ(mmapsnoop::decode_prot(1), "PROT_READ");
  EXPECT_EQ(mmapsnoop::decode_prot(3), "PROT_READ|PROT_WRITE");
  EXPECT_EQ(mmapsnoop::decode_prot(7), "PROT_READ|PROT_WRITE|PROT_EXEC");
  EXPECT_EQ(mmapsnoop::decode_prot(0x1 | 0x100), "PROT_READ|0x100");
}

TEST(MmapDecode, Flags) {
  EXPECT_EQ(mmapsnoop::decode_flags(0x22), "MAP_PRIVATE|MAP_ANONYMOUS");
  EXPECT_EQ(mmapsnoop::decode_flags(0x01), "MAP_SHARED");
  EXPECT_EQ(mmapsnoop::decode_flags(0x03), "MAP_SHARED_VALIDATE");
  EXPECT_EQ(mmapsnoop::decode_flags(0x812), "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
  EXPECT_EQ(mmapsnoop::decode_flags(0x100000 | 0x2), "MAP_PRIVATE|MAP_FIXED_NOREPLACE");
  EXPECT_EQ(mmapsnoop::decode_flags(0x40022 | (21ull << 26)), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_2MB");
  EXPECT_EQ(mmapsnoop::decode_flags(0x40022 | (30ull << 26)), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_1GB");
  EXPECT_EQ(mmapsnoop::decode_flags(0x2 | (1ull << 40)), "MAP_PRIVATE|0x10000000000");
  EXPECT_EQ(mmapsnoop::decode_flags(0), "0");
}

}  // namespace
