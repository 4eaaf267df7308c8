// What the loader learns from the running kernel to resolve externs: the
// kernel config (plus LINUX_KERNEL_VERSION and the LINUX_HAS_* values) and,
// for ksyms and kfuncs, kernel BTF ids and kallsyms addresses.
#pragma once

#include <bpfxx/object.hpp>

#include "reloc/externs.hpp"

namespace bpfxx::detail {

// Reads the kernel config: `path` when given, else /proc/config.gz, else
// /boot/config-$(uname -r); adds LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE
// and, when asked (answering it parses the kernel's BTF),
// LINUX_HAS_SYSCALL_WRAPPER.
Result<reloc::KconfigValues> system_kconfig(const std::string& path, bool with_syscall_wrapper = true);

// Parses config text ("CONFIG_X=y", "# CONFIG_Y is not set").
reloc::KconfigValues parse_kconfig(std::string_view text);

// KERNEL_VERSION(a, b, c) of a release string such as "6.18.44-fc-v669"
// (the patch level saturates at 255, as the kernel's own macro does).
std::optional<uint32_t> kernel_version_of(std::string_view release);

// A kernel module's BTF, split on vmlinux's, by module name.
using ModuleBtfs = std::vector<std::pair<std::string, std::shared_ptr<const btf::Spec>>>;

// Resolves the object's ksyms and kfuncs: kfuncs and typed ksyms by name in
// kernel BTF, then in each module's own types (setting `module`), typeless
// ksyms by address in /proc/kallsyms. Module fds are the caller's to open.
Result<std::vector<reloc::ResolvedExtern>> resolve_kernel_externs(const ObjectSpec& spec, const btf::Spec& kernel_btf,
                                                                  const ModuleBtfs& modules);

// A verifier refusal at a call of a __weak kfunc this kernel lacks (the call
// bpfxx left for the verifier to find unreachable): an error naming the
// kfunc, its source line and the guard to write; other errors unchanged.
Error explain_missing_kfunc(Error err, const ProgramSpec& program, const ObjectSpec& spec,
                            std::span<const reloc::ResolvedExtern> resolved);

}  // namespace bpfxx::detail
