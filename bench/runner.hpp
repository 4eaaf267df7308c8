// The measurement schedule: cold run, warm-up, interleaved iterations and
// batches, for two sides at once. Produces raw samples; report.cpp turns
// them into medians and ratios.
#pragma once

#include "measure.hpp"
#include "side.hpp"
#include "user_sampler.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace bench {

enum class Phase : size_t { Open, Load, Attach, CloseLink, CloseObject };
inline constexpr size_t kPhaseCount = 5;
// Phases with a batch measurement: the ones with user-time goals.
inline constexpr size_t kBatchedPhaseCount = 3;  // Open, Load, Attach

std::string_view phase_name(Phase phase);  // "open", "load", "attach", "close_link", "close_object"

struct RunConfig {
  int iterations = 30;  // counted iterations per side
  int warmup = 2;       // uncounted iterations per side before them
  int rounds = 5;       // batch rounds per side and phase
  double batch_ms = 1000;  // timed CPU per side and phase, over all rounds
  // Attach gets its own, smaller budget: every attached link must be
  // detached again, and each detach sleeps in the kernel for tens of ms.
  double attach_batch_ms = 200;
};

struct BatchSeries {
  uint64_t ops = 0;
  Sample pooled;               // all rounds' timed spans summed, per op
  std::vector<Sample> rounds;  // each round's timed spans, per op
};

// Each round runs twice, the same time budget each: once plain (for CPU and getrusage numbers) and once
// with the user-time sampler on (its interrupts slow everything down, so its
// spans give the user-time estimate and nothing else).
struct BatchResult {
  BatchSeries plain;
  BatchSeries sampled;  // empty without a sampler
};

struct SideResults {
  std::array<Sample, kPhaseCount> cold;                     // first cycle in the process
  std::array<std::vector<Sample>, kPhaseCount> iterations;  // counted iterations
  std::array<BatchResult, kBatchedPhaseCount> batches;
};

// Runs the whole schedule; sides[0] and sides[1] alternate which goes first.
// `sampler` may be null. Progress goes to stderr. Throws BenchFailure if a
// side fails.
std::array<SideResults, 2> run_schedule(std::array<Side*, 2> sides, const RunConfig& config, UserSampler* sampler);

}  // namespace bench
