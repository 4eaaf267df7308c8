#include "base/mapped_file.hpp"

#include <bpfxx/fd.hpp>

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

// Reads until EOF: sysfs and procfs files report a size of 0 or 4096.
Result<std::vector<std::byte>> read_all(int fd, const std::string& path, size_t size_hint) {
  std::vector<std::byte> out;
  out.resize(size_hint > 0 ? size_hint + 1 : 64 * 1024);
  size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(errno, "read", path);
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  out.resize(used);
  return out;
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
    size_t used = 0;
    while (used < cap) {
      ssize_t n = ::read(fd.get(), file->small_.get() + used, cap - used);
      if (n < 0) {
        if (errno == EINTR) continue;
        return io_error(errno, "read", path);
      }
      if (n == 0) break;
      used += static_cast<size_t>(n);
    }
    if (used < cap) {
      file->data_ = file->small_.get();
      file->size_ = used;
      return std::shared_ptr<const MappedFile>(std::move(file));
    }
    file->small_.reset();
    if (::lseek(fd.get(), 0, SEEK_SET) != 0) return io_error(errno, "lseek", path);
  }
  BPFXX_TRY_ASSIGN(file->owned_, read_all(fd.get(), path, S_ISREG(st.st_mode) ? st.st_size : 0));
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
