// CO-RE at load time: relocating a program against the kernel's BTF, and
// turning a verifier rejection at a poisoned instruction into an error that
// says which relocation failed and what the kernel lacks.
#pragma once

#include <bpfxx/core.hpp>
#include <bpfxx/object_spec.hpp>

#include "reloc/core.hpp"

#include <span>
#include <string>
#include <vector>

namespace bpfxx::detail {

// Applies `program`'s CO-RE relocations to `insns`. A broken relocation is a
// RelocationFailed error carrying the source line of its instruction.
Result<std::vector<CoreReport>> relocate_program_core(std::vector<Insn>& insns, const ProgramSpec& program,
                                                      const ObjectSpec& object, reloc::CoreTargets& targets);

// When `err` is the verifier refusing an instruction that a CO-RE
// relocation poisoned, a RelocationFailed error naming the program, the
// source line, the access and what the kernel's BTF lacks, with the
// verifier's log attached; otherwise `err` unchanged.
Error explain_poisoned(Error err, const ProgramSpec& program, const ObjectSpec& object,
                       std::span<const CoreReport> reports);

// One note per poisoned relocation of a program that loaded anyway (the
// verifier found the code using it unreachable), so a guard that took the
// "missing" branch is visible in Object::notes() and the log.
void note_poisoned(const ProgramSpec& program, std::span<const CoreReport> reports, std::vector<std::string>& notes);

}  // namespace bpfxx::detail
