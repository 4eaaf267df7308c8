#include "user_sampler.hpp"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bench {

namespace {

// 64 pages of 8-byte sample records: tens of thousands of samples, far more
// than one timed span produces before take() frees them.
constexpr size_t kDataPages = 64;

perf_event_mmap_page* meta(void* mapping) { return static_cast<perf_event_mmap_page*>(mapping); }

}  // namespace

std::unique_ptr<UserSampler> UserSampler::open(uint64_t period_ns, std::string& why) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_TASK_CLOCK;
  attr.sample_period = period_ns;  // task-clock counts nanoseconds
  attr.sample_type = 0;            // a bare header per sample: only the count matters
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  attr.disabled = 1;
  long fd = ::syscall(SYS_perf_event_open, &attr, 0 /* this thread */, -1 /* any cpu */, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) {
    why = std::string("perf_event_open(task-clock): ") + std::strerror(errno);
    return nullptr;
  }
  auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t length = (1 + kDataPages) * page;
  void* mapping = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, static_cast<int>(fd), 0);
  if (mapping == MAP_FAILED) {
    why = std::string("mmap of the perf ring: ") + std::strerror(errno);
    ::close(static_cast<int>(fd));
    return nullptr;
  }
  return std::unique_ptr<UserSampler>(
      new UserSampler(static_cast<int>(fd), mapping, kDataPages * page, page, period_ns));
}

UserSampler::UserSampler(int fd, void* ring, size_t ring_bytes, size_t page_bytes, uint64_t period_ns)
    : fd_(fd), mapping_(ring), data_bytes_(ring_bytes), page_bytes_(page_bytes), period_ns_(period_ns) {}

UserSampler::~UserSampler() {
  ::munmap(mapping_, page_bytes_ + data_bytes_);
  ::close(fd_);
}

void UserSampler::enable() { ::ioctl(fd_, PERF_EVENT_IOC_ENABLE, 0); }
void UserSampler::disable() { ::ioctl(fd_, PERF_EVENT_IOC_DISABLE, 0); }

uint64_t UserSampler::position() const {
  // The kernel publishes data_head after writing the records before it.
  return __atomic_load_n(&meta(mapping_)->data_head, __ATOMIC_ACQUIRE);
}

uint64_t UserSampler::begin() {
  uint64_t head = position();
  __atomic_store_n(&meta(mapping_)->data_tail, head, __ATOMIC_RELEASE);
  return head;
}

uint64_t UserSampler::take(uint64_t from, uint64_t to) {
  const auto* data = static_cast<const unsigned char*>(mapping_) + page_bytes_;
  uint64_t samples = 0;
  // Records are 8-byte aligned and the ring is a multiple of 8, so a header
  // never wraps around the end of the ring.
  for (uint64_t pos = from; pos < to;) {
    perf_event_header h;
    std::memcpy(&h, data + (pos % data_bytes_), sizeof(h));
    if (h.size == 0) break;  // cannot happen; do not spin if it does
    if (h.type == PERF_RECORD_SAMPLE) {
      ++samples;
    } else if (h.type == PERF_RECORD_THROTTLE || h.type == PERF_RECORD_LOST) {
      ++anomalies_;
    }
    pos += h.size;
  }
  __atomic_store_n(&meta(mapping_)->data_tail, to, __ATOMIC_RELEASE);
  return samples;
}

}  // namespace bench
