// A kfunc that a kernel module provides where the module is loaded: the
// conntrack lookup of nf_conntrack, built in on the 6.18 host (so found in
// vmlinux BTF) and a module on Debian's 6.1 (the make test-vm guest), where
// the call must name nf_conntrack's BTF through the program's fd_array.
// From XDP, run with BPF_PROG_TEST_RUN: a lookup of a connection that does
// not exist returns NULL and reports -ENOENT in opts.error.
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct nf_conn;

// The kfunc's options, as nf_conntrack_bpf.c defines them (12 bytes: the
// size every kernel with these kfuncs accepts).
struct bpf_ct_opts {
	__s32 netns_id;
	__s32 error;
	__u8 l4proto;
	__u8 dir;
	__u8 reserved[2];
};

extern struct nf_conn *bpf_xdp_ct_lookup(struct xdp_md *xdp_ctx, struct bpf_sock_tuple *bpf_tuple, __u32 tuple__sz,
					 struct bpf_ct_opts *opts, __u32 opts__sz) __ksym;
extern void bpf_ct_release(struct nf_conn *ct) __ksym;

__u32 lookups = 0;
__u32 found = 0;
__s32 lookup_error = 0;

SEC("xdp")
int ct_lookup(struct xdp_md *ctx)
{
	struct bpf_sock_tuple tuple = {};
	struct bpf_ct_opts opts = { .netns_id = -1, .l4proto = IPPROTO_TCP };

	tuple.ipv4.saddr = bpf_htonl(0x7f000001);
	tuple.ipv4.daddr = bpf_htonl(0x7f000001);
	tuple.ipv4.sport = bpf_htons(1);
	tuple.ipv4.dport = bpf_htons(2);
	struct nf_conn *ct = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
	if (ct) {
		found = 1;
		bpf_ct_release(ct);
	}
	lookup_error = opts.error;
	lookups++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
