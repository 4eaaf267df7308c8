// HeaderWriter: one run of the C header generator over one BTF.
//
// One depth-first pass over type ids, after the order libbpf's btf_dump made
// familiar: ordering a type (c_order.cpp) first orders what it embeds by
// value, then writes its definition at once (c_emit.cpp), preceded by what
// it needs declared: forward declarations of pointed-to structs, typedefs
// and named enums in first use. Types reached only through pointers are not
// pulled in. Writing each definition right after ordering it finds its
// members still in cache: a separate emit pass over a queue was ~20 %
// slower on vmlinux.
//
// The C spelling of declarations, struct bodies and enums is c_decl.cpp's,
// with member declarations cached per type in c_member_decl.cpp; layouts
// come from LayoutModel (c_layout.hpp), names from NameTable (c_names.hpp).
// Per-id state lives in flat vectors indexed by type id; no pass looks a
// type up by name.
//
// Thread safety: one owner, one run.
#pragma once

#include <bpfxx/codegen/c_header.hpp>

#include "codegen/c_layout.hpp"
#include "codegen/c_names.hpp"
#include "codegen/sink.hpp"
#include "codegen/zeroed_array.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bpfxx::codegen::detail {

class HeaderWriter {
 public:
  // With a consumer the header streams to it and run() returns "".
  HeaderWriter(const btf::Spec& spec, const CHeaderOptions& options, Sink::Consumer consumer);
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
    uint32_t nelems;              // of an array
  };

  // c_order.cpp
  void scan_kinds();
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
  void write_base(const btf::Type& t, int indent);
  void write_qual(btf::TypeId modifier);
  bool repeated_qual(size_t lo, size_t at) const;
  void write_params(btf::TypeId proto, int indent);
  void write_composite(const btf::Type& t, int indent);
  void write_enum(const btf::Type& t, int indent);
  void take_back(size_t at, size_t enums_at);
  std::string_view name_of(btf::TypeId id);

  // c_member_decl.cpp
  void write_member_decl(btf::TypeId type, std::string_view name, int indent);
  uint32_t render_member_decl(btf::TypeId type);
  bool writes_no_body(btf::TypeId type, int depth);

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
  ZeroedArray<uint16_t> flags_;
  ZeroedArray<uint32_t> name_index_;       // per id, into name_list_; 0: not named yet
  std::vector<std::string_view> name_list_;
  std::vector<btf::TypeId> lone_enums_;    // anonymous enums no type used when ordered
  std::vector<btf::TypeId> functions_;     // FUNCs to declare
  std::vector<Op> ops_;                    // declarator stack
  std::vector<btf::TypeId> quals_;         // modifier ids for ops_ and bases
  std::vector<std::pair<btf::EnumValue, uint64_t>> enum_scratch_;  // write_enum's enumerators and name hashes
  // Anonymous enums written inline: which, in order, with the index of their
  // first enumerator's name in enum_names_; those whose text was taken back.
  std::vector<std::pair<btf::TypeId, uint32_t>> enum_log_;
  std::vector<std::string_view> enum_names_;
  std::unordered_map<btf::TypeId, uint32_t> taken_back_;
  // Member declarations by type, written once and copied after: ~70k
  // members of vmlinux share ~10k types. Per id: 0 not yet rendered,
  // kNoDeclText when the type writes an anonymous body inline (enumerators
  // must be named once per body), else 1 + an index into decl_texts_.
  struct DeclText {
    uint32_t at;          // in decl_arena_
    uint32_t before_name;
    uint32_t after_name;
  };
  static constexpr uint32_t kNoDeclText = UINT32_MAX;
  ZeroedArray<uint32_t> decl_text_;
  std::vector<DeclText> decl_texts_;
  std::string decl_arena_;
  Sink scratch_{4096};
  static constexpr size_t kNoName = SIZE_MAX;
  size_t name_at_ = kNoName;  // where write_declarator put the first name since reset

  void wrote_a_record() {
    if (!wrote_record_) out_.release();
    wrote_record_ = true;
  }

  bool has_type_tags_ = false;
  bool wrote_record_ = false;  // a struct or union, for the pragma to apply to
  size_t pragma_at_ = 0;
  std::optional<std::string> failure_;
};

}  // namespace bpfxx::codegen::detail
