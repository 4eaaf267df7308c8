#include "sys/bpf.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cctype>
#include <fcntl.h>
#include <mutex>
#include <sys/syscall.h>
#include <unistd.h>

namespace bpfxx::sys {

namespace {

std::string cmd_name(Command cmd) {
  std::string n(to_string(cmd));
  for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "BPF_" + n;
}

uint64_t ptr(const void* p) { return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p)); }

}  // namespace

Result<int> bpf(Command cmd, void* attr, size_t size) {
  for (int attempt = 0;; ++attempt) {
    long r = ::syscall(__NR_bpf, static_cast<int>(cmd), attr, static_cast<unsigned int>(size));
    if (r >= 0) return static_cast<int>(r);
    int e = errno;
    if (e == EINTR) continue;
    // The verifier may ask for a retry when it was interrupted by a signal.
    if (e == EAGAIN && cmd == Command::ProgLoad && attempt < 5) continue;
    return Error::from_errno(e, cmd_name(cmd));
  }
}

Result<Fd> adopt_fd(int raw, const char* op) {
  Fd fd(raw);
  // fd 0 means "none" to several bpf_attr fields: keep it out of our hands.
  // The original closes when `fd` goes out of scope.
  if (raw == 0) {
    auto moved = fd.dup();
    if (!moved) return std::move(moved).error().with_op(op);
    return moved;
  }
  return fd;
}

namespace {

Result<Fd> fd_command(Command cmd, void* attr, size_t size) {
  BPFXX_TRY_ASSIGN(int raw, bpf(cmd, attr, size));
  return adopt_fd(raw, "dup");
}

}  // namespace

Result<Fd> map_create(const MapCreateAttr& attr) {
  MapCreateAttr a = attr;
  return fd_command(Command::MapCreate, &a, sizeof(a));
}

Result<void> map_lookup_elem(int map_fd, const void* key, void* value, uint64_t flags) {
  MapElemAttr a;
  a.map_fd = static_cast<uint32_t>(map_fd);
  a.key = ptr(key);
  a.value = ptr(value);
  a.flags = flags;
  BPFXX_TRY(bpf(Command::MapLookupElem, &a, sizeof(a)));
  return {};
}

Result<void> map_update_elem(int map_fd, const void* key, const void* value, uint64_t flags) {
  MapElemAttr a;
  a.map_fd = static_cast<uint32_t>(map_fd);
  a.key = ptr(key);
  a.value = ptr(value);
  a.flags = flags;
  BPFXX_TRY(bpf(Command::MapUpdateElem, &a, sizeof(a)));
  return {};
}

Result<void> map_delete_elem(int map_fd, const void* key) {
  MapElemAttr a;
  a.map_fd = static_cast<uint32_t>(map_fd);
  a.key = ptr(key);
  BPFXX_TRY(bpf(Command::MapDeleteElem, &a, sizeof(a)));
  return {};
}

Result<bool> map_get_next_key(int map_fd, const void* key, void* next_key) {
  MapElemAttr a;
  a.map_fd = static_cast<uint32_t>(map_fd);
  a.key = ptr(key);
  a.value = ptr(next_key);
  auto r = bpf(Command::MapGetNextKey, &a, sizeof(a));
  if (!r) {
    if (r.error().sys_errno() == ENOENT) return false;
    return std::move(r).error();
  }
  return true;
}

Result<void> map_freeze(int map_fd) {
  MapFreezeAttr a;
  a.map_fd = static_cast<uint32_t>(map_fd);
  BPFXX_TRY(bpf(Command::MapFreeze, &a, sizeof(a)));
  return {};
}

Result<Fd> prog_load(ProgLoadAttr& attr) { return fd_command(Command::ProgLoad, &attr, sizeof(attr)); }

Result<Fd> btf_load(BtfLoadAttr& attr) { return fd_command(Command::BtfLoad, &attr, sizeof(attr)); }

Result<Fd> link_create(const LinkCreateAttr& attr) {
  LinkCreateAttr a = attr;
  return fd_command(Command::LinkCreate, &a, sizeof(a));
}

Result<void> prog_test_run(ProgTestRunAttr& attr) {
  BPFXX_TRY(bpf(Command::ProgTestRun, &attr, sizeof(attr)));
  return {};
}

Result<Fd> raw_tracepoint_open(const char* name, int prog_fd) {
  RawTracepointOpenAttr a;
  a.name = ptr(name);
  a.prog_fd = static_cast<uint32_t>(prog_fd);
  return fd_command(Command::RawTracepointOpen, &a, sizeof(a));
}

Result<void> obj_pin(int fd, const std::string& path) {
  ObjPinAttr a;
  a.pathname = ptr(path.c_str());
  a.bpf_fd = static_cast<uint32_t>(fd);
  auto r = bpf(Command::ObjPin, &a, sizeof(a));
  if (!r) return std::move(r).error().with_object(path);
  return {};
}

Result<Fd> obj_get(const std::string& path) {
  ObjPinAttr a;
  a.pathname = ptr(path.c_str());
  auto r = fd_command(Command::ObjGet, &a, sizeof(a));
  if (!r) return std::move(r).error().with_object(path);
  return r;
}

Result<uint32_t> obj_get_info_by_fd(int fd, void* info, uint32_t info_size) {
  InfoByFdAttr a;
  a.bpf_fd = static_cast<uint32_t>(fd);
  a.info_len = info_size;
  a.info = ptr(info);
  BPFXX_TRY(bpf(Command::ObjGetInfoByFd, &a, sizeof(a)));
  return a.info_len;
}

Result<std::optional<uint32_t>> btf_get_next_id(uint32_t id) {
  IdAttr a;
  a.id = id;
  auto r = bpf(Command::BtfGetNextId, &a, sizeof(a));
  if (!r) {
    if (r.error().sys_errno() == ENOENT) return std::optional<uint32_t>();
    return std::move(r).error();
  }
  return std::optional<uint32_t>(a.next_id);
}

Result<Fd> btf_get_fd_by_id(uint32_t id) {
  IdAttr a;
  a.id = id;
  return fd_command(Command::BtfGetFdById, &a, sizeof(a));
}

Result<uint32_t> possible_cpus() {
  static std::once_flag once;
  static uint32_t count = 0;
  static int saved_errno = 0;
  std::call_once(once, [] {
    // The file holds ranges such as "0-3" or "0,2-5"; the count is the
    // highest index plus one, which is what per-CPU buffers are sized by.
    FILE* f = std::fopen("/sys/devices/system/cpu/possible", "re");
    if (f == nullptr) {
      saved_errno = errno;
      return;
    }
    char buf[256] = {};
    size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
    std::fclose(f);
    buf[n] = 0;
    uint32_t highest = 0;
    const char* p = buf;
    while (*p) {
      char* end = nullptr;
      unsigned long a = std::strtoul(p, &end, 10);
      if (end == p) break;
      unsigned long b = a;
      p = end;
      if (*p == '-') {
        b = std::strtoul(p + 1, &end, 10);
        p = end;
      }
      if (b + 1 > highest) highest = static_cast<uint32_t>(b + 1);
      if (*p == ',') ++p;
      else break;
    }
    count = highest;
  });
  if (count == 0) {
    return Error::from_errno(saved_errno ? saved_errno : EINVAL, "read /sys/devices/system/cpu/possible")
        .with_code(Errc::Io);
  }
  return count;
}

}  // namespace bpfxx::sys
