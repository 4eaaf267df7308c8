#include <bpfxx/codegen/c_header.hpp>

#include "codegen/c_writer.hpp"

namespace bpfxx::codegen {

namespace detail {

// ~24 bytes of header per type id is what vmlinux takes (3 MB for 127k
// ids); reserving that avoids regrowing a multi-megabyte buffer.
HeaderWriter::HeaderWriter(const btf::Spec& spec, const CHeaderOptions& options, Sink::Consumer consumer)
    : spec_(spec),
      options_(options),
      out_(consumer ? Sink(std::move(consumer)) : Sink(options.roots ? 64 * 1024 : size_t{spec.type_count()} * 24)),
      // vmlinux: ~1 tag per 11 ids, ~1 enumerator or typedef per 6.
      names_(options.roots ? 1024 : spec.type_count() / 11, options.roots ? 1024 : spec.type_count() / 6),
      layout_(spec),
      flags_(spec.type_count()),
      name_index_(spec.type_count()),
      decl_text_(spec.type_count()) {
  name_list_.reserve(options.roots ? 1024 : spec.type_count() / 6);
  name_list_.emplace_back();  // index 0: "not named yet"
  // vmlinux: ~15k distinct member types, ~25 bytes of declaration each.
  decl_texts_.reserve(options.roots ? 1024 : spec.type_count() / 8);
  decl_arena_.reserve(options.roots ? 16 * 1024 : size_t{spec.type_count()} * 4);
  ops_.reserve(64);
  quals_.reserve(64);
}

void HeaderWriter::fail(std::string message) {
  if (!failure_) failure_ = std::move(message);
}

Result<std::string> HeaderWriter::run() && {
  scan_kinds();
  write_prologue();
  order_roots();
  // Anonymous enums that turned out to be used are written inline there.
  for (btf::TypeId id : lone_enums_) {
    if (failure_) break;
    if ((flags_[id] & kReferenced) == 0) emit(id, id, 0);
  }
  write_functions();
  write_epilogue();
  if (!failure_ && layout_.failure()) failure_ = *layout_.failure();
  if (failure_) return Error(Errc::InvalidInput, *failure_).with_op("write C header");
  return std::move(out_).take();
}

}  // namespace detail

Result<std::string> write_c_header(const btf::Spec& btf, const CHeaderOptions& options) {
  return detail::HeaderWriter(btf, options, nullptr).run();
}

Result<void> write_c_header(const btf::Spec& btf, const CHeaderOptions& options,
                            const std::function<void(std::string_view)>& write) {
  BPFXX_TRY(detail::HeaderWriter(btf, options, write).run());
  return {};
}

}  // namespace bpfxx::codegen
