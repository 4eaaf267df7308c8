// Externs of every kind: .kconfig values (integers, bool, tristate, string,
// the kernel version, a weak one that does not exist), a typeless kernel
// symbol, and kfunc calls (bpf_task_acquire/release) from a syscall program.
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_JIT __kconfig;
extern enum libbpf_tristate CONFIG_BPF_SYSCALL __kconfig;
extern int CONFIG_HZ __kconfig;
extern int CONFIG_NR_CPUS __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig;
extern int CONFIG_BPFXX_DOES_NOT_EXIST __kconfig __weak;
extern const void _stext __ksym;

struct task_struct;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

const volatile __u32 target_pid = 0;
__u32 seen_version = 0;
__u32 seen_jit = 0;
__u32 seen_syscall = 0;
__s32 seen_hz = 0;
__s32 seen_nr_cpus = 0;
__s32 seen_missing = -1;
char seen_hostname[16] = {};
__u64 seen_stext = 0;
__u64 kfunc_calls = 0;

SEC("tracepoint/syscalls/sys_enter_getppid")
int read_kconfig(void *ctx) {
  if ((bpf_get_current_pid_tgid() >> 32) != target_pid) return 0;
  seen_version = LINUX_KERNEL_VERSION;
  seen_jit = CONFIG_BPF_JIT;
  seen_syscall = CONFIG_BPF_SYSCALL;
  seen_hz = CONFIG_HZ;
  seen_nr_cpus = CONFIG_NR_CPUS;
  seen_missing = CONFIG_BPFXX_DOES_NOT_EXIST;
  __builtin_memcpy(seen_hostname, CONFIG_DEFAULT_HOSTNAME, sizeof(seen_hostname));
  seen_stext = (__u64)&_stext;
  return 0;
}

SEC("syscall")
int call_kfuncs(void *ctx) {
  struct task_struct *t = bpf_task_acquire((struct task_struct *)bpf_get_current_task_btf());
  if (!t) return 1;
  bpf_task_release(t);
  kfunc_calls++;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
