// Code sections: classify every section, cut code sections into functions at
// their symbols, and record each instruction relocation against its function.
#include "spec/parse_context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <type_traits>

namespace bpfxx::spec {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool is_data_name(std::string_view n) {
  for (std::string_view base : {".data", ".rodata", ".bss"}) {
    if (n == base || (starts_with(n, base) && n.size() > base.size() && n[base.size()] == '.')) return true;
  }
  return false;
}

}  // namespace

Error ParseContext::error(std::string message) const {
  return Error(Errc::InvalidInput, std::move(message)).with_op("parse object").with_object(spec->name);
}

std::span<const elf::Symbol* const> ParseContext::symbols_of(uint32_t section) const {
  if (section + 1 >= section_symbol_start.size()) return {};
  return std::span<const elf::Symbol* const>(section_symbols)
      .subspan(section_symbol_start[section], section_symbol_start[section + 1] - section_symbol_start[section]);
}

const elf::Symbol* ParseContext::symbol_in(uint32_t section, std::string_view name) const {
  for (const elf::Symbol* s : symbols_of(section)) {
    if (s->name == name && (s->type == elf::kSttObject || s->type == elf::kSttNotype)) return s;
  }
  return nullptr;
}

std::optional<btf::TypeId> ParseContext::datasec(std::string_view name) const {
  for (const Datasec& d : datasecs) {
    if (d.name == name) return d.id;
  }
  return std::nullopt;
}

void index_symbols_and_datasecs(ParseContext& ctx) {
  // A counting sort by section index keeps each section's symbols in
  // symbol-table order with two allocations in all.
  const size_t nsec = ctx.elf->sections().size();
  ctx.data_map_by_section.assign(nsec, ParseContext::kNoMap);
  auto& start = ctx.section_symbol_start;
  start.assign(nsec + 1, 0);
  for (const elf::Symbol& s : ctx.elf->symbols()) {
    if (s.section != elf::kShnUndef && s.section < nsec) ++start[s.section + 1];
  }
  for (size_t i = 0; i < nsec; ++i) start[i + 1] += start[i];
  ctx.section_symbols.assign(start[nsec], nullptr);
  ParseContext::Vec<uint32_t> fill(start.begin(), start.end() - 1, &ctx.arena);
  for (const elf::Symbol& s : ctx.elf->symbols()) {
    if (s.section != elf::kShnUndef && s.section < nsec) ctx.section_symbols[fill[s.section]++] = &s;
  }
  ctx.datasec_by_section.assign(nsec, 0);
  if (ctx.btf == nullptr) return;
  ctx.datasecs.reserve(8);  // .data, .rodata, .bss, .maps, license, .kconfig, .ksyms: one allocation
  for (btf::TypeId id = ctx.btf->first_id(); id < ctx.btf->type_count(); ++id) {
    if (ctx.btf->kind_of(id) != btf::Kind::Datasec) continue;
    const std::string_view name = ctx.btf->type_unchecked(id).name();
    // The sections it describes: allocated ones, which have a role. The
    // first is the one its layout is fixed against (a name no roled
    // section has, an extern DATASEC, costs a look at the rest); every
    // section of the name gets it as its type, the first DATASEC of a name
    // winning (neither duplicate comes from clang).
    uint32_t found = 0;
    for (uint32_t i : ctx.roled_sections) {
      if (ctx.elf->sections()[i].name != name) continue;
      if (found == 0) found = i;
      if (ctx.datasec_by_section[i] == 0) ctx.datasec_by_section[i] = id;
    }
    if (found == 0) {
      if (const elf::Section* s = ctx.elf->section_by_name(name)) found = s->index;
    }
    ctx.datasecs.push_back({name, id, found});
  }
}

Insn ParseContext::swap_insn(Insn in) {
  // The opcode byte stands alone; big-endian objects keep dst in the high
  // register nibble and store off and imm big-endian.
  in.regs = static_cast<uint8_t>((in.regs >> 4) | (in.regs << 4));
  in.off = static_cast<int16_t>(detail::byteswap(static_cast<uint16_t>(in.off)));
  in.imm = static_cast<int32_t>(detail::byteswap(static_cast<uint32_t>(in.imm)));
  return in;
}

void ParseContext::append_insns(const Function& f, std::vector<Insn>& out) const {
  size_t at = out.size();
  // Insn is trivially copyable, so this is one memmove, without first
  // value-initialising the new elements as resize() would.
  // A crafted file may place code at an odd offset: then the bytes are
  // copied into value-initialised elements instead, as a misaligned Insn
  // pointer would be undefined behaviour.
  static_assert(std::is_trivially_copyable_v<Insn> && sizeof(Insn) == 8);
  if (reinterpret_cast<uintptr_t>(f.code.data()) % alignof(Insn) == 0) {
    const Insn* first = reinterpret_cast<const Insn*>(f.code.data());
    out.insert(out.end(), first, first + f.insn_count());
  } else {
    out.resize(at + f.insn_count());
    std::memcpy(out.data() + at, f.code.data(), size_t{f.insn_count()} * sizeof(Insn));
  }
  if (swapped) {
    for (size_t i = at; i < out.size(); ++i) out[i] = swap_insn(out[i]);
  }
}

const Function* ParseContext::function_at(uint32_t section, uint64_t byte_offset) const {
  for (const Function& f : functions) {
    if (f.section == section && f.byte_offset == byte_offset) return &f;
  }
  return nullptr;
}

SectionRole classify(const elf::Section& s) {
  if (s.index == 0 || s.type == elf::kShtNull) return SectionRole::Ignored;
  if (s.name == "license") return SectionRole::License;
  if (s.name == "version") return SectionRole::Version;
  if (s.type == elf::kShtProgbits && s.is_exec()) return SectionRole::Code;
  if (s.name == ".maps") return SectionRole::Maps;
  if (s.name == "maps") return SectionRole::LegacyMaps;
  if ((s.type == elf::kShtProgbits || s.type == elf::kShtNobits) && s.is_alloc()) {
    return is_data_name(s.name) ? SectionRole::Data : SectionRole::Other;
  }
  return SectionRole::Ignored;
}

Result<void> collect_functions(ParseContext& ctx) {
  const elf::File& elf = *ctx.elf;
  size_t func_symbols = 0;
  for (const elf::Symbol& sym : elf.symbols()) func_symbols += sym.type == elf::kSttFunc;
  ctx.functions.reserve(func_symbols);
  ParseContext::Vec<std::string_view> hidden(&ctx.arena);  // __hidden global functions
  for (uint32_t index : ctx.roled_sections) {
    if (ctx.roles[index] != SectionRole::Code) continue;
    const elf::Section& s = elf.sections()[index];
    ParseContext::Vec<const elf::Symbol*> syms(&ctx.arena);
    for (const elf::Symbol* sym : ctx.symbols_of(s.index)) {
      if (sym->type == elf::kSttFunc) syms.push_back(sym);
    }
    if (syms.empty()) {
      if (s.size == 0) continue;
      return ctx.error(fmt::format("code section '{}' has instructions but no function symbols", s.name));
    }
    std::sort(syms.begin(), syms.end(), [](auto* a, auto* b) { return a->value < b->value; });
    if (s.size % 8 != 0) return ctx.error(fmt::format("code section '{}' size {} is not a multiple of 8", s.name, s.size));
    uint64_t prev_end = 0;
    for (const elf::Symbol* sym : syms) {
      if (sym->name.empty()) return ctx.error(fmt::format("unnamed function in section '{}'", s.name));
      if (sym->value % 8 != 0 || sym->size % 8 != 0 || sym->size == 0 || sym->value < prev_end ||
          sym->value > s.size || sym->size > s.size - sym->value) {
        return ctx.error(fmt::format("function '{}' [{}, +{}) is misaligned, empty, overlapping or outside '{}'",
                                     sym->name, sym->value, sym->size, s.name));
      }
      prev_end = sym->value + sym->size;
      Function f;
      f.name = sym->name;
      f.section = s.index;
      f.section_name = s.name;
      f.byte_offset = sym->value;
      f.byte_size = sym->size;
      f.is_program = s.name != ".text";
      f.code = s.data.subspan(static_cast<size_t>(sym->value), static_cast<size_t>(sym->size));
      ctx.functions.push_back(f);
      if (sym->visibility == elf::kStvHidden && sym->bind != elf::kStbLocal) hidden.push_back(sym->name);
    }
  }
  // A hidden global function (__hidden) is private to the object, as the
  // linker made it: the kernel must see it static too, so the verifier
  // checks it in each caller's context instead of alone, where a pointer
  // argument could be anything.
  if (ctx.btf != nullptr && !hidden.empty()) {
    // Every lookup first, then the edits, so no lookup ever sees a record
    // half edited.
    std::vector<btf::TypeId> to_static;
    for (std::string_view name : hidden) {
      for (btf::TypeId id : ctx.btf->find_by_name(name)) {
        btf::Type t = ctx.btf->type_unchecked(id);
        if (t.kind() == btf::Kind::Func && t.func_linkage() == btf::FuncLinkage::Global) to_static.push_back(id);
      }
    }
    for (btf::TypeId id : to_static) BPFXX_TRY(ctx.btf->set_func_linkage(id, btf::FuncLinkage::Static));
  }
  return {};
}

namespace {

// Opcodes that may be a BPF-to-BPF call or a callback's address.
constexpr std::array<bool, 256> kMayCall = [] {
  std::array<bool, 256> t{};
  t[insn::kCallCode] = true;
  t[insn::kLdImm64] = true;
  return t;
}();

}  // namespace

Result<void> collect_relocations(ParseContext& ctx) {
  const elf::File& elf = *ctx.elf;
  size_t reloc_count = 0;
  for (uint32_t index : ctx.rel_sections) {
    const elf::Section& rel = elf.sections()[index];
    if (rel.info >= ctx.roles.size() || ctx.roles[rel.info] != SectionRole::Code) continue;
    reloc_count += rel.size / (rel.type == elf::kShtRel ? 16 : 24);
  }
  // Every code relocation plus room for the local calls found later.
  ctx.relocs.reserve(std::min<size_t>(reloc_count, 1u << 20) + 16);
  for (uint32_t index : ctx.rel_sections) {
    const elf::Section& rel = elf.sections()[index];
    if (rel.info >= ctx.roles.size() || ctx.roles[rel.info] != SectionRole::Code) continue;
    const elf::Section& code = elf.sections()[rel.info];
    BPFXX_TRY_ASSIGN(auto relocs, elf.relocations(rel, &ctx.arena));
    size_t orphaned = 0;  // relocations in code no function covers
    for (const elf::Relocation& r : relocs) {
      Function* fn = nullptr;
      uint32_t fn_index = 0;
      for (uint32_t k = 0; k < ctx.functions.size(); ++k) {
        Function& f = ctx.functions[k];
        if (f.section == code.index && r.offset >= f.byte_offset && r.offset < f.byte_offset + f.byte_size) {
          fn = &f;
          fn_index = k;
        }
      }
      // (The section's size is a multiple of 8, so an aligned offset below
      // it has a whole instruction; no sum that could wrap.)
      if (fn == nullptr && r.offset % 8 == 0 && r.offset < code.size) {
        // Inside the section but in no function: a static link that kept
        // two __weak definitions drops the loser's symbol and leaves its
        // body behind. That code is in no program, so its relocations
        // have nothing to patch (libbpf skips them too).
        ++orphaned;
        continue;
      }
      if (fn == nullptr || r.offset % 8 != 0) {
        return ctx.error(fmt::format("relocation at offset {} of '{}' is not at an instruction of a function",
                                     r.offset, code.name));
      }
      uint32_t idx = static_cast<uint32_t>((r.offset - fn->byte_offset) / 8);
      const Insn insn = ctx.insn(*fn, idx);
      const elf::Symbol& sym = elf.symbols()[r.symbol];
      auto where = [&] { return fmt::format("'{}' instruction {}", fn->name, idx); };
      bool ld64 = insn::is_ld_imm64(insn);
      if (ld64 && idx + 1 >= fn->insn_count()) {
        return ctx.error(fmt::format("{}: ld_imm64 is truncated", where()));
      }
      PendingReloc p;
      p.function = fn_index;
      p.insn_index = idx;
      if (sym.section == elf::kShnUndef) {
        if (sym.name.empty()) return ctx.error(fmt::format("{}: relocation against an unnamed undefined symbol", where()));
        const ExternSpec* ext = ctx.extern_named(sym.name);
        if (ext != nullptr && ext->kind == ExternKind::Kconfig) {
          // A .kconfig value is data in the .kconfig map.
          if (!ld64) return ctx.error(fmt::format("{}: a .kconfig reference must be a ld_imm64", where()));
          p.kind = RelocKind::MapValue;
          p.target = ".kconfig";
          p.offset = ext->offset + static_cast<uint32_t>(insn.imm);
        } else if (ext == nullptr) {
          // libbpf refuses these too: only __kconfig and __ksym externs have
          // a meaning (and a DATASEC the kernel accepts in the BTF).
          return Error(Errc::InvalidInput,
                       fmt::format("{}: extern '{}' is neither __kconfig nor __ksym{}", where(), sym.name,
                                   ctx.btf == nullptr ? " (the object has no BTF: compile it with -g)" : ""))
              .with_op("parse object")
              .with_object(ctx.spec->name)
              .with_hint("declare it `extern ... __kconfig` for a kernel config value (CONFIG_*, "
                         "LINUX_KERNEL_VERSION) or `extern ... __ksym` for a kernel symbol or kfunc");
        } else {
          // A kfunc may be called or have its address taken (bpf_ksym_exists);
          // a variable can only be loaded.
          if (ext != nullptr && ext->kind != ExternKind::Kfunc && insn::is_pseudo_call(insn)) {
            return ctx.error(fmt::format("{}: extern '{}' is called but declared as a variable", where(), sym.name));
          }
          p.kind = RelocKind::Extern;
          p.target = sym.name;
        }
        ctx.relocs.push_back(p);
        continue;
      }
      if (sym.section >= elf::kShnLoreserve || sym.section >= ctx.roles.size()) {
        return ctx.error(fmt::format("{}: relocation against special section index {}", where(), sym.section));
      }
      const elf::Section& target_sec = elf.sections()[sym.section];
      switch (ctx.roles[sym.section]) {
        case SectionRole::Maps:
        case SectionRole::LegacyMaps: {
          if (!ld64) return ctx.error(fmt::format("{}: a map reference must be a ld_imm64", where()));
          uint64_t off = sym.value + (sym.type == elf::kSttSection ? static_cast<uint64_t>(insn.imm) : 0);
          const MapPlacement* place = nullptr;
          for (const MapPlacement& mp : ctx.map_places) {
            if (mp.section == sym.section && mp.offset == off) place = &mp;
          }
          if (place == nullptr) {
            return ctx.error(fmt::format("{}: no map at offset {} of '{}'", where(), off, target_sec.name));
          }
          p.kind = RelocKind::MapFd;
          p.target = ctx.spec->maps[place->map_index].name;
          break;
        }
        case SectionRole::Data: {
          if (!ld64) return ctx.error(fmt::format("{}: a global variable reference must be a ld_imm64", where()));
          size_t data_map = ctx.data_map_by_section[sym.section];
          if (data_map == ParseContext::kNoMap) {
            return ctx.error(fmt::format("{}: reference to empty section '{}'", where(), target_sec.name));
          }
          int64_t off = static_cast<int64_t>(sym.value) + insn.imm;
          if (off < 0 || static_cast<uint64_t>(off) > target_sec.size) {
            return ctx.error(fmt::format("{}: offset {} is outside '{}' ({} bytes)", where(), off, target_sec.name,
                                         target_sec.size));
          }
          p.kind = RelocKind::MapValue;
          p.target = ctx.spec->maps[data_map].name;
          p.offset = static_cast<uint32_t>(off);
          break;
        }
        case SectionRole::Code: {
          p.target_section = sym.section;
          if (insn::is_pseudo_call(insn)) {
            if (sym.value % 8 != 0) return ctx.error(fmt::format("{}: call target is misaligned", where()));
            p.kind = RelocKind::Call;
            p.target_insn = static_cast<int64_t>(sym.value / 8) + insn.imm + 1;
          } else if (ld64) {
            int64_t byte = static_cast<int64_t>(sym.value) + insn.imm;
            if (byte < 0 || byte % 8 != 0) return ctx.error(fmt::format("{}: function address is misaligned", where()));
            p.kind = RelocKind::Func;
            p.target_insn = byte / 8;
          } else {
            return ctx.error(fmt::format("{}: relocation against code that is neither a call nor a ld_imm64 ({})",
                                         where(), insn::to_string(insn)));
          }
          break;
        }
        case SectionRole::Other:
          return Error(Errc::NotSupported,
                       fmt::format("not supported yet: references to section '{}' ({})", target_sec.name, where()))
              .with_op("parse object")
              .with_object(ctx.spec->name);
        default:
          return ctx.error(fmt::format("{}: relocation against section '{}', which holds no maps, data or code",
                                       where(), target_sec.name));
      }
      ctx.relocs.push_back(p);
    }
    if (orphaned != 0) {
      ctx.spec->notes.push_back(fmt::format(
          "section '{}': {} relocation{} in code no function symbol covers (the body of a __weak function "
          "a static link overrode) skipped: that code is in no program",
          code.name, orphaned, orphaned == 1 ? "" : "s"));
    }
  }
  auto by_function_insn = [](const PendingReloc& a, const PendingReloc& b) {
    return a.function != b.function ? a.function < b.function : a.insn_index < b.insn_index;
  };
  std::sort(ctx.relocs.begin(), ctx.relocs.end(), by_function_insn);
  // Calls within one section need no relocation: clang encodes them relative
  // to the call itself. Record them so linking treats every call alike.
  const size_t with_elf_relocs = ctx.relocs.size();
  size_t cursor = 0;
  for (uint32_t k = 0; k < ctx.functions.size(); ++k) {
    const Function& f = ctx.functions[k];
    // Every function is scanned, even one alone in its section: an
    // unrelocated call that does not land on a function start is an error
    // here, not code that linking would silently send into a subprogram.
    const std::byte* const code_start = f.code.data();
    const uint32_t count = f.insn_count();
    // Only calls and 64-bit loads can be pseudo calls or callbacks; the
    // opcode byte is the same in both byte orders. The table makes the
    // common case (neither) one load and one test. Helper calls are common
    // too: the source register, read straight from the register byte (its
    // high nibble here, its low one in a byte-swapped object), sets them
    // apart without decoding the instruction.
    const unsigned src_shift = ctx.swapped ? 0 : 4;
    for (uint32_t i = 0; i < count;) {
      const std::byte* at = code_start + size_t{i} * 8;
      const uint8_t code = static_cast<uint8_t>(at[0]);
      if (!kMayCall[code]) [[likely]] {
        ++i;
        continue;
      }
      const uint8_t src = (static_cast<uint8_t>(at[1]) >> src_shift) & 0xf;
      if (src != (code == insn::kLdImm64 ? insn::kPseudoFunc : insn::kPseudoCall)) {
        i += code == insn::kLdImm64 ? 2 : 1;  // a ld_imm64's second half starts nothing
        continue;
      }
      // A pseudo call or callback address: relocated already, or a call
      // within the section that linking must resolve.
      const bool local_call = code != insn::kLdImm64;
      while (cursor < with_elf_relocs &&
             (ctx.relocs[cursor].function < k ||
              (ctx.relocs[cursor].function == k && ctx.relocs[cursor].insn_index < i))) {
        ++cursor;
      }
      bool has_reloc =
          cursor < with_elf_relocs && ctx.relocs[cursor].function == k && ctx.relocs[cursor].insn_index == i;
      if (!has_reloc) {
        PendingReloc p;
        p.function = k;
        p.insn_index = i;
        p.kind = local_call ? RelocKind::Call : RelocKind::Func;
        p.target_section = f.section;
        p.target_insn = static_cast<int64_t>(f.byte_offset / 8) + i + ctx.insn(f, i).imm + 1;
        ctx.relocs.push_back(p);
      }
      i += code == insn::kLdImm64 ? 2 : 1;  // a ld_imm64's second half starts nothing
    }
  }
  if (ctx.relocs.size() != with_elf_relocs) std::sort(ctx.relocs.begin(), ctx.relocs.end(), by_function_insn);
  for (size_t i = 0; i < ctx.relocs.size();) {
    size_t j = i;
    while (j < ctx.relocs.size() && ctx.relocs[j].function == ctx.relocs[i].function) ++j;
    Function& f = ctx.functions[ctx.relocs[i].function];
    f.reloc_begin = static_cast<uint32_t>(i);
    f.reloc_end = static_cast<uint32_t>(j);
    i = j;
  }
  return {};
}

}  // namespace bpfxx::spec
