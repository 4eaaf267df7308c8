// bpfxx::RingBuffer: a consumer of one or many BPF_MAP_TYPE_RINGBUF maps.
//
// Each ring's consumer page is mapped read-write and its producer page plus
// data area read-only (the kernel maps the data twice in a row, so a record
// that wraps around is still contiguous). Records reach the callback as a
// zero-copy view that is valid only during the call. Records the producer
// discarded are skipped; a record still being written (busy) ends the pass.
//
//   auto rb = bpfxx::RingBuffer::create().value();
//   rb.add(*obj.map("events"), [](std::span<const std::byte> rec) { ...; return 0; }).value();
//   while (!rb.stopped()) rb.poll(100).value();
//
// Thread safety: one consumer thread; stop() from any thread or from a signal
// handler (it only writes to an eventfd).
#pragma once

#include <bpfxx/fd.hpp>
#include <bpfxx/map.hpp>
#include <bpfxx/result.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace bpfxx {

class RingBuffer {
 public:
  // Return 0 to go on; anything else stops consuming at once and is
  // returned by poll()/consume() as an error (Errc::Internal, op "callback").
  using Callback = std::function<int(std::span<const std::byte> record)>;

  static Result<RingBuffer> create();
  RingBuffer(RingBuffer&&) noexcept;
  RingBuffer& operator=(RingBuffer&&) noexcept;
  ~RingBuffer();

  // Adds a ring buffer map; the map must outlive the RingBuffer or be kept
  // open elsewhere (the RingBuffer keeps its own fd duplicate).
  Result<void> add(const Map& map, Callback callback);
  Result<void> add(int map_fd, Callback callback);

  // Waits up to timeout_ms (-1: forever) for data, then consumes what is
  // there. Returns the number of records handed to callbacks. Returns early
  // when stop() is called.
  Result<size_t> poll(int timeout_ms);
  // Consumes what is there now without waiting.
  Result<size_t> consume();
  // Consumes one ring (by the order of add()).
  Result<size_t> consume_ring(size_t index);

  // Makes poll() return and stopped() true. Async-signal-safe.
  void stop() noexcept;
  bool stopped() const noexcept;
  // The epoll fd, to nest in the caller's own event loop.
  int epoll_fd() const noexcept { return epoll_.get(); }
  size_t ring_count() const noexcept;

 private:
  RingBuffer() = default;
  struct Ring;
  Fd epoll_;
  Fd stop_event_;
  std::vector<std::unique_ptr<Ring>> rings_;
  std::unique_ptr<std::atomic<bool>> stopped_ = std::make_unique<std::atomic<bool>>(false);
  std::vector<uint8_t> events_buf_;
};

}  // namespace bpfxx
