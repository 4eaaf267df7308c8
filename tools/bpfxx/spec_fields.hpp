// ObjectSpec fields spelled for people, shared by the text and JSON output so
// both say the same thing the same way.
#pragma once

#include <bpfxx/object_spec.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bpfxx::cli {

// "little" or "big".
std::string_view endianness(const ObjectSpec& spec) noexcept;
// "5.10.0" for KERNEL_VERSION(5, 10, 0); nullopt for 0 (no "version" section).
std::optional<std::string> kernel_version_text(uint32_t version);
// Types in the object's BTF, void excluded; nullopt without BTF.
std::optional<uint32_t> btf_type_count(const ObjectSpec& spec);
// The expected attach type's name; nullopt when the section sets none.
std::optional<std::string> attach_type_name(const ProgramSpec& program);
// "none" or "by_name".
std::string_view pinning_name(PinType pinning) noexcept;
// The C spelling of a BTF type ("struct value", "__u32"); nullopt when the
// object has no BTF or the id is 0.
std::optional<std::string> c_type_name(const ObjectSpec& spec, btf::TypeId id);
// One line about a map-in-map's inner map template:
// "array key 4 value 8 max_entries 4"; nullopt when there is none.
std::optional<std::string> inner_map_summary(const MapSpec& map);

// What a CO-RE relocation refers to: the local type's C name and the access
// string ("struct task_struct" and "0:1"); "?" for what BTF does not hold.
struct CoreTarget {
  std::string type;
  std::string access;
};
CoreTarget core_target(const ObjectSpec& spec, const CoreRelocation& relo);

// A global variable with the data section map that holds it.
struct VariableRow {
  const MapSpec* map;
  const VariableSpec* var;
};
// Every variable of every map, in map order then offset order as parsed.
std::vector<VariableRow> all_variables(const ObjectSpec& spec);

}  // namespace bpfxx::cli
