// `bpfxx obj show FILE [--json]`: what an object holds, from parsing alone
// (no syscalls, so no root).
#include "commands.hpp"
#include "open_object.hpp"
#include "output.hpp"

#include <cstdio>

namespace bpfxx::cli {

int run_obj_show(const ShowArgs& args) {
  auto spec = open_object(args.file, args.json);
  if (!spec) return kExitUsage;
  std::string out = args.json ? show_json(*spec) : show_text(*spec);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace bpfxx::cli
