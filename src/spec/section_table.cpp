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

std::string_view first_segment(std::string_view name) { return name.substr(0, name.find('/')); }

// Rows grouped by their first segment (the text before the first '/'),
// groups sorted by segment and each group longest name first. A section can
// only match rows of its own first segment, so classifying one is a binary
// lookup among ~75 short segments and a scan of a group of one to a few
// rows, instead of a search of the whole table for every '/' prefix.
// The groups are found by hashing the segment into an open-addressed table
// built once: one hash and usually one comparison, where a binary search
// over the segments costs a string comparison per step.
constexpr size_t kSlots = 256;  // a power of two, over 2x the segments
static_assert(std::size(kSections) < kSlots / 2, "grow kSlots with the section table");

uint32_t segment_hash(std::string_view s) noexcept {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  return h;
}

struct SegmentIndex {
  std::array<uint16_t, std::size(kSections)> rows{};
  std::array<std::string_view, std::size(kSections)> segments{};  // first `count` used
  std::array<uint16_t, std::size(kSections) + 1> group_start{};
  std::array<uint8_t, kSlots> slots{};  // group + 1, 0 for an empty slot
  size_t count = 0;
};

const SegmentIndex& segment_index() {
  static const SegmentIndex index = [] {
    SegmentIndex x;
    for (size_t i = 0; i < x.rows.size(); ++i) x.rows[i] = static_cast<uint16_t>(i);
    std::sort(x.rows.begin(), x.rows.end(), [](uint16_t a, uint16_t b) {
      std::string_view sa = first_segment(kSections[a].name), sb = first_segment(kSections[b].name);
      if (sa != sb) return sa < sb;
      return kSections[a].name.size() > kSections[b].name.size();
    });
    for (size_t i = 0; i < x.rows.size(); ++i) {
      std::string_view seg = first_segment(kSections[x.rows[i]].name);
      if (x.count == 0 || x.segments[x.count - 1] != seg) {
        x.segments[x.count] = seg;
        x.group_start[x.count] = static_cast<uint16_t>(i);
        ++x.count;
      }
    }
    x.group_start[x.count] = static_cast<uint16_t>(x.rows.size());
    for (size_t g = 0; g < x.count; ++g) {
      size_t slot = segment_hash(x.segments[g]) & (kSlots - 1);
      while (x.slots[slot] != 0) slot = (slot + 1) & (kSlots - 1);
      x.slots[slot] = static_cast<uint8_t>(g + 1);
    }
    return x;
  }();
  return index;
}

}  // namespace

std::optional<SectionInfo> classify_section(std::string_view section) noexcept {
  // A row NAME matches the section NAME or NAME/<target>; the longest
  // matching row wins ("tc/ingress" over "tc").
  const SegmentIndex& x = segment_index();
  const std::string_view seg = first_segment(section);
  size_t group = 0;
  for (size_t slot = segment_hash(seg) & (kSlots - 1);; slot = (slot + 1) & (kSlots - 1)) {
    if (x.slots[slot] == 0) return std::nullopt;
    group = x.slots[slot] - 1u;
    if (x.segments[group] == seg) break;
  }
  for (size_t k = x.group_start[group]; k < x.group_start[group + 1]; ++k) {
    const SectionDef& d = kSections[x.rows[k]];
    const size_t n = d.name.size();
    if (section.size() < n || section.compare(0, n, d.name) != 0) continue;
    if (section.size() != n && section[n] != '/') continue;
    SectionInfo info;
    info.prefix = d.name;
    info.type = d.type;
    if (d.has_attach_type) info.expected_attach_type = d.attach_type;
    info.flags = d.flags;
    info.attach_kind = d.attach_kind;
    info.target = section.size() == n ? std::string_view() : section.substr(n + 1);
    return info;
  }
  return std::nullopt;
}

}  // namespace bpfxx
