// A __hidden global subprogram: private to the object, so the loader must
// present it to the kernel as static (the verifier then checks it inside its
// caller, where the pointer it gets is known to be a valid stack slot). As a
// global function the verifier would check it alone, with a pointer that
// could be NULL, and refuse the store.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) __attribute__((visibility("hidden"))) int set_to(long *res, long v)
{
  *res = v;
  return 1;
}

SEC("raw_tp")
int call_hidden(void *ctx)
{
  long v = 0;
  return set_to(&v, 41) + (int)v;  // 42
}

char LICENSE[] SEC("license") = "GPL";
