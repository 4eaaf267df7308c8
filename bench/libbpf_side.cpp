// The libbpf side (the peer): bpf_object__open_file, bpf_object__load,
// bpf_program__attach, bpf_link__destroy and bpf_object__close.
//
// This file is the only one that includes libbpf's headers; bpfxx itself
// never links libbpf.
#include "side.hpp"

#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#ifndef BPFXX_BENCH_LIBBPF_VERSION
#define BPFXX_BENCH_LIBBPF_VERSION "?"
#endif

namespace bench {

namespace {

// libbpf reports details only through its print callback. Keep the warnings
// (not the debug chatter, which libbpf would otherwise format on every load)
// so a failure can say what libbpf said; the tail is enough.
std::string g_libbpf_log;

int capture_warnings(enum libbpf_print_level level, const char* format, va_list args) {
  if (level != LIBBPF_WARN) return 0;
  char line[512];
  int n = std::vsnprintf(line, sizeof(line), format, args);
  if (n > 0) g_libbpf_log.append(line, std::min<size_t>(static_cast<size_t>(n), sizeof(line) - 1));
  if (g_libbpf_log.size() > 8192) g_libbpf_log.erase(0, g_libbpf_log.size() - 4096);
  return 0;
}

[[noreturn]] void fail(const std::string& what, int err) {
  std::string msg = "libbpf: " + what + " failed: " + std::strerror(err < 0 ? -err : err);
  if (!g_libbpf_log.empty()) msg += "\nlibbpf said:\n" + g_libbpf_log;
  throw BenchFailure(msg);
}

class LibbpfSide final : public Side {
 public:
  explicit LibbpfSide(SideConfig config) : config_(std::move(config)) { libbpf_set_print(capture_warnings); }

  ~LibbpfSide() override {
    for (size_t i = 0; i < instances_.size(); ++i) {
      destroy_links(i, 0);
      close(i);
    }
  }

  std::string_view name() const override { return "libbpf"; }
  // The package's full version from pkg-config; libbpf itself only knows
  // major.minor.
  std::string version() const override {
    return std::string("libbpf ") + BPFXX_BENCH_LIBBPF_VERSION + " (" + libbpf_version_string() + ")";
  }

  void reserve(size_t count) override {
    if (instances_.size() < count) instances_.resize(count);
    for (Instance& in : instances_) in.links.reserve(kMaxLinksPerInstance);
  }

  void open(size_t i) override {
    bpf_object* obj = bpf_object__open_file(config_.object_path.c_str(), nullptr);
    if (obj == nullptr) fail("bpf_object__open_file(" + config_.object_path + ")", errno);
    if (!config_.load_kprobe) {
      bpf_program* kp = bpf_object__find_program_by_name(obj, kKprobeProgram);
      if (kp == nullptr) {
        bpf_object__close(obj);
        throw BenchFailure(std::string("libbpf: no program ") + kKprobeProgram);
      }
      bpf_program__set_autoload(kp, false);
    }
    instances_[i].object = obj;
  }

  void load(size_t i) override {
    int err = bpf_object__load(instances_[i].object);
    if (err != 0) fail("bpf_object__load", err);
  }

  void attach(size_t i) override {
    Instance& in = instances_[i];
    bpf_program* prog = bpf_object__find_program_by_name(in.object, kAttachProgram);
    if (prog == nullptr) throw BenchFailure(std::string("libbpf: no program ") + kAttachProgram);
    bpf_link* link = bpf_program__attach(prog);
    if (link == nullptr) fail(std::string("bpf_program__attach(") + kAttachProgram + ")", errno);
    in.links.push_back(link);
  }

  void destroy_links(size_t i, size_t keep) override {
    std::vector<bpf_link*>& links = instances_[i].links;
    while (links.size() > keep) {
      bpf_link__destroy(links.back());
      links.pop_back();
    }
  }

  void close(size_t i) override {
    bpf_object__close(instances_[i].object);  // accepts null
    instances_[i].object = nullptr;
  }

 private:
  struct Instance {
    bpf_object* object = nullptr;
    std::vector<bpf_link*> links;
  };
  SideConfig config_;
  std::vector<Instance> instances_;
};

}  // namespace

std::unique_ptr<Side> make_libbpf_side(const SideConfig& config) { return std::make_unique<LibbpfSide>(config); }

}  // namespace bench
