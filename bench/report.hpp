// Turns raw samples into named measures (unit in the name), and prints them:
// a table for people, then one `BENCH <name> bpfxx=<v> peer=<v> ratio=<r>`
// line per measure for scripts.
#pragma once

#include "measure.hpp"
#include "runner.hpp"

#include <array>
#include <string>
#include <vector>

namespace bench {

struct Measure {
  std::string name;    // "open_user_us"
  std::string method;  // how the numbers were obtained, for the table
  Stats bpfxx;
  Stats peer;
  bool has_spread = true;  // false when p10/p90 mean nothing (one sample, a sum of medians)
  double goal_ratio = 0;   // bpfxx/peer must be at most this; 0: no goal
};

// What decided how user time was measured.
struct MeasureContext {
  double sampler_period_us = 0;  // 0: no UserSampler, user time from getrusage
  bool rusage_per_span_precise = false;
};

// results[0] is bpfxx, results[1] the peer.
std::vector<Measure> build_measures(const std::array<SideResults, 2>& results, const MeasureContext& context,
                                    const RunConfig& config);

void print_table(const std::vector<Measure>& measures);
void print_bench_lines(const std::vector<Measure>& measures);
// One line per goal, met or missed. A missed goal is a result, not a
// failure: the exit status stays 0.
void print_goals(const std::vector<Measure>& measures);

}  // namespace bench
