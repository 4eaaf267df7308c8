// The BTF-kind probes on real kernels: both kernels bpfxx is tested on (6.18
// on the host, 6.1 in make test-vm) accept every kind bpfxx can rewrite, so
// objects load with their BTF as compiled.
#include "features/btf_features.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace bpfxx::test {
namespace {

TEST(BtfFeatures, ModernKernelsAcceptEveryKind) {
  BPFXX_REQUIRE_ROOT();
  const features::BtfFeatures& f = features::kernel_btf_features();
  EXPECT_TRUE(f.func_global);
  EXPECT_TRUE(f.datasec);
  EXPECT_TRUE(f.float_kind);
  EXPECT_TRUE(f.decl_tag);
  EXPECT_TRUE(f.type_tag);
  EXPECT_TRUE(f.enum64);
}

}  // namespace
}  // namespace bpfxx::test
