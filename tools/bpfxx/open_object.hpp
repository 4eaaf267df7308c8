// Opening the object file both commands start with.
#pragma once

#include <bpfxx/object_spec.hpp>

#include <optional>
#include <string>

namespace bpfxx::cli {

// Parses `path`; on failure prints the library's full description of the
// error to stderr (a "not supported yet: ..." message as the library wrote
// it) and returns nullopt, for the caller to exit with kExitUsage.
std::optional<ObjectSpec> open_object(const std::string& path);

}  // namespace bpfxx::cli
