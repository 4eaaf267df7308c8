// Behaviour chosen by .rodata constants set before load: the verifier sees
// them as constants, so the untaken branch is dead code.
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 target_pid = 0;
const volatile __u64 multiplier = 1;
const volatile bool use_square = false;
__u64 result = 0;
__u64 runs = 0;

static __noinline __u64 scale(__u64 x) {
  if (use_square) return x * x;
  return x * multiplier;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int configured(void *ctx) {
  if ((bpf_get_current_pid_tgid() >> 32) != target_pid) return 0;
  __sync_fetch_and_add(&runs, 1);
  result = scale(7);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
