// Object::load: BTF, maps, programs and initial slots, all or nothing.
#include <bpfxx/log.hpp>
#include <bpfxx/kernel_btf.hpp>
#include <bpfxx/object.hpp>

#include "load/core_load.hpp"
#include "features/btf_features.hpp"
#include "load/externs_load.hpp"
#include "reloc/btf_sanitize.hpp"
#include "load/kernel_btf.hpp"
#include "load/map_create.hpp"
#include "load/program_load.hpp"
#include "reloc/map_refs.hpp"
#include "sys/bpf.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <linux/bpf.h>
#include <unistd.h>

namespace bpfxx {

namespace {

// Removes the pins this load created unless the load succeeds.
class PinGuard {
 public:
  ~PinGuard() {
    if (!committed_) {
      for (const std::string& p : paths_) ::unlink(p.c_str());
    }
  }
  void add(std::string path) { paths_.push_back(std::move(path)); }
  void commit() { committed_ = true; }

 private:
  std::vector<std::string> paths_;
  bool committed_ = false;
};

Result<Fd> load_btf(const ObjectSpec& spec, const btf::Spec& btf) {
  std::vector<std::byte> bytes = btf.encode();
  sys::BtfLoadAttr a;
  a.btf = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(bytes.data()));
  a.btf_size = static_cast<uint32_t>(bytes.size());
  auto fd = sys::btf_load(a);
  if (fd) return fd;
  // Load again with a log to say why.
  std::string log(1u << 20, '\0');
  a.btf_log_buf = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(log.data()));
  a.btf_log_size = static_cast<uint32_t>(log.size());
  a.btf_log_level = 1;
  auto again = sys::btf_load(a);
  if (again) return again;
  if (fd.error().code() == Errc::PermissionDenied) {
    return std::move(fd).error().with_object(spec.name).with_context("loading BTF").with_hint(
        "loading BPF objects needs CAP_BPF and CAP_SYS_ADMIN (run as root)");
  }
  log.resize(log.find('\0') == std::string::npos ? log.size() : log.find('\0'));
  Error e = std::move(fd).error().with_object(spec.name).with_context(
      fmt::format("the kernel rejected the BTF of object '{}' ({} types)", spec.name, spec.btf->type_count() - 1));
  if (!log.empty()) std::move(e).with_verifier_log(std::move(log));
  return e;
}

// True when a pinned map matches what the spec would create.
Result<void> check_pinned_compatible(const Map& pinned, const MapSpec& spec, uint32_t max_entries,
                                     const std::string& path) {
  auto mismatch = [&](const char* what, uint64_t have, uint64_t want) {
    return Error(Errc::InvalidInput,
                 fmt::format("pinned map at {} has {} {}, the object wants {}", path, what, have, want))
        .with_op("reuse pinned map")
        .with_map(spec.name)
        .with_hint("remove the stale pin: rm " + path);
  };
  if (pinned.type() != spec.type) {
    return mismatch("type", static_cast<uint32_t>(pinned.type()), static_cast<uint32_t>(spec.type));
  }
  if (pinned.key_size() != spec.key_size) return mismatch("key_size", pinned.key_size(), spec.key_size);
  if (pinned.value_size() != spec.value_size) return mismatch("value_size", pinned.value_size(), spec.value_size);
  if (pinned.max_entries() != max_entries) return mismatch("max_entries", pinned.max_entries(), max_entries);
  if (pinned.flags() != spec.flags) return mismatch("map_flags", pinned.flags(), spec.flags);
  return {};
}

bool has_extern_relocations(const ProgramSpec& p) {
  for (const InsnRelocation& r : p.relocations) {
    if (r.kind == RelocKind::Extern) return true;
  }
  return false;
}

// The kernel-visible name of a global data map: for .data, .rodata, .bss
// (and .kconfig) a prefix of the object's name and the section name within
// the 15-character limit; for a custom section its own name.
std::string data_map_kernel_name(const std::string& object, const std::string& section) {
  // A custom section (".rodata.dyn", ".data.counters") is named as it is,
  // as libbpf does (the kernel keeps 15 characters): tools that look maps
  // up by name find them under the same names either way.
  if (section.find('.', 1) != std::string::npos) return section;
  const size_t room = section.size() >= 15 ? 0 : 15 - section.size();
  const size_t limit = std::min<size_t>(room, 8);
  size_t n = 0;  // the object name up to its first '.', within the room left
  while (n < limit && n < object.size() && object[n] != '.') ++n;
  std::string name;
  name.reserve(n + section.size());
  name.append(object, 0, n).append(section);
  return name;
}

}  // namespace

Result<Object> Object::load(const ObjectSpec& spec, const LoadOptions& options) {
  auto with_object = [&](Error e) { return std::move(e).with_object_if_unset(spec.name); };
  if (spec.big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)) {
    return Error(Errc::NotSupported,
                 fmt::format("object '{}' is {}-endian, this machine is not: compile with -target bpf (or bpfel)",
                             spec.name, spec.big_endian ? "big" : "little"))
        .with_op("load object")
        .with_object(spec.name);
  }
  // struct_ops programs are loaded against the struct_ops map that
  // registers them (.struct_ops), whose BTF type the kernel needs at load:
  // without that map the kernel's refusal would not say why.
  for (const ProgramSpec& p : spec.programs) {
    if (!p.autoload || p.type != ProgType::StructOps) continue;
    return Error(Errc::NotSupported,
                 fmt::format("not supported yet: struct_ops program '{}' (section '{}'): struct_ops programs load "
                             "against the .struct_ops map that registers them, which bpfxx does not create yet",
                             p.name, p.section))
        .with_op("load object")
        .with_object(spec.name)
        .with_program(p.name)
        .with_hint("turn its autoload off (ProgramSpec::autoload = false) to load the object's other programs");
  }
  // Externs: the BTF rewritten so the kernel accepts it, and the .kconfig
  // map's values from this kernel's config.
  std::optional<btf::Spec> extern_btf;
  std::vector<std::byte> kconfig_bytes;
  const MapSpec* kconfig_map = spec.map(".kconfig");
  if (!spec.externs.empty()) {
    auto sanitized = reloc::sanitize_extern_btf(spec);
    if (!sanitized) return with_object(std::move(sanitized).error());
    extern_btf = std::move(*sanitized);
    if (kconfig_map != nullptr) {
      // Only an object that reads LINUX_HAS_SYSCALL_WRAPPER pays for the
      // kernel BTF parse that answers it.
      const bool with_wrapper = std::any_of(spec.externs.begin(), spec.externs.end(), [](const ExternSpec& e) {
        return e.kind == ExternKind::Kconfig && e.name == "LINUX_HAS_SYSCALL_WRAPPER";
      });
      auto values = detail::system_kconfig(options.kconfig_path, with_wrapper);
      if (!values) return with_object(std::move(values).error().with_context("resolving .kconfig externs"));
      auto bytes = reloc::kconfig_contents(spec, *values);
      if (!bytes) return with_object(std::move(bytes).error());
      kconfig_bytes = std::move(*bytes);
    }
  }
  Object obj;
  obj.name_ = spec.name;
  if (spec.btf) {
    // BTF kinds this kernel lacks are rewritten, deliberately and noted.
    const btf::Spec& to_load = extern_btf ? *extern_btf : *spec.btf;
    const features::BtfFeatures& kernel_kinds = features::kernel_btf_features();
    auto sanitized = reloc::sanitize_btf(to_load, kernel_kinds);
    if (!sanitized) return with_object(std::move(sanitized).error());
    if (*sanitized) {
      obj.notes_.push_back("the kernel lacks some BTF kinds (DECL_TAG, TYPE_TAG, ENUM64, FLOAT, DATASEC or "
                           "global FUNC): the object's BTF was rewritten without them");
    }
    auto fd = load_btf(spec, *sanitized ? **sanitized : to_load);
    if (!fd) return with_object(std::move(fd).error());
    obj.btf_fd_ = std::move(*fd);
  }

  PinGuard pins;
  obj.maps_.reserve(spec.maps.size());
  for (const MapSpec& ms : spec.maps) {
    BPFXX_TRY_ASSIGN(uint32_t max_entries, detail::effective_max_entries(ms));
    std::string pin_path;
    if (ms.pinning == PinType::ByName) {
      pin_path = options.pin_root + "/" + ms.name;
      auto pinned = Map::open_pinned(pin_path);
      if (pinned) {
        BPFXX_TRY(check_pinned_compatible(*pinned, ms, max_entries, pin_path));
        detail::MapAccess::rename(*pinned, ms.name);
        obj.maps_.push_back(std::move(*pinned));
        obj.notes_.push_back(fmt::format("map '{}' reused the map pinned at {}", ms.name, pin_path));
        continue;
      }
      if (pinned.error().code() != Errc::NotFound) return with_object(std::move(pinned).error());
    }
    detail::MapCreateParams p;
    p.spec = &ms;
    p.btf_fd = obj.btf_fd_ ? obj.btf_fd_.get() : -1;
    if (ms.origin == MapOrigin::Data) p.kernel_name = data_map_kernel_name(spec.name, ms.name);
    Fd inner_template;
    if (ms.inner) {
      detail::MapCreateParams ip;
      ip.spec = ms.inner.get();
      ip.btf_fd = p.btf_fd;
      auto inner = detail::create_map(ip);
      if (!inner) return with_object(std::move(inner).error().with_context("creating the inner map template of '" +
                                                                          ms.name + "'"));
      inner_template = std::move(*inner);
      p.inner_map_fd = inner_template.get();
    } else if (ms.type == MapType::ArrayOfMaps || ms.type == MapType::HashOfMaps) {
      return Error(Errc::InvalidInput,
                   fmt::format("map-in-map '{}' has no inner map definition: declare __array(values, struct {{...}})",
                               ms.name))
          .with_op("create map")
          .with_map(ms.name)
          .with_object(spec.name);
    }
    auto fd = detail::create_map(p);
    if (!fd) return with_object(std::move(fd).error());
    BPFXX_TRY_ASSIGN(Map m, detail::MapAccess::adopt(std::move(*fd), ms, max_entries));
    const std::vector<std::byte>& contents = &ms == kconfig_map ? kconfig_bytes : ms.contents;
    if (ms.origin == MapOrigin::Data && !contents.empty()) {
      uint32_t key = 0;
      auto r = m.update(std::as_bytes(std::span<uint32_t, 1>(&key, 1)), contents);
      if (!r) return with_object(std::move(r).error().with_context("writing the initial contents of " + ms.name));
    }
    if (ms.read_only) {
      auto r = m.freeze();
      if (!r) return with_object(std::move(r).error().with_context("freezing " + ms.name));
    }
    if (!pin_path.empty()) {
      auto r = m.pin(pin_path);
      if (!r) return with_object(std::move(r).error());
      pins.add(pin_path);
    }
    obj.maps_.push_back(std::move(m));
  }

  std::shared_ptr<const btf::Spec> kernel_btf = options.kernel_btf;
  auto need_kernel_btf = [&]() -> Result<void> {
    if (kernel_btf) return {};
    BPFXX_TRY_ASSIGN(kernel_btf, detail::running_kernel_btf());  // parsed once per process
    return {};
  };
  std::optional<reloc::CoreTargets> core_targets;  // one candidate cache for all programs
  std::vector<std::shared_ptr<const btf::Spec>> module_btfs;  // kept alive for core_targets
  std::optional<std::vector<reloc::ResolvedExtern>> resolved_externs;  // once, for every program
  // Module BTF fds that externs resolved into, open until every program is
  // loaded, and the fd_array that kfunc calls index.
  std::vector<Fd> module_fds;
  std::vector<std::string> module_fd_names;
  std::vector<int> fd_array;
  std::vector<reloc::MapFd> map_fds;
  map_fds.reserve(obj.maps_.size());
  for (const Map& m : obj.maps_) map_fds.push_back({m.name(), m.fd()});
  obj.programs_.reserve(spec.programs.size());
  for (const ProgramSpec& ps : spec.programs) {
    if (!ps.autoload) continue;
    detail::ProgramLoadParams p;
    p.spec = &ps;
    p.object = &spec;
    p.options = &options;
    p.btf_fd = obj.btf_fd_ ? obj.btf_fd_.get() : -1;
    auto insns = reloc::resolve_map_references(ps, map_fds);
    if (!insns) return with_object(std::move(insns).error());
    p.insns = std::move(*insns);
    if (has_extern_relocations(ps)) {
      if (!resolved_externs) {
        if (auto k = need_kernel_btf(); !k) return with_object(std::move(k).error().with_program(ps.name));
        // Module kfuncs and variables too, unless an explicit
        // LoadOptions::kernel_btf stands alone.
        detail::ModuleBtfs modules;
        if (!options.kernel_btf) {
          auto m = kernel_module_btfs();
          if (!m) return with_object(std::move(m).error().with_program(ps.name));
          modules = std::move(*m);
        }
        auto r = detail::resolve_kernel_externs(spec, *kernel_btf, modules);
        if (!r) return with_object(std::move(r).error());
        resolved_externs = std::move(*r);
        // One fd per module named, in the fd_array every program gets.
        for (reloc::ResolvedExtern& x : *resolved_externs) {
          if (!x.found || x.module.empty()) continue;
          size_t slot = 0;
          for (size_t i = 0; i < module_fd_names.size(); ++i) {
            if (module_fd_names[i] == x.module) slot = i + 1;
          }
          if (slot == 0) {
            auto fd = detail::kernel_module_btf_fd(x.module);
            if (!fd) return with_object(std::move(fd).error().with_program(ps.name).with_context("extern '" + x.name + "'"));
            if (fd_array.empty()) fd_array.push_back(0);  // slot 0: vmlinux
            fd_array.push_back(fd->get());
            module_fds.push_back(std::move(*fd));
            module_fd_names.push_back(x.module);
            slot = module_fd_names.size();
          }
          x.fd_array_index = static_cast<int16_t>(slot);
          x.module_btf_fd = fd_array[slot];
        }
      }
      auto r = reloc::apply_extern_relocations(p.insns, ps, spec, *resolved_externs);
      if (!r) return with_object(std::move(r).error());
    }
    std::vector<CoreReport> core_reports;
    if (!ps.core_relocations.empty()) {
      if (auto k = need_kernel_btf(); !k) return with_object(std::move(k).error().with_program(ps.name));
      if (!core_targets) {
        core_targets.emplace(*kernel_btf);
        // The running kernel's modules are candidates too, after vmlinux;
        // an explicit LoadOptions::kernel_btf stands alone.
        if (!options.kernel_btf) {
          auto modules = kernel_module_btfs();
          if (!modules) return with_object(std::move(modules).error().with_program(ps.name));
          for (auto& [name, btf] : *modules) {
            module_btfs.push_back(btf);
            core_targets->add(name, *btf);
          }
        }
      }
      auto reports = detail::relocate_program_core(p.insns, ps, spec, *core_targets);
      if (!reports) return with_object(std::move(reports).error());
      core_reports = std::move(*reports);
    }
    if (ps.section_flags & kSectionAttachBtf) {
      if (ps.attach_kind == AttachKind::Freplace) {
        return Error(Errc::NotSupported,
                     fmt::format("not supported yet: freplace program '{}' (needs a target program)", ps.name))
            .with_op("load program")
            .with_program(ps.name)
            .with_object(spec.name);
      }
      if (auto k = need_kernel_btf(); !k) return with_object(std::move(k).error().with_program(ps.name));
      auto id = detail::find_attach_btf_id(ps, *kernel_btf);
      if (!id) return with_object(std::move(id).error());
      p.attach_btf_id = *id;
    }
    p.fd_array = fd_array;
    auto prog = detail::ProgramAccess::load(p);
    if (!prog) {
      Error e = detail::explain_poisoned(std::move(prog).error(), ps, spec, core_reports);
      if (resolved_externs) e = detail::explain_missing_kfunc(std::move(e), ps, spec, *resolved_externs);
      return with_object(std::move(e));
    }
    detail::note_poisoned(ps, core_reports, obj.notes_);
    obj.programs_.push_back(std::move(*prog));
  }

  // Initial slots last: they hold fds of maps and programs created above.
  for (const MapSpec& ms : spec.maps) {
    if (ms.initial_slots.empty()) continue;
    Map* m = obj.map(ms.name);
    for (const MapSlotInit& slot : ms.initial_slots) {
      int fd = -1;
      if (ms.type == MapType::ProgArray) {
        const Program* target = obj.program(slot.target);
        const ProgramSpec* target_spec = spec.program(slot.target);
        if (target == nullptr && target_spec != nullptr && !target_spec->autoload) {
          // The caller chose not to load it: leave the slot empty, and say so.
          obj.notes_.push_back(fmt::format("map '{}' slot {} left empty: program '{}' was not loaded (autoload "
                                           "off)",
                                           ms.name, slot.index, slot.target));
          continue;
        }
        if (target == nullptr) {
          return Error(Errc::InvalidInput,
                       fmt::format("map '{}' slot {} refers to program '{}', which was not loaded", ms.name,
                                   slot.index, slot.target))
              .with_op("initialise map slots")
              .with_map(ms.name)
              .with_object(spec.name);
        }
        fd = target->fd();
      } else {
        const Map* target = obj.map(slot.target);
        if (target == nullptr) continue;  // validated at parse time
        fd = target->fd();
      }
      uint32_t key = slot.index;
      uint32_t value = static_cast<uint32_t>(fd);
      auto r = sys::map_update_elem(m->fd(), &key, &value, 0);
      if (!r) {
        return with_object(std::move(r).error().with_map(ms.name).with_context(
            fmt::format("setting slot {} of map '{}' to '{}'", slot.index, ms.name, slot.target)));
      }
    }
  }
  pins.commit();
  for (const std::string& note : obj.notes_) log(LogLevel::Info, note);
  return obj;
}

Result<Object> Object::open_and_load(const std::string& path, const LoadOptions& options) {
  BPFXX_TRY_ASSIGN(ObjectSpec spec, ObjectSpec::open(path));
  return load(spec, options);
}

Program* Object::program(std::string_view n) noexcept {
  for (Program& p : programs_) {
    if (p.name() == n) return &p;
  }
  return nullptr;
}
const Program* Object::program(std::string_view n) const noexcept { return const_cast<Object*>(this)->program(n); }
Map* Object::map(std::string_view n) noexcept {
  for (Map& m : maps_) {
    if (m.name() == n) return &m;
  }
  return nullptr;
}
const Map* Object::map(std::string_view n) const noexcept { return const_cast<Object*>(this)->map(n); }

Result<std::vector<Link>> Object::attach_all() const {
  std::vector<Link> links;
  for (const Program& p : programs_) {
    switch (p.attach_kind()) {
      case AttachKind::Tracepoint:
      case AttachKind::RawTracepoint:
      case AttachKind::Kprobe:
      case AttachKind::Kretprobe:
      case AttachKind::Tracing:
      case AttachKind::Lsm:
        if (p.attach_target().empty()) continue;  // needs a target at run time
        break;
      default:
        continue;  // xdp, tc, cgroup...: need an interface or cgroup
    }
    auto link = p.attach();
    if (!link) return std::move(link).error().with_object_if_unset(name_);
    links.push_back(std::move(*link));
  }
  return links;
}

}  // namespace bpfxx
