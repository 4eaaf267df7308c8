// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Compile test for bpfxx's BPF-side headers: written the way a libbpf user
 * writes a program (same includes, same macros), so it must build unchanged
 * against bpfxx's headers with -Wall -Werror.
 */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_core_read.h>

struct event {
	__u32 pid;
	__u16 port_be;
	__u16 kind;
	__u64 arg;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_NONE);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jump_table SEC(".maps");

/* A CO-RE view of a kernel type, as programs without vmlinux.h write one. */
struct task_struct___compat {
	int pid;
	int tgid;
	struct task_struct___compat *real_parent;
} __attribute__((preserve_access_index));

const volatile __u32 target_pid = 0;

static __always_inline void count_pid(__u32 pid)
{
	__u64 one = 1, *val;

	val = bpf_map_lookup_elem(&counts, &pid);
	if (val) {
		__sync_fetch_and_add(val, 1);
		return;
	}
	bpf_map_update_elem(&counts, &pid, &one, BPF_NOEXIST);
}

static __always_inline int emit(__u16 kind, __u64 arg)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct event *e;

	if (target_pid && pid != target_pid)
		return 0;
	count_pid(pid);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	e->port_be = bpf_htons(8080);
	e->kind = kind;
	e->arg = arg;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(on_unlinkat, int dfd, void *name)
{
	bpf_printk("unlinkat dfd=%d", dfd);
	return emit(1, (__u64)name);
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(on_unlinkat_ret, long ret)
{
	bpf_printk("unlinkat ret=%ld pid=%d %d %d %d", ret,
		   (int)(bpf_get_current_pid_tgid() >> 32), 2, 3, 4);
	return emit(2, ret);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	if (id != 257 /* openat */)
		return 0;
	return emit(3, PT_REGS_PARM2_CORE(regs));
}

SEC("ksyscall/openat")
int BPF_KSYSCALL(on_openat, int dfd, const char *pathname, int flags, unsigned short mode)
{
	char path[32];

	bpf_probe_read_user_str(path, sizeof(path), pathname);
	return emit(4, ((__u64)flags << 16) | mode);
}

SEC("kprobe/vfs_read")
int six_args(struct pt_regs *ctx)
{
	__u64 sum = PT_REGS_PARM1(ctx) + PT_REGS_PARM2(ctx) + PT_REGS_PARM3(ctx) +
		    PT_REGS_PARM4(ctx) + PT_REGS_PARM5(ctx) + PT_REGS_PARM6(ctx);

	return emit(5, sum ^ PT_REGS_IP(ctx));
}

SEC("kprobe/wake_up_new_task")
int BPF_KPROBE(on_new_task, struct task_struct___compat *task)
{
	int grandparent = BPF_CORE_READ(task, real_parent, real_parent, tgid);

	if (!bpf_core_field_exists(task->real_parent) ||
	    !bpf_core_type_exists(struct task_struct___compat) ||
	    !bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_RINGBUF))
		return 0;
	return emit(6, grandparent + bpf_core_field_size(struct task_struct___compat, pid));
}

/* container_of and offsetof on a CO-RE type are relocated, not constants. */
SEC("kprobe/wake_up_new_task")
int BPF_KPROBE(from_member, int *tgid)
{
	struct task_struct___compat *task = container_of(tgid, struct task_struct___compat, tgid);

	return emit(7, (__u64)task + offsetof(struct task_struct___compat, real_parent));
}

/* A variadic macro built on libbpf's counting helpers, as its usdt.bpf.h does. */
#define sum_args1(a) (a)
#define sum_args2(a, b) ((a) + (b))
#define sum_args3(a, b, c) ((a) + (b) + (c))
#define sum_args(args...) ___bpf_apply(sum_args, ___bpf_narg(args))(args)
_Static_assert(___bpf_narg() == 0 && ___bpf_narg(x, y, z) == 3, "___bpf_narg counts");

/* The caller's address at a probe's entry and at its return. */
SEC("kprobe/vfs_write")
int BPF_KPROBE(ret_ip_entry)
{
	unsigned long ip = 0;

	BPF_KPROBE_READ_RET_IP(ip, ctx);
	return emit(8, ip);
}

SEC("kretprobe/vfs_write")
int BPF_KRETPROBE(ret_ip_exit)
{
	unsigned long ip = 0;
	BPF_PRINTK_FMT_MOD char fmt[] = "returns to %lx";

	BPF_KRETPROBE_READ_RET_IP(ip, ctx);
	bpf_trace_printk(fmt, sizeof(fmt), ip);
	__bpf_vprintk("always vprintk: %lx", ip);
	return emit(9, ip + sum_args(1, 2, 3));
}

SEC("tc")
int tail_entry(struct __sk_buff *skb)
{
	bpf_tail_call_static(skb, &jump_table, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
