#include <bpfxx/codegen/c_header.hpp>

#include "codegen/c_writer.hpp"

namespace bpfxx::codegen {

namespace detail {

// ~24 bytes of header per type id is what vmlinux takes (3 MB for 127k
// ids); reserving that avoids regrowing a multi-megabyte buffer.
HeaderWriter::HeaderWriter(const btf::Spec& spec, const CHeaderOptions& options)
    : spec_(spec),
      options_(options),
      out_(options.roots ? 64 * 1024 : size_t{spec.type_count()} * 24),
      // vmlinux: ~1 tag per 11 ids, ~1 enumerator or typedef per 6.
      names_(options.roots ? 1024 : spec.type_count() / 11, options.roots ? 1024 : spec.type_count() / 6),
      layout_(spec),
      flags_(spec.type_count(), 0),
      name_index_(spec.type_count(), 0) {
  name_list_.reserve(options.roots ? 1024 : spec.type_count() / 6);
  name_list_.emplace_back();  // index 0: "not named yet"
  queue_.reserve(options.roots ? 1024 : spec.type_count() / 4);
  ops_.reserve(64);
  quals_.reserve(64);
}

void HeaderWriter::fail(std::string message) {
  if (!failure_) failure_ = std::move(message);
}

Result<std::string> HeaderWriter::run() && {
  if (options_.functions != FunctionDecls::None) find_kfuncs();
  order_roots();
  write_prologue();
  for (btf::TypeId id : queue_) {
    if (failure_) break;
    emit(id, id, 0);
  }
  write_functions();
  write_epilogue();
  if (!failure_ && layout_.failure()) failure_ = *layout_.failure();
  if (failure_) return Error(Errc::InvalidInput, *failure_).with_op("write C header");
  return std::move(out_).take();
}

}  // namespace detail

Result<std::string> write_c_header(const btf::Spec& btf, const CHeaderOptions& options) {
  return detail::HeaderWriter(btf, options).run();
}

}  // namespace bpfxx::codegen
