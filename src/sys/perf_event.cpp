#include "sys/perf_event.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace bpfxx::sys {

namespace {

Result<Fd> perf_event_open(perf_event_attr& attr, int pid, int cpu, const char* what) {
  for (;;) {
    long r = ::syscall(__NR_perf_event_open, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    if (r >= 0) return Fd(static_cast<int>(r));
    if (errno == EINTR) continue;
    return Error::from_errno(errno, "perf_event_open").with_context(what);
  }
}

}  // namespace

Result<std::string> read_small_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    Error e = Error::from_errno(errno, "open").with_object(path);
    if (e.code() != Errc::NotFound && e.code() != Errc::PermissionDenied) std::move(e).with_code(Errc::Io);
    return e;
  }
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno(errno, "read").with_code(Errc::Io).with_object(path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Result<Fd> perf_event_open_tracepoint(uint64_t tracepoint_id) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.config = tracepoint_id;
  attr.sample_period = 1;
  attr.wakeup_events = 1;
  return perf_event_open(attr, -1, 0, "opening tracepoint perf event");
}

Result<Fd> perf_event_open_kprobe(uint32_t pmu_type, bool retprobe, int retprobe_bit, const std::string& func,
                                  uint64_t offset_or_addr) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = pmu_type;
  if (retprobe) attr.config |= 1ull << retprobe_bit;
  // config1 points at the function name, config2 is the offset (or the
  // address when there is no name): the kprobe PMU's format.
  attr.config1 = func.empty() ? 0 : static_cast<uint64_t>(reinterpret_cast<uintptr_t>(func.c_str()));
  attr.config2 = offset_or_addr;
  return perf_event_open(attr, -1, 0, retprobe ? "opening kretprobe perf event" : "opening kprobe perf event");
}

Result<void> perf_event_set_bpf_and_enable(int perf_fd, int prog_fd) {
  if (::ioctl(perf_fd, PERF_EVENT_IOC_SET_BPF, prog_fd) != 0) {
    return Error::from_errno(errno, "ioctl(PERF_EVENT_IOC_SET_BPF)");
  }
  if (::ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0) != 0) {
    return Error::from_errno(errno, "ioctl(PERF_EVENT_IOC_ENABLE)");
  }
  return {};
}

Result<std::string> tracefs_root() {
  for (const char* root : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
    struct stat st {};
    if (::stat((std::string(root) + "/events").c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return std::string(root);
  }
  return Error(Errc::NotFound, "tracefs is not mounted")
      .with_op("find tracefs")
      .with_hint("mount it: mount -t tracefs nodev /sys/kernel/tracing");
}

Result<uint64_t> tracepoint_id(const std::string& category, const std::string& name) {
  BPFXX_TRY_ASSIGN(std::string root, tracefs_root());
  std::string path = root + "/events/" + category + "/" + name + "/id";
  auto text = read_small_file(path);
  if (!text) {
    if (text.error().code() == Errc::NotFound) {
      return Error(Errc::NotFound, fmt::format("no tracepoint {}/{}", category, name))
          .with_op("find tracepoint")
          .with_object(path)
          .with_hint("list tracepoints in " + root + "/available_events");
    }
    return std::move(text).error().with_context("reading tracepoint id");
  }
  char* end = nullptr;
  unsigned long long id = std::strtoull(text->c_str(), &end, 10);
  if (end == text->c_str()) {
    return Error(Errc::InvalidInput, "tracepoint id file holds no number").with_op("find tracepoint").with_object(path);
  }
  return static_cast<uint64_t>(id);
}

Result<DynamicPmu> dynamic_pmu(const std::string& name) {
  std::string dir = "/sys/bus/event_source/devices/" + name;
  auto type = read_small_file(dir + "/type");
  if (!type) {
    if (type.error().code() == Errc::NotFound) {
      return Error(Errc::NotSupported,
                   fmt::format("this kernel has no {} support: {} does not exist", name, dir))
          .with_op("find " + name + " PMU")
          .with_hint(name == "kprobe" ? "the kernel was built without CONFIG_KPROBES / CONFIG_KPROBE_EVENTS"
                                      : "the kernel was built without CONFIG_UPROBE_EVENTS");
    }
    return std::move(type).error();
  }
  DynamicPmu pmu;
  pmu.type = static_cast<uint32_t>(std::strtoul(type->c_str(), nullptr, 10));
  // format/retprobe reads "config:N".
  auto bit = read_small_file(dir + "/format/retprobe");
  if (bit) {
    auto colon = bit->find(':');
    if (colon != std::string::npos) pmu.retprobe_bit = std::atoi(bit->c_str() + colon + 1);
  }
  return pmu;
}

}  // namespace bpfxx::sys
