// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Programs in sections of many kinds, and two programs sharing one section,
 * for the section classification and program listing tests. Each program is
 * trivial but valid for its type.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 hits;

SEC("tracepoint/syscalls/sys_enter_openat")
int on_tracepoint(void *ctx)
{
	hits++;
	return 0;
}

SEC("raw_tp/sys_enter")
int on_raw_tp(void *ctx)
{
	hits++;
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_tp_btf, int preempt)
{
	hits += preempt;
	return 0;
}

SEC("kprobe/do_unlinkat")
int on_kprobe(void *ctx)
{
	hits++;
	return 0;
}

SEC("kretprobe/do_unlinkat")
int on_kretprobe(void *ctx)
{
	hits++;
	return 0;
}

SEC("uprobe//proc/self/exe:main")
int on_uprobe(void *ctx)
{
	hits++;
	return 0;
}

SEC("fentry/do_unlinkat")
int BPF_PROG(on_fentry, int dfd)
{
	hits += dfd;
	return 0;
}

/* Two programs in one section. */
SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("tc")
int tc_prog(struct __sk_buff *skb)
{
	return 0;
}

SEC("cgroup_skb/ingress")
int cgroup_ingress(struct __sk_buff *skb)
{
	return 1;
}

SEC("socket")
int socket_prog(struct __sk_buff *skb)
{
	return 0;
}

/* Not loaded unless the caller asks: the leading '?'. */
SEC("?tp/syscalls/sys_enter_close")
int not_autoloaded(void *ctx)
{
	hits++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
