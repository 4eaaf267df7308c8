// Names of map creation flags (BPF_F_* in bpf_attr.map_flags), defined here
// because the public headers never include <linux/bpf.h> and the Debian 6.1
// header lacks the newer ones.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bpfxx::cli {

// The names of the known bits set in `flags`, lowest bit first.
std::vector<std::string> map_flag_names(uint32_t flags);
// The bits of `flags` this table has no name for.
uint32_t unknown_map_flags(uint32_t flags);
// "0x0", "0x1 (BPF_F_NO_PREALLOC)", "0x80001 (BPF_F_NO_PREALLOC|0x80000)".
std::string map_flags_text(uint32_t flags);

}  // namespace bpfxx::cli
