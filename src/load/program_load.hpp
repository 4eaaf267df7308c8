// BPF_PROG_LOAD for one program, with the verifier-log policy of LoadOptions
// and errors that carry the log and the failing source line.
#pragma once

#include <bpfxx/object.hpp>
#include <bpfxx/program.hpp>

#include <span>

namespace bpfxx::detail {

struct ProgramLoadParams {
  const ProgramSpec* spec = nullptr;
  const ObjectSpec* object = nullptr;  // for BTF strings (source lines)
  std::vector<Insn> insns;             // relocated
  int btf_fd = -1;                     // the object's BTF, for func/line info
  uint32_t attach_btf_id = 0;
  // BPF_PROG_LOAD's fd_array: module BTF fds that kfunc calls index with
  // their `off` (slot 0 unused: off 0 means vmlinux). Empty: none.
  std::span<const int> fd_array;
  const LoadOptions* options = nullptr;
};

struct ProgramAccess {
  static Result<Program> load(const ProgramLoadParams& params);
};

// The kernel BTF id a tp_btf/fentry/fexit/fmod_ret/lsm/iter program attaches
// to, found from the section's target.
Result<uint32_t> find_attach_btf_id(const ProgramSpec& spec, const btf::Spec& kernel_btf);

}  // namespace bpfxx::detail
