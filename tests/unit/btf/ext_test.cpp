// Tests of btf::Ext, the .BTF.ext parser.
//
// Real objects: func_info has one record per function of each code section
// (at the function's byte offset, naming its FUNC), line_info is non-empty
// and sorted, CO-RE records reference real types and access strings.
// Malformed sections are written by hand and must fail with InvalidInput (or
// NotSupported for an unknown CO-RE kind), naming the problem and the offset
// within .BTF.ext.
#include <bpfxx/btf/ext.hpp>

#include "btf_test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace bpfxx::btf {
namespace {

using test_util::BtfBuilder;
using test_util::contains;
using test_util::kTestObjects;
using test_util::TestObject;

// ---- Real objects -----------------------------------------------------------------------------

struct Parsed {
  TestObject obj;
  Spec btf;
  Ext ext;
};

Parsed parse_object(const char* name, bool big_endian) {
  TestObject obj(name, big_endian);
  Spec btf = Spec::parse(obj.btf).value();
  auto ext = Ext::parse(obj.ext, btf);
  EXPECT_TRUE(ext.has_value()) << ext.error().summary();
  return {std::move(obj), std::move(btf), ext.has_value() ? std::move(*ext) : Ext{}};
}

TEST(BtfExtTest, SubprogsFuncInfo) {
  // From `llvm-readelf -s subprogs.bpf.o`: .text holds global_helper (0x0),
  // middle (0x18), loop_cb (0x58) and leaf (0x90); each program section one
  // function at 0.
  for (bool be : {false, true}) {
    SCOPED_TRACE(be ? "bpfeb" : "bpfel");
    Parsed p = parse_object("subprogs", be);
    ASSERT_EQ(p.ext.func_infos().size(), 3u);
    const auto* text = p.ext.func_infos_for(".text");
    ASSERT_NE(text, nullptr);
    std::vector<std::pair<uint32_t, std::string_view>> got;
    for (const FuncInfo& fi : text->records) {
      Type f = p.btf.type(fi.type_id).value();
      EXPECT_EQ(f.kind(), Kind::Func);
      got.emplace_back(fi.byte_offset, f.name());
    }
    std::vector<std::pair<uint32_t, std::string_view>> want = {
        {0x0, "global_helper"}, {0x18, "middle"}, {0x58, "loop_cb"}, {0x90, "leaf"}};
    EXPECT_EQ(got, want);
    const auto* getpid = p.ext.func_infos_for("tp/syscalls/sys_enter_getpid");
    ASSERT_NE(getpid, nullptr);
    ASSERT_EQ(getpid->records.size(), 1u);
    EXPECT_EQ(getpid->records[0].byte_offset, 0u);
    EXPECT_EQ(p.btf.type(getpid->records[0].type_id)->name(), "prog_with_loop");
    EXPECT_EQ(p.ext.func_infos_for("no such section"), nullptr);
    EXPECT_TRUE(p.ext.core_relos().empty());
  }
}

TEST(BtfExtTest, FuncInfoCountEqualsFunctionsPerSection) {
  // Functions per code section, as `llvm-readelf -s` lists FUNC symbols.
  const std::map<std::string, std::map<std::string, size_t>> functions = {
      {"globals", {{"tp/syscalls/sys_enter_getpid", 1}}},
      {"maps_kinds", {{"xdp", 2}}},
      {"subprogs", {{".text", 4}, {"tp/syscalls/sys_enter_getpid", 1}, {"tp/syscalls/sys_enter_getppid", 1}}},
      {"multi_prog",
       {{"tracepoint/syscalls/sys_enter_openat", 1}, {"raw_tp/sys_enter", 1}, {"tp_btf/sched_switch", 1},
        {"kprobe/do_unlinkat", 1}, {"kretprobe/do_unlinkat", 1}, {"uprobe//proc/self/exe:main", 1},
        {"fentry/do_unlinkat", 1}, {"xdp", 2}, {"tc", 1}, {"cgroup_skb/ingress", 1}, {"socket", 1},
        {"?tp/syscalls/sys_enter_close", 1}}},
      {"legacy_maps", {{"tp/syscalls/sys_enter_getpid", 1}}},
  };
  for (const char* name : kTestObjects) {
    for (bool be : {false, true}) {
      SCOPED_TRACE(std::string(name) + (be ? " bpfeb" : " bpfel"));
      Parsed p = parse_object(name, be);
      std::map<std::string, size_t> got;
      for (const auto& sec : p.ext.func_infos()) {
        got[std::string(sec.section)] = sec.records.size();
        // Records are in instruction order and distinct.
        EXPECT_TRUE(std::is_sorted(sec.records.begin(), sec.records.end(),
                                   [](const auto& a, const auto& b) { return a.byte_offset < b.byte_offset; }));
        for (const FuncInfo& fi : sec.records) EXPECT_EQ(fi.byte_offset % 8, 0u);
      }
      EXPECT_EQ(got, functions.at(name));
    }
  }
}

TEST(BtfExtTest, LineInfoIsPresentAndSorted) {
  for (const char* name : kTestObjects) {
    for (bool be : {false, true}) {
      SCOPED_TRACE(std::string(name) + (be ? " bpfeb" : " bpfel"));
      Parsed p = parse_object(name, be);
      ASSERT_EQ(p.ext.line_infos().size(), p.ext.func_infos().size());  // the same code sections
      for (const auto& sec : p.ext.line_infos()) {
        ASSERT_FALSE(sec.records.empty()) << sec.section;
        EXPECT_TRUE(std::is_sorted(sec.records.begin(), sec.records.end(),
                                   [](const auto& a, const auto& b) { return a.byte_offset < b.byte_offset; }));
        size_t with_line = 0;
        for (const LineInfo& li : sec.records) {
          auto file = p.btf.string_at(li.file_name_off);
          ASSERT_TRUE(file.has_value());
          EXPECT_TRUE(file->ends_with(std::string(name) + ".bpf.c")) << *file;
          auto text = p.btf.string_at(li.line_off);
          ASSERT_TRUE(text.has_value());
          // clang marks compiler-made code (spills, merged tails) line 0 with
          // no text; everything else has both.
          EXPECT_EQ(li.line == 0, text->empty()) << "line " << li.line << ": " << *text;
          with_line += li.line > 0;
        }
        EXPECT_GT(with_line, 0u);
        // The first line of each function's record set starts at its first
        // instruction: line_info covers every func_info offset.
        for (const FuncInfo& fi : p.ext.func_infos_for(sec.section)->records) {
          EXPECT_TRUE(std::any_of(sec.records.begin(), sec.records.end(),
                                  [&](const LineInfo& li) { return li.byte_offset == fi.byte_offset; }));
        }
      }
    }
  }
}

TEST(BtfExtTest, BothByteOrdersAgree) {
  for (const char* name : kTestObjects) {
    SCOPED_TRACE(name);
    Parsed le = parse_object(name, false);
    Parsed be = parse_object(name, true);
    EXPECT_TRUE(le.ext == be.ext);
  }
}

TEST(BtfExtTest, CoreRelocations) {
  // headers_compat.bpf.c reads through BPF_CORE_READ and asks
  // bpf_core_field_exists / type_exists / enum_value_exists / field_size.
  TestObject obj("headers_compat");
  Spec btf = Spec::parse(obj.btf).value();
  Ext ext = Ext::parse(obj.ext, btf).value();
  std::map<CoreReloKind, int> kinds;
  size_t total = 0;
  for (const auto& sec : ext.core_relos()) {
    for (const CoreRelo& r : sec.records) {
      ++kinds[r.kind];
      ++total;
      EXPECT_LT(r.type_id, btf.type_count());
      auto access = btf.string_at(r.access_str_off);
      ASSERT_TRUE(access.has_value());
      EXPECT_FALSE(access->empty());
      EXPECT_EQ(r.byte_offset % 8, 0u);
    }
  }
  EXPECT_GT(total, 0u);
  EXPECT_GT(kinds[CoreReloKind::FieldByteOffset], 0);
  EXPECT_EQ(kinds[CoreReloKind::FieldExists], 1);
  EXPECT_EQ(kinds[CoreReloKind::TypeExists], 1);
  EXPECT_EQ(kinds[CoreReloKind::EnumValueExists], 1);
  EXPECT_EQ(kinds[CoreReloKind::FieldByteSize], 1);
  EXPECT_EQ(to_string(CoreReloKind::FieldByteOffset), "byte_off");
  EXPECT_EQ(to_string(CoreReloKind::TypeMatches), "type_matches");
}

// ---- Hand-made .BTF.ext --------------------------------------------------------------------------
// A 32-byte header (with the CO-RE fields) and blocks after it. Offsets in
// the header count from the end of the header, as the format says.

struct ExtBuilder {
  bool big_endian = false;
  uint32_t hdr_len = 32;
  std::vector<uint32_t> func, line, core;  // each: record size, then sections

  std::vector<std::byte> build() const {
    std::vector<uint32_t> body;
    uint32_t func_off = 0, line_off = 0, core_off = 0;
    func_off = static_cast<uint32_t>(body.size() * 4);
    body.insert(body.end(), func.begin(), func.end());
    line_off = static_cast<uint32_t>(body.size() * 4);
    body.insert(body.end(), line.begin(), line.end());
    core_off = static_cast<uint32_t>(body.size() * 4);
    body.insert(body.end(), core.begin(), core.end());
    std::vector<std::byte> out(hdr_len + body.size() * 4);
    put16(out, 0, kMagic);
    out[2] = std::byte{1};
    put32(out, 4, hdr_len);
    put32(out, 8, func_off);
    put32(out, 12, static_cast<uint32_t>(func.size() * 4));
    put32(out, 16, line_off);
    put32(out, 20, static_cast<uint32_t>(line.size() * 4));
    if (hdr_len >= 32) {
      put32(out, 24, core_off);
      put32(out, 28, static_cast<uint32_t>(core.size() * 4));
    }
    for (size_t i = 0; i < body.size(); ++i) put32(out, hdr_len + i * 4, body[i]);
    return out;
  }
  void put16(std::vector<std::byte>& b, size_t off, uint16_t v) const {
    if (big_endian) v = detail::byteswap(v);
    std::memcpy(b.data() + off, &v, 2);
  }
  void put32(std::vector<std::byte>& b, size_t off, uint32_t v) const {
    if (big_endian) v = detail::byteswap(v);
    std::memcpy(b.data() + off, &v, 4);
  }
};

class HandMadeExt : public testing::Test {
 protected:
  void SetUp() override {
    BtfBuilder b;
    xdp_ = b.str("xdp");
    text_ = b.str(".text");
    TypeId i = b.int_("int", 4, 32);
    TypeId proto = b.func_proto(i, {});
    func_ = b.func("f", proto);
    btf_bytes_ = b.build();
    btf_ = Spec::parse(btf_bytes_).value();
  }
  // A valid section: two functions in "xdp", two lines, one CO-RE record.
  ExtBuilder valid() const {
    ExtBuilder e;
    e.func = {8, xdp_, 2, 0, func_, 16, func_};
    e.line = {16, xdp_, 2, 0, text_, xdp_, (12u << 10) | 5, 16, text_, xdp_, (13u << 10) | 1};
    e.core = {16, xdp_, 1, 8, 1, text_, 2};
    return e;
  }
  Error expect_error(const std::vector<std::byte>& bytes, Errc code, std::string_view message,
                     std::optional<uint64_t> offset) {
    auto r = Ext::parse(bytes, btf_);
    if (r.has_value()) {
      ADD_FAILURE() << "parsed although " << message;
      return Error(Errc::Internal, "parsed");
    }
    EXPECT_EQ(r.error().code(), code) << r.error().summary();
    EXPECT_TRUE(contains(r.error().message(), message)) << r.error().summary();
    EXPECT_EQ(r.error().op(), "parse .BTF.ext");
    if (offset) {
      EXPECT_EQ(r.error().file_offset(), *offset) << r.error().summary();
    }
    return std::move(r).error();
  }
  uint32_t xdp_ = 0, text_ = 0;
  TypeId func_ = 0;
  std::vector<std::byte> btf_bytes_;
  Spec btf_;
};

TEST_F(HandMadeExt, ValidSectionDecodes) {
  auto bytes = valid().build();
  auto ext = Ext::parse(bytes, btf_);
  ASSERT_TRUE(ext.has_value()) << ext.error().summary();
  ASSERT_EQ(ext->func_infos().size(), 1u);
  EXPECT_EQ(ext->func_infos()[0].section, "xdp");
  EXPECT_EQ(ext->func_infos()[0].records, (std::vector<FuncInfo>{{0, func_}, {16, func_}}));
  ASSERT_EQ(ext->line_infos().size(), 1u);
  EXPECT_EQ(ext->line_infos()[0].records,
            (std::vector<LineInfo>{{0, text_, xdp_, 12, 5}, {16, text_, xdp_, 13, 1}}));
  ASSERT_EQ(ext->core_relos().size(), 1u);
  EXPECT_EQ(ext->core_relos()[0].records, (std::vector<CoreRelo>{{8, 1, text_, CoreReloKind::FieldExists}}));
  EXPECT_NE(ext->core_relos_for("xdp"), nullptr);
  EXPECT_NE(ext->line_infos_for("xdp"), nullptr);
}

TEST_F(HandMadeExt, ShortHeaderWithoutCoreFields) {
  ExtBuilder e = valid();
  e.hdr_len = 24;
  e.core.clear();
  const auto bytes = e.build();  // the records view it
  auto ext = Ext::parse(bytes, btf_);
  ASSERT_TRUE(ext.has_value()) << ext.error().summary();
  EXPECT_TRUE(ext->core_relos().empty());
  EXPECT_EQ(ext->func_infos()[0].records.size(), 2u);
}

TEST_F(HandMadeExt, LargerRecordsKeepTheirKnownFields) {
  // A newer format may grow records; the tail is skipped.
  ExtBuilder e = valid();
  e.func = {12, xdp_, 2, 0, func_, 0xdead, 16, func_, 0xbeef};
  const auto bytes = e.build();  // the records view it
  auto ext = Ext::parse(bytes, btf_);
  ASSERT_TRUE(ext.has_value()) << ext.error().summary();
  EXPECT_EQ(ext->func_infos()[0].records, (std::vector<FuncInfo>{{0, func_}, {16, func_}}));
}

TEST_F(HandMadeExt, BadMagicAndVersion) {
  ExtBuilder e = valid();
  auto bytes = e.build();
  e.put16(bytes, 0, 0x1111);
  expect_error(bytes, Errc::InvalidInput, "bad .BTF.ext magic 0x1111", 0);
  auto version = e.build();
  version[2] = std::byte{3};
  expect_error(version, Errc::InvalidInput, "unsupported .BTF.ext version 3", 2);
}

TEST_F(HandMadeExt, ByteOrderMustMatchTheBtf) {
  ExtBuilder e = valid();
  e.big_endian = true;
  expect_error(e.build(), Errc::InvalidInput, ".BTF.ext byte order differs from .BTF", 0);
}

TEST_F(HandMadeExt, Truncated) {
  auto bytes = valid().build();
  bytes.resize(20);
  expect_error(bytes, Errc::InvalidInput, "20 bytes is too small for a .BTF.ext header", 0);
  // The header promises blocks the section does not hold.
  auto cut = valid().build();
  cut.resize(cut.size() - 8);
  expect_error(cut, Errc::InvalidInput, "core_relo block out of bounds", 32 + 4 * (7 + 11));
}

TEST_F(HandMadeExt, HeaderLengthOutOfRange) {
  ExtBuilder e = valid();
  auto bytes = e.build();
  e.put32(bytes, 4, 16);
  expect_error(bytes, Errc::InvalidInput, ".BTF.ext header length 16 invalid", 4);
  e.put32(bytes, 4, static_cast<uint32_t>(bytes.size() + 4));
  expect_error(bytes, Errc::InvalidInput, "header length", 4);
}

TEST_F(HandMadeExt, RecordSizeTooSmall) {
  ExtBuilder e = valid();
  e.func = {4, xdp_, 1, 0};
  expect_error(e.build(), Errc::InvalidInput, "func_info record size 4 is invalid (at least 8)", 32);
  ExtBuilder l = valid();
  l.line[0] = 12;
  expect_error(l.build(), Errc::InvalidInput, "line_info record size 12 is invalid (at least 16)", 32 + 4 * 7);
  ExtBuilder odd = valid();
  odd.func[0] = 10;  // not a multiple of 4
  expect_error(odd.build(), Errc::InvalidInput, "func_info record size 10 is invalid", 32);
}

TEST_F(HandMadeExt, SectionCountOverrunning) {
  ExtBuilder e = valid();
  e.func[2] = 1000;  // the count of "xdp"
  expect_error(e.build(), Errc::InvalidInput,
               "func_info section 'xdp' claims 1000 records of 8 bytes, past the end", 32 + 8);
  ExtBuilder huge = valid();
  huge.func[2] = 0xffffffff;  // count * size would overflow 32 bits
  expect_error(huge.build(), Errc::InvalidInput, "claims 4294967295 records", 32 + 8);
}

TEST_F(HandMadeExt, SectionNameOffsetOutOfBounds) {
  ExtBuilder e = valid();
  e.line[1] = 9999;
  expect_error(e.build(), Errc::InvalidInput, "line_info section name offset 9999 out of bounds", 32 + 4 * 7 + 4);
}

TEST_F(HandMadeExt, TruncatedSectionHeader) {
  ExtBuilder e = valid();
  e.func.push_back(xdp_);  // a second section with a name but no count
  expect_error(e.build(), Errc::InvalidInput, "truncated func_info section header", 32 + 4 * 7);
}

TEST_F(HandMadeExt, BlockTooShortForItsRecordSize) {
  ExtBuilder e = valid();
  auto bytes = e.build();
  e.put32(bytes, 12, 2);  // func_len 2: not even a record size
  expect_error(bytes, Errc::InvalidInput, "func_info block too short", 32);
}

TEST_F(HandMadeExt, UnknownCoreKindIsNotSupported) {
  ExtBuilder e = valid();
  e.core[6] = 13;
  const auto bytes = e.build();
  auto r = Ext::parse(bytes, btf_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::NotSupported);
  EXPECT_TRUE(contains(r.error().message(), "CO-RE relocation kind 13 in section 'xdp'")) << r.error().message();
}

TEST_F(HandMadeExt, CorruptedWordsNeverCrash) {
  const auto original = valid().build();
  for (size_t pos = 0; pos + 4 <= original.size(); pos += 4) {
    for (uint32_t v : {0u, 1u, 4u, 0xffffu, 0xffffffffu, 0x80000000u}) {
      auto bytes = original;
      valid().put32(bytes, pos, v);
      auto r = Ext::parse(bytes, btf_);
      if (!r) {
        EXPECT_FALSE(r.error().message().empty());
      }
    }
  }
}

}  // namespace
}  // namespace bpfxx::btf
