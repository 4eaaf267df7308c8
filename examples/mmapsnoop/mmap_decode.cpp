#include "mmap_decode.hpp"

#include <cstdio>
#include <utility>

namespace mmapsnoop {

namespace {

// Values of the x86_64 (and generic) Linux ABI, written out so the decoder
// does not depend on which of them the build machine's libc defines.
constexpr std::pair<uint64_t, const char*> kProt[] = {
    {0x1, "PROT_READ"}, {0x2, "PROT_WRITE"}, {0x4, "PROT_EXEC"}, {0x10, "PROT_BTI"},
    {0x01000000, "PROT_GROWSDOWN"}, {0x02000000, "PROT_GROWSUP"},
};
constexpr std::pair<uint64_t, const char*> kFlags[] = {
    {0x10, "MAP_FIXED"},          {0x20, "MAP_ANONYMOUS"},     {0x40, "MAP_32BIT"},
    {0x100, "MAP_GROWSDOWN"},     {0x800, "MAP_DENYWRITE"},    {0x1000, "MAP_EXECUTABLE"},
    {0x2000, "MAP_LOCKED"},       {0x4000, "MAP_NORESERVE"},   {0x8000, "MAP_POPULATE"},
    {0x10000, "MAP_NONBLOCK"},    {0x20000, "MAP_STACK"},      {0x40000, "MAP_HUGETLB"},
    {0x80000, "MAP_SYNC"},        {0x100000, "MAP_FIXED_NOREPLACE"},
};

void append(std::string& out, const char* name) {
  if (!out.empty()) out += '|';
  out += name;
}

void append_rest(std::string& out, uint64_t rest) {
  if (rest == 0) return;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(rest));
  append(out, buf);
}

}  // namespace

std::string decode_prot(uint64_t prot) {
  if (prot == 0) return "PROT_NONE";
  std::string out;
  for (auto [bit, name] : kProt) {
    if (prot & bit) {
      append(out, name);
      prot &= ~bit;
    }
  }
  append_rest(out, prot);
  return out;
}

std::string decode_flags(uint64_t flags) {
  std::string out;
  // The low bits are a type, not a set of flags.
  switch (flags & 0x3) {
    case 0x1: append(out, "MAP_SHARED"); break;
    case 0x2: append(out, "MAP_PRIVATE"); break;
    case 0x3: append(out, "MAP_SHARED_VALIDATE"); break;
    default: break;
  }
  flags &= ~uint64_t{0x3};
  for (auto [bit, name] : kFlags) {
    if (flags & bit) {
      append(out, name);
      flags &= ~bit;
    }
  }
  // With MAP_HUGETLB, bits 26-31 give log2 of the huge page size.
  uint64_t huge_log2 = (flags >> 26) & 0x3f;
  if (huge_log2 != 0) {
    flags &= ~(uint64_t{0x3f} << 26);
    const char* units[] = {"B", "KB", "MB", "GB"};
    char buf[32];
    std::snprintf(buf, sizeof(buf), "MAP_HUGE_%llu%s", 1ull << (huge_log2 % 10), units[(huge_log2 / 10) % 4]);
    append(out, buf);
  }
  append_rest(out, flags);
  return out.empty() ? "0" : out;
}

}  // namespace mmapsnoop
