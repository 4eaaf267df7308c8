// Externs, as pure functions of the object and what the loader learned from
// the running kernel (kconfig values, kernel BTF, kallsyms addresses):
// the .kconfig map's bytes, the instruction patches for ksyms and kfuncs, and
// the object BTF rewritten so the kernel accepts it.
#pragma once

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/object_spec.hpp>
#include <bpfxx/result.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace bpfxx::reloc {

// Kconfig values by name, as the config file writes them: "y", "m", "n",
// "1000", "0x10", "\"text\"". Loaders add LINUX_KERNEL_VERSION and the
// LINUX_HAS_* names with their computed values.
using KconfigValues = std::map<std::string, std::string, std::less<>>;
// The key under which loaders record the config file they read ("" when
// none was available), for error messages.
inline constexpr std::string_view kKconfigSourceKey = "#source";

// The .kconfig map's contents for this object (empty when it has none).
Result<std::vector<std::byte>> kconfig_contents(const ObjectSpec& spec, const KconfigValues& values);

// What the loader found for one ksym or kfunc.
struct ResolvedExtern {
  std::string name;
  bool found = false;
  btf::TypeId kernel_btf_id = 0;  // typed ksyms and kfuncs: the VAR/FUNC in kernel BTF
  uint64_t address = 0;           // typeless ksyms: from kallsyms
  // Where kernel_btf_id lives when a module defines it (empty: vmlinux), and
  // how instructions name that module's BTF: kfunc calls by the slot of its
  // fd in the program's fd_array, BTF-id loads by the fd itself.
  std::string module;
  int16_t fd_array_index = 0;
  int32_t module_btf_fd = 0;
};

// Patches every Extern relocation of `program` (ksym loads, kfunc calls).
// A missing __weak extern becomes NULL (variables) or a call that the
// verifier rejects only if it is reached (kfuncs, like libbpf's); a missing
// strong one is an error naming it.
Result<void> apply_extern_relocations(std::vector<Insn>& insns, const ProgramSpec& program, const ObjectSpec& spec,
                                      std::span<const ResolvedExtern> resolved);

// The call a missing weak kfunc becomes: an unknown helper id the verifier
// only complains about when the call is reachable.
inline constexpr int32_t kPoisonKfuncCall = 0x7ff0000;

// The object's BTF as the kernel will accept it: extern VARs and FUNCs get
// allocated/global linkage, typeless ksyms an int type, kfunc entries of
// .ksyms a placeholder variable, and the .kconfig section its real layout.
Result<btf::Spec> sanitize_extern_btf(const ObjectSpec& spec);

}  // namespace bpfxx::reloc
