// C spelling: declarations (declarators nest inside out), struct and union
// bodies with their padding and attributes, enums, and the names of types.
#include "codegen/c_writer.hpp"

#include <climits>

namespace bpfxx::codegen::detail {

using btf::Kind;
using btf::Type;
using btf::TypeId;

namespace {

// Whether `name` is a spelling of a C integer type of `size` bytes on the
// BPF target ("long unsigned int", "__int128 unsigned", "_Bool"). BTF INT
// names come from the compiler that built the kernel, and some are not C
// ("ssizetype"); those are spelled from size and encoding instead.
bool is_c_int_name(std::string_view name, uint32_t size) {
  if (name.empty()) return false;
  int chars = 0, shorts = 0, ints = 0, longs = 0, int128 = 0, bools = 0;
  while (!name.empty()) {
    size_t sp = name.find(' ');
    std::string_view word = name.substr(0, sp);
    name = sp == std::string_view::npos ? std::string_view{} : name.substr(sp + 1);
    if (word == "char") ++chars;
    else if (word == "short") ++shorts;
    else if (word == "int") ++ints;
    else if (word == "long") ++longs;
    else if (word == "__int128") ++int128;
    else if (word == "_Bool") ++bools;
    else if (word != "signed" && word != "unsigned") return false;
  }
  uint32_t c_size = bools ? 1 : int128 ? 16 : chars ? 1 : shorts ? 2 : longs ? 8 : 4;
  return chars + shorts + int128 + bools <= 1 && longs <= 2 && ints <= 1 && c_size == size;
}

std::string_view int_spelling(const Type& t) {
  std::string_view name = t.name();
  if (is_c_int_name(name, t.size())) return name;
  btf::IntInfo ii = t.int_info();
  bool sgn = (ii.encoding & btf::kIntSigned) != 0;
  switch (t.size()) {
    case 1: return (ii.encoding & btf::kIntBool) ? "_Bool" : (ii.encoding & btf::kIntChar) ? "char"
                                                        : sgn ? "signed char" : "unsigned char";
    case 2: return sgn ? "short" : "unsigned short";
    case 4: return sgn ? "int" : "unsigned int";
    case 8: return sgn ? "long" : "unsigned long";
    case 16: return sgn ? "__int128" : "unsigned __int128";
    default: return name;
  }
}

// The enum size clang picks from the values alone: 4 bytes when they fit in
// int or unsigned int, else 8.
uint32_t natural_enum_size(const Type& t) {
  bool negative = false, fits_int = true, fits_uint = true;
  for (uint32_t i = 0; i < t.vlen(); ++i) {
    int64_t v = t.enumerator(i).value;
    if (t.enum_signed()) {
      negative |= v < 0;
      fits_int &= v >= INT32_MIN && v <= INT32_MAX;
      fits_uint &= v >= 0 && v <= static_cast<int64_t>(UINT32_MAX);
    } else {
      fits_uint &= static_cast<uint64_t>(v) <= UINT32_MAX;
    }
  }
  return (negative ? fits_int : fits_uint) ? 4 : 8;
}

}  // namespace

std::string_view HeaderWriter::name_of(TypeId id) {
  if (name_index_[id] != 0) return name_list_[name_index_[id]];
  Type t = spec_.type_unchecked(id);
  std::string_view name;
  switch (t.kind()) {
    case Kind::Int: name = int_spelling(t); break;
    case Kind::Float: name = t.size() == 4 ? "float" : t.size() == 8 ? "double" : "long double"; break;
    case Kind::Struct: name = names_.tag(t.name(), TagKind::Struct, true); break;
    case Kind::Union: name = names_.tag(t.name(), TagKind::Union, true); break;
    case Kind::Enum:
    case Kind::Enum64: name = names_.tag(t.name(), TagKind::Enum, t.vlen() > 0); break;
    case Kind::Fwd: name = names_.tag(t.name(), t.fwd_is_union() ? TagKind::Union : TagKind::Struct, false); break;
    case Kind::Typedef: name = names_.ident(t.name()); break;
    default: name = t.name(); break;
  }
  name_index_[id] = static_cast<uint32_t>(name_list_.size());
  name_list_.push_back(name);
  return name;
}

// `const` twice is a warning in C; a const array of const elements has it
// twice in BTF (the array's qualifier moves onto the elements).
bool HeaderWriter::repeated_qual(size_t lo, size_t at) const {
  Kind k = spec_.kind_of(quals_[at]);
  if (k == Kind::TypeTag) return false;
  for (size_t q = lo; q < at; ++q)
    if (spec_.kind_of(quals_[q]) == k) return true;
  return false;
}

void HeaderWriter::write_qual(TypeId modifier) {
  Type q = spec_.type_unchecked(modifier);
  switch (q.kind()) {
    case Kind::Const: out_.put("const"); break;
    case Kind::Volatile: out_.put("volatile"); break;
    case Kind::Restrict: out_.put("restrict"); break;
    default: {  // TYPE_TAG: a string literal, escaped
      out_.put("__bpfxx_type_tag(\"");
      for (char c : q.name()) {
        if (c == '"' || c == '\\') out_.put('\\');
        out_.put(c);
      }
      out_.put("\")");
      break;
    }
  }
}

// Writes "<qualifiers> <base type> <declarator>", e.g. "const char *const *name".
// The chain from `type` is unwound into ops_: pointers, arrays and function
// prototypes, outermost first. Qualifiers above a pointer qualify that
// pointer ("*const"); those above an array qualify its elements; those
// nearest the base type qualify it, and type tags follow the base type.
void HeaderWriter::write_decl(TypeId type, std::string_view name, int indent) {
  const size_t ops_lo = ops_.size(), quals_lo = quals_.size();
  size_t pending = quals_lo;
  TypeId id = type;
  Type base;  // void unless the chain ends in a type
  const TypeId count = spec_.type_count();
  for (TypeId steps = 0; id != 0 && id < count && steps < count; ++steps) {
    Type t = spec_.type_unchecked(id);
    Kind k = t.kind();
    if (t.is_modifier()) {
      quals_.push_back(id);
      id = t.ref();
    } else if (k == Kind::Ptr) {
      ops_.push_back({Op::Ptr, id, static_cast<uint32_t>(pending), static_cast<uint32_t>(quals_.size()), 0});
      pending = quals_.size();
      id = t.ref();
    } else if (k == Kind::Array) {
      btf::ArrayInfo a = t.array();
      ops_.push_back({Op::Array, id, 0, 0, a.nelems});
      id = a.elem_type;
    } else if (k == Kind::FuncProto) {
      ops_.push_back({Op::Func, id, 0, 0, 0});
      pending = quals_.size();  // a qualified function type means nothing
      id = t.ref();
    } else {
      base = t;
      break;
    }
  }
  const size_t quals_hi = quals_.size(), ops_hi = ops_.size();
  for (size_t q = pending; q < quals_hi; ++q) {
    if (spec_.kind_of(quals_[q]) == Kind::TypeTag || repeated_qual(pending, q)) continue;
    write_qual(quals_[q]);
    out_.put(' ');
  }
  write_base(base, indent);
  for (size_t q = pending; q < quals_hi; ++q) {
    if (spec_.kind_of(quals_[q]) != Kind::TypeTag) continue;
    out_.put(' ');
    write_qual(quals_[q]);
  }
  if (ops_hi > ops_lo || !name.empty()) out_.put(' ');
  write_declarator(ops_lo, ops_hi, name, indent);
  ops_.resize(ops_lo);
  quals_.resize(quals_lo);
}

// ops_[lo, hi) outermost first: the innermost step (hi - 1) is written
// outermost, around the declarator of the steps before it.
void HeaderWriter::write_declarator(size_t lo, size_t hi, std::string_view name, int indent) {
  if (hi == lo) {
    if (name_at_ == kNoName) name_at_ = out_.size();  // the first: parameters come after
    out_.put(name);
    return;
  }
  const Op op = ops_[hi - 1];
  if (op.kind == Op::Ptr) {
    out_.put('*');
    bool any = false;
    for (uint32_t q = op.quals_lo; q < op.quals_hi; ++q) {
      if (repeated_qual(op.quals_lo, q)) continue;
      if (any) out_.put(' ');
      write_qual(quals_[q]);
      any = true;
    }
    if (any && (hi - 1 > lo || !name.empty())) out_.put(' ');
    write_declarator(lo, hi - 1, name, indent);
    return;
  }
  // [] and () bind tighter than *: a pointer inside needs parentheses.
  const bool paren = hi - 1 > lo && ops_[hi - 2].kind == Op::Ptr;
  if (paren) out_.put('(');
  write_declarator(lo, hi - 1, name, indent);
  if (paren) out_.put(')');
  if (op.kind == Op::Array) {
    out_.put('[');
    out_.num(op.nelems);
    out_.put(']');
  } else {
    write_params(op.id, indent);
  }
}

void HeaderWriter::write_params(TypeId proto, int indent) {
  Type p = spec_.type_unchecked(proto);
  out_.put('(');
  if (p.vlen() == 0) out_.put("void");
  for (uint32_t i = 0; i < p.vlen(); ++i) {
    if (i != 0) out_.put(", ");
    btf::Param param = p.param(i);
    if (param.type == 0) {
      out_.put(i + 1 == p.vlen() ? "..." : "void");  // only last: varargs
      continue;
    }
    write_decl(param.type, param.name, indent);
  }
  out_.put(')');
}

// `t` is a default Type (kind Void) for void.
void HeaderWriter::write_base(const Type& t, int indent) {
  const TypeId base = t.id();
  switch (t.kind()) {
    case Kind::Void: out_.put("void"); break;
    case Kind::Struct:
    case Kind::Union:
      if (anonymous(t)) {
        write_composite(t, indent);
      } else {
        out_.put(t.kind() == Kind::Union ? "union " : "struct ");
        out_.put(name_of(base));
      }
      break;
    case Kind::Enum:
    case Kind::Enum64:
      if (anonymous(t)) {
        write_enum(t, indent);
      } else {
        out_.put("enum ");
        out_.put(name_of(base));
      }
      break;
    case Kind::Fwd:
      out_.put(t.fwd_is_union() ? "union " : "struct ");
      out_.put(name_of(base));
      break;
    case Kind::Int:
    case Kind::Float:
    case Kind::Typedef: out_.put(name_of(base)); break;
    default: out_.put("void"); break;  // not a C type: malformed input
  }
}

namespace {

// Writes one struct body line per member and per padding bitfield.
struct BodyPrinter {
  HeaderWriter* writer;
  Sink* out;
  int indent;
  void (HeaderWriter::*decl)(TypeId, std::string_view, int);

  void pad(uint32_t bits, uint64_t at_bit) {
    out->tabs(indent);
    if (bits == 32 && at_bit % 32 == 0) out->put("int: 32;\n");
    else if (bits == 16 && at_bit % 16 == 0) out->put("short: 16;\n");
    else if (bits == 8 && at_bit % 8 == 0) out->put("char: 8;\n");
    else {
      out->put("long: ");
      out->num(bits);
      out->put(";\n");
    }
  }
  void member(uint32_t, const Slot& s) {
    out->tabs(indent);
    (writer->*decl)(s.type, s.name, indent);
    if (s.bits != 0) {
      out->put(": ");
      out->num(s.bits);
    }
    out->put(";\n");
  }
};

}  // namespace

void HeaderWriter::write_composite(const Type& t, int indent) {
  const TypeId id = t.id();
  wrote_a_record();
  out_.put(t.kind() == Kind::Union ? "union" : "struct");
  if (!anonymous(t)) {
    out_.put(' ');
    out_.put(name_of(id));
  }
  if (t.vlen() == 0 && t.size() == 0) {
    out_.put(" {}");
    return;
  }
  out_.put(" {\n");
  BodyPrinter printer{this, &out_, indent + 1, &HeaderWriter::write_member_decl};
  WalkEnd end;
  std::optional<Plan> found;
  if (layout_.begin(id)) {
    // Not laid out yet (a struct nothing embeds so far): most structs are
    // what C lays out naturally, so write them that way while checking, and
    // take the text back only if the BTF says otherwise.
    const size_t body = out_.pin(), enums_before = enum_log_.size();
    if (layout_.lay_out(t, false, printer, end)) found = layout_.finish(t, false, end);
    if (found) {
      layout_.store(id, *found);
    } else {
      layout_.abandon(id);
      take_back(body, enums_before);
    }
    out_.unpin();
  }
  const Plan plan = found ? *found : layout_.plan(id);
  if (found) {
    layout_.lay_out_tail(t, plan, end, printer);
  } else if (plan.exact) {
    layout_.lay_out(t, plan.packed, printer, end);
    layout_.lay_out_tail(t, plan, end, printer);
  } else {
    // Said in the output, where the difference will be looked for.
    out_.tabs(indent + 1);
    out_.put("/* bpfxx: no C layout reproduces this type's BTF offsets and size */\n");
    for (uint32_t i = 0; i < t.vlen(); ++i) printer.member(i, layout_.slot(t, i));
  }
  out_.tabs(indent);
  out_.put('}');
  if (plan.packed) out_.put(" __attribute__((packed))");
  if (plan.align_attr != 0) {
    out_.put(" __attribute__((aligned(");
    out_.num(plan.align_attr);
    out_.put(")))");
  }
}

// Erases output from `at` on, remembering the names of the anonymous enums
// written there (enum_log_ from `enums_at`) for when they are written again.
void HeaderWriter::take_back(size_t at, size_t enums_at) {
  out_.truncate(at);
  for (size_t i = enums_at; i < enum_log_.size(); ++i) taken_back_[enum_log_[i].first] = enum_log_[i].second;
  enum_log_.resize(enums_at);
}

void HeaderWriter::write_enum(const Type& t, int indent) {
  const TypeId id = t.id();
  out_.put("enum");
  if (!anonymous(t)) {
    out_.put(' ');
    out_.put(name_of(id));
  }
  if (t.vlen() == 0) return;  // a forward declaration: C cannot define an empty enum
  out_.put(" {\n");
  const bool is64 = t.kind() == Kind::Enum64;
  // An anonymous enum's text may be taken back (see write_composite) and
  // written again: it then keeps the names it was given, as they were never
  // seen.
  const bool inline_enum = anonymous(t);
  uint32_t reuse_from = UINT32_MAX;
  if (inline_enum) {
    if (auto it = taken_back_.find(id); it != taken_back_.end()) {
      reuse_from = it->second;
      taken_back_.erase(it);
    }
    enum_log_.push_back({id, reuse_from != UINT32_MAX ? reuse_from : static_cast<uint32_t>(enum_names_.size())});
  }
  // All of the enumerators' name lookups are started before the first is
  // needed, so that their cache misses overlap.
  enum_scratch_.clear();
  for (uint32_t i = 0; i < t.vlen(); ++i) {
    btf::EnumValue e = t.enumerator(i);
    uint64_t h = reuse_from == UINT32_MAX ? NameTable::hash(e.name) : 0;
    if (reuse_from == UINT32_MAX) names_.prefetch_ident(h);
    enum_scratch_.push_back({e, h});
  }
  for (uint32_t i = 0; i < enum_scratch_.size(); ++i) {
    const auto& [e, hash] = enum_scratch_[i];
    std::string_view name;
    if (reuse_from != UINT32_MAX) {
      name = enum_names_[reuse_from + i];
    } else {
      name = names_.ident(e.name, hash);
      if (inline_enum) enum_names_.push_back(name);
    }
    out_.tabs(indent + 1);
    out_.put(name);
    out_.put(" = ");
    if (t.enum_signed()) {
      if (e.value >= INT32_MIN && e.value <= INT32_MAX) {
        out_.num(e.value);
      } else if (e.value == INT64_MIN) {
        out_.put("(-9223372036854775807LL - 1)");  // the literal itself would not fit
      } else {
        out_.num(e.value);
        out_.put("LL");
      }
    } else {
      uint64_t u = is64 ? static_cast<uint64_t>(e.value) : static_cast<uint32_t>(e.value);
      out_.num(u);
      if (u > UINT32_MAX) out_.put("ULL");
    }
    out_.put(",\n");
  }
  out_.tabs(indent);
  out_.put('}');
  // Packed kernel enums are 1 or 2 bytes; some 64-bit ones hold small values.
  if (natural_enum_size(t) != t.size()) {
    const char* mode = t.size() == 1 ? "QI" : t.size() == 2 ? "HI" : t.size() == 4 ? "SI" : t.size() == 8 ? "DI" : nullptr;
    if (mode != nullptr) {
      out_.put(" __attribute__((mode(");
      out_.put(mode);
      out_.put(")))");
    }
  }
}

}  // namespace bpfxx::codegen::detail
