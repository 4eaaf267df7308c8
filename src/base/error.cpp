#include <bpfxx/error.hpp>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx {

struct Error::Payload {
  Errc code;
  std::string message;
  int sys_errno = 0;
  std::string op, object, program, map, hint, log;
  std::optional<SourceLine> line;
  std::optional<uint64_t> file_offset;
};

std::string_view to_string(Errc code) noexcept {
  switch (code) {
    case Errc::InvalidInput: return "invalid input";
    case Errc::NotFound: return "not found";
    case Errc::NotSupported: return "not supported";
    case Errc::PermissionDenied: return "permission denied";
    case Errc::VerifierRejected: return "verifier rejected";
    case Errc::RelocationFailed: return "relocation failed";
    case Errc::Kernel: return "kernel error";
    case Errc::Io: return "I/O error";
    case Errc::Internal: return "internal error";
  }
  return "unknown error";
}

Error::Error(Errc code, std::string message) : p_(std::make_unique<Payload>()) {
  p_->code = code;
  p_->message = std::move(message);
}

Error::Error(const Error& other) : p_(std::make_unique<Payload>(*other.p_)) {}
Error& Error::operator=(const Error& other) {
  if (this != &other) p_ = std::make_unique<Payload>(*other.p_);
  return *this;
}
Error::~Error() = default;
Error::Error(Error&&) noexcept = default;
Error& Error::operator=(Error&&) noexcept = default;

namespace {

Errc code_for_errno(int e) {
  switch (e) {
    case EPERM:
    case EACCES: return Errc::PermissionDenied;
    case EOPNOTSUPP:
    case 524:  // ENOTSUPP: kernel-internal, yet returned by some bpf() paths
      return Errc::NotSupported;
    case ENOENT: return Errc::NotFound;
    case EINVAL: return Errc::Kernel;
    default: return Errc::Kernel;
  }
}

const char* errno_name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case E2BIG: return "E2BIG";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    case ENOSPC: return "ENOSPC";
    case ERANGE: return "ERANGE";
    case ENOSYS: return "ENOSYS";
    case ELOOP: return "ELOOP";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case 524: return "ENOTSUPP";
    default: return nullptr;
  }
}

std::string errno_text(int e) {
  if (e == 524) return "operation not supported by this kernel (ENOTSUPP)";
  std::string text = std::strerror(e);
  if (const char* name = errno_name(e)) text += std::string(" (") + name + ")";
  return text;
}

// The last lines of a verifier log that say something: the kernel ends logs
// with "processed N insns" statistics, which explain nothing on a rejection.
std::string last_useful_log_line(std::string_view log) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    if (end == std::string_view::npos) end = log.size();
    std::string_view line = log.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\0'))
      line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    std::string_view l = *it;
    if (l.rfind("processed ", 0) == 0) continue;
    if (l.rfind("verification time", 0) == 0) continue;
    if (l.rfind("stack depth", 0) == 0) continue;
    if (l.find("(no further details") != std::string_view::npos) continue;
    if (l.rfind("-- END PROG LOAD LOG --", 0) == 0) continue;
    return std::string(l);
  }
  return {};
}

}  // namespace

Error Error::from_errno(int sys_errno, std::string op, std::string message) {
  if (message.empty()) message = errno_text(sys_errno);
  Error e(code_for_errno(sys_errno), std::move(message));
  e.p_->sys_errno = sys_errno;
  e.p_->op = std::move(op);
  return e;
}

Errc Error::code() const noexcept { return p_->code; }
const std::string& Error::message() const noexcept { return p_->message; }
int Error::sys_errno() const noexcept { return p_->sys_errno; }
std::string_view Error::op() const noexcept { return p_->op; }
std::string_view Error::object() const noexcept { return p_->object; }
std::string_view Error::program() const noexcept { return p_->program; }
std::string_view Error::map() const noexcept { return p_->map; }
std::string_view Error::hint() const noexcept { return p_->hint; }
std::string_view Error::verifier_log() const noexcept { return p_->log; }
const std::optional<SourceLine>& Error::source_line() const noexcept { return p_->line; }
std::optional<uint64_t> Error::file_offset() const noexcept { return p_->file_offset; }

Error&& Error::with_errno(int sys_errno) && {
  p_->sys_errno = sys_errno;
  return std::move(*this);
}
Error&& Error::with_code(Errc code) && {
  p_->code = code;
  return std::move(*this);
}
Error&& Error::with_op(std::string op) && {
  p_->op = std::move(op);
  return std::move(*this);
}
Error&& Error::with_object(std::string name) && {
  p_->object = std::move(name);
  return std::move(*this);
}
Error&& Error::with_program(std::string name) && {
  p_->program = std::move(name);
  return std::move(*this);
}
Error&& Error::with_map(std::string name) && {
  p_->map = std::move(name);
  return std::move(*this);
}
Error&& Error::with_hint(std::string hint) && {
  p_->hint = std::move(hint);
  return std::move(*this);
}
Error&& Error::with_verifier_log(std::string log) && {
  p_->log = std::move(log);
  return std::move(*this);
}
Error&& Error::with_source_line(SourceLine line) && {
  p_->line = std::move(line);
  return std::move(*this);
}
Error&& Error::with_file_offset(uint64_t offset) && {
  p_->file_offset = offset;
  return std::move(*this);
}
Error&& Error::with_context(std::string frame) && {
  p_->message = std::move(frame) + ": " + p_->message;
  return std::move(*this);
}
Error&& Error::with_program_if_unset(std::string_view name) && {
  if (p_->program.empty()) p_->program = name;
  return std::move(*this);
}
Error&& Error::with_map_if_unset(std::string_view name) && {
  if (p_->map.empty()) p_->map = name;
  return std::move(*this);
}
Error&& Error::with_object_if_unset(std::string_view name) && {
  if (p_->object.empty()) p_->object = name;
  return std::move(*this);
}

std::string Error::summary() const {
  std::string s;
  if (!p_->op.empty()) s += p_->op + ": ";
  std::string where;
  auto add_where = [&](const char* what, const std::string& name) {
    if (name.empty()) return;
    if (!where.empty()) where += ", ";
    where += std::string(what) + " '" + name + "'";
  };
  add_where("program", p_->program);
  add_where("map", p_->map);
  add_where("object", p_->object);
  if (!where.empty()) s += where + ": ";
  s += p_->message;
  if (p_->sys_errno != 0 && p_->message.find(errno_text(p_->sys_errno)) == std::string::npos)
    s += ": " + errno_text(p_->sys_errno);
  if (p_->file_offset) s += " (at file offset " + std::to_string(*p_->file_offset) + ")";
  if (p_->line) {
    s += " at " + p_->line->file + ":" + std::to_string(p_->line->line);
  }
  if (!p_->log.empty()) {
    std::string last = last_useful_log_line(p_->log);
    if (!last.empty()) s += ": verifier: " + last;
  }
  if (!p_->hint.empty()) s += " (hint: " + p_->hint + ")";
  return s;
}

std::string Error::describe() const {
  std::string s = "error: " + std::string(to_string(p_->code)) + "\n";
  s += "  " + summary() + "\n";
  if (p_->line) {
    s += "  source: " + p_->line->file + ":" + std::to_string(p_->line->line);
    if (p_->line->column) s += ":" + std::to_string(p_->line->column);
    s += " (instruction " + std::to_string(p_->line->insn_index) + ")\n";
    if (!p_->line->text.empty()) s += "    " + p_->line->text + "\n";
  }
  if (!p_->log.empty()) {
    s += "  verifier log:\n";
    size_t start = 0;
    while (start < p_->log.size()) {
      size_t end = p_->log.find('\n', start);
      if (end == std::string::npos) end = p_->log.size();
      std::string_view line(p_->log.data() + start, end - start);
      if (!line.empty() && line != std::string_view("\0", 1))
        s += "    " + std::string(line) + "\n";
      start = end + 1;
    }
  }
  return s;
}

BadResultAccess::BadResultAccess(Error error) : error_(std::move(error)), what_(error_.summary()) {}

}  // namespace bpfxx
