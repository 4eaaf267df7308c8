#include "load/kernel_btf.hpp"

#include "base/mapped_file.hpp"

#include <mutex>

namespace bpfxx::detail {

Result<std::shared_ptr<const btf::Spec>> running_kernel_btf() {
  static std::mutex mu;
  static std::shared_ptr<const btf::Spec> cached;
  std::lock_guard lock(mu);
  if (cached) return cached;
  const std::string path = "/sys/kernel/btf/vmlinux";
  auto file = MappedFile::open(path);
  if (!file) {
    Error e = std::move(file).error().with_context("reading kernel BTF");
    if (e.code() == Errc::NotFound) {
      std::move(e).with_code(Errc::NotSupported).with_hint("the kernel was built without CONFIG_DEBUG_INFO_BTF; "
                                                            "pass LoadOptions::kernel_btf from a BTF file");
    }
    return e;
  }
  auto spec = btf::Spec::parse((*file)->bytes(), *file);
  if (!spec) return std::move(spec).error().with_context("parsing " + path);
  cached = std::make_shared<const btf::Spec>(std::move(*spec));
  return cached;
}

}  // namespace bpfxx::detail
