// CO-RE candidates from kernel module BTF: core_module.bpf.c reads the
// layout of struct veth_priv, which is in vmlinux where veth is built in
// (the 6.18 host) and only in /sys/kernel/btf/veth where veth is a module
// (Debian's 6.1 in make test-vm, which loads veth before the tests). The
// values the loaded program reports must be the layout in whichever kernel
// BTF holds the type; on the guest that proves module BTFs are searched.
#include <bpfxx/kernel_btf.hpp>
#include <bpfxx/object.hpp>

#include "kernel/kernel_helpers.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bpfxx::test {
namespace {

struct Layout {
  std::string where;  // "vmlinux" or the module's name
  uint32_t size = 0;
  uint32_t headroom_offset = 0;
  uint32_t headroom_size = 0;
  uint32_t peer_offset = 0;
};

// struct veth_priv as the running kernel's BTF describes it, read with
// bpfxx's own BTF API (the part under test is the loader's search).
std::optional<Layout> kernel_veth_priv() {
  auto vmlinux = kernel_btf();
  if (!vmlinux) return std::nullopt;
  std::vector<std::pair<std::string, std::shared_ptr<const btf::Spec>>> sources{{"vmlinux", *vmlinux}};
  if (auto modules = kernel_module_btfs()) {
    for (auto& m : *modules) sources.push_back(m);
  }
  for (const auto& [where, spec] : sources) {
    for (btf::TypeId id : spec->find_by_name("veth_priv")) {
      if (id < spec->first_id() || spec->kind_of(id) != btf::Kind::Struct) continue;
      btf::Type t = *spec->type(id);
      Layout l;
      l.where = where;
      l.size = t.size();
      for (const btf::Member& m : t.members()) {
        if (m.name == "requested_headroom") {
          l.headroom_offset = m.bit_offset / 8;
          auto size = spec->size_of(m.type);
          l.headroom_size = size ? *size : 0;
        } else if (m.name == "peer") {
          l.peer_offset = m.bit_offset / 8;
        }
      }
      return l;
    }
  }
  return std::nullopt;
}

TEST(CoreModuleTest, TypesOfModuleBtfAreCandidates) {
  BPFXX_REQUIRE_ROOT();
  std::optional<Layout> expected = kernel_veth_priv();
  if (!expected) GTEST_SKIP() << "this kernel has no struct veth_priv: veth is neither built in nor loaded";
  ObjectSpec spec = open_spec("core_module");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto run = obj->program("probe_veth_priv")->test_run();
  ASSERT_TRUE(run) << run.error().describe();
  SCOPED_TRACE("struct veth_priv from " + expected->where);
  EXPECT_EQ(run->retval, 0u);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "veth_priv_exists"), 1u);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "priv_size"), expected->size);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "headroom_offset"), expected->headroom_offset);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "headroom_size"), expected->headroom_size);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "peer_offset"), expected->peer_offset);
  // The local definition puts requested_headroom first: a relocation that
  // kept local offsets would read 0 here.
  EXPECT_NE(expected->headroom_offset, 0u);
  std::printf("struct veth_priv found in %s BTF: size %u, requested_headroom at %u\n", expected->where.c_str(),
              expected->size, expected->headroom_offset);
}

}  // namespace
}  // namespace bpfxx::test
