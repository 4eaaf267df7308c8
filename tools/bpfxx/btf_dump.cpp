// `bpfxx btf dump FILE [--format c|raw] [--filter-object OBJ] [--base BASE]
// [--functions none|kfuncs|all] [-o OUT]`: a vmlinux.h-style C header, or one
// line per type (and one per member) as bpftool's raw dump prints them.
#include "commands.hpp"
#include "open_btf.hpp"

#include <bpfxx/codegen/c_header.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace bpfxx::cli {

namespace {

std::string raw_dump(const btf::Spec& spec) {
  std::string out;
  out.reserve(size_t{spec.type_count()} * 48);
  for (btf::TypeId id = spec.first_id(); id < spec.type_count(); ++id) {
    out += spec.describe(id);
    out += '\n';
    btf::Type t = spec.type_unchecked(id);
    switch (t.kind()) {
      case btf::Kind::Struct:
      case btf::Kind::Union:
        for (uint32_t i = 0; i < t.vlen(); ++i) {
          btf::Member m = t.member(i);
          fmt::format_to(std::back_inserter(out), "\t'{}' type_id={} bits_offset={}", m.name, m.type, m.bit_offset);
          if (m.bitfield_size != 0) fmt::format_to(std::back_inserter(out), " bitfield_size={}", m.bitfield_size);
          out += '\n';
        }
        break;
      case btf::Kind::Enum:
      case btf::Kind::Enum64:
        for (uint32_t i = 0; i < t.vlen(); ++i) {
          btf::EnumValue v = t.enumerator(i);
          if (t.enum_signed()) {
            fmt::format_to(std::back_inserter(out), "\t'{}' val={}\n", v.name, v.value);
          } else {
            fmt::format_to(std::back_inserter(out), "\t'{}' val={}\n", v.name, static_cast<uint64_t>(v.value));
          }
        }
        break;
      case btf::Kind::FuncProto:
        for (uint32_t i = 0; i < t.vlen(); ++i) {
          btf::Param p = t.param(i);
          fmt::format_to(std::back_inserter(out), "\t'{}' type_id={}\n", p.name, p.type);
        }
        break;
      case btf::Kind::Datasec:
        for (uint32_t i = 0; i < t.vlen(); ++i) {
          btf::VarSecinfo v = t.secinfo(i);
          fmt::format_to(std::back_inserter(out), "\ttype_id={} offset={} size={}\n", v.type, v.offset, v.size);
        }
        break;
      default: break;
    }
  }
  return out;
}

// Writes `text` to `path` through a temporary file, so a build that stops
// half-way never leaves a truncated header behind.
bool write_file(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  bool ok = f != nullptr && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (f != nullptr) ok = std::fclose(f) == 0 && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, path, ec);
  if (!ok || ec) {
    std::fprintf(stderr, "bpfxx: cannot write '%s'\n", path.c_str());
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

}  // namespace

int run_btf_dump(const BtfDumpArgs& args) {
  std::shared_ptr<const btf::Spec> base;
  if (!args.base.empty()) {
    base = open_btf(args.base);
    if (!base) return kExitUsage;
  }
  std::shared_ptr<const btf::Spec> spec = open_btf(args.file, base);
  if (!spec) return kExitUsage;

  std::string text;
  if (args.format == "raw") {
    text = raw_dump(*spec);
  } else {
    codegen::CHeaderOptions options;
    options.functions = args.functions == "all"      ? codegen::FunctionDecls::All
                        : args.functions == "kfuncs" ? codegen::FunctionDecls::Kfuncs
                                                     : codegen::FunctionDecls::None;
    options.preserve_access_index = !args.no_preserve_access_index;
    if (!args.filter_object.empty()) {
      std::shared_ptr<const btf::Spec> object = open_btf(args.filter_object);
      if (!object) return kExitUsage;
      options.roots = codegen::object_type_roots(*object, *spec, options.functions != codegen::FunctionDecls::None);
    }
    auto header = codegen::write_c_header(*spec, options);
    if (!header) {
      std::fprintf(stderr, "bpfxx: cannot write a C header for '%s':\n%s", args.file.c_str(),
                   header.error().describe().c_str());
      return kExitFailed;
    }
    text = std::move(*header);
  }
  if (!args.output.empty()) return write_file(args.output, text) ? kExitOk : kExitFailed;
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

}  // namespace bpfxx::cli
