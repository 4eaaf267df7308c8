// Whole-object parsing (ELF, BTF, .BTF.ext, maps, relocations, linking): any
// input parses or fails cleanly; what parses is deterministic (a second parse
// is equal and dumps the same) and its relocations point inside programs.
// Then CO-RE: every relocation against a small fixed target BTF resolves,
// poisons or fails cleanly, the same way twice.
#include <bpfxx/btf/builder.hpp>
#include <bpfxx/core.hpp>
#include <bpfxx/object_spec.hpp>

#include "fuzz_assert.hpp"

#include <cstddef>
#include <cstdint>

namespace {

// Types the test objects relocate (tests/bpf/core_*.bpf.c), laid out
// differently from their local definitions.
const bpfxx::btf::Spec& core_target() {
  static const bpfxx::btf::Spec spec = [] {
    using bpfxx::btf::Builder;
    Builder b;
    auto i32 = b.add_int("int", 4, bpfxx::btf::kIntSigned);
    auto u32 = b.add_int("unsigned int", 4, 0);
    auto u64 = b.add_int("long long unsigned int", 8, 0);
    auto chr = b.add_int("char", 1, bpfxx::btf::kIntChar);
    auto fwd = b.add_fwd("task_struct");
    b.add_struct("task_struct", 64, {{"state", u64, 0}, {"tgid", i32, 64}, {"pid", i32, 96},
                                     {"real_parent", b.add_ptr(fwd), 128}, {"comm", b.add_array(chr, u32, 16), 192},
                                     {"start_time", u64, 320}});
    b.add_struct("core_sample", 16, {{"a", i32, 32}, {"mid", u32, 64, 7}, {"width", u64, 128}});
    b.add_enum("core_state", 4, {{"CORE_BUSY", 7}});
    return std::move(b).finish().value();
  }();
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto a = bpfxx::ObjectSpec::parse(bytes, "fuzz");
  if (!a) {
    FUZZ_CHECK(!a.error().summary().empty());
    return 0;
  }
  auto b = bpfxx::ObjectSpec::parse(bytes, "fuzz");
  FUZZ_CHECK(b.has_value());
  FUZZ_CHECK(*a == *b);
  FUZZ_CHECK(a->dump() == b->dump());
  for (const auto& p : a->programs) {
    for (const auto& r : p.relocations) FUZZ_CHECK(r.insn_index < p.insns.size());
    for (const auto& f : p.func_info) FUZZ_CHECK(f.insn_index < p.insns.size());
    for (const auto& l : p.line_info) FUZZ_CHECK(l.insn_index < p.insns.size());
  }
  bpfxx::ObjectSpec copy = *a;
  FUZZ_CHECK(copy == *a);

  auto core = bpfxx::check_portability(*a, core_target());
  if (!core) {
    FUZZ_CHECK(!core.error().summary().empty());
    return 0;
  }
  for (const bpfxx::CoreReport& r : *core) {
    FUZZ_CHECK(!r.describe().empty());
    if (r.outcome == bpfxx::CoreOutcome::Failed) FUZZ_CHECK(!r.reason.empty());
    if (r.outcome == bpfxx::CoreOutcome::Poisoned) FUZZ_CHECK(!r.reason.empty());
  }
  auto again = bpfxx::check_portability(*a, core_target());
  FUZZ_CHECK(again.has_value() && *again == *core);
  return 0;
}
