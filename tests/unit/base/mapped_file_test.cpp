// Tests of MappedFile: regular files are mapped, files that cannot be mapped
// (procfs, FIFOs, empty files) are read into memory instead, and failures
// name the file and map ENOENT to NotFound.
#include "base/mapped_file.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace bpfxx::detail {
namespace {

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/bpfxx-mapped-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name, const std::string& contents) const {
    std::string p = path_ + "/" + name;
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
    ::close(fd);
    return p;
  }

 private:
  std::string path_;
};

std::string text_of(std::span<const std::byte> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// ---- Large regular files are mapped, small ones read -----------------------------------

TEST(MappedFileTest, LargeRegularFileIsMapped) {
  TempDir dir;
  std::string contents(512 * 1024, 'x');
  contents.replace(0, 5, "start");
  contents.replace(contents.size() - 3, 3, "end");
  std::string path = dir.file("big.bin", contents);
  auto f = MappedFile::open(path);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  EXPECT_TRUE((*f)->is_mapped());
  EXPECT_EQ((*f)->path(), path);
  EXPECT_TRUE(text_of((*f)->bytes()) == contents);
}

TEST(MappedFileTest, MappingOutlivesTheFileName) {
  TempDir dir;
  std::string contents(300 * 1024, 'y');
  std::string path = dir.file("gone.bin", contents);
  auto f = MappedFile::open(path);
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE((*f)->is_mapped());
  ::unlink(path.c_str());
  // The mapping, not the name, keeps the bytes; no fd stays open either
  // (the fd leak check of test_main would catch one).
  EXPECT_TRUE(text_of((*f)->bytes()) == contents);
}

TEST(MappedFileTest, SmallRegularFileIsReadWhole) {
  // A BPF object is a few KiB: one read into one buffer beats a mapping.
  TempDir dir;
  std::string contents = "hello, small world";
  std::string path = dir.file("a.bin", contents);
  auto f = MappedFile::open(path);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  EXPECT_FALSE((*f)->is_mapped());
  EXPECT_EQ((*f)->path(), path);
  EXPECT_EQ(text_of((*f)->bytes()), contents);
  ::unlink(path.c_str());
  EXPECT_EQ(text_of((*f)->bytes()), contents);
}

TEST(MappedFileTest, EmptyFileIsReadNotMapped) {
  TempDir dir;
  std::string path = dir.file("empty", "");
  auto f = MappedFile::open(path);
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  EXPECT_FALSE((*f)->is_mapped());
  EXPECT_TRUE((*f)->bytes().empty());
}

// ---- Files that refuse mmap are read ------------------------------------------------------

TEST(MappedFileTest, ProcFileIsReadWithFallback) {
  // procfs reports st_size 0: only reading to EOF gets the contents.
  auto f = MappedFile::open("/proc/self/status");
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  EXPECT_FALSE((*f)->is_mapped());
  std::string text = text_of((*f)->bytes());
  EXPECT_EQ(text.rfind("Name:", 0), 0u) << text.substr(0, 40);
  EXPECT_NE(text.find("\nPid:\t" + std::to_string(::getpid()) + "\n"), std::string::npos);
}

TEST(MappedFileTest, FifoLargerThanTheFirstBufferIsReadCompletely) {
  // A FIFO has no size at all; 200000 bytes force the read buffer to grow.
  TempDir dir;
  std::string path = dir.path() + "/fifo";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::string payload(200000, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>('a' + i % 26);
  std::thread writer([&] {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    size_t done = 0;
    while (fd >= 0 && done < payload.size()) {
      ssize_t n = ::write(fd, payload.data() + done, payload.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    if (fd >= 0) ::close(fd);
  });
  auto f = MappedFile::open(path);
  writer.join();
  ASSERT_TRUE(f.has_value()) << f.error().summary();
  EXPECT_FALSE((*f)->is_mapped());
  EXPECT_EQ((*f)->bytes().size(), payload.size());
  EXPECT_TRUE(text_of((*f)->bytes()) == payload);
}

// ---- Failures ------------------------------------------------------------------------------

TEST(MappedFileTest, MissingFileIsNotFound) {
  auto f = MappedFile::open("/nonexistent/bpfxx/file.o");
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code(), Errc::NotFound);
  EXPECT_EQ(f.error().sys_errno(), ENOENT);
  EXPECT_EQ(f.error().op(), "open");
  EXPECT_EQ(f.error().object(), "/nonexistent/bpfxx/file.o");
}

TEST(MappedFileTest, DirectoryIsAnIoError) {
  TempDir dir;
  auto f = MappedFile::open(dir.path());
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code(), Errc::Io);
  EXPECT_EQ(f.error().sys_errno(), EISDIR);
  EXPECT_EQ(f.error().op(), "read");
  EXPECT_EQ(f.error().object(), dir.path());
}

// ---- In-memory bytes ---------------------------------------------------------------------------

TEST(MappedFileTest, FromBytesAndCopyOf) {
  std::vector<std::byte> v{std::byte{1}, std::byte{2}, std::byte{3}};
  auto copy = MappedFile::copy_of(v);
  const std::byte* original_data = v.data();
  auto owned = MappedFile::from_bytes(std::move(v));
  EXPECT_FALSE(owned->is_mapped());
  EXPECT_TRUE(owned->path().empty());
  EXPECT_EQ(owned->bytes().data(), original_data);  // taken over, not copied
  ASSERT_EQ(copy->bytes().size(), 3u);
  EXPECT_NE(copy->bytes().data(), original_data);
  EXPECT_EQ(copy->bytes()[2], std::byte{3});
}

}  // namespace
}  // namespace bpfxx::detail
