// The running kernel's expectation list (tests/vm/expect-<major>.<minor>.txt)
// checked whole against every feature probe, whether or not a test of that
// feature exists yet: a stale line fails here on the kernel that contradicts it.
#include "support/kernel_expect.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace bpfxx::test {
namespace {

TEST(FeatureExpectTest, EveryProbeAgreesWithThisKernelsList) {
  BPFXX_REQUIRE_ROOT();  // the bpf() probes need it
  const ExpectationList& list = running_kernel_expectations();
  ASSERT_TRUE(list.error.empty()) << list.error;
  for (const std::string& feature : feature_names()) {
    Probe probe = probe_feature(feature);
    FeatureVerdict v = decide(feature, list, probe);
    EXPECT_TRUE(v.failure.empty()) << v.failure;
    // The VM runner lists these lines: what this kernel was found to have.
    std::printf("BPFXX-FEATURE %s %s FeatureExpectTest.EveryProbeAgreesWithThisKernelsList\n", feature.c_str(),
                state_word(v));
    std::fflush(stdout);
  }
}

}  // namespace
}  // namespace bpfxx::test
