#include "base/mapped_file.hpp"

#include <bpfxx/fd.hpp>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bpfxx::detail {

namespace {

Error io_error(int e, const std::string& op, const std::string& path) {
  return Error::from_errno(e, op).with_code(Errc::Io).with_object(path);
}

// Reads into [buf, buf + cap) until it is full or the file ends; returns
// the bytes read (fewer than `cap` only at the end of the file).
Result<size_t> read_fill(int fd, std::byte* buf, size_t cap, const std::string& path) {
  size_t used = 0;
  while (used < cap) {
    ssize_t n = ::read(fd, buf + used, cap - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(errno, "read", path);
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  return used;
}

// Reads the rest of the file into `out`, after the `used` bytes it already
// holds, growing it as needed: sysfs and procfs files report a size of 0 or
// 4096, whatever they hold.
Result<void> read_rest(int fd, std::vector<std::byte>& out, size_t used, const std::string& path) {
  for (;;) {
    if (used == out.size()) out.resize(std::max<size_t>(out.size() * 2, 64 * 1024));
    BPFXX_TRY_ASSIGN(size_t n, read_fill(fd, out.data() + used, out.size() - used, path));
    used += n;
    if (used < out.size()) break;
  }
  out.resize(used);
  return {};
}

// Below this size a file is read: one copy into a buffer is cheaper than
// setting up and tearing down a mapping, and leaves the bytes in cache.
constexpr off_t kMapThreshold = 256 * 1024;

}  // namespace

Result<std::shared_ptr<const MappedFile>> MappedFile::open(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    Error e = io_error(errno, "open", path);
    if (e.sys_errno() == ENOENT) std::move(e).with_code(Errc::NotFound);
    return e;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error(errno, "fstat", path);
  auto file = std::make_shared<MappedFile>(Key());
  file->path_ = path;
  if (S_ISREG(st.st_mode) && st.st_size >= kMapThreshold) {
    // MAP_POPULATE: every caller reads the whole file, and faulting it in
    // at once is cheaper than a fault per page.
    void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd.get(), 0);
    if (p != MAP_FAILED) {
      file->data_ = static_cast<const std::byte*>(p);
      file->size_ = static_cast<size_t>(st.st_size);
      file->mapped_ = true;
      return std::shared_ptr<const MappedFile>(std::move(file));
    }
    // Fall through to read(): some filesystems refuse mmap.
  }
  if (S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size < kMapThreshold) {
    // A small regular file: one uninitialised buffer with a spare byte, so
    // a file that grew since fstat shows up as a full buffer.
    const size_t cap = static_cast<size_t>(st.st_size) + 1;
    file->small_ = std::make_unique_for_overwrite<std::byte[]>(cap);
    BPFXX_TRY_ASSIGN(size_t used, read_fill(fd.get(), file->small_.get(), cap, path));
    if (used < cap) {
      file->data_ = file->small_.get();
      file->size_ = used;
      return std::shared_ptr<const MappedFile>(std::move(file));
    }
    // It grew: keep what was read and read on.
    file->owned_.assign(file->small_.get(), file->small_.get() + used);
    file->small_.reset();
    BPFXX_TRY(read_rest(fd.get(), file->owned_, used, path));
  } else {
    file->owned_.resize(S_ISREG(st.st_mode) && st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : 64 * 1024);
    BPFXX_TRY(read_rest(fd.get(), file->owned_, 0, path));
  }
  file->data_ = file->owned_.data();
  file->size_ = file->owned_.size();
  return std::shared_ptr<const MappedFile>(std::move(file));
}

std::shared_ptr<const MappedFile> MappedFile::from_bytes(std::vector<std::byte> bytes) {
  auto file = std::make_shared<MappedFile>(Key());
  file->owned_ = std::move(bytes);
  file->data_ = file->owned_.data();
  file->size_ = file->owned_.size();
  return file;
}

std::shared_ptr<const MappedFile> MappedFile::copy_of(std::span<const std::byte> bytes) {
  return from_bytes(std::vector<std::byte>(bytes.begin(), bytes.end()));
}

MappedFile::~MappedFile() {
  if (mapped_) ::munmap(const_cast<std::byte*>(data_), size_);
}

}  // namespace bpfxx::detail
