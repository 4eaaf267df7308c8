// Mapping: a move-only owner of one mmap()ed region.
#pragma once

#include <bpfxx/result.hpp>

#include <cstddef>
#include <utility>

namespace bpfxx::sys {

class Mapping {
 public:
  Mapping() = default;
  static Result<Mapping> map(int fd, size_t length, int prot, int flags, long offset);
  Mapping(Mapping&& o) noexcept : addr_(std::exchange(o.addr_, nullptr)), length_(std::exchange(o.length_, 0)) {}
  Mapping& operator=(Mapping&& o) noexcept {
    if (this != &o) {
      reset();
      addr_ = std::exchange(o.addr_, nullptr);
      length_ = std::exchange(o.length_, 0);
    }
    return *this;
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() { reset(); }

  void* data() const noexcept { return addr_; }
  size_t size() const noexcept { return length_; }
  explicit operator bool() const noexcept { return addr_ != nullptr; }
  void reset() noexcept;

 private:
  void* addr_ = nullptr;
  size_t length_ = 0;
};

size_t page_size() noexcept;

}  // namespace bpfxx::sys
