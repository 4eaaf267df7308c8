// bpfxx::Fd: a move-only owner of one file descriptor.
//
// Thread safety: one owner, not synchronized.
#pragma once

#include <bpfxx/result.hpp>

#include <utility>

namespace bpfxx {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int raw) noexcept : raw_(raw) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : raw_(std::exchange(other.raw_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(std::exchange(other.raw_, -1));
    return *this;
  }
  ~Fd() {
    if (raw_ >= 0) reset();  // moved-from fds, the common case, need no call
  }

  int get() const noexcept { return raw_; }
  bool valid() const noexcept { return raw_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }
  [[nodiscard]] int release() noexcept { return std::exchange(raw_, -1); }
  // close() errors are ignored: the descriptor is gone either way.
  void reset(int raw = -1) noexcept;
  // A close-on-exec duplicate numbered 1 or above.
  Result<Fd> dup() const;
  // The same for a descriptor the caller keeps owning.
  static Result<Fd> duplicate(int raw);

 private:
  int raw_ = -1;
};

}  // namespace bpfxx
