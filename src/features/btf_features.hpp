// Which BTF kinds the running kernel accepts, probed once per process by
// loading a tiny BTF blob for each (BPF_BTF_LOAD). Only conclusive answers
// are cached: a probe that fails for another reason (no permission) says
// "supported", so bpfxx never rewrites BTF on a guess and the real load
// reports the real error.
//
// Thread safety: safe from any thread.
#pragma once

#include <bpfxx/result.hpp>

namespace bpfxx::features {

struct BtfFeatures {
  bool func_global = true;  // FUNC with global linkage (5.6)
  bool datasec = true;      // VAR and DATASEC (5.2)
  bool float_kind = true;   // FLOAT (5.13)
  bool decl_tag = true;     // DECL_TAG (5.16)
  bool type_tag = true;     // TYPE_TAG (5.17)
  bool enum64 = true;       // ENUM64 (6.0)
  bool all() const noexcept {
    return func_global && datasec && float_kind && decl_tag && type_tag && enum64;
  }
};

const BtfFeatures& kernel_btf_features();

}  // namespace bpfxx::features
