// HeaderWriter: one run of the C header generator over one BTF.
//
// Two passes over type ids, after the ones libbpf's btf_dump made familiar:
//   order  (c_order.cpp)  lists the types needing a top-level definition so
//          that whatever a type embeds by value comes first; types reached
//          only through pointers are not pulled in;
//   emit   (c_emit.cpp)   writes each listed definition after what it needs
//          to be declared: forward declarations for pointed-to structs,
//          typedefs and named enums as soon as they are used;
// and the C spelling of declarations, struct bodies and enums (c_decl.cpp).
// Per-id state lives in flat vectors indexed by type id; no pass looks a
// type up by name.
//
// Thread safety: one owner, one run.
#pragma once

#include <bpfxx/codegen/c_header.hpp>

#include "codegen/c_layout.hpp"
#include "codegen/c_names.hpp"
#include "codegen/sink.hpp"

#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

namespace bpfxx::codegen::detail {

class HeaderWriter {
 public:
  HeaderWriter(const btf::Spec& spec, const CHeaderOptions& options);
  Result<std::string> run() &&;

 private:
  // Per-id flags.
  enum : uint16_t {
    kOrderBusy = 1 << 0,  // being ordered (a cycle if met again by value)
    kOrdered = 1 << 1,
    kEmitting = 1 << 2,
    kEmitted = 1 << 3,
    kFwdDone = 1 << 4,     // a forward declaration was written
    kReferenced = 1 << 5,  // a type ordered so far refers to it (anonymous ones go inline)
    kKfunc = 1 << 6,       // a FUNC tagged "bpf_kfunc"
    kNameKnown = 1 << 7,   // kAnonymous is set (names cost a string scan)
    kAnonymous = 1 << 8,
  };
  // One step of a declarator, outermost first.
  struct Op {
    enum Kind : uint8_t { Ptr, Array, Func } kind;
    btf::TypeId id;
    uint32_t quals_lo, quals_hi;  // qualifiers of a pointer, in quals_
  };

  // c_order.cpp
  void find_kfuncs();
  void order_roots();
  bool order(btf::TypeId id, bool through_ptr, int depth);
  bool order_ref(btf::TypeId target, bool through_ptr, int depth) {
    if (target < flags_.size()) flags_[target] |= kReferenced;
    return order(target, through_ptr, depth);
  }

  // c_emit.cpp
  void write_prologue();
  void write_epilogue();
  void emit(btf::TypeId id, btf::TypeId container, int depth);
  void write_forward(btf::TypeId id);
  bool is_declared(btf::TypeId id) const;
  void settle_if_declared(btf::TypeId id, btf::TypeId target);
  void write_functions();

  // c_decl.cpp
  void write_decl(btf::TypeId type, std::string_view name, int indent);
  void write_declarator(size_t lo, size_t hi, std::string_view name, int indent);
  void write_base(btf::TypeId base, int indent);
  void write_qual(btf::TypeId modifier);
  bool repeated_qual(size_t lo, size_t at) const;
  void write_params(btf::TypeId proto, int indent);
  void write_composite(btf::TypeId id, int indent);
  void write_enum(btf::TypeId id, int indent);
  std::string_view name_of(btf::TypeId id);

  bool anonymous(const btf::Type& t) {
    uint16_t& f = flags_[t.id()];
    if ((f & kNameKnown) == 0) f |= t.name().empty() ? (kNameKnown | kAnonymous) : kNameKnown;
    return (f & kAnonymous) != 0;
  }
  void fail(std::string message);

  const btf::Spec& spec_;
  const CHeaderOptions& options_;
  Sink out_;
  NameTable names_;
  LayoutModel layout_;
  std::vector<uint16_t> flags_;
  std::vector<uint32_t> name_index_;        // per id, into name_list_; 0: not named yet
  std::vector<std::string_view> name_list_;
  std::vector<btf::TypeId> queue_;         // top-level definitions, in order
  std::vector<btf::TypeId> functions_;     // FUNCs to declare
  std::vector<Op> ops_;                    // declarator stack
  std::vector<btf::TypeId> quals_;         // modifier ids for ops_ and bases
  std::vector<std::pair<btf::EnumValue, uint64_t>> enum_scratch_;  // write_enum's enumerators and name hashes
  bool has_type_tags_ = false;
  bool wrote_record_ = false;  // a struct or union, for the pragma to apply to
  size_t pragma_at_ = 0;
  std::optional<std::string> failure_;
};

}  // namespace bpfxx::codegen::detail
