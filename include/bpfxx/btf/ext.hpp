// btf::Ext: the .BTF.ext section, parsed into per-section record lists.
//
// .BTF.ext carries, for each code section, the BTF FUNC of each function
// (func_info), the source line of instructions (line_info) and the CO-RE
// relocations clang emitted. Offsets are in bytes as the file stores them;
// the object model converts them to instruction indexes per program. String
// references stay offsets into the object's BTF string table, because that is
// what the kernel wants back. Section names view the BTF's string table.
//
// Thread safety: a value type.
#pragma once

#include <bpfxx/btf/spec.hpp>

#include <string>
#include <vector>

namespace bpfxx::btf {

struct FuncInfo {
  uint32_t byte_offset = 0;  // of the function's first instruction in its section
  TypeId type_id = 0;        // a FUNC
  bool operator==(const FuncInfo&) const = default;
};

struct LineInfo {
  uint32_t byte_offset = 0;
  uint32_t file_name_off = 0;  // into the BTF string table
  uint32_t line_off = 0;       // the source text of the line, in the string table
  uint32_t line = 0;
  uint32_t column = 0;
  bool operator==(const LineInfo&) const = default;
};

// CO-RE relocation kinds, numbered as in the BTF.ext format.
enum class CoreReloKind : uint32_t {
  FieldByteOffset = 0,
  FieldByteSize = 1,
  FieldExists = 2,
  FieldSigned = 3,
  FieldLShiftU64 = 4,
  FieldRShiftU64 = 5,
  TypeIdLocal = 6,
  TypeIdTarget = 7,
  TypeExists = 8,
  TypeSize = 9,
  EnumValueExists = 10,
  EnumValue = 11,
  TypeMatches = 12,
};
std::string_view to_string(CoreReloKind kind) noexcept;

struct CoreRelo {
  uint32_t byte_offset = 0;
  TypeId type_id = 0;           // the local (program-side) root type
  uint32_t access_str_off = 0;  // "0:1:2" style access string, in the string table
  CoreReloKind kind = CoreReloKind::FieldByteOffset;
  bool operator==(const CoreRelo&) const = default;
};

template <typename Record>
struct ExtSection {
  // The code section these records belong to. It views the BTF's string
  // table: valid while the btf::Spec given to Ext::parse lives unmodified.
  std::string_view section;
  std::vector<Record> records;
  bool operator==(const ExtSection&) const = default;
};

class Ext {
 public:
  // Parses .BTF.ext; section names resolve through `btf`'s string table.
  static Result<Ext> parse(std::span<const std::byte> bytes, const Spec& btf);

  const std::vector<ExtSection<FuncInfo>>& func_infos() const noexcept { return func_infos_; }
  const std::vector<ExtSection<LineInfo>>& line_infos() const noexcept { return line_infos_; }
  const std::vector<ExtSection<CoreRelo>>& core_relos() const noexcept { return core_relos_; }

  const ExtSection<FuncInfo>* func_infos_for(std::string_view section) const noexcept;
  const ExtSection<LineInfo>* line_infos_for(std::string_view section) const noexcept;
  const ExtSection<CoreRelo>* core_relos_for(std::string_view section) const noexcept;

  bool operator==(const Ext&) const = default;

 private:
  std::vector<ExtSection<FuncInfo>> func_infos_;
  std::vector<ExtSection<LineInfo>> line_infos_;
  std::vector<ExtSection<CoreRelo>> core_relos_;
};

}  // namespace bpfxx::btf
