// Sink: the output buffer of the C generators. vmlinux.h is ~3 MB written in
// ~10^6 small pieces. Pieces go into a small chunk that stays in cache;
// full chunks are either appended to a result string or handed to a
// consumer (streaming: then the whole header never sits in memory, whose
// ~700 fresh pages cost more than generating their text in a short-lived
// process).
//
// Text that may still be taken back (pinned) or erased (held) is kept in
// the result string even when streaming, and handed on once released.
//
// Thread safety: one owner.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace bpfxx::codegen::detail {

class Sink {
 public:
  using Consumer = std::function<void(std::string_view)>;

  // Collects everything into one string (take()).
  explicit Sink(size_t expected_bytes) : chunk_(new char[kChunk]) { out_.reserve(expected_bytes); }
  // Hands the text on in pieces of up to 64 KiB.
  explicit Sink(Consumer consumer) : chunk_(new char[kChunk]), consumer_(std::move(consumer)) {}

  // Inlined everywhere: a million calls write vmlinux.h.
  [[gnu::always_inline]] void put(std::string_view s) {
    if (kChunk - len_ < s.size()) [[unlikely]] {
      put_slow(s);
      return;
    }
    copy(chunk_.get() + len_, s.data(), s.size());
    len_ += s.size();
  }
  [[gnu::always_inline]] void put(char c) {
    if (len_ == kChunk) [[unlikely]] flush();
    chunk_[len_++] = c;
  }
  void tabs(int n) {
    if (kChunk - len_ < static_cast<size_t>(n)) flush();
    std::memset(chunk_.get() + len_, '\t', static_cast<size_t>(n));
    len_ += static_cast<size_t>(n);
  }
  template <typename Int>
  void num(Int v) {
    if (kChunk - len_ < 24) flush();
    auto r = std::to_chars(chunk_.get() + len_, chunk_.get() + len_ + 24, v);
    len_ = static_cast<size_t>(r.ptr - chunk_.get());
  }

  // Total bytes written; positions count from the start of the output.
  size_t size() const noexcept { return passed_ + out_.size() + len_; }
  // While pinned, text from `size()` on can be truncated again. Pins nest.
  size_t pin() {
    if (pins_++ == 0) pinned_from_ = size();
    return size();
  }
  void unpin() { --pins_; }
  // Removes [pos, size()), for pos at or after a live pin.
  void truncate(size_t pos) {
    pos -= passed_;
    if (pos >= out_.size()) {
      len_ = pos - out_.size();
    } else {
      len_ = 0;
      out_.resize(pos);
    }
  }
  // While held (from the start), nothing is handed on: erase() may remove
  // any of it.
  void hold() { held_ = true; }
  void release() { held_ = false; }
  void erase(size_t pos, size_t n) {
    keep_chunk();
    out_.erase(pos - passed_, n);
  }

  // Everything written so far, for a collecting sink used as scratch space.
  std::string_view view() {
    keep_chunk();
    return out_;
  }
  void clear() {
    out_.clear();
    len_ = 0;
  }
  // The result of a collecting sink; a streaming one hands on the rest.
  std::string take() && {
    held_ = false;
    pins_ = 0;
    flush();
    return std::move(out_);
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  void put_slow(std::string_view s) {
    flush();
    if (s.size() > kChunk) {
      keep(s);
      return;
    }
    std::memcpy(chunk_.get(), s.data(), s.size());
    len_ = s.size();
  }
  void keep_chunk() {
    out_.append(chunk_.get(), len_);
    len_ = 0;
  }
  // Hands on what may go: everything, or all before the outermost pin.
  void keep(std::string_view s) {
    if (!consumer_ || held_) {
      out_.append(s);
    } else if (pins_ == 0) {
      if (!out_.empty()) {
        consumer_(out_);
        passed_ += out_.size();
        out_.clear();
      }
      consumer_(s);
      passed_ += s.size();
    } else {
      out_.append(s);
      size_t n = pinned_from_ - passed_;
      if (n > 0) {
        consumer_(std::string_view(out_).substr(0, n));
        passed_ += n;
        out_.erase(0, n);
      }
    }
  }
  void flush() {
    keep(std::string_view(chunk_.get(), len_));
    len_ = 0;
  }
  // Most pieces are names of a few to a few dozen bytes: copied with fixed
  // size moves (overlapping at the end) rather than a call to memcpy.
  [[gnu::always_inline]] static void copy(char* dst, const char* src, size_t n) {
    if (n >= 8 && n <= 16) {
      std::memcpy(dst, src, 8);
      std::memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4 && n < 8) {
      std::memcpy(dst, src, 4);
      std::memcpy(dst + n - 4, src + n - 4, 4);
    } else if (n < 4) {
      for (size_t i = 0; i < n; ++i) dst[i] = src[i];
    } else {
      std::memcpy(dst, src, n);
    }
  }

  std::string out_;  // the result, or text not handed on yet
  std::unique_ptr<char[]> chunk_;
  size_t len_ = 0;
  Consumer consumer_;
  size_t passed_ = 0;  // bytes already handed to consumer_
  int pins_ = 0;
  size_t pinned_from_ = 0;  // where the outermost live pin starts
  bool held_ = false;
};

}  // namespace bpfxx::codegen::detail
