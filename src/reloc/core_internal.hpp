// Internals of CO-RE relocation shared by the reloc/core_*.cpp files:
// access specs (the parsed and walked access string), the compatibility
// rules, the value of each relocation kind, and instruction patching.
//
// Failures that mean "this candidate does not fit" are booleans with a
// reason string; failures that mean "this relocation is broken" are Errors.
#pragma once

#include "reloc/core.hpp"

#include "base/inline_vec.hpp"

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/insn.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::reloc::core {

// "task_struct___v2" -> "task_struct": a name with its ___flavor suffix
// dropped. Only an X___Y boundary counts (X and Y not underscores), so
// "__u32" and "a____b" keep their underscores.
std::string_view essential_name(std::string_view name) noexcept;

enum class ReloClass : uint8_t { Field, Type, Enum };
ReloClass class_of(btf::CoreReloKind kind) noexcept;
// Kinds whose "not found" answer is 0 rather than a poisoned instruction:
// the existence checks, and the type size and kernel type id queries.
bool zero_when_missing(btf::CoreReloKind kind) noexcept;
// ENUM and ENUM64 are one kind for CO-RE; other kinds must be equal.
bool kinds_compatible(btf::Kind a, btf::Kind b) noexcept;

// One meaningful step of an access: the root, a named member, an array
// element, or (enum kinds) an enumerator.
struct Accessor {
  // The root: the root type; a member: the struct/union holding it; an array
  // element: the element type; an enumerator: the enum. Always with
  // modifiers and typedefs skipped.
  btf::TypeId type_id = 0;
  uint32_t index = 0;     // root/array: element index; member: member index
  std::string_view name;  // member or enumerator name; empty otherwise
};

// Deep enough for any real kernel type; bounds work on hostile input.
inline constexpr size_t kMaxAccessLength = 64;

// An access string walked through one BTF. Its lists live inline: a
// relocation parses one and matches one per candidate, and heap lists cost
// more than the walk.
struct AccessSpec {
  const btf::Spec* btf = nullptr;
  btf::TypeId root_id = 0;  // the record's type or the candidate, as is
  detail::InlineVec<uint32_t, kMaxAccessLength> raw;        // the access string, anonymous members included
  detail::InlineVec<Accessor, kMaxAccessLength> accessors;  // the steps that carry meaning (no anonymous members)
  uint64_t bit_offset = 0;  // of the accessed field from the root pointer
};

// Parses the local side of a relocation: "0:1:2" through `btf`'s `root`.
Result<AccessSpec> parse_local(const btf::Spec& btf, btf::TypeId root, std::string_view access,
                               btf::CoreReloKind kind);

// Walks `local`'s access through candidate `cand` of `target`. True with
// `out` filled on a match; false with `why` (what the target lacks) if not.
Result<bool> match_candidate(const AccessSpec& local, btf::CoreReloKind kind, const btf::Spec& target,
                             btf::TypeId cand, AccessSpec& out, std::string& why);

// The access in C: "task_struct->mm", "s->arr[2].x", "enum e::V", "struct s".
std::string access_text(const AccessSpec& local, btf::CoreReloKind kind);

// Compatibility rules (see core_compat.cpp for each).
Result<bool> fields_compatible(const btf::Spec& lb, btf::TypeId lid, const btf::Spec& tb, btf::TypeId tid);
Result<bool> types_compatible(const btf::Spec& lb, btf::TypeId lid, const btf::Spec& tb, btf::TypeId tid);
Result<bool> types_match(const btf::Spec& lb, btf::TypeId lid, const btf::Spec& tb, btf::TypeId tid);

// The value a relocation kind takes for one side's spec.
struct Value {
  uint64_t value = 0;
  // For a load or store of a whole (non-bitfield) field: its size in bytes
  // and its type (modifiers and typedefs skipped), so the instruction's
  // access size can follow a field that changed size.
  uint32_t field_size = 0;
  btf::TypeId field_type = 0;
  // Whether the instruction must hold the local value before patching. Off
  // where the compiler may legitimately disagree with the computation
  // (bitfield offsets and sizes) or ids are not stable (type ids).
  bool validate = true;
};
Result<Value> value_of(btf::CoreReloKind kind, const AccessSpec& spec, bool big_endian);

// What to write into an instruction.
struct Patch {
  uint64_t local_value = 0;
  uint64_t target_value = 0;
  bool validate = true;
  uint32_t local_size = 0;   // field sizes, 0 when not a whole-field access
  uint32_t target_size = 0;
};
// Patches insns[index] (both halves of an ld_imm64). Errors name the
// instruction and what was wrong with it.
Result<void> patch_insn(std::span<Insn> insns, uint32_t index, const Patch& patch);
// Replaces insns[index] (both halves of an ld_imm64) with a call to the
// invalid helper kPoisonHelperId.
void poison_insn(std::span<Insn> insns, uint32_t index);
// The access size in bytes of a load or store, or 0 for other instructions.
uint32_t mem_access_size(const Insn& insn) noexcept;

}  // namespace bpfxx::reloc::core
