// bpfxx::Object: every map and program of an ObjectSpec, loaded into the
// kernel. Move-only; destroying it closes every fd it owns.
//
// Load order: the object's BTF, then maps (BTF key/value types, pinning,
// initial contents of global data, .rodata frozen), then programs (map
// references resolved to fds, CO-RE relocations applied against the
// kernel's BTF; see <bpfxx/core.hpp>), then initial slots of map-in-map and
// program arrays. If any step fails, everything created so far is closed (and any pin
// this load created is removed): nothing is left half-loaded.
//
//   auto obj = bpfxx::Object::load(spec).value();
//   auto link = obj.program("handle_mmap")->attach().value();
//
// Thread safety: one owner, not synchronized; see Program and Map.
#pragma once

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/fd.hpp>
#include <bpfxx/link.hpp>
#include <bpfxx/map.hpp>
#include <bpfxx/object_spec.hpp>
#include <bpfxx/program.hpp>
#include <bpfxx/result.hpp>

#include <memory>
#include <string>
#include <vector>

namespace bpfxx {

struct LoadOptions {
  // 0: load without a verifier log and, on failure, load again with one.
  // 1 or 2: always log at that level (Program::verifier_log()).
  uint32_t log_level = 0;
  // The largest log buffer bpfxx grows to when a log does not fit: by
  // default the kernel's own limit (UINT32_MAX >> 2). Kernels since 6.4 say
  // how much they need, so the buffer is usually sized once.
  uint32_t log_size_limit = UINT32_MAX >> 2;
  // Where maps with `pinning = LIBBPF_PIN_BY_NAME` live.
  std::string pin_root = "/sys/fs/bpf";
  // Kernel BTF for CO-RE relocations and tp_btf/fentry/lsm targets; the
  // running kernel's (/sys/kernel/btf/vmlinux, parsed once per process)
  // when null.
  std::shared_ptr<const btf::Spec> kernel_btf;
  // The kernel config for .kconfig externs (a file, gzipped if it ends in
  // .gz); /proc/config.gz or /boot/config-$(uname -r) when empty.
  std::string kconfig_path;
};

class Object {
 public:
  Object() = default;
  Object(Object&&) noexcept = default;
  Object& operator=(Object&&) noexcept = default;

  static Result<Object> load(const ObjectSpec& spec, const LoadOptions& options = {});
  static Result<Object> open_and_load(const std::string& path, const LoadOptions& options = {});

  const std::string& name() const noexcept { return name_; }
  Program* program(std::string_view name) noexcept;
  const Program* program(std::string_view name) const noexcept;
  Map* map(std::string_view name) noexcept;
  const Map* map(std::string_view name) const noexcept;
  std::vector<Program>& programs() noexcept { return programs_; }
  std::vector<Map>& maps() noexcept { return maps_; }
  int btf_fd() const noexcept { return btf_fd_.get(); }
  // Deliberate fallbacks taken while loading, one sentence each.
  const std::vector<std::string>& notes() const noexcept { return notes_; }

  // Attaches every program whose section says how; fails (detaching what
  // it attached) if any cannot be attached.
  Result<std::vector<Link>> attach_all() const;

 private:
  std::string name_;
  Fd btf_fd_;
  std::vector<Map> maps_;
  std::vector<Program> programs_;
  std::vector<std::string> notes_;
};

}  // namespace bpfxx
