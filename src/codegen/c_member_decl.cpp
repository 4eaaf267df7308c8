// Member declarations from a per-type cache. A struct member's line is
// "<text before the name><name><text after the name>", and both texts depend
// only on the member's type ("struct task_struct *", "void (*", ")(int)"):
// rendering them once per type and copying them after skips walking the
// type chain and looking names up for every one of vmlinux's members.
#include "codegen/c_writer.hpp"

#include <utility>

namespace bpfxx::codegen::detail {

using btf::Kind;
using btf::Type;
using btf::TypeId;

// Whether declaring `type` writes no anonymous struct, union or enum body
// (those are written afresh each time, their enumerators named each time).
bool HeaderWriter::writes_no_body(TypeId type, int depth) {
  const TypeId count = spec_.type_count();
  if (depth > 8) return false;  // deep prototype nesting: not worth caching
  for (TypeId steps = 0; type != 0 && type < count && steps < count; ++steps) {
    Type t = spec_.type_unchecked(type);
    switch (t.kind()) {
      case Kind::Ptr:
      case Kind::Const:
      case Kind::Volatile:
      case Kind::Restrict:
      case Kind::TypeTag: type = t.ref(); break;
      case Kind::Array: type = t.array().elem_type; break;
      case Kind::FuncProto:
        for (uint32_t i = 0; i < t.vlen(); ++i)
          if (!writes_no_body(t.param(i).type, depth + 1)) return false;
        type = t.ref();
        break;
      case Kind::Struct:
      case Kind::Union:
      case Kind::Enum:
      case Kind::Enum64: return !anonymous(t);
      default: return true;
    }
  }
  return true;
}

uint32_t HeaderWriter::render_member_decl(TypeId type) {
  if (!writes_no_body(type, 0)) return kNoDeclText;
  // Rendered into scratch space with a one-byte stand-in for the name.
  std::swap(out_, scratch_);
  out_.clear();
  name_at_ = kNoName;
  write_decl(type, "@", 0);
  const std::string_view text = out_.view();
  const size_t name_at = name_at_;
  const bool rendered = name_at < text.size();
  if (rendered) {
    decl_texts_.push_back({static_cast<uint32_t>(decl_arena_.size()), static_cast<uint32_t>(name_at),
                           static_cast<uint32_t>(text.size() - name_at - 1)});
    decl_arena_.append(text.substr(0, name_at));
    decl_arena_.append(text.substr(name_at + 1));
  }
  std::swap(out_, scratch_);
  return rendered ? static_cast<uint32_t>(decl_texts_.size()) : kNoDeclText;
}

void HeaderWriter::write_member_decl(TypeId type, std::string_view name, int indent) {
  uint32_t& index = decl_text_[type];
  if (index == 0) index = render_member_decl(type);
  if (index == kNoDeclText || name.empty()) {
    write_decl(type, name, indent);
    return;
  }
  const DeclText& d = decl_texts_[index - 1];
  const std::string_view arena = decl_arena_;
  out_.put(arena.substr(d.at, d.before_name));
  out_.put(name);
  out_.put(arena.substr(d.at + d.before_name, d.after_name));
}

}  // namespace bpfxx::codegen::detail
