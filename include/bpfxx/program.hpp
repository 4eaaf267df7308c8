// bpfxx::Program: a loaded BPF program, the move-only owner of its fd.
//
// attach() attaches by the program's section name (SEC("tracepoint/cat/name"),
// SEC("kprobe/func")...); the attach_* calls take the target explicitly.
//
// Thread safety: immutable after load; const calls from any thread.
#pragma once

#include <bpfxx/fd.hpp>
#include <bpfxx/link.hpp>
#include <bpfxx/result.hpp>
#include <bpfxx/uapi.hpp>

#include <cstdint>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>
#include <string>
#include <string_view>

namespace bpfxx {

namespace detail {
struct ProgramAccess;
}

// BPF_PROG_TEST_RUN input: a packet (XDP, tc, socket filter), a context
// (raw tracepoints: the u64 arguments; syscall programs: any struct), or both.
struct TestRunOptions {
  std::span<const std::byte> data;
  std::span<const std::byte> ctx;
  uint32_t repeat = 0;        // 0 and 1 both run once
  size_t data_out_size = 0;   // bytes to receive the packet as the program left it
  size_t ctx_out_size = 0;
};

struct TestRunResult {
  uint32_t retval = 0;
  uint32_t duration_ns = 0;  // per run, averaged over `repeat`
  std::vector<std::byte> data_out;
  std::vector<std::byte> ctx_out;
};

class Program {
 public:
  Program() = default;
  Program(Program&&) noexcept = default;
  Program& operator=(Program&&) noexcept = default;

  const std::string& name() const noexcept { return name_; }
  const std::string& section() const noexcept { return section_; }
  ProgType type() const noexcept { return type_; }
  std::optional<AttachType> expected_attach_type() const noexcept { return expected_attach_type_; }
  AttachKind attach_kind() const noexcept { return attach_kind_; }
  const std::string& attach_target() const noexcept { return attach_target_; }
  int fd() const noexcept { return fd_.get(); }
  uint32_t insn_count() const noexcept { return insn_count_; }
  // The verifier log when LoadOptions::log_level asked for one.
  const std::string& verifier_log() const noexcept { return verifier_log_; }

  // Attaches as the section name says.
  Result<Link> attach() const;
  Result<Link> attach_tracepoint(std::string_view category, std::string_view name) const;
  Result<Link> attach_raw_tracepoint(std::string_view name) const;
  // A kprobe on `func` + `offset` (or a kretprobe) through the kprobe PMU.
  Result<Link> attach_kprobe(std::string_view func, uint64_t offset = 0, bool retprobe = false) const;
  // tp_btf, fentry/fexit/fmod_ret and lsm programs: the target was fixed at load.
  Result<Link> attach_tracing() const;

  Result<void> pin(const std::string& path) const;
  // Runs the program once (or `repeat` times) in the kernel without
  // attaching it: XDP, tc, socket filters, raw tracepoints, syscall programs.
  Result<TestRunResult> test_run(const TestRunOptions& options = {}) const;

 private:
  friend struct detail::ProgramAccess;
  Error attach_error(Error e) const;
  Fd fd_;
  std::string name_;
  std::string section_;
  ProgType type_ = ProgType::Unspec;
  std::optional<AttachType> expected_attach_type_;
  AttachKind attach_kind_ = AttachKind::None;
  std::string attach_target_;
  uint32_t insn_count_ = 0;
  std::string verifier_log_;
};

}  // namespace bpfxx
