#include "reloc/externs.hpp"

#include <bpfxx/btf/builder.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace bpfxx::reloc {

namespace {

Error extern_error(Errc code, const ObjectSpec& spec, std::string message) {
  return Error(code, std::move(message)).with_op("resolve externs").with_object(spec.name);
}

// Parses a kconfig integer: decimal, 0x-hex or octal, as the config writes it.
std::optional<int64_t> parse_int(std::string_view v, bool is_signed) {
  std::string s(v);
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  if (is_signed) {
    long long x = std::strtoll(s.c_str(), &end, 0);
    if (errno != 0 || *end != '\0') return std::nullopt;
    return x;
  }
  if (s[0] == '-') return std::nullopt;
  unsigned long long x = std::strtoull(s.c_str(), &end, 0);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(x);
}

bool fits(int64_t v, uint32_t size, bool is_signed) {
  if (size >= 8) return true;
  int bits = static_cast<int>(size * 8);
  if (is_signed) {
    int64_t lo = -(int64_t{1} << (bits - 1)), hi = (int64_t{1} << (bits - 1)) - 1;
    return v >= lo && v <= hi;
  }
  return static_cast<uint64_t>(v) <= (uint64_t{1} << bits) - 1;
}

}  // namespace

Result<std::vector<std::byte>> kconfig_contents(const ObjectSpec& spec, const KconfigValues& values) {
  const MapSpec* map = spec.map(".kconfig");
  if (map == nullptr) return std::vector<std::byte>{};
  std::vector<std::byte> out(map->value_size, std::byte{0});
  for (const ExternSpec& e : spec.externs) {
    if (e.kind != ExternKind::Kconfig) continue;
    auto it = values.find(e.name);
    if (it == values.end()) {
      if (e.is_weak) continue;  // zero
      auto source = values.find(kKconfigSourceKey);
      if (source != values.end() && source->second.empty()) {
        return extern_error(Errc::NotFound, spec,
                            fmt::format("extern '{}' needs the kernel's config, which is not available", e.name))
            .with_hint("enable CONFIG_IKCONFIG_PROC (/proc/config.gz), install /boot/config-$(uname -r), pass "
                       "LoadOptions::kconfig_path, or declare the extern __weak");
      }
      return extern_error(Errc::NotFound, spec,
                          fmt::format("extern '{}' is not in the kernel's config (and is not __weak)", e.name))
          .with_hint("declare it __weak to read 0 when the option is absent");
    }
    std::string_view v = it->second;
    std::byte* dst = out.data() + e.offset;
    auto bad = [&](const char* what) {
      return extern_error(Errc::InvalidInput, spec,
                          fmt::format("extern '{}': config value '{}' is not {}", e.name, v, what));
    };
    switch (e.kconfig_type) {
      case KconfigType::Bool:
      case KconfigType::Tristate: {
        int64_t x;
        if (v == "y") {
          x = 1;
        } else if (v == "n") {
          x = 0;
        } else if (v == "m") {
          if (e.kconfig_type == KconfigType::Bool) return bad("a bool (it is a module: use enum libbpf_tristate)");
          x = 2;  // TRI_MODULE
        } else {
          return bad(e.kconfig_type == KconfigType::Bool ? "y or n" : "y, n or m");
        }
        std::memcpy(dst, &x, e.size);  // little-endian host: the low bytes
        break;
      }
      case KconfigType::Char: {
        if (v.size() != 1) return bad("one character");
        dst[0] = static_cast<std::byte>(v[0]);
        break;
      }
      case KconfigType::Int: {
        // y/n options read as integers are 1/0, as libbpf has it.
        std::optional<int64_t> x = v == "y" ? 1 : v == "n" ? 0 : parse_int(v, e.is_signed);
        if (!x) return bad("an integer");
        if (!fits(*x, e.size, e.is_signed)) return bad(fmt::format("within {} bytes", e.size).c_str());
        std::memcpy(dst, &*x, e.size);
        break;
      }
      case KconfigType::CharArray: {
        if (v.size() < 2 || v.front() != '"' || v.back() != '"') return bad("a quoted string");
        std::string_view text = v.substr(1, v.size() - 2);
        if (text.size() >= e.size) {
          return extern_error(Errc::InvalidInput, spec,
                              fmt::format("extern '{}': value \"{}\" does not fit in char[{}] with its NUL", e.name,
                                          text, e.size));
        }
        std::memcpy(dst, text.data(), text.size());
        break;
      }
      case KconfigType::None:
        return bad("usable");
    }
  }
  return out;
}

Result<void> apply_extern_relocations(std::vector<Insn>& insns, const ProgramSpec& program, const ObjectSpec& spec,
                                      std::span<const ResolvedExtern> resolved) {
  for (const InsnRelocation& r : program.relocations) {
    if (r.kind != RelocKind::Extern) continue;
    const ExternSpec* ext = nullptr;
    for (const ExternSpec& e : spec.externs) {
      if (e.name == r.target) ext = &e;
    }
    const ResolvedExtern* res = nullptr;
    for (const ResolvedExtern& x : resolved) {
      if (x.name == r.target) res = &x;
    }
    auto fail = [&](Errc code, std::string msg) {
      return Error(code, std::move(msg)).with_op("resolve externs").with_program(program.name).with_object(spec.name);
    };
    if (ext == nullptr) {
      return fail(Errc::NotSupported,
                  fmt::format("extern '{}' (instruction {}) has no BTF description: compile the object with -g and "
                              "declare it __ksym or __kconfig",
                              r.target, r.insn_index));
    }
    if (r.insn_index >= insns.size()) return fail(Errc::Internal, "extern relocation past the program's end");
    Insn& in = insns[r.insn_index];
    bool found = res != nullptr && res->found;
    if (!found && !ext->is_weak) {
      return fail(Errc::NotFound, fmt::format("{} '{}' is not in the running kernel{}",
                                              ext->kind == ExternKind::Kfunc ? "kfunc" : "kernel symbol", ext->name,
                                              ext->kind == ExternKind::Ksym && ext->type == 0 ? " (kallsyms)"
                                                                                              : " (BTF)"))
          .with_hint("declare it __weak and test it with bpf_ksym_exists() if it is optional");
    }
    if (ext->kind == ExternKind::Kfunc && insn::is_pseudo_call(in)) {
      if (found) {
        in.set_src(insn::kPseudoKfuncCall);
        in.imm = static_cast<int32_t>(res->kernel_btf_id);
        in.off = res->fd_array_index;  // 0: vmlinux
      } else {
        in.set_src(0);
        in.imm = kPoisonKfuncCall;
        in.off = 0;
      }
      continue;
    }
    if (r.insn_index + 1 >= insns.size() || !insn::is_ld_imm64(in)) {
      return fail(Errc::RelocationFailed, fmt::format("reference to '{}' is not a ld_imm64", ext->name));
    }
    Insn& hi = insns[r.insn_index + 1];
    if (!found) {  // a missing weak variable reads as NULL
      in.set_src(0);
      in.imm = 0;
      hi.imm = 0;
    } else if (ext->kind == ExternKind::Kfunc) {
      // The address of a kfunc (bpf_ksym_exists): its BTF id, which the
      // verifier turns into a non-NULL constant.
      in.set_src(insn::kPseudoBtfId);
      in.imm = static_cast<int32_t>(res->kernel_btf_id);
      hi.imm = res->module_btf_fd;  // 0: vmlinux
    } else if (ext->type == 0) {
      in.set_src(0);
      in.imm = static_cast<int32_t>(static_cast<uint32_t>(res->address));
      hi.imm = static_cast<int32_t>(static_cast<uint32_t>(res->address >> 32));
    } else {
      in.set_src(insn::kPseudoBtfId);
      in.imm = static_cast<int32_t>(res->kernel_btf_id);
      hi.imm = res->module_btf_fd;  // 0: vmlinux
    }
  }
  return {};
}

Result<btf::Spec> sanitize_extern_btf(const ObjectSpec& spec) {
  if (!spec.btf) return extern_error(Errc::Internal, spec, "no BTF to sanitize");
  btf::Builder b(*spec.btf);
  const btf::Spec& in = *spec.btf;
  auto find_ds = [&](std::string_view name) { return in.find(name, btf::Kind::Datasec); };

  if (auto kcfg = find_ds(".kconfig")) {
    btf::Type ds = in.type_unchecked(*kcfg);
    std::vector<btf::VarSecinfo> infos = ds.secinfos();
    for (btf::VarSecinfo& vs : infos) {
      btf::Type var = in.type_unchecked(vs.type);
      for (const ExternSpec& e : spec.externs) {
        if (e.kind == ExternKind::Kconfig && e.btf_id == vs.type) {
          vs.offset = e.offset;
          vs.size = e.size;
        }
      }
      if (var.kind() == btf::Kind::Var) BPFXX_TRY(b.edit().set_var_linkage(vs.type, btf::VarLinkage::GlobalAllocated));
    }
    std::stable_sort(infos.begin(), infos.end(), [](auto& x, auto& y) { return x.offset < y.offset; });
    const MapSpec* m = spec.map(".kconfig");
    btf::Spec& out = b.edit();
    BPFXX_TRY(out.set_size(*kcfg, m ? m->value_size : 0));
    for (uint32_t i = 0; i < infos.size(); ++i) BPFXX_TRY(out.set_secinfo(*kcfg, i, infos[i]));
  }

  if (auto ksyms = find_ds(".ksyms")) {
    btf::Type ds = in.type_unchecked(*ksyms);
    std::vector<btf::VarSecinfo> infos = ds.secinfos();
    // A 4-byte int for typeless ksyms and the kfunc placeholder variable.
    btf::TypeId int_id = 0;
    for (btf::TypeId id = 1; id < in.type_count() && int_id == 0; ++id) {
      btf::Type t = in.type_unchecked(id);
      if (t.kind() == btf::Kind::Int && t.size() == 4 && t.int_info().bits == 32) int_id = id;
    }
    if (int_id == 0) int_id = b.add_int("int", 4, btf::kIntSigned);
    btf::TypeId dummy = 0;
    uint32_t off = 0;
    btf::Spec& out = b.edit();
    for (btf::VarSecinfo& vs : infos) {
      btf::Type t = in.type_unchecked(vs.type);
      if (t.kind() == btf::Kind::Func) {
        // The kernel refuses extern FUNCs and DATASEC entries that are not
        // VARs: the entry points at a placeholder, the FUNC turns global,
        // and the prototype's unnamed parameters get a name (global
        // functions need named arguments).
        if (dummy == 0) dummy = b.add_var("bpfxx_ksym_placeholder", int_id, btf::VarLinkage::GlobalAllocated);
        uint32_t fw[] = {b.add_string(t.name()),
                         btf::make_info(btf::Kind::Func, static_cast<uint32_t>(btf::FuncLinkage::Global), false),
                         t.ref()};
        BPFXX_TRY(out.replace_record(vs.type, fw));
        btf::Type proto = in.type_unchecked(t.ref());
        if (proto.kind() == btf::Kind::FuncProto) {
          std::vector<uint32_t> pw = {0, btf::make_info(btf::Kind::FuncProto, proto.vlen(), false), proto.ref()};
          for (uint32_t p = 0; p < proto.vlen(); ++p) {
            btf::Param param = proto.param(p);
            uint32_t name = param.name.empty() && param.type != 0 ? b.add_string("arg") : b.add_string(param.name);
            pw.push_back(name);
            pw.push_back(param.type);
          }
          BPFXX_TRY(out.replace_record(t.ref(), pw));
        }
        vs.type = dummy;
        vs.size = 4;
      } else if (t.kind() == btf::Kind::Var) {
        btf::TypeId type = t.ref();
        auto skipped = in.skip_modifiers(type);
        bool typeless = !skipped || *skipped == 0;
        if (typeless) {
          type = int_id;
          vs.size = 4;
        } else {
          auto size = in.size_of(type);
          vs.size = size && *size > 0 ? *size : 4;
        }
        uint32_t vw[] = {b.add_string(t.name()), btf::make_info(btf::Kind::Var, 0, false), type,
                         static_cast<uint32_t>(btf::VarLinkage::GlobalAllocated)};
        BPFXX_TRY(out.replace_record(vs.type, vw));
      }
      vs.offset = off;
      off += vs.size;
    }
    BPFXX_TRY(out.set_size(*ksyms, off));
    for (uint32_t i = 0; i < infos.size(); ++i) BPFXX_TRY(out.set_secinfo(*ksyms, i, infos[i]));
  }
  return std::move(b).finish();
}

}  // namespace bpfxx::reloc
