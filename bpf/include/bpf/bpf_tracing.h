// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfxx: register access and typed entry points for tracing programs, with
 * libbpf-compatible names.
 *
 * A kprobe or uprobe program gets the probed CPU's registers as a struct
 * pt_regs, whose layout and field names are per architecture. The BPF target
 * cannot tell which architecture the program will run on, so the build says
 * so: -D__TARGET_ARCH_x86 (x86_64), arm64, riscv (riscv64), s390 (s390x),
 * arm (32-bit), powerpc (ppc64), mips (mips64, n64 ABI) or loongarch
 * (loongarch64). Without it, only the macros that need no registers
 * (BPF_PROG) work; the others fail at the point of use.
 *
 * struct pt_regs itself comes from the program's includes: vmlinux.h (kernel
 * field names: di, si, ...) or the UAPI <asm/ptrace.h> (x86 user names: rdi,
 * rsi, ...; arm64 and riscv export struct user_pt_regs / user_regs_struct).
 */
#ifndef BPFXX_BPF_TRACING_H
#define BPFXX_BPF_TRACING_H

#include "bpf_helpers.h"
#if __has_include("bpf_core_read.h")
#include "bpf_core_read.h"
#endif

/* ---- Target architecture -------------------------------------------------- */

#if defined(__TARGET_ARCH_x86)
#define bpf_target_x86
#define bpf_target_defined
#elif defined(__TARGET_ARCH_arm64)
#define bpf_target_arm64
#define bpf_target_defined
#elif defined(__TARGET_ARCH_riscv)
#define bpf_target_riscv
#define bpf_target_defined
#elif defined(__TARGET_ARCH_s390)
#define bpf_target_s390
#define bpf_target_defined
#elif defined(__TARGET_ARCH_arm)
#define bpf_target_arm
#define bpf_target_defined
#elif defined(__TARGET_ARCH_powerpc)
#define bpf_target_powerpc
#define bpf_target_defined
#elif defined(__TARGET_ARCH_mips)
#define bpf_target_mips
#define bpf_target_defined
#elif defined(__TARGET_ARCH_loongarch)
#define bpf_target_loongarch
#define bpf_target_defined
#else
/*
 * A program compiled for the host and only then lowered to BPF (clang
 * -emit-llvm | llc -march=bpf) still sees the host's macros.
 */
#if defined(__x86_64__)
#define bpf_target_x86
#define bpf_target_defined
#elif defined(__aarch64__)
#define bpf_target_arm64
#define bpf_target_defined
#elif defined(__riscv) && __riscv_xlen == 64
#define bpf_target_riscv
#define bpf_target_defined
#elif defined(__s390x__)
#define bpf_target_s390
#define bpf_target_defined
#elif defined(__arm__)
#define bpf_target_arm
#define bpf_target_defined
#elif defined(__powerpc64__)
#define bpf_target_powerpc
#define bpf_target_defined
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABI64) && _MIPS_SIM == _ABI64
#define bpf_target_mips
#define bpf_target_defined
#elif defined(__loongarch64)
#define bpf_target_loongarch
#define bpf_target_defined
#endif
#endif

/*
 * Per architecture, __bpfxx_regs(x) views x as the struct whose fields are
 * named below: __bpfxx_parmN for the Nth function argument, then the return
 * address (ret), frame pointer (fp), return value (rc), stack pointer (sp) and
 * instruction pointer (ip). __bpfxx_core_regs(x) is the view for relocated
 * (CO-RE) reads, whose field names must be the kernel's; it is not const,
 * because BPF_CORE_READ declares its result with the field's type and must be
 * able to store into it.
 *
 * Syscalls: since 4.17 (x86_64), 4.19 (arm64) and 6.6 (riscv) the kernel's
 * syscall entry points are wrappers taking one struct pt_regs * that holds the
 * user's registers; a kprobe on __x64_sys_foo sees the syscall's arguments only
 * through that inner pt_regs (PT_REGS_SYSCALL_REGS). __bpfxx_sys_addrN(r) is
 * the address of syscall argument N in it.
 */
#if defined(bpf_target_x86)

#if defined(__KERNEL__) || defined(__VMLINUX_H__)
#define __bpfxx_x86_reg(kernel_name, uapi_name) kernel_name
#else
#define __bpfxx_x86_reg(kernel_name, uapi_name) uapi_name
#endif

#define __bpfxx_regs(x) ((const struct pt_regs *)(x))
#define __bpfxx_parm1 __bpfxx_x86_reg(di, rdi)
#define __bpfxx_parm2 __bpfxx_x86_reg(si, rsi)
#define __bpfxx_parm3 __bpfxx_x86_reg(dx, rdx)
#define __bpfxx_parm4 __bpfxx_x86_reg(cx, rcx)
#define __bpfxx_parm5 r8
#define __bpfxx_parm6 r9
/* At function entry the return address is the word at the top of the stack. */
#define __bpfxx_ret __bpfxx_x86_reg(sp, rsp)
#define __bpfxx_fp __bpfxx_x86_reg(bp, rbp)
#define __bpfxx_rc __bpfxx_x86_reg(ax, rax)
#define __bpfxx_sp __bpfxx_x86_reg(sp, rsp)
#define __bpfxx_ip __bpfxx_x86_reg(ip, rip)

/*
 * CO-RE reads name fields as the kernel does whatever the program included:
 * this local view of struct pt_regs (the ___ suffix makes the loader match it
 * to the kernel's struct pt_regs) relocates by name, so reads stay right even
 * when the program only has the UAPI struct with its r-prefixed names.
 */
struct pt_regs___bpfxx_x86 {
	unsigned long di, si, dx, cx, r8, r9, r10, sp, bp, ax, ip;
} __attribute__((preserve_access_index));
#define __bpfxx_core_regs(x) ((struct pt_regs___bpfxx_x86 *)(x))
#define __bpfxx_core_parm1 di
#define __bpfxx_core_parm2 si
#define __bpfxx_core_parm3 dx
#define __bpfxx_core_parm4 cx
#define __bpfxx_core_parm5 r8
#define __bpfxx_core_parm6 r9
#define __bpfxx_core_ret sp
#define __bpfxx_core_fp bp
#define __bpfxx_core_rc ax
#define __bpfxx_core_sp sp
#define __bpfxx_core_ip ip

/*
 * The syscall ABI passes argument 4 in r10, because the syscall instruction
 * itself overwrites rcx. The layout of struct pt_regs is the same in the UAPI
 * and the kernel, so plain offsets work for both sets of names.
 */
#define __bpfxx_sys_addr1(r) (&__bpfxx_regs(r)->__bpfxx_parm1)
#define __bpfxx_sys_addr2(r) (&__bpfxx_regs(r)->__bpfxx_parm2)
#define __bpfxx_sys_addr3(r) (&__bpfxx_regs(r)->__bpfxx_parm3)
#define __bpfxx_sys_addr4(r) (&__bpfxx_regs(r)->r10)
#define __bpfxx_sys_addr5(r) (&__bpfxx_regs(r)->r8)
#define __bpfxx_sys_addr6(r) (&__bpfxx_regs(r)->r9)
#define PT_REGS_PARM1_CORE_SYSCALL(x) PT_REGS_PARM1_CORE(x)
#define PT_REGS_PARM2_CORE_SYSCALL(x) PT_REGS_PARM2_CORE(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) PT_REGS_PARM3_CORE(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) BPF_CORE_READ(__bpfxx_core_regs(x), r10)
#define PT_REGS_PARM5_CORE_SYSCALL(x) PT_REGS_PARM5_CORE(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) PT_REGS_PARM6_CORE(x)

#elif defined(bpf_target_arm64)

/*
 * The UAPI has no struct pt_regs for arm64, only struct user_pt_regs, which
 * also heads the kernel's struct pt_regs and is in its BTF: one view serves
 * plain and CO-RE reads alike.
 */
#define __bpfxx_regs(x) ((const struct user_pt_regs *)(x))
#define __bpfxx_core_regs(x) ((struct user_pt_regs *)(x))
#define __bpfxx_parm1 regs[0]
#define __bpfxx_parm2 regs[1]
#define __bpfxx_parm3 regs[2]
#define __bpfxx_parm4 regs[3]
#define __bpfxx_parm5 regs[4]
#define __bpfxx_parm6 regs[5]
#define __bpfxx_parm7 regs[6]
#define __bpfxx_parm8 regs[7]
#define __bpfxx_ret regs[30] /* link register */
#define __bpfxx_fp regs[29]
#define __bpfxx_rc regs[0]
#define __bpfxx_sp sp
#define __bpfxx_ip pc

/*
 * x0 holds both the first syscall argument and the return value, so by the
 * time a probe runs it may already be overwritten; the kernel keeps the
 * original in orig_x0, a kernel-only field found here through CO-RE.
 */
struct pt_regs___bpfxx_arm64 {
	unsigned long orig_x0;
} __attribute__((preserve_access_index));
#define __bpfxx_sys_addr1(r) (&((struct pt_regs___bpfxx_arm64 *)(r))->orig_x0)
#define __bpfxx_sys_addr2(r) (&__bpfxx_regs(r)->regs[1])
#define __bpfxx_sys_addr3(r) (&__bpfxx_regs(r)->regs[2])
#define __bpfxx_sys_addr4(r) (&__bpfxx_regs(r)->regs[3])
#define __bpfxx_sys_addr5(r) (&__bpfxx_regs(r)->regs[4])
#define __bpfxx_sys_addr6(r) (&__bpfxx_regs(r)->regs[5])
#define PT_REGS_PARM1_CORE_SYSCALL(x)                                         \
	BPF_CORE_READ((struct pt_regs___bpfxx_arm64 *)(x), orig_x0)
#define PT_REGS_PARM2_CORE_SYSCALL(x) PT_REGS_PARM2_CORE(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) PT_REGS_PARM3_CORE(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) PT_REGS_PARM4_CORE(x)
#define PT_REGS_PARM5_CORE_SYSCALL(x) PT_REGS_PARM5_CORE(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) PT_REGS_PARM6_CORE(x)

#elif defined(bpf_target_riscv)

/*
 * riscv exports struct user_regs_struct, the kernel's struct pt_regs minus its
 * trailing kernel-only fields (pc there is epc here, same slot).
 */
#define __bpfxx_regs(x) ((const struct user_regs_struct *)(x))
#define __bpfxx_core_regs(x) ((struct user_regs_struct *)(x))
#define __bpfxx_parm1 a0
#define __bpfxx_parm2 a1
#define __bpfxx_parm3 a2
#define __bpfxx_parm4 a3
#define __bpfxx_parm5 a4
#define __bpfxx_parm6 a5
#define __bpfxx_parm7 a6
#define __bpfxx_parm8 a7
#define __bpfxx_ret ra
#define __bpfxx_fp s0
#define __bpfxx_rc a0
#define __bpfxx_sp sp
#define __bpfxx_ip pc

/* As on arm64, a0 doubles as the return value; the original is orig_a0. */
struct pt_regs___bpfxx_riscv {
	unsigned long orig_a0;
} __attribute__((preserve_access_index));
#define __bpfxx_sys_addr1(r) (&((struct pt_regs___bpfxx_riscv *)(r))->orig_a0)
#define __bpfxx_sys_addr2(r) (&__bpfxx_regs(r)->a1)
#define __bpfxx_sys_addr3(r) (&__bpfxx_regs(r)->a2)
#define __bpfxx_sys_addr4(r) (&__bpfxx_regs(r)->a3)
#define __bpfxx_sys_addr5(r) (&__bpfxx_regs(r)->a4)
#define __bpfxx_sys_addr6(r) (&__bpfxx_regs(r)->a5)
#define PT_REGS_PARM1_CORE_SYSCALL(x)                                         \
	BPF_CORE_READ((struct pt_regs___bpfxx_riscv *)(x), orig_a0)
#define PT_REGS_PARM2_CORE_SYSCALL(x) PT_REGS_PARM2_CORE(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) PT_REGS_PARM3_CORE(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) PT_REGS_PARM4_CORE(x)
#define PT_REGS_PARM5_CORE_SYSCALL(x) PT_REGS_PARM5_CORE(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) PT_REGS_PARM6_CORE(x)

#elif defined(bpf_target_s390)

/*
 * s390 exports the head of the kernel's struct pt_regs as the typedef
 * user_pt_regs (args[1], psw, gprs[16]); the kernel's struct pt_regs starts
 * with it, so one view serves plain and CO-RE reads. Functions take five
 * arguments in registers (gprs[2..6]); a sixth is on the stack.
 */
#define __bpfxx_regs(x) ((const user_pt_regs *)(x))
#define __bpfxx_core_regs(x) ((user_pt_regs *)(x))
#define __bpfxx_parm1 gprs[2]
#define __bpfxx_parm2 gprs[3]
#define __bpfxx_parm3 gprs[4]
#define __bpfxx_parm4 gprs[5]
#define __bpfxx_parm5 gprs[6]
#define __bpfxx_ret gprs[14]
#define __bpfxx_fp gprs[11] /* with CONFIG_FRAME_POINTER only */
#define __bpfxx_rc gprs[2]
#define __bpfxx_sp gprs[15]
#define __bpfxx_ip psw.addr
#define __bpfxx_stack_parm_msg "GCC error \"bpf_tracing.h: s390 passes only 5 function arguments in registers\""

/*
 * Syscalls go through wrappers taking the user's struct pt_regs. gprs[2]
 * doubles as the return value, so the first argument is read from the
 * kernel-only orig_gpr2; arguments 2..6 are gprs[3..7].
 */
struct pt_regs___bpfxx_s390 {
	unsigned long orig_gpr2;
} __attribute__((preserve_access_index));
#define __bpfxx_sys_addr1(r) (&((struct pt_regs___bpfxx_s390 *)(r))->orig_gpr2)
#define __bpfxx_sys_addr2(r) (&__bpfxx_regs(r)->gprs[3])
#define __bpfxx_sys_addr3(r) (&__bpfxx_regs(r)->gprs[4])
#define __bpfxx_sys_addr4(r) (&__bpfxx_regs(r)->gprs[5])
#define __bpfxx_sys_addr5(r) (&__bpfxx_regs(r)->gprs[6])
#define __bpfxx_sys_addr6(r) (&__bpfxx_regs(r)->gprs[7])
#define PT_REGS_PARM1_CORE_SYSCALL(x)                                         \
	BPF_CORE_READ((struct pt_regs___bpfxx_s390 *)(x), orig_gpr2)
#define PT_REGS_PARM2_CORE_SYSCALL(x) PT_REGS_PARM2_CORE(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) PT_REGS_PARM3_CORE(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) PT_REGS_PARM4_CORE(x)
#define PT_REGS_PARM5_CORE_SYSCALL(x) PT_REGS_PARM5_CORE(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) BPF_CORE_READ(__bpfxx_core_regs(x), gprs[7])

#elif defined(bpf_target_arm)

/*
 * 32-bit arm: struct pt_regs is uregs[18] (r0..r10, fp, ip, sp, lr, pc,
 * cpsr, ORIG_r0) of the kernel's 4-byte longs. A struct pt_regs compiled
 * for BPF, whose longs are 8 bytes, would put uregs[1] and up at the wrong
 * offsets, so every read goes through this local view of 32-bit registers
 * (CO-RE matches it to the kernel's struct pt_regs). Functions take four
 * arguments in r0..r3. The instruction pointer is the program counter,
 * uregs[15] (libbpf reads uregs[12], the scratch register named ip).
 */
struct pt_regs___bpfxx_arm {
	unsigned int uregs[18];
} __attribute__((preserve_access_index));
#define __bpfxx_regs(x) ((const struct pt_regs___bpfxx_arm *)(x))
#define __bpfxx_core_regs(x) ((struct pt_regs___bpfxx_arm *)(x))
#define __bpfxx_parm1 uregs[0]
#define __bpfxx_parm2 uregs[1]
#define __bpfxx_parm3 uregs[2]
#define __bpfxx_parm4 uregs[3]
#define __bpfxx_ret uregs[14] /* lr */
#define __bpfxx_fp uregs[11]  /* with CONFIG_FRAME_POINTER only */
#define __bpfxx_rc uregs[0]
#define __bpfxx_sp uregs[13]
#define __bpfxx_ip uregs[15] /* pc */
#define __bpfxx_stack_parm_msg "GCC error \"bpf_tracing.h: arm passes only 4 function arguments in registers\""

/*
 * No syscall wrappers: a kprobe on sys_foo sees the syscall's arguments in
 * its own registers, r0..r5 (r4 and r5 are still live when the handler is
 * called).
 */
#define __bpfxx_no_syscall_wrapper
#define __bpfxx_sys_addr5(r) (&__bpfxx_regs(r)->uregs[4])
#define __bpfxx_sys_addr6(r) (&__bpfxx_regs(r)->uregs[5])
#define PT_REGS_PARM5_CORE_SYSCALL(x) BPF_CORE_READ(__bpfxx_core_regs(x), uregs[4])
#define PT_REGS_PARM6_CORE_SYSCALL(x) BPF_CORE_READ(__bpfxx_core_regs(x), uregs[5])

#elif defined(bpf_target_powerpc)

/*
 * 64-bit powerpc: the UAPI struct pt_regs (gpr[32], nip, msr, orig_gpr3,
 * ctr, link, ...) has the offsets and names of the kernel's, which holds the
 * same fields in an anonymous union member. Eight arguments in gpr[3..10];
 * the stack pointer is gpr[1], the return address the link register. There
 * is no frame pointer register: PT_REGS_FP fails to compile.
 */
#define __bpfxx_regs(x) ((const struct pt_regs *)(x))
#define __bpfxx_core_regs(x) ((struct pt_regs *)(x))
#define __bpfxx_parm1 gpr[3]
#define __bpfxx_parm2 gpr[4]
#define __bpfxx_parm3 gpr[5]
#define __bpfxx_parm4 gpr[6]
#define __bpfxx_parm5 gpr[7]
#define __bpfxx_parm6 gpr[8]
#define __bpfxx_parm7 gpr[9]
#define __bpfxx_parm8 gpr[10]
#define __bpfxx_ret link
#define __bpfxx_fp __bpfxx_powerpc_has_no_frame_pointer_register
#define __bpfxx_rc gpr[3]
#define __bpfxx_sp gpr[1]
#define __bpfxx_ip nip

/*
 * Syscall wrappers taking the user's struct pt_regs came in 6.1, and only
 * for kernels without COMPAT (little-endian ppc64le; big-endian ppc64
 * usually has COMPAT), so the loader says which at load time through
 * LINUX_HAS_SYSCALL_WRAPPER. With a wrapper, argument 1 is orig_gpr3 of the
 * user's registers (gpr[3] doubles as the return value); without one, the
 * handler's own gpr[3..8].
 */
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __attribute__((section(".kconfig"), weak));
#define PT_REGS_SYSCALL_REGS(ctx)                                             \
	(LINUX_HAS_SYSCALL_WRAPPER ? (struct pt_regs *)PT_REGS_PARM1(ctx) : (struct pt_regs *)(ctx))
#define __bpfxx_sys_addr1(r)                                                  \
	(LINUX_HAS_SYSCALL_WRAPPER ? &__bpfxx_regs(r)->orig_gpr3 : &__bpfxx_regs(r)->gpr[3])
#define __bpfxx_sys_addr2(r) (&__bpfxx_regs(r)->gpr[4])
#define __bpfxx_sys_addr3(r) (&__bpfxx_regs(r)->gpr[5])
#define __bpfxx_sys_addr4(r) (&__bpfxx_regs(r)->gpr[6])
#define __bpfxx_sys_addr5(r) (&__bpfxx_regs(r)->gpr[7])
#define __bpfxx_sys_addr6(r) (&__bpfxx_regs(r)->gpr[8])
#define PT_REGS_PARM1_CORE_SYSCALL(x)                                         \
	(LINUX_HAS_SYSCALL_WRAPPER ? BPF_CORE_READ(__bpfxx_core_regs(x), orig_gpr3) : PT_REGS_PARM1_CORE(x))
#define PT_REGS_PARM2_CORE_SYSCALL(x) PT_REGS_PARM2_CORE(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) PT_REGS_PARM3_CORE(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) PT_REGS_PARM4_CORE(x)
#define PT_REGS_PARM5_CORE_SYSCALL(x) PT_REGS_PARM5_CORE(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) PT_REGS_PARM6_CORE(x)

#elif defined(bpf_target_mips)

/*
 * 64-bit mips, n64 ABI: eight arguments in regs[4..11]. The kernel's struct
 * pt_regs and the UAPI one agree on regs[32] but not on what follows (the
 * kernel keeps cp0_epc 24 bytes further on), so plain reads of PT_REGS_IP
 * need the kernel's struct (vmlinux.h); CO-RE reads go by name through this
 * local view and are right either way.
 */
#define __bpfxx_regs(x) ((const struct pt_regs *)(x))
struct pt_regs___bpfxx_mips {
	unsigned long regs[32];
	unsigned long cp0_epc;
} __attribute__((preserve_access_index));
#define __bpfxx_core_regs(x) ((struct pt_regs___bpfxx_mips *)(x))
#define __bpfxx_parm1 regs[4]
#define __bpfxx_parm2 regs[5]
#define __bpfxx_parm3 regs[6]
#define __bpfxx_parm4 regs[7]
#define __bpfxx_parm5 regs[8]
#define __bpfxx_parm6 regs[9]
#define __bpfxx_parm7 regs[10]
#define __bpfxx_parm8 regs[11]
#define __bpfxx_ret regs[31]
#define __bpfxx_fp regs[30] /* with CONFIG_FRAME_POINTER only */
#define __bpfxx_rc regs[2]
#define __bpfxx_sp regs[29]
#define __bpfxx_ip cp0_epc

/* No syscall wrappers: the handler's own registers, regs[4..9]. */
#define __bpfxx_no_syscall_wrapper

#elif defined(bpf_target_loongarch)

/*
 * loongarch64: the UAPI exports struct user_pt_regs (regs[32], orig_a0,
 * csr_era, ...), whose offsets the kernel's struct pt_regs shares for those
 * fields. Eight arguments in regs[4..11] (a0..a7); ra is regs[1], the frame
 * pointer regs[22], sp regs[3], and csr_era the instruction pointer. CO-RE
 * reads go through a local view of the kernel's struct pt_regs, which the
 * kernel's BTF certainly has.
 */
#define __bpfxx_regs(x) ((const struct user_pt_regs *)(x))
struct pt_regs___bpfxx_loongarch {
	unsigned long regs[32];
	unsigned long orig_a0;
	unsigned long csr_era;
} __attribute__((preserve_access_index));
#define __bpfxx_core_regs(x) ((struct pt_regs___bpfxx_loongarch *)(x))
#define __bpfxx_parm1 regs[4]
#define __bpfxx_parm2 regs[5]
#define __bpfxx_parm3 regs[6]
#define __bpfxx_parm4 regs[7]
#define __bpfxx_parm5 regs[8]
#define __bpfxx_parm6 regs[9]
#define __bpfxx_parm7 regs[10]
#define __bpfxx_parm8 regs[11]
#define __bpfxx_ret regs[1]
#define __bpfxx_fp regs[22]
#define __bpfxx_rc regs[4]
#define __bpfxx_sp regs[3]
#define __bpfxx_ip csr_era

/* No syscall wrappers: the handler's own registers, a0..a5. */
#define __bpfxx_no_syscall_wrapper

#endif /* per-architecture views */

/*
 * Every view but x86's relocates by the names it reads with: its CO-RE
 * field names are the plain ones.
 */
/*
 * Without syscall wrappers a syscall handler is called like any function:
 * its arguments are in the argument registers (the arch names any beyond
 * those, as arm does for its fifth and sixth).
 */
#if defined(__bpfxx_no_syscall_wrapper)
#define __bpfxx_sys_addr1(r) (&__bpfxx_regs(r)->__bpfxx_parm1)
#define __bpfxx_sys_addr2(r) (&__bpfxx_regs(r)->__bpfxx_parm2)
#define __bpfxx_sys_addr3(r) (&__bpfxx_regs(r)->__bpfxx_parm3)
#define __bpfxx_sys_addr4(r) (&__bpfxx_regs(r)->__bpfxx_parm4)
#ifndef __bpfxx_sys_addr5
#define __bpfxx_sys_addr5(r) (&__bpfxx_regs(r)->__bpfxx_parm5)
#define __bpfxx_sys_addr6(r) (&__bpfxx_regs(r)->__bpfxx_parm6)
#endif
#define PT_REGS_PARM1_CORE_SYSCALL(x) PT_REGS_PARM1_CORE(x)
#define PT_REGS_PARM2_CORE_SYSCALL(x) PT_REGS_PARM2_CORE(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) PT_REGS_PARM3_CORE(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) PT_REGS_PARM4_CORE(x)
#ifndef PT_REGS_PARM5_CORE_SYSCALL
#define PT_REGS_PARM5_CORE_SYSCALL(x) PT_REGS_PARM5_CORE(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) PT_REGS_PARM6_CORE(x)
#endif
#endif

#if defined(bpf_target_defined) && !defined(__bpfxx_core_parm1)
#define __bpfxx_core_parm1 __bpfxx_parm1
#define __bpfxx_core_parm2 __bpfxx_parm2
#define __bpfxx_core_parm3 __bpfxx_parm3
#define __bpfxx_core_parm4 __bpfxx_parm4
#ifdef __bpfxx_parm5
#define __bpfxx_core_parm5 __bpfxx_parm5
#endif
#ifdef __bpfxx_parm6
#define __bpfxx_core_parm6 __bpfxx_parm6
#endif
#ifdef __bpfxx_parm7
#define __bpfxx_core_parm7 __bpfxx_parm7
#define __bpfxx_core_parm8 __bpfxx_parm8
#endif
#define __bpfxx_core_ret __bpfxx_ret
#define __bpfxx_core_fp __bpfxx_fp
#define __bpfxx_core_rc __bpfxx_rc
#define __bpfxx_core_sp __bpfxx_sp
#define __bpfxx_core_ip __bpfxx_ip
#endif

/* ---- PT_REGS_* accessors ------------------------------------------------- */

#if defined(bpf_target_defined)

/* Plain reads, for the probe's own ctx (the verifier allows direct access). */
#define PT_REGS_PARM1(x) (__bpfxx_regs(x)->__bpfxx_parm1)
#define PT_REGS_PARM2(x) (__bpfxx_regs(x)->__bpfxx_parm2)
#define PT_REGS_PARM3(x) (__bpfxx_regs(x)->__bpfxx_parm3)
#define PT_REGS_PARM4(x) (__bpfxx_regs(x)->__bpfxx_parm4)
/*
 * Only as many as the architecture passes in registers (arm 4, s390 5);
 * asking for more names the limit at the point of use.
 */
#define __bpfxx_stack_parm()                                                  \
	({                                                                    \
		_Pragma(__bpfxx_stack_parm_msg);                              \
		0l;                                                           \
	})
#ifdef __bpfxx_parm5
#define PT_REGS_PARM5(x) (__bpfxx_regs(x)->__bpfxx_parm5)
#else
#define PT_REGS_PARM5(x) __bpfxx_stack_parm()
#endif
#ifdef __bpfxx_parm6
#define PT_REGS_PARM6(x) (__bpfxx_regs(x)->__bpfxx_parm6)
#else
#define PT_REGS_PARM6(x) __bpfxx_stack_parm()
#endif
#ifdef __bpfxx_parm7
#define PT_REGS_PARM7(x) (__bpfxx_regs(x)->__bpfxx_parm7)
#define PT_REGS_PARM8(x) (__bpfxx_regs(x)->__bpfxx_parm8)
#endif
#define PT_REGS_RET(x) (__bpfxx_regs(x)->__bpfxx_ret)
#define PT_REGS_FP(x) (__bpfxx_regs(x)->__bpfxx_fp)
#define PT_REGS_RC(x) (__bpfxx_regs(x)->__bpfxx_rc)
#define PT_REGS_SP(x) (__bpfxx_regs(x)->__bpfxx_sp)
#define PT_REGS_IP(x) (__bpfxx_regs(x)->__bpfxx_ip)

/*
 * Relocated reads through bpf_probe_read_kernel, for a struct pt_regs the
 * program may not dereference (one found in kernel memory, such as the inner
 * registers of a syscall wrapper).
 */
#define PT_REGS_PARM1_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_parm1)
#define PT_REGS_PARM2_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_parm2)
#define PT_REGS_PARM3_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_parm3)
#define PT_REGS_PARM4_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_parm4)
#ifdef __bpfxx_core_parm5
#define PT_REGS_PARM5_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_parm5)
#else
#define PT_REGS_PARM5_CORE(x) __bpfxx_stack_parm()
#endif
#ifdef __bpfxx_core_parm6
#define PT_REGS_PARM6_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_parm6)
#else
#define PT_REGS_PARM6_CORE(x) __bpfxx_stack_parm()
#endif
#ifdef __bpfxx_core_parm7
#define PT_REGS_PARM7_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_parm7)
#define PT_REGS_PARM8_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_parm8)
#endif
#define PT_REGS_RET_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_ret)
#define PT_REGS_FP_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_fp)
#define PT_REGS_RC_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_rc)
#define PT_REGS_SP_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_sp)
#define PT_REGS_IP_CORE(x) BPF_CORE_READ(__bpfxx_core_regs(x), __bpfxx_core_ip)

/*
 * Syscall arguments in a syscall wrapper's inner pt_regs. The plain forms
 * dereference directly, which only some program types may do (the verifier
 * treats the inner pointer as an untrusted scalar in kprobes); use the _CORE
 * forms, or BPF_KSYSCALL, from kprobes.
 */
#define PT_REGS_PARM1_SYSCALL(x) (*__bpfxx_sys_addr1(x))
#define PT_REGS_PARM2_SYSCALL(x) (*__bpfxx_sys_addr2(x))
#define PT_REGS_PARM3_SYSCALL(x) (*__bpfxx_sys_addr3(x))
#define PT_REGS_PARM4_SYSCALL(x) (*__bpfxx_sys_addr4(x))
#define PT_REGS_PARM5_SYSCALL(x) (*__bpfxx_sys_addr5(x))
#define PT_REGS_PARM6_SYSCALL(x) (*__bpfxx_sys_addr6(x))

/*
 * From a kprobe on a syscall entry point: the registers holding the
 * syscall's arguments. With syscall wrappers (x86_64, arm64, riscv since
 * 6.6, s390, and powerpc since 6.1 without COMPAT), the user registers the
 * wrapper was passed; without them (arm, mips, loongarch), the probe's own
 * registers.
 */
#if defined(PT_REGS_SYSCALL_REGS)
/* powerpc decides at load time (above). */
#elif defined(__bpfxx_no_syscall_wrapper)
#define PT_REGS_SYSCALL_REGS(ctx) ((struct pt_regs *)(ctx))
#else
#define PT_REGS_SYSCALL_REGS(ctx) ((struct pt_regs *)PT_REGS_PARM1(ctx))
#endif

/*
 * The caller's return address, from a kprobe at a function's entry or a
 * kretprobe at its return. At entry x86's call instruction has just pushed
 * it, so it is the word at the stack pointer; the other architectures keep
 * it in a link register. At the return the frame is still set up, and the
 * return address sits just above the saved frame pointer.
 */
#if defined(bpf_target_x86)
#define BPF_KPROBE_READ_RET_IP(ip, ctx)                                       \
	({ bpf_probe_read_kernel(&(ip), sizeof(ip), (void *)PT_REGS_SP(ctx)); })
#else
#define BPF_KPROBE_READ_RET_IP(ip, ctx) ({ (ip) = PT_REGS_RET(ctx); })
#endif
#if defined(bpf_target_powerpc)
/*
 * No frame pointer register, and the link register holds the kretprobe
 * trampoline by then; the kernel puts the real return address in nip before
 * it runs the handlers.
 */
#define BPF_KRETPROBE_READ_RET_IP(ip, ctx) ({ (ip) = PT_REGS_IP(ctx); })
#else
#define BPF_KRETPROBE_READ_RET_IP(ip, ctx)                                    \
	({ bpf_probe_read_kernel(&(ip), sizeof(ip), (void *)(PT_REGS_FP(ctx) + sizeof(ip))); })
#endif

#else /* !bpf_target_defined */

/*
 * Defined anyway so that the error names the missing flag at the first use,
 * instead of an undeclared identifier (or nothing, for code that never uses
 * registers).
 */
#define __bpfxx_no_target_arch()                                              \
	({                                                                    \
		_Pragma("GCC error \"bpf_tracing.h: no target architecture; compile with -D__TARGET_ARCH_<arch>: x86, arm64, riscv, s390, arm, powerpc, mips or loongarch\""); \
		0l;                                                           \
	})
#define PT_REGS_PARM1(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM2(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM3(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM4(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM5(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM6(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM7(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM8(x) __bpfxx_no_target_arch()
#define PT_REGS_RET(x) __bpfxx_no_target_arch()
#define PT_REGS_FP(x) __bpfxx_no_target_arch()
#define PT_REGS_RC(x) __bpfxx_no_target_arch()
#define PT_REGS_SP(x) __bpfxx_no_target_arch()
#define PT_REGS_IP(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM1_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM2_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM3_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM4_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM5_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM6_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM7_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM8_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_RET_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_FP_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_RC_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_SP_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_IP_CORE(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM1_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM2_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM3_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM4_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM5_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM6_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM1_CORE_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM2_CORE_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM3_CORE_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM4_CORE_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM5_CORE_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_PARM6_CORE_SYSCALL(x) __bpfxx_no_target_arch()
#define PT_REGS_SYSCALL_REGS(ctx) ((struct pt_regs *)__bpfxx_no_target_arch())
#define __bpfxx_sys_addr1(r) ((unsigned long *)__bpfxx_no_target_arch())
#define __bpfxx_sys_addr2(r) ((unsigned long *)__bpfxx_no_target_arch())
#define __bpfxx_sys_addr3(r) ((unsigned long *)__bpfxx_no_target_arch())
#define __bpfxx_sys_addr4(r) ((unsigned long *)__bpfxx_no_target_arch())
#define __bpfxx_sys_addr5(r) ((unsigned long *)__bpfxx_no_target_arch())
#define __bpfxx_sys_addr6(r) ((unsigned long *)__bpfxx_no_target_arch())

#endif /* bpf_target_defined */

/* ---- Typed program entry points ------------------------------------------ */

/*
 * The BPF_* wrappers below let a program declare its arguments like a normal C
 * function:
 *
 *   SEC("kprobe/do_unlinkat")
 *   int BPF_KPROBE(on_unlink, int dfd, struct filename *name) { ... }
 *
 * Each expands to the real entry point, which takes the raw context, plus an
 * always-inlined inner function with the declared arguments; the user's body
 * becomes the inner function's. The entry point fetches each argument as a
 * void * and passes it on: one conversion works for pointer and integer
 * parameters alike, with the int-conversion warning silenced for that call.
 * The raw context stays visible in the body as ctx.
 */
#define __bpfxx_inner(name) __bpfxx_cat(__bpfxx_body_, name)

#define __bpfxx_entry(name, ctx_decl, fetch, setup, ...)                      \
	name(ctx_decl);                                                       \
	static __always_inline typeof(name(0))                                \
	__bpfxx_inner(name)(ctx_decl, ##__VA_ARGS__);                         \
	typeof(name(0)) name(ctx_decl)                                        \
	{                                                                     \
		setup                                                         \
		_Pragma("GCC diagnostic push")                                \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")        \
		return __bpfxx_inner(name)(ctx __bpfxx_each(fetch, ##__VA_ARGS__)); \
		_Pragma("GCC diagnostic pop")                                 \
	}                                                                     \
	static __always_inline typeof(name(0))                                \
	__bpfxx_inner(name)(ctx_decl, ##__VA_ARGS__)

/*
 * BPF_PROG(name, args...): tp_btf, fentry/fexit, raw_tp and other programs
 * whose context is an array of u64, one per traced-function argument.
 */
#define __bpfxx_fetch_u64(i, arg) , (void *)ctx[(i) - 1]
#define BPF_PROG(name, args...)                                               \
	__bpfxx_entry(name, unsigned long long *ctx, __bpfxx_fetch_u64, , ##args)

/*
 * BPF_PROG2(name, type1, arg1, type2, arg2, ...): BPF_PROG for functions
 * that take structs by value. The arguments come as type and name pairs
 * (up to 12), because an argument's place in the context depends on the
 * types before it: one that is larger than 8 bytes (a struct of up to 16
 * bytes) fills two u64 slots. Each is copied out of its slots into a
 * variable of its own type; on a big-endian target a value narrower than
 * its slot sits in the slot's last bytes.
 */
#define __bpfxx_slots(type) ((sizeof(type) + 7) / 8)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define __bpfxx_slot_skew(type) (sizeof(type) < 8 ? 8 - sizeof(type) : 0)
#else
#define __bpfxx_slot_skew(type) 0
#endif
#define __bpfxx_arg2(type, slot)                                              \
	({                                                                    \
		_Static_assert(sizeof(type) <= 16,                            \
			       "BPF_PROG2 arguments are at most 16 bytes");   \
		unsigned long long __bpfxx_w[2] = {                           \
			ctx[slot], __bpfxx_slots(type) > 1 ? ctx[(slot) + 1] : 0}; \
		type __bpfxx_v;                                               \
		__builtin_memcpy(&__bpfxx_v, (char *)__bpfxx_w + __bpfxx_slot_skew(type), \
				 sizeof(type));                               \
		__bpfxx_v;                                                    \
	})
/* ", type1 arg1, type2 arg2, ...": the inner function's parameters. */
#define __bpfxx_p2_params_0()
#define __bpfxx_p2_params_2(t, a) , t a
#define __bpfxx_p2_params_4(t, a, ...) , t a __bpfxx_p2_params_2(__VA_ARGS__)
#define __bpfxx_p2_params_6(t, a, ...) , t a __bpfxx_p2_params_4(__VA_ARGS__)
#define __bpfxx_p2_params_8(t, a, ...) , t a __bpfxx_p2_params_6(__VA_ARGS__)
#define __bpfxx_p2_params_10(t, a, ...) , t a __bpfxx_p2_params_8(__VA_ARGS__)
#define __bpfxx_p2_params_12(t, a, ...) , t a __bpfxx_p2_params_10(__VA_ARGS__)
#define __bpfxx_p2_params_14(t, a, ...) , t a __bpfxx_p2_params_12(__VA_ARGS__)
#define __bpfxx_p2_params_16(t, a, ...) , t a __bpfxx_p2_params_14(__VA_ARGS__)
#define __bpfxx_p2_params_18(t, a, ...) , t a __bpfxx_p2_params_16(__VA_ARGS__)
#define __bpfxx_p2_params_20(t, a, ...) , t a __bpfxx_p2_params_18(__VA_ARGS__)
#define __bpfxx_p2_params_22(t, a, ...) , t a __bpfxx_p2_params_20(__VA_ARGS__)
#define __bpfxx_p2_params_24(t, a, ...) , t a __bpfxx_p2_params_22(__VA_ARGS__)
/* ", value1, value2, ...": each read from the slots after the ones before. */
#define __bpfxx_p2_values_0(slot)
#define __bpfxx_p2_values_2(slot, t, a) , __bpfxx_arg2(t, slot)
#define __bpfxx_p2_values_4(slot, t, a, ...)                                  \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_2((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_6(slot, t, a, ...)                                  \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_4((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_8(slot, t, a, ...)                                  \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_6((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_10(slot, t, a, ...)                                 \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_8((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_12(slot, t, a, ...)                                 \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_10((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_14(slot, t, a, ...)                                 \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_12((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_16(slot, t, a, ...)                                 \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_14((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_18(slot, t, a, ...)                                 \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_16((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_20(slot, t, a, ...)                                 \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_18((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_22(slot, t, a, ...)                                 \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_20((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define __bpfxx_p2_values_24(slot, t, a, ...)                                 \
	, __bpfxx_arg2(t, slot) __bpfxx_p2_values_22((slot) + __bpfxx_slots(t), __VA_ARGS__)
#define BPF_PROG2(name, args...)                                              \
	name(unsigned long long *ctx);                                        \
	static __always_inline typeof(name(0)) __bpfxx_inner(name)(           \
		unsigned long long *ctx                                       \
		__bpfxx_cat(__bpfxx_p2_params_, __bpfxx_argc(args))(args));   \
	typeof(name(0)) name(unsigned long long *ctx)                         \
	{                                                                     \
		return __bpfxx_inner(name)(                                   \
			ctx __bpfxx_cat(__bpfxx_p2_values_, __bpfxx_argc(args))(0, ##args)); \
	}                                                                     \
	static __always_inline typeof(name(0)) __bpfxx_inner(name)(           \
		unsigned long long *ctx                                       \
		__bpfxx_cat(__bpfxx_p2_params_, __bpfxx_argc(args))(args))

/* BPF_KPROBE(name, args...): function arguments from the probe's registers. */
#define __bpfxx_fetch_parm(i, arg) , (void *)(unsigned long)__bpfxx_cat(PT_REGS_PARM, i)(ctx)
#define BPF_KPROBE(name, args...)                                             \
	__bpfxx_entry(name, struct pt_regs *ctx, __bpfxx_fetch_parm, , ##args)

/*
 * BPF_KRETPROBE(name, ret): only the return value, if anything; the argument
 * registers are clobbered by the time the function returns.
 */
#define __bpfxx_fetch_rc(i, arg) , (void *)(unsigned long)PT_REGS_RC(ctx)
#define BPF_KRETPROBE(name, args...)                                          \
	__bpfxx_entry(name, struct pt_regs *ctx, __bpfxx_fetch_rc,            \
		      _Static_assert(__bpfxx_argc(args) <= 1,                  \
				     "BPF_KRETPROBE takes at most the return value");, \
		      ##args)

/* User-space probes see the same struct pt_regs as kernel probes. */
#define BPF_UPROBE(name, args...) BPF_KPROBE(name, ##args)
#define BPF_URETPROBE(name, args...) BPF_KRETPROBE(name, ##args)

/*
 * BPF_KSYSCALL(name, args...): a kprobe on a syscall entry point
 * (SEC("ksyscall/openat") or SEC("kprobe/__x64_sys_openat")), with the
 * syscall's own arguments. These live in the inner struct pt_regs the wrapper
 * was handed, which sits in kernel memory, so each is fetched with
 * bpf_probe_read_kernel. Assumes the kernel has syscall wrappers (see above).
 * Syscalls with quirky conventions (old mmap, clone variants, socketcall,
 * compat syscalls) need manual handling.
 */
/* Reads the register at addr with its own size (4 bytes on 32-bit arm). */
#define __bpfxx_read_kernel_reg(addr)                                         \
	({                                                                    \
		__typeof__(*(addr) + 0) __bpfxx_value = 0;                    \
		bpf_probe_read_kernel((void *)&__bpfxx_value, sizeof(__bpfxx_value), (addr)); \
		(unsigned long)__bpfxx_value;                                 \
	})
#define __bpfxx_fetch_sysarg(i, arg)                                          \
	, (void *)__bpfxx_read_kernel_reg(__bpfxx_cat(__bpfxx_sys_addr, i)(__bpfxx_sysregs))
#define BPF_KSYSCALL(name, args...)                                           \
	__bpfxx_entry(name, struct pt_regs *ctx, __bpfxx_fetch_sysarg,        \
		      const struct pt_regs *__bpfxx_sysregs = PT_REGS_SYSCALL_REGS(ctx); \
		      (void)__bpfxx_sysregs;,                                 \
		      ##args)
#define BPF_KPROBE_SYSCALL BPF_KSYSCALL

#endif /* BPFXX_BPF_TRACING_H */
