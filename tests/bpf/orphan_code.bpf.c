// A global function in .text that no program calls but that has a
// relocation (it reads a global variable). Tests turn its symbol into a
// non-function, as a static link does to the losing body of a __weak
// function: its relocation then lies in code no function covers.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 counter = 0;

__attribute__((noinline)) int helper_reads_counter(int x)
{
  return x + (int)counter;
}

__attribute__((noinline)) int helper_used(int x)
{
  return x * 2;
}

SEC("raw_tp")
int entry(void *ctx)
{
  counter++;
  return helper_used(1);
}

char LICENSE[] SEC("license") = "GPL";
