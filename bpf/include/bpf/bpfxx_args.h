/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpfxx: argument counting for the variadic macros of bpf_helpers.h,
 * bpf_tracing.h and bpf_core_read.h. __bpfxx_argc(a, b, c) is 3; the
 * extra leading argument makes an empty list count as 0 (GNU ##__VA_ARGS__).
 * Up to 24: BPF_PROG2 passes 12 type and name pairs.
 */
#ifndef BPFXX_BPF_ARGS_H
#define BPFXX_BPF_ARGS_H

#define __bpfxx_cat_(a, b) a##b
#define __bpfxx_cat(a, b) __bpfxx_cat_(a, b)
#define __bpfxx_argc(...)                                                     \
	__bpfxx_argc_at(_, ##__VA_ARGS__, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, \
			12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define __bpfxx_argc_at(_, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, \
			a16, a17, a18, a19, a20, a21, a22, a23, a24, n, ...)               \
	n

#endif
