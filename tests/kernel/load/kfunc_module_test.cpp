// Kfuncs of kernel modules: kfunc_module.bpf.c calls nf_conntrack's
// bpf_xdp_ct_lookup, which is in vmlinux BTF where nf_conntrack is built in
// (the 6.18 host) and in /sys/kernel/btf/nf_conntrack where it is a module
// (Debian's 6.1 in make test-vm, which loads it before the tests). There
// the call must carry the module BTF's slot in the program's fd_array; a
// load that left it out would be refused. Run on a packet, the lookup of a
// connection that does not exist returns NULL with -ENOENT.
#include <bpfxx/kernel_btf.hpp>
#include <bpfxx/object.hpp>

#include "kernel/kernel_helpers.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

// Which kernel BTF defines the kfunc: "vmlinux", a module's name, or none.
std::optional<std::string> kfunc_home(std::string_view name) {
  auto vmlinux = kernel_btf();
  if (!vmlinux) return std::nullopt;
  if ((*vmlinux)->find(name, btf::Kind::Func)) return "vmlinux";
  auto modules = kernel_module_btfs();
  if (!modules) return std::nullopt;
  for (const auto& [module, spec] : *modules) {
    for (btf::TypeId id : spec->find_by_name(name)) {
      if (id >= spec->first_id() && spec->kind_of(id) == btf::Kind::Func) return module;
    }
  }
  return std::nullopt;
}

TEST(KfuncModuleTest, ModuleKfuncIsCalledThroughItsBtfFd) {
  BPFXX_REQUIRE_ROOT();
  std::optional<std::string> home = kfunc_home("bpf_xdp_ct_lookup");
  if (!home) GTEST_SKIP() << "no kernel BTF defines bpf_xdp_ct_lookup: nf_conntrack is neither built in nor loaded";
  SCOPED_TRACE("bpf_xdp_ct_lookup from " + *home);
  ObjectSpec spec = open_spec("kfunc_module");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  std::vector<std::byte> packet(64, std::byte{0});  // XDP runs need at least an Ethernet header
  auto run = obj->program("ct_lookup")->test_run({.data = packet});
  ASSERT_TRUE(run) << run.error().describe();
  EXPECT_EQ(run->retval, 2u);  // XDP_PASS
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "lookups"), 1u);
  EXPECT_EQ(read_global<uint32_t>(*obj, spec, "found"), 0u);
  EXPECT_EQ(read_global<int32_t>(*obj, spec, "lookup_error"), -ENOENT);
  std::printf("bpf_xdp_ct_lookup called from %s BTF\n", home->c_str());
}

}  // namespace
}  // namespace bpfxx::test
