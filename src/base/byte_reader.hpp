// ByteReader: bounds-checked reads from borrowed bytes in either byte order.
//
// Every read from an untrusted file goes through here. Values are copied out
// with memcpy (never reinterpret_cast of file bytes) and swapped to host order
// when the file's byte order differs from ours. Offsets and sizes are 64-bit so
// that a file-provided value cannot wrap before it is checked.
//
// Thread safety: immutable view; concurrent use is safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

namespace bpfxx::detail {

template <typename T>
constexpr T byteswap(T v) noexcept {
  static_assert(std::is_integral_v<T>);
  if constexpr (sizeof(T) == 1) {
    return v;
  } else if constexpr (sizeof(T) == 2) {
    return static_cast<T>(__builtin_bswap16(static_cast<uint16_t>(v)));
  } else if constexpr (sizeof(T) == 4) {
    return static_cast<T>(__builtin_bswap32(static_cast<uint32_t>(v)));
  } else {
    static_assert(sizeof(T) == 8);
    return static_cast<T>(__builtin_bswap64(static_cast<uint64_t>(v)));
  }
}

// A T at p whose bounds the caller checked, in host order; the byte order
// is a template argument so that tight loops over records carry no test.
template <bool Swap, typename T>
inline T load_unchecked(const std::byte* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof(T));
  if constexpr (Swap) v = byteswap(v);
  return v;
}

// True when [offset, offset + length) lies within a buffer of `size` bytes,
// written so that no addition can overflow.
constexpr bool range_ok(uint64_t size, uint64_t offset, uint64_t length) noexcept {
  return offset <= size && length <= size - offset;
}

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::span<const std::byte> bytes, bool swap = false) noexcept
      : bytes_(bytes), swap_(swap) {}

  std::span<const std::byte> bytes() const noexcept { return bytes_; }
  size_t size() const noexcept { return bytes_.size(); }
  bool swapped() const noexcept { return swap_; }
  bool in_bounds(uint64_t offset, uint64_t length) const noexcept {
    return range_ok(bytes_.size(), offset, length);
  }

  // A checked read; nullopt when out of bounds.
  template <typename T>
  std::optional<T> read(uint64_t offset) const noexcept {
    if (!in_bounds(offset, sizeof(T))) return std::nullopt;
    return get<T>(static_cast<size_t>(offset));
  }

  // An unchecked read: the caller has already checked the range.
  template <typename T>
  T get(size_t offset) const noexcept {
    T v;
    std::memcpy(&v, bytes_.data() + offset, sizeof(T));
    return swap_ ? byteswap(v) : v;
  }

  std::optional<std::span<const std::byte>> sub(uint64_t offset, uint64_t length) const noexcept {
    if (!in_bounds(offset, length)) return std::nullopt;
    return bytes_.subspan(static_cast<size_t>(offset), static_cast<size_t>(length));
  }

  ByteReader sub_reader(size_t offset, size_t length) const noexcept {
    return ByteReader(bytes_.subspan(offset, length), swap_);
  }

  // A NUL-terminated string starting at offset; nullopt without a NUL.
  std::optional<std::string_view> cstr_at(uint64_t offset) const noexcept {
    if (offset >= bytes_.size()) return std::nullopt;
    const char* start = reinterpret_cast<const char*>(bytes_.data()) + offset;
    if (*start == '\0') return std::string_view(start, 0);  // unnamed symbols and sections: no scan
    const void* nul = std::memchr(start, 0, bytes_.size() - static_cast<size_t>(offset));
    if (nul == nullptr) return std::nullopt;
    return std::string_view(start, static_cast<const char*>(nul) - start);
  }

 private:
  std::span<const std::byte> bytes_;
  bool swap_ = false;
};

inline std::span<const std::byte> as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace bpfxx::detail
