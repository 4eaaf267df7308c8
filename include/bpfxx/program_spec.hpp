// bpfxx::ProgramSpec: the blueprint of one BPF program, linked and ready to
// load once its map references get file descriptors.
//
// Subprograms it calls (transitively) are already appended to `insns`, with
// call offsets, func_info, line_info and CO-RE records adjusted to the final
// instruction indexes. What remains for the loader is listed in
// `relocations`: references to maps and global data, and externs.
//
// Thread safety: as std::vector.
#pragma once

#include <bpfxx/btf/ext.hpp>
#include <bpfxx/insn.hpp>
#include <bpfxx/uapi.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bpfxx {

enum class RelocKind : uint8_t {
  MapFd,     // ld_imm64 of a map: imm becomes the map's fd
  MapValue,  // ld_imm64 of global data: map fd + offset into the value
  Call,      // a BPF-to-BPF call (resolved during linking; listed for dumps)
  Func,      // ld_imm64 of a subprogram address (callbacks; resolved during linking)
  Extern,    // an extern variable or function (.kconfig, .ksyms, kfuncs)
};
std::string_view to_string(RelocKind kind) noexcept;

struct InsnRelocation {
  uint32_t insn_index = 0;  // in ProgramSpec::insns
  RelocKind kind = RelocKind::MapFd;
  std::string target;       // the map, subprogram or extern name
  uint32_t offset = 0;      // MapValue: byte offset within the map's value
  bool operator==(const InsnRelocation&) const = default;
};

struct FuncInfoRecord {
  uint32_t insn_index = 0;
  btf::TypeId type_id = 0;
  bool operator==(const FuncInfoRecord&) const = default;
};

struct LineInfoRecord {
  uint32_t insn_index = 0;
  uint32_t file_name_off = 0;  // into the object's BTF strings
  uint32_t line_off = 0;
  uint32_t line = 0;
  uint32_t column = 0;
  bool operator==(const LineInfoRecord&) const = default;
};

struct CoreRelocation {
  uint32_t insn_index = 0;
  btf::TypeId type_id = 0;
  uint32_t access_str_off = 0;
  btf::CoreReloKind kind = btf::CoreReloKind::FieldByteOffset;
  bool operator==(const CoreRelocation&) const = default;
};

// A function placed in a program's instructions: the entry function at 0 and
// each appended subprogram.
struct FunctionPlacement {
  std::string name;
  uint32_t insn_index = 0;
  uint32_t insn_count = 0;
  bool operator==(const FunctionPlacement&) const = default;
};

class ProgramSpec {
 public:
  std::string name;
  std::string section;
  ProgType type = ProgType::Unspec;
  std::optional<AttachType> expected_attach_type;
  AttachKind attach_kind = AttachKind::None;
  std::string attach_target;  // the part after "prefix/": "syscalls/sys_enter_mmap"
  uint32_t section_flags = 0; // kSectionSleepable | kSectionAttachBtf | kSectionXdpFrags
  std::string license;
  uint32_t kernel_version = 0;
  // False for sections written "?name": Object::load skips the program
  // unless the caller sets this to true.
  bool autoload = true;

  std::vector<Insn> insns;
  std::vector<InsnRelocation> relocations;
  std::vector<FunctionPlacement> functions;
  std::vector<FuncInfoRecord> func_info;
  std::vector<LineInfoRecord> line_info;
  std::vector<CoreRelocation> core_relocations;

  // Instruction count as the kernel counts (ld_imm64 counts twice).
  size_t insn_count() const noexcept { return insns.size(); }
  bool operator==(const ProgramSpec&) const = default;
};

// What a section name says about a program; nullopt for unknown names.
struct SectionInfo {
  std::string_view prefix;
  ProgType type = ProgType::Unspec;
  std::optional<AttachType> expected_attach_type;
  uint32_t flags = 0;
  AttachKind attach_kind = AttachKind::None;
  std::string_view target;  // after "prefix/"; empty when none
};
std::optional<SectionInfo> classify_section(std::string_view section) noexcept;

}  // namespace bpfxx
