// bpfxx::Link: an attachment of a program, detached when the Link is
// destroyed (or detach() is called). Move-only.
//
// A Link owns the BPF link fd and, for perf-event based attachments
// (tracepoints, kprobes), the perf event fd too. When bpfxx had to take an
// older attach path it says so in note().
//
// Thread safety: one owner, not synchronized.
#pragma once

#include <bpfxx/fd.hpp>
#include <bpfxx/result.hpp>

#include <string>

namespace bpfxx {

enum class LinkMechanism : uint8_t {
  BpfLink,         // a BPF link fd (BPF_LINK_CREATE or BPF_RAW_TRACEPOINT_OPEN)
  PerfEventIoctl,  // PERF_EVENT_IOC_SET_BPF on a perf event: kernels before 5.15
};

class Link {
 public:
  Link() = default;
  Link(Fd link_fd, Fd perf_fd, LinkMechanism mechanism, std::string description, std::string note = {});
  Link(Link&&) noexcept = default;
  Link& operator=(Link&&) noexcept = default;
  ~Link() = default;

  // The BPF link fd, or the perf event fd for PerfEventIoctl links.
  int fd() const noexcept { return link_fd_ ? link_fd_.get() : perf_fd_.get(); }
  int perf_event_fd() const noexcept { return perf_fd_.get(); }
  LinkMechanism mechanism() const noexcept { return mechanism_; }
  bool attached() const noexcept { return link_fd_.valid() || perf_fd_.valid(); }
  // "tracepoint syscalls/sys_enter_mmap", "kprobe do_sys_openat2+0"
  const std::string& description() const noexcept { return description_; }
  // Non-empty when a fallback was taken, saying which and why.
  const std::string& note() const noexcept { return note_; }

  // Pins the BPF link (perf-ioctl attachments cannot be pinned).
  Result<void> pin(const std::string& path) const;
  void detach() noexcept;

 private:
  Fd link_fd_;
  Fd perf_fd_;
  LinkMechanism mechanism_ = LinkMechanism::BpfLink;
  std::string description_;
  std::string note_;
};

}  // namespace bpfxx
