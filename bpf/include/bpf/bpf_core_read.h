// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfxx: CO-RE (compile once, run everywhere) reads for BPF programs, with
 * libbpf-compatible names. A first, minimal version: reads, read chains and
 * the field/type/enum queries; the rest of libbpf's set follows later.
 *
 * clang records every access made under __builtin_preserve_access_index, and
 * every __builtin_preserve_{field,type}_info / __builtin_preserve_enum_value
 * query, as a relocation in .BTF.ext naming the local type and access path.
 * The loader rewrites the instruction to match the running kernel's BTF.
 * The reads use bpf_probe_read_kernel & co., declared by <bpf/bpf_helpers.h>.
 */
#ifndef BPFXX_BPF_CORE_READ_H
#define BPFXX_BPF_CORE_READ_H

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

/*
 * Argument counting, as in bpf_helpers.h (kept identical there, so whichever
 * header comes first defines it); this header does not require that one.
 */
#ifndef __bpfxx_argc
#define __bpfxx_cat_(a, b) a##b
#define __bpfxx_cat(a, b) __bpfxx_cat_(a, b)
#define __bpfxx_argc(...)                                                     \
	__bpfxx_argc_at(_, ##__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define __bpfxx_argc_at(_, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, n, ...) n
#endif

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

/* 1 if the field exists in the running kernel's type, else 0. */
#define bpf_core_field_exists(...)                                            \
	__builtin_preserve_field_info(__bpfxx_field_ref(__VA_ARGS__), BPF_FIELD_EXISTS)
/* Size of the field in the running kernel, in bytes. */
#define bpf_core_field_size(...)                                              \
	__builtin_preserve_field_info(__bpfxx_field_ref(__VA_ARGS__), BPF_FIELD_BYTE_SIZE)
/* Offset of the field in the running kernel's type, in bytes. */
#define bpf_core_field_offset(...)                                            \
	__builtin_preserve_field_info(__bpfxx_field_ref(__VA_ARGS__), BPF_FIELD_BYTE_OFFSET)
/* 1 if the field is a signed integer in the running kernel. */
#define bpf_core_field_signed(...)                                            \
	__builtin_preserve_field_info(__bpfxx_field_ref(__VA_ARGS__), BPF_FIELD_SIGNED)

/* BTF type ids of a type in the program's own BTF and in the kernel's. */
#define bpf_core_type_id_local(type)                                          \
	__builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_LOCAL)
#define bpf_core_type_id_kernel(type)                                         \
	__builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_TARGET)

/* 1 if a compatible type of that name exists in the kernel; its size. */
#define bpf_core_type_exists(type)                                            \
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_EXISTS)
#define bpf_core_type_size(type)                                              \
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_SIZE)

/*
 * Enumerators: whether the kernel's enum has it, and its value there. clang
 * wants the enumerator written as a dereference of a pointer to the enum.
 */
#define bpf_core_enum_value_exists(enum_type, enum_value)                     \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BPF_ENUMVAL_EXISTS)
#define bpf_core_enum_value(enum_type, enum_value)                            \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BPF_ENUMVAL_VALUE)

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
 * next pointer into __bpfxx_hop, and the last reads the value into dst. Each
 * hop casts __bpfxx_hop back to the type of the path walked so far, which the
 * walk carries along as a macro argument, e.g. "(src)->a->b".
 */
#define __bpfxx_hop(read, path, f)                                            \
	read((void *)&__bpfxx_hop, sizeof(__bpfxx_hop),                       \
	     &((typeof(path))__bpfxx_hop)->f);
#define __bpfxx_last(read, dst, path, f)                                      \
	read((void *)(dst), sizeof(*(dst)), &((typeof(path))__bpfxx_hop)->f);

#define __bpfxx_walk_1(read, dst, path, f) __bpfxx_last(read, dst, path, f)
#define __bpfxx_walk_2(read, dst, path, f, ...)                               \
	__bpfxx_hop(read, path, f) __bpfxx_walk_1(read, dst, path->f, __VA_ARGS__)
#define __bpfxx_walk_3(read, dst, path, f, ...)                               \
	__bpfxx_hop(read, path, f) __bpfxx_walk_2(read, dst, path->f, __VA_ARGS__)
#define __bpfxx_walk_4(read, dst, path, f, ...)                               \
	__bpfxx_hop(read, path, f) __bpfxx_walk_3(read, dst, path->f, __VA_ARGS__)
#define __bpfxx_walk_5(read, dst, path, f, ...)                               \
	__bpfxx_hop(read, path, f) __bpfxx_walk_4(read, dst, path->f, __VA_ARGS__)
#define __bpfxx_walk_6(read, dst, path, f, ...)                               \
	__bpfxx_hop(read, path, f) __bpfxx_walk_5(read, dst, path->f, __VA_ARGS__)
#define __bpfxx_walk_7(read, dst, path, f, ...)                               \
	__bpfxx_hop(read, path, f) __bpfxx_walk_6(read, dst, path->f, __VA_ARGS__)
#define __bpfxx_walk_8(read, dst, path, f, ...)                               \
	__bpfxx_hop(read, path, f) __bpfxx_walk_7(read, dst, path->f, __VA_ARGS__)
#define __bpfxx_walk_9(read, dst, path, f, ...)                               \
	__bpfxx_hop(read, path, f) __bpfxx_walk_8(read, dst, path->f, __VA_ARGS__)
#define __bpfxx_walk_10(read, dst, path, f, ...)                              \
	__bpfxx_hop(read, path, f) __bpfxx_walk_9(read, dst, path->f, __VA_ARGS__)

#define __bpfxx_walk(read, dst, src, ...)                                     \
	({                                                                    \
		const void *__bpfxx_hop = (const void *)(src);                \
		__bpfxx_cat(__bpfxx_walk_, __bpfxx_argc(__VA_ARGS__))(        \
			read, dst, (src), __VA_ARGS__)                        \
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
 * The _USER forms read user memory; BPF_PROBE_READ* skip the relocation.
 */
#define BPF_CORE_READ_INTO(dst, src, a, ...)                                  \
	__bpfxx_walk(bpf_core_read, dst, src, a, ##__VA_ARGS__)
#define BPF_CORE_READ_USER_INTO(dst, src, a, ...)                             \
	__bpfxx_walk(bpf_core_read_user, dst, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_INTO(dst, src, a, ...)                                 \
	__bpfxx_walk(bpf_probe_read_kernel, dst, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_USER_INTO(dst, src, a, ...)                            \
	__bpfxx_walk(bpf_probe_read_user, dst, src, a, ##__VA_ARGS__)

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

#endif /* BPFXX_BPF_CORE_READ_H */
