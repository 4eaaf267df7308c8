// The bpfxx side: ObjectSpec::open, Object::load, Program::attach, and the
// destructors, exactly as an application writes them.
#include "side.hpp"

#include <bpfxx/object.hpp>
#include <bpfxx/object_spec.hpp>

#include <optional>
#include <vector>

#ifndef BPFXX_BENCH_BPFXX_VERSION
#define BPFXX_BENCH_BPFXX_VERSION "unknown"
#endif

namespace bench {

namespace {

[[noreturn]] void fail(std::string_view what, const bpfxx::Error& e) {
  throw BenchFailure("bpfxx: " + std::string(what) + " failed:\n" + e.describe());
}

class BpfxxSide final : public Side {
 public:
  explicit BpfxxSide(SideConfig config) : config_(std::move(config)) {}

  std::string_view name() const override { return "bpfxx"; }
  std::string version() const override { return std::string("bpfxx ") + BPFXX_BENCH_BPFXX_VERSION; }

  void reserve(size_t count) override {
    if (instances_.size() < count) instances_.resize(count);
    for (Instance& in : instances_) in.links.reserve(kMaxLinksPerInstance);
  }

  void open(size_t i) override {
    auto spec = bpfxx::ObjectSpec::open(config_.object_path);
    if (!spec) fail("ObjectSpec::open(" + config_.object_path + ")", spec.error());
    if (!config_.load_kprobe) {
      bpfxx::ProgramSpec* kp = spec->program(kKprobeProgram);
      if (kp == nullptr) throw BenchFailure(std::string("bpfxx: no program ") + kKprobeProgram);
      kp->autoload = false;
    }
    instances_[i].spec.emplace(std::move(*spec));
  }

  void load(size_t i) override {
    auto obj = bpfxx::Object::load(*instances_[i].spec);
    if (!obj) fail("Object::load", obj.error());
    instances_[i].object.emplace(std::move(*obj));
  }

  void attach(size_t i) override {
    Instance& in = instances_[i];
    const bpfxx::Program* prog = in.object->program(kAttachProgram);
    if (prog == nullptr) throw BenchFailure(std::string("bpfxx: no loaded program ") + kAttachProgram);
    auto link = prog->attach();
    if (!link) fail(std::string(kAttachProgram) + " attach()", link.error());
    in.links.push_back(std::move(*link));
  }

  void destroy_links(size_t i, size_t keep) override {
    std::vector<bpfxx::Link>& links = instances_[i].links;
    while (links.size() > keep) links.pop_back();
  }

  // The spec goes too: open and load made both, so closing undoes both, as
  // bpf_object__close does for libbpf's single object.
  void close(size_t i) override {
    instances_[i].object.reset();
    instances_[i].spec.reset();
  }

 private:
  struct Instance {
    std::optional<bpfxx::ObjectSpec> spec;
    std::optional<bpfxx::Object> object;
    std::vector<bpfxx::Link> links;
  };
  SideConfig config_;
  std::vector<Instance> instances_;
};

}  // namespace

std::unique_ptr<Side> make_bpfxx_side(const SideConfig& config) { return std::make_unique<BpfxxSide>(config); }

}  // namespace bench
