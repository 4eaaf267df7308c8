// Externs: the variables and functions an object takes from the kernel.
//
// clang puts `__kconfig` externs in a ".kconfig" DATASEC and `__ksym` ones
// (variables and kfuncs) in ".ksyms", as VARs or FUNCs with extern linkage.
// .kconfig values live in a read-only ".kconfig" map this parse adds to the
// spec, laid out here so that references to them are plain map-value
// relocations; ksyms and kfuncs stay Extern relocations for the loader,
// which resolves them against the running kernel.
#include "spec/parse_context.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace bpfxx::spec {

namespace {

using btf::Kind;

constexpr std::string_view kKconfigSection = ".kconfig";
constexpr std::string_view kKsymsSection = ".ksyms";

bool is_weak_symbol(const ParseContext& ctx, std::string_view name) {
  for (const elf::Symbol& s : ctx.elf->symbols()) {
    if (s.section == elf::kShnUndef && s.name == name) return s.bind == elf::kStbWeak;
  }
  return false;
}

// Classifies a .kconfig variable's type the way its value will be written.
Result<void> classify_kconfig(const btf::Spec& b, ExternSpec& e, const ParseContext& ctx) {
  BPFXX_TRY_ASSIGN(btf::TypeId tid, b.resolve(e.type));
  BPFXX_TRY_ASSIGN(btf::Type t, b.type(tid));
  auto unsupported = [&] {
    return ctx.error(fmt::format("extern '{}' in .kconfig has type '{}'; .kconfig externs must be bool, "
                                 "char, an integer, enum libbpf_tristate or a char array",
                                 e.name, b.c_name(e.type)));
  };
  switch (t.kind()) {
    case Kind::Int: {
      btf::IntInfo ii = t.int_info();
      e.size = t.size();
      if (ii.encoding & btf::kIntBool) {
        e.kconfig_type = KconfigType::Bool;
      } else if (t.size() == 1 && (ii.encoding & btf::kIntChar)) {
        e.kconfig_type = KconfigType::Char;
      } else if (t.size() == 1 || t.size() == 2 || t.size() == 4 || t.size() == 8) {
        e.kconfig_type = KconfigType::Int;
        e.is_signed = (ii.encoding & btf::kIntSigned) != 0;
      } else {
        return unsupported();
      }
      return {};
    }
    case Kind::Enum:
      if (t.name() != "libbpf_tristate") return unsupported();
      e.kconfig_type = KconfigType::Tristate;
      e.size = t.size();
      return {};
    case Kind::Array: {
      btf::ArrayInfo a = t.array();
      BPFXX_TRY_ASSIGN(btf::TypeId elem_id, b.resolve(a.elem_type));
      BPFXX_TRY_ASSIGN(btf::Type elem, b.type(elem_id));
      if (elem.kind() != Kind::Int || elem.size() != 1 || a.nelems == 0) return unsupported();
      e.kconfig_type = KconfigType::CharArray;
      e.size = a.nelems;
      return {};
    }
    default:
      return unsupported();
  }
}

uint32_t kconfig_align(const ExternSpec& e) {
  switch (e.kconfig_type) {
    case KconfigType::CharArray:
    case KconfigType::Char:
    case KconfigType::Bool: return 1;
    default: return std::min<uint32_t>(e.size, 8);
  }
}

}  // namespace

Result<void> parse_externs(ParseContext& ctx) {
  if (ctx.btf == nullptr) return {};
  btf::Spec& b = *ctx.btf;
  std::vector<ExternSpec> kconfig;
  for (const auto& [sec_name, sec_id, sec_index] : ctx.datasecs) {
    bool is_kconfig = sec_name == kKconfigSection, is_ksyms = sec_name == kKsymsSection;
    btf::Type sec = b.type_unchecked(sec_id);
    for (uint32_t i = 0; i < sec.vlen(); ++i) {
      btf::VarSecinfo vs = sec.secinfo(i);
      BPFXX_TRY_ASSIGN(btf::Type t, b.type(vs.type));
      bool extern_var = t.kind() == Kind::Var && t.var_linkage() == btf::VarLinkage::GlobalExtern;
      bool extern_func = t.kind() == Kind::Func && t.func_linkage() == btf::FuncLinkage::Extern;
      if (!extern_var && !extern_func) continue;
      if (!is_kconfig && !is_ksyms) {
        return Error(Errc::NotSupported, fmt::format("not supported yet: extern '{}' in section '{}' (externs "
                                                     "must be __kconfig or __ksym)",
                                                     t.name(), sec_name))
            .with_op("parse object")
            .with_object(ctx.spec->name);
      }
      ExternSpec e;
      e.name = std::string(t.name());
      e.btf_id = vs.type;
      e.is_weak = is_weak_symbol(ctx, t.name());
      if (extern_func) {
        if (!is_ksyms) return ctx.error(fmt::format("extern function '{}' must be declared __ksym", e.name));
        e.kind = ExternKind::Kfunc;
        e.is_function = true;
        e.type = t.ref();
      } else if (is_ksyms) {
        e.kind = ExternKind::Ksym;
        BPFXX_TRY_ASSIGN(e.type, b.skip_modifiers(t.ref()));
        if (e.type != 0) {
          auto size = b.size_of(e.type);
          e.size = size ? *size : 0;
        }
      } else {
        e.kind = ExternKind::Kconfig;
        e.type = t.ref();
        BPFXX_TRY(classify_kconfig(b, e, ctx));
        kconfig.push_back(e);
        continue;
      }
      ctx.spec->externs.push_back(std::move(e));
    }
  }
  if (kconfig.empty()) return {};

  // Lay the .kconfig values out largest alignment first, then by name: no
  // padding for the usual mix, and the same layout on every machine.
  std::stable_sort(kconfig.begin(), kconfig.end(), [](const ExternSpec& a, const ExternSpec& c) {
    uint32_t aa = kconfig_align(a), ca = kconfig_align(c);
    return aa != ca ? aa > ca : a.name < c.name;
  });
  uint32_t off = 0;
  for (ExternSpec& e : kconfig) {
    uint32_t align = kconfig_align(e);
    off = (off + align - 1) / align * align;
    e.offset = off;
    off += e.size;
  }
  MapSpec m;
  m.name = std::string(kKconfigSection);
  m.section = m.name;
  m.origin = MapOrigin::Data;
  m.type = MapType::Array;
  m.key_size = 4;
  m.value_size = std::max<uint32_t>(off, 1);
  m.max_entries = 1;
  m.read_only = true;
  m.flags = kMapFlagMmapable | kMapFlagRdonlyProg;
  for (const ExternSpec& e : kconfig) {
    m.variables.push_back({e.name, e.offset, e.size, e.type, true});
  }
  if (auto ds = ctx.datasec(kKconfigSection)) m.value_type = *ds;
  ctx.spec->maps.push_back(std::move(m));
  for (ExternSpec& e : kconfig) ctx.spec->externs.push_back(std::move(e));
  return {};
}

const ExternSpec* ParseContext::extern_named(std::string_view name) const {
  for (const ExternSpec& e : spec->externs) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace bpfxx::spec
