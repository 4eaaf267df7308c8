// Externs the running kernel may not have, one program each so a test can
// load them one at a time: a strong kfunc that exists nowhere, a weak one
// guarded by bpf_ksym_exists and the same unguarded, and a typed per-CPU
// kernel variable (which needs kallsyms data symbols, CONFIG_KALLSYMS_ALL).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct task_struct;
extern int bpfxx_no_such_kfunc(int x) __ksym;
extern int bpfxx_no_such_weak_kfunc(int x) __ksym __weak;
extern const int bpf_prog_active __ksym;
extern const int bpfxx_no_such_variable __ksym __weak;

__u64 weak_value_was_null = 0;

SEC("syscall")
int strong_missing(void *ctx) { return bpfxx_no_such_kfunc(1); }

SEC("syscall")
int weak_missing(void *ctx) {
  if (bpf_ksym_exists(bpfxx_no_such_weak_kfunc)) return bpfxx_no_such_weak_kfunc(1);
  if (&bpfxx_no_such_variable == 0) weak_value_was_null = 1;
  return 7;
}

// The same weak kfunc called without the guard: the call stays reachable,
// so the verifier refuses it, and the error must say which kfunc it was.
SEC("syscall")
int weak_unguarded(void *ctx) { return bpfxx_no_such_weak_kfunc(2); }

SEC("syscall")
int typed_percpu(void *ctx) {
  const int *active = bpf_this_cpu_ptr(&bpf_prog_active);
  return *active >= 0 ? 3 : 4;
}

char LICENSE[] SEC("license") = "GPL";
