// Counts getppid() calls of one process from a tracepoint, in .bss, in a
// .data variable and in a hash map, so a test can read all three back.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Layout of tracefs events/syscalls/sys_enter_*/format.
struct syscall_enter {
  __u64 common;
  int nr;
  int pad;
  __u64 args[6];
};

const volatile __u32 target_pid = 0;  // set before load
__u64 calls = 0;                      // .bss
__u64 last_nr = 42;                   // .data, overwritten by the program

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, __u64);
} per_pid SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_getppid(struct syscall_enter *ctx) {
  __u32 pid = bpf_get_current_pid_tgid() >> 32;
  if (pid != target_pid) return 0;
  __sync_fetch_and_add(&calls, 1);
  last_nr = ctx->nr;
  __u64 one = 1, *v = bpf_map_lookup_elem(&per_pid, &pid);
  if (v)
    __sync_fetch_and_add(v, 1);
  else
    bpf_map_update_elem(&per_pid, &pid, &one, BPF_NOEXIST);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
