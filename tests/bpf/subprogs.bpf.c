// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Subprograms for the linker tests: static and global __noinline functions in
 * .text reached transitively from two programs (each program gets its own
 * copy), and a callback passed to bpf_loop (a ld_imm64 of a function address).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct loop_ctx {
	__u64 sum;
};

__u64 result;

static __noinline int leaf(int x)
{
	return x * 3 + 1;
}

static __noinline int middle(int x)
{
	return leaf(x) + leaf(x + 1);
}

__noinline int global_helper(int x)
{
	return middle(x) + 2;
}

static int loop_cb(__u32 index, void *data)
{
	struct loop_ctx *c = data;

	c->sum += index;
	return 0;
}

SEC("tp/syscalls/sys_enter_getpid")
int prog_with_loop(void *ctx)
{
	struct loop_ctx c = { .sum = 0 };

	bpf_loop(4, loop_cb, &c, 0);
	result = c.sum + global_helper(1);
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int prog_calls(void *ctx)
{
	result = global_helper(2) + middle(3);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
