// execsnoop: one ring buffer record per exec, with the parent's pid read
// through CO-RE (task->real_parent->tgid) and the file name from the
// tracepoint's __data_loc field.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "common.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
const volatile __u32 target_ppid = 0;  // 0: every process

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} exec_events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx) {
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  __u32 ppid = BPF_CORE_READ(task, real_parent, tgid);
  if (target_ppid && ppid != target_ppid) return 0;
  struct exec_event *e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);
  if (!e) return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  e->ppid = ppid;
  e->uid = (__u32)bpf_get_current_uid_gid();
  e->kernel_version = LINUX_KERNEL_VERSION;
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  unsigned int loc = BPF_CORE_READ(ctx, __data_loc_filename) & 0xffff;
  bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + loc);
  bpf_ringbuf_submit(e, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
