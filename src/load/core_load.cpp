#include "load/core_load.hpp"

#include "load/verifier_log.hpp"

#include <fmt/format.h>

namespace bpfxx::detail {

namespace {

// What to write so that kernels without the thing skip the code using it.
std::string guard_hint(btf::CoreReloKind kind) {
  switch (kind) {
    case btf::CoreReloKind::EnumValue:
      return "check bpf_core_enum_value_exists() before using the value, so kernels without it skip that code";
    default:
      return "guard the access with bpf_core_field_exists(), so kernels without the field skip it, or read it "
             "through a ___flavor of the type for each kernel layout";
  }
}

// The name a reader looks for in the source: the last member, enumerator
// or type of the access ("comm" for "task_struct->comm").
std::string_view last_name(std::string_view access) {
  size_t cut = access.find_last_of(">.:");
  std::string_view name = cut == std::string_view::npos ? access : access.substr(cut + 1);
  if (size_t sp = name.rfind(' '); sp != std::string_view::npos) name.remove_prefix(sp + 1);  // "struct foo"
  if (size_t br = name.find('['); br != std::string_view::npos) name = name.substr(0, br);    // "arr[2]"
  return name;
}

// The source line of a relocated instruction. Clang often hoists a
// relocated constant (an offset held in a register) above the first
// instruction of the line that uses it, so the line_info record before it
// names the previous statement; when that line does not mention the field
// and the next recorded line does, the next one is the line meant.
std::optional<SourceLine> line_for(const ProgramSpec& program, const btf::Spec* btf, const CoreReport& r) {
  std::optional<SourceLine> at = source_line_for(program, btf, r.insn_index);
  std::string_view name = last_name(r.access);
  if (name.empty() || (at && at->text.find(name) != std::string::npos)) return at;
  for (const LineInfoRecord& rec : program.line_info) {
    // Line 0 marks code the compiler made up; it names no statement.
    if (rec.insn_index <= r.insn_index || rec.line == 0 || (at && rec.line == at->line)) continue;
    std::optional<SourceLine> next = source_line_for(program, btf, rec.insn_index);
    if (next && next->text.find(name) != std::string::npos) {
      next->insn_index = r.insn_index;
      return next;
    }
    break;
  }
  return at;
}

}  // namespace

Result<std::vector<CoreReport>> relocate_program_core(std::vector<Insn>& insns, const ProgramSpec& program,
                                                      const ObjectSpec& object, reloc::CoreTargets& targets) {
  if (!object.btf) {
    return Error(Errc::InvalidInput,
                 fmt::format("program '{}' has CO-RE relocations but the object has no BTF", program.name))
        .with_op("CO-RE relocation")
        .with_program(program.name);
  }
  std::vector<CoreReport> reports = reloc::apply_core_relocations(insns, program, *object.btf, targets, reloc::CoreDetail::ProblemsOnly);
  for (size_t i = 0; i < reports.size(); ++i) {
    const CoreReport& r = reports[i];
    if (r.outcome != CoreOutcome::Failed) continue;
    Error e = Error(Errc::RelocationFailed,
                    fmt::format("CO-RE relocation #{} of program '{}' ({} of {}, instruction {}) failed: {}", i,
                                program.name, btf::to_string(r.kind), r.access, r.insn_index, r.reason))
                  .with_op("CO-RE relocation")
                  .with_program(program.name);
    if (auto line = line_for(program, object.btf.get(), r)) std::move(e).with_source_line(*line);
    return e;
  }
  return reports;
}

Error explain_poisoned(Error err, const ProgramSpec& program, const ObjectSpec& object,
                       std::span<const CoreReport> reports) {
  if (!reached_placeholder_call(err, reloc::kPoisonHelperId)) return err;
  std::optional<uint32_t> at = failing_insn(err.verifier_log());
  const CoreReport* hit = nullptr;
  for (const CoreReport& r : reports) {
    if (r.outcome != CoreOutcome::Poisoned) continue;
    // The second half of a poisoned ld_imm64 counts too.
    if (!at || r.insn_index == *at || r.insn_index + 1 == *at) {
      hit = &r;
      break;
    }
  }
  if (hit == nullptr) return err;
  Error e = Error(Errc::RelocationFailed,
                  fmt::format("program '{}' uses {} ({}, local type {}), which the kernel's BTF cannot provide: {}; "
                              "bpfxx poisoned instruction {} and the verifier reached it",
                              program.name, hit->access, btf::to_string(hit->kind), hit->local_type, hit->reason,
                              hit->insn_index))
                .with_op("load program")
                .with_program(program.name)
                .with_hint(guard_hint(hit->kind));
  return with_refusal_context(std::move(e), err, line_for(program, object.btf.get(), *hit));
}

void note_poisoned(const ProgramSpec& program, std::span<const CoreReport> reports, std::vector<std::string>& notes) {
  for (const CoreReport& r : reports) {
    if (r.outcome != CoreOutcome::Poisoned) continue;
    notes.push_back(fmt::format("program '{}': CO-RE relocation of {} ({}) at instruction {} was poisoned ({}); the "
                                "verifier found it unreachable",
                                program.name, r.access, btf::to_string(r.kind), r.insn_index, r.reason));
  }
}

}  // namespace bpfxx::detail
