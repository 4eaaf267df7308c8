// bpfxx::Error: the one error type of the library.
//
// An Error is one pointer wide; everything it knows lives in a payload that is
// allocated only when something fails, so a successful Result costs nothing.
// It carries what went wrong (a code and a sentence), where (the operation and
// the object, program or map name), why the kernel said no (errno, the
// verifier log, the failing source line) and what to try next (a hint).
//
// Thread safety: a value type; concurrent const use is safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace bpfxx {

enum class Errc {
  InvalidInput,      // malformed ELF/BTF/section name, wrong key size, bad option
  NotFound,          // no such program/map/symbol/tracepoint; lookup of a missing key
  NotSupported,      // the kernel or bpfxx lacks the feature ("not supported yet: ...")
  PermissionDenied,  // EPERM/EACCES
  VerifierRejected,  // BPF_PROG_LOAD refused by the verifier (when bpfxx can name the cause, such as a
                     // reachable CO-RE poison or a call of a missing __weak kfunc, the error carries that
                     // cause's code instead, RelocationFailed or NotFound, with the verifier log kept)
  RelocationFailed,  // a relocation could not be resolved
  Kernel,            // any other failed syscall
  Io,                // reading a file failed
  Internal,          // a bug in bpfxx
};

std::string_view to_string(Errc code) noexcept;

// Where a failing instruction came from, mapped through .BTF.ext line_info.
struct SourceLine {
  std::string file;
  std::string text;        // the source line itself as recorded in BTF
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t insn_index = 0;  // the instruction the verifier stopped at
  bool operator==(const SourceLine&) const = default;
};

class Error {
 public:
  Error(Errc code, std::string message);
  Error(const Error& other);
  Error(Error&&) noexcept;
  Error& operator=(const Error& other);
  Error& operator=(Error&&) noexcept;
  ~Error();

  // A failed syscall: errno maps to the code (EPERM -> PermissionDenied,
  // EOPNOTSUPP/ENOTSUPP -> NotSupported, ENOENT -> NotFound, else Kernel).
  static Error from_errno(int sys_errno, std::string op, std::string message = {});

  Errc code() const noexcept;
  const std::string& message() const noexcept;
  int sys_errno() const noexcept;  // 0 when no syscall failed
  std::string_view op() const noexcept;
  std::string_view object() const noexcept;
  std::string_view program() const noexcept;
  std::string_view map() const noexcept;
  std::string_view hint() const noexcept;
  std::string_view verifier_log() const noexcept;
  const std::optional<SourceLine>& source_line() const noexcept;
  std::optional<uint64_t> file_offset() const noexcept;

  // Builders: each returns the error itself so they chain on a temporary.
  Error&& with_errno(int sys_errno) &&;
  Error&& with_code(Errc code) &&;
  Error&& with_op(std::string op) &&;
  Error&& with_object(std::string name) &&;
  Error&& with_program(std::string name) &&;
  Error&& with_map(std::string name) &&;
  Error&& with_hint(std::string hint) &&;
  Error&& with_verifier_log(std::string log) &&;
  Error&& with_source_line(SourceLine line) &&;
  Error&& with_file_offset(uint64_t offset) &&;
  // Prepends a frame to the message: "loading map 'events': <message>".
  Error&& with_context(std::string frame) &&;
  // Sets program/map/object only when not already set (inner names win).
  Error&& with_program_if_unset(std::string_view name) &&;
  Error&& with_map_if_unset(std::string_view name) &&;
  Error&& with_object_if_unset(std::string_view name) &&;

  // One line: op, names, message, errno text, the last useful verifier line.
  std::string summary() const;
  // Everything, over several lines, the verifier log included.
  std::string describe() const;

 private:
  struct Payload;
  std::unique_ptr<Payload> p_;
};

// Thrown by Result<T>::value() on an error, for callers who prefer exceptions.
class BadResultAccess : public std::exception {
 public:
  explicit BadResultAccess(Error error);
  const Error& error() const noexcept { return error_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  Error error_;
  std::string what_;
};

}  // namespace bpfxx
