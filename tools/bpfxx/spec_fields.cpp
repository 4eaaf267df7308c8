#include "spec_fields.hpp"

#include <fmt/format.h>

namespace bpfxx::cli {

std::string_view endianness(const ObjectSpec& spec) noexcept { return spec.big_endian ? "big" : "little"; }

std::optional<std::string> kernel_version_text(uint32_t version) {
  if (version == 0) return std::nullopt;
  // KERNEL_VERSION(a, b, c) is (a << 16) + (b << 8) + c, c saturating at 255.
  return fmt::format("{}.{}.{}", version >> 16, (version >> 8) & 0xff, version & 0xff);
}

std::optional<uint32_t> btf_type_count(const ObjectSpec& spec) {
  if (!spec.btf) return std::nullopt;
  return spec.btf->type_count() - 1;  // id 0 (void) is not a record
}

std::optional<std::string> attach_type_name(const ProgramSpec& program) {
  if (!program.expected_attach_type) return std::nullopt;
  return std::string(to_string(*program.expected_attach_type));
}

std::string_view pinning_name(PinType pinning) noexcept {
  switch (pinning) {
    case PinType::None: return "none";
    case PinType::ByName: return "by_name";
  }
  return "unknown";
}

std::optional<std::string> c_type_name(const ObjectSpec& spec, btf::TypeId id) {
  if (!spec.btf || id == 0) return std::nullopt;
  return spec.btf->c_name(id);
}

std::optional<std::string> inner_map_summary(const MapSpec& map) {
  if (!map.inner) return std::nullopt;
  const MapSpec& in = *map.inner;
  return fmt::format("{} key {} value {} max_entries {}", to_string(in.type), in.key_size, in.value_size,
                     in.max_entries);
}

CoreTarget core_target(const ObjectSpec& spec, const CoreRelocation& relo) {
  CoreTarget t{"?", "?"};
  if (!spec.btf) return t;
  t.type = spec.btf->c_name(relo.type_id);
  if (auto access = spec.btf->string_at(relo.access_str_off)) t.access = std::string(*access);
  return t;
}

std::vector<VariableRow> all_variables(const ObjectSpec& spec) {
  std::vector<VariableRow> rows;
  for (const MapSpec& m : spec.maps) {
    for (const VariableSpec& v : m.variables) rows.push_back({&m, &v});
  }
  return rows;
}

}  // namespace bpfxx::cli
