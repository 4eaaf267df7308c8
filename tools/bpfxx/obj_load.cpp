// `bpfxx obj load FILE`: load every map and program without attaching, and
// give each program its own verdict.
//
// Object::load is all or nothing, so one rejected program would hide the
// verdict on every other. Instead the object is loaded once with no programs
// (BTF and maps only: a failure there fails every program and is reported
// once), then once per program with only that program's autoload left on.
// Maps are created again each time; they are closed with each Object.
#include "commands.hpp"
#include "open_object.hpp"
#include "output.hpp"
#include "scratch_pins.hpp"

#include <bpfxx/object.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace bpfxx::cli {

namespace {

// The library does not always say that a refusal means "not root" (the BTF,
// loaded first, fails with a bare EPERM): say it when it did not.
Error with_root_hint(Error e) {
  if (e.code() != Errc::PermissionDenied || !e.hint().empty() || ::geteuid() == 0) return e;
  return std::move(e).with_hint("bpfxx obj load needs root (CAP_BPF with CAP_PERFMON, or CAP_SYS_ADMIN)");
}

// The programs to report on, in ELF order: those named with --program, or all.
std::vector<const ProgramSpec*> selected_programs(const ObjectSpec& spec, const LoadArgs& args) {
  std::vector<const ProgramSpec*> out;
  for (const ProgramSpec& p : spec.programs) {
    if (args.programs.empty() || std::find(args.programs.begin(), args.programs.end(), p.name) != args.programs.end())
      out.push_back(&p);
  }
  return out;
}

// The spec every load starts from: no program autoloaded. Program-array slots
// naming programs that are not loaded stay empty (Object::load notes it); the
// verifier never looks at a program array's contents, so no verdict changes.
ObjectSpec base_spec(const ObjectSpec& spec) {
  ObjectSpec base = spec;
  for (ProgramSpec& p : base.programs) p.autoload = false;
  // Programs are judged one load at a time, so a program array's slots
  // would always name programs of other rounds: leave them empty rather
  // than report each as skipped for an autoload the tool itself turned off.
  for (MapSpec& m : base.maps) {
    if (m.type == MapType::ProgArray) m.initial_slots.clear();
  }
  return base;
}

ProgramOutcome outcome_for(const ProgramSpec& program) {
  ProgramOutcome out;
  out.name = program.name;
  out.section = program.section;
  out.type = program.type;
  return out;
}

ProgramOutcome skipped(const ProgramSpec& program, std::string reason) {
  ProgramOutcome out = outcome_for(program);
  out.verdict = Verdict::Skipped;
  out.skip_reason = std::move(reason);
  return out;
}

ProgramOutcome load_one(const ObjectSpec& base, const ProgramSpec& program, const LoadOptions& options) {
  ProgramOutcome out = outcome_for(program);
  ObjectSpec one = base;
  one.program(program.name)->autoload = true;
  auto obj = Object::load(one, options);
  if (!obj) {
    out.verdict = Verdict::Failed;
    out.error = with_root_hint(std::move(obj).error());
    return out;
  }
  const Program* loaded = obj->program(program.name);
  if (loaded == nullptr) {  // Object::load loads every autoload program or fails
    out.verdict = Verdict::Failed;
    out.error = Error(Errc::Internal, "the object loaded without program '" + program.name + "'")
                    .with_op("load program")
                    .with_program(program.name);
    return out;
  }
  out.verdict = Verdict::Ok;
  out.insn_count = loaded->insn_count();
  out.verifier_log = loaded->verifier_log();
  return out;
}

LoadReport load_each(const ObjectSpec& spec, const LoadArgs& args) {
  LoadReport report;
  report.object = spec.name;
  report.file = args.file;
  report.log_level = args.log_level;

  LoadOptions options;
  options.log_level = args.log_level;
  bool pins_wanted = std::any_of(spec.maps.begin(), spec.maps.end(),
                                 [](const MapSpec& m) { return m.pinning != PinType::None; });
  std::optional<ScratchPins> pins = pins_wanted ? ScratchPins::create() : std::nullopt;
  if (pins) options.pin_root = pins->path();

  ObjectSpec base = base_spec(spec);
  {
    auto setup = Object::load(base, options);
    if (setup) {
      for (const MapSpec& m : spec.maps) report.maps.push_back(m.name);
      report.notes = setup->notes();
    } else {
      report.setup_error = with_root_hint(std::move(setup).error());
    }
  }
  if (pins) pins->clear();

  for (const ProgramSpec* p : selected_programs(spec, args)) {
    if (report.setup_error) {
      report.programs.push_back(skipped(*p, "not loaded: the object's BTF or maps failed (above)"));
      continue;
    }
    if (!p->autoload && args.programs.empty()) {
      report.programs.push_back(skipped(
          *p, fmt::format("autoload is off (section '{}'); name it with --program to load it", p->section)));
      continue;
    }
    report.programs.push_back(load_one(base, *p, options));
    if (pins) pins->clear();
  }
  return report;
}

}  // namespace

int run_obj_load(const LoadArgs& args) {
  auto spec = open_object(args.file, args.json);
  if (!spec) return kExitUsage;
  for (const std::string& name : args.programs) {
    if (spec->program(name) != nullptr) continue;
    std::string names;
    for (const ProgramSpec& p : spec->programs) names += (names.empty() ? "" : ", ") + p.name;
    std::fprintf(stderr, "bpfxx: object '%s' has no program '%s'; its programs: %s\n", spec->name.c_str(),
                 name.c_str(), names.empty() ? "none" : names.c_str());
    return kExitUsage;
  }
  LoadReport report = load_each(*spec, args);
  std::string out = args.json ? load_json(report) : load_text(report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return report.ok() ? kExitOk : kExitFailed;
}

}  // namespace bpfxx::cli
