// UserSampler: user-space CPU time of short spans, by sampling.
//
// getrusage cannot split a span shorter than a scheduler tick into user and
// system time on kernels with tick-based accounting (CONFIG_TICK_CPU_ACCOUNTING,
// the common default): the kernel samples the CPU mode once per tick and
// hands the precise runtime out in that ratio, about one tick late. This
// samples far more often instead: a perf task-clock event (a software
// event, no hardware PMU needed) fires every `period` of this thread's CPU
// time, and with exclude_kernel set it records a sample only when it
// interrupts user mode. Samples times period estimates the user time of the
// sampled span; the error is about one period per span, so it is used over
// batches of many operations, never per single operation.
//
// Each sample is an interrupt, and in a VM a timer exit too: measured here,
// ~25 us per sample, charged to whichever mode was interrupted. Sampled code
// thus runs slower in user and kernel mode alike, so the runner uses the
// sampled spans only for the *share* of CPU time spent in user mode and
// takes the CPU time itself from the same batch run without the sampler.
//
// Thread safety: one owner; samples only the thread that created it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace bench {

class UserSampler {
 public:
  // Null with `why` set when perf events are unavailable.
  static std::unique_ptr<UserSampler> open(uint64_t period_ns, std::string& why);
  ~UserSampler();
  UserSampler(const UserSampler&) = delete;
  UserSampler& operator=(const UserSampler&) = delete;

  void enable();
  void disable();
  double period_us() const { return static_cast<double>(period_ns_) / 1e3; }

  // Start of a span: drops whatever is buffered, returns the ring position.
  uint64_t begin();
  // Current ring position; read when the span's clocks stop.
  uint64_t position() const;
  // Counts the samples in [from, to) and frees that part of the ring. Runs
  // after the span's clocks stopped, so parsing is never timed.
  uint64_t take(uint64_t from, uint64_t to);
  // Throttle and lost records seen so far: the kernel dropped samples, so
  // user estimates are low. Reported as a warning.
  uint64_t anomalies() const { return anomalies_; }

 private:
  UserSampler(int fd, void* ring, size_t ring_bytes, size_t page_bytes, uint64_t period_ns);
  int fd_ = -1;
  void* mapping_ = nullptr;  // one metadata page, then the data ring
  size_t data_bytes_ = 0;
  size_t page_bytes_ = 0;
  uint64_t period_ns_ = 0;
  uint64_t anomalies_ = 0;
};

}  // namespace bench
