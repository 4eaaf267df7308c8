// CO-RE relocation of one program: for each record, parse the local access,
// find and match candidates in the target BTFs, agree on one value, and
// patch (or poison) the instruction. See core.hpp.
#include "reloc/core.hpp"

#include "reloc/core_internal.hpp"

#include <fmt/format.h>

#include <cstring>

namespace bpfxx::reloc {

using core::AccessSpec;
using core::Value;

void CoreTargets::add(std::string name, const btf::Spec& spec) {
  sources_.push_back({std::move(name), &spec});
  cache_.clear();
}

std::span<const CoreTargets::Candidate> CoreTargets::candidates(std::string_view essential_name, btf::Kind kind) {
  // ENUM and ENUM64 share a key: either may stand for the other.
  const char kind_key = kind == btf::Kind::Enum64 ? static_cast<char>(btf::Kind::Enum) : static_cast<char>(kind);
  // The key is the kind byte then the name; looked up from a stack buffer,
  // so a cache hit allocates nothing.
  char buf[128];
  std::string long_key;
  std::string_view key;
  if (essential_name.size() < sizeof(buf)) {
    buf[0] = kind_key;
    std::memcpy(buf + 1, essential_name.data(), essential_name.size());
    key = std::string_view(buf, essential_name.size() + 1);
  } else {
    long_key.reserve(essential_name.size() + 1);
    long_key += kind_key;
    long_key += essential_name;
    key = long_key;
  }
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  std::vector<Candidate> list;
  for (uint32_t s = 0; s < sources_.size() && list.empty(); ++s) {
    const btf::Spec& spec = *sources_[s].spec;
    for (btf::TypeId id : spec.find_by_name(essential_name)) {
      // A split (module) BTF also finds its base's types; those belong to
      // the earlier source that is that base.
      if (s > 0 && id < spec.first_id()) continue;
      if (core::kinds_compatible(spec.kind_of(id), kind)) list.push_back({&spec, id, s});
    }
  }
  return cache_.emplace(std::string(key), std::move(list)).first->second;
}

namespace {

struct Match {
  const CoreTargets::Candidate* candidate = nullptr;
  Value value;
};

std::string describe_candidate(const CoreTargets::Candidate& c) {
  return fmt::format("{} [{}]", c.btf->c_name(c.id), c.id);
}

// Whether a load or store can change size with its field without changing
// what it reads: a pointer (the kernel's may be narrower, zero-extended) or
// an unsigned integer (zero extension keeps the value). Signed values would
// lose their sign.
bool resize_keeps_value(const btf::Spec& lb, btf::TypeId lt, const btf::Spec& tb, btf::TypeId tt) {
  btf::Type l = lb.type_unchecked(lt), t = tb.type_unchecked(tt);
  if (l.kind() == btf::Kind::Ptr && t.kind() == btf::Kind::Ptr) return true;
  return l.kind() == btf::Kind::Int && t.kind() == btf::Kind::Int && !(l.int_info().encoding & btf::kIntSigned) &&
         !(t.int_info().encoding & btf::kIntSigned);
}

// Fills `rep` for one record and patches `insns`; returns false when the
// relocation failed (rep.reason says why). With CoreDetail::ProblemsOnly a
// Resolved record gets no text (type, access, source names): spelling them
// costs more than the relocation itself, and a loader reads them only for
// relocations that went wrong.
bool relocate_one(std::span<Insn> insns, const CoreRelocation& r, const btf::Spec& local, CoreTargets& targets,
                  CoreDetail detail, CoreReport& rep) {
  std::optional<std::string_view> access = local.string_at(r.access_str_off);
  std::optional<AccessSpec> local_spec;
  // The report's names, from the parsed access when there is one.
  bool described = false;
  auto describe = [&] {
    if (described || !local.type(r.type_id)) return;
    described = true;
    rep.local_type = local.c_name(r.type_id);
    rep.access = local_spec ? core::access_text(*local_spec, r.kind) : std::string(access.value_or(""));
  };
  auto fail = [&](std::string why) {
    describe();
    rep.outcome = CoreOutcome::Failed;
    rep.reason = std::move(why);
    return false;
  };
  if (!access) return fail(fmt::format("access string offset {} is outside the object's BTF strings", r.access_str_off));
  auto root = local.type(r.type_id);
  if (!root) return fail(fmt::format("local type id {} does not exist in the object's BTF", r.type_id));
  {
    auto parsed = core::parse_local(local, r.type_id, *access, r.kind);
    if (!parsed) return fail(parsed.error().message());
    local_spec.emplace(std::move(*parsed));
  }
  auto local_value = core::value_of(r.kind, *local_spec, local.big_endian());
  if (!local_value) return fail(local_value.error().message());
  rep.local_value = local_value->value;

  std::optional<Match> chosen;
  std::string why_not;
  if (r.kind == btf::CoreReloKind::TypeIdLocal) {
    chosen = Match{nullptr, *local_value};  // needs no target
  } else {
    std::string_view name = root->name();
    if (name.empty()) {
      return fail(fmt::format("{} is anonymous: CO-RE finds target types by name", local.c_name(r.type_id)));
    }
    std::string_view essential = core::essential_name(name);
    auto cands = targets.candidates(essential, root->kind());
    if (cands.empty()) {
      why_not = fmt::format("the target has no {} named '{}'", btf::to_string(root->kind()), essential);
    }
    AccessSpec target_spec;
    for (const CoreTargets::Candidate& c : cands) {
      std::string why;
      auto matched = core::match_candidate(*local_spec, r.kind, *c.btf, c.id, target_spec, why);
      if (!matched) return fail(fmt::format("{}: {}", describe_candidate(c), matched.error().message()));
      if (!*matched) {
        if (!why_not.empty()) why_not += "; ";
        why_not += why;
        continue;
      }
      auto v = core::value_of(r.kind, target_spec, local.big_endian());
      if (!v) return fail(fmt::format("{}: {}", describe_candidate(c), v.error().message()));
      if (!chosen) {
        chosen = Match{&c, *v};
      } else if (chosen->value.value != v->value || chosen->value.field_size != v->field_size) {
        // Several target types fit but disagree: guessing could read the
        // wrong bytes, so refuse.
        return fail(fmt::format("ambiguous: {} gives {} but {} gives {}; make the local type or its ___flavor "
                                "name specific enough to match one",
                                describe_candidate(*chosen->candidate), chosen->value.value, describe_candidate(c),
                                v->value));
      }
    }
  }
  if (detail == CoreDetail::Full || !chosen) describe();

  core::Patch patch{.local_value = local_value->value, .validate = local_value->validate};
  if (!chosen) {
    rep.reason = std::move(why_not);
    if (core::zero_when_missing(r.kind)) {
      patch.target_value = 0;
      if (auto ok = core::patch_insn(insns, r.insn_index, patch); !ok) return fail(ok.error().message());
      rep.outcome = CoreOutcome::Missing;
      return true;
    }
    core::poison_insn(insns, r.insn_index);
    rep.outcome = CoreOutcome::Poisoned;
    return true;
  }
  if (chosen->candidate != nullptr) {
    rep.target_type_id = chosen->candidate->id;
    if (detail == CoreDetail::Full) rep.target_source = std::string(targets.source_name(chosen->candidate->source));
  }
  patch.target_value = chosen->value.value;
  patch.local_size = local_value->field_size;
  patch.target_size = chosen->value.field_size;
  if (patch.local_size != patch.target_size && r.insn_index < insns.size() &&
      core::mem_access_size(insns[r.insn_index]) == patch.local_size &&
      !resize_keeps_value(local, local_value->field_type, *chosen->candidate->btf, chosen->value.field_type)) {
    describe();
    rep.target_source = std::string(targets.source_name(chosen->candidate->source));
    rep.reason = fmt::format("the field is {} bytes in the target and {} locally, and only pointers and unsigned "
                             "integers can be read at another size",
                             patch.target_size, patch.local_size);
    core::poison_insn(insns, r.insn_index);
    rep.outcome = CoreOutcome::Poisoned;
    return true;
  }
  if (auto ok = core::patch_insn(insns, r.insn_index, patch); !ok) {
    if (chosen->candidate != nullptr) rep.target_source = std::string(targets.source_name(chosen->candidate->source));
    return fail(ok.error().message());
  }
  rep.target_value = chosen->value.value;
  rep.outcome = CoreOutcome::Resolved;
  return true;
}

}  // namespace

std::vector<CoreReport> apply_core_relocations(std::span<Insn> insns, const ProgramSpec& program,
                                               const btf::Spec& local, CoreTargets& targets, CoreDetail detail) {
  std::vector<CoreReport> reports;
  reports.reserve(program.core_relocations.size());
  for (const CoreRelocation& r : program.core_relocations) {
    CoreReport rep;
    rep.insn_index = r.insn_index;
    rep.kind = r.kind;
    if (!relocate_one(insns, r, local, targets, detail, rep) || detail == CoreDetail::Full ||
        rep.outcome != CoreOutcome::Resolved) {
      rep.program = program.name;
    }
    reports.push_back(std::move(rep));
  }
  return reports;
}

Result<std::vector<CoreReport>> relocate_core(std::span<Insn> insns, const ProgramSpec& program,
                                              const btf::Spec& local, CoreTargets& targets) {
  std::vector<CoreReport> reports = apply_core_relocations(insns, program, local, targets);
  for (size_t i = 0; i < reports.size(); ++i) {
    const CoreReport& r = reports[i];
    if (r.outcome != CoreOutcome::Failed) continue;
    return Error(Errc::RelocationFailed,
                 fmt::format("CO-RE relocation #{} of program '{}' ({} of {} at instruction {}) failed: {}", i,
                             program.name, btf::to_string(r.kind), r.access, r.insn_index, r.reason))
        .with_op("CO-RE relocation")
        .with_program(program.name);
  }
  return reports;
}

}  // namespace bpfxx::reloc
