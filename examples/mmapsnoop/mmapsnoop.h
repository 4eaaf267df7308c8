/* The record mmapsnoop's BPF programs send to user space; shared by the
 * BPF side (C) and the loader (C++), so its layout has one definition. */
#ifndef MMAPSNOOP_H
#define MMAPSNOOP_H

#ifdef __cplusplus
#include <cstdint>
typedef uint8_t mmap_u8;
typedef uint32_t mmap_u32;
typedef uint64_t mmap_u64;
typedef int64_t mmap_s64;
#else
typedef __u8 mmap_u8;
typedef __u32 mmap_u32;
typedef __u64 mmap_u64;
typedef __s64 mmap_s64;
#endif

enum { MMAP_SOURCE_TRACEPOINT = 0, MMAP_SOURCE_KPROBE = 1 };

struct mmap_event {
  mmap_u32 pid;
  mmap_u32 tid;
  mmap_u32 uid;
  mmap_u8 source;
  mmap_u8 pad[3];
  mmap_u64 addr;
  mmap_u64 len;
  mmap_u64 prot;
  mmap_u64 flags;
  mmap_s64 fd;
  mmap_u64 off;
  char comm[16];
};

#endif
