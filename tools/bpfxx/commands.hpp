// The `bpfxx` subcommands and their arguments, as main.cpp hands them over.
//
// Files of the tool, one job each:
//   main.cpp          flags (CLI11), dispatch, exit codes, last-resort catch
//   obj_show.cpp      `obj show`: parse the object, pick a renderer
//   obj_load.cpp      `obj load`: load once per program, collect a LoadReport
//   obj_check.cpp     `obj check`: CO-RE portability against a BTF, no kernel
//   btf_dump.cpp      `btf dump`: a C header (vmlinux.h) or a raw listing of BTF
//   open_btf.cpp      read raw BTF or an ELF file's .BTF for `btf dump`
//   open_object.cpp   parse the FILE argument, print why it cannot be used
//   scratch_pins.cpp  a throw-away bpffs directory for maps pinned by name
//   spec_fields.cpp   spec fields spelled for people (shared by both outputs)
//   map_flags.cpp     BPF_F_* map flag names
//   table.cpp         aligned text tables
//   text_output.cpp   text rendering of `obj show` and `obj load`
//   json_output.cpp   JSON rendering of `obj show` and `obj load`
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bpfxx::cli {

// Exit statuses: 0 everything worked, 1 something failed to load, 2 the
// command line was wrong or the file could not be read or parsed.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

struct ShowArgs {
  std::string file;
  bool json = false;
};

struct LoadArgs {
  std::string file;
  bool json = false;
  uint32_t log_level = 0;
  std::vector<std::string> programs;  // empty: every autoload program
};

struct BtfDumpArgs {
  std::string file;
  std::string format = "c";          // "c" or "raw"
  std::string filter_object;         // only the types this object's BTF names
  std::string base;                  // base BTF when `file` is split BTF
  std::string functions = "none";    // "none", "kfuncs" or "all"
  bool no_preserve_access_index = false;
  std::string output;                // empty: stdout
};

struct CheckArgs {
  std::string file;
  std::string btf;  // empty: /sys/kernel/btf/vmlinux
  bool json = false;
};

int run_obj_show(const ShowArgs& args);
int run_obj_check(const CheckArgs& args);
int run_obj_load(const LoadArgs& args);
int run_btf_dump(const BtfDumpArgs& args);

}  // namespace bpfxx::cli
