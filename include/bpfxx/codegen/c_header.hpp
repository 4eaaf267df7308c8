// The vmlinux.h generator: a C header declaring the types of any BTF (the
// kernel's, a module's split BTF, an object's own), for BPF programs built
// with clang -target bpf.
//
//   auto btf = ...;  // btf::Spec of /sys/kernel/btf/vmlinux
//   std::string header = codegen::write_c_header(btf, {.guard = "__VMLINUX_H__"}).value();
//
// Definitions come in dependency order: a type used by value is defined
// before its user, a struct used only through pointers gets a forward
// declaration. Struct layouts are reproduced exactly for clang's BPF target:
// member offsets and bitfields from the BTF, `packed` when offsets or size
// contradict natural alignment, `aligned(N)` when a trailing gap is what a
// larger alignment explains, explicit padding bitfields elsewhere. Enums get
// their BTF size (a `mode` attribute where the values alone would give
// another). Two different types with one name are told apart as bpftool
// does: the later one is `name___2`, which CO-RE reads as a flavor of `name`.
// The output is a pure function of the BTF and the options.
//
// Thread safety: free functions over a const Spec.
#pragma once

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/result.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::codegen {

// Which FUNC records become `extern` declarations.
enum class FunctionDecls : uint8_t {
  None,    // types only (bpftool's default)
  Kfuncs,  // FUNCs tagged "bpf_kfunc", declared `__weak __ksym`
  All,     // every FUNC (kfuncs as above, the rest plain `extern`)
};

struct CHeaderOptions {
  // The include guard macro; empty for none.
  std::string guard = "__VMLINUX_H__";
  // Wrap everything in `#pragma clang attribute push(preserve_access_index)`,
  // so every struct and union access is a CO-RE relocation.
  bool preserve_access_index = true;
  FunctionDecls functions = FunctionDecls::None;
  // Emit only these types (ids of the BTF) and what they need: definitions
  // of what they embed by value, forward declarations of what they point to.
  // nullopt: every type. See object_type_roots() for an object's set.
  std::optional<std::vector<btf::TypeId>> roots;
};

Result<std::string> write_c_header(const btf::Spec& btf, const CHeaderOptions& options = {});
// The same, handed to `write` in order, in pieces of up to 64 KiB, instead
// of built in memory: what a tool writing vmlinux.h to a file wants (its
// ~3 MB of fresh pages cost a short-lived process more than the text). On
// an error the pieces written so far are an incomplete header.
Result<void> write_c_header(const btf::Spec& btf, const CHeaderOptions& options,
                            const std::function<void(std::string_view)>& write);

// The types of `target` that an object's BTF names: its structs, unions,
// enums, typedefs and forward declarations (the types its CO-RE relocations
// start from are among them), matched by name and kind, with CO-RE flavor
// suffixes ("task_struct___old") stripped; with `include_functions`, also
// its extern FUNCs (kfuncs). The UAPI integer typedefs (__u8 ... __s64,
// __be16 ...) are always included: BPF helper declarations use them. Ids
// ascend; names missing from `target` are skipped (the object's own types).
std::vector<btf::TypeId> object_type_roots(const btf::Spec& object_btf, const btf::Spec& target,
                                           bool include_functions = false);

}  // namespace bpfxx::codegen
