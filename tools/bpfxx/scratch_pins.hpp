// A throw-away directory on bpffs for maps pinned by name (LIBBPF_PIN_BY_NAME).
//
// `obj load` is a check, not a deployment: pinning into /sys/fs/bpf would
// leave maps behind after the tool exits, and an existing pin would be reused
// instead of creating the map the object describes. So pins go to a fresh
// /sys/fs/bpf/bpfxx-obj-load-XXXXXX, emptied after each load and removed at
// the end.
#pragma once

#include <optional>
#include <string>

namespace bpfxx::cli {

class ScratchPins {
 public:
  // Creates the directory; nullopt when it cannot (no bpffs, not root): the
  // caller then keeps the default pin root and the load reports why it failed.
  static std::optional<ScratchPins> create();

  ScratchPins(ScratchPins&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScratchPins& operator=(ScratchPins&&) = delete;
  ScratchPins(const ScratchPins&) = delete;
  ~ScratchPins();

  const std::string& path() const noexcept { return path_; }
  // Unpins everything a load left in the directory.
  void clear() const;

 private:
  explicit ScratchPins(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace bpfxx::cli
