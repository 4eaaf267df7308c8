#include "load/externs_load.hpp"

#include "load/kernel_btf.hpp"
#include "load/verifier_log.hpp"

#include "sys/perf_event.hpp"

#include <fmt/format.h>

#include <sys/utsname.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>

namespace bpfxx::detail {

namespace {

Result<std::string> read_gzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return Error::from_errno(errno ? errno : ENOENT, "gzopen").with_object(path);
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    int n = gzread(f, buf, sizeof(buf));
    if (n < 0) {
      gzclose(f);
      return Error(Errc::Io, "corrupt gzip data").with_op("read kernel config").with_object(path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  gzclose(f);
  return out;
}

std::string release() {
  utsname u{};
  if (::uname(&u) != 0) return {};
  return u.release;
}

}  // namespace

std::optional<uint32_t> kernel_version_of(std::string_view rel) {
  uint32_t parts[3] = {0, 0, 0};
  size_t i = 0;
  for (int k = 0; k < 3; ++k) {
    if (i >= rel.size() || rel[i] < '0' || rel[i] > '9') {
      if (k < 2) return std::nullopt;
      break;
    }
    uint32_t v = 0;
    while (i < rel.size() && rel[i] >= '0' && rel[i] <= '9') v = v * 10 + static_cast<uint32_t>(rel[i++] - '0');
    parts[k] = v;
    if (i < rel.size() && rel[i] == '.') ++i;
    else break;
  }
  return (parts[0] << 16) | (parts[1] << 8) | std::min<uint32_t>(parts[2], 255);
}

reloc::KconfigValues parse_kconfig(std::string_view text) {
  reloc::KconfigValues out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("CONFIG_", 0) == 0) {
      size_t eq = line.find('=');
      if (eq != std::string_view::npos) out.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
    } else if (line.rfind("# CONFIG_", 0) == 0 && line.size() > 13 &&
               line.substr(line.size() - 11) == " is not set") {
      out.emplace(std::string(line.substr(2, line.size() - 13)), "n");
    }
  }
  return out;
}

namespace {

// Whether syscalls reach their handlers through wrappers that take the
// user's struct pt_regs (the wrapped handler's arguments then live in it).
// Which architectures have them, and since when, varies (x86_64 4.17, arm64
// 4.19, s390 5.12, riscv 6.6, powerpc 6.1 and only without COMPAT), so the
// kernel is asked: the wrapper of bpf() is a function in its BTF. Without
// kernel BTF, x86_64's version rule stands in.
bool has_syscall_wrapper(uint32_t version) {
#if defined(__x86_64__)
  constexpr const char* kWrapper = "__x64_sys_bpf";
#elif defined(__aarch64__)
  constexpr const char* kWrapper = "__arm64_sys_bpf";
#elif defined(__s390x__)
  constexpr const char* kWrapper = "__s390x_sys_bpf";
#elif defined(__riscv)
  constexpr const char* kWrapper = "__riscv_sys_bpf";
#elif defined(__powerpc64__)
  constexpr const char* kWrapper = "__powerpc_sys_bpf";
#else
  constexpr const char* kWrapper = nullptr;  // arm, mips, loongarch: none
#endif
  if (kWrapper == nullptr) return false;
  if (auto btf = running_kernel_btf()) return (*btf)->find(kWrapper, btf::Kind::Func).has_value();
#if defined(__x86_64__)
  return version >= ((4u << 16) | (17u << 8));
#else
  (void)version;
  return false;
#endif
}

}  // namespace

Result<reloc::KconfigValues> system_kconfig(const std::string& path, bool with_syscall_wrapper) {
  std::string text;
  std::string used;
  auto try_path = [&](const std::string& p) -> bool {
    auto r = p.size() > 3 && p.compare(p.size() - 3, 3, ".gz") == 0 ? read_gzip(p) : sys::read_small_file(p);
    if (!r) return false;
    text = std::move(*r);
    used = p;
    return true;
  };
  std::string rel = release();
  if (!path.empty()) {
    if (!try_path(path)) {
      return Error(Errc::NotFound, fmt::format("cannot read kernel config {}", path)).with_op("read kernel config");
    }
  } else if (!try_path("/proc/config.gz") && !try_path("/boot/config-" + rel)) {
    // Not an error yet: objects may only need LINUX_* values, or __weak
    // options. kconfig_contents() says so if a value is really needed.
    used.clear();
  }
  reloc::KconfigValues values = parse_kconfig(text);
  values[std::string(reloc::kKconfigSourceKey)] = used;
  if (auto v = kernel_version_of(rel)) values["LINUX_KERNEL_VERSION"] = std::to_string(*v);
  // bpf_get_attach_cookie arrived in 5.15.
  uint32_t version = kernel_version_of(rel).value_or(0);
  values["LINUX_HAS_BPF_COOKIE"] = version >= ((5u << 16) | (15u << 8)) ? "y" : "n";
  if (with_syscall_wrapper) values["LINUX_HAS_SYSCALL_WRAPPER"] = has_syscall_wrapper(version) ? "y" : "n";
  return values;
}

Result<std::vector<reloc::ResolvedExtern>> resolve_kernel_externs(const ObjectSpec& spec, const btf::Spec& kernel_btf,
                                                                  const ModuleBtfs& modules) {
  std::vector<reloc::ResolvedExtern> out;
  std::vector<size_t> typeless;  // indexes into out, resolved through kallsyms
  // vmlinux first, then each module's own types (a split BTF also finds
  // its base's, which vmlinux already answered for).
  auto find_in_kernel = [&](reloc::ResolvedExtern& r, btf::Kind kind) {
    if (auto id = kernel_btf.find(r.name, kind)) {
      r.found = true;
      r.kernel_btf_id = *id;
      return;
    }
    for (const auto& [module, btf] : modules) {
      for (btf::TypeId id : btf->find_by_name(r.name)) {
        if (id < btf->first_id() || btf->kind_of(id) != kind) continue;
        r.found = true;
        r.kernel_btf_id = id;
        r.module = module;
        return;
      }
    }
  };
  for (const ExternSpec& e : spec.externs) {
    if (e.kind == ExternKind::Kconfig) continue;
    reloc::ResolvedExtern r;
    r.name = e.name;
    if (e.kind == ExternKind::Kfunc) {
      find_in_kernel(r, btf::Kind::Func);
    } else if (e.type != 0) {
      find_in_kernel(r, btf::Kind::Var);
    } else {
      typeless.push_back(out.size());
    }
    out.push_back(std::move(r));
  }
  if (typeless.empty()) return out;
  // kallsyms is large: read it once and pick the names asked for.
  auto text = sys::read_small_file("/proc/kallsyms");
  if (!text) return std::move(text).error().with_context("reading /proc/kallsyms for typeless ksyms");
  std::string_view all = *text;
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find('\n', pos);
    if (end == std::string_view::npos) end = all.size();
    std::string_view line = all.substr(pos, end - pos);
    pos = end + 1;
    // "ffffffff81000000 T _stext [module]"
    size_t s1 = line.find(' ');
    if (s1 == std::string_view::npos || s1 + 3 > line.size()) continue;
    std::string_view name = line.substr(s1 + 3);
    size_t s2 = name.find_first_of(" \t");
    if (s2 != std::string_view::npos) name = name.substr(0, s2);
    for (size_t idx : typeless) {
      if (out[idx].found || out[idx].name != name) continue;
      out[idx].address = std::strtoull(std::string(line.substr(0, s1)).c_str(), nullptr, 16);
      out[idx].found = out[idx].address != 0;
      if (!out[idx].found) {
        return Error(Errc::PermissionDenied, fmt::format("kallsyms shows address 0 for '{}'", name))
            .with_op("resolve ksym")
            .with_hint("kernel.kptr_restrict hides kernel addresses; run as root with kptr_restrict < 2");
      }
    }
  }
  return out;
}

Error explain_missing_kfunc(Error err, const ProgramSpec& program, const ObjectSpec& spec,
                            std::span<const reloc::ResolvedExtern> resolved) {
  if (!reached_placeholder_call(err, reloc::kPoisonKfuncCall)) return err;
  // Only calls of kfuncs this kernel lacks became the placeholder call.
  auto missing_kfunc = [&](const std::string& name) {
    bool is_kfunc = false;
    for (const ExternSpec& e : spec.externs) is_kfunc |= e.name == name && e.kind == ExternKind::Kfunc;
    if (!is_kfunc) return false;
    for (const reloc::ResolvedExtern& x : resolved) {
      if (x.name == name) return !x.found;
    }
    return false;
  };
  const std::optional<uint32_t> at = failing_insn(err.verifier_log());
  const InsnRelocation* hit = nullptr;
  for (const InsnRelocation& r : program.relocations) {
    if (r.kind != RelocKind::Extern || !missing_kfunc(r.target)) continue;
    // A call, not a bpf_ksym_exists() address load of the same kfunc.
    if (r.insn_index >= program.insns.size() || program.insns[r.insn_index].code != insn::kCallCode) continue;
    if (!at || r.insn_index == *at) {
      hit = &r;
      break;
    }
  }
  if (hit == nullptr) return err;
  Error e = Error(Errc::NotFound,
                  fmt::format("program '{}' calls kfunc '{}' (instruction {}), which the running kernel lacks; it is "
                              "__weak, so the call was kept for the verifier to find unreachable, and it is reachable",
                              program.name, hit->target, hit->insn_index))
                .with_op("load program")
                .with_program(program.name)
                .with_hint(fmt::format("guard the call with `if (bpf_ksym_exists({}))`, so kernels without it skip it",
                                       hit->target));
  return with_refusal_context(std::move(e), err, source_line_for(program, spec.btf.get(), hit->insn_index));
}

}  // namespace bpfxx::detail
