// `bpfxx obj check FILE [--btf BTF] [--json]`: will this object's CO-RE
// relocations work on that kernel? Every relocation of every program is
// computed against the target BTF (the running kernel's by default, or a
// BTF file from another machine) and reported: resolved (old -> new value),
// missing (an existence check that reads 0), poisoned (guarded or not), or
// failed. No root needed, nothing is loaded.
#include <bpfxx/core.hpp>
#include <bpfxx/object_spec.hpp>

#include "commands.hpp"
#include "open_btf.hpp"
#include "open_object.hpp"
#include "table.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace bpfxx::cli {

namespace {

bool is_problem(const CoreReport& r) {
  return r.outcome == CoreOutcome::Failed || (r.outcome == CoreOutcome::Poisoned && !r.guarded);
}

std::string outcome_text(const CoreReport& r) {
  switch (r.outcome) {
    case CoreOutcome::Resolved: return fmt::format("{} -> {}", r.local_value, r.target_value);
    case CoreOutcome::Missing: return "missing (reads 0)";
    case CoreOutcome::Poisoned: return r.guarded ? "poisoned, guarded" : "POISONED, reachable";
    case CoreOutcome::Failed: return "FAILED";
  }
  return "?";
}

}  // namespace

int run_obj_check(const CheckArgs& args) {
  auto spec = open_object(args.file, args.json);
  if (!spec) return kExitUsage;
  std::string btf_path = args.btf.empty() ? "/sys/kernel/btf/vmlinux" : args.btf;
  auto target = open_btf(btf_path);
  if (!target) return kExitUsage;
  auto reports = check_portability(*spec, *target);
  if (!reports) {
    std::fputs(reports.error().describe().c_str(), stderr);
    return kExitUsage;
  }
  size_t problems = 0;
  for (const CoreReport& r : *reports) problems += is_problem(r);

  if (args.json) {
    nlohmann::ordered_json doc;
    doc["object"] = spec->name;
    doc["target"] = btf_path;
    doc["relocations"] = nlohmann::ordered_json::array();
    for (const CoreReport& r : *reports) {
      doc["relocations"].push_back({{"program", r.program},
                                    {"insn", r.insn_index},
                                    {"kind", std::string(btf::to_string(r.kind))},
                                    {"access", r.access},
                                    {"local_type", r.local_type},
                                    {"outcome", std::string(to_string(r.outcome))},
                                    {"guarded", r.guarded},
                                    {"local_value", r.local_value},
                                    {"target_value", r.target_value},
                                    {"target_source", r.target_source},
                                    {"reason", r.reason}});
    }
    doc["problems"] = problems;
    std::puts(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return problems ? kExitFailed : kExitOk;
  }

  std::printf("object %s against %s: %zu CO-RE relocations, %zu problems\n", spec->name.c_str(),
              btf_path.c_str(), reports->size(), problems);
  if (reports->empty()) return kExitOk;
  Table t({"PROGRAM", "INSN", "KIND", "ACCESS", "OUTCOME", "WHY"});
  for (const CoreReport& r : *reports) {
    t.add_row({r.program, std::to_string(r.insn_index), std::string(btf::to_string(r.kind)), r.access,
           outcome_text(r), r.reason.empty() ? "-" : r.reason});
  }
  std::fputs(t.render("  ").c_str(), stdout);
  return problems ? kExitFailed : kExitOk;
}

}  // namespace bpfxx::cli
