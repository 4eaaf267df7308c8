#include "reloc/map_refs.hpp"

#include <fmt/format.h>

namespace bpfxx::reloc {

Result<std::vector<Insn>> resolve_map_references(const ProgramSpec& program, std::span<const MapFd> maps) {
  auto fail = [&](Errc code, std::string msg) {
    return Error(code, std::move(msg)).with_op("relocate program").with_program(program.name);
  };
  std::vector<Insn> insns = program.insns;
  for (const InsnRelocation& r : program.relocations) {
    // Calls were resolved when linking; externs are reloc/externs.cpp's.
    if (r.kind == RelocKind::Call || r.kind == RelocKind::Func || r.kind == RelocKind::Extern) continue;
    if (r.insn_index + 1 >= insns.size() || !insn::is_ld_imm64(insns[r.insn_index])) {
      return fail(Errc::RelocationFailed,
                  fmt::format("instruction {} referring to map '{}' is not a ld_imm64", r.insn_index, r.target));
    }
    std::optional<int> fd;
    for (const MapFd& m : maps) {
      if (m.name == r.target) {
        fd = m.fd;
        break;
      }
    }
    if (!fd) {
      return fail(Errc::RelocationFailed,
                  fmt::format("instruction {} refers to map '{}', which was not created", r.insn_index, r.target))
          .with_map(r.target);
    }
    Insn& lo = insns[r.insn_index];
    Insn& hi = insns[r.insn_index + 1];
    lo.imm = *fd;
    if (r.kind == RelocKind::MapFd) {
      lo.set_src(insn::kPseudoMapFd);
      hi.imm = 0;
    } else {
      lo.set_src(insn::kPseudoMapValue);
      hi.imm = static_cast<int32_t>(r.offset);
    }
  }
  return insns;
}

}  // namespace bpfxx::reloc
