// Compile-time checks of sys/bpf_attr.hpp against the system UAPI header for
// every field that header (Linux 6.1) has.
#include "sys/bpf_attr.hpp"

#include <linux/bpf.h>

#include <cstddef>

namespace bpfxx::sys {

#define BPFXX_CHECK_FIELD(ours, theirs)                                                  \
  static_assert(offsetof(ours, theirs) == offsetof(union bpf_attr, theirs), #theirs);   \
  static_assert(sizeof(ours::theirs) == sizeof(bpf_attr::theirs), #theirs " size")

BPFXX_CHECK_FIELD(MapCreateAttr, map_type);
BPFXX_CHECK_FIELD(MapCreateAttr, inner_map_fd);
BPFXX_CHECK_FIELD(MapCreateAttr, map_name);
BPFXX_CHECK_FIELD(MapCreateAttr, btf_fd);
BPFXX_CHECK_FIELD(MapCreateAttr, btf_vmlinux_value_type_id);
BPFXX_CHECK_FIELD(MapCreateAttr, map_extra);
BPFXX_CHECK_FIELD(MapElemAttr, map_fd);
BPFXX_CHECK_FIELD(MapElemAttr, key);
BPFXX_CHECK_FIELD(MapElemAttr, value);
BPFXX_CHECK_FIELD(MapElemAttr, flags);
BPFXX_CHECK_FIELD(ProgLoadAttr, prog_type);
BPFXX_CHECK_FIELD(ProgLoadAttr, insns);
BPFXX_CHECK_FIELD(ProgLoadAttr, log_buf);
BPFXX_CHECK_FIELD(ProgLoadAttr, prog_name);
BPFXX_CHECK_FIELD(ProgLoadAttr, expected_attach_type);
BPFXX_CHECK_FIELD(ProgLoadAttr, prog_btf_fd);
BPFXX_CHECK_FIELD(ProgLoadAttr, func_info);
BPFXX_CHECK_FIELD(ProgLoadAttr, line_info_cnt);
BPFXX_CHECK_FIELD(ProgLoadAttr, attach_btf_id);
BPFXX_CHECK_FIELD(ProgLoadAttr, attach_prog_fd);
BPFXX_CHECK_FIELD(ProgLoadAttr, core_relo_cnt);
BPFXX_CHECK_FIELD(ProgLoadAttr, fd_array);
BPFXX_CHECK_FIELD(ProgLoadAttr, core_relos);
BPFXX_CHECK_FIELD(ProgLoadAttr, core_relo_rec_size);
BPFXX_CHECK_FIELD(BtfLoadAttr, btf);
BPFXX_CHECK_FIELD(BtfLoadAttr, btf_log_buf);
BPFXX_CHECK_FIELD(BtfLoadAttr, btf_size);
BPFXX_CHECK_FIELD(BtfLoadAttr, btf_log_level);
BPFXX_CHECK_FIELD(ObjPinAttr, pathname);
BPFXX_CHECK_FIELD(ObjPinAttr, bpf_fd);
BPFXX_CHECK_FIELD(ObjPinAttr, file_flags);
static_assert(offsetof(IdAttr, id) == offsetof(union bpf_attr, btf_id));
static_assert(offsetof(IdAttr, next_id) == offsetof(union bpf_attr, next_id));
static_assert(offsetof(IdAttr, open_flags) == offsetof(union bpf_attr, open_flags));
static_assert(offsetof(InfoByFdAttr, info) == offsetof(union bpf_attr, info.info));
static_assert(offsetof(RawTracepointOpenAttr, prog_fd) == offsetof(union bpf_attr, raw_tracepoint.prog_fd));
static_assert(offsetof(LinkCreateAttr, attach_type) == offsetof(union bpf_attr, link_create.attach_type));
static_assert(offsetof(LinkCreateAttr, u) == offsetof(union bpf_attr, link_create.target_btf_id));
static_assert(offsetof(LinkCreateAttr, u.kprobe_multi.cookies) ==
              offsetof(union bpf_attr, link_create.kprobe_multi.cookies));
static_assert(offsetof(LinkCreateAttr, u.perf_event.bpf_cookie) ==
              offsetof(union bpf_attr, link_create.perf_event.bpf_cookie));
static_assert(sizeof(ProgLoadAttr) >= offsetof(union bpf_attr, core_relo_rec_size) + 4);
static_assert(offsetof(ProgTestRunAttr, retval) == offsetof(union bpf_attr, test.retval));
static_assert(offsetof(ProgTestRunAttr, data_out) == offsetof(union bpf_attr, test.data_out));
static_assert(offsetof(ProgTestRunAttr, ctx_in) == offsetof(union bpf_attr, test.ctx_in));
static_assert(offsetof(ProgTestRunAttr, flags) == offsetof(union bpf_attr, test.flags));
static_assert(offsetof(ProgTestRunAttr, batch_size) == offsetof(union bpf_attr, test.batch_size));

#undef BPFXX_CHECK_FIELD

}  // namespace bpfxx::sys
