#include "load/kernel_btf.hpp"

#include <bpfxx/kernel_btf.hpp>

#include "base/mapped_file.hpp"
#include "elf/elf_file.hpp"
#include "sys/bpf.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <dirent.h>
#include <linux/bpf.h>
#include <map>
#include <mutex>

namespace bpfxx {

namespace {

std::mutex& cache_mutex() {
  static std::mutex mu;
  return mu;
}

Result<std::shared_ptr<const btf::Spec>> parse_btf_bytes(std::shared_ptr<const detail::MappedFile> file,
                                                         std::shared_ptr<const btf::Spec> base,
                                                         const std::string& path) {
  std::span<const std::byte> bytes = file->bytes();
  // An ELF file carries its BTF in a .BTF section.
  if (bytes.size() >= 4 && bytes[0] == std::byte{0x7f} && bytes[1] == std::byte{'E'} &&
      bytes[2] == std::byte{'L'} && bytes[3] == std::byte{'F'}) {
    auto elf = elf::File::parse(bytes);
    if (!elf) return std::move(elf).error().with_object(path);
    const elf::Section* s = elf->section_by_name(".BTF");
    if (s == nullptr) {
      return Error(Errc::NotFound, fmt::format("{} has no .BTF section", path))
          .with_op("open BTF file")
          .with_hint("the kernel or object was built without BTF (CONFIG_DEBUG_INFO_BTF, or clang -g)");
    }
    bytes = s->data;
  }
  auto spec = base ? btf::Spec::parse_split(bytes, std::move(base), file) : btf::Spec::parse(bytes, file);
  if (!spec) return std::move(spec).error().with_object(path);
  return std::make_shared<const btf::Spec>(std::move(*spec));
}

}  // namespace

Result<std::shared_ptr<const btf::Spec>> open_btf_file(const std::string& path,
                                                       std::shared_ptr<const btf::Spec> base) {
  auto file = detail::MappedFile::open(path);
  if (!file) return std::move(file).error().with_context("opening BTF file");
  return parse_btf_bytes(std::move(*file), std::move(base), path);
}

Result<std::shared_ptr<const btf::Spec>> kernel_btf() {
  static std::shared_ptr<const btf::Spec> cached;
  std::lock_guard lock(cache_mutex());
  if (cached) return cached;
  const std::string path = "/sys/kernel/btf/vmlinux";
  auto spec = open_btf_file(path);
  if (!spec) {
    Error e = std::move(spec).error().with_context("reading kernel BTF");
    if (e.code() == Errc::NotFound) {
      std::move(e).with_code(Errc::NotSupported).with_hint(
          "the kernel was built without CONFIG_DEBUG_INFO_BTF; pass LoadOptions::kernel_btf from a BTF file "
          "(bpfxx::open_btf_file)");
    }
    return e;
  }
  cached = *spec;
  return cached;
}

Result<std::shared_ptr<const btf::Spec>> kernel_module_btf(std::string_view module) {
  BPFXX_TRY_ASSIGN(auto vmlinux, kernel_btf());
  static std::map<std::string, std::shared_ptr<const btf::Spec>, std::less<>> cache;
  {
    std::lock_guard lock(cache_mutex());
    if (auto it = cache.find(module); it != cache.end()) return it->second;
  }
  std::string path = "/sys/kernel/btf/" + std::string(module);
  auto spec = open_btf_file(path, vmlinux);
  if (!spec) {
    Error e = std::move(spec).error().with_context(fmt::format("reading BTF of kernel module '{}'", module));
    if (e.code() == Errc::NotFound) {
      std::move(e).with_hint("the module is not loaded, or the kernel lacks CONFIG_DEBUG_INFO_BTF_MODULES");
    }
    return e;
  }
  std::lock_guard lock(cache_mutex());
  return cache.emplace(std::string(module), *spec).first->second;
}

Result<std::vector<std::pair<std::string, std::shared_ptr<const btf::Spec>>>> kernel_module_btfs() {
  static std::once_flag once;
  static std::vector<std::string> names;
  std::call_once(once, [] {
    DIR* d = ::opendir("/sys/kernel/btf");
    if (d == nullptr) return;
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != ".." && n != "vmlinux") names.push_back(std::move(n));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
  });
  std::vector<std::pair<std::string, std::shared_ptr<const btf::Spec>>> out;
  for (const std::string& n : names) {
    BPFXX_TRY_ASSIGN(auto spec, kernel_module_btf(n));
    out.emplace_back(n, std::move(spec));
  }
  return out;
}

namespace detail {

Result<std::shared_ptr<const btf::Spec>> running_kernel_btf() { return kernel_btf(); }

Result<Fd> kernel_module_btf_fd(std::string_view module) {
  std::optional<uint32_t> id = 0;
  for (;;) {
    BPFXX_TRY_ASSIGN(id, sys::btf_get_next_id(*id));
    if (!id) break;
    auto fd = sys::btf_get_fd_by_id(*id);
    if (!fd) {
      if (fd.error().sys_errno() == ENOENT) continue;  // freed since it was listed
      return std::move(fd).error().with_context(fmt::format("opening BTF object {}", *id));
    }
    char name[64] = {};
    bpf_btf_info info{};
    info.name = reinterpret_cast<uintptr_t>(name);
    info.name_len = sizeof(name);
    auto n = sys::obj_get_info_by_fd(fd->get(), &info, sizeof(info));
    if (!n) return std::move(n).error().with_context(fmt::format("querying BTF object {}", *id));
    if (info.kernel_btf != 0 && std::string_view(name) == module) return std::move(*fd);
  }
  return Error(Errc::NotFound, fmt::format("the kernel has no BTF object for module '{}'", module))
      .with_op("find module BTF")
      .with_hint("the module may have been unloaded since its BTF was read");
}

}  // namespace detail

}  // namespace bpfxx
