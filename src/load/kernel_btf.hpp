// The running kernel's BTF (/sys/kernel/btf/vmlinux), parsed once per process
// and shared by every object loaded.
#pragma once

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/fd.hpp>
#include <bpfxx/result.hpp>

#include <memory>
#include <string_view>

namespace bpfxx::detail {

// Cached on success only: a failure (e.g. no BTF mounted yet) is retried.
Result<std::shared_ptr<const btf::Spec>> running_kernel_btf();

// An fd of the kernel's loaded BTF object for `module` (what kfunc calls
// and BTF-id loads of that module's symbols must name at BPF_PROG_LOAD),
// found by walking the kernel's BTF ids. NotFound if no such module BTF.
Result<Fd> kernel_module_btf_fd(std::string_view module);

}  // namespace bpfxx::detail
