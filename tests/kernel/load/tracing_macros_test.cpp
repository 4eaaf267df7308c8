// BPF_PROG2 run for real: by_value (tests/bpf/tracing_macros.bpf.c) decodes
// an int, a 16-byte struct, a 4-byte struct and a long from the context
// slots BPF_PROG_TEST_RUN hands a raw tracepoint program.
#include <bpfxx/object.hpp>

#include "kernel/kernel_helpers.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <span>

namespace bpfxx::test {
namespace {

TEST(TracingMacrosTest, Prog2ReadsStructsPassedByValueFromTheirSlots) {
  BPFXX_REQUIRE_ROOT();
  ObjectSpec spec = open_spec("tracing_macros");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  // int n = -7 | struct pair16 {lo, hi, tag} in two slots | struct small4
  // {a, b} | long y.
  const uint64_t slots[] = {
      static_cast<uint32_t>(-7),
      0x1122334455667788ull,
      (uint64_t{0xcafe} << 32) | 0xbeefu,
      (uint64_t{0x2222} << 16) | 0x1111u,
      static_cast<uint64_t>(-123456789012ll),
  };
  auto run = obj->program("by_value")->test_run({.ctx = std::as_bytes(std::span(slots))});
  ASSERT_TRUE(run) << run.error().describe();
  EXPECT_EQ(run->retval, 0u);
  EXPECT_EQ(read_global<int32_t>(*obj, spec, "got_n"), -7);
  EXPECT_EQ(read_global<uint64_t>(*obj, spec, "got_lo"), 0x1122334455667788ull);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "got_hi"), 0xbeefu);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "got_tag"), 0xcafeu);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "got_a"), 0x1111u);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "got_b"), 0x2222u);
  EXPECT_EQ(static_cast<int64_t>(read_global<uint64_t>(*obj, spec, "got_y")), -123456789012ll);

  // BPF_PROG reads one slot per argument: its second is the struct's first half.
  auto plain = obj->program("plain")->test_run({.ctx = std::as_bytes(std::span(slots))});
  ASSERT_TRUE(plain) << plain.error().describe();
  EXPECT_EQ(read_global<uint64_t>(*obj, spec, "plain_second"), 0x1122334455667788ull);

  auto none = obj->program("no_args")->test_run({.ctx = std::as_bytes(std::span(slots))});
  ASSERT_TRUE(none) << none.error().describe();
  EXPECT_EQ(none->retval, 7u);
}

// A __hidden subprogram given a stack pointer: accepted only when the
// kernel sees it static (see hidden_func.bpf.c), as libbpf presents it.
TEST(TracingMacrosTest, HiddenSubprogramIsVerifiedInItsCaller) {
  BPFXX_REQUIRE_ROOT();
  auto obj = Object::load(open_spec("hidden_func"));
  ASSERT_TRUE(obj) << obj.error().describe();
  auto run = obj->program("call_hidden")->test_run();
  ASSERT_TRUE(run) << run.error().describe();
  EXPECT_EQ(run->retval, 42u);
}

}  // namespace
}  // namespace bpfxx::test
