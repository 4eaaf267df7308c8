// Maps from an object: BTF-defined maps in .maps, legacy struct bpf_map_def
// maps in "maps", global data sections, and the initial slots of map-in-map
// and program-array maps.
#include "spec/parse_context.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace bpfxx::spec {

namespace {

using btf::Kind;
using btf::Type;
using btf::TypeId;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// `__uint(name, N)` is `int (*name)[N]`: a pointer to an array of N ints.
// `__ulong(name, N)` is an anonymous enum whose single enumerator is N.
Result<uint64_t> uint_member(const btf::Spec& b, const btf::Member& m, const std::string& map) {
  BPFXX_TRY_ASSIGN(TypeId tid, b.resolve(m.type));
  BPFXX_TRY_ASSIGN(Type t, b.type(tid));
  if (t.kind() == Kind::Ptr) {
    BPFXX_TRY_ASSIGN(TypeId aid, b.resolve(t.ref()));
    BPFXX_TRY_ASSIGN(Type a, b.type(aid));
    if (a.kind() == Kind::Array) return uint64_t{a.array().nelems};
  } else if (t.is_enum() && t.vlen() == 1) {
    return static_cast<uint64_t>(t.enumerator(0).value);
  }
  return Error(Errc::InvalidInput,
               fmt::format("map '{}': attribute '{}' is not an integer declared with __uint or __ulong", map, m.name))
      .with_op("parse map definition")
      .with_map(map);
}

// `__type(name, T)` is `typeof(T) *name`: the pointee is the type.
Result<TypeId> type_member(const btf::Spec& b, const btf::Member& m, const std::string& map) {
  BPFXX_TRY_ASSIGN(TypeId tid, b.resolve(m.type));
  BPFXX_TRY_ASSIGN(Type t, b.type(tid));
  if (t.kind() != Kind::Ptr) {
    return Error(Errc::InvalidInput,
                 fmt::format("map '{}': attribute '{}' is not a type declared with __type", map, m.name))
        .with_op("parse map definition")
        .with_map(map);
  }
  return t.ref();
}

Error map_error(const std::string& map, std::string message) {
  return Error(Errc::InvalidInput, std::move(message)).with_op("parse map definition").with_map(map);
}

// Fills `out` from the struct describing a BTF-defined map. Returns the byte
// offset of the `values` member when present (for slot initialisers).
Result<std::optional<uint64_t>> parse_map_def(const btf::Spec& b, TypeId def_id, MapSpec& out, int depth) {
  BPFXX_TRY_ASSIGN(TypeId sid, b.resolve(def_id));
  BPFXX_TRY_ASSIGN(Type def, b.type(sid));
  if (!def.is_struct_or_union() || def.kind() != Kind::Struct) {
    return map_error(out.name, fmt::format("map '{}' is not a struct but {}", out.name, btf::to_string(def.kind())));
  }
  std::optional<uint64_t> values_offset;
  bool have_key_size = false, have_value_size = false;
  for (uint32_t i = 0; i < def.vlen(); ++i) {
    btf::Member m = def.member(i);
    std::string_view n = m.name;
    if (n == "type") {
      BPFXX_TRY_ASSIGN(uint64_t v, uint_member(b, m, out.name));
      out.type = static_cast<MapType>(v);
    } else if (n == "max_entries") {
      BPFXX_TRY_ASSIGN(uint64_t v, uint_member(b, m, out.name));
      out.max_entries = static_cast<uint32_t>(v);
    } else if (n == "map_flags") {
      BPFXX_TRY_ASSIGN(uint64_t v, uint_member(b, m, out.name));
      out.flags = static_cast<uint32_t>(v);
    } else if (n == "numa_node") {
      BPFXX_TRY_ASSIGN(uint64_t v, uint_member(b, m, out.name));
      out.numa_node = static_cast<uint32_t>(v);
    } else if (n == "map_extra") {
      BPFXX_TRY_ASSIGN(out.map_extra, uint_member(b, m, out.name));
    } else if (n == "pinning") {
      BPFXX_TRY_ASSIGN(uint64_t v, uint_member(b, m, out.name));
      if (v > 1) return map_error(out.name, fmt::format("map '{}': unknown pinning type {}", out.name, v));
      out.pinning = static_cast<PinType>(v);
    } else if (n == "key_size") {
      BPFXX_TRY_ASSIGN(uint64_t v, uint_member(b, m, out.name));
      if (have_key_size && out.key_size != v) {
        return map_error(out.name, fmt::format("map '{}': key_size {} conflicts with the key type's size {}",
                                               out.name, v, out.key_size));
      }
      out.key_size = static_cast<uint32_t>(v);
      have_key_size = true;
    } else if (n == "value_size") {
      BPFXX_TRY_ASSIGN(uint64_t v, uint_member(b, m, out.name));
      if (have_value_size && out.value_size != v) {
        return map_error(out.name, fmt::format("map '{}': value_size {} conflicts with the value type's size {}",
                                               out.name, v, out.value_size));
      }
      out.value_size = static_cast<uint32_t>(v);
      have_value_size = true;
    } else if (n == "key") {
      BPFXX_TRY_ASSIGN(TypeId t, type_member(b, m, out.name));
      BPFXX_TRY_ASSIGN(uint32_t size, b.size_of(t));
      if (have_key_size && out.key_size != size) {
        return map_error(out.name, fmt::format("map '{}': key type size {} conflicts with key_size {}", out.name,
                                               size, out.key_size));
      }
      out.key_size = size;
      out.key_type = t;
      have_key_size = true;
    } else if (n == "value") {
      BPFXX_TRY_ASSIGN(TypeId t, type_member(b, m, out.name));
      BPFXX_TRY_ASSIGN(uint32_t size, b.size_of(t));
      if (have_value_size && out.value_size != size) {
        return map_error(out.name, fmt::format("map '{}': value type size {} conflicts with value_size {}",
                                               out.name, size, out.value_size));
      }
      out.value_size = size;
      out.value_type = t;
      have_value_size = true;
    } else if (n == "values") {
      // __array(values, T): a flexible array of pointers to T, where T is an
      // inner map definition (map-in-map) or a function prototype (prog array).
      BPFXX_TRY_ASSIGN(TypeId aid, b.resolve(m.type));
      BPFXX_TRY_ASSIGN(Type arr, b.type(aid));
      if (arr.kind() != Kind::Array || arr.array().nelems != 0) {
        return map_error(out.name, fmt::format("map '{}': 'values' must be declared with __array", out.name));
      }
      BPFXX_TRY_ASSIGN(TypeId pid, b.resolve(arr.array().elem_type));
      BPFXX_TRY_ASSIGN(Type ptr, b.type(pid));
      if (ptr.kind() != Kind::Ptr) {
        return map_error(out.name, fmt::format("map '{}': 'values' must be an array of pointers", out.name));
      }
      BPFXX_TRY_ASSIGN(TypeId target_id, b.resolve(ptr.ref()));
      BPFXX_TRY_ASSIGN(Type target, b.type(target_id));
      if (target.kind() == Kind::Struct) {
        if (depth > 0) return map_error(out.name, fmt::format("map '{}': inner maps cannot nest further", out.name));
        auto inner = std::make_shared<MapSpec>();
        inner->name = out.name + ".inner";
        inner->section = out.section;
        inner->origin = MapOrigin::Inner;
        BPFXX_TRY(parse_map_def(b, target_id, *inner, depth + 1));
        out.inner = std::move(inner);
      } else if (target.kind() != Kind::FuncProto) {
        return map_error(out.name, fmt::format("map '{}': 'values' points to {}, expected a map definition or a "
                                               "function prototype",
                                               out.name, btf::to_string(target.kind())));
      }
      if (!have_value_size) out.value_size = 4;  // slots hold fds
      have_value_size = true;
      values_offset = m.bit_offset / 8;
    } else {
      return Error(Errc::NotSupported,
                   fmt::format("not supported yet: map attribute '{}' in map '{}'", n, out.name))
          .with_op("parse map definition")
          .with_map(out.name);
    }
  }
  if (out.type == MapType::Unspec) {
    return map_error(out.name, fmt::format("map '{}' has no type", out.name));
  }
  return values_offset;
}

}  // namespace

Result<void> parse_btf_maps(ParseContext& ctx, const elf::Section& section) {
  if (ctx.btf == nullptr) {
    return ctx.error("section .maps needs BTF: compile the object with -g");
  }
  const btf::Spec& b = *ctx.btf;
  const btf::TypeId ds_id = ctx.datasec_by_section[section.index];
  if (ds_id == 0) return ctx.error("BTF has no DATASEC for section .maps");
  Type ds = b.type_unchecked(ds_id);
  for (uint32_t i = 0; i < ds.vlen(); ++i) {
    btf::VarSecinfo vs = ds.secinfo(i);
    BPFXX_TRY_ASSIGN(Type var, b.type(vs.type));
    if (var.kind() != Kind::Var) {
      return ctx.error(fmt::format(".maps entry {} is {} and not a VAR", i, btf::to_string(var.kind())));
    }
    const std::string_view name = var.name();
    const elf::Symbol* sym = ctx.symbol_in(section.index, name);
    if (sym == nullptr) return ctx.error(fmt::format("map '{}' has no symbol in .maps", name));
    // Built in place (the list was reserved): on an error the whole parse
    // fails, spec and all.
    MapSpec& m = ctx.spec->maps.emplace_back();
    m.name = std::string(name);
    m.section = std::string(section.name);
    m.origin = MapOrigin::BtfDefined;
    BPFXX_TRY_ASSIGN(auto values_offset, parse_map_def(b, var.ref(), m, 0));
    MapPlacement place;
    place.section = section.index;
    place.offset = sym->value;
    place.size = sym->size;
    place.map_index = ctx.spec->maps.size() - 1;
    place.has_values = values_offset.has_value();
    place.values_offset = values_offset.value_or(0);
    ctx.map_places.push_back(place);
  }
  return {};
}

Result<void> parse_legacy_maps(ParseContext& ctx, const elf::Section& section) {
  // struct bpf_map_def: type, key_size, value_size, max_entries, map_flags,
  // and in some loaders inner_map_idx and numa_node after them.
  constexpr uint64_t kBaseSize = 20;
  ParseContext::Vec<const elf::Symbol*> syms(&ctx.arena);
  for (const elf::Symbol* s : ctx.symbols_of(section.index)) {
    if (s->type != elf::kSttSection && !s->name.empty()) syms.push_back(s);
  }
  std::sort(syms.begin(), syms.end(), [](auto* a, auto* b) { return a->value < b->value; });
  if (syms.empty()) return {};
  detail::ByteReader r = ctx.elf->reader_for(section);
  for (size_t i = 0; i < syms.size(); ++i) {
    const elf::Symbol& s = *syms[i];
    // Older objects leave st_size at 0; the gap to the next map is the size.
    uint64_t size = s.size;
    if (size == 0) size = (i + 1 < syms.size() ? syms[i + 1]->value : section.size) - s.value;
    if (size < kBaseSize || !r.in_bounds(s.value, kBaseSize)) {
      return ctx.error(fmt::format("legacy map '{}' is {} bytes, too small for struct bpf_map_def", s.name, size));
    }
    size_t o = static_cast<size_t>(s.value);
    MapSpec m;
    m.name = std::string(s.name);
    m.section = std::string(section.name);
    m.origin = MapOrigin::Legacy;
    m.type = static_cast<MapType>(r.get<uint32_t>(o));
    m.key_size = r.get<uint32_t>(o + 4);
    m.value_size = r.get<uint32_t>(o + 8);
    m.max_entries = r.get<uint32_t>(o + 12);
    m.flags = r.get<uint32_t>(o + 16);
    if (size >= 28 && r.in_bounds(o + 24, 4)) m.numa_node = r.get<uint32_t>(o + 24);
    for (uint64_t extra = 28; extra < size && r.in_bounds(o + extra, 1); ++extra) {
      if (r.get<uint8_t>(static_cast<size_t>(o + extra)) != 0) {
        return Error(Errc::NotSupported,
                     fmt::format("not supported yet: legacy map '{}' sets fields past struct bpf_map_def", m.name))
            .with_op("parse map definition")
            .with_map(m.name);
      }
    }
    MapPlacement place;
    place.section = section.index;
    place.offset = s.value;
    place.size = size;
    place.map_index = ctx.spec->maps.size();
    ctx.map_places.push_back(place);
    ctx.spec->maps.push_back(std::move(m));
  }
  return {};
}

Result<void> fix_datasecs(ParseContext& ctx) {
  if (ctx.btf == nullptr) return {};
  btf::Spec& b = *ctx.btf;
  ParseContext::Vec<btf::VarSecinfo> infos(&ctx.arena);  // reused across sections
  for (const ParseContext::Datasec& d : ctx.datasecs) {
    // Extern datasecs (.kconfig, .ksyms) have no ELF section: their layout
    // is decided when externs are resolved.
    if (d.section == 0) continue;
    const btf::TypeId id = d.id;
    const elf::Section* sec = &ctx.elf->sections()[d.section];
    Type ds = b.type_unchecked(id);
    if (ds.size() != sec->size) BPFXX_TRY(b.set_size(id, static_cast<uint32_t>(sec->size)));
    infos.clear();
    for (uint32_t i = 0; i < ds.vlen(); ++i) infos.push_back(ds.secinfo(i));
    for (auto& vs : infos) {
      BPFXX_TRY_ASSIGN(Type var, b.type(vs.type));
      if (var.kind() != Kind::Var) continue;
      const elf::Symbol* sym = ctx.symbol_in(sec->index, var.name());
      if (sym == nullptr) {
        return ctx.error(fmt::format("variable '{}' of section '{}' has no ELF symbol", var.name(), ds.name()));
      }
      vs.offset = static_cast<uint32_t>(sym->value);
      // Hidden globals are private to the object: the kernel sees them static.
      if (sym->visibility == elf::kStvHidden && var.var_linkage() == btf::VarLinkage::GlobalAllocated) {
        BPFXX_TRY(b.set_var_linkage(vs.type, btf::VarLinkage::Static));
      }
    }
    // The kernel wants variables in increasing offset order. A stable
    // insertion sort: sections hold few variables, usually in order already.
    for (size_t i = 1; i < infos.size(); ++i) {
      for (size_t j = i; j > 0 && infos[j].offset < infos[j - 1].offset; --j) std::swap(infos[j], infos[j - 1]);
    }
    Type fixed = b.type_unchecked(id);  // the record may have moved when it was first written
    for (uint32_t i = 0; i < infos.size(); ++i) {
      if (!(fixed.secinfo(i) == infos[i])) BPFXX_TRY(b.set_secinfo(id, i, infos[i]));
    }
  }
  return {};
}

Result<void> parse_data_section(ParseContext& ctx, const elf::Section& section) {
  if (section.size == 0) return {};  // nothing to map, nothing can refer to it
  if (section.size > UINT32_MAX) return ctx.error(fmt::format("data section '{}' is too large", section.name));
  // Built in place (the list was reserved): on an error the whole parse
  // fails, spec and all.
  ctx.data_map_by_section[section.index] = ctx.spec->maps.size();  // sized in index_symbols_and_datasecs
  MapSpec& m = ctx.spec->maps.emplace_back();
  m.name = std::string(section.name);
  m.section = m.name;
  m.origin = MapOrigin::Data;
  m.type = MapType::Array;
  m.key_size = 4;
  m.value_size = static_cast<uint32_t>(section.size);
  m.max_entries = 1;
  m.read_only = starts_with(section.name, ".rodata");
  m.flags = kMapFlagMmapable | (m.read_only ? kMapFlagRdonlyProg : 0);
  if (section.type == elf::kShtNobits) {
    // A NOBITS size is not backed by file bytes: bound it by what a map
    // value can be, and keep no zeros in memory (empty contents are zeros).
    constexpr uint64_t kMaxDataSection = uint64_t{1} << 30;
    if (section.size > kMaxDataSection) {
      return ctx.error(fmt::format("data section '{}' is {} bytes, more than a map value can hold", section.name,
                                   section.size));
    }
  } else {
    m.contents.assign(section.data.begin(), section.data.end());
  }
  if (ctx.btf != nullptr) {
    if (const btf::TypeId ds = ctx.datasec_by_section[section.index]; ds != 0) {
      m.value_type = ds;
      Type t = ctx.btf->type_unchecked(ds);
      m.variables.reserve(t.vlen());
      for (uint32_t i = 0; i < t.vlen(); ++i) {
        btf::VarSecinfo vs = t.secinfo(i);
        Type var = ctx.btf->type_unchecked(vs.type);
        if (var.kind() != Kind::Var) continue;
        m.variables.push_back({std::string(var.name()), vs.offset, vs.size, var.ref(),
                               var.var_linkage() != btf::VarLinkage::Static});
      }
    }
  }
  if (m.value_type == 0) {
    // Without BTF the symbol table still names the variables.
    for (const elf::Symbol* sp : ctx.symbols_of(section.index)) {
      const elf::Symbol& s = *sp;
      if (s.type != elf::kSttObject) continue;
      m.variables.push_back({std::string(s.name), static_cast<uint32_t>(s.value), static_cast<uint32_t>(s.size), 0,
                             s.bind != elf::kStbLocal});
    }
    std::stable_sort(m.variables.begin(), m.variables.end(),
                     [](auto& a, auto& b) { return a.offset < b.offset; });
  }
  for (const VariableSpec& v : m.variables) {
    if (uint64_t{v.offset} + v.size > section.size) {
      return ctx.error(fmt::format("variable '{}' [{}, +{}) lies outside section '{}' ({} bytes)", v.name, v.offset,
                                   v.size, section.name, section.size));
    }
  }
  return {};
}

Result<void> parse_map_slot_inits(ParseContext& ctx) {
  for (uint32_t rel_index : ctx.rel_sections) {
    const elf::Section& rel = ctx.elf->sections()[rel_index];
    if (rel.info >= ctx.roles.size()) continue;
    SectionRole role = ctx.roles[rel.info];
    if (role != SectionRole::Maps && role != SectionRole::LegacyMaps) continue;
    BPFXX_TRY_ASSIGN(auto relocs, ctx.elf->relocations(rel, &ctx.arena));
    for (const elf::Relocation& r : relocs) {
      const elf::Symbol& sym = ctx.elf->symbols()[r.symbol];
      const MapPlacement* place = nullptr;
      for (const MapPlacement& p : ctx.map_places) {
        if (p.section == rel.info && r.offset >= p.offset && r.offset < p.offset + p.size) place = &p;
      }
      if (place == nullptr) {
        return ctx.error(fmt::format("relocation at .maps offset {} is outside every map", r.offset));
      }
      MapSpec& m = ctx.spec->maps[place->map_index];
      uint64_t rel_off = r.offset - place->offset;
      if (!place->has_values || rel_off < place->values_offset || (rel_off - place->values_offset) % 8 != 0) {
        return ctx.error(fmt::format("map '{}': relocation at offset {} is not a 'values' slot", m.name, rel_off));
      }
      uint32_t slot = static_cast<uint32_t>((rel_off - place->values_offset) / 8);
      if (slot >= m.max_entries) {
        return ctx.error(fmt::format("map '{}': initial slot {} is beyond max_entries {}", m.name, slot, m.max_entries));
      }
      if (sym.name.empty()) return ctx.error(fmt::format("map '{}': slot {} refers to an unnamed symbol", m.name, slot));
      bool is_prog_array = m.type == MapType::ProgArray;
      if (is_prog_array != (sym.type == elf::kSttFunc)) {
        return ctx.error(fmt::format("map '{}': slot {} refers to '{}', which is not a {}", m.name, slot, sym.name,
                                     is_prog_array ? "program" : "map"));
      }
      m.initial_slots.push_back({slot, std::string(sym.name)});
    }
  }
  return {};
}

}  // namespace bpfxx::spec
