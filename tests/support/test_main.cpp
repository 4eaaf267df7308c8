// main() for every test binary: GoogleTest plus a listener that fails any test
// ending with more open file descriptors than it started with, so a leaked
// map, program, link or perf event fd cannot go unnoticed.
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace {

class FdLeakListener : public testing::EmptyTestEventListener {
  void OnTestStart(const testing::TestInfo&) override { before_ = bpfxx::test::open_fd_count(); }
  void OnTestEnd(const testing::TestInfo& info) override {
    size_t after = bpfxx::test::open_fd_count();
    if (after > before_ && !info.result()->Skipped()) {
      // OnTestEnd runs after the result is final; report through a failure
      // in a follow-up so ctest sees a non-zero exit.
      leaked_ = true;
      std::fprintf(stderr, "[  LEAK    ] %s.%s: %zu fds open before, %zu after\n", info.test_suite_name(),
                   info.name(), before_, after);
    }
  }
  void OnTestProgramEnd(const testing::UnitTest&) override {}

 public:
  bool leaked_ = false;

 private:
  size_t before_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  auto* listener = new FdLeakListener;
  testing::UnitTest::GetInstance()->listeners().Append(listener);
  int rc = RUN_ALL_TESTS();
  if (listener->leaked_) {
    std::fprintf(stderr, "file descriptors leaked: failing the run\n");
    return 1;
  }
  return rc;
}
