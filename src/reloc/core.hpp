// CO-RE relocation as a pure function: a program's instructions and CO-RE
// records, the object's (local) BTF and the target BTFs in, patched
// instructions and one report per relocation out. No syscalls: the loader
// hands the kernel's BTF in, the portability check any BTF file.
//
// The relocation semantics are those clang's __builtin_preserve_* builtins
// promise (llvm's BPF CO-RE documentation, the kernel's
// Documentation/bpf/btf.rst and llvm_reloc.rst): find target types with the
// local type's name (its ___flavor suffix dropped), walk the access string
// through both, and write the target's value where the local one was.
#pragma once

#include <bpfxx/core.hpp>
#include <bpfxx/object_spec.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bpfxx::reloc {

// The BTFs candidate types come from, searched in order: vmlinux first, then
// module (split) BTFs. As the kernel's own loader does, a later source is
// searched only when no earlier one has a type of that name, so a module
// cannot shadow vmlinux. Candidate lists are cached per (name, kind class),
// built from each spec's lazy name index: no relocation scans all types.
// Target types are looked up by the local type's essential name exactly, so
// a target type that itself carries a ___flavor suffix (kernel BTF has none)
// is not a candidate.
//
// Thread safety: one owner, not synchronized (the cache fills on use).
class CoreTargets {
 public:
  struct Candidate {
    const btf::Spec* btf = nullptr;
    btf::TypeId id = 0;
    uint32_t source = 0;  // index into the sources, for reports
  };

  CoreTargets() = default;
  // `spec` must outlive this object; `name` is for reports ("vmlinux").
  explicit CoreTargets(const btf::Spec& vmlinux, std::string name = "vmlinux") { add(name, vmlinux); }
  void add(std::string name, const btf::Spec& spec);

  // Target types named `essential_name` whose kind is compatible with
  // `kind` (ENUM and ENUM64 count as one), from the first source that has any.
  std::span<const Candidate> candidates(std::string_view essential_name, btf::Kind kind);
  std::string_view source_name(uint32_t source) const noexcept { return sources_[source].name; }
  bool empty() const noexcept { return sources_.empty(); }

 private:
  struct Source {
    std::string name;
    const btf::Spec* spec = nullptr;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::vector<Source> sources_;
  std::unordered_map<std::string, std::vector<Candidate>, Hash, std::equal_to<>> cache_;
};

// How much a report says. Full: every field of every report. ProblemsOnly:
// a Resolved report carries its outcome, values and target type id but no
// text (program, access, local_type, target_source stay empty); the others
// are complete. The loader needs text only to explain what went wrong.
enum class CoreDetail : uint8_t { Full, ProblemsOnly };

// Applies every CO-RE relocation of `program` to `insns` (its instructions,
// possibly already map-relocated) and reports each. Never stops early: a
// broken relocation gets outcome Failed and leaves its instruction as it was,
// so a caller sees every problem at once. `local` is the object's BTF.
std::vector<CoreReport> apply_core_relocations(std::span<Insn> insns, const ProgramSpec& program,
                                               const btf::Spec& local, CoreTargets& targets,
                                               CoreDetail detail = CoreDetail::Full);

// The same, as the loader wants it: the first Failed relocation becomes a
// RelocationFailed error naming the program, relocation and reason.
Result<std::vector<CoreReport>> relocate_core(std::span<Insn> insns, const ProgramSpec& program,
                                              const btf::Spec& local, CoreTargets& targets);

// Marks each Poisoned report `guarded` when constant propagation over the
// relocated instructions cannot reach its instruction. `opaque` lists
// instructions whose ld_imm64 value is not known before load (map and
// extern references).
void mark_guarded(std::span<const Insn> insns, std::span<const uint32_t> opaque, std::vector<CoreReport>& reports);

// The invalid helper id a poisoned instruction calls: "bad relo" in hex.
// The verifier's log names it "unknown#195896080".
inline constexpr int32_t kPoisonHelperId = 0xbad2310;

}  // namespace bpfxx::reloc
