// ObjectSpec::dump(): a stable, readable listing for tests and `bpfxx obj show`.
#include <bpfxx/object_spec.hpp>

#include <fmt/format.h>

namespace bpfxx {

namespace {

std::string type_name(const ObjectSpec& spec, btf::TypeId id) {
  if (!spec.btf || id == 0) return "-";
  return spec.btf->c_name(id);
}

void dump_map(std::string& out, const ObjectSpec& spec, const MapSpec& m, const char* indent) {
  out += fmt::format("{}map {}: {} key {} value {} max_entries {} flags 0x{:x} origin {} section {}", indent, m.name,
                     to_string(m.type), m.key_size, m.value_size, m.max_entries, m.flags, to_string(m.origin),
                     m.section);
  if (m.pinning == PinType::ByName) out += " pinning by_name";
  if (m.numa_node) out += fmt::format(" numa_node {}", m.numa_node);
  if (m.map_extra) out += fmt::format(" map_extra 0x{:x}", m.map_extra);
  if (m.key_type) out += " key_type '" + type_name(spec, m.key_type) + "'";
  if (m.value_type) out += " value_type '" + type_name(spec, m.value_type) + "'";
  if (m.read_only) out += " read_only";
  out += "\n";
  for (const VariableSpec& v : m.variables) {
    out += fmt::format("{}  var {} offset {} size {} {} type '{}'\n", indent, v.name, v.offset, v.size,
                       v.is_global ? "global" : "static", type_name(spec, v.type));
  }
  for (const MapSlotInit& s : m.initial_slots) out += fmt::format("{}  slot {} = {}\n", indent, s.index, s.target);
  if (m.inner) dump_map(out, spec, *m.inner, "  inner ");
}

}  // namespace

std::string ObjectSpec::dump() const {
  std::string out = fmt::format("object {}: {}, license '{}', kernel_version 0x{:x}, btf {}\n", name,
                                big_endian ? "big-endian" : "little-endian", license, kernel_version,
                                btf ? fmt::format("{} types", btf->type_count() - 1) : "none");
  for (const ProgramSpec& p : programs) {
    out += fmt::format("program {}: section '{}' type {} attach_type {} attach {} target '{}' insns {}{}\n", p.name,
                       p.section, to_string(p.type),
                       p.expected_attach_type ? std::string(to_string(*p.expected_attach_type)) : "-",
                       to_string(p.attach_kind), p.attach_target, p.insns.size(), p.autoload ? "" : " (no autoload)");
    for (const FunctionPlacement& f : p.functions) {
      out += fmt::format("  function {} at {} ({} insns)\n", f.name, f.insn_index, f.insn_count);
    }
    for (const InsnRelocation& r : p.relocations) {
      out += fmt::format("  reloc insn {} {} {}", r.insn_index, to_string(r.kind), r.target);
      if (r.kind == RelocKind::MapValue) out += fmt::format("+{}", r.offset);
      out += "\n";
    }
    if (!p.func_info.empty() || !p.line_info.empty() || !p.core_relocations.empty()) {
      out += fmt::format("  btf.ext func_info {} line_info {} core_relo {}\n", p.func_info.size(),
                         p.line_info.size(), p.core_relocations.size());
    }
  }
  for (const MapSpec& m : maps) dump_map(out, *this, m, "");
  for (const ExternSpec& e : externs) {
    out += fmt::format("extern {} {}{}", to_string(e.kind), e.name, e.is_weak ? " weak" : "");
    if (e.kind == ExternKind::Kconfig) out += fmt::format(" offset {} size {}", e.offset, e.size);
    if (e.kind != ExternKind::Kfunc && btf) out += " type '" + type_name(*this, e.type) + "'";
    out += "\n";
  }
  for (const std::string& n : notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace bpfxx
