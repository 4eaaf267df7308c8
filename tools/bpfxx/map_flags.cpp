#include "map_flags.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace bpfxx::cli {

namespace {

struct FlagName {
  uint32_t bit;
  std::string_view name;
};

// The map_flags bits of enum in UAPI bpf.h (BPF_F_NO_PREALLOC ...). Bits 13 and
// up came after Debian's 6.1 header: BPF_F_LINK (6.4, struct_ops),
// BPF_F_VTYPE_BTF_OBJ_FD, BPF_F_TOKEN_FD (6.9), BPF_F_SEGV_ON_FAULT and
// BPF_F_NO_USER_CONV (6.9, arena). Bit 14 (BPF_F_PATH_FD) is an OBJ_PIN
// flag, not a map flag, and is left out.
constexpr std::array kFlagNames{
    FlagName{1u << 0, "BPF_F_NO_PREALLOC"},     FlagName{1u << 1, "BPF_F_NO_COMMON_LRU"},
    FlagName{1u << 2, "BPF_F_NUMA_NODE"},       FlagName{1u << 3, "BPF_F_RDONLY"},
    FlagName{1u << 4, "BPF_F_WRONLY"},          FlagName{1u << 5, "BPF_F_STACK_BUILD_ID"},
    FlagName{1u << 6, "BPF_F_ZERO_SEED"},       FlagName{1u << 7, "BPF_F_RDONLY_PROG"},
    FlagName{1u << 8, "BPF_F_WRONLY_PROG"},     FlagName{1u << 9, "BPF_F_CLONE"},
    FlagName{1u << 10, "BPF_F_MMAPABLE"},       FlagName{1u << 11, "BPF_F_PRESERVE_ELEMS"},
    FlagName{1u << 12, "BPF_F_INNER_MAP"},      FlagName{1u << 13, "BPF_F_LINK"},
    FlagName{1u << 15, "BPF_F_VTYPE_BTF_OBJ_FD"}, FlagName{1u << 16, "BPF_F_TOKEN_FD"},
    FlagName{1u << 17, "BPF_F_SEGV_ON_FAULT"},  FlagName{1u << 18, "BPF_F_NO_USER_CONV"},
};

}  // namespace

std::vector<std::string> map_flag_names(uint32_t flags) {
  std::vector<std::string> names;
  for (const FlagName& f : kFlagNames) {
    if (flags & f.bit) names.emplace_back(f.name);
  }
  return names;
}

uint32_t unknown_map_flags(uint32_t flags) {
  for (const FlagName& f : kFlagNames) flags &= ~f.bit;
  return flags;
}

std::string map_flags_text(uint32_t flags) {
  std::string text = fmt::format("{:#x}", flags);
  if (flags == 0) return text;
  std::string decoded;
  for (const std::string& name : map_flag_names(flags)) {
    if (!decoded.empty()) decoded += '|';
    decoded += name;
  }
  if (uint32_t rest = unknown_map_flags(flags)) {
    if (!decoded.empty()) decoded += '|';
    decoded += fmt::format("{:#x}", rest);
  }
  return text + " (" + decoded + ")";
}

}  // namespace bpfxx::cli
