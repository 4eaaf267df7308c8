// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One map of each kind the spec parser handles: array, hash (pinned by name,
 * with map_flags and numa_node), per-CPU, LRU, ring buffer, perf event array,
 * a program array with an initial slot, and array/hash of maps whose inner map
 * template comes from __array(values, struct inner_map) with initial slots.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct value {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct value);
} array_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, __u64);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} percpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct value);
} percpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} lru_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ringbuf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

/* The inner map template, and two maps of that shape to put in slots. */
struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_array SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_hash SEC(".maps") = {
	.values = { [1] = &inner_b },
};

SEC("xdp")
int tail_target(struct xdp_md *ctx)
{
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(struct xdp_md *));
} jump_table SEC(".maps") = {
	.values = { [1] = (void *)&tail_target },
};

SEC("xdp")
int use_maps(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 hkey = 1, *counter;
	struct value *v;
	void *inner;

	v = bpf_map_lookup_elem(&array_map, &key);
	if (v)
		v->packets++;
	bpf_map_update_elem(&pinned_hash, &hkey, &key, BPF_ANY);
	counter = bpf_map_lookup_elem(&percpu_array, &key);
	if (counter)
		(*counter)++;
	v = bpf_map_lookup_elem(&percpu_hash, &key);
	if (v)
		v->bytes++;
	counter = bpf_map_lookup_elem(&lru_hash, &key);
	if (counter)
		(*counter)++;
	bpf_ringbuf_output(&ringbuf, &hkey, sizeof(hkey), 0);
	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &hkey, sizeof(hkey));
	inner = bpf_map_lookup_elem(&outer_array, &key);
	if (inner) {
		counter = bpf_map_lookup_elem(inner, &key);
		if (counter)
			(*counter)++;
	}
	inner = bpf_map_lookup_elem(&outer_hash, &key);
	if (inner) {
		counter = bpf_map_lookup_elem(inner, &key);
		if (counter)
			(*counter)++;
	}
	bpf_tail_call(ctx, &jump_table, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
