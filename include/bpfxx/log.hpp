// Where bpfxx's notes go. bpfxx prints nothing by default: a deliberate
// fallback (a legacy attach path, a retried load) is recorded as a note and
// sent to the sink the application installs.
//
// Thread safety: set_log_sink and log calls are safe from any thread.
#pragma once

#include <functional>
#include <string_view>

namespace bpfxx {

enum class LogLevel { Debug, Info, Warning };

using LogSink = std::function<void(LogLevel, std::string_view)>;

// Installs a sink (an empty function removes it). Returns the previous one.
LogSink set_log_sink(LogSink sink);
void log(LogLevel level, std::string_view message);

}  // namespace bpfxx
