// The section-name table: data generated from tools/gen/inputs/sections.txt.
#include <bpfxx/program_spec.hpp>

#include <array>

namespace bpfxx {

namespace {

struct SectionDef {
  std::string_view name;
  ProgType type;
  AttachType attach_type;
  bool has_attach_type;
  uint32_t flags;
  AttachKind attach_kind;
};

constexpr SectionDef kSections[] = {
#include "section_table.inc"
};

}  // namespace

std::optional<SectionInfo> classify_section(std::string_view section) noexcept {
  // Rows are sorted longest first, so the first match is the most specific.
  for (const SectionDef& d : kSections) {
    if (section.size() < d.name.size() || section.compare(0, d.name.size(), d.name) != 0) continue;
    std::string_view rest = section.substr(d.name.size());
    if (!rest.empty() && rest[0] != '/') continue;  // "tcx" must not match "tcxyz"
    SectionInfo info;
    info.prefix = d.name;
    info.type = d.type;
    if (d.has_attach_type) info.expected_attach_type = d.attach_type;
    info.flags = d.flags;
    info.attach_kind = d.attach_kind;
    info.target = rest.empty() ? rest : rest.substr(1);
    return info;
  }
  return std::nullopt;
}

}  // namespace bpfxx
