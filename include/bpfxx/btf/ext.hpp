// btf::Ext: the .BTF.ext section, parsed into per-section record views.
//
// .BTF.ext carries, for each code section, the BTF FUNC of each function
// (func_info), the source line of instructions (line_info) and the CO-RE
// relocations clang emitted. Offsets are in bytes as the file stores them;
// the object model converts them to instruction indexes per program. String
// references stay offsets into the object's BTF string table, because that is
// what the kernel wants back. Section names view the BTF's string table.
//
// Thread safety: a value type.
#pragma once

#include <bpfxx/btf/spec.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

namespace bpfxx::btf {

struct FuncInfo {
  uint32_t byte_offset = 0;  // of the function's first instruction in its section
  TypeId type_id = 0;        // a FUNC
  bool operator==(const FuncInfo&) const = default;
};

struct LineInfo {
  uint32_t byte_offset = 0;
  uint32_t file_name_off = 0;  // into the BTF string table
  uint32_t line_off = 0;       // the source text of the line, in the string table
  uint32_t line = 0;
  uint32_t column = 0;
  bool operator==(const LineInfo&) const = default;
};

// CO-RE relocation kinds, numbered as in the BTF.ext format.
enum class CoreReloKind : uint32_t {
  FieldByteOffset = 0,
  FieldByteSize = 1,
  FieldExists = 2,
  FieldSigned = 3,
  FieldLShiftU64 = 4,
  FieldRShiftU64 = 5,
  TypeIdLocal = 6,
  TypeIdTarget = 7,
  TypeExists = 8,
  TypeSize = 9,
  EnumValueExists = 10,
  EnumValue = 11,
  TypeMatches = 12,
};
std::string_view to_string(CoreReloKind kind) noexcept;

struct CoreRelo {
  uint32_t byte_offset = 0;
  TypeId type_id = 0;           // the local (program-side) root type
  uint32_t access_str_off = 0;  // "0:1:2" style access string, in the string table
  CoreReloKind kind = CoreReloKind::FieldByteOffset;
  bool operator==(const CoreRelo&) const = default;
};

namespace ext_detail {
inline uint32_t ext_word(const std::byte* p, bool swap) noexcept {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return swap ? __builtin_bswap32(v) : v;
}
inline void decode_ext_record(const std::byte* p, bool swap, FuncInfo& out) noexcept {
  out = {ext_word(p, swap), ext_word(p + 4, swap)};
}
inline void decode_ext_record(const std::byte* p, bool swap, LineInfo& out) noexcept {
  const uint32_t line_col = ext_word(p + 12, swap);
  out = {ext_word(p, swap), ext_word(p + 4, swap), ext_word(p + 8, swap), line_col >> 10, line_col & 0x3ff};
}
inline void decode_ext_record(const std::byte* p, bool swap, CoreRelo& out) noexcept {
  out = {ext_word(p, swap), ext_word(p + 4, swap), ext_word(p + 8, swap),
         static_cast<CoreReloKind>(ext_word(p + 12, swap))};
}
}  // namespace ext_detail

// The records of one section, decoded when read from the .BTF.ext bytes
// (bounds were checked by Ext::parse). Opening an object decodes each record
// once, straight into the program that owns it, instead of into a list
// first. Elements are values: iterate with `for (const T& r : records)`.
template <typename Record>
class ExtRecords {
 public:
  ExtRecords() = default;
  ExtRecords(const std::byte* first, uint32_t record_size, uint32_t count, bool swap) noexcept
      : first_(first), record_size_(record_size), count_(count), swap_(swap) {}

  size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  Record operator[](size_t i) const noexcept {
    Record r;
    ext_detail::decode_ext_record(first_ + i * record_size_, swap_, r);
    return r;
  }

  // Reads records by value: a C++20 forward iterator, a legacy input one.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using iterator_concept = std::forward_iterator_tag;
    using value_type = Record;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Record;
    iterator() = default;
    iterator(const std::byte* at, uint32_t record_size, bool swap) noexcept
        : at_(at), record_size_(record_size), swap_(swap) {}
    Record operator*() const noexcept {
      Record r;
      ext_detail::decode_ext_record(at_, swap_, r);
      return r;
    }
    iterator& operator++() noexcept {
      at_ += record_size_;
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      at_ += record_size_;
      return old;
    }
    bool operator==(const iterator& o) const noexcept { return at_ == o.at_; }

   private:
    const std::byte* at_ = nullptr;
    uint32_t record_size_ = 0;
    bool swap_ = false;
  };
  iterator begin() const noexcept { return iterator(first_, record_size_, swap_); }
  iterator end() const noexcept { return iterator(first_ + size_t{count_} * record_size_, record_size_, swap_); }

  // The raw record i (file byte order), for loops that decode in place.
  const std::byte* record_bytes(size_t i) const noexcept { return first_ + i * record_size_; }
  // Bytes per record: at least the fields above; newer formats may add more.
  uint32_t record_size() const noexcept { return record_size_; }
  bool swapped() const noexcept { return swap_; }

  std::vector<Record> to_vector() const { return std::vector<Record>(begin(), end()); }
  bool operator==(const ExtRecords& o) const noexcept { return std::equal(begin(), end(), o.begin(), o.end()); }
  bool operator==(const std::vector<Record>& v) const noexcept { return std::equal(begin(), end(), v.begin(), v.end()); }

 private:
  const std::byte* first_ = nullptr;
  uint32_t record_size_ = 0;
  uint32_t count_ = 0;
  bool swap_ = false;
};

template <typename Record>
struct ExtSection {
  // The code section these records belong to. It views the BTF's string
  // table: valid while the btf::Spec given to Ext::parse lives unmodified.
  std::string_view section;
  // View the .BTF.ext bytes given to Ext::parse: valid while they live.
  ExtRecords<Record> records;
  bool operator==(const ExtSection&) const = default;
};

class Ext {
 public:
  // Parses .BTF.ext; section names resolve through `btf`'s string table.
  // The result views `bytes` (its records) and `btf` (section names).
  static Result<Ext> parse(std::span<const std::byte> bytes, const Spec& btf);
  // The records would view a buffer that dies with the call.
  static Result<Ext> parse(std::vector<std::byte>&& bytes, const Spec& btf) = delete;

  const std::vector<ExtSection<FuncInfo>>& func_infos() const noexcept { return func_infos_; }
  const std::vector<ExtSection<LineInfo>>& line_infos() const noexcept { return line_infos_; }
  const std::vector<ExtSection<CoreRelo>>& core_relos() const noexcept { return core_relos_; }

  const ExtSection<FuncInfo>* func_infos_for(std::string_view section) const noexcept;
  const ExtSection<LineInfo>* line_infos_for(std::string_view section) const noexcept;
  const ExtSection<CoreRelo>* core_relos_for(std::string_view section) const noexcept;

  bool operator==(const Ext&) const = default;

 private:
  std::vector<ExtSection<FuncInfo>> func_infos_;
  std::vector<ExtSection<LineInfo>> line_infos_;
  std::vector<ExtSection<CoreRelo>> core_relos_;
};

}  // namespace bpfxx::btf
