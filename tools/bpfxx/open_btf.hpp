// Opening the BTF `btf dump` reads: a raw BTF file (/sys/kernel/btf/*, the
// output of pahole or bpftool) or the .BTF section of an ELF file (a BPF
// object, a vmlinux image), optionally split BTF on top of a base.
#pragma once

#include <bpfxx/btf/spec.hpp>

#include <memory>
#include <string>

namespace bpfxx::cli {

// Parses `path` (on top of `base` when non-null); on failure prints why,
// naming the file, to stderr and returns null, for the caller to exit with
// kExitUsage.
std::shared_ptr<const btf::Spec> open_btf(const std::string& path, std::shared_ptr<const btf::Spec> base = nullptr);

}  // namespace bpfxx::cli
