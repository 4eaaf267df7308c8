// Sends one ring buffer record per mmap() of one process, and reserves then
// discards a record when the length is the magic kDiscardLen, so the consumer
// can prove it skips discarded records.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define kDiscardLen 12345

struct syscall_enter {
  __u64 common;
  int nr;
  int pad;
  __u64 args[6];
};

struct mmap_event {
  __u32 pid;
  __u32 tid;
  __u64 addr;
  __u64 len;
  __u64 prot;
  __u64 flags;
  __s64 fd;
  __u64 off;
  char comm[16];
};

const volatile __u32 target_pid = 0;
__u64 discarded = 0;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_mmap")
int on_mmap(struct syscall_enter *ctx) {
  __u64 id = bpf_get_current_pid_tgid();
  if ((id >> 32) != target_pid) return 0;
  struct mmap_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) return 0;
  if (ctx->args[1] == kDiscardLen) {
    __sync_fetch_and_add(&discarded, 1);
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  e->pid = id >> 32;
  e->tid = (__u32)id;
  e->addr = ctx->args[0];
  e->len = ctx->args[1];
  e->prot = ctx->args[2];
  e->flags = ctx->args[3];
  e->fd = (__s64)ctx->args[4];
  e->off = ctx->args[5];
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
