// The ring buffer consumer against real producers: exact event contents,
// discarded records skipped, several rings in one epoll set, stop() from
// another thread, and a callback that stops consumption.
#include <bpfxx/object.hpp>
#include <bpfxx/ring_buffer.hpp>

#include "kernel/kernel_helpers.hpp"

#include <gtest/gtest.h>

#include <sys/mman.h>
#include <thread>

namespace bpfxx::test {
namespace {

struct MmapEvent {  // mirrors struct mmap_event in ringbuf_events.bpf.c
  uint32_t pid;
  uint32_t tid;
  uint64_t addr;
  uint64_t len;
  uint64_t prot;
  uint64_t flags;
  int64_t fd;
  uint64_t off;
  char comm[16];
};

constexpr uint64_t kDiscardLen = 12345;

class RingBufferTest : public testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ensure_tracefs();
  }
  void load() {
    spec_ = spec_for_this_process("ringbuf_events");
    auto obj = Object::load(spec_);
    ASSERT_TRUE(obj) << obj.error().describe();
    obj_ = std::move(*obj);
    auto link = obj_.program("on_mmap")->attach();
    ASSERT_TRUE(link) << link.error().describe();
    link_ = std::move(*link);
  }
  ObjectSpec spec_;
  Object obj_;
  Link link_;
};

void do_mmap(size_t len, int prot, int flags) {
  void* p = ::mmap(nullptr, len, prot, flags, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  ::munmap(p, len);
}

TEST_F(RingBufferTest, DeliversExactEventsAndSkipsDiscarded) {
  load();
  auto rb = RingBuffer::create();
  ASSERT_TRUE(rb) << rb.error().describe();
  std::vector<MmapEvent> events;
  ASSERT_TRUE(rb->add(*obj_.map("events"), [&](std::span<const std::byte> rec) {
    EXPECT_EQ(rec.size(), sizeof(MmapEvent));
    MmapEvent e{};
    std::memcpy(&e, rec.data(), std::min(rec.size(), sizeof(e)));
    events.push_back(e);
    return 0;
  }));
  do_mmap(3 * 4096 + 17, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
  do_mmap(kDiscardLen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);  // discarded by the program
  do_mmap(5 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  auto n = rb->poll(1000);
  ASSERT_TRUE(n) << n.error().describe();
  auto more = rb->consume();
  ASSERT_TRUE(more);

  const MmapEvent* first = nullptr;
  const MmapEvent* second = nullptr;
  for (const MmapEvent& e : events) {
    EXPECT_NE(e.len, kDiscardLen) << "a discarded record reached the callback";
    if (e.len == 3 * 4096 + 17) first = &e;
    if (e.len == 5 * 4096) second = &e;
  }
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(first->pid, static_cast<uint32_t>(::getpid()));
  EXPECT_EQ(first->prot, uint64_t{PROT_READ});
  EXPECT_EQ(first->flags, uint64_t{MAP_PRIVATE | MAP_ANONYMOUS});
  EXPECT_EQ(static_cast<int32_t>(first->fd), -1);
  EXPECT_EQ(first->off, 0u);
  EXPECT_EQ(first->addr, 0u);
  EXPECT_EQ(second->prot, uint64_t{PROT_READ | PROT_WRITE});
  EXPECT_EQ(second->flags, uint64_t{MAP_SHARED | MAP_ANONYMOUS});
  EXPECT_EQ(*n + *more, events.size());
  EXPECT_EQ(read_global<uint64_t>(obj_, spec_, "discarded"), 1u);
}

TEST_F(RingBufferTest, StopFromAnotherThreadEndsAnInfinitePoll) {
  load();
  auto rb = RingBuffer::create();
  ASSERT_TRUE(rb);
  ASSERT_TRUE(rb->add(*obj_.map("events"), [](std::span<const std::byte>) { return 0; }));
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    rb->stop();
  });
  while (!rb->stopped()) {
    auto n = rb->poll(-1);
    ASSERT_TRUE(n) << n.error().describe();
  }
  stopper.join();
  EXPECT_TRUE(rb->stopped());
}

TEST_F(RingBufferTest, CallbackCanStopConsumption) {
  load();
  auto rb = RingBuffer::create();
  ASSERT_TRUE(rb);
  int seen = 0;
  ASSERT_TRUE(rb->add(*obj_.map("events"), [&](std::span<const std::byte>) {
    ++seen;
    return 7;
  }));
  for (int i = 0; i < 3; ++i) do_mmap(4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
  auto n = rb->consume();
  ASSERT_FALSE(n);
  EXPECT_EQ(seen, 1);
  EXPECT_NE(n.error().message().find("returned 7"), std::string::npos);
  // The rest is still there for the next call.
  int rest = 0;
  auto rb2 = RingBuffer::create();
  ASSERT_TRUE(rb2->add(*obj_.map("events"), [&](std::span<const std::byte>) {
    ++rest;
    return 0;
  }));
  ASSERT_TRUE(rb2->consume());
  EXPECT_GE(rest, 2);
}

TEST_F(RingBufferTest, SeveralRingsInOneConsumer) {
  load();
  ObjectSpec spec2 = spec_for_this_process("ringbuf_events");
  auto obj2 = Object::load(spec2);
  ASSERT_TRUE(obj2) << obj2.error().describe();
  auto link2 = obj2->program("on_mmap")->attach();
  ASSERT_TRUE(link2) << link2.error().describe();
  auto rb = RingBuffer::create();
  ASSERT_TRUE(rb);
  int a = 0, b = 0;
  ASSERT_TRUE(rb->add(*obj_.map("events"), [&](std::span<const std::byte>) { return ++a, 0; }));
  ASSERT_TRUE(rb->add(*obj2->map("events"), [&](std::span<const std::byte>) { return ++b, 0; }));
  EXPECT_EQ(rb->ring_count(), 2u);
  do_mmap(7 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
  for (int i = 0; i < 10 && (a == 0 || b == 0); ++i) ASSERT_TRUE(rb->poll(100));
  EXPECT_GE(a, 1);
  EXPECT_GE(b, 1);
}

TEST_F(RingBufferTest, NonRingbufMapIsRefused) {
  auto obj = Object::load(spec_for_this_process("tracepoint_counter"));
  ASSERT_TRUE(obj) << obj.error().describe();
  auto rb = RingBuffer::create();
  ASSERT_TRUE(rb);
  auto r = rb->add(*obj->map("per_pid"), [](std::span<const std::byte>) { return 0; });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::InvalidInput);
  EXPECT_EQ(r.error().map(), "per_pid");
}

}  // namespace
}  // namespace bpfxx::test
