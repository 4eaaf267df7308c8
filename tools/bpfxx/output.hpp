// Renderers: each returns the whole document as one string, so a command
// prints it with a single write and an error part-way leaves no half output.
#pragma once

#include "load_report.hpp"

#include <bpfxx/object_spec.hpp>

#include <string>

namespace bpfxx::cli {

std::string show_text(const ObjectSpec& spec);
std::string show_json(const ObjectSpec& spec);

std::string load_text(const LoadReport& report);
std::string load_json(const LoadReport& report);

// An object that could not be opened: {"file", "ok": false, "error": {...}}.
std::string open_error_json(const std::string& path, const Error& error);

}  // namespace bpfxx::cli
