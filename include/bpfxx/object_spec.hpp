// bpfxx::ObjectSpec: everything in a BPF ELF object, parsed and linked, with
// no syscalls: programs, maps, global variables, BTF.
//
// Parsing is deterministic (same bytes, same spec, on any machine) and keeps
// the ELF order. A spec is a value to inspect and edit before loading: set a
// map's max_entries, a program's type, a .rodata constant.
//
//   auto spec = bpfxx::ObjectSpec::open("mmapsnoop.bpf.o").value();
//   spec.set_variable("target_pid", uint32_t{1234}).value();
//   auto obj = bpfxx::Object::load(spec).value();
//
// Thread safety: as std::vector.
#pragma once

#include <bpfxx/btf/ext.hpp>
#include <bpfxx/btf/spec.hpp>
#include <bpfxx/map_spec.hpp>
#include <bpfxx/program_spec.hpp>
#include <bpfxx/result.hpp>

#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace bpfxx {

// An extern the object declares: `extern ... __kconfig` (.kconfig), a kernel
// variable `extern ... __ksym` (.ksyms), or a kernel function called from BPF
// (a kfunc, also in .ksyms).
enum class ExternKind : uint8_t { Kconfig, Ksym, Kfunc };
std::string_view to_string(ExternKind kind) noexcept;

// How a .kconfig extern's value is written into the .kconfig map.
enum class KconfigType : uint8_t { None, Bool, Tristate, Char, Int, CharArray };

struct ExternSpec {
  std::string name;
  ExternKind kind = ExternKind::Kconfig;
  bool is_function = false;  // kind == Kfunc, kept for readability at call sites
  bool is_weak = false;      // __weak: resolves to zero/NULL when absent
  btf::TypeId btf_id = 0;    // the VAR or FUNC in the object's BTF
  // A variable's type with typedefs and modifiers skipped (0 for a typeless
  // ksym such as `extern const void _stext __ksym`); a kfunc's FUNC_PROTO.
  btf::TypeId type = 0;
  KconfigType kconfig_type = KconfigType::None;
  bool is_signed = false;    // Int kconfig values
  uint32_t size = 0;         // bytes: the value's size (kconfig), the type's (typed ksym)
  uint32_t offset = 0;       // kconfig: where the value sits in the .kconfig map
  bool operator==(const ExternSpec&) const = default;
};

class ObjectSpec {
 public:
  // Reads and parses an object file; the name defaults to the file's stem.
  static Result<ObjectSpec> open(const std::string& path);
  // Parses object bytes (copied only where the spec must own them).
  static Result<ObjectSpec> parse(std::span<const std::byte> bytes, std::string name = "object");

  std::string name;
  std::string license;
  uint32_t kernel_version = 0;
  bool big_endian = false;
  std::vector<ProgramSpec> programs;
  std::vector<MapSpec> maps;
  // Extern variables and functions, in BTF order.
  std::vector<ExternSpec> externs;
  // What parsing passed over on purpose, one sentence each (code a static
  // link left without a function, as an overridden __weak function's body).
  std::vector<std::string> notes;
  // The object's BTF with DATASEC sizes and variable offsets already fixed
  // from the ELF symbol table; null for objects built without -g.
  std::shared_ptr<const btf::Spec> btf;

  ProgramSpec* program(std::string_view program_name) noexcept;
  const ProgramSpec* program(std::string_view program_name) const noexcept;
  MapSpec* map(std::string_view map_name) noexcept;
  const MapSpec* map(std::string_view map_name) const noexcept;

  // Overwrites a global variable's initial value (in .data, .rodata, .bss...)
  // with exactly `bytes.size()` bytes, which must equal the variable's size.
  Result<void> set_variable(std::string_view var_name, std::span<const std::byte> bytes);
  template <typename T>
    requires(!std::is_convertible_v<const T&, std::span<const std::byte>>)
  Result<void> set_variable(std::string_view var_name, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    return set_variable(var_name, std::as_bytes(std::span<const T, 1>(&value, 1)));
  }
  // A copy of the initial bytes of a global variable.
  Result<std::vector<std::byte>> variable(std::string_view var_name) const;

  // A readable multi-line listing of programs, maps, variables and
  // relocations, stable for tests.
  std::string dump() const;

  bool operator==(const ObjectSpec& other) const;
};

}  // namespace bpfxx
