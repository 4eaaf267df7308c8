// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_tracing.h's register views, one build per architecture
 * (TARGET_ARCH in tests/CMakeLists.txt). Each build declares its
 * architecture's registers as the kernel's BTF names them (what vmlinux.h
 * would give a program), then records:
 *  - plain_offsets: where PT_REGS_PARM1..8, RET, FP, RC, SP and IP read,
 *    as byte offsets from the registers (the tests compare them with the
 *    kernel's layout);
 *  - core(): the same through the _CORE forms, and the syscall arguments
 *    through PT_REGS_PARMn_CORE_SYSCALL, as CO-RE relocations the tests
 *    resolve against this object's own BTF.
 */
#include <linux/types.h>

#if defined(__TARGET_ARCH_x86)
#define __VMLINUX_H__ /* kernel register names: di, si, ... */
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags,
		sp, ss;
};
#elif defined(__TARGET_ARCH_arm64)
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			__u64 regs[31];
			__u64 sp;
			__u64 pc;
			__u64 pstate;
		};
	};
	__u64 orig_x0;
};
#elif defined(__TARGET_ARCH_riscv)
struct user_regs_struct {
	unsigned long pc, ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7, s2, s3, s4, s5, s6,
		s7, s8, s9, s10, s11, t3, t4, t5, t6;
};
struct pt_regs {
	unsigned long epc, ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7, s2, s3, s4, s5,
		s6, s7, s8, s9, s10, s11, t3, t4, t5, t6;
	unsigned long status, badaddr, cause, orig_a0;
};
#elif defined(__TARGET_ARCH_s390)
typedef struct {
	unsigned long mask;
	unsigned long addr;
} psw_t;
typedef struct {
	unsigned long args[1];
	psw_t psw;
	unsigned long gprs[16];
} user_pt_regs;
struct pt_regs {
	union {
		user_pt_regs user_regs;
		struct {
			unsigned long args[1];
			psw_t psw;
			unsigned long gprs[16];
		};
	};
	unsigned long orig_gpr2;
};
#elif defined(__TARGET_ARCH_arm)
/* The kernel's longs are 4 bytes (BPF's are 8). */
struct pt_regs {
	unsigned int uregs[18];
};
#elif defined(__TARGET_ARCH_powerpc)
struct user_pt_regs {
	unsigned long gpr[32];
	unsigned long nip, msr, orig_gpr3, ctr, link, xer, ccr, softe, trap, dar, dsisr, result;
};
/* As the kernel has it: the registers twice, named through an anonymous union. */
struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			unsigned long gpr[32];
			unsigned long nip, msr, orig_gpr3, ctr, link, xer, ccr, softe, trap, dar, dsisr, result;
		};
	};
	unsigned long ppr, exit_result;
};
#elif defined(__TARGET_ARCH_mips)
/* The kernel's 64-bit layout, which differs from the UAPI one after regs. */
struct pt_regs {
	unsigned long regs[32];
	unsigned long cp0_status, hi, lo, cp0_badvaddr, cp0_cause, cp0_epc;
};
#elif defined(__TARGET_ARCH_loongarch)
struct user_pt_regs {
	unsigned long regs[32];
	unsigned long orig_a0, csr_era, csr_badv;
	unsigned long reserved[10];
};
struct pt_regs {
	unsigned long regs[32];
	unsigned long orig_a0, csr_era, csr_badvaddr, csr_crmd, csr_prmd, csr_euen, csr_ecfg, csr_estat;
};
#endif

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* -1 marks a register the architecture does not have (or passes on the stack). */
#define OFF(expr) ((unsigned long)&(expr))
#define NONE (~0ul)
#define REGS ((struct pt_regs *)0)

/* arm passes 4 arguments in registers, s390 5: PT_REGS_PARM5/6 fail to compile there. */
#if defined(__TARGET_ARCH_arm)
#define HAS_PARM5 0
#define HAS_PARM6 0
#elif defined(__TARGET_ARCH_s390)
#define HAS_PARM5 1
#define HAS_PARM6 0
#else
#define HAS_PARM5 1
#define HAS_PARM6 1
#endif
#if HAS_PARM5
#define OFF_PARM5 OFF(PT_REGS_PARM5(REGS))
#else
#define OFF_PARM5 NONE
#endif
#if HAS_PARM6
#define OFF_PARM6 OFF(PT_REGS_PARM6(REGS))
#else
#define OFF_PARM6 NONE
#endif
#ifdef PT_REGS_PARM7
#define OFF_PARM7 OFF(PT_REGS_PARM7(REGS))
#define OFF_PARM8 OFF(PT_REGS_PARM8(REGS))
#else
#define OFF_PARM7 NONE
#define OFF_PARM8 NONE
#endif
#if defined(__TARGET_ARCH_powerpc)
#define OFF_FP NONE
#else
#define OFF_FP OFF(PT_REGS_FP(REGS))
#endif

/* PARM1..8, RET, FP, RC, SP, IP */
const volatile unsigned long plain_offsets[13] = {
	OFF(PT_REGS_PARM1(REGS)), OFF(PT_REGS_PARM2(REGS)), OFF(PT_REGS_PARM3(REGS)), OFF(PT_REGS_PARM4(REGS)),
	OFF_PARM5, OFF_PARM6, OFF_PARM7, OFF_PARM8, OFF(PT_REGS_RET(REGS)), OFF_FP, OFF(PT_REGS_RC(REGS)),
	OFF(PT_REGS_SP(REGS)), OFF(PT_REGS_IP(REGS)),
};

unsigned long out[32];

SEC("kprobe/core")
int core(struct pt_regs *ctx)
{
	out[0] = PT_REGS_PARM1_CORE(ctx);
	out[1] = PT_REGS_PARM2_CORE(ctx);
	out[2] = PT_REGS_PARM3_CORE(ctx);
	out[3] = PT_REGS_PARM4_CORE(ctx);
#if HAS_PARM5
	out[4] = PT_REGS_PARM5_CORE(ctx);
#endif
#if HAS_PARM6
	out[5] = PT_REGS_PARM6_CORE(ctx);
#endif
#ifdef PT_REGS_PARM7_CORE
	out[6] = PT_REGS_PARM7_CORE(ctx);
	out[7] = PT_REGS_PARM8_CORE(ctx);
#endif
	out[8] = PT_REGS_RET_CORE(ctx);
#if !defined(__TARGET_ARCH_powerpc)
	out[9] = PT_REGS_FP_CORE(ctx);
#endif
	out[10] = PT_REGS_RC_CORE(ctx);
	out[11] = PT_REGS_SP_CORE(ctx);
	out[12] = PT_REGS_IP_CORE(ctx);
	return 0;
}

SEC("kprobe/syscall")
int syscall(struct pt_regs *ctx)
{
	struct pt_regs *regs = PT_REGS_SYSCALL_REGS(ctx);

	out[16] = PT_REGS_PARM1_CORE_SYSCALL(regs);
	out[17] = PT_REGS_PARM2_CORE_SYSCALL(regs);
	out[18] = PT_REGS_PARM3_CORE_SYSCALL(regs);
	out[19] = PT_REGS_PARM4_CORE_SYSCALL(regs);
	out[20] = PT_REGS_PARM5_CORE_SYSCALL(regs);
	out[21] = PT_REGS_PARM6_CORE_SYSCALL(regs);
	return 0;
}

/* The typed entry points compile with the most arguments each passes in registers. */
SEC("kprobe/typed")
int BPF_KPROBE(typed, long a1, long a2, long a3, long a4)
{
	out[24] = a1 + a2 + a3 + a4;
	return 0;
}

SEC("kprobe/ksyscall")
int BPF_KSYSCALL(ksyscall, long a1, long a2, long a3, long a4, long a5, long a6)
{
	out[25] = a1 + a2 + a3 + a4 + a5 + a6;
	return 0;
}

SEC("kretprobe/ret_ip")
int ret_ip(struct pt_regs *ctx)
{
	unsigned long ip = 0;

	BPF_KRETPROBE_READ_RET_IP(ip, ctx);
	out[26] = ip;
	return 0;
}
