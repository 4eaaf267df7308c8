#include "load/map_create.hpp"

#include "sys/bpf.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace bpfxx::detail {

namespace {

// Maps whose key and value are not BTF-described data (ringbufs have no
// elements; fd-holding maps store fds): their types must not go to the kernel.
bool takes_btf_types(MapType t) {
  switch (t) {
    case MapType::Ringbuf:
    case MapType::UserRingbuf:
    case MapType::PerfEventArray:
    case MapType::ProgArray:
    case MapType::ArrayOfMaps:
    case MapType::HashOfMaps:
    case MapType::CgroupArray:
    case MapType::Sockmap:
    case MapType::Sockhash:
    case MapType::Devmap:
    case MapType::DevmapHash:
    case MapType::Cpumap:
    case MapType::Xskmap:
    case MapType::StackTrace:
    case MapType::ReuseportSockarray:
    case MapType::Queue:
    case MapType::Stack:
    case MapType::BloomFilter:
    case MapType::Arena:
      return false;
    default:
      return true;
  }
}

std::string hint_for(const MapSpec& spec, int e) {
  if (e == EINVAL && (spec.type == MapType::Ringbuf || spec.type == MapType::UserRingbuf)) {
    return "a ring buffer's max_entries must be a power of two and a multiple of the page size";
  }
  if (e == EINVAL && spec.type == MapType::LpmTrie) return "LPM tries need map_flags BPF_F_NO_PREALLOC";
  // Programs often leave the size to the loader (libbpf-tools size their
  // maps at run time); the kernel then refuses the map with a bare EINVAL.
  if (e == EINVAL && spec.max_entries == 0 && spec.type != MapType::PerfEventArray) {
    return fmt::format("map '{}' declares no max_entries: set it before loading "
                       "(ObjectSpec::map(\"{}\")->max_entries)",
                       spec.name, spec.name);
  }
  if (e == EPERM) return "creating maps needs CAP_BPF (run as root)";
  if (e == ENOMEM || e == E2BIG) return "the map is too large (max_entries * value_size)";
  return {};
}

}  // namespace

namespace {
// The characters the kernel accepts in object names map to themselves,
// everything else to '_': one table load per character.
constexpr std::array<char, 256> kNameChars = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    t[static_cast<size_t>(c)] = ok ? static_cast<char>(c) : '_';
  }
  return t;
}();
}  // namespace

void copy_kernel_object_name(std::string_view name, char (&out)[16]) {
  size_t n = std::min<size_t>(name.size(), sizeof(out) - 1);
  for (size_t i = 0; i < n; ++i) out[i] = kNameChars[static_cast<unsigned char>(name[i])];
  out[n] = '\0';
}

Result<uint32_t> effective_max_entries(const MapSpec& spec) {
  if (spec.type == MapType::PerfEventArray && spec.max_entries == 0) return sys::possible_cpus();
  return spec.max_entries;
}

Result<Fd> create_map(const MapCreateParams& p) {
  const MapSpec& spec = *p.spec;
  sys::MapCreateAttr a;
  a.map_type = static_cast<uint32_t>(spec.type);
  a.key_size = spec.key_size;
  a.value_size = spec.value_size;
  // A perf event array holds one perf event fd per CPU: 4-byte keys and values.
  if (spec.type == MapType::PerfEventArray) {
    if (a.key_size == 0) a.key_size = 4;
    if (a.value_size == 0) a.value_size = 4;
  }
  BPFXX_TRY_ASSIGN(a.max_entries, effective_max_entries(spec));
  a.map_flags = spec.flags;
  a.numa_node = spec.numa_node;
  a.map_extra = spec.map_extra;
  copy_kernel_object_name(p.kernel_name.empty() ? std::string_view(spec.name) : std::string_view(p.kernel_name),
                          a.map_name);
  if (p.inner_map_fd >= 0) a.inner_map_fd = static_cast<uint32_t>(p.inner_map_fd);
  if (p.btf_fd >= 0 && spec.value_type != 0 && takes_btf_types(spec.type)) {
    // Array-like maps accept a value type alone; others need both.
    bool array_like = spec.type == MapType::Array || spec.type == MapType::PercpuArray;
    if (spec.key_type != 0 || array_like) {
      a.btf_fd = static_cast<uint32_t>(p.btf_fd);
      a.btf_key_type_id = spec.key_type;
      a.btf_value_type_id = spec.value_type;
    }
  }
  auto fd = sys::map_create(a);
  if (!fd) {
    int e = fd.error().sys_errno();
    Error err = std::move(fd).error().with_map(spec.name).with_context(
        fmt::format("creating {} map '{}' (key {} value {} max_entries {} flags 0x{:x})", to_string(spec.type),
                    spec.name, a.key_size, a.value_size, a.max_entries, a.map_flags));
    std::string hint = hint_for(spec, e);
    if (!hint.empty()) std::move(err).with_hint(hint);
    return err;
  }
  return fd;
}

}  // namespace bpfxx::detail
