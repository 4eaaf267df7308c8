// Program::attach*: tracepoints, raw tracepoints, kprobes and BTF-typed
// tracing programs. Which one attach() uses comes from the section table's
// attach kind; the target from the section name.
#include <bpfxx/program.hpp>

#include "attach/perf_link.hpp"
#include "sys/bpf.hpp"
#include "sys/perf_event.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace bpfxx {

Error Program::attach_error(Error e) const { return std::move(e).with_program_if_unset(name_); }

namespace {

Error no_target(const Program& p, const char* form) {
  return Error(Errc::InvalidInput,
               fmt::format("section '{}' names no attach target; write SEC(\"{}\") or call the attach_* function "
                           "with a target",
                           p.section(), form))
      .with_op("attach")
      .with_program(p.name());
}

}  // namespace

Result<Link> Program::attach() const {
  switch (attach_kind_) {
    case AttachKind::Tracepoint: {
      size_t slash = attach_target_.find('/');
      if (slash == std::string::npos) return no_target(*this, "tracepoint/<category>/<name>");
      return attach_tracepoint(std::string_view(attach_target_).substr(0, slash),
                               std::string_view(attach_target_).substr(slash + 1));
    }
    case AttachKind::RawTracepoint:
      if (attach_target_.empty()) return no_target(*this, "raw_tp/<tracepoint>");
      return attach_raw_tracepoint(attach_target_);
    case AttachKind::Kprobe:
    case AttachKind::Kretprobe: {
      if (attach_target_.empty()) return no_target(*this, "kprobe/<function>[+offset]");
      std::string_view func = attach_target_;
      uint64_t offset = 0;
      if (size_t plus = func.find('+'); plus != std::string_view::npos) {
        std::string off(func.substr(plus + 1));
        char* end = nullptr;
        offset = std::strtoull(off.c_str(), &end, 0);
        if (end == off.c_str() || *end != '\0') {
          return Error(Errc::InvalidInput, fmt::format("bad kprobe offset in '{}'", attach_target_))
              .with_op("attach kprobe")
              .with_program(name_);
        }
        func = func.substr(0, plus);
      }
      return attach_kprobe(func, offset, attach_kind_ == AttachKind::Kretprobe);
    }
    case AttachKind::Tracing:
    case AttachKind::Lsm:
      return attach_tracing();
    default:
      return Error(Errc::NotSupported,
                   fmt::format("not supported yet: attaching {} programs (section '{}')", to_string(attach_kind_),
                               section_))
          .with_op("attach")
          .with_program(name_);
  }
}

Result<Link> Program::attach_tracepoint(std::string_view category, std::string_view name) const {
  std::string what = fmt::format("tracepoint {}/{}", category, name);
  auto id = sys::tracepoint_id(std::string(category), std::string(name));
  if (!id) return attach_error(std::move(id).error().with_context("attaching " + what));
  auto perf = sys::perf_event_open_tracepoint(*id);
  if (!perf) return attach_error(std::move(perf).error().with_context("attaching " + what));
  return detail::attach_perf_event(*this, std::move(*perf), std::move(what));
}

Result<Link> Program::attach_raw_tracepoint(std::string_view name) const {
  std::string n(name);
  auto fd = sys::raw_tracepoint_open(n.c_str(), fd_.get());
  if (!fd) {
    Error e = std::move(fd).error().with_context("attaching raw tracepoint " + n);
    if (e.sys_errno() == ENOENT) std::move(e).with_hint("no such tracepoint; see /sys/kernel/tracing/available_events");
    return attach_error(std::move(e));
  }
  return Link(std::move(*fd), Fd(), LinkMechanism::BpfLink, "raw tracepoint " + n);
}

Result<Link> Program::attach_kprobe(std::string_view func, uint64_t offset, bool retprobe) const {
  std::string what = fmt::format("{} {}+{}", retprobe ? "kretprobe" : "kprobe", func, offset);
  auto pmu = sys::dynamic_pmu("kprobe");
  if (!pmu) return attach_error(std::move(pmu).error().with_context("attaching " + what));
  if (retprobe && pmu->retprobe_bit < 0) {
    return Error(Errc::NotSupported, "the kprobe PMU has no retprobe format bit")
        .with_op("attach " + what)
        .with_program(name_);
  }
  auto perf = sys::perf_event_open_kprobe(pmu->type, retprobe, pmu->retprobe_bit, std::string(func), offset);
  if (!perf) {
    Error e = std::move(perf).error().with_context("attaching " + what);
    if (e.sys_errno() == ENOENT || e.sys_errno() == EINVAL) {
      std::move(e).with_hint("no such kernel function (or it cannot be probed); see /proc/kallsyms");
    }
    return attach_error(std::move(e));
  }
  return detail::attach_perf_event(*this, std::move(*perf), std::move(what));
}

Result<Link> Program::attach_tracing() const {
  // With the target fixed by attach_btf_id at load, RAW_TRACEPOINT_OPEN with
  // no name creates the link for tp_btf, fentry/fexit/fmod_ret and lsm.
  auto fd = sys::raw_tracepoint_open(nullptr, fd_.get());
  std::string what = fmt::format("{} {}", to_string(attach_kind_), attach_target_);
  if (!fd) return attach_error(std::move(fd).error().with_context("attaching " + what));
  return Link(std::move(*fd), Fd(), LinkMechanism::BpfLink, std::move(what));
}

Result<TestRunResult> Program::test_run(const TestRunOptions& o) const {
  TestRunResult out;
  out.data_out.resize(o.data_out_size);
  out.ctx_out.resize(o.ctx_out_size);
  sys::ProgTestRunAttr a;
  auto ptr = [](const void* p) { return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p)); };
  a.prog_fd = static_cast<uint32_t>(fd_.get());
  a.data_in = o.data.empty() ? 0 : ptr(o.data.data());
  a.data_size_in = static_cast<uint32_t>(o.data.size());
  a.data_out = out.data_out.empty() ? 0 : ptr(out.data_out.data());
  a.data_size_out = static_cast<uint32_t>(out.data_out.size());
  a.ctx_in = o.ctx.empty() ? 0 : ptr(o.ctx.data());
  a.ctx_size_in = static_cast<uint32_t>(o.ctx.size());
  a.ctx_out = out.ctx_out.empty() ? 0 : ptr(out.ctx_out.data());
  a.ctx_size_out = static_cast<uint32_t>(out.ctx_out.size());
  a.repeat = o.repeat;
  auto r = sys::prog_test_run(a);
  if (!r) {
    Error e = std::move(r).error().with_context("test-running " + std::string(to_string(type_)) + " program");
    return attach_error(std::move(e));
  }
  out.retval = a.retval;
  out.duration_ns = a.duration;
  out.data_out.resize(std::min<size_t>(out.data_out.size(), a.data_size_out));
  out.ctx_out.resize(std::min<size_t>(out.ctx_out.size(), a.ctx_size_out));
  return out;
}

Result<void> Program::pin(const std::string& path) const {
  auto r = sys::obj_pin(fd_.get(), path);
  if (!r) return attach_error(std::move(r).error().with_hint("pin paths must be on a bpffs mount"));
  return {};
}

}  // namespace bpfxx
