#include <bpfxx/fd.hpp>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace bpfxx {

void Fd::reset(int raw) noexcept {
  if (raw_ >= 0) ::close(raw_);
  raw_ = raw;
}

Result<Fd> Fd::dup() const { return duplicate(raw_); }

Result<Fd> Fd::duplicate(int raw) {
  // Minimum 1: several bpf_attr fields read fd 0 as "no fd".
  int d = ::fcntl(raw, F_DUPFD_CLOEXEC, 1);
  if (d < 0) return Error::from_errno(errno, "dup");
  return Fd(d);
}

}  // namespace bpfxx
