// check_portability: every CO-RE relocation of an object against any BTF,
// without a kernel; and the one-line rendering of a CoreReport.
#include <bpfxx/core.hpp>
#include <bpfxx/object_spec.hpp>

#include "reloc/core.hpp"

#include <fmt/format.h>

namespace bpfxx {

std::string_view to_string(CoreOutcome outcome) noexcept {
  switch (outcome) {
    case CoreOutcome::Resolved: return "resolved";
    case CoreOutcome::Missing: return "missing";
    case CoreOutcome::Poisoned: return "poisoned";
    case CoreOutcome::Failed: return "failed";
  }
  return "unknown";
}

std::string CoreReport::describe() const {
  std::string head = fmt::format("{} insn {} {} {}", program, insn_index, btf::to_string(kind), access);
  switch (outcome) {
    case CoreOutcome::Resolved:
      return fmt::format("{}: {} -> {}{}", head, local_value, target_value,
                         target_source.empty() ? "" : fmt::format(" ({} [{}])", target_source, target_type_id));
    case CoreOutcome::Missing: return fmt::format("{}: missing, 0 ({})", head, reason);
    case CoreOutcome::Poisoned:
      return fmt::format("{}: poisoned{} ({})", head, guarded ? ", guarded" : ", reachable: the load will fail",
                         reason);
    case CoreOutcome::Failed: return fmt::format("{}: failed ({})", head, reason);
  }
  return head;
}

Result<std::vector<CoreReport>> check_portability(const ObjectSpec& spec, const btf::Spec& target) {
  reloc::CoreTargets targets(target, "target");
  std::vector<CoreReport> all;
  for (const ProgramSpec& p : spec.programs) {
    if (p.core_relocations.empty()) continue;
    if (!spec.btf) {
      return Error(Errc::InvalidInput,
                   fmt::format("program '{}' has CO-RE relocations but object '{}' has no BTF", p.name, spec.name))
          .with_op("check CO-RE portability")
          .with_object(spec.name)
          .with_program(p.name);
    }
    std::vector<Insn> insns = p.insns;
    std::vector<CoreReport> reports = reloc::apply_core_relocations(insns, p, *spec.btf, targets);
    // Map and extern references get their values at load time.
    std::vector<uint32_t> opaque;
    opaque.reserve(p.relocations.size());
    for (const InsnRelocation& r : p.relocations) opaque.push_back(r.insn_index);
    reloc::mark_guarded(insns, opaque, reports);
    for (CoreReport& r : reports) all.push_back(std::move(r));
  }
  return all;
}

}  // namespace bpfxx
