// Resolving a linked program's map and global-data references to file
// descriptors: a pure function of the ProgramSpec and a name -> fd lookup.
#pragma once

#include <bpfxx/object_spec.hpp>
#include <bpfxx/result.hpp>

#include <span>
#include <optional>
#include <string_view>
#include <vector>

namespace bpfxx::reloc {

// A created map: its name in the spec and its file descriptor.
struct MapFd {
  std::string_view name;
  int fd = -1;
};

// Returns the program's instructions with every MapFd and MapValue reference
// patched (BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE). Externs are
// reloc/externs.hpp's job and CO-RE relocations reloc/core.hpp's.
Result<std::vector<Insn>> resolve_map_references(const ProgramSpec& program, std::span<const MapFd> maps);

}  // namespace bpfxx::reloc
