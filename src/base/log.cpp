#include <bpfxx/log.hpp>

#include <mutex>
#include <utility>

namespace bpfxx {

namespace {
std::mutex& sink_mutex() {
  static std::mutex m;
  return m;
}
LogSink& sink() {
  static LogSink s;
  return s;
}
}  // namespace

LogSink set_log_sink(LogSink s) {
  std::lock_guard lock(sink_mutex());
  return std::exchange(sink(), std::move(s));
}

void log(LogLevel level, std::string_view message) {
  std::lock_guard lock(sink_mutex());
  if (sink()) sink()(level, message);
}

}  // namespace bpfxx
