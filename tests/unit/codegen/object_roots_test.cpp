// codegen::object_type_roots: an object's BTF names matched into a target
// BTF by name and kind class, with CO-RE flavors stripped.
#include <bpfxx/btf/builder.hpp>
#include <bpfxx/codegen/c_header.hpp>

#include <gtest/gtest.h>

namespace bpfxx::codegen {
namespace {

using btf::Builder;
using btf::kIntSigned;
using btf::TypeId;

TEST(ObjectTypeRoots, MatchesNamesAndKindsWithFlavorsStripped) {
  Builder kernel;
  TypeId i = kernel.add_int("int", 4, kIntSigned);
  TypeId task = kernel.add_struct("task_struct", 4, {{"pid", i, 0}});
  TypeId mm = kernel.add_struct("mm_struct", 4, {{"users", i, 0}});
  TypeId state = kernel.add_enum("task_state", 4, {{"RUNNING", 0}});
  TypeId pid_t_id = kernel.add_typedef("pid_t", i);
  TypeId u32 = kernel.add_typedef("__u32", kernel.add_int("unsigned int", 4, 0));
  kernel.add_union("task_struct", 4, {{"x", i, 0}});  // same name, other kind: not wanted
  kernel.add_struct("unused", 4, {{"y", i, 0}});
  TypeId kfunc = kernel.add_func("bpf_task_acquire", kernel.add_func_proto(i, {}));
  auto target = std::move(kernel).finish().value();

  Builder obj;
  TypeId oi = obj.add_int("int", 4, kIntSigned);
  obj.add_struct("task_struct___v2", 4, {{"pid", oi, 0}});  // a CO-RE flavor
  obj.add_fwd("mm_struct");                                 // a forward declaration stands for it
  obj.add_enum64("task_state", 8, {{"RUNNING", 0}});        // ENUM64 matches ENUM
  obj.add_typedef("pid_t", oi);
  obj.add_struct("my_event", 4, {{"pid", oi, 0}});          // the object's own: not in the kernel
  obj.add_func("bpf_task_acquire", obj.add_func_proto(oi, {}), btf::FuncLinkage::Extern);
  obj.add_func("my_prog", obj.add_func_proto(oi, {}), btf::FuncLinkage::Global);
  auto object = std::move(obj).finish().value();

  EXPECT_EQ(object_type_roots(object, target), (std::vector<TypeId>{task, mm, state, pid_t_id, u32}));
  EXPECT_EQ(object_type_roots(object, target, /*include_functions=*/true),
            (std::vector<TypeId>{task, mm, state, pid_t_id, u32, kfunc}));
}

TEST(ObjectTypeRoots, HelperTypedefsAreAlwaysRoots) {
  Builder kernel;
  TypeId u64 = kernel.add_typedef("__u64", kernel.add_int("long long unsigned int", 8, 0));
  auto target = std::move(kernel).finish().value();
  Builder obj;
  obj.add_int("int", 4, kIntSigned);
  auto object = std::move(obj).finish().value();
  EXPECT_EQ(object_type_roots(object, target), std::vector<TypeId>{u64});
}

}  // namespace
}  // namespace bpfxx::codegen
