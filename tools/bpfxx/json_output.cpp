// JSON rendering of `obj show` and `obj load`. Key names are a stable
// interface for scripts; add keys, never rename them. Numbers are JSON
// numbers; a missing value is null, never "-".
//
// obj show --json:
//   { "object": { "name", "endianness": "little"|"big", "license",
//                 "kernel_version": number (0 when unset),
//                 "kernel_version_text": "5.10.0" | null,
//                 "btf_types": number | null (null: no BTF) },
//     "programs": [ { "name", "section", "type", "attach_type": string | null,
//                     "attach_kind", "attach_target", "insn_count", "autoload",
//                     "functions": [ { "name", "insn_index", "insn_count" } ],
//                     "relocations": [ { "insn_index", "kind", "target",
//                                        "offset" } ],
//                     "core_relocations": [ { "insn_index", "kind", "type",
//                                             "access" } ] } ],
//     "maps": [ { "name", "section", "type", "key_size", "value_size",
//                 "max_entries", "flags", "flag_names": [string],
//                 "numa_node", "map_extra", "pinning": "none"|"by_name",
//                 "origin", "key_type": string | null,
//                 "value_type": string | null, "read_only",
//                 "inner": { same keys as a map, without "inner" } | null,
//                 "initial_slots": [ { "index", "target" } ] } ],
//     "variables": [ { "section", "name", "offset", "size",
//                      "linkage": "global"|"static",
//                      "type": string | null } ] }
//
// obj load --json:
//   { "object", "file", "ok": bool (everything loaded), "log_level",
//     "setup": { "ok", "maps": [names created], "notes": [string],
//                "error": error | null,
//                "verifier_log": string | null (the kernel's BTF log) },
//     "programs": [ { "name", "section", "type",
//                     "verdict": "ok"|"failed"|"skipped",
//                     "insn_count": number | null (ok only),
//                     "verifier_log": string | null (failures, and ok
//                                     programs loaded with --log-level),
//                     "source_line": { "file", "line", "column", "text",
//                                      "insn_index" } | null,
//                     "error": error | null, "reason": string | null
//                                                   (skipped only) } ],
//     "summary": { "loaded", "failed", "skipped" } }
//   error: { "code": "verifier rejected"|"permission denied"|...,
//            "summary": one line, "message", "op",
//            "program": string | null, "map": string | null,
//            "errno": number (0: no syscall failed; "summary" names it),
//            "hint": string | null }
#include "map_flags.hpp"
#include "output.hpp"
#include "spec_fields.hpp"

#include <nlohmann/json.hpp>

namespace bpfxx::cli {

namespace {

// ordered_json keeps keys in the order written here, which reads better than
// sorted; the order is not part of the interface, the names are.
using json = nlohmann::ordered_json;

template <typename T>
json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}
json or_null(std::string_view s) { return s.empty() ? json(nullptr) : json(std::string(s)); }

// Names and strings come from files built elsewhere and may hold any bytes:
// replace invalid UTF-8 instead of throwing.
std::string dump(const json& doc) { return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

json map_json(const ObjectSpec& spec, const MapSpec& m, bool with_inner) {
  json slots = json::array();
  for (const MapSlotInit& s : m.initial_slots) slots.push_back({{"index", s.index}, {"target", s.target}});
  json j = {
      {"name", m.name},
      {"section", m.section},
      {"type", to_string(m.type)},
      {"key_size", m.key_size},
      {"value_size", m.value_size},
      {"max_entries", m.max_entries},
      {"flags", m.flags},
      {"flag_names", map_flag_names(m.flags)},
      {"numa_node", m.numa_node},
      {"map_extra", m.map_extra},
      {"pinning", pinning_name(m.pinning)},
      {"origin", to_string(m.origin)},
      {"key_type", or_null(c_type_name(spec, m.key_type))},
      {"value_type", or_null(c_type_name(spec, m.value_type))},
      {"read_only", m.read_only},
      {"initial_slots", std::move(slots)},
  };
  if (with_inner) j["inner"] = m.inner ? map_json(spec, *m.inner, false) : json(nullptr);
  return j;
}

json program_json(const ObjectSpec& spec, const ProgramSpec& p) {
  json functions = json::array();
  for (const FunctionPlacement& f : p.functions) {
    functions.push_back({{"name", f.name}, {"insn_index", f.insn_index}, {"insn_count", f.insn_count}});
  }
  json relocations = json::array();
  for (const InsnRelocation& r : p.relocations) {
    relocations.push_back(
        {{"insn_index", r.insn_index}, {"kind", to_string(r.kind)}, {"target", r.target}, {"offset", r.offset}});
  }
  json core = json::array();
  for (const CoreRelocation& r : p.core_relocations) {
    CoreTarget target = core_target(spec, r);
    core.push_back({{"insn_index", r.insn_index},
                    {"kind", btf::to_string(r.kind)},
                    {"type", target.type},
                    {"access", target.access}});
  }
  return {
      {"name", p.name},
      {"section", p.section},
      {"type", to_string(p.type)},
      {"attach_type", or_null(attach_type_name(p))},
      {"attach_kind", to_string(p.attach_kind)},
      {"attach_target", p.attach_target},
      {"insn_count", p.insn_count()},
      {"autoload", p.autoload},
      {"functions", std::move(functions)},
      {"relocations", std::move(relocations)},
      {"core_relocations", std::move(core)},
  };
}

json source_line_json(const std::optional<SourceLine>& line) {
  if (!line) return nullptr;
  return {{"file", line->file},
          {"line", line->line},
          {"column", line->column},
          {"text", line->text},
          {"insn_index", line->insn_index}};
}

json error_json(const Error& e) {
  return {
      {"code", to_string(e.code())},
      {"summary", e.summary()},
      {"message", e.message()},
      {"op", e.op()},
      {"program", or_null(e.program())},
      {"map", or_null(e.map())},
      {"errno", e.sys_errno()},
      {"hint", or_null(e.hint())},
  };
}

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Ok: return "ok";
    case Verdict::Failed: return "failed";
    case Verdict::Skipped: return "skipped";
  }
  return "unknown";
}

json outcome_json(const ProgramOutcome& p) {
  json j = {
      {"name", p.name},
      {"section", p.section},
      {"type", to_string(p.type)},
      {"verdict", verdict_name(p.verdict)},
      {"insn_count", p.verdict == Verdict::Ok ? json(p.insn_count) : json(nullptr)},
      {"verifier_log", nullptr},
      {"source_line", nullptr},
      {"error", nullptr},
      {"reason", or_null(p.skip_reason)},
  };
  if (p.verdict == Verdict::Ok) j["verifier_log"] = or_null(p.verifier_log);
  if (p.verdict == Verdict::Failed) {
    j["verifier_log"] = or_null(p.error->verifier_log());
    j["source_line"] = source_line_json(p.error->source_line());
    j["error"] = error_json(*p.error);
  }
  return j;
}

}  // namespace

std::string show_json(const ObjectSpec& spec) {
  json programs = json::array();
  for (const ProgramSpec& p : spec.programs) programs.push_back(program_json(spec, p));
  json maps = json::array();
  for (const MapSpec& m : spec.maps) maps.push_back(map_json(spec, m, true));
  json variables = json::array();
  for (const VariableRow& r : all_variables(spec)) {
    variables.push_back({{"section", r.map->section},
                         {"name", r.var->name},
                         {"offset", r.var->offset},
                         {"size", r.var->size},
                         {"linkage", r.var->is_global ? "global" : "static"},
                         {"type", or_null(c_type_name(spec, r.var->type))}});
  }
  json doc = {
      {"object",
       {{"name", spec.name},
        {"endianness", endianness(spec)},
        {"license", spec.license},
        {"kernel_version", spec.kernel_version},
        {"kernel_version_text", or_null(kernel_version_text(spec.kernel_version))},
        {"btf_types", or_null(btf_type_count(spec))}}},
      {"programs", std::move(programs)},
      {"maps", std::move(maps)},
      {"variables", std::move(variables)},
      {"notes", spec.notes},
  };
  return dump(doc);
}

std::string load_json(const LoadReport& r) {
  json programs = json::array();
  for (const ProgramOutcome& p : r.programs) programs.push_back(outcome_json(p));
  json doc = {
      {"object", r.object},
      {"file", r.file},
      {"ok", r.ok()},
      {"log_level", r.log_level},
      {"setup",
       {{"ok", !r.setup_error},
        {"maps", r.maps},
        {"notes", r.notes},
        {"error", r.setup_error ? error_json(*r.setup_error) : json(nullptr)},
        {"verifier_log", r.setup_error ? or_null(r.setup_error->verifier_log()) : json(nullptr)}}},
      {"programs", std::move(programs)},
      {"summary",
       {{"loaded", r.count(Verdict::Ok)}, {"failed", r.count(Verdict::Failed)}, {"skipped", r.count(Verdict::Skipped)}}},
  };
  return dump(doc);
}

std::string open_error_json(const std::string& path, const Error& error) {
  return dump({{"file", path}, {"ok", false}, {"error", error_json(error)}});
}

}  // namespace bpfxx::cli
