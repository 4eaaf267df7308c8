// The generated vmlinux.h against clang -target bpf: it compiles (-Wall
// -Werror) for the running kernel and for Debian's 6.1, every uniquely named
// struct and union has the BTF's size, a sample of structs (the big ones,
// every packed or explicitly aligned one, some with bitfields) has every
// member at the BTF's offset once clang has compiled it back into BTF, and a
// CO-RE program using bpfxx's BPF headers builds against the full header and
// against the header filtered to that program's own types.
#include <bpfxx/btf/spec.hpp>
#include <bpfxx/codegen/c_header.hpp>

#include "base/mapped_file.hpp"
#include "unit/btf/btf_test_util.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

extern char** environ;

namespace bpfxx::codegen {
namespace {

namespace fs = std::filesystem;
using btf::Kind;
using btf::Spec;
using btf::Type;
using btf::TypeId;

const char* const kHostBtf = "/sys/kernel/btf/vmlinux";
const fs::path kOldKernelBtf = fs::path(BPFXX_BINARY_DIR) / "vm" / "btf" / "vmlinux-6.1.btf";

// A BPF program in the style of libbpf-tools: BPF_PROG, BPF_CORE_READ and
// the other CO-RE macros over kernel types from vmlinux.h.
const char* const kCoreProgram = R"(#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	int ppid = BPF_CORE_READ(next, real_parent, tgid);
	unsigned long vm = BPF_CORE_READ(next, mm, total_vm);
	unsigned int execve = BPF_CORE_READ_BITFIELD_PROBED(next, in_execve);
	__u32 *slot;

	if (!bpf_core_field_exists(next->pid) || !bpf_core_type_exists(struct sk_buff))
		return 0;
	slot = bpf_ringbuf_reserve(&events, sizeof(*slot), 0);
	if (!slot)
		return 0;
	*slot = ppid + vm + execve;
	bpf_ringbuf_submit(slot, 0);
	return bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_HASH);
}
)";

struct Loaded {
  std::shared_ptr<const detail::MappedFile> file;
  std::optional<Spec> spec;
};

Loaded load_btf(const std::string& path) {
  Loaded out;
  auto f = detail::MappedFile::open(path);
  if (!f) {
    ADD_FAILURE() << f.error().describe();
    return out;
  }
  out.file = *f;
  auto s = Spec::parse(out.file->bytes(), out.file);
  if (!s) {
    ADD_FAILURE() << path << ": " << s.error().describe();
    return out;
  }
  out.spec = std::move(*s);
  return out;
}

// A scratch directory removed with the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "bpfxx-codegen-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? fs::path(tmpl) : fs::path();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Runs clang with `args`; returns its exit status and puts what it printed
// into `output`.
int run_clang(const std::vector<std::string>& args, const fs::path& log, std::string& output) {
  std::vector<std::string> all = {BPFXX_CLANG, "-target", "bpf", "-D__TARGET_ARCH_x86"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  int err = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    output = std::string("cannot run ") + BPFXX_CLANG + ": " + std::strerror(err);
    return -1;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::stringstream ss;
  ss << std::ifstream(log).rdbuf();
  output = ss.str();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> bpf_includes() {
  return {std::string("-I") + BPFXX_BPF_INCLUDE_DIR, std::string("-I") + BPFXX_BPF_GEN_INCLUDE};
}

// Struct and union names that name one type only, so the header keeps them.
std::map<std::string, TypeId> unique_composites(const Spec& spec) {
  std::map<std::string, TypeId> first;
  std::set<std::string> repeated;
  for (TypeId id = 1; id < spec.type_count(); ++id) {
    Type t = spec.type_unchecked(id);
    if (!t.is_struct_or_union() && !t.is_enum()) continue;
    if (t.name().empty()) continue;
    std::string name(t.name());
    if (!first.emplace(name, id).second) repeated.insert(name);
  }
  std::map<std::string, TypeId> out;
  for (auto& [name, id] : first)
    if (!repeated.count(name) && spec.kind_of(id) != Kind::Enum && spec.kind_of(id) != Kind::Enum64) out[name] = id;
  return out;
}

// Names of the top-level structs whose definition ends in an attribute.
std::vector<std::string> attributed_structs(const std::string& header) {
  std::vector<std::string> out;
  std::istringstream in(header);
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.rfind("struct ", 0) == 0 && line.size() > 2 && line.compare(line.size() - 2, 2, " {") == 0) {
      current = line.substr(7, line.size() - 9);
    } else if (line.rfind("} __attribute__", 0) == 0 && !current.empty()) {
      out.push_back(current);
      current.clear();
    }
  }
  return out;
}

bool has_bitfields(const Type& t) {
  if (t.kind() != Kind::Struct || !t.kflag()) return false;
  for (uint32_t i = 0; i < t.vlen(); ++i)
    if (t.member(i).bitfield_size != 0) return true;
  return false;
}

// Compares the layout of `a` (source BTF) and `b` (clang's BTF of the
// header), descending into anonymous members, which both write inline.
void expect_same_layout(const Spec& sa, TypeId a, const Spec& sb, TypeId b, const std::string& where) {
  Type ta = sa.type_unchecked(*sa.skip_modifiers(a)), tb = sb.type_unchecked(*sb.skip_modifiers(b));
  ASSERT_EQ(ta.kind(), tb.kind()) << where;
  ASSERT_EQ(ta.size(), tb.size()) << where;
  ASSERT_EQ(ta.vlen(), tb.vlen()) << where;
  for (uint32_t i = 0; i < ta.vlen(); ++i) {
    btf::Member ma = ta.member(i), mb = tb.member(i);
    std::string at = where + "." + std::string(ma.name.empty() ? "(anon)" : ma.name);
    EXPECT_EQ(ma.name, mb.name) << at;
    EXPECT_EQ(ma.bit_offset, mb.bit_offset) << at;
    EXPECT_EQ(ma.bitfield_size, mb.bitfield_size) << at;
    Type inner = sa.type_unchecked(*sa.skip_modifiers(ma.type));
    if (inner.is_struct_or_union() && inner.name().empty()) expect_same_layout(sa, ma.type, sb, mb.type, at);
  }
}

// Writes the header and a probe including it, compiles the probe, and checks
// sizes (all unique names) and member offsets (the sample) against `spec`.
void check_header(const Spec& spec, const std::vector<std::string>& sample_names) {
  auto header = write_c_header(spec);
  ASSERT_TRUE(header) << header.error().describe();
  EXPECT_EQ(header->find("bpfxx: no C layout"), std::string::npos) << "some struct cannot be reproduced";
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  write_text(dir.path() / "vmlinux.h", *header);

  std::map<std::string, TypeId> unique = unique_composites(spec);
  std::set<std::string> sample(sample_names.begin(), sample_names.end());
  for (const std::string& name : attributed_structs(*header)) sample.insert(name);
  int with_bitfields = 0;
  for (auto& [name, id] : unique) {
    if (with_bitfields < 40 && has_bitfields(spec.type_unchecked(id))) {
      sample.insert(name);
      ++with_bitfields;
    }
  }
  std::string probe = "#include \"vmlinux.h\"\n";
  for (auto& [name, id] : unique) {
    const char* tag = spec.kind_of(id) == Kind::Union ? "union" : "struct";
    probe += "_Static_assert(sizeof(" + std::string(tag) + " " + name + ") == " +
             std::to_string(spec.type_unchecked(id).size()) + ", \"" + name + "\");\n";
  }
  // Globals by value make clang write each sampled type's full BTF.
  int n = 0;
  for (const std::string& name : sample) {
    if (!unique.count(name) || spec.kind_of(unique[name]) != Kind::Struct) continue;
    probe += "struct " + name + " probe_" + std::to_string(n++) + ";\n";
  }
  write_text(dir.path() / "probe.c", probe);
  std::string out;
  int status = run_clang({"-g", "-O2", "-Wall", "-Werror", "-c", (dir.path() / "probe.c").string(), "-o",
                          (dir.path() / "probe.o").string()},
                         dir.path() / "clang.log", out);
  ASSERT_EQ(status, 0) << out.substr(0, 4000);

  std::vector<std::byte> object = test::read_file((dir.path() / "probe.o").string());
  auto compiled = Spec::parse(btf::test_util::elf_section(object, ".BTF"));
  ASSERT_TRUE(compiled) << compiled.error().describe();
  int checked = 0;
  for (const std::string& name : sample) {
    if (!unique.count(name) || spec.kind_of(unique[name]) != Kind::Struct) continue;
    auto back = compiled->find(name, Kind::Struct);
    ASSERT_TRUE(back) << "clang's BTF has no struct " << name;
    expect_same_layout(spec, unique[name], *compiled, *back, name);
    ++checked;
  }
  // Kernel BTF has thousands of named structs, hundreds of them packed or
  // aligned; far fewer would mean the sample missed what it is for.
  EXPECT_GT(unique.size(), 5000u);
  EXPECT_GT(checked, 100);
  std::printf("[   INFO   ] %zu struct and union sizes asserted, %d structs compared member by member\n",
              unique.size(), checked);
}

TEST(CHeaderClang, HostVmlinuxCompilesWithEveryLayoutKept) {
  if (!fs::exists(kHostBtf)) GTEST_SKIP() << kHostBtf << " is missing (a kernel without CONFIG_DEBUG_INFO_BTF)";
  Loaded btf = load_btf(kHostBtf);
  ASSERT_TRUE(btf.spec);
  check_header(*btf.spec, {"task_struct", "sk_buff", "mm_struct", "page", "inode", "file", "sock", "bpf_prog"});
}

TEST(CHeaderClang, Debian61VmlinuxCompilesWithEveryLayoutKept) {
  if (!fs::exists(kOldKernelBtf)) {
    // make test runs before make test-vm writes it; tests/vm/run.sh runs
    // this test again with the fixture, and there a missing file fails.
    const char* required = std::getenv("BPFXX_REQUIRE_VM_BTF");
    if (required != nullptr && std::string(required) == "1") FAIL() << kOldKernelBtf << " is missing";
    GTEST_SKIP() << kOldKernelBtf << " not produced yet: run make test-vm";
  }
  Loaded btf = load_btf(kOldKernelBtf.string());
  ASSERT_TRUE(btf.spec);
  check_header(*btf.spec, {"task_struct", "sk_buff", "mm_struct", "page"});
}

// Builds kCoreProgram against `header_dir`/vmlinux.h; returns the object.
std::vector<std::byte> build_core_program(const fs::path& header_dir, const fs::path& work) {
  write_text(work / "core.bpf.c", kCoreProgram);
  std::vector<std::string> args = {"-g", "-O2", "-Wall", "-Werror", "-I" + header_dir.string()};
  for (std::string& inc : bpf_includes()) args.push_back(inc);
  args.insert(args.end(), {"-c", (work / "core.bpf.c").string(), "-o", (work / "core.bpf.o").string()});
  std::string out;
  int status = run_clang(args, work / "clang.log", out);
  EXPECT_EQ(status, 0) << "against " << (header_dir / "vmlinux.h") << ":\n" << out.substr(0, 4000);
  if (status != 0) return {};
  return test::read_file((work / "core.bpf.o").string());
}

TEST(CHeaderClang, CoreProgramBuildsAgainstFullAndFilteredHeaders) {
  if (!fs::exists(kHostBtf)) GTEST_SKIP() << kHostBtf << " is missing (a kernel without CONFIG_DEBUG_INFO_BTF)";
  Loaded btf = load_btf(kHostBtf);
  ASSERT_TRUE(btf.spec);
  TempDir full, filtered;
  auto header = write_c_header(*btf.spec);
  ASSERT_TRUE(header) << header.error().describe();
  write_text(full.path() / "vmlinux.h", *header);
  std::vector<std::byte> object = build_core_program(full.path(), full.path());
  ASSERT_FALSE(object.empty());

  auto object_btf = Spec::parse(btf::test_util::elf_section(object, ".BTF"));
  ASSERT_TRUE(object_btf) << object_btf.error().describe();
  CHeaderOptions options;
  options.roots = object_type_roots(*object_btf, *btf.spec);
  auto small = write_c_header(*btf.spec, options);
  ASSERT_TRUE(small) << small.error().describe();
  EXPECT_LT(small->size(), header->size() / 4);
  EXPECT_NE(small->find("struct task_struct {"), std::string::npos);
  write_text(filtered.path() / "vmlinux.h", *small);
  EXPECT_FALSE(build_core_program(filtered.path(), filtered.path()).empty());
}

TEST(CHeaderClang, FunctionDeclarationsCompile) {
  if (!fs::exists(kHostBtf)) GTEST_SKIP() << kHostBtf << " is missing (a kernel without CONFIG_DEBUG_INFO_BTF)";
  Loaded btf = load_btf(kHostBtf);
  ASSERT_TRUE(btf.spec);
  auto header = write_c_header(*btf.spec, {.functions = FunctionDecls::All});
  ASSERT_TRUE(header) << header.error().describe();
  EXPECT_NE(header->find("__weak __ksym;\n"), std::string::npos) << "the kernel has kfuncs";
  TempDir dir;
  write_text(dir.path() / "vmlinux.h", *header);
  write_text(dir.path() / "probe.c", "#include \"vmlinux.h\"\n");
  std::string out;
  EXPECT_EQ(run_clang({"-Wall", "-Werror", "-fsyntax-only", (dir.path() / "probe.c").string()}, dir.path() / "clang.log",
                      out),
            0)
      << out.substr(0, 4000);
}

TEST(CHeaderClang, BuildTimeHeaderServesCorePrograms) {
  std::string dir = BPFXX_VMLINUX_H_DIR;
  if (dir.empty()) GTEST_SKIP() << "the build generated no vmlinux.h (no " << kHostBtf << " at configure time)";
  TempDir work;
  EXPECT_FALSE(build_core_program(dir, work.path()).empty());
}

}  // namespace
}  // namespace bpfxx::codegen
