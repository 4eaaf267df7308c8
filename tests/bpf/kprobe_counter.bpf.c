// Counts calls of a kernel function through a kprobe and a kretprobe. On a
// kernel without kprobes it still loads (uprobes use the same program type);
// attaching is where the kernel refuses.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 target_pid = 0;
__u64 entries = 0;
__u64 returns = 0;

SEC("kprobe/do_sys_openat2")
int on_open_entry(void *ctx) {
  if ((bpf_get_current_pid_tgid() >> 32) == target_pid) __sync_fetch_and_add(&entries, 1);
  return 0;
}

SEC("kretprobe/do_sys_openat2")
int on_open_return(void *ctx) {
  if ((bpf_get_current_pid_tgid() >> 32) == target_pid) __sync_fetch_and_add(&returns, 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
