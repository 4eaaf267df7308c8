// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Legacy maps: struct bpf_map_def in SEC("maps"), as objects written before
 * BTF-defined maps declare them. libbpf 1.0 dropped the struct from its
 * headers, so the program declares it itself.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 16,
};

struct bpf_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 64,
	.map_flags = BPF_F_NO_PREALLOC,
};

SEC("tp/syscalls/sys_enter_getpid")
int count_legacy(void *ctx)
{
	__u32 key = 3, one = 1;
	__u64 *val;

	val = bpf_map_lookup_elem(&legacy_counts, &key);
	if (val)
		__sync_fetch_and_add(val, 1);
	bpf_map_update_elem(&legacy_hash, &key, &one, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
