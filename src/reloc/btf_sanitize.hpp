// Rewrites an object's BTF for a kernel that lacks some BTF kinds, keeping
// type ids (records are replaced in place) so func_info, map type ids and
// CO-RE records stay valid. What each kind becomes:
//   DECL_TAG -> an anonymous 1-byte INT (nothing refers to tags)
//   TYPE_TAG -> CONST of the same type (a modifier the kernel ignores)
//   ENUM64   -> a UNION of the same size with no members
//   FLOAT    -> a STRUCT of the same size with no members
//   FUNC (global) -> FUNC (static)
//   VAR -> anonymous 1-byte INT; DATASEC -> a STRUCT of the same size
#pragma once

#include <bpfxx/btf/spec.hpp>
#include <bpfxx/result.hpp>

#include "features/btf_features.hpp"

namespace bpfxx::reloc {

// Returns nullopt when the kernel accepts everything the spec uses.
Result<std::optional<btf::Spec>> sanitize_btf(const btf::Spec& spec, const features::BtfFeatures& kernel);

}  // namespace bpfxx::reloc
