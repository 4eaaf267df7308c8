#include "measure.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace bench {

namespace {

double us_between(const timespec& a, const timespec& b) {
  return static_cast<double>(b.tv_sec - a.tv_sec) * 1e6 + static_cast<double>(b.tv_nsec - a.tv_nsec) / 1e3;
}

double us_between(const timeval& a, const timeval& b) {
  return static_cast<double>(b.tv_sec - a.tv_sec) * 1e6 + static_cast<double>(b.tv_usec - a.tv_usec);
}

double percentile(const std::vector<double>& sorted, double p) {
  double rank = p * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<size_t>(std::floor(rank));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  double frac = rank - static_cast<double>(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

}  // namespace

Sample& Sample::operator+=(const Sample& other) {
  sampled_user_us += other.sampled_user_us;
  wall_us += other.wall_us;
  cpu_us += other.cpu_us;
  user_us += other.user_us;
  sys_us += other.sys_us;
  return *this;
}

Sample Sample::per_op(uint64_t ops) const {
  if (ops == 0) return {};
  auto n = static_cast<double>(ops);
  return {wall_us / n, cpu_us / n, user_us / n, sys_us / n, sampled_user_us / n};
}

void Stopwatch::restart() {
  if (sampler_ != nullptr) ring_start_ = sampler_->begin();
  ::getrusage(RUSAGE_SELF, &ru_);
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_);
  ::clock_gettime(CLOCK_MONOTONIC, &wall_);
}

Sample Stopwatch::elapsed() {
  timespec wall{};
  timespec cpu{};
  rusage ru{};
  ::clock_gettime(CLOCK_MONOTONIC, &wall);
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
  ::getrusage(RUSAGE_SELF, &ru);
  uint64_t ring_end = sampler_ != nullptr ? sampler_->position() : 0;
  Sample s{us_between(wall_, wall), us_between(cpu_, cpu), us_between(ru_.ru_utime, ru.ru_utime),
           us_between(ru_.ru_stime, ru.ru_stime)};
  if (sampler_ != nullptr) {
    s.sampled_user_us = static_cast<double>(sampler_->take(ring_start_, ring_end)) * sampler_->period_us();
    ring_start_ = ring_end;
  }
  return s;
}

Stats stats_of(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  return {percentile(values, 0.5), percentile(values, 0.1), percentile(values, 0.9)};
}

RusageAccounting probe_rusage_accounting() {
  RusageAccounting out;
  int fd = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  // Reading /dev/zero is a clear_user() of the whole buffer: kernel time
  // with a syscall entry's worth of user time per 64 KiB.
  static std::array<char, 64 * 1024> buf;
  auto share = [](const Sample& s) { return s.user_us + s.sys_us > 0 ? s.user_us / (s.user_us + s.sys_us) : -1.0; };
  std::vector<double> user_shares;
  std::vector<double> kernel_shares;
  constexpr double kSpanCpuUs = 250;  // well under any tick (1 to 10 ms)
  for (int pair = 0; pair < 60; ++pair) {
    Stopwatch sw;
    Sample s;
    volatile uint64_t sink = 0;
    do {
      // Long enough between clock reads that the reads' own syscalls are a
      // small part of the span.
      for (int i = 0; i < 50'000; ++i) sink = sink + static_cast<uint64_t>(i);
      s = sw.elapsed();
    } while (s.cpu_us < kSpanCpuUs);
    user_shares.push_back(share(s));
    sw.restart();
    do {
      if (::read(fd, buf.data(), buf.size()) < 0) break;
      s = sw.elapsed();
    } while (s.cpu_us < kSpanCpuUs);
    kernel_shares.push_back(share(s));
  }
  ::close(fd);
  out.user_work_user_share = stats_of(user_shares).median;
  out.kernel_work_user_share = stats_of(kernel_shares).median;
  out.per_span_precise = out.user_work_user_share > 0.8 && out.kernel_work_user_share >= 0 &&
                         out.kernel_work_user_share < 0.2;
  return out;
}

}  // namespace bench
