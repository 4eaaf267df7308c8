// Sink: the output buffer of the C generators. vmlinux.h is ~3 MB written in
// ~10^6 small pieces, so pieces are copied into one growing buffer with no
// per-piece allocation and no std::string::append bookkeeping.
//
// Thread safety: one owner.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace bpfxx::codegen::detail {

class Sink {
 public:
  explicit Sink(size_t reserve_bytes) { buf_.resize(reserve_bytes < 64 ? 64 : reserve_bytes); }

  void put(std::string_view s) {
    ensure(s.size());
    std::memcpy(buf_.data() + len_, s.data(), s.size());
    len_ += s.size();
  }
  void put(char c) {
    ensure(1);
    buf_[len_++] = c;
  }
  void tabs(int n) {
    ensure(static_cast<size_t>(n));
    std::memset(buf_.data() + len_, '\t', static_cast<size_t>(n));
    len_ += static_cast<size_t>(n);
  }
  template <typename Int>
  void num(Int v) {
    ensure(24);
    auto r = std::to_chars(buf_.data() + len_, buf_.data() + len_ + 24, v);
    len_ = static_cast<size_t>(r.ptr - buf_.data());
  }
  size_t size() const noexcept { return len_; }
  // Removes [pos, pos + n): for taking back a piece written speculatively.
  void erase(size_t pos, size_t n) {
    std::memmove(buf_.data() + pos, buf_.data() + pos + n, len_ - pos - n);
    len_ -= n;
  }
  std::string take() && {
    buf_.resize(len_);
    return std::move(buf_);
  }

 private:
  void ensure(size_t n) {
    if (buf_.size() - len_ < n) buf_.resize((buf_.size() + n) * 2);
  }
  std::string buf_;
  size_t len_ = 0;
};

}  // namespace bpfxx::codegen::detail
