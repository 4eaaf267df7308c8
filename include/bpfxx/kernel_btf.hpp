// Kernel BTF for CO-RE, kfuncs and BTF-typed attach targets.
//
// kernel_btf() parses /sys/kernel/btf/vmlinux once per process (mmapped, not
// copied) and shares it: loading ten CO-RE objects costs one parse. Kernels
// without /sys/kernel/btf get their BTF from a file instead (BTFHub-style
// raw BTF, or an ELF such as a vmlinux with a .BTF section), passed to
// Object::load through LoadOptions::kernel_btf.
//
// Thread safety: safe from any thread; the specs returned are immutable.
#pragma once

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/result.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bpfxx {

// The running kernel's BTF, shared. A failure is not cached: a later call
// tries again (sysfs may be mounted by then).
Result<std::shared_ptr<const btf::Spec>> kernel_btf();

// A kernel module's BTF (/sys/kernel/btf/<module>): split BTF on top of the
// kernel's, whose ids and strings it continues. Cached per module.
Result<std::shared_ptr<const btf::Spec>> kernel_module_btf(std::string_view module);

// The BTF of every loaded module that has one (/sys/kernel/btf/ minus
// vmlinux), in name order; empty on kernels without modules. Cached.
Result<std::vector<std::pair<std::string, std::shared_ptr<const btf::Spec>>>> kernel_module_btfs();

// BTF from a file: raw BTF (magic 0xeb9f) or an ELF file's .BTF section.
// With `base`, the file is split BTF on top of it.
Result<std::shared_ptr<const btf::Spec>> open_btf_file(const std::string& path,
                                                       std::shared_ptr<const btf::Spec> base = nullptr);

}  // namespace bpfxx
