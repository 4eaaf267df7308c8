// Tests of bpfxx::Fd: it closes what it owns exactly once, moves ownership
// without closing, and dup() never hands out fd 0 (several bpf_attr fields
// read 0 as "no fd").
#include <bpfxx/fd.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace bpfxx {
namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

int open_null() {
  int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0);
  return fd;
}

// ---- Ownership ------------------------------------------------------------------

TEST(FdTest, DefaultIsEmpty) {
  Fd fd;
  EXPECT_EQ(fd.get(), -1);
  EXPECT_FALSE(fd.valid());
  EXPECT_FALSE(static_cast<bool>(fd));
  fd.reset();  // resetting an empty Fd is a no-op
  EXPECT_EQ(fd.get(), -1);
}

TEST(FdTest, DestructorCloses) {
  int raw = open_null();
  {
    Fd fd(raw);
    EXPECT_TRUE(fd.valid());
    EXPECT_EQ(fd.get(), raw);
  }
  EXPECT_FALSE(is_open(raw));
}

TEST(FdTest, MoveConstructTransfersOwnership) {
  int raw = open_null();
  Fd a(raw);
  Fd b(std::move(a));
  EXPECT_EQ(a.get(), -1);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_EQ(b.get(), raw);
  EXPECT_TRUE(is_open(raw));
}

TEST(FdTest, MoveAssignClosesThePreviousFd) {
  int first = open_null();
  int second = open_null();
  Fd a(first);
  Fd b(second);
  a = std::move(b);
  EXPECT_FALSE(is_open(first));
  EXPECT_TRUE(is_open(second));
  EXPECT_EQ(a.get(), second);
  EXPECT_EQ(b.get(), -1);  // NOLINT(bugprone-use-after-move)
}

TEST(FdTest, ResetClosesAndAdopts) {
  int first = open_null();
  int second = open_null();
  Fd fd(first);
  fd.reset(second);
  EXPECT_FALSE(is_open(first));
  EXPECT_EQ(fd.get(), second);
  fd.reset();
  EXPECT_FALSE(is_open(second));
  EXPECT_EQ(fd.get(), -1);
}

TEST(FdTest, ReleaseGivesUpOwnership) {
  int raw = open_null();
  int released = -1;
  {
    Fd fd(raw);
    released = fd.release();
    EXPECT_EQ(fd.get(), -1);
  }
  EXPECT_EQ(released, raw);
  EXPECT_TRUE(is_open(raw));
  ::close(raw);
}

// ---- dup() -------------------------------------------------------------------------

TEST(FdTest, DupIsANewCloexecDescriptor) {
  Fd fd(open_null());
  Result<Fd> d = fd.dup();
  ASSERT_TRUE(d.has_value()) << d.error().summary();
  EXPECT_NE(d->get(), fd.get());
  EXPECT_GE(d->get(), 1);
  EXPECT_NE(::fcntl(d->get(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST(FdTest, DupNeverReturnsZero) {
  // Free fd 0 so the lowest-numbered choice would be 0 (it may already be
  // closed when the runner gives the test no stdin).
  int saved_stdin = ::fcntl(0, F_DUPFD_CLOEXEC, 3);
  if (saved_stdin >= 0) ::close(0);
  int raw = ::open("/dev/null", O_RDONLY);
  ASSERT_EQ(raw, 0);  // the kernel hands out the lowest free number
  {
    Fd zero(raw);
    Result<Fd> d = zero.dup();
    ASSERT_TRUE(d.has_value()) << d.error().summary();
    EXPECT_GE(d->get(), 1);
  }
  if (saved_stdin >= 0) {
    ASSERT_EQ(::dup2(saved_stdin, 0), 0);
    ::close(saved_stdin);
  }
}

TEST(FdTest, DuplicateLeavesTheOriginalToItsOwner) {
  int raw = open_null();
  Result<Fd> d = Fd::duplicate(raw);
  ASSERT_TRUE(d.has_value()) << d.error().summary();
  EXPECT_NE(d->get(), raw);
  EXPECT_GE(d->get(), 1);
  d->reset();
  EXPECT_TRUE(is_open(raw));  // closing the copy leaves the original open
  ::close(raw);
  Result<Fd> bad = Fd::duplicate(-1);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().sys_errno(), EBADF);
}

TEST(FdTest, DupOfAnEmptyFdFails) {
  Fd fd;
  Result<Fd> d = fd.dup();
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().sys_errno(), EBADF);
  EXPECT_EQ(d.error().op(), "dup");
  EXPECT_EQ(d.error().code(), Errc::Kernel);
}

}  // namespace
}  // namespace bpfxx
