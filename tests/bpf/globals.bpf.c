// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Global variables in every kind of data section, for the spec and BTF unit
 * tests: .data, .rodata, .bss, a custom ".data.custom" section, a .rodata
 * format string from bpf_printk and a plain string literal (clang puts those
 * in a mergeable ".rodata.str1.1" section). Static and global variables are
 * mixed so the tests can check the linkage each one gets.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct config {
	__u32 limit;
	__u16 port;
	__u8 enabled;
	__u8 pad;
};
typedef struct config config_t;

enum mode { MODE_OFF = 0, MODE_ON = 1, MODE_AUTO = -1 };

/* .data */
int data_counter = 1;
static volatile __u64 data_static = 7;
__u32 data_array[4] = { 1, 2, 3, 4 };

/* .rodata: const volatile so clang keeps the loads the loader can patch */
const volatile __u32 ro_limit = 100;
const volatile config_t ro_config = { .limit = 10, .port = 8080, .enabled = 1 };
const volatile enum mode ro_mode = MODE_ON;

/* .bss */
__u64 bss_total;
static volatile __u32 bss_static;
struct config *bss_config_ptr;

/* a custom data section */
int custom_value SEC(".data.custom") = 42;
char custom_name[8] SEC(".data.custom") = "bpfxx";

SEC("tp/syscalls/sys_enter_getpid")
int read_globals(void *ctx)
{
	const char *literal = "literal";

	if (ro_mode != MODE_OFF && ro_config.enabled && data_counter < (int)ro_limit) {
		data_counter++;
		data_static += ro_config.port;
		bss_total += data_array[bss_static & 3];
		bss_static++;
		custom_value += custom_name[0];
	}
	bpf_printk("total %llu", bss_total);
	bpf_trace_printk(literal, 8);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
