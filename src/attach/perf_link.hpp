// Attaching a program to a perf event (tracepoints, kprobes, uprobes):
// a BPF perf link where the kernel has them (5.15+), and deliberately the
// PERF_EVENT_IOC_SET_BPF ioctl where it does not.
#pragma once

#include <bpfxx/link.hpp>
#include <bpfxx/program.hpp>

namespace bpfxx::detail {

Result<Link> attach_perf_event(const Program& program, Fd perf_fd, std::string description);

}  // namespace bpfxx::detail
