// Verifier-log reading: the failing instruction found is one the log names,
// and Error's summary/describe accept any log text.
#include <bpfxx/error.hpp>

#include "fuzz_assert.hpp"
#include "load/verifier_log.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string log(reinterpret_cast<const char*>(data), size);
  auto insn = bpfxx::detail::failing_insn(log);
  if (insn) FUZZ_CHECK(log.find(std::to_string(*insn) + ": (") != std::string::npos);
  bpfxx::Error e = bpfxx::Error(bpfxx::Errc::VerifierRejected, "rejected").with_verifier_log(log);
  (void)e.summary();
  (void)e.describe();
  return 0;
}
