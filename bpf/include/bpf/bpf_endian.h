// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfxx: byte order conversion for BPF programs (libbpf-compatible names).
 *
 * BPF programs cannot use <arpa/inet.h> or <endian.h>: those describe the
 * host, while the program's byte order is that of the BPF target (bpfel or
 * bpfeb), which clang reports through __BYTE_ORDER__.
 *
 * bpf_htons(x) and friends pick the form that suits the argument: for a
 * constant, shifts and masks the compiler folds into an integer constant
 * expression (usable in case labels and static initialisers); otherwise the
 * byte-swap builtin, which becomes one BPF endianness instruction. The
 * __bpf_constant_*() forms are always constant expressions for constant input.
 * This header needs no typedefs.
 */
#ifndef BPFXX_BPF_ENDIAN_H
#define BPFXX_BPF_ENDIAN_H

/* Constant-foldable swaps. Each masks its input to the width first. */
#define __bpfxx_swab16_const(x)                                               \
	((unsigned short)((((unsigned short)(x) & 0x00ffU) << 8) |            \
			  (((unsigned short)(x) & 0xff00U) >> 8)))
#define __bpfxx_swab32_const(x)                                               \
	((unsigned int)((((unsigned int)(x) & 0x000000ffU) << 24) |           \
			(((unsigned int)(x) & 0x0000ff00U) << 8) |            \
			(((unsigned int)(x) & 0x00ff0000U) >> 8) |            \
			(((unsigned int)(x) & 0xff000000U) >> 24)))
#define __bpfxx_swab64_const(x)                                               \
	((unsigned long long)(                                                \
		(((unsigned long long)(x) & 0x00000000000000ffULL) << 56) |  \
		(((unsigned long long)(x) & 0x000000000000ff00ULL) << 40) |  \
		(((unsigned long long)(x) & 0x0000000000ff0000ULL) << 24) |  \
		(((unsigned long long)(x) & 0x00000000ff000000ULL) << 8) |   \
		(((unsigned long long)(x) & 0x000000ff00000000ULL) >> 8) |   \
		(((unsigned long long)(x) & 0x0000ff0000000000ULL) >> 24) |  \
		(((unsigned long long)(x) & 0x00ff000000000000ULL) >> 40) |  \
		(((unsigned long long)(x) & 0xff00000000000000ULL) >> 56)))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Network order is big-endian: every conversion swaps. */
#define __bpf_htons(x) __builtin_bswap16(x)
#define __bpf_ntohs(x) __builtin_bswap16(x)
#define __bpf_htonl(x) __builtin_bswap32(x)
#define __bpf_ntohl(x) __builtin_bswap32(x)
#define __bpf_cpu_to_be64(x) __builtin_bswap64(x)
#define __bpf_be64_to_cpu(x) __builtin_bswap64(x)
#define __bpf_constant_htons(x) __bpfxx_swab16_const(x)
#define __bpf_constant_ntohs(x) __bpfxx_swab16_const(x)
#define __bpf_constant_htonl(x) __bpfxx_swab32_const(x)
#define __bpf_constant_ntohl(x) __bpfxx_swab32_const(x)
#define __bpf_constant_cpu_to_be64(x) __bpfxx_swab64_const(x)
#define __bpf_constant_be64_to_cpu(x) __bpfxx_swab64_const(x)
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
/* Already network order: conversions only narrow to the width. */
#define __bpf_htons(x) ((unsigned short)(x))
#define __bpf_ntohs(x) ((unsigned short)(x))
#define __bpf_htonl(x) ((unsigned int)(x))
#define __bpf_ntohl(x) ((unsigned int)(x))
#define __bpf_cpu_to_be64(x) ((unsigned long long)(x))
#define __bpf_be64_to_cpu(x) ((unsigned long long)(x))
#define __bpf_constant_htons(x) ((unsigned short)(x))
#define __bpf_constant_ntohs(x) ((unsigned short)(x))
#define __bpf_constant_htonl(x) ((unsigned int)(x))
#define __bpf_constant_ntohl(x) ((unsigned int)(x))
#define __bpf_constant_cpu_to_be64(x) ((unsigned long long)(x))
#define __bpf_constant_be64_to_cpu(x) ((unsigned long long)(x))
#else
#error "bpf_endian.h: __BYTE_ORDER__ is neither little nor big endian"
#endif

#define bpf_htons(x)                                                          \
	(__builtin_constant_p(x) ? __bpf_constant_htons(x) : __bpf_htons(x))
#define bpf_ntohs(x)                                                          \
	(__builtin_constant_p(x) ? __bpf_constant_ntohs(x) : __bpf_ntohs(x))
#define bpf_htonl(x)                                                          \
	(__builtin_constant_p(x) ? __bpf_constant_htonl(x) : __bpf_htonl(x))
#define bpf_ntohl(x)                                                          \
	(__builtin_constant_p(x) ? __bpf_constant_ntohl(x) : __bpf_ntohl(x))
#define bpf_cpu_to_be64(x)                                                    \
	(__builtin_constant_p(x) ? __bpf_constant_cpu_to_be64(x)              \
				 : __bpf_cpu_to_be64(x))
#define bpf_be64_to_cpu(x)                                                    \
	(__builtin_constant_p(x) ? __bpf_constant_be64_to_cpu(x)              \
				 : __bpf_be64_to_cpu(x))

#endif /* BPFXX_BPF_ENDIAN_H */
