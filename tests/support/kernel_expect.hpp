// Which expectation holds on the running kernel, without loopholes.
//
// A kernel test that needs a feature some kernels lack declares it by name:
//
//   BPFXX_NEEDS_FEATURE(kprobes, "kprobe_pmu");   // declares `bool kprobes`
//   if (!kprobes) { ...assert the clear refusal...; return; }
//
// The name is one of the feature probes below. Each probe asks the kernel
// directly (sysfs, or a raw bpf() call), never through bpfxx, so a bpfxx bug
// cannot pass for a kernel refusal. The expected answer comes from a recorded
// list per kernel, tests/vm/expect-<major>.<minor>.txt, chosen by uname -r:
//
//   <feature> refused <reason>   the test runs and asserts its refusal path
//   <feature> newer <reason>     the feature arrived after this kernel: the test
//                                is skipped, naming the probe and the reason
//   (no line)                    the feature must work and the test runs it
//
// The probe must agree with the list both ways: refused or newer but the probe
// finds the feature is an unexpected success, no line but the probe finds
// nothing is an unexpected refusal; both fail the test. A kernel with no list
// fails every such test rather than guess. BPFXX_KERNEL_EXPECT=<file> names
// another list (a machine whose 6.x has another configuration).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::test {

enum class ProbeResult { kPresent, kAbsent, kUndecided };

struct Probe {
  std::string result_detail;  // what the probe saw, for messages
  ProbeResult result = ProbeResult::kUndecided;
};

enum class ExpectKind { kRefused, kNewer };

struct Expectation {
  ExpectKind kind = ExpectKind::kRefused;
  std::string reason;
};

// A parsed expectation list: feature -> expectation, or an error message.
struct ExpectationList {
  std::string path;
  std::map<std::string, Expectation, std::less<>> entries;
  std::string error;  // non-empty: the list is unusable
};

// What a test must do about a feature.
struct FeatureVerdict {
  bool present = false;  // exercise the feature for real
  std::string failure;   // non-empty: fail the test with this message
  std::string skip;      // non-empty: skip the test with this message
};

// Names of every probe, in a stable order.
std::vector<std::string> feature_names();
// Runs the named probe (cached per process). Unknown names are undecided.
Probe probe_feature(std::string_view feature);

// Parses an expectation list's text; `path` only labels messages.
ExpectationList parse_expectations(std::string_view text, const std::string& path);
// The list for the running kernel (read once per process).
const ExpectationList& running_kernel_expectations();
// The decision table, as a pure function of its inputs.
FeatureVerdict decide(std::string_view feature, const ExpectationList& list, const Probe& probe);
// "present", "refused", "newer" or "mismatch", as BPFXX-FEATURE lines say it.
const char* state_word(const FeatureVerdict& v);
// decide() for the running kernel; prints BPFXX-FEATURE / BPFXX-SKIP lines
// that the VM runner collects.
FeatureVerdict check_feature(std::string_view feature);

#define BPFXX_NEEDS_FEATURE(present_var, feature)                                       \
  bool present_var = false;                                                             \
  do {                                                                                  \
    const ::bpfxx::test::FeatureVerdict bpfxx_verdict_ = ::bpfxx::test::check_feature(feature); \
    if (!bpfxx_verdict_.failure.empty()) FAIL() << bpfxx_verdict_.failure;              \
    if (!bpfxx_verdict_.skip.empty()) GTEST_SKIP() << bpfxx_verdict_.skip;              \
    present_var = bpfxx_verdict_.present;                                               \
  } while (0)

}  // namespace bpfxx::test
