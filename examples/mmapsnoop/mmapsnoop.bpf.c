// mmapsnoop: report every mmap() on the system through a ring buffer.
//
// Two programs feed the same ring buffer: the syscall tracepoint (works on
// every kernel with tracepoints) and a kprobe on the x86_64 syscall wrapper,
// the form most tutorials use. The loader attaches one of them.
//
// Kernel types come from the vmlinux.h that bpfxx's own generator writes at
// build time from /sys/kernel/btf/vmlinux. Every access to them is a CO-RE
// relocation, so the object built here runs unchanged on other kernels (the
// make test-vm guest runs it on 6.1).
//
// Built with MMAPSNOOP_NO_CORE (the build does so, and says so, on a machine
// without kernel BTF; the benchmark builds it too, as its no-CO-RE object),
// it uses UAPI headers and declares the tracepoint's context itself instead.
#ifndef MMAPSNOOP_NO_CORE
#include "vmlinux.h"
#else
#include <linux/bpf.h>
#include <linux/ptrace.h>
#endif
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "mmapsnoop.h"

#ifdef MMAPSNOOP_NO_CORE
// The layout of tracefs events/syscalls/sys_enter_mmap/format: common fields,
// the syscall number (an int, padded), then the six arguments at offset 16.
struct trace_event_raw_sys_enter {
  __u64 common;  // common_type, flags, preempt_count, common_pid
  long id;
  unsigned long args[6];
};
#endif

const volatile __u32 target_pid = 0;  // 0: every process

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 20);
} events SEC(".maps");

__u64 dropped = 0;  // events lost to a full ring buffer

static __always_inline int emit(__u64 addr, __u64 len, __u64 prot, __u64 flags, __u64 fd, __u64 off,
                                __u8 source) {
  __u64 id = bpf_get_current_pid_tgid();
  __u32 pid = id >> 32;
  if (target_pid != 0 && pid != target_pid) return 0;
  struct mmap_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    __sync_fetch_and_add(&dropped, 1);
    return 0;
  }
  e->pid = pid;
  e->tid = (__u32)id;
  e->uid = (__u32)bpf_get_current_uid_gid();
  e->source = source;
  e->addr = addr;
  e->len = len;
  e->prot = prot;
  e->flags = flags;
  e->fd = (__s32)fd;  // the syscall takes an int fd in a 64-bit register
  e->off = off;
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// A sys_enter_* tracepoint's context is the common fields, the syscall
// number, then its six arguments at offset 16: the layout of the kernel's
// trace_event_raw_sys_enter (the raw_syscalls:sys_enter record), which
// programs use for it, as here.
SEC("tracepoint/syscalls/sys_enter_mmap")
int trace_mmap(struct trace_event_raw_sys_enter *ctx) {
  return emit(ctx->args[0], ctx->args[1], ctx->args[2], ctx->args[3], ctx->args[4], ctx->args[5],
              MMAP_SOURCE_TRACEPOINT);
}

// The seed's form: a kprobe on the syscall wrapper, whose one argument is the
// user's saved registers; BPF_KSYSCALL reads the arguments out of them.
SEC("kprobe/__x64_sys_mmap")
int BPF_KSYSCALL(kprobe_mmap, unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
                 unsigned long fd, unsigned long off) {
  return emit(addr, len, prot, flags, fd, off, MMAP_SOURCE_KPROBE);
}

char LICENSE[] SEC("license") = "GPL";
