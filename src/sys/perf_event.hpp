// perf_event_open() and the perf ioctls bpfxx needs to attach programs to
// tracepoints, kprobes and uprobes, plus the sysfs/tracefs lookups that feed
// them (tracepoint ids, dynamic PMU types).
#pragma once

#include <bpfxx/fd.hpp>
#include <bpfxx/result.hpp>

#include <cstdint>
#include <string>

namespace bpfxx::sys {

// A tracepoint perf event on CPU 0 for all processes, as BPF attachment wants.
Result<Fd> perf_event_open_tracepoint(uint64_t tracepoint_id);

// A kprobe (or kretprobe) through the kprobe PMU: `func` + `offset`, or an
// absolute address when func is empty.
Result<Fd> perf_event_open_kprobe(uint32_t pmu_type, bool retprobe, int retprobe_bit, const std::string& func,
                                  uint64_t offset_or_addr);

// PERF_EVENT_IOC_SET_BPF then PERF_EVENT_IOC_ENABLE: the pre-5.15 way.
Result<void> perf_event_set_bpf_and_enable(int perf_fd, int prog_fd);

// The tracefs mount point: /sys/kernel/tracing, or the debugfs path.
Result<std::string> tracefs_root();
// The id of tracepoint `category/name` from tracefs.
Result<uint64_t> tracepoint_id(const std::string& category, const std::string& name);

struct DynamicPmu {
  uint32_t type = 0;
  int retprobe_bit = -1;  // the config bit that makes a return probe, -1 if none
};
// Reads /sys/bus/event_source/devices/<name>/{type,format/retprobe}. A missing
// PMU is NotSupported: the kernel was built without it.
Result<DynamicPmu> dynamic_pmu(const std::string& name);

// Reads a whole small file (sysfs, tracefs, procfs) into a string.
Result<std::string> read_small_file(const std::string& path);

}  // namespace bpfxx::sys
