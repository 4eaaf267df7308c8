// CO-RE (compile once, run everywhere): what each relocation of a program
// becomes against a target kernel's BTF, and a portability check that runs
// every relocation of an object against any BTF file, without a kernel.
//
//   auto spec = bpfxx::ObjectSpec::open("prog.bpf.o").value();
//   auto target = bpfxx::btf::Spec::parse(bytes_of("vmlinux-6.1.btf")).value();
//   for (const bpfxx::CoreReport& r : bpfxx::check_portability(spec, target).value())
//     std::puts(r.describe().c_str());
//
// Object::load applies the same relocations against the running kernel (or
// LoadOptions::kernel_btf) and explains a verifier rejection at an
// instruction a failed relocation poisoned.
//
// Thread safety: value types and a pure function.
#pragma once

#include <bpfxx/btf/ext.hpp>
#include <bpfxx/btf/spec.hpp>
#include <bpfxx/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx {

class ObjectSpec;

enum class CoreOutcome : uint8_t {
  // The instruction now holds the target's value (an offset, a size, ...).
  Resolved,
  // An existence check (field/type/enum value exists, type matches) that
  // found nothing: the instruction now holds 0. Not a failure. A type size
  // or kernel type id of a type the target lacks is 0 too, as
  // bpf_core_type_size() and bpf_core_type_id_kernel() promise.
  Missing,
  // The target lacks what the instruction needs: it was replaced by a call
  // to an invalid helper, which the verifier rejects only if it can reach it
  // (a read guarded by an existence check is fine).
  Poisoned,
  // The relocation itself is broken (malformed record, instruction that does
  // not hold the local value, ambiguous candidates): loading must stop.
  Failed,
};
std::string_view to_string(CoreOutcome outcome) noexcept;

struct CoreReport {
  std::string program;
  uint32_t insn_index = 0;
  btf::CoreReloKind kind = btf::CoreReloKind::FieldByteOffset;
  // The access in C: "task_struct->real_parent", "sample->arr[2]",
  // "enum pid_type::PIDTYPE_TGID", or the type for type-based kinds.
  std::string access;
  std::string local_type;  // "struct task_struct"
  CoreOutcome outcome = CoreOutcome::Resolved;
  uint64_t local_value = 0;   // what the compiler put in the instruction
  uint64_t target_value = 0;  // what it holds now (Resolved, Missing)
  // The target type the relocation resolved to, and the BTF it came from
  // ("vmlinux" or a module's name); 0 and empty when none matched.
  btf::TypeId target_type_id = 0;
  std::string target_source;
  // Why it is Missing, Poisoned or Failed, in terms of what the target
  // lacks: "the target's struct task_struct has no member 'foo'".
  std::string reason;
  // Poisoned only, from check_portability: bpfxx's constant propagation
  // over the relocated program found the instruction unreachable (a guard
  // such as bpf_core_field_exists() resolved to 0 skips it). The kernel's
  // verifier decides for real; this is a close, conservative estimate.
  bool guarded = false;

  // One line: "prog insn 12 field_byte_offset task_struct->pid: 16 -> 2456".
  std::string describe() const;
  bool operator==(const CoreReport&) const = default;
};

// Runs every CO-RE relocation of every program in `spec` against `target`
// (a vmlinux BTF file, /sys/kernel/btf/vmlinux, a Builder-made spec) and
// reports each: resolved with its new value, missing, poisoned (guarded or
// not), or failed and why. Fails only when the object itself is unusable
// (CO-RE records but no BTF).
Result<std::vector<CoreReport>> check_portability(const ObjectSpec& spec, const btf::Spec& target);

}  // namespace bpfxx
