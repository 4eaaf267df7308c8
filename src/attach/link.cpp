#include <bpfxx/link.hpp>

#include "sys/bpf.hpp"

namespace bpfxx {

Link::Link(Fd link_fd, Fd perf_fd, LinkMechanism mechanism, std::string description, std::string note)
    : link_fd_(std::move(link_fd)),
      perf_fd_(std::move(perf_fd)),
      mechanism_(mechanism),
      description_(std::move(description)),
      note_(std::move(note)) {}

Result<void> Link::pin(const std::string& path) const {
  if (!link_fd_) {
    return Error(Errc::NotSupported, "this attachment has no BPF link to pin (it used the perf ioctl path)")
        .with_op("pin link")
        .with_object(description_);
  }
  auto r = sys::obj_pin(link_fd_.get(), path);
  if (!r) return std::move(r).error().with_hint("pin paths must be on a bpffs mount");
  return {};
}

void Link::detach() noexcept {
  // The link goes first: the perf event must outlive the program's hook.
  link_fd_.reset();
  perf_fd_.reset();
}

}  // namespace bpfxx
