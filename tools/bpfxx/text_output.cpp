// Text rendering of `obj show` (aligned tables) and `obj load` (one verdict
// line per program, failure details indented below it).
#include "map_flags.hpp"
#include "output.hpp"
#include "spec_fields.hpp"
#include "table.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace bpfxx::cli {

namespace {

std::string or_dash(const std::optional<std::string>& s) { return s ? *s : "-"; }
std::string or_dash(std::string s) { return s.empty() ? "-" : s; }

// Each non-empty line of `text`, prefixed with `indent`.
std::string indent_lines(std::string_view text, std::string_view indent) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\0')) line.remove_suffix(1);
    if (!line.empty()) {
      out += indent;
      out += line;
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

// A section heading and its table, or "<title>: none".
std::string section(std::string_view title, const Table& table) {
  if (table.empty()) return fmt::format("\n{}: none\n", title);
  return fmt::format("\n{} ({}):\n{}", title, table.size(), table.render());
}

Table programs_table(const ObjectSpec& spec) {
  Table t({"NAME", "SECTION", "TYPE", "ATTACH-TYPE", "ATTACH-KIND", "TARGET", "INSNS", "AUTOLOAD"});
  for (const ProgramSpec& p : spec.programs) {
    t.add_row({p.name, p.section, std::string(to_string(p.type)), or_dash(attach_type_name(p)),
               std::string(to_string(p.attach_kind)), or_dash(p.attach_target), std::to_string(p.insn_count()),
               p.autoload ? "yes" : "no"});
  }
  return t;
}

Table maps_table(const ObjectSpec& spec) {
  Table t({"NAME", "TYPE", "KEY", "VALUE", "MAX-ENTRIES", "FLAGS", "PINNING", "ORIGIN", "INNER"});
  for (const MapSpec& m : spec.maps) {
    t.add_row({m.name, std::string(to_string(m.type)), std::to_string(m.key_size), std::to_string(m.value_size),
               std::to_string(m.max_entries), map_flags_text(m.flags),
               m.pinning == PinType::None ? "-" : std::string(pinning_name(m.pinning)),
               std::string(to_string(m.origin)), or_dash(inner_map_summary(m))});
  }
  return t;
}

Table variables_table(const ObjectSpec& spec) {
  Table t({"SECTION", "NAME", "OFFSET", "SIZE", "LINKAGE", "TYPE"});
  for (const VariableRow& r : all_variables(spec)) {
    t.add_row({r.map->section, r.var->name, std::to_string(r.var->offset), std::to_string(r.var->size),
               r.var->is_global ? "global" : "static", or_dash(c_type_name(spec, r.var->type))});
  }
  return t;
}

Table relocations_table(const ObjectSpec& spec) {
  Table t({"PROGRAM", "INSN", "KIND", "TARGET", "OFFSET"});
  for (const ProgramSpec& p : spec.programs) {
    for (const InsnRelocation& r : p.relocations) {
      // Only MapValue relocations carry an offset (into the map's value).
      t.add_row({p.name, std::to_string(r.insn_index), std::string(to_string(r.kind)), r.target,
                 r.kind == RelocKind::MapValue ? std::to_string(r.offset) : "-"});
    }
    // CO-RE relocations come from .BTF.ext: the target is a type and an
    // access string ("struct task_struct 0:1"), fixed up against kernel BTF.
    for (const CoreRelocation& r : p.core_relocations) {
      CoreTarget target = core_target(spec, r);
      t.add_row({p.name, std::to_string(r.insn_index), "core_" + std::string(btf::to_string(r.kind)),
                 target.type + " " + target.access, "-"});
    }
  }
  return t;
}

// The lines under a failed program or a failed setup: where in the source,
// and the verifier (or BTF) log.
std::string error_details(const Error& e, std::string_view indent) {
  std::string out;
  if (const auto& line = e.source_line()) {
    out += fmt::format("{}source: {}:{}", indent, line->file, line->line);
    if (line->column) out += fmt::format(":{}", line->column);
    out += fmt::format(" (instruction {})", line->insn_index);
    if (!line->text.empty()) out += ": " + line->text;
    out += '\n';
  }
  if (!e.verifier_log().empty()) {
    out += fmt::format("{}verifier log:\n", indent);
    out += indent_lines(e.verifier_log(), std::string(indent) + "  ");
  }
  return out;
}

std::string verdict_text(const ProgramOutcome& p) {
  switch (p.verdict) {
    case Verdict::Ok: return fmt::format("ok ({} insns)", p.insn_count);
    case Verdict::Failed: return "FAILED: " + p.error->summary();
    case Verdict::Skipped: return "skipped: " + p.skip_reason;
  }
  return "?";
}

}  // namespace

std::string show_text(const ObjectSpec& spec) {
  auto btf_types = btf_type_count(spec);
  std::string out = fmt::format("object {}: {}-endian, license \"{}\", kernel version {}, BTF {}\n", spec.name,
                                endianness(spec), spec.license, or_dash(kernel_version_text(spec.kernel_version)),
                                btf_types ? fmt::format("{} types", *btf_types) : "none");
  out += section("programs", programs_table(spec));
  out += section("maps", maps_table(spec));
  out += section("global variables", variables_table(spec));
  out += section("relocations", relocations_table(spec));
  for (const std::string& n : spec.notes) out += "note: " + n + "\n";
  return out;
}

std::string load_text(const LoadReport& r) {
  std::string out = fmt::format("object {} ({})\n", r.object, r.file);
  if (r.setup_error) {
    // The setup load makes no programs: this failure is about the BTF or a map.
    out += fmt::format("{}: FAILED: {}\n", r.setup_error->map().empty() ? "object" : "maps",
                       r.setup_error->summary());
    out += error_details(*r.setup_error, "    ");
  } else if (r.maps.empty()) {
    out += "maps: none\n";
  } else {
    std::string names;
    for (const std::string& m : r.maps) names += (names.empty() ? "" : ", ") + m;
    out += fmt::format("maps: ok ({} created: {})\n", r.maps.size(), names);
  }
  for (const std::string& note : r.notes) out += "note: " + note + "\n";

  size_t name_w = 0, type_w = 0;
  for (const ProgramOutcome& p : r.programs) {
    name_w = std::max(name_w, p.name.size());
    type_w = std::max(type_w, to_string(p.type).size());
  }
  if (r.programs.empty()) out += "programs: none\n";
  else out += "programs:\n";
  for (const ProgramOutcome& p : r.programs) {
    out += fmt::format("  {:<{}}  {:<{}}  {}\n", p.name, name_w, to_string(p.type), type_w, verdict_text(p));
    if (p.verdict == Verdict::Failed) out += error_details(*p.error, "    ");
    if (p.verdict == Verdict::Ok && !p.verifier_log.empty()) {
      out += "    verifier log:\n" + indent_lines(p.verifier_log, "      ");
    }
  }
  out += fmt::format("result: {} loaded, {} failed, {} skipped{}\n", r.count(Verdict::Ok), r.count(Verdict::Failed),
                     r.count(Verdict::Skipped), r.setup_error ? " (the object's BTF or maps failed)" : "");
  return out;
}

}  // namespace bpfxx::cli
