// Externs declared the pre-2020 way, without __kconfig or __ksym: libbpf
// refuses such an object at open, and so must bpfxx, by name (the kernel
// would only say "Linkage not supported" about the BTF).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int LINUX_KERNEL_VERSION;

__u64 seen = 0;

SEC("raw_tp")
int read_version(void *ctx)
{
  seen = LINUX_KERNEL_VERSION;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
