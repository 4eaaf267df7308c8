#include "load/verifier_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace bpfxx::detail {

std::optional<uint32_t> failing_insn(std::string_view log) {
  std::optional<uint32_t> last;
  size_t pos = 0;
  while (pos < log.size()) {
    size_t end = log.find('\n', pos);
    if (end == std::string_view::npos) end = log.size();
    std::string_view line = log.substr(pos, end - pos);
    pos = end + 1;
    // "N: (op) ..." is an instruction the verifier walked.
    size_t i = 0;
    uint64_t n = 0;
    while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])) && i < 10) {
      n = n * 10 + static_cast<uint64_t>(line[i] - '0');
      ++i;
    }
    if (i == 0 || i + 3 > line.size() || line[i] != ':' || line[i + 1] != ' ' || line[i + 2] != '(') continue;
    last = static_cast<uint32_t>(n);
  }
  return last;
}

std::optional<SourceLine> source_line_for(const ProgramSpec& program, const btf::Spec* btf, uint32_t insn) {
  if (btf == nullptr || program.line_info.empty()) return std::nullopt;
  // line_info is sorted by instruction; take the last record at or before insn.
  auto it = std::upper_bound(program.line_info.begin(), program.line_info.end(), insn,
                             [](uint32_t v, const LineInfoRecord& r) { return v < r.insn_index; });
  if (it == program.line_info.begin()) return std::nullopt;
  const LineInfoRecord& r = *std::prev(it);
  SourceLine s;
  s.file = std::string(btf->string_at(r.file_name_off).value_or("?"));
  s.text = std::string(btf->string_at(r.line_off).value_or(""));
  // Trim the indentation clang keeps in the recorded line.
  size_t first = s.text.find_first_not_of(" \t");
  s.text = first == std::string::npos ? std::string() : s.text.substr(first);
  s.line = r.line;
  s.column = r.column;
  s.insn_index = insn;
  return s;
}

bool reached_placeholder_call(const Error& err, int32_t id) {
  return err.code() == Errc::VerifierRejected &&
         err.verifier_log().find(fmt::format("unknown#{}", id)) != std::string_view::npos;
}

Error with_refusal_context(Error explained, const Error& refused, std::optional<SourceLine> line) {
  if (refused.sys_errno() != 0) std::move(explained).with_errno(refused.sys_errno());
  if (!line) line = refused.source_line();
  if (line) std::move(explained).with_source_line(*line);
  std::move(explained).with_verifier_log(std::string(refused.verifier_log()));
  return explained;
}

}  // namespace bpfxx::detail
