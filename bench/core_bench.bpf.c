// The CO-RE benchmark's object (bench/core_main.cpp): one tracepoint
// program reading ~50 fields of the current task, its mm, cred, signal and
// parents through BPF_CORE_READ, about 100 CO-RE relocations against the
// kernel's BTF. Kernel types are declared here in part, as CO-RE allows;
// every field exists in the kernels bpfxx is tested on, so it loads.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define __core __attribute__((preserve_access_index))

typedef struct { unsigned int val; } kuid_t;
typedef struct { unsigned int val; } kgid_t;

struct cred {
	kuid_t uid, suid, euid, fsuid;
	kgid_t gid, sgid, egid, fsgid;
} __core;

struct signal_struct {
	int nr_threads;
	int group_exit_code;
	int leader;
} __core;

struct mm_struct {
	unsigned long mmap_base, task_size, start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack, arg_start, arg_end, env_start, env_end;
	unsigned long total_vm, locked_vm, data_vm, exec_vm, stack_vm;
	int map_count;
} __core;

struct task_struct {
	unsigned int __state, flags;
	int on_cpu, recent_used_cpu, wake_cpu, prio, static_prio, normal_prio;
	unsigned int rt_priority, policy;
	int nr_cpus_allowed;
	struct mm_struct *mm, *active_mm;
	int exit_state, exit_code, exit_signal, pdeath_signal;
	unsigned int personality;
	int pid, tgid;
	struct task_struct *real_parent, *parent, *group_leader;
	unsigned long long utime, stime, gtime;
	unsigned long nvcsw, nivcsw;
	unsigned long long start_time, start_boottime;
	unsigned long min_flt, maj_flt;
	const struct cred *real_cred, *cred;
	struct signal_struct *signal;
	unsigned int sessionid;
	char comm[16];
} __core;

__u64 out[128] = {};
char comm[16] = {};

#define T(i, ...) out[i] = BPF_CORE_READ(task, __VA_ARGS__)

SEC("tracepoint/syscalls/sys_enter_getppid")
int many_reads(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	T(0, __state); T(1, flags); T(2, on_cpu); T(3, recent_used_cpu); T(4, wake_cpu);
	T(5, prio); T(6, static_prio); T(7, normal_prio); T(8, rt_priority); T(9, policy);
	T(10, nr_cpus_allowed); T(11, exit_state); T(12, exit_code); T(13, exit_signal);
	T(14, pdeath_signal); T(15, personality); T(16, pid); T(17, tgid); T(18, utime);
	T(19, stime); T(20, gtime); T(21, nvcsw); T(22, nivcsw); T(23, start_time);
	T(24, start_boottime); T(25, min_flt); T(26, maj_flt); T(27, sessionid);
	T(30, real_parent, tgid); T(31, parent, pid); T(32, group_leader, pid);
	T(33, real_parent, real_parent, tgid); T(34, active_mm, map_count);
	T(40, mm, mmap_base); T(41, mm, task_size); T(42, mm, start_code); T(43, mm, end_code);
	T(44, mm, start_data); T(45, mm, end_data); T(46, mm, start_brk); T(47, mm, brk);
	T(48, mm, start_stack); T(49, mm, arg_start); T(50, mm, arg_end); T(51, mm, env_start);
	T(52, mm, env_end); T(53, mm, total_vm); T(54, mm, locked_vm); T(55, mm, data_vm);
	T(56, mm, exec_vm); T(57, mm, stack_vm); T(58, mm, map_count);
	T(60, cred, uid.val); T(61, cred, gid.val); T(62, cred, euid.val); T(63, cred, egid.val);
	T(64, cred, suid.val); T(65, cred, sgid.val); T(66, cred, fsuid.val); T(67, cred, fsgid.val);
	T(68, real_cred, uid.val); T(69, real_cred, euid.val);
	T(70, signal, nr_threads); T(71, signal, group_exit_code); T(72, signal, leader);
	BPF_CORE_READ_STR_INTO(&comm, task, comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
