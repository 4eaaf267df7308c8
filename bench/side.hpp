// One side of the comparison: bpfxx or libbpf driving the same object
// through the same phases.
//
// A side holds numbered instances (an opened object, loaded or not, and its
// links) so that batch measurements can open or load many objects back to
// back and clean them up outside the timed span. Every phase call does
// exactly the public-API work a user would write, no more: the runner times
// the call and nothing inside it prints, allocates for bookkeeping or checks
// more than the API's own result.
//
// Failures throw BenchFailure: the benchmark is a program, not a library,
// and one catch in main() turning any failure into "print it, exit 1" keeps
// the timed code free of error plumbing.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace bench {

struct BenchFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SideConfig {
  std::string object_path;
  // Load kprobe_mmap as well as trace_mmap. Both sides always load the same
  // set, so the work compared is the same.
  bool load_kprobe = true;
};

// The program the benchmark attaches and its section's tracepoint.
inline constexpr const char* kAttachProgram = "trace_mmap";
inline constexpr const char* kKprobeProgram = "kprobe_mmap";
// Link storage reserved up front so a timed attach never grows a vector.
inline constexpr size_t kMaxLinksPerInstance = 128;

class Side {
 public:
  virtual ~Side() = default;
  virtual std::string_view name() const = 0;
  // "libbpf 1.1.2" / "bpfxx 0.1.0", for the header of the report.
  virtual std::string version() const = 0;

  // Makes instances [0, count) usable; called outside timed spans only.
  virtual void reserve(size_t count) = 0;
  // bpfxx: ObjectSpec::open; libbpf: bpf_object__open_file (+ autoload off
  // for kprobe_mmap when it is not loaded).
  virtual void open(size_t instance) = 0;
  // bpfxx: Object::load(spec); libbpf: bpf_object__load.
  virtual void load(size_t instance) = 0;
  // Looks trace_mmap up by name and attaches it as its section says, adding
  // one link to the instance (several links per instance are allowed).
  virtual void attach(size_t instance) = 0;
  // Destroys the instance's newest links until `keep` remain. Calls for
  // distinct instances may run concurrently (after reserve()): each detach
  // waits out a kernel RCU grace period, and parallel waits overlap.
  virtual void destroy_links(size_t instance, size_t keep = 0) = 0;
  // Destroys the object (bpfxx: the Object and its ObjectSpec).
  virtual void close(size_t instance) = 0;
};

std::unique_ptr<Side> make_bpfxx_side(const SideConfig& config);
std::unique_ptr<Side> make_libbpf_side(const SideConfig& config);

}  // namespace bench
