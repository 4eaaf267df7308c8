#include "features/btf_features.hpp"

#include <bpfxx/btf/builder.hpp>

#include "sys/bpf.hpp"

#include <mutex>

namespace bpfxx::features {

namespace {

enum class Answer { Yes, No, Unknown };

// Loads a BTF built by `make`; EINVAL means the kernel does not know
// something in it.
template <typename Make>
Answer try_btf(Make make) {
  btf::Builder b;
  make(b);
  auto spec = std::move(b).finish();
  if (!spec) return Answer::Unknown;
  std::vector<std::byte> bytes = spec->encode();
  sys::BtfLoadAttr a;
  a.btf = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(bytes.data()));
  a.btf_size = static_cast<uint32_t>(bytes.size());
  auto fd = sys::btf_load(a);
  if (fd) return Answer::Yes;
  return fd.error().sys_errno() == EINVAL ? Answer::No : Answer::Unknown;
}

BtfFeatures probe_all() {
  BtfFeatures f;
  auto yes = [](Answer a) { return a != Answer::No; };  // unknown: assume present
  f.func_global = yes(try_btf([](btf::Builder& b) {
    auto i = b.add_int("int", 4, btf::kIntSigned);
    b.add_func("f", b.add_func_proto(i, {{"x", i}}), btf::FuncLinkage::Global);
  }));
  f.datasec = yes(try_btf([](btf::Builder& b) {
    auto i = b.add_int("int", 4, btf::kIntSigned);
    auto v = b.add_var("v", i, btf::VarLinkage::GlobalAllocated);
    b.add_datasec(".data", 4, {{v, 0, 4}});
  }));
  f.float_kind = yes(try_btf([](btf::Builder& b) { b.add_float("float", 4); }));
  f.decl_tag = yes(try_btf([](btf::Builder& b) {
    auto i = b.add_int("int", 4, btf::kIntSigned);
    auto s = b.add_struct("s", 4, {{"x", i, 0}});
    b.add_decl_tag("tag", s, -1);
  }));
  f.type_tag = yes(try_btf([](btf::Builder& b) {
    auto i = b.add_int("int", 4, btf::kIntSigned);
    b.add_ptr(b.add_type_tag("tag", i));
  }));
  f.enum64 = yes(try_btf([](btf::Builder& b) { b.add_enum64("e", 8, {{"A", int64_t{1} << 40}}); }));
  return f;
}

}  // namespace

const BtfFeatures& kernel_btf_features() {
  static std::once_flag once;
  static BtfFeatures features;
  std::call_once(once, [] { features = probe_all(); });
  return features;
}

}  // namespace bpfxx::features
