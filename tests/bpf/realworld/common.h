/* Shared by the "real-world" tracing tools the tests load: written the way
 * such tools are written for libbpf (vmlinux.h, CO-RE reads, ring buffers,
 * .kconfig externs), against bpfxx's generated vmlinux.h. */
#ifndef BPFXX_REALWORLD_COMMON_H
#define BPFXX_REALWORLD_COMMON_H

#define TASK_COMM_LEN 16
#define NAME_LEN 128

struct exec_event {
  __u32 pid;
  __u32 ppid;
  __u32 uid;
  __u32 kernel_version;
  char comm[TASK_COMM_LEN];
  char filename[NAME_LEN];
};

struct open_event {
  __u32 pid;
  __s32 dfd;
  __u64 flags;
  char comm[TASK_COMM_LEN];
  char filename[NAME_LEN];
};

#endif
