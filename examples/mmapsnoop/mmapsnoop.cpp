// mmapsnoop: print every mmap() call on the system.
//
//   mmapsnoop [-p PID] [--kprobe] [--json] [-d SECONDS]
//
// The BPF object is embedded in this binary; bpfxx parses, loads and attaches
// it, then prints one line per event from the ring buffer until Ctrl-C or the
// duration ends.
#include <bpfxx/object.hpp>
#include <bpfxx/ring_buffer.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>

#include "mmap_decode.hpp"
#include "mmapsnoop.h"

extern const unsigned char mmapsnoop_bpf_object[];
extern const std::size_t mmapsnoop_bpf_object_size;

namespace {

bpfxx::RingBuffer* g_ring = nullptr;

void on_signal(int) {
  if (g_ring != nullptr) g_ring->stop();
}

std::string comm_of(const mmap_event& e) { return std::string(e.comm, strnlen(e.comm, sizeof(e.comm))); }

std::string clock_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
  return buf;
}

void print_text(const mmap_event& e) {
  fmt::print("{:<8} {:>7} {:>7} {:>5} {:<16} {:>16x} {:>10} {:<24} {:<32} {:>4} {:>8x}\n", clock_now(), e.pid,
             e.tid, e.uid, comm_of(e), e.addr, e.len, mmapsnoop::decode_prot(e.prot),
             mmapsnoop::decode_flags(e.flags), e.fd, e.off);
}

void print_json(const mmap_event& e) {
  nlohmann::json j = {
      {"pid", e.pid},
      {"tid", e.tid},
      {"uid", e.uid},
      {"comm", comm_of(e)},
      {"addr", e.addr},
      {"len", e.len},
      {"prot", mmapsnoop::decode_prot(e.prot)},
      {"prot_raw", e.prot},
      {"flags", mmapsnoop::decode_flags(e.flags)},
      {"flags_raw", e.flags},
      {"fd", e.fd},
      {"offset", e.off},
      {"source", e.source == MMAP_SOURCE_KPROBE ? "kprobe" : "tracepoint"},
  };
  // Invalid UTF-8 in a command name must not abort the tool.
  fmt::print("{}\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

int fail(const bpfxx::Error& e) {
  fmt::print(stderr, "mmapsnoop: {}", e.describe());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Print every mmap() call on the system (bpfxx example)"};
  uint32_t pid = 0;
  bool use_kprobe = false, json = false;
  double duration = 0;
  app.add_option("-p,--pid", pid, "Only this process (thread group) id");
  app.add_flag("--kprobe", use_kprobe, "Use the kprobe on __x64_sys_mmap instead of the tracepoint");
  app.add_flag("--json", json, "One JSON object per line");
  app.add_option("-d,--duration", duration, "Stop after this many seconds (default: until Ctrl-C)")
      ->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);

  auto bytes = std::as_bytes(std::span(mmapsnoop_bpf_object, mmapsnoop_bpf_object_size));
  auto spec = bpfxx::ObjectSpec::parse(bytes, "mmapsnoop");
  if (!spec) return fail(spec.error());
  if (auto r = spec->set_variable("target_pid", pid); !r) return fail(r.error());
  // Load only the program that will be attached.
  spec->program(use_kprobe ? "trace_mmap" : "kprobe_mmap")->autoload = false;

  auto obj = bpfxx::Object::load(*spec);
  if (!obj) return fail(obj.error());
  const bpfxx::Program* prog = obj->program(use_kprobe ? "kprobe_mmap" : "trace_mmap");
  auto link = prog->attach();
  if (!link) return fail(link.error());

  auto ring = bpfxx::RingBuffer::create();
  if (!ring) return fail(ring.error());
  auto added = ring->add(*obj->map("events"), [&](std::span<const std::byte> rec) {
    mmap_event e{};
    std::memcpy(&e, rec.data(), std::min(rec.size(), sizeof(e)));
    json ? print_json(e) : print_text(e);
    return 0;
  });
  if (!added) return fail(added.error());

  g_ring = &*ring;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  if (!json) {
    fmt::print(stderr, "Tracing mmap() via {}{}. Ctrl-C to stop.\n", link->description(),
               pid ? fmt::format(" for pid {}", pid) : "");
    fmt::print("{:<8} {:>7} {:>7} {:>5} {:<16} {:>16} {:>10} {:<24} {:<32} {:>4} {:>8}\n", "TIME", "PID", "TID",
               "UID", "COMM", "ADDR", "LEN", "PROT", "FLAGS", "FD", "OFF");
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(duration);
  while (!ring->stopped()) {
    int timeout = 100;
    if (duration > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      timeout = static_cast<int>(std::min<long long>(left.count(), 100));
    }
    auto n = ring->poll(timeout);
    if (!n) return fail(n.error());
  }
  // Drain what arrived before the stop.
  if (auto n = ring->consume(); !n) return fail(n.error());
  auto bss = obj->map(".bss");
  if (auto dropped = bss ? bss->lookup_as<uint64_t>(uint32_t{0}) : bpfxx::Result<uint64_t>(uint64_t{0});
      dropped && *dropped > 0) {
    fmt::print(stderr, "mmapsnoop: {} events dropped (ring buffer full)\n", *dropped);
  }
  g_ring = nullptr;
  return 0;
}
