// One struct per bpf() command bpfxx issues, laid out as the kernel's
// union bpf_attr (include/uapi/linux/bpf.h). Debian 12's UAPI header is from
// Linux 6.1, so fields added since (log_true_size, tokens) are declared here;
// the fields 6.1 already has are checked against its header below. The kernel
// accepts a larger attr than it knows as long as the unknown tail is zero, so
// one layout serves old and new kernels.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bpfxx::sys {

struct MapCreateAttr {
  uint32_t map_type = 0;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  uint32_t map_flags = 0;
  uint32_t inner_map_fd = 0;
  uint32_t numa_node = 0;
  char map_name[16] = {};
  uint32_t map_ifindex = 0;
  uint32_t btf_fd = 0;
  uint32_t btf_key_type_id = 0;
  uint32_t btf_value_type_id = 0;
  uint32_t btf_vmlinux_value_type_id = 0;
  uint64_t map_extra = 0;
  int32_t value_type_btf_obj_fd = 0;  // 6.9
  int32_t map_token_fd = 0;           // 6.9
};

struct MapElemAttr {
  uint32_t map_fd = 0;
  uint32_t pad0 = 0;
  uint64_t key = 0;
  uint64_t value = 0;  // also next_key
  uint64_t flags = 0;
};

struct ProgLoadAttr {
  uint32_t prog_type = 0;
  uint32_t insn_cnt = 0;
  uint64_t insns = 0;
  uint64_t license = 0;
  uint32_t log_level = 0;
  uint32_t log_size = 0;
  uint64_t log_buf = 0;
  uint32_t kern_version = 0;
  uint32_t prog_flags = 0;
  char prog_name[16] = {};
  uint32_t prog_ifindex = 0;
  uint32_t expected_attach_type = 0;
  uint32_t prog_btf_fd = 0;
  uint32_t func_info_rec_size = 0;
  uint64_t func_info = 0;
  uint32_t func_info_cnt = 0;
  uint32_t line_info_rec_size = 0;
  uint64_t line_info = 0;
  uint32_t line_info_cnt = 0;
  uint32_t attach_btf_id = 0;
  uint32_t attach_prog_fd = 0;  // or attach_btf_obj_fd
  uint32_t core_relo_cnt = 0;
  uint64_t fd_array = 0;
  uint64_t core_relos = 0;
  uint32_t core_relo_rec_size = 0;
  uint32_t log_true_size = 0;  // 6.4: the kernel reports the log size it needed
  int32_t prog_token_fd = 0;   // 6.9
  uint32_t fd_array_cnt = 0;   // 6.14
};

struct BtfLoadAttr {
  uint64_t btf = 0;
  uint64_t btf_log_buf = 0;
  uint32_t btf_size = 0;
  uint32_t btf_log_size = 0;
  uint32_t btf_log_level = 0;
  uint32_t btf_log_true_size = 0;  // 6.4
  uint32_t btf_flags = 0;          // 6.9
  int32_t btf_token_fd = 0;        // 6.9
};

struct ObjPinAttr {
  uint64_t pathname = 0;
  uint32_t bpf_fd = 0;
  uint32_t file_flags = 0;
  int32_t path_fd = 0;  // 6.5
  uint32_t pad0 = 0;
};

// BPF_*_GET_NEXT_ID and BPF_*_GET_FD_BY_ID: the id in, the next id out.
struct IdAttr {
  uint32_t id = 0;       // start_id / prog_id / map_id / btf_id / link_id
  uint32_t next_id = 0;
  uint32_t open_flags = 0;
  uint32_t fd_by_id_token_fd = 0;  // 6.18
};

struct InfoByFdAttr {
  uint32_t bpf_fd = 0;
  uint32_t info_len = 0;
  uint64_t info = 0;
};

struct RawTracepointOpenAttr {
  uint64_t name = 0;
  uint32_t prog_fd = 0;
  uint32_t pad0 = 0;
  uint64_t cookie = 0;  // 6.10
};

// The common head of BPF_LINK_CREATE plus the per-type tail this layer uses.
struct LinkCreateAttr {
  uint32_t prog_fd = 0;
  uint32_t target_fd = 0;  // or target_ifindex
  uint32_t attach_type = 0;
  uint32_t flags = 0;
  union {
    uint32_t target_btf_id;
    struct {
      uint64_t iter_info;
      uint32_t iter_info_len;
    } iter;
    struct {
      uint64_t bpf_cookie;
    } perf_event;
    struct {
      uint32_t flags;
      uint32_t cnt;
      uint64_t syms;
      uint64_t addrs;
      uint64_t cookies;
    } kprobe_multi;
    struct {
      uint64_t cookie;
    } tracing;
    struct {
      uint32_t relative_fd;  // or relative_id
      uint32_t pad;
      uint64_t expected_revision;
    } tcx;
    struct {
      uint64_t path;
      uint64_t offsets;
      uint64_t ref_ctr_offsets;
      uint64_t cookies;
      uint32_t cnt;
      uint32_t flags;
      uint32_t pid;
    } uprobe_multi;
    uint8_t raw[48];
  } u = {};
};

struct ProgTestRunAttr {
  uint32_t prog_fd = 0;
  uint32_t retval = 0;
  uint32_t data_size_in = 0;
  uint32_t data_size_out = 0;
  uint64_t data_in = 0;
  uint64_t data_out = 0;
  uint32_t repeat = 0;
  uint32_t duration = 0;
  uint32_t ctx_size_in = 0;
  uint32_t ctx_size_out = 0;
  uint64_t ctx_in = 0;
  uint64_t ctx_out = 0;
  uint32_t flags = 0;
  uint32_t cpu = 0;
  uint32_t batch_size = 0;
  uint32_t pad0 = 0;
};

struct MapFreezeAttr {
  uint32_t map_fd = 0;
};

}  // namespace bpfxx::sys
