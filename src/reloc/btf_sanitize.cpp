#include "reloc/btf_sanitize.hpp"

#include <bpfxx/btf/builder.hpp>

namespace bpfxx::reloc {

using btf::Kind;
using btf::make_info;

Result<std::optional<btf::Spec>> sanitize_btf(const btf::Spec& in, const features::BtfFeatures& k) {
  if (k.all()) return std::optional<btf::Spec>{};
  bool changed = false;
  btf::Spec out = in;
  for (btf::TypeId id = in.first_id(); id < in.type_count(); ++id) {
    btf::Type t = in.type_unchecked(id);
    auto replace = [&](std::initializer_list<uint32_t> words) -> Result<void> {
      std::vector<uint32_t> w(words);
      BPFXX_TRY(out.replace_record(id, w));
      changed = true;
      return {};
    };
    switch (t.kind()) {
      case Kind::DeclTag:
        if (!k.decl_tag) BPFXX_TRY(replace({0, make_info(Kind::Int, 0, false), 1, 8}));
        break;
      case Kind::TypeTag:
        if (!k.type_tag) BPFXX_TRY(replace({0, make_info(Kind::Const, 0, false), t.ref()}));
        break;
      case Kind::Enum64:
        if (!k.enum64) BPFXX_TRY(replace({0, make_info(Kind::Union, 0, false), t.size()}));
        break;
      case Kind::Float:
        if (!k.float_kind) BPFXX_TRY(replace({0, make_info(Kind::Struct, 0, false), t.size()}));
        break;
      case Kind::Func:
        if (!k.func_global && t.func_linkage() == btf::FuncLinkage::Global) {
          BPFXX_TRY(replace({t.name_offset(), make_info(Kind::Func, 0, false), t.ref()}));
        }
        break;
      case Kind::Var:
        if (!k.datasec) BPFXX_TRY(replace({0, make_info(Kind::Int, 0, false), 1, 8}));
        break;
      case Kind::Datasec:
        if (!k.datasec) BPFXX_TRY(replace({0, make_info(Kind::Struct, 0, false), t.size()}));
        break;
      default:
        break;
    }
  }
  if (!changed) return std::optional<btf::Spec>{};
  return std::optional<btf::Spec>(std::move(out));
}

}  // namespace bpfxx::reloc
