// Counts getppid() calls of one process from the raw sys_enter tracepoint.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 target_pid = 0;
const volatile __u64 syscall_nr = 110;  // __NR_getppid on x86_64
__u64 hits = 0;

SEC("raw_tp/sys_enter")
int count_raw(__u64 *ctx) {
  // raw sys_enter: ctx[0] is struct pt_regs *, ctx[1] the syscall number.
  if ((bpf_get_current_pid_tgid() >> 32) != target_pid) return 0;
  if (ctx[1] != syscall_nr) return 0;
  __sync_fetch_and_add(&hits, 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
