#include <bpfxx/insn.hpp>

#include <fmt/format.h>

namespace bpfxx::insn {

std::string to_string(const Insn& i) {
  return fmt::format("code=0x{:02x} dst=r{} src=r{} off={} imm={}", i.code, i.dst(), i.src(), i.off, i.imm);
}

}  // namespace bpfxx::insn
