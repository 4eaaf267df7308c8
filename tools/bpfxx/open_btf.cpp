#include "open_btf.hpp"

#include "base/mapped_file.hpp"
#include "elf/elf_file.hpp"

#include <cstdio>

namespace bpfxx::cli {

namespace {

Result<std::shared_ptr<const btf::Spec>> parse_file(const std::string& path, std::shared_ptr<const btf::Spec> base) {
  BPFXX_TRY_ASSIGN(std::shared_ptr<const detail::MappedFile> file, detail::MappedFile::open(path));
  std::span<const std::byte> bytes = file->bytes();
  const bool is_elf = bytes.size() >= 4 && bytes[0] == std::byte{0x7f} && bytes[1] == std::byte{'E'} &&
                      bytes[2] == std::byte{'L'} && bytes[3] == std::byte{'F'};
  const bool is_btf = bytes.size() >= 2 && ((bytes[0] == std::byte{0x9f} && bytes[1] == std::byte{0xeb}) ||
                                             (bytes[0] == std::byte{0xeb} && bytes[1] == std::byte{0x9f}));
  if (!is_elf && !is_btf) {
    return Error(Errc::InvalidInput, "neither raw BTF (magic 0xeb9f) nor an ELF file")
        .with_hint("give /sys/kernel/btf/vmlinux, a module's /sys/kernel/btf/<name> with --base, or a .bpf.o");
  }
  if (is_elf) {
    BPFXX_TRY_ASSIGN(elf::File elf, elf::File::parse(bytes));
    const elf::Section* sec = elf.section_by_name(".BTF");
    if (sec == nullptr) {
      return Error(Errc::NotFound, "the ELF file has no .BTF section")
          .with_hint("BPF objects carry BTF when compiled with clang -g");
    }
    bytes = sec->data;
  }
  Result<btf::Spec> spec = base ? btf::Spec::parse_split(bytes, std::move(base), file) : btf::Spec::parse(bytes, file);
  if (!spec) return spec.error();
  return std::make_shared<const btf::Spec>(std::move(*spec));
}

}  // namespace

std::shared_ptr<const btf::Spec> open_btf(const std::string& path, std::shared_ptr<const btf::Spec> base) {
  auto spec = parse_file(path, std::move(base));
  if (spec) return std::move(*spec);
  std::fprintf(stderr, "bpfxx: cannot use '%s':\n%s", path.c_str(), spec.error().describe().c_str());
  return nullptr;
}

}  // namespace bpfxx::cli
