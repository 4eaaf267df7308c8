#include "open_object.hpp"

#include "output.hpp"

#include <cstdio>

namespace bpfxx::cli {

std::optional<ObjectSpec> open_object(const std::string& path, bool json) {
  auto spec = ObjectSpec::open(path);
  if (spec) return std::move(*spec);
  std::string text = spec.error().describe();
  // describe() names the operation but not always the file: say which one.
  std::fprintf(stderr, "bpfxx: cannot use '%s':\n%s", path.c_str(), text.c_str());
  if (json) {
    std::string doc = open_error_json(path, spec.error());
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  }
  return std::nullopt;
}

}  // namespace bpfxx::cli
