// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfxx: core definitions for BPF programs.
 *
 * Macro names match libbpf's, so programs written against libbpf's
 * <bpf/bpf_helpers.h> build unchanged. Include <linux/types.h> (or
 * <linux/bpf.h>, or vmlinux.h) first: the helper prototypes use its __u32-style
 * typedefs, and including it from here would clash with vmlinux.h.
 */
#ifndef BPFXX_BPF_HELPERS_H
#define BPFXX_BPF_HELPERS_H

/*
 * The helper prototypes are generated at build time. Installed, they sit next
 * to this file and the quoted include finds them first whatever the include
 * path says; in the build tree they live under <build>/bpf-include/bpf/.
 */
#if __has_include("bpf_helper_defs.h")
#include "bpf_helper_defs.h"
#else
#include <bpf/bpf_helper_defs.h>
#endif
#ifndef BPFXX_BPF_HELPER_DEFS_H
#error "bpf_helper_defs.h is not bpfxx's (libbpf-dev's was found first?): add -I<bpfxx build>/bpf-include or -I<prefix>/include/bpfxx"
#endif

/* ---- Sections and linkage ------------------------------------------------ */

/*
 * SEC() places a program, map or variable in the ELF section that tells the
 * loader what it is. "used" keeps clang from dropping static objects that
 * nothing references (maps only the loader touches). On a declaration that is
 * not a definition, e.g. the prototype BPF_PROG() emits, clang would warn that
 * the attribute is ignored; the warning is silenced just around it.
 */
#define SEC(name)                                                             \
	_Pragma("GCC diagnostic push")                                        \
	_Pragma("GCC diagnostic ignored \"-Wignored-attributes\"")            \
	__attribute__((section(name), used))                                  \
	_Pragma("GCC diagnostic pop")

/*
 * <linux/stddef.h> defines __always_inline as a bare "inline", which clang may
 * ignore; BPF code relies on real inlining (BPF_PROG's inner function, static
 * helpers taking constant arguments), so the attribute version replaces it.
 */
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))

#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif

/*
 * Hidden globals and functions stay private to the final linked object: the
 * static linker may resolve them, but user space and other objects cannot.
 * For functions this also lets the verifier check them as static subprograms.
 */
#define __hidden __attribute__((visibility("hidden")))

/* Externs resolved by the loader: kernel symbols and Kconfig values. */
#define __ksym __attribute__((section(".ksyms")))
#define __kconfig __attribute__((section(".kconfig")))

/* Values of tristate Kconfig options (CONFIG_FOO=n/y/m) read via __kconfig. */
enum libbpf_tristate {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MODULE = 2,
};

/* ---- BTF-defined maps ---------------------------------------------------- */

/*
 * A BTF map definition is a struct whose members carry the attributes in their
 * types, where the loader reads them back from BTF: an integer N is encoded as
 * a pointer to an array of N ints, a type T as a pointer to T.
 *
 *   struct {
 *           __uint(type, BPF_MAP_TYPE_HASH);
 *           __uint(max_entries, 1024);
 *           __type(key, __u32);
 *           __type(value, struct stats);
 *   } stats_map SEC(".maps");
 */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
/*
 * Values that do not fit an array bound (map_extra, 64-bit flags) are carried
 * as the value of an enumerator; the enumerator needs a file-unique name.
 * Values above 32 bits need clang 15 or later (BTF_KIND_ENUM64): clang 14
 * truncates them in BTF.
 */
#define __ulong(name, val)                                                    \
	enum { __bpfxx_cat(__bpfxx_ulong_, __COUNTER__) = (val) } name

/* Values for __uint(pinning, ...). The numbers are what loaders read. */
enum libbpf_pin_type {
	LIBBPF_PIN_NONE = 0,
	/* pin under the pin root path (default /sys/fs/bpf) by map name */
	LIBBPF_PIN_BY_NAME = 1,
};

/* ---- BTF tags ------------------------------------------------------------ */

/*
 * Type tags mark pointers stored in map values (kptrs) for the verifier, and
 * declaration tags annotate global function arguments. Compilers without the
 * attributes get empty macros. Clang 14 accepts both but writes type tags into
 * BTF only outside struct members, so kptr fields need clang 15 or later.
 */
#if __has_attribute(btf_type_tag)
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
#else
#define __kptr_untrusted
#define __kptr
#define __percpu_kptr
#endif

#if __has_attribute(btf_decl_tag)
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))
#else
#define __arg_ctx
#define __arg_nonnull
#define __arg_nullable
#define __arg_trusted
#define __arg_arena
#endif

/* ---- Compiler helpers ---------------------------------------------------- */

/* Stops the compiler from moving memory accesses across this point. */
#define barrier() asm volatile("" ::: "memory")

/*
 * Makes the compiler forget what it knows about var, so it cannot fold a
 * bounds check the verifier needs to see into something the verifier cannot
 * follow.
 */
#define barrier_var(var) asm volatile("" : "+r"(var))

/*
 * Marks a path the compiler must prove dead. The BPF backend cannot emit the
 * trap call, so a path that survives optimisation fails the build instead of
 * reaching the verifier.
 */
#define __bpf_unreachable() __builtin_trap()

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#ifndef NULL
#define NULL ((void *)0)
#endif

/*
 * offsetof as a member address from a null pointer, not __builtin_offsetof:
 * clang folds the builtin to a constant even for a type marked
 * preserve_access_index, while this form of a kernel (vmlinux.h) type gets
 * a CO-RE field-offset relocation, so container_of() on kernel types follows
 * the running kernel's layout.
 */
#ifndef offsetof
#define offsetof(type, member) ((unsigned long)&((type *)0)->member)
#endif
#ifndef container_of
#define container_of(ptr, type, member)                                       \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

/* The encoding of LINUX_VERSION_CODE; the sublevel saturates at 255. */
#define KERNEL_VERSION(a, b, c)                                               \
	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

/*
 * True when the loader resolved a __weak __ksym (a kfunc or kernel variable)
 * against the running kernel. A non-weak ksym is always "present" at compile
 * time, which would make the test meaningless, hence the assertion.
 */
#define bpf_ksym_exists(sym)                                                  \
	({                                                                    \
		_Static_assert(!__builtin_constant_p(!!sym),                  \
			       #sym " must be declared __weak to be tested"); \
		!!sym;                                                        \
	})

/* ---- Variadic argument plumbing (shared with bpf_tracing.h) -------------- */

/*
 * __bpfxx_argc(args...) is the number of arguments, 0 to 12. The arguments
 * push a descending list of counts to the right; the count that lands in a
 * fixed position is the answer. ", ##__VA_ARGS__" drops the comma when the
 * list is empty, so that case lands on 0. Shared with bpf_core_read.h.
 */
#include "bpfxx_args.h"

/*
 * libbpf's argument-counting helpers under its own names: headers written
 * for libbpf (its usdt.bpf.h among them) build their variadic macros on
 * them. ___bpf_narg(a, b, c) is 3; ___bpf_apply(f, 3) is f3.
 */
#define ___bpf_concat(a, b) a##b
#define ___bpf_apply(fn, n) ___bpf_concat(fn, n)
#define ___bpf_narg(...) __bpfxx_argc(__VA_ARGS__)

/*
 * __bpfxx_each(F, args...) expands to F(1, arg1) F(2, arg2) ... F(n, argn):
 * a 1-based position and the argument. Used where each argument becomes a
 * statement or an element of an argument list.
 */
#define __bpfxx_each(F, ...) __bpfxx_cat(__bpfxx_each_, __bpfxx_argc(__VA_ARGS__))(F, ##__VA_ARGS__)
#define __bpfxx_each_0(F)
#define __bpfxx_each_1(F, a) F(1, a)
#define __bpfxx_each_2(F, a, b) __bpfxx_each_1(F, a) F(2, b)
#define __bpfxx_each_3(F, a, b, c) __bpfxx_each_2(F, a, b) F(3, c)
#define __bpfxx_each_4(F, a, b, c, d) __bpfxx_each_3(F, a, b, c) F(4, d)
#define __bpfxx_each_5(F, a, b, c, d, e) __bpfxx_each_4(F, a, b, c, d) F(5, e)
#define __bpfxx_each_6(F, a, b, c, d, e, f) __bpfxx_each_5(F, a, b, c, d, e) F(6, f)
#define __bpfxx_each_7(F, a, b, c, d, e, f, g) __bpfxx_each_6(F, a, b, c, d, e, f) F(7, g)
#define __bpfxx_each_8(F, a, b, c, d, e, f, g, h)                            \
	__bpfxx_each_7(F, a, b, c, d, e, f, g) F(8, h)
#define __bpfxx_each_9(F, a, b, c, d, e, f, g, h, i)                         \
	__bpfxx_each_8(F, a, b, c, d, e, f, g, h) F(9, i)
#define __bpfxx_each_10(F, a, b, c, d, e, f, g, h, i, j)                     \
	__bpfxx_each_9(F, a, b, c, d, e, f, g, h, i) F(10, j)
#define __bpfxx_each_11(F, a, b, c, d, e, f, g, h, i, j, k)                  \
	__bpfxx_each_10(F, a, b, c, d, e, f, g, h, i, j) F(11, k)
#define __bpfxx_each_12(F, a, b, c, d, e, f, g, h, i, j, k, l)               \
	__bpfxx_each_11(F, a, b, c, d, e, f, g, h, i, j, k) F(12, l)

/* ---- Formatted output ---------------------------------------------------- */

/*
 * Helpers that format take their arguments as an array of u64; these build
 * that array on the stack. Pointers and integers alike are widened to u64.
 */
#define __bpfxx_u64_slot(i, x) __bpfxx_u64_args[(i) - 1] = (unsigned long long)(x);
#define __bpfxx_u64_array(...)                                                \
	unsigned long long __bpfxx_u64_args[__bpfxx_argc(__VA_ARGS__)];       \
	__bpfxx_each(__bpfxx_u64_slot, ##__VA_ARGS__)

/*
 * bpf_printk(fmt, args...) writes to the trace pipe. The format lives in a
 * static const array: it goes to .rodata instead of being built on the stack
 * byte by byte. bpf_trace_printk takes at most three arguments inline; more go
 * through bpf_trace_vprintk (kernel 5.16+) as an array.
 *
 * BPF_PRINTK_FMT_MOD is that storage class, for programs with printk-like
 * macros of their own; defining BPF_NO_GLOBAL_DATA (for kernels before 5.2,
 * which have no global data) empties it, so formats are built on the stack.
 */
#ifdef BPF_NO_GLOBAL_DATA
#define BPF_PRINTK_FMT_MOD
#else
#define BPF_PRINTK_FMT_MOD static const
#endif
#define __bpfxx_printk_inline(fmt, ...)                                       \
	({                                                                    \
		BPF_PRINTK_FMT_MOD char __bpfxx_fmt[] = fmt;                  \
		bpf_trace_printk(__bpfxx_fmt, sizeof(__bpfxx_fmt), ##__VA_ARGS__); \
	})
#define __bpfxx_printk_array(fmt, ...)                                        \
	({                                                                    \
		BPF_PRINTK_FMT_MOD char __bpfxx_fmt[] = fmt;                  \
		__bpfxx_u64_array(__VA_ARGS__)                                \
		bpf_trace_vprintk(__bpfxx_fmt, sizeof(__bpfxx_fmt),           \
				  __bpfxx_u64_args, sizeof(__bpfxx_u64_args)); \
	})
#define __bpfxx_printk_by_0 __bpfxx_printk_inline
#define __bpfxx_printk_by_1 __bpfxx_printk_inline
#define __bpfxx_printk_by_2 __bpfxx_printk_inline
#define __bpfxx_printk_by_3 __bpfxx_printk_inline
#define __bpfxx_printk_by_4 __bpfxx_printk_array
#define __bpfxx_printk_by_5 __bpfxx_printk_array
#define __bpfxx_printk_by_6 __bpfxx_printk_array
#define __bpfxx_printk_by_7 __bpfxx_printk_array
#define __bpfxx_printk_by_8 __bpfxx_printk_array
#define __bpfxx_printk_by_9 __bpfxx_printk_array
#define __bpfxx_printk_by_10 __bpfxx_printk_array
#define __bpfxx_printk_by_11 __bpfxx_printk_array
#define __bpfxx_printk_by_12 __bpfxx_printk_array
#define bpf_printk(fmt, ...)                                                  \
	__bpfxx_cat(__bpfxx_printk_by_, __bpfxx_argc(__VA_ARGS__))(fmt, ##__VA_ARGS__)
/* __bpf_vprintk(fmt, args...): always through bpf_trace_vprintk, any count. */
#define __bpf_vprintk(fmt, ...) __bpfxx_printk_array(fmt, ##__VA_ARGS__)

/* BPF_SEQ_PRINTF(seq, fmt, args...): bpf_seq_printf for iterator programs. */
#define BPF_SEQ_PRINTF(seq, fmt, ...)                                         \
	({                                                                    \
		static const char __bpfxx_fmt[] = fmt;                        \
		__bpfxx_u64_array(__VA_ARGS__)                                \
		bpf_seq_printf(seq, __bpfxx_fmt, sizeof(__bpfxx_fmt),         \
			       __bpfxx_u64_args, sizeof(__bpfxx_u64_args));   \
	})

/* BPF_SNPRINTF(out, out_size, fmt, args...): bpf_snprintf into a buffer. */
#define BPF_SNPRINTF(out, out_size, fmt, ...)                                 \
	({                                                                    \
		static const char __bpfxx_fmt[] = fmt;                        \
		__bpfxx_u64_array(__VA_ARGS__)                                \
		bpf_snprintf(out, out_size, __bpfxx_fmt, __bpfxx_u64_args,    \
			     sizeof(__bpfxx_u64_args));                       \
	})

/* ---- Tail calls ---------------------------------------------------------- */

#if defined(__clang__) && __clang_major__ >= 12
/*
 * bpf_tail_call_static(ctx, map, slot) tail-calls with a slot known at compile
 * time. Written in assembly so the slot reaches the helper as an immediate
 * loaded right before the call: the verifier then sees a constant index and
 * the JIT can patch a direct jump instead of an indirect one. A non-constant
 * slot is a build error (see __bpf_unreachable).
 */
static __always_inline void
bpf_tail_call_static(void *ctx, const void *map, const __u32 slot)
{
	if (!__builtin_constant_p(slot))
		__bpf_unreachable();

	/*
	 * r1-r5 are the call's argument registers and r0 its result; clobbering
	 * them keeps the operands out of those registers, so the three moves
	 * below cannot overwrite each other's sources.
	 */
	asm volatile("r1 = %[ctx]\n\t"
		     "r2 = %[map]\n\t"
		     "r3 = %[slot]\n\t"
		     "call 12" /* BPF_FUNC_tail_call */
		     :
		     : [ctx] "r"(ctx), [map] "r"(map), [slot] "i"(slot)
		     : "r0", "r1", "r2", "r3", "r4", "r5", "memory");
}
#endif

#endif /* BPFXX_BPF_HELPERS_H */
