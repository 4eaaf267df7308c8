// Turning mmap()'s prot and flags into the names a reader knows.
#pragma once

#include <cstdint>
#include <string>

namespace mmapsnoop {

// "PROT_READ|PROT_WRITE"; "PROT_NONE" for 0; unknown bits as hex.
std::string decode_prot(uint64_t prot);
// "MAP_PRIVATE|MAP_ANONYMOUS"; unknown bits as hex.
std::string decode_flags(uint64_t flags);

}  // namespace mmapsnoop
