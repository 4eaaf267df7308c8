// runqlat: scheduler run-queue latency as a log2 histogram. Wakeups record
// a timestamp per pid; sched_switch computes how long the next task waited.
// Task fields are read directly in tp_btf programs (BTF-typed arguments).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define MAX_SLOTS 32

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 10240);
  __type(key, __u32);
  __type(value, __u64);
} wakeup_ns SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, MAX_SLOTS);
  __type(key, __u32);
  __type(value, __u64);
} latency_log2_us SEC(".maps");

__u64 samples = 0;

static __always_inline __u32 log2_u64(__u64 v) {
  __u32 r = 0;
  for (int i = 0; i < 63 && v > 1; i++) {
    v >>= 1;
    r++;
  }
  return r;
}

static __always_inline int record_wakeup(struct task_struct *p) {
  __u32 pid = p->pid;
  __u64 now = bpf_ktime_get_ns();
  bpf_map_update_elem(&wakeup_ns, &pid, &now, BPF_ANY);
  return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(on_wakeup, struct task_struct *p) { return record_wakeup(p); }

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(on_wakeup_new, struct task_struct *p) { return record_wakeup(p); }

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next) {
  __u32 pid = next->pid;
  __u64 *start = bpf_map_lookup_elem(&wakeup_ns, &pid);
  if (!start) return 0;
  __u64 delta_us = (bpf_ktime_get_ns() - *start) / 1000;
  bpf_map_delete_elem(&wakeup_ns, &pid);
  __u32 slot = log2_u64(delta_us);
  if (slot >= MAX_SLOTS) slot = MAX_SLOTS - 1;
  __u64 *bucket = bpf_map_lookup_elem(&latency_log2_us, &slot);
  if (bucket) __sync_fetch_and_add(bucket, 1);
  __sync_fetch_and_add(&samples, 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
