#include "scratch_pins.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace bpfxx::cli {

std::optional<ScratchPins> ScratchPins::create() {
  std::string templ = "/sys/fs/bpf/bpfxx-obj-load-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) return std::nullopt;
  return ScratchPins(std::move(templ));
}

ScratchPins::~ScratchPins() {
  if (path_.empty()) return;
  clear();
  ::rmdir(path_.c_str());
}

void ScratchPins::clear() const {
  if (path_.empty()) return;
  DIR* dir = ::opendir(path_.c_str());
  if (dir == nullptr) return;
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  ::closedir(dir);
  // Unlinking a pin drops only the pin's reference; the map goes when no fd
  // or program holds it any more.
  for (const std::string& name : names) ::unlink((path_ + "/" + name).c_str());
}

}  // namespace bpfxx::cli
