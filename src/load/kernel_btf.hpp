// The running kernel's BTF (/sys/kernel/btf/vmlinux), parsed once per process
// and shared by every object loaded.
#pragma once

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/result.hpp>

#include <memory>

namespace bpfxx::detail {

// Cached on success only: a failure (e.g. no BTF mounted yet) is retried.
Result<std::shared_ptr<const btf::Spec>> running_kernel_btf();

}  // namespace bpfxx::detail
