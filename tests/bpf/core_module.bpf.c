// CO-RE against a type that lives in a kernel module's BTF on some kernels:
// veth's private device data (struct veth_priv) is in vmlinux where veth is
// built in (the 6.18 host) and only in /sys/kernel/btf/veth where veth is a
// module (Debian's 6.1, the make test-vm guest). The local definition lists
// two of its fields in an order of its own, so every offset must come from
// the kernel's BTF, wherever that type lives.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct net_device;

struct veth_priv {
	unsigned int requested_headroom;
	struct net_device *peer;
} __attribute__((preserve_access_index));

__u32 veth_priv_exists = 0;
__u32 headroom_offset = 0;
__u32 headroom_size = 0;
__u32 peer_offset = 0;
__u32 priv_size = 0;

SEC("syscall")
int probe_veth_priv(void *ctx)
{
	veth_priv_exists = bpf_core_type_exists(struct veth_priv);
	if (!veth_priv_exists)
		return 1;
	headroom_offset = bpf_core_field_offset(struct veth_priv, requested_headroom);
	headroom_size = bpf_core_field_size(struct veth_priv, requested_headroom);
	peer_offset = bpf_core_field_offset(struct veth_priv, peer);
	priv_size = bpf_core_type_size(struct veth_priv);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
