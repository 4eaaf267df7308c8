// What `bpfxx obj load` found out, collected before anything is printed so the
// text and JSON renderers report the same facts.
#pragma once

#include <bpfxx/error.hpp>
#include <bpfxx/uapi.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bpfxx::cli {

enum class Verdict { Ok, Failed, Skipped };

struct ProgramOutcome {
  std::string name;
  std::string section;
  ProgType type = ProgType::Unspec;
  Verdict verdict = Verdict::Skipped;
  uint32_t insn_count = 0;           // Ok: as loaded (subprograms included)
  std::string verifier_log;          // Ok: only when --log-level asked for one
  std::optional<Error> error;        // Failed
  std::string skip_reason;           // Skipped
};

struct LoadReport {
  std::string object;
  std::string file;
  uint32_t log_level = 0;
  // Creating the object's BTF and maps, done once before the programs. When it
  // fails, every program fails with it: reported here, once.
  std::optional<Error> setup_error;
  std::vector<std::string> maps;   // created by the setup load, in ELF order
  std::vector<std::string> notes;  // fallbacks the library took (Object::notes)
  std::vector<ProgramOutcome> programs;

  size_t count(Verdict v) const {
    size_t n = 0;
    for (const ProgramOutcome& p : programs) n += p.verdict == v ? 1 : 0;
    return n;
  }
  bool ok() const { return !setup_error && count(Verdict::Failed) == 0; }
};

}  // namespace bpfxx::cli
