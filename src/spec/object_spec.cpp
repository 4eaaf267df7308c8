#include <bpfxx/object_spec.hpp>

#include "base/mapped_file.hpp"
#include "spec/parse_context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace bpfxx {

std::string_view to_string(MapOrigin origin) noexcept {
  switch (origin) {
    case MapOrigin::BtfDefined: return "btf";
    case MapOrigin::Legacy: return "legacy";
    case MapOrigin::Data: return "data";
    case MapOrigin::Inner: return "inner";
  }
  return "unknown";
}

std::string_view to_string(ExternKind kind) noexcept {
  switch (kind) {
    case ExternKind::Kconfig: return "kconfig";
    case ExternKind::Ksym: return "ksym";
    case ExternKind::Kfunc: return "kfunc";
  }
  return "unknown";
}

std::string_view to_string(RelocKind kind) noexcept {
  switch (kind) {
    case RelocKind::MapFd: return "map_fd";
    case RelocKind::MapValue: return "map_value";
    case RelocKind::Call: return "call";
    case RelocKind::Func: return "func";
    case RelocKind::Extern: return "extern";
  }
  return "unknown";
}

const VariableSpec* MapSpec::variable(std::string_view var_name) const noexcept {
  for (const VariableSpec& v : variables) {
    if (v.name == var_name) return &v;
  }
  return nullptr;
}

bool MapSpec::operator==(const MapSpec& o) const {
  bool inner_equal = (!inner && !o.inner) || (inner && o.inner && *inner == *o.inner);
  return name == o.name && section == o.section && origin == o.origin && type == o.type &&
         key_size == o.key_size && value_size == o.value_size && max_entries == o.max_entries &&
         flags == o.flags && numa_node == o.numa_node && map_extra == o.map_extra && pinning == o.pinning &&
         key_type == o.key_type && value_type == o.value_type && inner_equal &&
         initial_slots == o.initial_slots && contents == o.contents && variables == o.variables &&
         read_only == o.read_only;
}

namespace {

std::string stem(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') + 1);
  for (std::string_view suffix : {".o", ".bpf", ".bpfel", ".bpfeb"}) {
    if (base.size() > suffix.size() && base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0) {
      base.resize(base.size() - suffix.size());
    }
  }
  return base.empty() ? "object" : base;
}

Result<ObjectSpec> parse_steps(std::shared_ptr<const detail::MappedFile> file, std::string name) {
  ObjectSpec spec;
  spec.name = std::move(name);
  auto with_name = [&](Error e) { return std::move(e).with_object_if_unset(spec.name); };

  // The context (and its arena) comes first: the ELF tables live in it.
  spec::ParseContext ctx;
  auto elf_r = elf::File::parse(file->bytes(), &ctx.arena);
  if (!elf_r) return with_name(std::move(elf_r).error());
  const elf::File& elf = *elf_r;
  if (elf.machine() != elf::kMachineBpf) {
    return with_name(Error(Errc::InvalidInput,
                           fmt::format("not a BPF object: ELF machine is {}, expected {} (EM_BPF)", elf.machine(),
                                       elf::kMachineBpf))
                         .with_op("parse object"));
  }
  if (elf.type() != 1) {
    return with_name(Error(Errc::InvalidInput,
                           fmt::format("ELF type {} is not a relocatable object (ET_REL); BPF objects come from "
                                       "clang -c",
                                       elf.type()))
                         .with_op("parse object"));
  }
  spec.big_endian = elf.big_endian();

  ctx.elf = &elf;
  ctx.spec = &spec;
  ctx.swapped = elf.reader().swapped();
  // One pass over the sections: each one's role, and where .BTF and
  // .BTF.ext are (neither is loaded, so both are Ignored).
  const elf::Section* btf_section = nullptr;
  const elf::Section* btf_ext_section = nullptr;
  ctx.roles.reserve(elf.sections().size());
  ctx.roled_sections.reserve(elf.sections().size());
  ctx.rel_sections.reserve(elf.sections().size());
  for (const elf::Section& s : elf.sections()) {
    const spec::SectionRole role = spec::classify(s);
    ctx.roles.push_back(role);
    if (role != spec::SectionRole::Ignored) ctx.roled_sections.push_back(s.index);
    if (s.type == elf::kShtRel || s.type == elf::kShtRela) ctx.rel_sections.push_back(s.index);
    if (s.index == 0 || s.name.size() < 4 || s.name[1] != 'B') continue;  // cheap filter first
    if (btf_section == nullptr && s.name == ".BTF") btf_section = &s;
    if (btf_ext_section == nullptr && s.name == ".BTF.ext") btf_ext_section = &s;
  }

  for (uint32_t i : ctx.roled_sections) {
    const elf::Section& s = elf.sections()[i];
    if (ctx.roles[s.index] == spec::SectionRole::License) {
      auto text = detail::ByteReader(s.data).cstr_at(0);
      spec.license = text ? std::string(*text)
                          : std::string(reinterpret_cast<const char*>(s.data.data()), s.data.size());
    } else if (ctx.roles[s.index] == spec::SectionRole::Version) {
      auto v = elf.reader_for(s).read<uint32_t>(0);
      if (!v || s.size != 4) return ctx.error("section 'version' must hold one 32-bit value");
      spec.kernel_version = *v;
    }
  }

  std::optional<btf::Spec> btf_spec;
  if (const elf::Section* s = btf_section) {
    auto b = btf::Spec::parse(s->data, file);
    if (!b) return with_name(std::move(b).error().with_context("section .BTF"));
    btf_spec = std::move(*b);
    ctx.btf = &*btf_spec;
    if (const elf::Section* e = btf_ext_section) {
      auto ext = btf::Ext::parse(e->data, *btf_spec);
      if (!ext) return with_name(std::move(ext).error().with_context("section .BTF.ext"));
      ctx.ext = std::move(*ext);
    }
  }

  spec::index_symbols_and_datasecs(ctx);
  BPFXX_TRY(spec::fix_datasecs(ctx));
  // Room for every map at once: one per .maps/maps symbol, one per data
  // section, and the two extern maps (.kconfig, .ksyms).
  size_t map_bound = 2;
  for (uint32_t i : ctx.roled_sections) {
    const elf::Section& s = elf.sections()[i];
    switch (ctx.roles[s.index]) {
      case spec::SectionRole::Maps:
      case spec::SectionRole::LegacyMaps: map_bound += ctx.symbols_of(s.index).size(); break;
      case spec::SectionRole::Data: ++map_bound; break;
      default: break;
    }
  }
  spec.maps.reserve(map_bound);
  for (uint32_t i : ctx.roled_sections) {
    const elf::Section& s = elf.sections()[i];
    switch (ctx.roles[s.index]) {
      case spec::SectionRole::Maps: BPFXX_TRY(spec::parse_btf_maps(ctx, s)); break;
      case spec::SectionRole::LegacyMaps: BPFXX_TRY(spec::parse_legacy_maps(ctx, s)); break;
      case spec::SectionRole::Data: BPFXX_TRY(spec::parse_data_section(ctx, s)); break;
      default: break;
    }
  }
  for (size_t i = 0; i < spec.maps.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (spec.maps[i].name == spec.maps[j].name) {
        return ctx.error(fmt::format("two maps are named '{}'", spec.maps[i].name));
      }
    }
  }
  BPFXX_TRY(spec::parse_externs(ctx));
  BPFXX_TRY(spec::parse_map_slot_inits(ctx));
  BPFXX_TRY(spec::collect_functions(ctx));
  BPFXX_TRY(spec::collect_relocations(ctx));
  BPFXX_TRY(spec::link_programs(ctx));

  for (const MapSpec& m : spec.maps) {
    for (const MapSlotInit& slot : m.initial_slots) {
      bool found = m.type == MapType::ProgArray ? spec.program(slot.target) != nullptr : spec.map(slot.target) != nullptr;
      if (!found) {
        return ctx.error(fmt::format("map '{}' slot {} refers to '{}', which is not a {} of this object", m.name,
                                     slot.index, slot.target, m.type == MapType::ProgArray ? "program" : "map"));
      }
    }
  }
  if (btf_spec) spec.btf = std::make_shared<const btf::Spec>(std::move(*btf_spec));
  return spec;
}

// Errors of every step name the object, including those from layers that do
// not know it (a map definition, a BTF lookup, an ELF relocation table).
Result<ObjectSpec> parse_file(std::shared_ptr<const detail::MappedFile> file, std::string name) {
  std::string object = name;
  auto spec = parse_steps(std::move(file), std::move(name));
  if (!spec) return std::move(spec).error().with_object_if_unset(object);
  return spec;
}

}  // namespace

Result<ObjectSpec> ObjectSpec::open(const std::string& path) {
  auto file = detail::MappedFile::open(path);
  if (!file) return std::move(file).error().with_context("opening BPF object '" + path + "'");
  return parse_file(std::move(*file), stem(path));
}

Result<ObjectSpec> ObjectSpec::parse(std::span<const std::byte> bytes, std::string name) {
  return parse_file(detail::MappedFile::copy_of(bytes), std::move(name));
}

ProgramSpec* ObjectSpec::program(std::string_view n) noexcept {
  for (ProgramSpec& p : programs) {
    if (p.name == n) return &p;
  }
  return nullptr;
}
const ProgramSpec* ObjectSpec::program(std::string_view n) const noexcept {
  return const_cast<ObjectSpec*>(this)->program(n);
}
MapSpec* ObjectSpec::map(std::string_view n) noexcept {
  for (MapSpec& m : maps) {
    if (m.name == n) return &m;
  }
  return nullptr;
}
const MapSpec* ObjectSpec::map(std::string_view n) const noexcept { return const_cast<ObjectSpec*>(this)->map(n); }

namespace {

template <typename Spec>
auto find_variable(Spec& spec, std::string_view var_name)
    -> std::pair<decltype(&spec.maps[0]), const VariableSpec*> {
  for (auto& m : spec.maps) {
    if (m.origin != MapOrigin::Data) continue;
    if (const VariableSpec* v = m.variable(var_name)) return {&m, v};
  }
  return {nullptr, nullptr};
}

Error no_variable(const ObjectSpec& spec, std::string_view var_name) {
  std::string names;
  for (const MapSpec& m : spec.maps) {
    for (const VariableSpec& v : m.variables) names += (names.empty() ? "" : ", ") + v.name;
  }
  return Error(Errc::NotFound, fmt::format("no global variable '{}'", var_name))
      .with_op("set variable")
      .with_object(spec.name)
      .with_hint(names.empty() ? "the object has no global variables" : "variables: " + names);
}

}  // namespace

Result<void> ObjectSpec::set_variable(std::string_view var_name, std::span<const std::byte> bytes) {
  auto [m, v] = find_variable(*this, var_name);
  if (v == nullptr) return no_variable(*this, var_name);
  if (bytes.size() != v->size) {
    return Error(Errc::InvalidInput,
                 fmt::format("variable '{}' is {} bytes, the new value {} bytes", var_name, v->size, bytes.size()))
        .with_op("set variable")
        .with_object(name)
        .with_map(m->name);
  }
  if (m->contents.empty()) m->contents.assign(m->value_size, std::byte{0});  // a .bss written first
  std::memcpy(m->contents.data() + v->offset, bytes.data(), bytes.size());
  return {};
}

Result<std::vector<std::byte>> ObjectSpec::variable(std::string_view var_name) const {
  auto [m, v] = find_variable(*this, var_name);
  if (v == nullptr) return no_variable(*this, var_name);
  if (m->contents.empty()) return std::vector<std::byte>(v->size, std::byte{0});
  auto bytes = std::span<const std::byte>(m->contents).subspan(v->offset, v->size);
  return std::vector<std::byte>(bytes.begin(), bytes.end());
}

bool ObjectSpec::operator==(const ObjectSpec& o) const {
  bool btf_equal = (!btf && !o.btf) || (btf && o.btf && *btf == *o.btf);
  return name == o.name && license == o.license && kernel_version == o.kernel_version &&
         big_endian == o.big_endian && programs == o.programs && maps == o.maps && externs == o.externs &&
         notes == o.notes && btf_equal;
}

}  // namespace bpfxx
