// opensnoop: openat() calls from a BTF-typed raw tracepoint (tp_btf), the
// arguments read from the syscall's saved registers with CO-RE, counted per
// process in a hash map and reported through a ring buffer.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "common.h"

#define NR_openat 257  /* x86_64 */

const volatile __u32 target_pid = 0;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} open_events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u32);
  __type(value, __u64);
} opens_per_pid SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(handle_sys_enter, struct pt_regs *regs, long id) {
  if (id != NR_openat) return 0;
  __u32 pid = bpf_get_current_pid_tgid() >> 32;
  if (target_pid && pid != target_pid) return 0;
  __u64 one = 1, *count = bpf_map_lookup_elem(&opens_per_pid, &pid);
  if (count)
    __sync_fetch_and_add(count, 1);
  else
    bpf_map_update_elem(&opens_per_pid, &pid, &one, BPF_ANY);
  struct open_event *e = bpf_ringbuf_reserve(&open_events, sizeof(*e), 0);
  if (!e) return 0;
  e->pid = pid;
  e->dfd = (__s32)BPF_CORE_READ(regs, di);
  e->flags = BPF_CORE_READ(regs, dx);
  const char *path = (const char *)BPF_CORE_READ(regs, si);
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  bpf_probe_read_user_str(e->filename, sizeof(e->filename), path);
  bpf_ringbuf_submit(e, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
