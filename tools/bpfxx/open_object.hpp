// Opening the object file both commands start with.
#pragma once

#include <bpfxx/object_spec.hpp>

#include <optional>
#include <string>

namespace bpfxx::cli {

// Parses `path`; on failure prints the library's full description of the
// error to stderr (a "not supported yet: ..." message as the library wrote
// it) and returns nullopt, for the caller to exit with kExitUsage. With
// `json`, stdout gets a JSON document saying the same ({"file", "ok":
// false, "error": {...}}), so a script reading stdout is never left with
// nothing to parse.
std::optional<ObjectSpec> open_object(const std::string& path, bool json = false);

}  // namespace bpfxx::cli
