// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfxx: CO-RE (compile once, run everywhere) reads and queries for BPF
 * programs, under the names libbpf programs already use.
 *
 * clang records every access made under __builtin_preserve_access_index (or
 * through a type declared __attribute__((preserve_access_index))), and every
 * __builtin_preserve_{field,type}_info / __builtin_preserve_enum_value /
 * __builtin_btf_type_id query, as a relocation in .BTF.ext naming the local
 * type and the access path. The loader rewrites each such instruction for
 * the running kernel's BTF: offsets, sizes, existence answers, enum values.
 * A relocation the kernel cannot satisfy turns its instruction into a call
 * the verifier rejects only if the program can reach it, so code behind an
 * existence check that came out 0 is fine.
 *
 * The reads use bpf_probe_read_kernel & co., declared by <bpf/bpf_helpers.h>.
 */
#ifndef BPFXX_BPF_CORE_READ_H
#define BPFXX_BPF_CORE_READ_H

#if !__has_builtin(__builtin_preserve_field_info) || !__has_builtin(__builtin_preserve_type_info) || \
	!__has_builtin(__builtin_preserve_enum_value) || !__has_builtin(__builtin_btf_type_id)
#error "<bpf/bpf_core_read.h> needs clang's BPF CO-RE builtins: compile with clang (>= 12) -target bpf -g"
#endif

/*
 * Second argument of the clang builtins. clang turns each (builtin, kind)
 * pair into one .BTF.ext relocation kind:
 *   field info  0..5 -> relocation kinds 0..5 (byte offset .. rshift)
 *   type id     0..1 -> 6..7   (local, target)
 *   type info   0..2 -> 8, 9, 12 (exists, size, matches)
 *   enum value  0..1 -> 10..11 (exists, value)
 */
enum bpf_field_info_kind {
	BPF_FIELD_BYTE_OFFSET = 0,
	BPF_FIELD_BYTE_SIZE = 1,
	BPF_FIELD_EXISTS = 2,
	BPF_FIELD_SIGNED = 3,
	BPF_FIELD_LSHIFT_U64 = 4,
	BPF_FIELD_RSHIFT_U64 = 5,
};

enum bpf_type_id_kind {
	BPF_TYPE_ID_LOCAL = 0,
	BPF_TYPE_ID_TARGET = 1,
};

enum bpf_type_info_kind {
	BPF_TYPE_EXISTS = 0,
	BPF_TYPE_SIZE = 1,
	BPF_TYPE_MATCHES = 2,
};

enum bpf_enum_value_kind {
	BPF_ENUMVAL_EXISTS = 0,
	BPF_ENUMVAL_VALUE = 1,
};

/* Argument counting, shared with bpf_helpers.h (this header stands alone). */
#include "bpfxx_args.h"

/* ---- Field, type and enum queries ---------------------------------------- */

/*
 * A field is named either as an access expression (s->a.b) or as a type and a
 * member path: bpf_core_field_exists(struct task_struct, pid). The builtins
 * never evaluate their first argument, so the null-based form is safe.
 */
#define __bpfxx_field_ref_1(expr) (expr)
#define __bpfxx_field_ref_2(type, field) (((typeof(type) *)0)->field)
#define __bpfxx_field_ref(...)                                                \
	__bpfxx_cat(__bpfxx_field_ref_, __bpfxx_argc(__VA_ARGS__))(__VA_ARGS__)

#define __bpfxx_field_info(kind, ...)                                         \
	__builtin_preserve_field_info(__bpfxx_field_ref(__VA_ARGS__), kind)

/* 1 if the field exists in the running kernel's type, else 0. */
#define bpf_core_field_exists(...) __bpfxx_field_info(BPF_FIELD_EXISTS, __VA_ARGS__)
/* Size of the field in the running kernel, in bytes. */
#define bpf_core_field_size(...) __bpfxx_field_info(BPF_FIELD_BYTE_SIZE, __VA_ARGS__)
/* Offset of the field in the running kernel's type, in bytes. */
#define bpf_core_field_offset(...) __bpfxx_field_info(BPF_FIELD_BYTE_OFFSET, __VA_ARGS__)
/* 1 if the field is a signed integer (or signed enum) in the running kernel. */
#define bpf_core_field_signed(...) __bpfxx_field_info(BPF_FIELD_SIGNED, __VA_ARGS__)

/*
 * BTF type ids of a type in the program's own BTF and in the kernel's (0 when
 * the kernel has no such type).
 */
#define bpf_core_type_id_local(type)                                          \
	__builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_LOCAL)
#define bpf_core_type_id_kernel(type)                                         \
	__builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_TARGET)

/*
 * 1 if a compatible type of that name exists in the kernel, else 0; its size
 * in the kernel (0 when it does not exist).
 */
#define bpf_core_type_exists(type)                                            \
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_EXISTS)
#define bpf_core_type_size(type)                                              \
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_SIZE)

/*
 * 1 if the kernel's type of that name has the layout the local definition
 * describes (every local member present with a matching type; see bpfxx's
 * reloc/core_compat.cpp). clang 14 has the builtin but not this kind: its
 * backend aborts on it, so older compilers get an error at the use instead.
 */
#if defined(__clang_major__) && __clang_major__ >= 15
#define bpf_core_type_matches(type)                                           \
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_MATCHES)
#else
#define bpf_core_type_matches(type)                                           \
	({                                                                    \
		_Static_assert(0, "bpf_core_type_matches() needs clang >= 15 " \
				  "(BPF_TYPE_MATCHES relocations)");          \
		0;                                                            \
	})
#endif

/*
 * Enumerators: whether the kernel's enum has it, and its value there. clang
 * wants the enumerator written as a dereference of a pointer to the enum.
 */
#define bpf_core_enum_value_exists(enum_type, enum_value)                     \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BPF_ENUMVAL_EXISTS)
#define bpf_core_enum_value(enum_type, enum_value)                            \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BPF_ENUMVAL_VALUE)

/*
 * bpf_core_cast(ptr, type): a read-only view of a kernel object as the
 * kernel's `type`, through the bpf_rdonly_cast kfunc (kernel >= 6.4); loads
 * through it need no probe reads. The kfunc is resolved at load time like
 * any __ksym.
 */
extern void *bpf_rdonly_cast(const void *obj, unsigned int btf_id) __attribute__((section(".ksyms")))
	__attribute__((weak));
#define bpf_core_cast(ptr, type)                                              \
	((typeof(type) *)bpf_rdonly_cast((ptr), bpf_core_type_id_kernel(type)))

/* ---- Relocated reads ----------------------------------------------------- */

/*
 * bpf_core_read(dst, sz, src): copy sz bytes from the kernel address src into
 * dst, with src's field access relocated. The _user and _str variants read
 * user memory or a NUL-terminated string.
 */
#define bpf_core_read(dst, sz, src)                                           \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user(dst, sz, src)                                      \
	bpf_probe_read_user(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_str(dst, sz, src)                                       \
	bpf_probe_read_kernel_str(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user_str(dst, sz, src)                                  \
	bpf_probe_read_user_str(dst, sz, (const void *)__builtin_preserve_access_index(src))

/*
 * Pointer chains. Kernel memory cannot be dereferenced directly from most
 * program types, so src->a->b->c takes one read per arrow: each hop reads the
 * next pointer into __bpfxx_hop with `hop`, and the last reads the value
 * into dst with `last` (a string read for the _STR_ forms). A hop reads from
 * `base`: src itself for the first, then __bpfxx_hop cast back to the type
 * of the path walked so far, which the walk carries along as a macro
 * argument, e.g. "(src)->a->b". Reading the first hop straight from src
 * keeps src in a register: the temporary, whose address every read takes,
 * is only written by the reads themselves.
 */
#define __bpfxx_hop(hop, base, f)                                             \
	hop((void *)&__bpfxx_hop, sizeof(__bpfxx_hop), &(base)->f);
#define __bpfxx_last(last, dst, base, f)                                      \
	last((void *)(dst), sizeof(*(dst)), &(base)->f);
#define __bpfxx_next(path) ((typeof(path))__bpfxx_hop)

#define __bpfxx_walk_1(hop, last, dst, path, base, f) __bpfxx_last(last, dst, base, f)
#define __bpfxx_walk_2(hop, last, dst, path, base, f, ...)                    \
	__bpfxx_hop(hop, base, f)                                             \
	__bpfxx_walk_1(hop, last, dst, path->f, __bpfxx_next(path->f), __VA_ARGS__)
#define __bpfxx_walk_3(hop, last, dst, path, base, f, ...)                    \
	__bpfxx_hop(hop, base, f)                                             \
	__bpfxx_walk_2(hop, last, dst, path->f, __bpfxx_next(path->f), __VA_ARGS__)
#define __bpfxx_walk_4(hop, last, dst, path, base, f, ...)                    \
	__bpfxx_hop(hop, base, f)                                             \
	__bpfxx_walk_3(hop, last, dst, path->f, __bpfxx_next(path->f), __VA_ARGS__)
#define __bpfxx_walk_5(hop, last, dst, path, base, f, ...)                    \
	__bpfxx_hop(hop, base, f)                                             \
	__bpfxx_walk_4(hop, last, dst, path->f, __bpfxx_next(path->f), __VA_ARGS__)
#define __bpfxx_walk_6(hop, last, dst, path, base, f, ...)                    \
	__bpfxx_hop(hop, base, f)                                             \
	__bpfxx_walk_5(hop, last, dst, path->f, __bpfxx_next(path->f), __VA_ARGS__)
#define __bpfxx_walk_7(hop, last, dst, path, base, f, ...)                    \
	__bpfxx_hop(hop, base, f)                                             \
	__bpfxx_walk_6(hop, last, dst, path->f, __bpfxx_next(path->f), __VA_ARGS__)
#define __bpfxx_walk_8(hop, last, dst, path, base, f, ...)                    \
	__bpfxx_hop(hop, base, f)                                             \
	__bpfxx_walk_7(hop, last, dst, path->f, __bpfxx_next(path->f), __VA_ARGS__)
#define __bpfxx_walk_9(hop, last, dst, path, base, f, ...)                    \
	__bpfxx_hop(hop, base, f)                                             \
	__bpfxx_walk_8(hop, last, dst, path->f, __bpfxx_next(path->f), __VA_ARGS__)
#define __bpfxx_walk_10(hop, last, dst, path, base, f, ...)                   \
	__bpfxx_hop(hop, base, f)                                             \
	__bpfxx_walk_9(hop, last, dst, path->f, __bpfxx_next(path->f), __VA_ARGS__)

#define __bpfxx_walk(hop, last, dst, src, ...)                                \
	({                                                                    \
		const void *__bpfxx_hop __attribute__((unused));              \
		__bpfxx_cat(__bpfxx_walk_, __bpfxx_argc(__VA_ARGS__))(        \
			hop, last, dst, (src), (src), __VA_ARGS__)            \
	})

/* The full access path as an expression, for typeof: (src)->a->b->c. */
#define __bpfxx_path_1(path, f) path->f
#define __bpfxx_path_2(path, f, ...) __bpfxx_path_1(path->f, __VA_ARGS__)
#define __bpfxx_path_3(path, f, ...) __bpfxx_path_2(path->f, __VA_ARGS__)
#define __bpfxx_path_4(path, f, ...) __bpfxx_path_3(path->f, __VA_ARGS__)
#define __bpfxx_path_5(path, f, ...) __bpfxx_path_4(path->f, __VA_ARGS__)
#define __bpfxx_path_6(path, f, ...) __bpfxx_path_5(path->f, __VA_ARGS__)
#define __bpfxx_path_7(path, f, ...) __bpfxx_path_6(path->f, __VA_ARGS__)
#define __bpfxx_path_8(path, f, ...) __bpfxx_path_7(path->f, __VA_ARGS__)
#define __bpfxx_path_9(path, f, ...) __bpfxx_path_8(path->f, __VA_ARGS__)
#define __bpfxx_path_10(path, f, ...) __bpfxx_path_9(path->f, __VA_ARGS__)
#define __bpfxx_path(src, ...)                                                \
	__bpfxx_cat(__bpfxx_path_, __bpfxx_argc(__VA_ARGS__))((src), __VA_ARGS__)

/*
 * BPF_CORE_READ_INTO(&dst, src, a, b, ...) stores src->a->b... in dst;
 * BPF_CORE_READ(src, a, b, ...) returns it. Up to 10 fields; a field may carry
 * an index or member path of its own (a.b, arr[2]), which is read in one hop.
 * The _USER forms read user memory (every hop and the value); BPF_PROBE_READ*
 * are the same walks without relocation, for types that never change.
 * The _STR_INTO forms read the last field as a NUL-terminated string into
 * the array dst points to (sizeof(*dst) bytes at most).
 */
#define BPF_CORE_READ_INTO(dst, src, a, ...)                                  \
	__bpfxx_walk(bpf_core_read, bpf_core_read, dst, src, a, ##__VA_ARGS__)
#define BPF_CORE_READ_USER_INTO(dst, src, a, ...)                             \
	__bpfxx_walk(bpf_core_read_user, bpf_core_read_user, dst, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_INTO(dst, src, a, ...)                                 \
	__bpfxx_walk(bpf_probe_read_kernel, bpf_probe_read_kernel, dst, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_USER_INTO(dst, src, a, ...)                            \
	__bpfxx_walk(bpf_probe_read_user, bpf_probe_read_user, dst, src, a, ##__VA_ARGS__)

#define BPF_CORE_READ_STR_INTO(dst, src, a, ...)                              \
	__bpfxx_walk(bpf_core_read, bpf_core_read_str, dst, src, a, ##__VA_ARGS__)
#define BPF_CORE_READ_USER_STR_INTO(dst, src, a, ...)                         \
	__bpfxx_walk(bpf_core_read_user, bpf_core_read_user_str, dst, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_STR_INTO(dst, src, a, ...)                             \
	__bpfxx_walk(bpf_probe_read_kernel, bpf_probe_read_kernel_str, dst, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_USER_STR_INTO(dst, src, a, ...)                        \
	__bpfxx_walk(bpf_probe_read_user, bpf_probe_read_user_str, dst, src, a, ##__VA_ARGS__)

#define __bpfxx_read_value(into, src, a, ...)                                 \
	({                                                                    \
		typeof(__bpfxx_path(src, a, ##__VA_ARGS__)) __bpfxx_value;    \
		into(&__bpfxx_value, src, a, ##__VA_ARGS__);                  \
		__bpfxx_value;                                                \
	})

#define BPF_CORE_READ(src, a, ...)                                            \
	__bpfxx_read_value(BPF_CORE_READ_INTO, src, a, ##__VA_ARGS__)
#define BPF_CORE_READ_USER(src, a, ...)                                       \
	__bpfxx_read_value(BPF_CORE_READ_USER_INTO, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ(src, a, ...)                                           \
	__bpfxx_read_value(BPF_PROBE_READ_INTO, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_USER(src, a, ...)                                      \
	__bpfxx_read_value(BPF_PROBE_READ_USER_INTO, src, a, ##__VA_ARGS__)

/* ---- Bitfields ------------------------------------------------------------ */

/*
 * A bitfield is read as the 1, 2, 4 or 8 bytes the kernel's layout needs
 * (BYTE_OFFSET, BYTE_SIZE), placed in the low-order bytes of a u64, then
 * shifted up to drop the bits above the field (LSHIFT_U64) and down to drop
 * those below it (RSHIFT_U64), arithmetically when the field is signed.
 * Every one of these numbers is relocated, so a kernel that moved, resized
 * or re-signed the field is read right.
 */
#define __bpfxx_bitfield_extract(v, s, field)                                 \
	({                                                                    \
		unsigned long long __bpfxx_bits = (v);                        \
		__bpfxx_bits <<= __builtin_preserve_field_info((s)->field, BPF_FIELD_LSHIFT_U64); \
		if (__builtin_preserve_field_info((s)->field, BPF_FIELD_SIGNED)) \
			__bpfxx_bits = (unsigned long long)((long long)__bpfxx_bits >> \
				__builtin_preserve_field_info((s)->field, BPF_FIELD_RSHIFT_U64)); \
		else                                                          \
			__bpfxx_bits >>= __builtin_preserve_field_info((s)->field, BPF_FIELD_RSHIFT_U64); \
		__bpfxx_bits;                                                 \
	})

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
/* The low-order bytes of a big-endian u64 are its last ones. */
#define __bpfxx_low_bytes(pv, size) ((void *)((char *)(pv) + 8 - (size)))
#else
#define __bpfxx_low_bytes(pv, size) ((void *)(pv))
#endif

/* For program types that must read kernel memory with probe reads. */
#define BPF_CORE_READ_BITFIELD_PROBED(s, field)                               \
	({                                                                    \
		unsigned long long __bpfxx_raw = 0;                           \
		unsigned int __bpfxx_size =                                   \
			__builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_SIZE); \
		bpf_probe_read_kernel(__bpfxx_low_bytes(&__bpfxx_raw, __bpfxx_size), \
			__bpfxx_size,                                         \
			(const char *)(s) +                                   \
				__builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_OFFSET)); \
		__bpfxx_bitfield_extract(__bpfxx_raw, s, field);              \
	})

/*
 * For program types that may load kernel memory directly (tp_btf, fentry,
 * iterators): the load's size is chosen at run time from the relocated
 * BYTE_SIZE, and the verifier drops the branches that cannot happen.
 */
#define BPF_CORE_READ_BITFIELD(s, field)                                      \
	({                                                                    \
		const char *__bpfxx_at = (const char *)(s) +                  \
			__builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_OFFSET); \
		unsigned long long __bpfxx_raw;                               \
		/* Keep clang from folding the offset into four loads, which  \
		 * would need four relocations of one kind at one place. */   \
		asm volatile("" : "+r"(__bpfxx_at));                          \
		switch (__builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_SIZE)) { \
		case 1: __bpfxx_raw = *(const unsigned char *)__bpfxx_at; break; \
		case 2: __bpfxx_raw = *(const unsigned short *)__bpfxx_at; break; \
		case 4: __bpfxx_raw = *(const unsigned int *)__bpfxx_at; break; \
		case 8: __bpfxx_raw = *(const unsigned long long *)__bpfxx_at; break; \
		default: __bpfxx_raw = 0; break;                              \
		}                                                             \
		__bpfxx_bitfield_extract(__bpfxx_raw, s, field);              \
	})

#endif /* BPFXX_BPF_CORE_READ_H */
