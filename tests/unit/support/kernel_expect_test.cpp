// The per-kernel expectation mechanism (tests/support/kernel_expect): the
// list parser and the decision table, with probe results given, no kernel.
#include "support/kernel_expect.hpp"

#include <gtest/gtest.h>

namespace bpfxx::test {
namespace {

const Probe kPresent{"seen", ProbeResult::kPresent};
const Probe kAbsent{"not seen", ProbeResult::kAbsent};
const Probe kUndecided{"EPERM", ProbeResult::kUndecided};

ExpectationList list_of(const char* text) { return parse_expectations(text, "expect-test.txt"); }

TEST(KernelExpectParseTest, ReadsKindsReasonsAndComments) {
  ExpectationList l = list_of(
      "# a comment\n"
      "\n"
      "kprobe_pmu refused CONFIG_KPROBES is unset  # trailing comment\n"
      "tcx   newer  arrived in 6.6\n");
  ASSERT_TRUE(l.error.empty()) << l.error;
  ASSERT_EQ(l.entries.size(), 2u);
  EXPECT_EQ(l.entries.at("kprobe_pmu").kind, ExpectKind::kRefused);
  EXPECT_EQ(l.entries.at("kprobe_pmu").reason, "CONFIG_KPROBES is unset");
  EXPECT_EQ(l.entries.at("tcx").kind, ExpectKind::kNewer);
  EXPECT_EQ(l.entries.at("tcx").reason, "arrived in 6.6");
}

TEST(KernelExpectParseTest, RejectsUnknownFeaturesKindsDuplicatesAndMissingReasons) {
  EXPECT_NE(list_of("kprobes refused x\n").error.find("expect-test.txt:1: no feature probe named 'kprobes'"),
            std::string::npos);
  EXPECT_NE(list_of("tcx absent x\n").error.find("expected 'refused' or 'newer'"), std::string::npos);
  EXPECT_NE(list_of("tcx newer\n").error.find("needs a reason"), std::string::npos);
  EXPECT_NE(list_of("tcx newer a\ntcx newer b\n").error.find("expect-test.txt:2: 'tcx' is listed twice"),
            std::string::npos);
}

TEST(KernelExpectDecideTest, UnlistedFeatureMustBePresent) {
  ExpectationList l = list_of("");
  FeatureVerdict ok = decide("kprobe_pmu", l, kPresent);
  EXPECT_TRUE(ok.present);
  EXPECT_TRUE(ok.failure.empty() && ok.skip.empty());
  FeatureVerdict refused = decide("kprobe_pmu", l, kAbsent);
  EXPECT_NE(refused.failure.find("unexpected refusal"), std::string::npos) << refused.failure;
  EXPECT_NE(refused.failure.find("not seen"), std::string::npos) << refused.failure;
}

TEST(KernelExpectDecideTest, RefusedFeatureMustBeAbsentAndRunsTheRefusalPath) {
  ExpectationList l = list_of("kprobe_pmu refused no CONFIG_KPROBES\n");
  FeatureVerdict v = decide("kprobe_pmu", l, kAbsent);
  EXPECT_FALSE(v.present);
  EXPECT_TRUE(v.failure.empty() && v.skip.empty());
  FeatureVerdict surprise = decide("kprobe_pmu", l, kPresent);
  EXPECT_NE(surprise.failure.find("unexpected success"), std::string::npos) << surprise.failure;
  EXPECT_NE(surprise.failure.find("no CONFIG_KPROBES"), std::string::npos) << surprise.failure;
}

TEST(KernelExpectDecideTest, NewerFeatureSkipsNamingTheProbe) {
  ExpectationList l = list_of("tcx newer arrived in 6.6\n");
  FeatureVerdict v = decide("tcx", l, kAbsent);
  EXPECT_TRUE(v.failure.empty()) << v.failure;
  EXPECT_NE(v.skip.find("probe tcx"), std::string::npos) << v.skip;
  EXPECT_NE(v.skip.find("arrived in 6.6"), std::string::npos) << v.skip;
  EXPECT_NE(decide("tcx", l, kPresent).failure.find("unexpected success"), std::string::npos);
}

TEST(KernelExpectDecideTest, UndecidedProbesBrokenListsAndUnknownNamesFail) {
  ExpectationList l = list_of("");
  EXPECT_NE(decide("tcx", l, kUndecided).failure.find("could not decide: EPERM"), std::string::npos);
  EXPECT_NE(decide("fentry_typo", l, kPresent).failure.find("no feature probe named"), std::string::npos);
  ExpectationList broken;
  broken.error = "no expectation list for this kernel";
  EXPECT_EQ(decide("tcx", broken, kPresent).failure, broken.error);
}

}  // namespace
}  // namespace bpfxx::test
