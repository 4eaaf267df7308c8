// Shared test helpers: paths of the test BPF objects, root checks, mounts,
// and fd counting for leak checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bpfxx::test {

// Path of a BPF object compiled from tests/bpf/<name>.bpf.c.
std::string bpf_object(const std::string& name, bool big_endian = false);
// Reads a whole file; aborts the test on failure.
std::vector<std::byte> read_file(const std::string& path);

// Kernel tests run only as root. Outside CI they skip when not root; with
// BPFXX_REQUIRE_KERNEL_TESTS=1 (set by `make test` as root) they fail instead,
// so CI can never skip them silently.
bool have_root();
#define BPFXX_REQUIRE_ROOT()                                                         \
  do {                                                                               \
    if (!::bpfxx::test::have_root()) {                                               \
      if (::bpfxx::test::kernel_tests_required())                                    \
        FAIL() << "kernel tests are required (BPFXX_REQUIRE_KERNEL_TESTS=1) but "    \
                  "the test does not run as root";                                   \
      GTEST_SKIP() << "needs root (CAP_BPF, CAP_SYS_ADMIN)";                          \
    }                                                                                \
  } while (0)
bool kernel_tests_required();

// Mounts tracefs / bpffs at their usual places when missing.
void ensure_tracefs();
void ensure_bpffs();

// Open file descriptors of this process.
size_t open_fd_count();

}  // namespace bpfxx::test
