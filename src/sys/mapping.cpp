#include "sys/mapping.hpp"

#include <cerrno>
#include <sys/mman.h>
#include <unistd.h>

namespace bpfxx::sys {

Result<Mapping> Mapping::map(int fd, size_t length, int prot, int flags, long offset) {
  void* p = ::mmap(nullptr, length, prot, flags, fd, offset);
  if (p == MAP_FAILED) return Error::from_errno(errno, "mmap");
  Mapping m;
  m.addr_ = p;
  m.length_ = length;
  return m;
}

void Mapping::reset() noexcept {
  if (addr_ != nullptr) ::munmap(addr_, length_);
  addr_ = nullptr;
  length_ = 0;
}

size_t page_size() noexcept {
  static const size_t size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

}  // namespace bpfxx::sys
