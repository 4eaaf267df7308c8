// Feature probes, expectation lists and the decision table of
// kernel_expect.hpp. The probes use raw syscalls on purpose: see the header.
#include "support/kernel_expect.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace bpfxx::test {
namespace {

// ---- probes: the kernel asked directly, never through bpfxx ----------------

Probe probe_kprobe_pmu() {
  // perf_event_open(kprobe PMU) needs this type file; it exists only with
  // CONFIG_KPROBES and CONFIG_KPROBE_EVENTS.
  struct stat st {};
  if (::stat("/sys/bus/event_source/devices", &st) != 0)
    return {"/sys/bus/event_source/devices is missing (is sysfs mounted?)", ProbeResult::kUndecided};
  if (::stat("/sys/bus/event_source/devices/kprobe/type", &st) == 0)
    return {"/sys/bus/event_source/devices/kprobe/type exists", ProbeResult::kPresent};
  return {"no /sys/bus/event_source/devices/kprobe/type", ProbeResult::kAbsent};
}

Probe probe_tcx() {
  // BPF_PROG_QUERY for BPF_TCX_INGRESS on lo: kernels with tcx (6.6+) answer
  // with the (empty) program list, older ones reject the attach type with
  // EINVAL. Nothing is attached, so the probe leaves no trace.
  constexpr long kBpfProgQuery = 16;
  constexpr uint32_t kBpfTcxIngress = 46;
  constexpr uint32_t kLoopbackIfindex = 1;
  alignas(8) std::array<uint32_t, 32> attr{};  // union bpf_attr, zero past the query fields
  attr[0] = kLoopbackIfindex;                 // query.target_ifindex
  attr[1] = kBpfTcxIngress;                   // query.attach_type
  long rc = ::syscall(SYS_bpf, kBpfProgQuery, attr.data(), sizeof(attr));
  int err = errno;
  if (rc == 0) return {"BPF_PROG_QUERY(BPF_TCX_INGRESS, lo) succeeded", ProbeResult::kPresent};
  if (err == EINVAL) return {"BPF_PROG_QUERY(BPF_TCX_INGRESS, lo) fails with EINVAL", ProbeResult::kAbsent};
  return {std::string("BPF_PROG_QUERY(BPF_TCX_INGRESS, lo) fails with ") + std::strerror(err),
          ProbeResult::kUndecided};
}

Probe probe_kallsyms_data() {
  // Typed ksyms of kernel variables are resolved by the kernel through
  // kallsyms, which lists data symbols only with CONFIG_KALLSYMS_ALL.
  // bpf_prog_active is a per-CPU variable every BPF kernel has.
  FILE* f = std::fopen("/proc/kallsyms", "re");
  if (f == nullptr) return {"/proc/kallsyms is unreadable", ProbeResult::kUndecided};
  char line[512];
  bool found = false;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::strstr(line, " bpf_prog_active") != nullptr) {
      found = true;
      break;
    }
  }
  std::fclose(f);
  if (found) return {"/proc/kallsyms lists bpf_prog_active", ProbeResult::kPresent};
  return {"/proc/kallsyms lists no bpf_prog_active (CONFIG_KALLSYMS_ALL unset)", ProbeResult::kAbsent};
}

Probe probe_task_kfuncs() {
  // bpf_task_acquire/bpf_task_release became kfuncs in 6.2; like every
  // kernel function they are text symbols in kallsyms when they exist.
  FILE* f = std::fopen("/proc/kallsyms", "re");
  if (f == nullptr) return {"/proc/kallsyms is unreadable", ProbeResult::kUndecided};
  char line[512];
  bool found = false;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    const char* name = std::strstr(line, " bpf_task_acquire");
    if (name != nullptr && (name[17] == '\n' || name[17] == '\t' || name[17] == ' ')) {
      found = true;
      break;
    }
  }
  std::fclose(f);
  if (found) return {"/proc/kallsyms lists bpf_task_acquire", ProbeResult::kPresent};
  return {"/proc/kallsyms lists no bpf_task_acquire", ProbeResult::kAbsent};
}

// Adding a probe: a function above and a row here; then record where it is
// refused in tests/vm/expect-*.txt.
struct ProbeDef {
  const char* name;
  Probe (*run)();
};
constexpr ProbeDef kProbes[] = {
    {"kprobe_pmu", probe_kprobe_pmu},
    {"tcx", probe_tcx},
    {"kallsyms_data", probe_kallsyms_data},
    {"task_kfuncs", probe_task_kfuncs},
};

const ProbeDef* find_probe(std::string_view name) {
  for (const ProbeDef& p : kProbes)
    if (name == p.name) return &p;
  return nullptr;
}

std::string kind_word(ExpectKind k) { return k == ExpectKind::kRefused ? "refused" : "newer"; }

// "6.18.44-fc-v669" -> "6.18"
std::string major_minor(const std::string& release) {
  size_t dot = release.find('.');
  if (dot == std::string::npos) return release;
  size_t end = release.find_first_not_of("0123456789", dot + 1);
  return release.substr(0, end);
}

std::string current_test_name() {
  const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "?";
  return std::string(info->test_suite_name()) + "." + info->name();
}

}  // namespace

std::vector<std::string> feature_names() {
  std::vector<std::string> out;
  for (const ProbeDef& p : kProbes) out.emplace_back(p.name);
  return out;
}

Probe probe_feature(std::string_view feature) {
  static std::mutex mu;
  static std::map<std::string, Probe, std::less<>> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(feature); it != cache.end()) return it->second;
  const ProbeDef* def = find_probe(feature);
  if (def == nullptr) return {"no probe named '" + std::string(feature) + "'", ProbeResult::kUndecided};
  Probe p = def->run();
  cache.emplace(std::string(feature), p);
  return p;
}

ExpectationList parse_expectations(std::string_view text, const std::string& path) {
  ExpectationList list;
  list.path = path;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string feature, kind, reason;
    if (!(words >> feature)) continue;  // blank or comment
    words >> kind;
    std::getline(words >> std::ws, reason);
    reason.erase(reason.find_last_not_of(" \t\r") + 1);
    std::string where = path + ":" + std::to_string(n) + ": ";
    if (find_probe(feature) == nullptr) {
      list.error = where + "no feature probe named '" + feature + "' (see tests/support/kernel_expect.cpp)";
      return list;
    }
    Expectation e;
    if (kind == "refused") {
      e.kind = ExpectKind::kRefused;
    } else if (kind == "newer") {
      e.kind = ExpectKind::kNewer;
    } else {
      list.error = where + "expected 'refused' or 'newer' after '" + feature + "', got '" + kind + "'";
      return list;
    }
    if (reason.empty()) {
      list.error = where + "'" + feature + " " + kind + "' needs a reason";
      return list;
    }
    e.reason = reason;
    if (!list.entries.emplace(feature, e).second) {
      list.error = where + "'" + feature + "' is listed twice";
      return list;
    }
  }
  return list;
}

const ExpectationList& running_kernel_expectations() {
  static const ExpectationList list = [] {
    std::string path;
    if (const char* override_path = std::getenv("BPFXX_KERNEL_EXPECT"); override_path && *override_path) {
      path = override_path;
    } else {
      utsname u{};
      ::uname(&u);
      path = std::string(BPFXX_KERNEL_EXPECT_DIR) + "/expect-" + major_minor(u.release) + ".txt";
    }
    std::ifstream in(path);
    if (!in) {
      ExpectationList missing;
      missing.path = path;
      missing.error = "no expectation list for this kernel: " + path +
                      " is missing. Record there what this kernel refuses, one "
                      "'<feature> refused|newer <reason>' per line, or point "
                      "BPFXX_KERNEL_EXPECT at such a list";
      return missing;
    }
    std::stringstream text;
    text << in.rdbuf();
    return parse_expectations(text.str(), path);
  }();
  return list;
}

FeatureVerdict decide(std::string_view feature, const ExpectationList& list, const Probe& probe) {
  FeatureVerdict v;
  const std::string name(feature);
  if (find_probe(feature) == nullptr) {
    v.failure = "no feature probe named '" + name + "' (see tests/support/kernel_expect.cpp)";
    return v;
  }
  if (!list.error.empty()) {
    v.failure = list.error;
    return v;
  }
  if (probe.result == ProbeResult::kUndecided) {
    v.failure = "probe " + name + " could not decide: " + probe.result_detail;
    return v;
  }
  const bool present = probe.result == ProbeResult::kPresent;
  auto it = list.entries.find(feature);
  if (it == list.entries.end()) {
    if (!present)
      v.failure = "unexpected refusal: probe " + name + " finds the feature absent (" + probe.result_detail +
                  ") but " + list.path + " does not list it. Fix the kernel setup, or record '" + name +
                  " refused <reason>' there if this kernel truly lacks it";
    v.present = present;
    return v;
  }
  const Expectation& e = it->second;
  if (present) {
    v.failure = "unexpected success: " + list.path + " says '" + name + " " + kind_word(e.kind) + ": " +
                e.reason + "' but probe " + name + " finds it (" + probe.result_detail + "); remove that line";
    return v;
  }
  if (e.kind == ExpectKind::kNewer)
    v.skip = "needs a newer kernel: probe " + name + " finds the feature absent (" + probe.result_detail +
             "), as " + list.path + " records: " + e.reason;
  return v;
}

const char* state_word(const FeatureVerdict& v) {
  return !v.failure.empty() ? "mismatch" : !v.skip.empty() ? "newer" : v.present ? "present" : "refused";
}

FeatureVerdict check_feature(std::string_view feature) {
  FeatureVerdict v = decide(feature, running_kernel_expectations(), probe_feature(feature));
  std::string test = current_test_name();
  std::printf("BPFXX-FEATURE %.*s %s %s\n", static_cast<int>(feature.size()), feature.data(), state_word(v),
              test.c_str());
  if (!v.skip.empty()) std::printf("BPFXX-SKIP %s: %s\n", test.c_str(), v.skip.c_str());
  std::fflush(stdout);
  return v;
}

}  // namespace bpfxx::test
