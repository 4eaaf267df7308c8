// Helpers shared by the kernel tests: load a test object with target_pid set
// to this process, and read a global variable back from its data map.
#pragma once

#include <bpfxx/object.hpp>

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <unistd.h>

namespace bpfxx::test {

inline ObjectSpec open_spec(const std::string& name) {
  auto spec = ObjectSpec::open(bpf_object(name));
  if (!spec) ADD_FAILURE() << spec.error().describe();
  return spec ? std::move(*spec) : ObjectSpec{};
}

// Opens tests/bpf/<name>.bpf.c's object and sets its target_pid to ours.
inline ObjectSpec spec_for_this_process(const std::string& name) {
  ObjectSpec spec = open_spec(name);
  uint32_t pid = static_cast<uint32_t>(::getpid());
  auto r = spec.set_variable("target_pid", pid);
  if (!r) ADD_FAILURE() << r.error().describe();
  return spec;
}

// Reads a global variable of type T from the loaded object's data map.
template <typename T>
T read_global(Object& obj, const ObjectSpec& spec, const std::string& var) {
  for (const MapSpec& ms : spec.maps) {
    const VariableSpec* v = ms.variable(var);
    if (v == nullptr) continue;
    Map* m = obj.map(ms.name);
    const uint32_t key = 0;
    auto value = m->lookup(std::as_bytes(std::span<const uint32_t, 1>(&key, 1)));
    T out{};
    if (!value) {
      ADD_FAILURE() << value.error().describe();
      return out;
    }
    std::memcpy(&out, value->data() + v->offset, sizeof(T));
    return out;
  }
  ADD_FAILURE() << "no variable " << var;
  return T{};
}

}  // namespace bpfxx::test
