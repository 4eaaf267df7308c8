#include "attach/perf_link.hpp"

#include <bpfxx/log.hpp>

#include "sys/bpf.hpp"
#include "sys/perf_event.hpp"

#include <fmt/format.h>

namespace bpfxx::detail {

Result<Link> attach_perf_event(const Program& program, Fd perf_fd, std::string description) {
  sys::LinkCreateAttr a;
  a.prog_fd = static_cast<uint32_t>(program.fd());
  a.target_fd = static_cast<uint32_t>(perf_fd.get());
  a.attach_type = static_cast<uint32_t>(AttachType::PerfEvent);
  auto link = sys::link_create(a);
  if (link) return Link(std::move(*link), std::move(perf_fd), LinkMechanism::BpfLink, std::move(description));
  int e = link.error().sys_errno();
  // Kernels before 5.15 have no perf links and answer EINVAL (unknown attach
  // type); only then is the ioctl path the right one.
  if (e != EINVAL && e != EOPNOTSUPP) {
    return std::move(link).error().with_program(program.name()).with_context("attaching " + description);
  }
  auto r = sys::perf_event_set_bpf_and_enable(perf_fd.get(), program.fd());
  if (!r) {
    return std::move(r).error().with_program(program.name()).with_context(
        "attaching " + description + " (the kernel has no perf links, and the perf ioctl failed too)");
  }
  std::string note = fmt::format("{}: BPF_LINK_CREATE for perf events failed ({}), attached with "
                                 "PERF_EVENT_IOC_SET_BPF instead (kernels before 5.15)",
                                 description, link.error().message());
  log(LogLevel::Info, note);
  return Link(Fd(), std::move(perf_fd), LinkMechanism::PerfEventIoctl, std::move(description), std::move(note));
}

}  // namespace bpfxx::detail
