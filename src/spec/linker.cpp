// Linking: each program gets its own copy of every subprogram it reaches,
// appended after its entry function, with calls, callback addresses and the
// BTF.ext records rebased to the final instruction indexes.
#include "spec/parse_context.hpp"

#include <fmt/format.h>

#include <optional>

namespace bpfxx::spec {

namespace {

template <typename Record>
const btf::ExtRecords<Record>* ext_records(const std::vector<btf::ExtSection<Record>>& secs, std::string_view name) {
  for (const auto& s : secs) {
    if (s.section == name) return &s.records;
  }
  return nullptr;
}

// The .BTF.ext records of one code section (null where it has none).
struct SectionExt {
  std::string_view section;
  const btf::ExtRecords<btf::FuncInfo>* func_info = nullptr;
  const btf::ExtRecords<btf::LineInfo>* line_info = nullptr;
  const btf::ExtRecords<btf::CoreRelo>* core_relos = nullptr;
};

SectionExt ext_of(const btf::Ext& ext, std::string_view section) {
  return {section, ext_records(ext.func_infos(), section), ext_records(ext.line_infos(), section),
          ext_records(ext.core_relos(), section)};
}

// Appends the line_info records of [lo, hi) rebased to instruction indexes
// from `base`; false if one is not at an instruction boundary. The caller
// reserved room for every record of the section, so no append reallocates;
// the byte order is a template argument so the loop is plain loads.
template <bool Swap>
bool append_line_info(const btf::ExtRecords<btf::LineInfo>& recs, uint64_t lo, uint64_t hi, uint32_t base,
                      std::vector<LineInfoRecord>& out) {
  using btf::ext_detail::ext_word;
  // Locals, not recs' fields: the stores into `out` could otherwise alias
  // them and force a reload per record.
  const std::byte* const first = recs.record_bytes(0);
  const size_t stride = recs.record_size();
  const std::byte* const last = first + recs.size() * stride;
  bool misaligned = false;
  for (const std::byte* p = first; p != last; p += stride) {
    const uint32_t off = ext_word(p, Swap);
    if (off < lo || off >= hi) continue;
    misaligned |= ((off - lo) & 7) != 0;
    btf::LineInfo li;
    btf::ext_detail::decode_ext_record(p, Swap, li);
    out.push_back({base + static_cast<uint32_t>((off - lo) / 8), li.file_name_off, li.line_off, li.line, li.column});
  }
  return !misaligned;
}

Result<void> link_one(ParseContext& ctx, const Function& entry, ProgramSpec& prog) {
  // Functions in placement order with their first instruction; a program
  // reaches a handful of functions, so a linear search beats a map.
  ParseContext::Vec<const Function*> placed(1, &entry, &ctx.arena);
  ParseContext::Vec<uint32_t> starts(1, 0u, &ctx.arena);
  auto start_of = [&](const Function* f) -> std::optional<uint32_t> {
    for (size_t i = 0; i < placed.size(); ++i) {
      if (placed[i] == f) return starts[i];
    }
    return std::nullopt;
  };
  uint32_t next = entry.insn_count();
  prog.relocations.reserve(ctx.relocs_of(entry).size() + 4);
  for (size_t k = 0; k < placed.size(); ++k) {
    const Function& f = *placed[k];
    uint32_t base = starts[k];
    ctx.append_insns(f, prog.insns);
    prog.functions.push_back({std::string(f.name), base, f.insn_count()});
    for (const PendingReloc& r : ctx.relocs_of(f)) {
      uint32_t at = base + r.insn_index;
      if (r.kind == RelocKind::Call || r.kind == RelocKind::Func) {
        if (r.target_insn < 0) {
          return ctx.error(fmt::format("'{}' instruction {}: call target before the start of its section", f.name,
                                       r.insn_index));
        }
        const Function* target = ctx.function_at(r.target_section, static_cast<uint64_t>(r.target_insn) * 8);
        if (target == nullptr) {
          return ctx.error(fmt::format("'{}' instruction {}: {} target is not the start of a function", f.name,
                                       r.insn_index, r.kind == RelocKind::Call ? "call" : "callback"));
        }
        std::optional<uint32_t> target_start = start_of(target);
        if (!target_start) {
          target_start = next;
          placed.push_back(target);
          starts.push_back(next);
          next += target->insn_count();
        }
        Insn& in = prog.insns[at];
        in.imm = static_cast<int32_t>(static_cast<int64_t>(*target_start) - at - 1);
        if (r.kind == RelocKind::Func) in.set_src(insn::kPseudoFunc);
        prog.relocations.push_back({at, r.kind, std::string(target->name), 0});
      } else {
        prog.relocations.push_back({at, r.kind, std::string(r.target), r.offset});
      }
    }
  }

  if (!ctx.ext) return {};
  // A program's functions mostly share a section: its records are looked
  // up once, not once per function and kind.
  ParseContext::Vec<SectionExt> exts(&ctx.arena);
  exts.reserve(placed.size());
  for (const Function* f : placed) {
    if (exts.empty() || exts.back().section != f->section_name) {
      exts.push_back(ext_of(*ctx.ext, f->section_name));
    } else {
      exts.push_back(exts.back());
    }
  }
  size_t with_func_info = 0;
  // One allocation per list: at most every record of the sections involved,
  // each section counted once however many of its functions are placed.
  size_t line_cap = 0, core_cap = 0;
  for (size_t k = 0; k < exts.size(); ++k) {
    bool seen = false;
    for (size_t j = 0; j < k && !seen; ++j) seen = exts[j].section == exts[k].section;
    if (seen) continue;
    if (exts[k].line_info != nullptr) line_cap += exts[k].line_info->size();
    if (exts[k].core_relos != nullptr) core_cap += exts[k].core_relos->size();
  }
  prog.func_info.reserve(placed.size());
  prog.line_info.reserve(line_cap);
  prog.core_relocations.reserve(core_cap);
  for (size_t k = 0; k < placed.size(); ++k) {
    const Function* f = placed[k];
    const SectionExt& e = exts[k];
    uint32_t base = starts[k];
    uint64_t lo = f->byte_offset, hi = f->byte_offset + f->byte_size;
    if (e.func_info != nullptr) {
      for (const btf::FuncInfo& fi : *e.func_info) {
        if (fi.byte_offset == lo) {
          prog.func_info.push_back({base, fi.type_id});
          ++with_func_info;
          break;
        }
      }
    }
    if (e.line_info != nullptr) {
      bool ok = e.line_info->swapped() ? append_line_info<true>(*e.line_info, lo, hi, base, prog.line_info)
                                       : append_line_info<false>(*e.line_info, lo, hi, base, prog.line_info);
      if (!ok) return ctx.error(fmt::format("'{}': misaligned line_info", f->name));
    }
    if (e.core_relos != nullptr) {
      for (const btf::CoreRelo& cr : *e.core_relos) {
        if (cr.byte_offset < lo || cr.byte_offset >= hi) continue;
        if ((cr.byte_offset - lo) % 8 != 0) return ctx.error(fmt::format("'{}': misaligned CO-RE relocation", f->name));
        prog.core_relocations.push_back(
            {base + static_cast<uint32_t>((cr.byte_offset - lo) / 8), cr.type_id, cr.access_str_off, cr.kind});
      }
    }
  }
  // The kernel takes func_info for every function or for none.
  if (with_func_info != 0 && with_func_info != placed.size()) {
    for (size_t k = 0; k < placed.size(); ++k) {
      const Function* f = placed[k];
      bool found = false;
      for (const auto& fi : prog.func_info) found |= fi.insn_index == starts[k];
      if (!found) {
        return ctx.error(fmt::format("program '{}': function '{}' has no BTF func_info", prog.name, f->name));
      }
    }
  }
  return {};
}

}  // namespace

Result<void> link_programs(ParseContext& ctx) {
  size_t entries = 0;
  for (const Function& f : ctx.functions) entries += f.is_program;
  ctx.spec->programs.reserve(entries);
  for (const Function& f : ctx.functions) {
    if (!f.is_program) continue;
    // Built in place: on an error the whole parse fails, spec and all.
    ProgramSpec& prog = ctx.spec->programs.emplace_back();
    prog.name = std::string(f.name);
    std::string_view section = f.section_name;
    if (!section.empty() && section[0] == '?') {
      // "?name": a libbpf convention for programs not loaded by default.
      prog.autoload = false;
      section.remove_prefix(1);
    }
    prog.section = std::string(f.section_name);
    if (auto info = classify_section(section)) {
      prog.type = info->type;
      prog.expected_attach_type = info->expected_attach_type;
      prog.attach_kind = info->attach_kind;
      prog.attach_target = std::string(info->target);
      prog.section_flags = info->flags;
    }
    prog.license = ctx.spec->license;
    prog.kernel_version = ctx.spec->kernel_version;
    BPFXX_TRY(link_one(ctx, f, prog));
  }
  return {};
}

}  // namespace bpfxx::spec
