// CO-RE against the running kernel's task_struct, declared here only in
// part: the fields this program reads, in an order and at offsets of our
// own choosing, marked preserve_access_index so that every access becomes
// a relocation the loader rewrites for the kernel's real layout.
//
//  - read_task reads pid, tgid, comm, real_parent->tgid and start_time of
//    the process calling getppid();
//  - guarded_missing reads a field no kernel has, behind
//    bpf_core_field_exists(): the read is poisoned but unreachable, so the
//    program loads;
//  - unguarded_missing reads it without a guard; it is not loaded by
//    default ("?"), and loading it must fail with an explained error.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	unsigned long long start_time;
} __attribute__((preserve_access_index));

// A ___flavor of the same type: it resolves to the kernel's task_struct,
// which lacks this field everywhere.
struct task_struct___future {
	int bpfxx_no_such_field;
} __attribute__((preserve_access_index));

const volatile __u32 target_pid = 0;  // set before load

__u64 calls = 0;
__u32 task_pid = 0;
__u32 task_tgid = 0;
__u32 parent_tgid = 0;
__u64 task_start_time = 0;
char task_comm[16] = {};
__s64 guarded_value = 0;
__s64 unguarded_value = 0;

static __always_inline int is_target(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_pid;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int read_task(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (!is_target())
		return 0;
	task_pid = BPF_CORE_READ(task, pid);
	task_tgid = BPF_CORE_READ(task, tgid);
	parent_tgid = BPF_CORE_READ(task, real_parent, tgid);
	task_start_time = BPF_CORE_READ(task, start_time);
	BPF_CORE_READ_STR_INTO(&task_comm, task, comm);
	__sync_fetch_and_add(&calls, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int guarded_missing(void *ctx)
{
	struct task_struct___future *task = (struct task_struct___future *)bpf_get_current_task();

	if (!is_target())
		return 0;
	if (bpf_core_field_exists(task->bpfxx_no_such_field))
		guarded_value = BPF_CORE_READ(task, bpfxx_no_such_field);
	else
		guarded_value = -1;
	return 0;
}

SEC("?tracepoint/syscalls/sys_enter_getppid")
int unguarded_missing(void *ctx)
{
	struct task_struct___future *task = (struct task_struct___future *)bpf_get_current_task();

	unguarded_value = BPF_CORE_READ(task, bpfxx_no_such_field);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
