// Two real kernels' BTF side by side, without booting either: Debian's 6.1
// (taken from its package's vmlinuz) and the host's, both written to
// <build>/vm/btf/ by make test-vm (tests/vm/run.sh). What CO-RE relocates,
// member offsets of one struct, must differ between them.
//
// make test runs before make test-vm, so a missing fixture skips; make
// test-vm sets BPFXX_REQUIRE_VM_BTF=1 and then it must be there.
#include <bpfxx/btf/spec.hpp>

#include "base/mapped_file.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace bpfxx::btf {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtureDir = fs::path(BPFXX_BINARY_DIR) / "vm" / "btf";

struct KernelBtf {
  std::string name;
  std::shared_ptr<const detail::MappedFile> file;
  Spec spec;
};

bool fixture_required() {
  const char* v = std::getenv("BPFXX_REQUIRE_VM_BTF");
  return v != nullptr && std::string(v) == "1";
}

// The bit offset of `member` in struct `name`, or a failure.
uint32_t member_bit_offset(const Spec& spec, std::string_view name, std::string_view member) {
  auto id = spec.find(name, Kind::Struct);
  if (!id) {
    ADD_FAILURE() << "no struct " << name;
    return 0;
  }
  Type t = spec.type(*id).value();
  for (uint16_t i = 0; i < t.vlen(); ++i)
    if (t.member(i).name == member) return t.member(i).bit_offset;
  ADD_FAILURE() << "struct " << name << " has no member " << member;
  return 0;
}

class KernelBtfFixture : public testing::Test {
 protected:
  void SetUp() override {
    // Debian's 6.1 and every other kernel's copy that make test-vm wrote.
    fs::path old_kernel = kFixtureDir / "vmlinux-6.1.btf";
    if (!fs::exists(old_kernel)) {
      if (fixture_required()) FAIL() << old_kernel << " is missing: make test-vm should have written it";
      GTEST_SKIP() << old_kernel << " not produced yet: run make test-vm";
    }
    load(old_kernel);
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(kFixtureDir, ec))
      if (entry.path().extension() == ".btf" && entry.path() != old_kernel) load(entry.path());
    ASSERT_GE(kernels_.size(), 2u) << "make test-vm also writes the host kernel's BTF to " << kFixtureDir;
  }
  void load(const fs::path& path) {
    auto f = detail::MappedFile::open(path.string());
    ASSERT_TRUE(f.has_value()) << f.error().summary();
    auto s = Spec::parse((*f)->bytes(), *f);
    ASSERT_TRUE(s.has_value()) << path << ": " << s.error().summary();
    kernels_.push_back({path.filename().string(), *f, std::move(*s)});
  }
  std::vector<KernelBtf> kernels_;
};

TEST_F(KernelBtfFixture, BothKernelsParseWithTheirTaskStruct) {
  for (const KernelBtf& k : kernels_) {
    SCOPED_TRACE(k.name);
    EXPECT_GT(k.spec.type_count(), 50000u);
    auto task = k.spec.find("task_struct", Kind::Struct);
    ASSERT_TRUE(task.has_value());
    EXPECT_GT(k.spec.size_of(*task).value(), 1000u);
    // A kernel function by name, as fentry and kprobe targets are resolved.
    EXPECT_TRUE(k.spec.find("do_sys_openat2", Kind::Func).has_value());
  }
}

TEST_F(KernelBtfFixture, LayoutsDifferWhereCoReMustRelocate) {
  const Spec& old_spec = kernels_[0].spec;
  for (size_t i = 1; i < kernels_.size(); ++i) {
    const Spec& other = kernels_[i].spec;
    SCOPED_TRACE(kernels_[i].name);
    auto old_task = old_spec.find("task_struct", Kind::Struct);
    auto new_task = other.find("task_struct", Kind::Struct);
    ASSERT_TRUE(old_task && new_task);
    EXPECT_NE(old_spec.size_of(*old_task).value(), other.size_of(*new_task).value());
    EXPECT_NE(member_bit_offset(old_spec, "task_struct", "pid"), member_bit_offset(other, "task_struct", "pid"));
    // pid and tgid stay adjacent in both: same field, moved as a block.
    EXPECT_EQ(member_bit_offset(old_spec, "task_struct", "tgid") - member_bit_offset(old_spec, "task_struct", "pid"),
              32u);
    EXPECT_EQ(member_bit_offset(other, "task_struct", "tgid") - member_bit_offset(other, "task_struct", "pid"), 32u);
  }
  // BPF tokens came in 6.9: 6.1 has no such type.
  EXPECT_FALSE(old_spec.find("bpf_token", Kind::Struct).has_value());
}

}  // namespace
}  // namespace bpfxx::btf
