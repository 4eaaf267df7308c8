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

// Output to stdout or, through a temporary file renamed at the end, to a
// file: a build that stops half-way never leaves a truncated header behind.
class Output {
 public:
  explicit Output(std::string path) : path_(std::move(path)) {
    if (path_.empty()) {
      file_ = stdout;
    } else {
      file_ = std::fopen((path_ + ".tmp").c_str(), "wb");
      if (file_ == nullptr) std::fprintf(stderr, "bpfxx: cannot write '%s.tmp'\n", path_.c_str());
    }
  }
  bool ok() const { return file_ != nullptr; }
  void write(std::string_view text) {
    if (file_ != nullptr && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) failed_ = true;
  }
  // Completes the output; false (with the reason printed) if it failed.
  bool finish(bool complete) {
    if (path_.empty()) return std::fflush(stdout) == 0 && !failed_;
    bool ok = std::fclose(file_) == 0 && !failed_ && complete;
    std::error_code ec;
    if (ok) std::filesystem::rename(path_ + ".tmp", path_, ec);
    if (!ok || ec) {
      std::filesystem::remove(path_ + ".tmp", ec);
      if (complete) std::fprintf(stderr, "bpfxx: cannot write '%s'\n", path_.c_str());
      return false;
    }
    return true;
  }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
};

}  // namespace

int run_btf_dump(const BtfDumpArgs& args) {
  std::shared_ptr<const btf::Spec> base;
  if (!args.base.empty()) {
    base = open_btf(args.base);
    if (!base) return kExitUsage;
  }
  std::shared_ptr<const btf::Spec> spec = open_btf(args.file, base);
  if (!spec) return kExitUsage;

  codegen::CHeaderOptions options;
  if (args.format == "c") {
    options.functions = args.functions == "all"      ? codegen::FunctionDecls::All
                        : args.functions == "kfuncs" ? codegen::FunctionDecls::Kfuncs
                                                     : codegen::FunctionDecls::None;
    options.preserve_access_index = !args.no_preserve_access_index;
    if (!args.filter_object.empty()) {
      std::shared_ptr<const btf::Spec> object = open_btf(args.filter_object);
      if (!object) return kExitUsage;
      options.roots = codegen::object_type_roots(*object, *spec, options.functions != codegen::FunctionDecls::None);
    }
  }
  Output out(args.output);
  if (!out.ok()) return kExitFailed;
  if (args.format == "raw") {
    out.write(raw_dump(*spec));
    return out.finish(true) ? kExitOk : kExitFailed;
  }
  // Streamed: vmlinux.h is ~3 MB that need not sit in memory at once.
  auto written = codegen::write_c_header(*spec, options, [&](std::string_view piece) { out.write(piece); });
  if (!written) {
    out.finish(false);
    std::fprintf(stderr, "bpfxx: cannot write a C header for '%s':\n%s", args.file.c_str(),
                 written.error().describe().c_str());
    return kExitFailed;
  }
  return out.finish(true) ? kExitOk : kExitFailed;
}

}  // namespace bpfxx::cli
