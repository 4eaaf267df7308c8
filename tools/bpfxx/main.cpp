// bpfxx: the command-line tool. Parses flags and hands over to a command;
// see commands.hpp for the files and exit statuses.
#include "commands.hpp"

#include <bpfxx/error.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#ifndef PROJECT_VERSION
#error "PROJECT_VERSION must be defined by the build"
#endif

namespace {

using bpfxx::cli::kExitUsage;

int run(int argc, char** argv) {
  CLI::App app{"bpfxx: inspect and load BPF object files, dump BTF (a C++ reimplementation of libbpf)", "bpfxx"};
  app.set_version_flag("--version", "bpfxx " PROJECT_VERSION);
  app.require_subcommand(1);
  app.footer("Exit status: 0 success, 1 something failed to load, 2 usage error or an object that cannot be read.");

  CLI::App* obj = app.add_subcommand("obj", "Work with BPF ELF object files");
  obj->require_subcommand(1);

  bpfxx::cli::ShowArgs show;
  CLI::App* show_cmd = obj->add_subcommand(
      "show", "List an object's programs, maps, global variables and relocations (parsing only: no root needed)");
  show_cmd->add_option("FILE", show.file, "BPF object file (clang -target bpf)")->required();
  show_cmd->add_flag("--json", show.json, "Print one JSON document instead of tables");

  bpfxx::cli::LoadArgs load;
  CLI::App* load_cmd = obj->add_subcommand(
      "load", "Load every map and program without attaching them; one verdict per program (needs root)");
  load_cmd->footer(
      "Each program is loaded on its own (with all of the object's maps), so one rejection does not hide the "
      "others. Maps pinned by name are pinned in a scratch bpffs directory that is removed afterwards; existing "
      "pins are not reused.");
  load_cmd->add_option("FILE", load.file, "BPF object file (clang -target bpf)")->required();
  load_cmd->add_flag("--json", load.json, "Print one JSON document instead of text");
  load_cmd
      ->add_option("--log-level", load.log_level,
                   "Verifier log level for every load (1: instructions, 2: every state); 0 (default) asks for a "
                   "log only when a load fails")
      ->check(CLI::Range(0u, 2u));
  load_cmd
      ->add_option("--program", load.programs,
                   "Load only this program (repeatable); also loads programs whose autoload is off")
      ->allow_extra_args(false);

  bpfxx::cli::CheckArgs check;
  CLI::App* check_cmd = obj->add_subcommand(
      "check", "Compute every CO-RE relocation against a kernel's BTF (the running kernel's by default) and "
               "report which resolve, which are missing or guarded, and which would fail; nothing is loaded");
  check_cmd->add_option("FILE", check.file, "BPF object file (clang -target bpf)")->required();
  check_cmd->add_option("--btf", check.btf, "Target BTF: raw BTF or an ELF with .BTF (default: /sys/kernel/btf/vmlinux)");
  check_cmd->add_flag("--json", check.json, "Print one JSON document instead of a table");

  CLI::App* btf = app.add_subcommand("btf", "Work with BTF type information");
  btf->require_subcommand(1);
  bpfxx::cli::BtfDumpArgs dump;
  CLI::App* dump_cmd = btf->add_subcommand(
      "dump", "Print BTF as a C header (vmlinux.h) or as one line per type (no root needed)");
  dump_cmd->footer(
      "FILE is raw BTF (/sys/kernel/btf/vmlinux, /sys/kernel/btf/<module> with --base) or an ELF file with a .BTF "
      "section. The C header compiles with clang -target bpf and reproduces every struct layout; "
      "with --filter-object it holds only the types the object names and what they need.");
  dump_cmd->add_option("FILE", dump.file, "Raw BTF file or ELF file with .BTF")->required();
  dump_cmd->add_option("--format", dump.format, "Output format")->check(CLI::IsMember({"c", "raw"}));
  dump_cmd->add_option("--filter-object", dump.filter_object,
                       "BPF object (clang -g): emit only the types its BTF names, matched by name");
  dump_cmd->add_option("--base", dump.base, "Base BTF of split BTF (module BTF: /sys/kernel/btf/vmlinux)");
  dump_cmd->add_option("--functions", dump.functions, "FUNC records to declare extern: none, kfuncs or all")
      ->check(CLI::IsMember({"none", "kfuncs", "all"}));
  dump_cmd->add_flag("--no-preserve-access-index", dump.no_preserve_access_index,
                     "Leave out the preserve_access_index pragma (no CO-RE relocations)");
  dump_cmd->add_option("-o,--output", dump.output, "Write to this file instead of stdout");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and a pointer to --help
    return kExitUsage;
  }

  if (show_cmd->parsed()) return bpfxx::cli::run_obj_show(show);
  if (load_cmd->parsed()) return bpfxx::cli::run_obj_load(load);
  if (check_cmd->parsed()) return bpfxx::cli::run_obj_check(check);
  if (dump_cmd->parsed()) return bpfxx::cli::run_btf_dump(dump);
  std::fputs(app.help().c_str(), stderr);
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // The library reports failures as Result values; these catches are a last
  // resort so that a bug ends with a message and a status, never an abort.
  try {
    return run(argc, argv);
  } catch (const bpfxx::BadResultAccess& e) {
    std::fprintf(stderr, "bpfxx: internal error (please report):\n%s", e.error().describe().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bpfxx: internal error (please report): %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "bpfxx: internal error (please report): unknown exception\n");
  }
  return kExitUsage;
}
