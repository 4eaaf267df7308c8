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

// Whether `err` is a verifier refusal whose log shows it reaching a call of
// helper `id`, which the kernel names "unknown#<id>": the placeholder calls
// bpfxx writes where code must stay unreachable.
bool reached_placeholder_call(const Error& err, int32_t id);

// `explained`, an error that names the cause of verifier refusal `refused`,
// with the refusal's errno, verifier log and `line` (else the refusal's own
// source line) carried over.
Error with_refusal_context(Error explained, const Error& refused, std::optional<SourceLine> line);

}  // namespace bpfxx::detail
