// Writing top-level definitions, each after the declarations it uses, and
// the header's prologue, epilogue and function declarations.
#include "codegen/c_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string_view>

namespace bpfxx::codegen::detail {

using btf::Kind;
using btf::Type;
using btf::TypeId;

namespace {
constexpr int kMaxDepth = 512;
// C library functions clang knows as builtins: the kernel has its own of
// some (memcpy in assembly, with no parameters in BTF; vsnprintf with the
// kernel's va_list), and declaring them differently is an error under
// -Werror. Programs get the builtins.
constexpr std::string_view kLibraryBuiltins[] = {
    "abs",    "bcmp",    "labs",     "llabs",   "memchr",   "memcmp",  "memcpy",   "memmove", "memset",
    "printf", "snprintf", "sprintf", "sscanf",  "strcat",   "strchr",  "strcmp",   "strcpy",  "strcspn",
    "strlen", "strncat", "strncmp",  "strncpy", "strnlen",  "strpbrk", "strrchr",  "strspn",  "strstr",
    "vsnprintf", "vsprintf", "vsscanf"};
constexpr std::string_view kPragmaPush =
    "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
    "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
    "#endif\n\n";
}  // namespace

void HeaderWriter::write_prologue() {
  if (!options_.guard.empty()) {
    out_.put("#ifndef ");
    out_.put(options_.guard);
    out_.put("\n#define ");
    out_.put(options_.guard);
    out_.put("\n\n");
  }
  if (options_.preserve_access_index) {
    // Kept back until a struct or union is written, so that it can still be
    // erased if none is (see write_epilogue).
    out_.hold();
    pragma_at_ = out_.size();
    out_.put(kPragmaPush);
  }
  if (has_type_tags_) {
    // clang before 14 does not know btf_type_tag; without it the tags are
    // left out rather than failing the build.
    out_.put(
        "#ifndef __bpfxx_type_tag\n"
        "#if __has_attribute(btf_type_tag) && !defined(BPF_NO_TYPE_TAGS)\n"
        "#define __bpfxx_type_tag(x) __attribute__((btf_type_tag(x)))\n"
        "#else\n"
        "#define __bpfxx_type_tag(x)\n"
        "#endif\n"
        "#endif\n\n");
  }
}

void HeaderWriter::write_epilogue() {
  if (options_.preserve_access_index && !wrote_record_) {
    // clang warns about a pragma region that declares no struct or union.
    out_.erase(pragma_at_, kPragmaPush.size());
  } else if (options_.preserve_access_index) {
    out_.put(
        "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
        "#pragma clang attribute pop\n"
        "#endif\n\n");
  }
  if (!options_.guard.empty()) {
    out_.put("#endif /* ");
    out_.put(options_.guard);
    out_.put(" */\n");
  }
}

void HeaderWriter::write_forward(TypeId id) {
  Type t = spec_.type_unchecked(id);
  bool is_union = t.kind() == Kind::Union || (t.kind() == Kind::Fwd && t.fwd_is_union());
  out_.put(is_union ? "union " : "struct ");
  out_.put(name_of(id));
  out_.put(";\n\n");
  wrote_a_record();
}

// Writes what `id` needs declared, and `id` itself when it is the top-level
// definition being written (container == id) or must be declared on its own
// (typedefs, named enums, forward declarations). `container` is the
// definition being prepared: a pointer back to it needs no declaration.
void HeaderWriter::emit(TypeId id, TypeId container, int depth) {
  if (id == 0 || failure_) return;
  uint16_t& f = flags_[id];
  if (f & kEmitted) return;
  Type t = spec_.type_unchecked(id);
  if (f & kEmitting) {
    // A struct reached again while its own members are being prepared: a
    // pointer to it is declared ahead with a forward declaration.
    if ((f & kFwdDone) == 0 && t.is_struct_or_union() && id != container && !anonymous(t)) {
      write_forward(id);
      flags_[id] |= kFwdDone;
    }
    return;
  }
  if (depth > kMaxDepth) {
    fail(fmt::format("type [{}] nests more than {} levels deep", id, kMaxDepth));
    return;
  }
  switch (t.kind()) {
    case Kind::Int:
    case Kind::Float: f |= kEmitted; break;
    case Kind::Enum:
    case Kind::Enum64:
      // Named enums are defined on their own before first use; anonymous
      // ones inline, unless listed as top-level (then nothing uses them).
      if (!anonymous(t) || (id == container && (f & kReferenced) == 0)) {
        write_enum(t, 0);
        out_.put(";\n\n");
        flags_[id] |= kEmitted;
      }
      break;
    case Kind::Fwd:
      write_forward(id);
      f |= kEmitted;
      break;
    case Kind::Ptr:
    case Kind::Const:
    case Kind::Volatile:
    case Kind::Restrict:
    case Kind::TypeTag:
      emit(t.ref(), container, depth + 1);
      settle_if_declared(id, t.ref());
      break;
    case Kind::Array:
      emit(t.array().elem_type, container, depth + 1);
      settle_if_declared(id, t.array().elem_type);
      break;
    case Kind::Typedef:
      if (t.name() == "__builtin_va_list") {  // clang's own; redefining it is an error
        f |= kEmitted;
        break;
      }
      f |= kEmitting;
      emit(t.ref(), id, depth + 1);
      out_.put("typedef ");
      write_decl(t.ref(), name_of(id), 0);
      out_.put(";\n\n");
      flags_[id] = static_cast<uint16_t>((flags_[id] & ~kEmitting) | kEmitted);
      break;
    case Kind::Struct:
    case Kind::Union: {
      const bool top = id == container;
      const bool anon = anonymous(t);
      f |= kEmitting;
      if (top || anon) {
        // Its members are written out here, so their types come first.
        for (uint32_t i = 0; i < t.vlen(); ++i) emit(t.member(i).type, anon ? container : id, depth + 1);
      } else if ((flags_[id] & kFwdDone) == 0) {
        write_forward(id);
        flags_[id] |= kFwdDone;
      }
      flags_[id] &= static_cast<uint16_t>(~kEmitting);
      if (top) {
        write_composite(t, 0);
        out_.put(";\n\n");
        flags_[id] |= kEmitted;
      }
      break;
    }
    case Kind::FuncProto: {
      emit(t.ref(), container, depth + 1);
      bool declared = is_declared(t.ref());
      for (uint32_t i = 0; i < t.vlen(); ++i) {
        TypeId p = t.param(i).type;
        emit(p, container, depth + 1);
        declared &= is_declared(p);
      }
      if (declared) flags_[id] |= kEmitted;
      break;
    }
    default: break;
  }
}

// Whether `id` needs nothing more from emit(): it is declared (defined, or
// a struct with a forward declaration). Pointers, modifiers, arrays and
// prototypes over such types are then settled too, so the thousands of
// members reaching them skip the walk.
bool HeaderWriter::is_declared(TypeId id) const { return id == 0 || (flags_[id] & (kEmitted | kFwdDone)) != 0; }

void HeaderWriter::settle_if_declared(TypeId id, TypeId target) {
  if (is_declared(target)) flags_[id] |= kEmitted;
}

// extern declarations of FUNCs, after every type: kfuncs as weak kernel
// symbols (the loader resolves them, or leaves them 0 when the running
// kernel lacks one), others as plain declarations for fentry and friends.
void HeaderWriter::write_functions() {
  if (functions_.empty()) return;
  // The same guard and fallbacks as bpftool's newer vmlinux.h, and
  // definitions token-identical to bpf_helpers.h's, so either include order
  // compiles without redefinition warnings.
  out_.put(
      "#ifndef BPF_NO_KFUNC_PROTOTYPES\n"
      "#ifndef __ksym\n#define __ksym __attribute__((section(\".ksyms\")))\n#endif\n"
      "#ifndef __weak\n#define __weak __attribute__((weak))\n#endif\n\n");
  for (TypeId id : functions_) {
    Type fn = spec_.type_unchecked(id);
    // Two static functions may share a name; C allows one declaration.
    if (fn.name().empty() || names_.ident_taken(fn.name())) continue;
    if (std::find(std::begin(kLibraryBuiltins), std::end(kLibraryBuiltins), fn.name()) != std::end(kLibraryBuiltins))
      continue;
    emit(fn.ref(), id, 0);
    out_.put("extern ");
    write_decl(fn.ref(), names_.ident(fn.name()), 0);
    out_.put((flags_[id] & kKfunc) ? " __weak __ksym;\n" : ";\n");
  }
  out_.put("\n#endif\n\n");
}

}  // namespace bpfxx::codegen::detail
