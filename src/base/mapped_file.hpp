// MappedFile: the bytes of a file, read-only, mapped when large.
//
// Parsers take a std::span over these bytes and never copy them; specs keep a
// shared_ptr so the spans they hold stay valid. Regular files from 256 KiB up
// (the kernel's BTF) are mapped; smaller ones (BPF objects) are read into one
// buffer, which costs less than making and unmapping a mapping. Files that
// cannot be mapped (pipes, procfs, sysfs files that refuse mmap) are read too.
//
// Thread safety: immutable after creation.
#pragma once

#include <bpfxx/result.hpp>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace bpfxx::detail {

class MappedFile {
 public:
  static Result<std::shared_ptr<const MappedFile>> open(const std::string& path);
  // Takes ownership of bytes the caller already has.
  static std::shared_ptr<const MappedFile> from_bytes(std::vector<std::byte> bytes);
  // Copies a caller's buffer.
  static std::shared_ptr<const MappedFile> copy_of(std::span<const std::byte> bytes);

  // Construction goes through the factories; the key only lets them use
  // make_shared (one allocation for the object and its count).
  class Key {
    friend class MappedFile;
    Key() = default;
  };
  explicit MappedFile(Key) {}
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const noexcept { return {data_, size_}; }
  const std::string& path() const noexcept { return path_; }
  bool is_mapped() const noexcept { return mapped_; }

 private:
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
  std::unique_ptr<std::byte[]> small_;  // a small file, read
  std::vector<std::byte> owned_;        // bytes handed over, or a file read to its end
  std::string path_;
};

}  // namespace bpfxx::detail
