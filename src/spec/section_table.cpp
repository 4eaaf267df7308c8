// The section-name table: data generated from tools/gen/inputs/sections.txt.
#include <bpfxx/program_spec.hpp>

#include <algorithm>
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

namespace {

// Row indexes sorted by name, built once, for binary search.
const std::array<uint16_t, std::size(kSections)>& rows_by_name() {
  static const auto sorted = [] {
    std::array<uint16_t, std::size(kSections)> idx{};
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<uint16_t>(i);
    std::sort(idx.begin(), idx.end(), [](uint16_t a, uint16_t b) { return kSections[a].name < kSections[b].name; });
    return idx;
  }();
  return sorted;
}

const SectionDef* row_named(std::string_view name) {
  const auto& idx = rows_by_name();
  auto it = std::lower_bound(idx.begin(), idx.end(), name,
                             [](uint16_t row, std::string_view n) { return kSections[row].name < n; });
  if (it == idx.end() || kSections[*it].name != name) return nullptr;
  return &kSections[*it];
}

}  // namespace

std::optional<SectionInfo> classify_section(std::string_view section) noexcept {
  // A row NAME matches the section NAME or NAME/<target>. The candidates are
  // the section itself and each prefix ending before a '/'; the longest one
  // that names a row wins ("tc/ingress" over "tc").
  size_t cut = section.size();
  for (;;) {
    if (const SectionDef* d = row_named(section.substr(0, cut))) {
      SectionInfo info;
      info.prefix = d->name;
      info.type = d->type;
      if (d->has_attach_type) info.expected_attach_type = d->attach_type;
      info.flags = d->flags;
      info.attach_kind = d->attach_kind;
      info.target = cut == section.size() ? std::string_view() : section.substr(cut + 1);
      return info;
    }
    if (cut == 0) return std::nullopt;
    size_t slash = section.rfind('/', cut - 1);
    if (slash == std::string_view::npos) return std::nullopt;
    cut = slash;
  }
}

}  // namespace bpfxx
