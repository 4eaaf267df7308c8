// Creating one map from a MapSpec (internal to load/).
#pragma once

#include <bpfxx/fd.hpp>
#include <bpfxx/map.hpp>
#include <bpfxx/map_spec.hpp>
#include <bpfxx/result.hpp>

#include <string>
#include <string_view>

namespace bpfxx::detail {

struct MapCreateParams {
  const MapSpec* spec = nullptr;
  std::string kernel_name;  // defaults to the spec's name, sanitized
  int btf_fd = -1;          // the object's BTF, for key/value type ids
  int inner_map_fd = -1;    // map-in-map: a map like the inner ones
};

Result<Fd> create_map(const MapCreateParams& params);
// max_entries as created: a PERF_EVENT_ARRAY left at 0 gets one slot per CPU.
Result<uint32_t> effective_max_entries(const MapSpec& spec);
// Writes `name` under the kernel's object-name rules (15 characters of
// [A-Za-z0-9_.], others replaced by '_') into a bpf_attr name field.
void copy_kernel_object_name(std::string_view name, char (&out)[16]);

struct MapAccess {
  static Result<Map> adopt(Fd fd, const MapSpec& spec, uint32_t max_entries);
  // Pinned maps come back with the kernel's truncated name; keep the spec's.
  static void rename(Map& map, std::string name);
};

}  // namespace bpfxx::detail
