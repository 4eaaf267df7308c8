#include "open_object.hpp"

#include <cstdio>

namespace bpfxx::cli {

std::optional<ObjectSpec> open_object(const std::string& path) {
  auto spec = ObjectSpec::open(path);
  if (spec) return std::move(*spec);
  std::string text = spec.error().describe();
  // describe() names the operation but not always the file: say which one.
  std::fprintf(stderr, "bpfxx: cannot use '%s':\n%s", path.c_str(), text.c_str());
  return std::nullopt;
}

}  // namespace bpfxx::cli
