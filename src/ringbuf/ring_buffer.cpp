#include <bpfxx/ring_buffer.hpp>

#include "sys/bpf.hpp"
#include "sys/mapping.hpp"

#include <fmt/format.h>

#include <linux/bpf.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

namespace bpfxx {

namespace {

// Record header bits of the ring buffer format (include/uapi/linux/bpf.h).
constexpr uint32_t kBusyBit = 1u << 31;
constexpr uint32_t kDiscardBit = 1u << 30;
constexpr uint32_t kHeaderSize = 8;
constexpr uint64_t kStopToken = ~uint64_t{0};

}  // namespace

struct RingBuffer::Ring {
  Fd map_fd;
  sys::Mapping consumer;  // one page: consumer_pos at offset 0
  sys::Mapping producer;  // one page (producer_pos) + 2 * size of data
  uint64_t mask = 0;
  Callback callback;

  uint64_t* consumer_pos() const { return static_cast<uint64_t*>(consumer.data()); }
  const uint64_t* producer_pos() const { return static_cast<const uint64_t*>(producer.data()); }
  const std::byte* data() const { return static_cast<const std::byte*>(producer.data()) + sys::page_size(); }
};

RingBuffer::RingBuffer(RingBuffer&&) noexcept = default;
RingBuffer& RingBuffer::operator=(RingBuffer&&) noexcept = default;
RingBuffer::~RingBuffer() = default;

Result<RingBuffer> RingBuffer::create() {
  RingBuffer rb;
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) return Error::from_errno(errno, "epoll_create1");
  rb.epoll_ = Fd(ep);
  int ev = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (ev < 0) return Error::from_errno(errno, "eventfd");
  rb.stop_event_ = Fd(ev);
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.u64 = kStopToken;
  if (::epoll_ctl(rb.epoll_.get(), EPOLL_CTL_ADD, rb.stop_event_.get(), &e) != 0) {
    return Error::from_errno(errno, "epoll_ctl");
  }
  return rb;
}

size_t RingBuffer::ring_count() const noexcept { return rings_.size(); }

Result<void> RingBuffer::add(const Map& map, Callback callback) {
  if (map.type() != MapType::Ringbuf) {
    return Error(Errc::InvalidInput, fmt::format("map '{}' is a {} map, not a ringbuf", map.name(), to_string(map.type())))
        .with_op("add ring buffer")
        .with_map(map.name());
  }
  auto r = add(map.fd(), std::move(callback));
  if (!r) return std::move(r).error().with_map_if_unset(map.name());
  return {};
}

Result<void> RingBuffer::add(int map_fd, Callback callback) {
  bpf_map_info info{};
  BPFXX_TRY(sys::obj_get_info_by_fd(map_fd, &info, sizeof(info)));
  if (info.type != BPF_MAP_TYPE_RINGBUF) {
    return Error(Errc::InvalidInput, fmt::format("map fd {} is not a ringbuf (type {})", map_fd, info.type))
        .with_op("add ring buffer");
  }
  uint64_t size = info.max_entries;
  if (size == 0 || (size & (size - 1)) != 0) {
    return Error(Errc::InvalidInput, fmt::format("ring buffer size {} is not a power of two", size)).with_op("add ring buffer");
  }
  auto ring = std::make_unique<Ring>();
  BPFXX_TRY_ASSIGN(ring->map_fd, Fd::duplicate(map_fd));
  ring->mask = size - 1;
  ring->callback = std::move(callback);
  const size_t page = sys::page_size();
  auto cons = sys::Mapping::map(ring->map_fd.get(), page, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
  if (!cons) return std::move(cons).error().with_context("mapping the ring buffer consumer page");
  ring->consumer = std::move(*cons);
  auto prod = sys::Mapping::map(ring->map_fd.get(), page + 2 * size, PROT_READ, MAP_SHARED, static_cast<long>(page));
  if (!prod) return std::move(prod).error().with_context("mapping the ring buffer data");
  ring->producer = std::move(*prod);
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.u64 = rings_.size();
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, ring->map_fd.get(), &e) != 0) {
    return Error::from_errno(errno, "epoll_ctl").with_context("adding the ring buffer to epoll");
  }
  rings_.push_back(std::move(ring));
  return {};
}

Result<size_t> RingBuffer::consume_ring(size_t index) {
  if (index >= rings_.size()) {
    return Error(Errc::InvalidInput, fmt::format("no ring {}", index)).with_op("consume ring buffer");
  }
  Ring& r = *rings_[index];
  size_t count = 0;
  uint64_t cons = __atomic_load_n(r.consumer_pos(), __ATOMIC_ACQUIRE);
  for (;;) {
    bool progressed = false;
    uint64_t prod = __atomic_load_n(r.producer_pos(), __ATOMIC_ACQUIRE);
    while (cons < prod) {
      const std::byte* hdr = r.data() + (cons & r.mask);
      uint32_t len = __atomic_load_n(reinterpret_cast<const uint32_t*>(hdr), __ATOMIC_ACQUIRE);
      // A producer is still writing this record: stop here, come back later.
      if (len & kBusyBit) return count;
      uint32_t size = len & ~(kBusyBit | kDiscardBit);
      cons += (uint64_t{size} + kHeaderSize + 7) & ~uint64_t{7};
      progressed = true;
      if ((len & kDiscardBit) == 0) {
        ++count;
        int rc = r.callback(std::span<const std::byte>(hdr + kHeaderSize, size));
        if (rc != 0) {
          __atomic_store_n(r.consumer_pos(), cons, __ATOMIC_RELEASE);
          return Error(Errc::Internal, fmt::format("ring buffer callback returned {}", rc)).with_op("callback");
        }
      }
      __atomic_store_n(r.consumer_pos(), cons, __ATOMIC_RELEASE);
    }
    if (!progressed) break;
  }
  return count;
}

Result<size_t> RingBuffer::consume() {
  size_t total = 0;
  for (size_t i = 0; i < rings_.size(); ++i) {
    BPFXX_TRY_ASSIGN(size_t n, consume_ring(i));
    total += n;
  }
  return total;
}

Result<size_t> RingBuffer::poll(int timeout_ms) {
  if (stopped()) return size_t{0};
  constexpr int kMaxEvents = 16;
  epoll_event events[kMaxEvents];
  int n = ::epoll_wait(epoll_.get(), events, kMaxEvents, timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return size_t{0};  // a signal: the caller checks stopped()
    return Error::from_errno(errno, "epoll_wait");
  }
  size_t total = 0;
  for (int i = 0; i < n; ++i) {
    if (events[i].data.u64 == kStopToken) {
      stopped_->store(true);
      continue;
    }
    BPFXX_TRY_ASSIGN(size_t got, consume_ring(static_cast<size_t>(events[i].data.u64)));
    total += got;
  }
  return total;
}

void RingBuffer::stop() noexcept {
  stopped_->store(true);
  uint64_t one = 1;
  // write() is async-signal-safe; a full counter only means a stop is pending.
  [[maybe_unused]] ssize_t w = ::write(stop_event_.get(), &one, sizeof(one));
}

bool RingBuffer::stopped() const noexcept { return stopped_->load(); }

}  // namespace bpfxx
