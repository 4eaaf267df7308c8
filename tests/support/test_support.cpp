#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace bpfxx::test {

std::string bpf_object(const std::string& name, bool big_endian) {
  return std::string(BPFXX_TEST_BPF_DIR) + "/" + name + (big_endian ? ".bpfeb.o" : ".bpf.o");
}

std::vector<std::byte> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(s.size());
  for (size_t i = 0; i < s.size(); ++i) out[i] = static_cast<std::byte>(s[i]);
  return out;
}

bool have_root() { return ::geteuid() == 0; }

bool kernel_tests_required() {
  const char* v = std::getenv("BPFXX_REQUIRE_KERNEL_TESTS");
  return v != nullptr && std::string(v) == "1";
}

namespace {
bool is_dir(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
}  // namespace

void ensure_tracefs() {
  if (is_dir("/sys/kernel/tracing/events")) return;
  ::mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr);
}

void ensure_bpffs() {
  constexpr unsigned long kBpfFsMagic = 0xcafe4a11;
  struct statfs st {};
  if (::statfs("/sys/fs/bpf", &st) == 0 && static_cast<unsigned long>(st.f_type) == kBpfFsMagic) return;
  ::mount("bpf", "/sys/fs/bpf", "bpf", 0, nullptr);
}

size_t open_fd_count() {
  size_t n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) return 0;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(d);
  return n - 1;  // the directory stream's own fd
}

}  // namespace bpfxx::test
