// ZeroedArray: a fixed-size array of zero-initialized trivial values, for
// the generators' per-type-id tables.
//
// std::vector's value-initialization writes every byte, touching every page
// up front. calloc of a large block gets fresh pages that the kernel zeroes
// on first touch only, and in vmlinux ~60 % of type ids are functions the
// header never looks at: their part of each table is never touched.
//
// Thread safety: as a plain array.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <type_traits>

namespace bpfxx::codegen::detail {

template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  explicit ZeroedArray(size_t n) : data_(static_cast<T*>(std::calloc(n == 0 ? 1 : n, sizeof(T)))), size_(n) {
    if (data_ == nullptr) std::abort();  // out of memory is fatal
  }
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;
  ~ZeroedArray() { std::free(data_); }

  T& operator[](size_t i) noexcept { return data_[i]; }
  const T& operator[](size_t i) const noexcept { return data_[i]; }
  size_t size() const noexcept { return size_; }

 private:
  T* data_;
  size_t size_;
};

}  // namespace bpfxx::codegen::detail
