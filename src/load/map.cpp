#include <bpfxx/map.hpp>

#include "load/map_create.hpp"
#include "sys/bpf.hpp"
#include "sys/mapping.hpp"

#include <fmt/format.h>

#include <linux/bpf.h>
#include <sys/mman.h>

namespace bpfxx {

struct Map::Mapped {
  sys::Mapping mapping;
};

Map::Map(Map&&) noexcept = default;
Map& Map::operator=(Map&&) noexcept = default;
Map::~Map() = default;

bool Map::is_per_cpu() const noexcept {
  switch (type_) {
    case MapType::PercpuHash:
    case MapType::PercpuArray:
    case MapType::LruPercpuHash:
    case MapType::PercpuCgroupStorage:
      return true;
    default:
      return false;
  }
}

namespace detail {

Result<Map> MapAccess::adopt(Fd fd, const MapSpec& spec, uint32_t max_entries) {
  Map m;
  m.fd_ = std::move(fd);
  m.name_ = spec.name;
  m.type_ = spec.type;
  m.key_size_ = spec.key_size;
  m.value_size_ = spec.value_size;
  m.max_entries_ = max_entries;
  m.flags_ = spec.flags;
  BPFXX_TRY(m.init_buffer_size());
  return m;
}

void MapAccess::rename(Map& map, std::string name) { map.name_ = std::move(name); }

}  // namespace detail

Result<void> Map::init_buffer_size() {
  buffer_value_size_ = value_size_;
  if (is_per_cpu()) {
    BPFXX_TRY_ASSIGN(uint32_t cpus, sys::possible_cpus());
    buffer_value_size_ = ((size_t{value_size_} + 7) / 8 * 8) * cpus;
  }
  return {};
}

Result<Map> Map::create(const MapSpec& spec) {
  detail::MapCreateParams p;
  p.spec = &spec;
  BPFXX_TRY_ASSIGN(Fd fd, detail::create_map(p));
  BPFXX_TRY_ASSIGN(uint32_t max_entries, detail::effective_max_entries(spec));
  return detail::MapAccess::adopt(std::move(fd), spec, max_entries);
}

Result<Map> Map::from_fd(Fd fd) {
  bpf_map_info info{};
  auto n = sys::obj_get_info_by_fd(fd.get(), &info, sizeof(info));
  if (!n) return std::move(n).error().with_context("querying map info");
  Map m;
  m.fd_ = std::move(fd);
  m.name_ = info.name;
  m.type_ = static_cast<MapType>(info.type);
  m.key_size_ = info.key_size;
  m.value_size_ = info.value_size;
  m.max_entries_ = info.max_entries;
  m.flags_ = info.map_flags;
  BPFXX_TRY(m.init_buffer_size());
  return m;
}

Result<Map> Map::open_pinned(const std::string& path) {
  BPFXX_TRY_ASSIGN(Fd fd, sys::obj_get(path));
  return from_fd(std::move(fd));
}

Error Map::map_error(Error e) const { return std::move(e).with_map_if_unset(name_); }

Result<void> Map::check_key(std::span<const std::byte> key, const char* op) const {
  if (key.size() != key_size_) {
    return Error(Errc::InvalidInput,
                 fmt::format("key is {} bytes, map '{}' has key_size {}", key.size(), name_, key_size_))
        .with_op(op)
        .with_map(name_);
  }
  return {};
}

Result<void> Map::check_value(size_t size, const char* op) const {
  if (size != buffer_value_size_) {
    return Error(Errc::InvalidInput,
                 fmt::format("value buffer is {} bytes, map '{}' needs {}{}", size, name_, buffer_value_size_,
                             is_per_cpu() ? " (value_size rounded to 8, times the possible CPUs)" : ""))
        .with_op(op)
        .with_map(name_);
  }
  return {};
}

Result<void> Map::lookup(std::span<const std::byte> key, std::span<std::byte> value) const {
  BPFXX_TRY(check_key(key, "map lookup"));
  BPFXX_TRY(check_value(value.size(), "map lookup"));
  auto r = sys::map_lookup_elem(fd_.get(), key.empty() ? nullptr : key.data(), value.data());
  if (!r) return map_error(std::move(r).error());
  return {};
}

Result<std::vector<std::byte>> Map::lookup(std::span<const std::byte> key) const {
  std::vector<std::byte> value(buffer_value_size_);
  BPFXX_TRY(lookup(key, value));
  return value;
}

Result<void> Map::update(std::span<const std::byte> key, std::span<const std::byte> value, UpdateFlag flag) {
  BPFXX_TRY(check_key(key, "map update"));
  BPFXX_TRY(check_value(value.size(), "map update"));
  auto r = sys::map_update_elem(fd_.get(), key.empty() ? nullptr : key.data(), value.data(),
                                static_cast<uint64_t>(flag));
  if (!r) return map_error(std::move(r).error());
  return {};
}

Result<void> Map::remove(std::span<const std::byte> key) {
  BPFXX_TRY(check_key(key, "map delete"));
  auto r = sys::map_delete_elem(fd_.get(), key.data());
  if (!r) return map_error(std::move(r).error());
  return {};
}

Result<std::optional<std::vector<std::byte>>> Map::next_key(std::span<const std::byte> key) const {
  if (!key.empty()) BPFXX_TRY(check_key(key, "map next key"));
  std::vector<std::byte> next(key_size_);
  auto r = sys::map_get_next_key(fd_.get(), key.empty() ? nullptr : key.data(), next.data());
  if (!r) return map_error(std::move(r).error());
  if (!*r) return std::optional<std::vector<std::byte>>{};
  return std::optional<std::vector<std::byte>>(std::move(next));
}

Result<void> Map::push(std::span<const std::byte> value, UpdateFlag flag) {
  BPFXX_TRY(check_value(value.size(), "map push"));
  auto r = sys::map_update_elem(fd_.get(), nullptr, value.data(), static_cast<uint64_t>(flag));
  if (!r) return map_error(std::move(r).error());
  return {};
}

Result<std::vector<std::byte>> Map::pop() {
  std::vector<std::byte> value(buffer_value_size_);
  // LOOKUP_AND_DELETE with no key pops queues and stacks.
  sys::MapElemAttr a;
  a.map_fd = static_cast<uint32_t>(fd_.get());
  a.value = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(value.data()));
  auto r = sys::bpf(Command::MapLookupAndDeleteElem, &a, sizeof(a));
  if (!r) return map_error(std::move(r).error());
  return value;
}

Result<void> Map::freeze() {
  auto r = sys::map_freeze(fd_.get());
  if (!r) return map_error(std::move(r).error());
  return {};
}

Result<void> Map::pin(const std::string& path) {
  auto r = sys::obj_pin(fd_.get(), path);
  if (!r) return map_error(std::move(r).error().with_hint("pin paths must be on a bpffs mount (mount -t bpf bpf /sys/fs/bpf)"));
  return {};
}

Result<std::span<std::byte>> Map::mmap_data() {
  if (!mapped_) {
    if ((flags_ & kMapFlagMmapable) == 0) {
      return Error(Errc::InvalidInput, fmt::format("map '{}' was not created with BPF_F_MMAPABLE", name_))
          .with_op("mmap map")
          .with_map(name_);
    }
    size_t len = (size_t{value_size_} * max_entries_ + sys::page_size() - 1) / sys::page_size() * sys::page_size();
    // A frozen map can only be mapped read-only.
    auto m = sys::Mapping::map(fd_.get(), len, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
    if (!m && m.error().sys_errno() == EPERM) m = sys::Mapping::map(fd_.get(), len, PROT_READ, MAP_SHARED, 0);
    if (!m) return map_error(std::move(m).error());
    mapped_ = std::make_unique<Mapped>();
    mapped_->mapping = std::move(*m);
  }
  return std::span<std::byte>(static_cast<std::byte*>(mapped_->mapping.data()),
                              size_t{value_size_} * max_entries_);
}

}  // namespace bpfxx
