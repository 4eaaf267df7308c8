// The state shared by the steps that turn an ELF file into an ObjectSpec:
// section classification, the functions found in code sections, and the
// map layout needed to resolve relocations. Internal to spec/.
#pragma once

#include <bpfxx/object_spec.hpp>

#include "elf/elf_file.hpp"

#include <cstring>
#include <map>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace bpfxx::spec {

enum class SectionRole : uint8_t {
  Ignored,   // symbol tables, relocations, debug info, .BTF...
  Code,      // an executable section: programs, or subprograms in .text
  Maps,      // .maps (BTF-defined maps)
  LegacyMaps,// maps (struct bpf_map_def)
  Data,      // .data*, .rodata*, .bss*
  License,
  Version,
  Other,     // allocated sections bpfxx does not support yet (.struct_ops...)
};

// A relocation of one instruction of a function, before linking.
struct PendingReloc {
  uint32_t function = 0;    // index in ParseContext::functions
  uint32_t insn_index = 0;  // within the function
  RelocKind kind = RelocKind::MapFd;
  std::string_view target;  // map or extern name (views the spec's map names or ELF strings)
  uint32_t offset = 0;      // MapValue offset
  // Call/Func: the target, as a section and instruction index in it.
  uint32_t target_section = 0;
  int64_t target_insn = 0;
};

// A function symbol's code. Names view the ELF file's string tables and the
// code its bytes, which outlive the parse; instructions are decoded only
// when linking copies them into a program.
struct Function {
  std::string_view name;
  uint32_t section = 0;       // ELF section index
  std::string_view section_name;
  uint64_t byte_offset = 0;   // within the section
  uint64_t byte_size = 0;
  bool is_program = false;    // an entry point (not in .text)
  std::span<const std::byte> code;
  uint32_t reloc_begin = 0;   // this function's range in ParseContext::relocs
  uint32_t reloc_end = 0;
  uint32_t insn_count() const noexcept { return static_cast<uint32_t>(byte_size / 8); }
};

// A map's place in .maps / maps, to resolve references by offset.
struct MapPlacement {
  uint32_t section = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  size_t map_index = 0;   // in ObjectSpec::maps
  uint64_t values_offset = 0;  // byte offset of the `values` array (map-in-map)
  bool has_values = false;
};

// Everything here lives for one parse. Its containers draw from an arena
// that starts in the context itself and is released all at once, so the
// parse's temporaries cost no malloc/free pairs for typical objects.
struct ParseContext {
  template <typename T>
  using Vec = std::pmr::vector<T>;

  ParseContext() = default;
  ParseContext(const ParseContext&) = delete;
  ParseContext& operator=(const ParseContext&) = delete;

  alignas(std::max_align_t) std::byte arena_buffer[24 * 1024];
  std::pmr::monotonic_buffer_resource arena{arena_buffer, sizeof(arena_buffer)};

  const elf::File* elf = nullptr;
  ObjectSpec* spec = nullptr;
  btf::Spec* btf = nullptr;  // mutable until the parse ends; null without BTF
  std::optional<btf::Ext> ext;
  Vec<SectionRole> roles{&arena};  // by section index
  Vec<Function> functions{&arena};
  Vec<PendingReloc> relocs{&arena};  // sorted by (function, insn_index)
  Vec<MapPlacement> map_places{&arena};
  // Section index -> ObjectSpec::maps index of its data map, or kNoMap.
  static constexpr size_t kNoMap = ~size_t{0};
  Vec<size_t> data_map_by_section{&arena};
  // Built once, so later steps do not rescan the symbol table or the BTF.
  // Symbols grouped by section: those of section i are
  // section_symbols[section_symbol_start[i] .. section_symbol_start[i + 1]).
  Vec<const elf::Symbol*> section_symbols{&arena};
  Vec<uint32_t> section_symbol_start{&arena};
  struct Datasec {
    std::string_view name;
    btf::TypeId id = 0;
    uint32_t section = 0;  // the ELF section it describes; 0 for the extern ones (.kconfig, .ksyms)
  };
  Vec<Datasec> datasecs{&arena};
  // Section index -> the DATASEC describing it (0: none).
  Vec<btf::TypeId> datasec_by_section{&arena};
  // The sections later steps visit, so they need not walk the whole section
  // table again (most of an object's sections are debug info): those with a
  // role other than Ignored, and the relocation tables, in index order.
  Vec<uint32_t> roled_sections{&arena};
  Vec<uint32_t> rel_sections{&arena};

  Error error(std::string message) const;
  // The object symbol `name` defined in `section`, if any.
  const elf::Symbol* symbol_in(uint32_t section, std::string_view name) const;
  std::span<const elf::Symbol* const> symbols_of(uint32_t section) const;
  std::optional<btf::TypeId> datasec(std::string_view name) const;
  const ExternSpec* extern_named(std::string_view name) const;
  // The function of `section` that starts at byte_offset, if any.
  const Function* function_at(uint32_t section, uint64_t byte_offset) const;
  // Decodes instruction i of f (host layout: big-endian objects have their
  // register nibbles swapped back). Objects in host order are copied as is.
  Insn insn(const Function& f, uint32_t i) const {
    Insn in;
    std::memcpy(&in, f.code.data() + size_t{i} * 8, sizeof(in));
    return swapped ? swap_insn(in) : in;
  }
  // Appends all of f's instructions to out.
  void append_insns(const Function& f, std::vector<Insn>& out) const;
  static Insn swap_insn(Insn in);
  bool swapped = false;  // the object's byte order differs from the host's
  std::span<const PendingReloc> relocs_of(const Function& f) const {
    return std::span<const PendingReloc>(relocs).subspan(f.reloc_begin, f.reloc_end - f.reloc_begin);
  }
};

// Steps, in order (see object_spec.cpp).
SectionRole classify(const elf::Section& s);
void index_symbols_and_datasecs(ParseContext& ctx);
Result<void> parse_btf_maps(ParseContext& ctx, const elf::Section& section);
Result<void> parse_legacy_maps(ParseContext& ctx, const elf::Section& section);
Result<void> parse_data_section(ParseContext& ctx, const elf::Section& section);
Result<void> fix_datasecs(ParseContext& ctx);
Result<void> parse_externs(ParseContext& ctx);
Result<void> parse_map_slot_inits(ParseContext& ctx);
Result<void> collect_functions(ParseContext& ctx);
Result<void> collect_relocations(ParseContext& ctx);
Result<void> link_programs(ParseContext& ctx);

}  // namespace bpfxx::spec
