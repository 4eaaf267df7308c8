// Every macro of <bpf/bpf_core_read.h>, written the way libbpf programs use
// them, so the header is compiled (both byte orders, -Wall) and its
// relocations are checked against the running kernel by the unit tests.
// Not loaded: the user-memory reads and bitfields here are for the compiler.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int pid;
	unsigned int flags;
	char comm[16];
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

// User-space data read with the _USER forms (never relocated against a
// kernel type, but still CO-RE records).
struct core_user {
	int uid;
	char name[8];
	struct core_user *next;
} __attribute__((preserve_access_index));

struct core_bits {
	unsigned int a : 4, b : 12;
	int c : 3;
} __attribute__((preserve_access_index));

enum pid_type { PIDTYPE_PID, PIDTYPE_TGID };

__u64 out[32] = {};
char text[16] = {};

SEC("raw_tp/core_macros")
int macros(struct core_bits *bits)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct core_user *u = (struct core_user *)bits;
	int v = 0;

	BPF_CORE_READ_INTO(&v, t, real_parent, pid);
	out[0] = v;
	BPF_CORE_READ_STR_INTO(&text, t, comm);
	out[1] = BPF_CORE_READ(t, real_parent, real_parent, flags);
	BPF_CORE_READ_USER_INTO(&v, u, next, uid);
	out[2] = v + BPF_CORE_READ_USER(u, uid);
	BPF_CORE_READ_USER_STR_INTO(&text, u, name);
	out[3] = BPF_PROBE_READ(t, pid);
	BPF_PROBE_READ_INTO(&v, t, real_parent, pid);
	BPF_PROBE_READ_STR_INTO(&text, t, comm);
	out[4] = v + BPF_PROBE_READ_USER(u, next, uid);
	BPF_PROBE_READ_USER_INTO(&v, u, uid);
	BPF_PROBE_READ_USER_STR_INTO(&text, u, name);
	out[5] = v + BPF_CORE_READ_BITFIELD_PROBED(bits, b) + BPF_CORE_READ_BITFIELD(bits, c);

	out[6] = bpf_core_field_exists(t->pid) + bpf_core_field_exists(struct task_struct, flags);
	out[7] = bpf_core_field_size(t->comm) + bpf_core_field_size(struct task_struct, real_parent);
	out[8] = bpf_core_field_offset(t->flags) + bpf_core_field_offset(struct task_struct, comm[3]);
	out[9] = bpf_core_field_signed(t->pid) + bpf_core_field_signed(struct core_bits, c);
	out[10] = bpf_core_type_exists(struct task_struct) + bpf_core_type_size(struct task_struct);
	out[11] = bpf_core_type_id_local(struct task_struct);
	out[12] = bpf_core_type_id_kernel(struct task_struct);
	out[13] = bpf_core_enum_value_exists(enum pid_type, PIDTYPE_TGID);
	out[14] = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
#if defined(__clang_major__) && __clang_major__ >= 15
	out[15] = bpf_core_type_matches(struct task_struct);
#endif
	out[16] = bpf_core_cast(t, struct task_struct)->pid;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
