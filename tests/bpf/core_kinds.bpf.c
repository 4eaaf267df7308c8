// Every CO-RE relocation kind clang emits, on local types only: the unit
// tests relocate this object against target BTFs made with btf::Builder
// (fields moved, resized, removed, bitfields shifted, enums renumbered) and
// check each patched instruction. Not meant to be loaded.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct core_sample {
	int a;
	long long b;
	struct {
		int c;
		short d;
	};
	unsigned int lo : 3, mid : 7;
	int hi : 5;
	int arr[4];
	struct core_sample *next;
	unsigned int width;
} __attribute__((preserve_access_index));

enum core_state { CORE_IDLE = 0, CORE_BUSY = 4, CORE_GONE = 9 };

typedef unsigned int core_u32_t;

__u64 out[16] = {};

// Direct loads: the offsets live in the loads themselves.
SEC("raw_tp/core_loads")
int loads(struct core_sample *s)
{
	out[0] = s->a;
	out[1] = s->b;
	out[2] = s->d;
	out[3] = s->arr[2];
	out[4] = s->width;
	out[5] = s->next->a;
	return 0;
}

// Queries: the answers live in immediates (and ld_imm64 for 64-bit ones).
SEC("raw_tp/core_queries")
int queries(void *ctx)
{
	out[0] = bpf_core_field_exists(struct core_sample, c);
	out[1] = bpf_core_field_size(struct core_sample, width);
	out[2] = bpf_core_field_offset(struct core_sample, arr[2]);
	out[3] = bpf_core_field_signed(struct core_sample, hi);
	out[4] = bpf_core_type_exists(struct core_sample);
	out[5] = bpf_core_type_size(struct core_sample);
	out[6] = bpf_core_type_id_local(struct core_sample);
	out[7] = bpf_core_type_id_kernel(struct core_sample);
	out[8] = bpf_core_enum_value_exists(enum core_state, CORE_GONE);
	out[9] = bpf_core_enum_value(enum core_state, CORE_BUSY);
	out[10] = bpf_core_type_exists(core_u32_t);
	return 0;
}

// Bitfields: offset, size, both shifts and signedness, probed and direct.
SEC("raw_tp/core_bitfields")
int bitfields(struct core_sample *s)
{
	out[0] = BPF_CORE_READ_BITFIELD_PROBED(s, mid);
	out[1] = BPF_CORE_READ_BITFIELD(s, hi);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
