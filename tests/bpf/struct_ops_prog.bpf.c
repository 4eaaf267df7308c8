// A struct_ops program: bpfxx does not create .struct_ops maps yet, and
// must say so by name instead of loading the program without its map.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("struct_ops/cong_init")
int cong_init(void *ctx)
{
  return 0;
}

SEC("raw_tp")
int plain(void *ctx)
{
  return 1;
}

char LICENSE[] SEC("license") = "GPL";
