// bpfxx::Map: a loaded BPF map, the move-only owner of its file descriptor.
//
// Element calls are one syscall each and check key and value sizes first, so a
// wrong-size buffer is a clear error instead of a kernel read past its end.
// Per-CPU maps take and return one value per possible CPU, each rounded up
// to 8 bytes, as the kernel lays them out.
//
// Thread safety: element calls from any thread (atomicity is the map type's);
// moving, pinning or destroying the Map is the owner's job.
#pragma once

#include <bpfxx/fd.hpp>
#include <bpfxx/map_spec.hpp>
#include <bpfxx/result.hpp>
#include <bpfxx/uapi.hpp>

#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace bpfxx {

namespace detail {
struct MapAccess;
}

enum class UpdateFlag : uint64_t { Any = 0, NoExist = 1, Exist = 2, Lock = 4 };

class Map {
 public:
  Map() = default;
  Map(Map&&) noexcept;
  Map& operator=(Map&&) noexcept;
  ~Map();

  // Creates a map on its own (no BTF), e.g. for tests or inner maps.
  static Result<Map> create(const MapSpec& spec);
  // Opens a pinned map.
  static Result<Map> open_pinned(const std::string& path);
  // Adopts an fd and learns the map's properties from the kernel.
  static Result<Map> from_fd(Fd fd);

  const std::string& name() const noexcept { return name_; }
  MapType type() const noexcept { return type_; }
  uint32_t key_size() const noexcept { return key_size_; }
  uint32_t value_size() const noexcept { return value_size_; }
  uint32_t max_entries() const noexcept { return max_entries_; }
  uint32_t flags() const noexcept { return flags_; }
  int fd() const noexcept { return fd_.get(); }
  bool is_per_cpu() const noexcept;
  // The size of a value buffer for lookup/update: value_size, or for per-CPU
  // maps round_up(value_size, 8) * possible CPUs.
  size_t value_buffer_size() const noexcept { return buffer_value_size_; }

  Result<void> lookup(std::span<const std::byte> key, std::span<std::byte> value) const;
  Result<std::vector<std::byte>> lookup(std::span<const std::byte> key) const;
  Result<void> update(std::span<const std::byte> key, std::span<const std::byte> value,
                      UpdateFlag flag = UpdateFlag::Any);
  Result<void> remove(std::span<const std::byte> key);
  // The key after `key` (the first key when `key` is empty); nullopt at the end.
  Result<std::optional<std::vector<std::byte>>> next_key(std::span<const std::byte> key) const;
  // Queue/stack maps: push and pop without a key.
  Result<void> push(std::span<const std::byte> value, UpdateFlag flag = UpdateFlag::Any);
  Result<std::vector<std::byte>> pop();

  // Typed helpers for fixed-size keys and values.
  template <typename V, typename K>
  Result<V> lookup_as(const K& key) const {
    static_assert(std::is_trivially_copyable_v<K> && std::is_trivially_copyable_v<V>);
    V value{};
    BPFXX_TRY(lookup(as_bytes_of(key), std::as_writable_bytes(std::span<V, 1>(&value, 1))));
    return value;
  }
  template <typename K, typename V>
  Result<void> update_as(const K& key, const V& value, UpdateFlag flag = UpdateFlag::Any) {
    static_assert(std::is_trivially_copyable_v<K> && std::is_trivially_copyable_v<V>);
    return update(as_bytes_of(key), as_bytes_of(value), flag);
  }

  Result<void> freeze();
  Result<void> pin(const std::string& path);
  // The map's value memory (BPF_F_MMAPABLE arrays: global data), mapped on
  // first use and kept for the Map's life. Read-only after freeze().
  Result<std::span<std::byte>> mmap_data();

 private:
  friend struct detail::MapAccess;
  template <typename T>
  static std::span<const std::byte> as_bytes_of(const T& v) {
    return std::as_bytes(std::span<const T, 1>(&v, 1));
  }
  Result<void> check_key(std::span<const std::byte> key, const char* op) const;
  Result<void> check_value(size_t size, const char* op) const;
  Error map_error(Error e) const;
  Result<void> init_buffer_size();

  Fd fd_;
  std::string name_;
  MapType type_ = MapType::Unspec;
  uint32_t key_size_ = 0;
  uint32_t value_size_ = 0;
  uint32_t max_entries_ = 0;
  uint32_t flags_ = 0;
  size_t buffer_value_size_ = 0;
  struct Mapped;
  std::unique_ptr<Mapped> mapped_;
};

}  // namespace bpfxx
