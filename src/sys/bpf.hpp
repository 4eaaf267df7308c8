// Thin wrappers over the bpf() syscall. Every new descriptor is wrapped in an
// Fd at once (bpf() returns close-on-exec fds) and moved off fd 0, which
// several bpf_attr fields read as "no fd". Errors carry errno and the
// command's name; callers add the object, program or map.
#pragma once

#include <bpfxx/fd.hpp>
#include <bpfxx/result.hpp>
#include <bpfxx/uapi.hpp>

#include "sys/bpf_attr.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <optional>
#include <string>

namespace bpfxx::sys {

// Issues one bpf() command, retrying EINTR (and EAGAIN where the kernel asks
// for it), and returns the raw result (an fd or 0).
Result<int> bpf(Command cmd, void* attr, size_t size);

// Wraps a new fd, moving it off 0.
Result<Fd> adopt_fd(int raw, const char* op);

Result<Fd> map_create(const MapCreateAttr& attr);
Result<void> map_lookup_elem(int map_fd, const void* key, void* value, uint64_t flags = 0);
Result<void> map_update_elem(int map_fd, const void* key, const void* value, uint64_t flags);
Result<void> map_delete_elem(int map_fd, const void* key);
// False when `key` was the last key (ENOENT).
Result<bool> map_get_next_key(int map_fd, const void* key, void* next_key);
Result<void> map_freeze(int map_fd);

// PROG_LOAD as given (the caller sets up logging and reads log_true_size).
Result<Fd> prog_load(ProgLoadAttr& attr);
Result<Fd> btf_load(BtfLoadAttr& attr);

Result<Fd> link_create(const LinkCreateAttr& attr);
Result<void> prog_test_run(ProgTestRunAttr& attr);
Result<Fd> raw_tracepoint_open(const char* name, int prog_fd);
Result<void> obj_pin(int fd, const std::string& path);
Result<Fd> obj_get(const std::string& path);
// Fills `info` (up to its size) and returns the size the kernel wrote.
Result<uint32_t> obj_get_info_by_fd(int fd, void* info, uint32_t info_size);
// The id of the BTF object after `id` (0: the first), nullopt past the last.
Result<std::optional<uint32_t>> btf_get_next_id(uint32_t id);
// An fd of the BTF object `id` (ENOENT if it went away meanwhile).
Result<Fd> btf_get_fd_by_id(uint32_t id);

// The number of possible CPUs (/sys/devices/system/cpu/possible), cached.
Result<uint32_t> possible_cpus();

}  // namespace bpfxx::sys
