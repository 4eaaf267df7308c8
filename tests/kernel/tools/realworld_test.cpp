// Tracing tools written the way libbpf users write them — vmlinux.h from
// bpfxx's generator, BPF_CORE_READ, .kconfig, tp_btf, ring buffers — loaded,
// attached and observed. Built against the build machine's vmlinux.h, they
// run unchanged on other kernels (make test-vm runs them on 6.1).
#include <bpfxx/object.hpp>
#include <bpfxx/ring_buffer.hpp>

#include "kernel/kernel_helpers.hpp"
#include "load/externs_load.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <thread>

namespace bpfxx::test {
namespace {

// Mirrors tests/bpf/realworld/common.h.
struct ExecEvent {
  uint32_t pid, ppid, uid, kernel_version;
  char comm[16];
  char filename[128];
};
struct OpenEvent {
  uint32_t pid;
  int32_t dfd;
  uint64_t flags;
  char comm[16];
  char filename[128];
};

class RealWorldTest : public testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ensure_tracefs();
  }
};

template <typename Event>
std::vector<Event> drain(Object& obj, const char* map, const std::function<bool(const std::vector<Event>&)>& done) {
  std::vector<Event> events;
  auto rb = RingBuffer::create();
  EXPECT_TRUE(rb);
  EXPECT_TRUE(rb->add(*obj.map(map), [&](std::span<const std::byte> rec) {
    Event e{};
    std::memcpy(&e, rec.data(), std::min(rec.size(), sizeof(e)));
    events.push_back(e);
    return 0;
  }));
  for (int i = 0; i < 50 && !done(events); ++i) EXPECT_TRUE(rb->poll(20));
  return events;
}

TEST_F(RealWorldTest, ExecsnoopSeesOurChildExec) {
  ObjectSpec spec = open_spec("execsnoop");
  ASSERT_TRUE(spec.set_variable("target_ppid", static_cast<uint32_t>(::getpid())));
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto links = obj->attach_all();
  ASSERT_TRUE(links) << links.error().describe();
  pid_t child = ::fork();
  if (child == 0) {
    ::execl("/bin/true", "true", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  auto events = drain<ExecEvent>(*obj, "exec_events", [](auto& v) { return !v.empty(); });
  ASSERT_EQ(events.size(), 1u);
  const ExecEvent& e = events[0];
  EXPECT_EQ(e.pid, static_cast<uint32_t>(child));
  EXPECT_EQ(e.ppid, static_cast<uint32_t>(::getpid()));  // task->real_parent->tgid through CO-RE
  EXPECT_STREQ(e.comm, "true");
  EXPECT_NE(std::string(e.filename).find("true"), std::string::npos) << e.filename;
  utsname u{};
  ::uname(&u);
  EXPECT_EQ(e.kernel_version, *detail::kernel_version_of(u.release));  // .kconfig
}

TEST_F(RealWorldTest, OpensnoopSeesOurOpenat) {
  ObjectSpec spec = open_spec("opensnoop");
  uint32_t pid = static_cast<uint32_t>(::getpid());
  ASSERT_TRUE(spec.set_variable("target_pid", pid));
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto links = obj->attach_all();
  ASSERT_TRUE(links) << links.error().describe();
  int fd = ::openat(AT_FDCWD, "/proc/self/stat", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ::close(fd);
  auto events = drain<OpenEvent>(*obj, "open_events", [](auto& v) {
    for (auto& e : v) {
      if (std::string(e.filename) == "/proc/self/stat") return true;
    }
    return false;
  });
  bool found = false;
  for (const OpenEvent& e : events) {
    if (std::string(e.filename) != "/proc/self/stat") continue;
    found = true;
    EXPECT_EQ(e.pid, pid);
    EXPECT_EQ(e.dfd, AT_FDCWD);
    EXPECT_EQ(e.flags & (O_RDONLY | O_CLOEXEC), uint64_t{O_CLOEXEC});
  }
  EXPECT_TRUE(found);
  auto count = obj->map("opens_per_pid")->lookup_as<uint64_t>(pid);
  ASSERT_TRUE(count) << count.error().describe();
  EXPECT_GE(*count, 1u);
}

TEST_F(RealWorldTest, RunqlatFillsItsHistogram) {
  ObjectSpec spec = open_spec("runqlat");
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  auto links = obj->attach_all();
  ASSERT_TRUE(links) << links.error().describe();
  EXPECT_EQ(links->size(), 3u);
  for (int i = 0; i < 20; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (auto& l : *links) l.detach();
  uint64_t samples = read_global<uint64_t>(*obj, spec, "samples");
  EXPECT_GT(samples, 0u);
  uint64_t total = 0;
  for (uint32_t slot = 0; slot < 32; ++slot) total += obj->map("latency_log2_us")->lookup_as<uint64_t>(slot).value();
  EXPECT_EQ(total, samples);
}

}  // namespace
}  // namespace bpfxx::test
