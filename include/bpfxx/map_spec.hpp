// bpfxx::MapSpec: the blueprint of one map, as parsed from an object file.
//
// A spec is a value: copy it, edit it (max_entries, flags, initial contents of
// a global data section) and hand it to Object::load. It makes no syscalls.
//
// Thread safety: as std::vector.
#pragma once

#include <bpfxx/btf/types.hpp>
#include <bpfxx/uapi.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bpfxx {

// Where a map was defined.
enum class MapOrigin : uint8_t {
  BtfDefined,  // a variable in SEC(".maps") described by BTF
  Legacy,      // a struct bpf_map_def in SEC("maps")
  Data,        // a global data section: .data, .rodata, .bss, .data.*, .rodata.*
  Inner,       // the template of a map-in-map's inner maps
};
std::string_view to_string(MapOrigin origin) noexcept;

enum class PinType : uint32_t { None = 0, ByName = 1 };

// Map creation flags (BPF_F_* of the map_flags field), the ones bpfxx sets itself.
inline constexpr uint32_t kMapFlagNoPrealloc = 1u << 0;
inline constexpr uint32_t kMapFlagRdonlyProg = 1u << 7;
inline constexpr uint32_t kMapFlagMmapable = 1u << 10;

// A variable in a global data section.
struct VariableSpec {
  std::string name;
  uint32_t offset = 0;  // within the section
  uint32_t size = 0;
  btf::TypeId type = 0;  // the VAR's type in the object's BTF, 0 without BTF
  bool is_global = false;  // false for `static` variables
  bool operator==(const VariableSpec&) const = default;
};

// An initial slot of a map-in-map or a program array, from `.values = {...}`.
struct MapSlotInit {
  uint32_t index = 0;
  std::string target;  // a map name (map-in-map) or a program name (prog array)
  bool operator==(const MapSlotInit&) const = default;
};

class MapSpec {
 public:
  std::string name;     // the symbol or section name: "events", ".rodata"
  std::string section;  // the ELF section: ".maps", "maps", ".data"
  MapOrigin origin = MapOrigin::BtfDefined;
  MapType type = MapType::Unspec;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  uint32_t flags = 0;
  uint32_t numa_node = 0;
  uint64_t map_extra = 0;
  PinType pinning = PinType::None;
  btf::TypeId key_type = 0;    // in ObjectSpec::btf; 0 when not described
  btf::TypeId value_type = 0;  // for data sections, the DATASEC
  // Template of inner maps (map-in-map), from `__array(values, struct {...})`.
  std::shared_ptr<const MapSpec> inner;
  std::vector<MapSlotInit> initial_slots;
  // Global data: the section's initial bytes, editable. Empty means all
  // zeros (a .bss until something is written): the loader then writes
  // nothing, and no memory is spent on sections the file only sizes.
  std::vector<std::byte> contents;
  std::vector<VariableSpec> variables;
  bool read_only = false;  // .rodata*: frozen after its contents are written

  const VariableSpec* variable(std::string_view var_name) const noexcept;
  bool operator==(const MapSpec& other) const;
};

}  // namespace bpfxx
