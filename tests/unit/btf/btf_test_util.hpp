// Helpers for the BTF unit tests: finding a section in a test object, and a
// small builder that writes BTF (header, type records, strings) by hand so
// malformed inputs can be made precisely.
//
// The BTF test binary links only the btf layer (and base below it); elf/ is
// a sibling layer, so the section lookup here reads the ELF section headers
// itself with ByteReader. It trusts its input: only the compiled test
// objects are passed to it.
#pragma once

#include <bpfxx/btf/spec.hpp>

#include "base/byte_reader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::btf::test_util {

// The contents of section `name` of an ELF64 object held in `file`.
inline std::span<const std::byte> elf_section(const std::vector<std::byte>& file, std::string_view name) {
  detail::ByteReader r(file, static_cast<uint8_t>(file.at(5)) == 2);
  uint64_t shoff = r.get<uint64_t>(40);
  uint16_t shnum = r.get<uint16_t>(60), shstrndx = r.get<uint16_t>(62);
  auto header = [&](uint32_t i) { return static_cast<size_t>(shoff + uint64_t{i} * 64); };
  detail::ByteReader names(
      *r.sub(r.get<uint64_t>(header(shstrndx) + 24), r.get<uint64_t>(header(shstrndx) + 32)));
  for (uint32_t i = 1; i < shnum; ++i) {
    if (names.cstr_at(r.get<uint32_t>(header(i))) == name) {
      return *r.sub(r.get<uint64_t>(header(i) + 24), r.get<uint64_t>(header(i) + 32));
    }
  }
  ADD_FAILURE() << "no section " << name;
  return {};
}

// The bytes of one test object and of its .BTF / .BTF.ext sections.
struct TestObject {
  explicit TestObject(const std::string& name, bool big_endian = false)
      : file(bpfxx::test::read_file(bpfxx::test::bpf_object(name, big_endian))),
        btf(elf_section(file, ".BTF")),
        ext(elf_section(file, ".BTF.ext")) {}
  std::vector<std::byte> file;
  std::span<const std::byte> btf;
  std::span<const std::byte> ext;
};

inline constexpr const char* kTestObjects[] = {"globals", "maps_kinds", "subprogs", "multi_prog", "legacy_maps"};

// Writes BTF: a 24-byte header, the type records, the string table. Records
// are added as host-order words and written in the chosen byte order.
class BtfBuilder {
 public:
  explicit BtfBuilder(bool big_endian = false) : big_endian_(big_endian) {}

  uint32_t str(std::string_view s) {
    if (s.empty()) return 0;
    uint32_t off = static_cast<uint32_t>(strings_.size());
    strings_ += s;
    strings_ += '\0';
    return off;
  }
  static uint32_t info(Kind kind, uint32_t vlen = 0, bool kflag = false) {
    return (kflag ? 1u << 31 : 0u) | (static_cast<uint32_t>(kind) << 24) | vlen;
  }
  // A raw record; returns its type id.
  TypeId add(std::initializer_list<uint32_t> words) {
    words_.insert(words_.end(), words.begin(), words.end());
    return ++count_;
  }

  TypeId int_(std::string_view name, uint32_t size, uint32_t bits, uint32_t encoding = 0, uint32_t offset = 0) {
    return add({str(name), info(Kind::Int), size, (encoding << 24) | (offset << 16) | bits});
  }
  TypeId ptr(TypeId to) { return add({0, info(Kind::Ptr), to}); }
  TypeId typedef_(std::string_view name, TypeId to) { return add({str(name), info(Kind::Typedef), to}); }
  TypeId const_(TypeId to) { return add({0, info(Kind::Const), to}); }
  TypeId volatile_(TypeId to) { return add({0, info(Kind::Volatile), to}); }
  TypeId array(TypeId elem, TypeId index, uint32_t n) { return add({0, info(Kind::Array), 0, elem, index, n}); }
  TypeId fwd(std::string_view name, bool is_union = false) { return add({str(name), info(Kind::Fwd, 0, is_union), 0}); }
  TypeId func_proto(TypeId ret, std::initializer_list<std::pair<std::string_view, TypeId>> params) {
    std::vector<uint32_t> w{0, info(Kind::FuncProto, static_cast<uint32_t>(params.size())), ret};
    for (auto [n, t] : params) {
      w.push_back(str(n));
      w.push_back(t);
    }
    return add_vector(w);
  }
  TypeId func(std::string_view name, TypeId proto, uint32_t linkage = 1) {
    return add({str(name), info(Kind::Func, linkage), proto});
  }
  TypeId var(std::string_view name, TypeId type, uint32_t linkage = 1) {
    return add({str(name), info(Kind::Var), type, linkage});
  }
  struct M {
    std::string_view name;
    TypeId type;
    uint32_t bit_offset;
  };
  TypeId struct_(std::string_view name, uint32_t size, std::initializer_list<M> members, Kind kind = Kind::Struct) {
    std::vector<uint32_t> w{str(name), info(kind, static_cast<uint32_t>(members.size())), size};
    for (const M& m : members) {
      w.push_back(str(m.name));
      w.push_back(m.type);
      w.push_back(m.bit_offset);
    }
    return add_vector(w);
  }
  TypeId enum_(std::string_view name, uint32_t size, std::initializer_list<std::pair<std::string_view, int32_t>> values,
               bool is_signed = false) {
    std::vector<uint32_t> w{str(name), info(Kind::Enum, static_cast<uint32_t>(values.size()), is_signed), size};
    for (auto [n, v] : values) {
      w.push_back(str(n));
      w.push_back(static_cast<uint32_t>(v));
    }
    return add_vector(w);
  }
  TypeId datasec(std::string_view name, uint32_t size, std::initializer_list<VarSecinfo> vars) {
    std::vector<uint32_t> w{str(name), info(Kind::Datasec, static_cast<uint32_t>(vars.size())), size};
    for (const VarSecinfo& v : vars) {
      w.push_back(v.type);
      w.push_back(v.offset);
      w.push_back(v.size);
    }
    return add_vector(w);
  }
  TypeId add_vector(const std::vector<uint32_t>& w) {
    words_.insert(words_.end(), w.begin(), w.end());
    return ++count_;
  }

  std::string& strings() { return strings_; }
  std::vector<uint32_t>& words() { return words_; }

  // Header fields as written; tests overwrite them in the built bytes.
  static constexpr size_t kHdrLenOff = 4, kTypeOffOff = 8, kTypeLenOff = 12, kStrOffOff = 16, kStrLenOff = 20;

  std::vector<std::byte> build() const {
    std::vector<std::byte> out(kHeaderSize + words_.size() * 4 + strings_.size());
    put16(out, 0, kMagic);
    out[2] = std::byte{1};
    put32(out, kHdrLenOff, kHeaderSize);
    put32(out, kTypeOffOff, 0);
    put32(out, kTypeLenOff, static_cast<uint32_t>(words_.size() * 4));
    put32(out, kStrOffOff, static_cast<uint32_t>(words_.size() * 4));
    put32(out, kStrLenOff, static_cast<uint32_t>(strings_.size()));
    for (size_t i = 0; i < words_.size(); ++i) put32(out, kHeaderSize + i * 4, words_[i]);
    std::memcpy(out.data() + kHeaderSize + words_.size() * 4, strings_.data(), strings_.size());
    return out;
  }
  void put16(std::vector<std::byte>& b, size_t off, uint16_t v) const {
    if (big_endian_) v = detail::byteswap(v);
    std::memcpy(b.data() + off, &v, 2);
  }
  void put32(std::vector<std::byte>& b, size_t off, uint32_t v) const {
    if (big_endian_) v = detail::byteswap(v);
    std::memcpy(b.data() + off, &v, 4);
  }

 private:
  bool big_endian_;
  std::vector<uint32_t> words_;
  std::string strings_ = std::string(1, '\0');
  TypeId count_ = 0;
};

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace bpfxx::btf::test_util
