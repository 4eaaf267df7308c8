// BPF_PROG2 against BPF_PROG: arguments that are structs passed by value
// take as many u64 context slots as their size needs (a 16-byte struct two),
// so each later argument moves. A raw tracepoint program takes its context
// from BPF_PROG_TEST_RUN, so the test chooses the slots and checks what the
// program decoded.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct pair16 {
  __u64 lo;
  __u32 hi;
  __u32 tag;
};

struct small4 {
  __u16 a;
  __u16 b;
};

int got_n = 0;
__u64 got_lo = 0, got_y = 0, plain_second = 0;
__u32 got_hi = 0, got_tag = 0, got_a = 0, got_b = 0;

SEC("raw_tp")
int BPF_PROG2(by_value, int, n, struct pair16, p, struct small4, s, long, y)
{
  got_n = n;
  got_lo = p.lo;
  got_hi = p.hi;
  got_tag = p.tag;
  got_a = s.a;
  got_b = s.b;
  got_y = y;
  return 0;
}

// The same slots read by BPF_PROG, one u64 per argument.
SEC("raw_tp")
int BPF_PROG(plain, __u64 first, __u64 second)
{
  plain_second = second;
  return 0;
}

SEC("raw_tp")
int BPF_PROG2(no_args)
{
  return 7;
}

char LICENSE[] SEC("license") = "GPL";
