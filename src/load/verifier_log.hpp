// Reading the verifier's log: which instruction it stopped at, and the
// source line of that instruction from the program's line_info.
#pragma once

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/error.hpp>
#include <bpfxx/program_spec.hpp>

#include <optional>
#include <string_view>

namespace bpfxx::detail {

// The index of the last instruction the log shows the verifier processing
// ("123: (85) call ..."), or nullopt when the log shows none.
std::optional<uint32_t> failing_insn(std::string_view log);

// The line_info record that covers `insn`, resolved through `btf`'s strings.
std::optional<SourceLine> source_line_for(const ProgramSpec& program, const btf::Spec* btf, uint32_t insn);

}  // namespace bpfxx::detail
