#include "load/program_load.hpp"

#include "load/map_create.hpp"
#include "load/verifier_log.hpp"
#include "sys/bpf.hpp"

#include <fmt/format.h>

#include <cstddef>

#include <cstring>

namespace bpfxx::detail {

namespace {

constexpr uint32_t kProgFlagSleepable = 1u << 4;  // BPF_F_SLEEPABLE
constexpr uint32_t kProgFlagXdpFrags = 1u << 5;   // BPF_F_XDP_HAS_FRAGS

struct FuncInfoWire {
  uint32_t insn_off;
  uint32_t type_id;
};
struct LineInfoWire {
  uint32_t insn_off;
  uint32_t file_name_off;
  uint32_t line_off;
  uint32_t line_col;
};

uint64_t ptr(const void* p) { return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p)); }

std::string load_hint(const ProgramSpec& spec, int e, bool have_log) {
  if (e == EPERM && !have_log) {
    return fmt::format("the kernel refused {} programs before verification: it lacks support for this program "
                       "type or attach type, or a security policy (lockdown, LSM) forbids it",
                       to_string(spec.type));
  }
  if (e == EPERM) return "loading programs needs CAP_BPF and CAP_PERFMON (run as root)";
  if (e == E2BIG) return "the program has too many instructions for this kernel";
  return {};
}

}  // namespace

Result<uint32_t> find_attach_btf_id(const ProgramSpec& spec, const btf::Spec& kernel_btf) {
  std::string_view target = spec.attach_target;
  if (target.empty()) {
    return Error(Errc::InvalidInput,
                 fmt::format("section '{}' names no attach target; write SEC(\"{}/<target>\")", spec.section,
                             spec.section))
        .with_op("find attach target")
        .with_program(spec.name);
  }
  std::string name;
  btf::Kind kind = btf::Kind::Func;
  if (spec.expected_attach_type == AttachType::TraceRawTp) {
    name = "btf_trace_" + std::string(target);
    kind = btf::Kind::Typedef;
  } else if (spec.attach_kind == AttachKind::Lsm || spec.expected_attach_type == AttachType::LsmCgroup) {
    name = "bpf_lsm_" + std::string(target);
  } else if (spec.expected_attach_type == AttachType::TraceIter) {
    name = "bpf_iter_" + std::string(target);
  } else {
    name = std::string(target);
  }
  if (auto id = kernel_btf.find(name, kind)) return *id;
  return Error(Errc::NotFound, fmt::format("kernel BTF has no {} '{}' for program '{}'", btf::to_string(kind), name,
                                           spec.name))
      .with_op("find attach target")
      .with_program(spec.name)
      .with_hint("check the target name; the kernel may be too old or built without it");
}

Result<Program> ProgramAccess::load(const ProgramLoadParams& p) {
  const ProgramSpec& spec = *p.spec;
  const LoadOptions& opts = *p.options;
  // The kernel loads no program of type 0: say why before asking it.
  if (spec.type == ProgType::Unspec) {
    return Error(Errc::InvalidInput,
                 fmt::format("program '{}' has no program type: its section name '{}' does not say one", spec.name,
                             spec.section))
        .with_op("load program")
        .with_program(spec.name)
        .with_hint("name the section as libbpf does (SEC(\"tracepoint/<category>/<name>\"), SEC(\"xdp\"), ...) or "
                   "set ProgramSpec::type before loading");
  }
  sys::ProgLoadAttr a;
  a.prog_type = static_cast<uint32_t>(spec.type);
  a.insn_cnt = static_cast<uint32_t>(p.insns.size());
  a.insns = ptr(p.insns.data());
  a.license = ptr(spec.license.c_str());
  a.kern_version = spec.kernel_version;
  if (spec.section_flags & kSectionSleepable) a.prog_flags |= kProgFlagSleepable;
  if (spec.section_flags & kSectionXdpFrags) a.prog_flags |= kProgFlagXdpFrags;
  copy_kernel_object_name(spec.name, a.prog_name);
  if (spec.expected_attach_type) a.expected_attach_type = static_cast<uint32_t>(*spec.expected_attach_type);
  a.attach_btf_id = p.attach_btf_id;
  if (!p.fd_array.empty()) a.fd_array = ptr(p.fd_array.data());

  std::vector<LineInfoWire> line_info;
  if (p.btf_fd >= 0) {
    a.prog_btf_fd = static_cast<uint32_t>(p.btf_fd);
    line_info.reserve(spec.line_info.size());
    for (const LineInfoRecord& l : spec.line_info) {
      line_info.push_back({l.insn_index, l.file_name_off, l.line_off, (l.line << 10) | (l.column & 0x3ff)});
    }
    if (!spec.func_info.empty()) {
      // The spec's records are the kernel's bpf_func_info, field for field.
      static_assert(sizeof(FuncInfoRecord) == sizeof(FuncInfoWire) &&
                    offsetof(FuncInfoRecord, type_id) == offsetof(FuncInfoWire, type_id));
      a.func_info_rec_size = sizeof(FuncInfoWire);
      a.func_info = ptr(spec.func_info.data());
      a.func_info_cnt = static_cast<uint32_t>(spec.func_info.size());
    }
    if (!line_info.empty()) {
      a.line_info_rec_size = sizeof(LineInfoWire);
      a.line_info = ptr(line_info.data());
      a.line_info_cnt = static_cast<uint32_t>(line_info.size());
    }
  }

  // Log only on request or on retry: a log buffer slows every load.
  std::string log;
  uint32_t log_level = opts.log_level;
  auto set_log = [&](uint32_t level, size_t size) {
    log.assign(size, '\0');
    a.log_level = level;
    a.log_size = static_cast<uint32_t>(size);
    a.log_buf = ptr(log.data());
    a.log_true_size = 0;
  };
  if (log_level > 0) set_log(log_level, 1u << 20);

  Result<Fd> fd = sys::prog_load(a);
  if (!fd && log_level == 0) {
    log_level = 1;
    set_log(1, 256u << 10);
    fd = sys::prog_load(a);
  }
  // Grow the log until it fits: the kernel says ENOSPC when it truncated,
  // and (since 6.4) how much it needed in log_true_size.
  while (!fd && fd.error().sys_errno() == ENOSPC && a.log_size < opts.log_size_limit) {
    size_t want = std::max<size_t>(size_t{a.log_true_size} + 1, size_t{a.log_size} * 4);
    set_log(log_level, std::min<size_t>(want, opts.log_size_limit));
    fd = sys::prog_load(a);
  }
  auto trim_log = [&] {
    size_t n = log.find('\0');
    if (n != std::string::npos) log.resize(n);
  };
  if (!fd) {
    trim_log();
    int e = fd.error().sys_errno();
    Error err = std::move(fd).error().with_program(spec.name);
    if (!log.empty() && (e == EACCES || e == EINVAL || e == ENOSPC || e == E2BIG)) {
      std::move(err).with_code(Errc::VerifierRejected).with_context(
          fmt::format("the verifier rejected program '{}' ({} instructions)", spec.name, p.insns.size()));
    } else {
      std::move(err).with_context(fmt::format("loading {} program '{}'", to_string(spec.type), spec.name));
    }
    if (!log.empty()) {
      if (auto insn = failing_insn(log)) {
        const btf::Spec* btf = p.object != nullptr ? p.object->btf.get() : nullptr;
        if (auto line = source_line_for(spec, btf, *insn)) std::move(err).with_source_line(std::move(*line));
      }
      std::move(err).with_verifier_log(std::move(log));
    }
    std::string hint = load_hint(spec, e, !err.verifier_log().empty());
    if (!hint.empty()) std::move(err).with_hint(std::move(hint));
    return err;
  }
  Program prog;
  prog.fd_ = std::move(*fd);
  prog.name_ = spec.name;
  prog.section_ = spec.section;
  prog.type_ = spec.type;
  prog.expected_attach_type_ = spec.expected_attach_type;
  prog.attach_kind_ = spec.attach_kind;
  prog.attach_target_ = spec.attach_target;
  prog.insn_count_ = static_cast<uint32_t>(p.insns.size());
  if (opts.log_level > 0) {
    trim_log();
    prog.verifier_log_ = std::move(log);
  }
  return prog;
}

}  // namespace bpfxx::detail
