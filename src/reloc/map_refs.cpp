#include "reloc/map_refs.hpp"

#include <fmt/format.h>

namespace bpfxx::reloc {

Result<std::vector<Insn>> resolve_map_references(const ProgramSpec& program, std::span<const MapFd> maps) {
  auto fail = [&](Errc code, std::string msg) {
    return Error(code, std::move(msg)).with_op("relocate program").with_program(program.name);
  };
  std::vector<Insn> insns = program.insns;
  size_t last = 0;
  for (const InsnRelocation& r : program.relocations) {
    // Calls were resolved when linking; externs are reloc/externs.cpp's.
    if (r.kind == RelocKind::Call || r.kind == RelocKind::Func || r.kind == RelocKind::Extern) continue;
    if (r.insn_index + 1 >= insns.size() || !insn::is_ld_imm64(insns[r.insn_index])) {
      return fail(Errc::RelocationFailed,
                  fmt::format("instruction {} referring to map '{}' is not a ld_imm64", r.insn_index, r.target));
    }
    // Neighbouring references mostly name the same map (a function's
    // globals), so the last one found is tried first.
    std::optional<int> fd;
    if (last < maps.size() && maps[last].name == r.target) {
      fd = maps[last].fd;
    } else {
      for (size_t i = 0; i < maps.size(); ++i) {
        if (maps[i].name == r.target) {
          fd = maps[i].fd;
          last = i;
          break;
        }
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
