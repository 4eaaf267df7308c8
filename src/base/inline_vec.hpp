// InlineVec<T, N>: a vector of at most N trivially copyable items stored in
// the object itself. For short lists built on hot paths (a CO-RE access
// walks a handful of steps) where a heap allocation per list costs more than
// the work; the capacity is a hard bound the caller checks with full().
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace bpfxx::detail {

template <typename T, size_t N>
class InlineVec {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  using value_type = T;

  InlineVec() noexcept {}  // items stay uninitialised until pushed
  InlineVec(const InlineVec& o) noexcept { copy_from(o); }
  InlineVec& operator=(const InlineVec& o) noexcept {
    if (this != &o) copy_from(o);
    return *this;
  }

  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  bool full() const noexcept { return size_ == N; }
  static constexpr size_t capacity() noexcept { return N; }

  // The caller checks full() first: overflowing is a bug.
  void push_back(const T& v) noexcept {
    assert(size_ < N);
    items_[size_++] = v;
  }
  void pop_back() noexcept {
    assert(size_ > 0);
    --size_;
  }
  void clear() noexcept { size_ = 0; }

  T& operator[](size_t i) noexcept { return items_[i]; }
  const T& operator[](size_t i) const noexcept { return items_[i]; }
  T& back() noexcept { return items_[size_ - 1]; }
  const T& back() const noexcept { return items_[size_ - 1]; }
  T* begin() noexcept { return items_; }
  T* end() noexcept { return items_ + size_; }
  const T* begin() const noexcept { return items_; }
  const T* end() const noexcept { return items_ + size_; }

  bool operator==(const InlineVec& o) const noexcept {
    if (size_ != o.size_) return false;
    for (size_t i = 0; i < size_; ++i) {
      if (!(items_[i] == o.items_[i])) return false;
    }
    return true;
  }

 private:
  void copy_from(const InlineVec& o) noexcept {
    size_ = o.size_;
    if (size_ != 0) std::memcpy(static_cast<void*>(items_), o.items_, size_ * sizeof(T));
  }

  union {
    T items_[N];
  };
  uint32_t size_ = 0;
};

}  // namespace bpfxx::detail
