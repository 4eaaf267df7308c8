// A program the verifier must reject: it dereferences a hash map lookup's
// result without checking it for NULL (array lookups with a constant key in
// range are known non-NULL to recent verifiers, so a hash map it is). The test expects the log and this line.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} values SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int unchecked_lookup(void *ctx) {
  __u32 key = 0;
  __u64 *v = bpf_map_lookup_elem(&values, &key);
  return *v == 7;  /* BAD: v may be NULL */
}

char LICENSE[] SEC("license") = "GPL";
