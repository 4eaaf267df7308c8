// Tests of bpfxx::Error: what summary() and describe() say, how errno maps
// to codes, and the builders (with_context, *_if_unset) that callers rely on
// to say where something failed.
#include <bpfxx/error.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>

namespace bpfxx {
namespace {

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- Construction and accessors --------------------------------------------
// A fresh error carries only its code and message: no errno, no names, no
// file offset, so callers can tell "not applicable" from a real value.

TEST(ErrorTest, PlainErrorHasOnlyCodeAndMessage) {
  Error e(Errc::InvalidInput, "bad thing");
  EXPECT_EQ(e.code(), Errc::InvalidInput);
  EXPECT_EQ(e.message(), "bad thing");
  EXPECT_EQ(e.sys_errno(), 0);
  EXPECT_TRUE(e.op().empty());
  EXPECT_TRUE(e.object().empty());
  EXPECT_TRUE(e.program().empty());
  EXPECT_TRUE(e.map().empty());
  EXPECT_TRUE(e.hint().empty());
  EXPECT_TRUE(e.verifier_log().empty());
  EXPECT_FALSE(e.source_line().has_value());
  EXPECT_FALSE(e.file_offset().has_value());
  EXPECT_EQ(e.summary(), "bad thing");
}

TEST(ErrorTest, BuildersSetEveryField) {
  Error e = Error(Errc::Kernel, "m")
                .with_errno(EINVAL)
                .with_op("BPF_MAP_CREATE")
                .with_object("obj")
                .with_program("prog")
                .with_map("events")
                .with_hint("try this")
                .with_verifier_log("log")
                .with_source_line({"a.c", "x = 1;", 3, 4, 5})
                .with_file_offset(0)
                .with_code(Errc::NotFound);
  EXPECT_EQ(e.code(), Errc::NotFound);
  EXPECT_EQ(e.sys_errno(), EINVAL);
  EXPECT_EQ(e.op(), "BPF_MAP_CREATE");
  EXPECT_EQ(e.object(), "obj");
  EXPECT_EQ(e.program(), "prog");
  EXPECT_EQ(e.map(), "events");
  EXPECT_EQ(e.hint(), "try this");
  EXPECT_EQ(e.verifier_log(), "log");
  ASSERT_TRUE(e.source_line().has_value());
  EXPECT_EQ(*e.source_line(), (SourceLine{"a.c", "x = 1;", 3, 4, 5}));
  // Offset 0 is a real offset (the ELF magic), not "unset".
  ASSERT_TRUE(e.file_offset().has_value());
  EXPECT_EQ(*e.file_offset(), 0u);
}

TEST(ErrorTest, CopiesAreDeep) {
  Error a(Errc::Io, "original");
  Error b = a;
  b = std::move(b).with_context("frame");
  EXPECT_EQ(a.message(), "original");
  EXPECT_EQ(b.message(), "frame: original");
  Error c(Errc::Internal, "other");
  c = a;
  EXPECT_EQ(c.code(), Errc::Io);
  EXPECT_EQ(c.message(), "original");
}

TEST(ErrorTest, ErrcNamesAreDistinct) {
  std::set<std::string_view> names;
  for (Errc c : {Errc::InvalidInput, Errc::NotFound, Errc::NotSupported, Errc::PermissionDenied,
                 Errc::VerifierRejected, Errc::RelocationFailed, Errc::Kernel, Errc::Io, Errc::Internal}) {
    names.insert(to_string(c));
  }
  EXPECT_EQ(names.size(), 9u);
  EXPECT_EQ(to_string(Errc::InvalidInput), "invalid input");
  EXPECT_EQ(to_string(Errc::VerifierRejected), "verifier rejected");
}

// ---- from_errno ---------------------------------------------------------------
// The errno decides the code callers branch on: EPERM means "run as root",
// ENOENT "no such thing", EOPNOTSUPP/ENOTSUPP "the kernel lacks it".

TEST(ErrorTest, FromErrnoMapsCodes) {
  struct Case {
    int err;
    Errc code;
  } cases[] = {
      {EPERM, Errc::PermissionDenied}, {EACCES, Errc::PermissionDenied}, {EOPNOTSUPP, Errc::NotSupported},
      {524 /* ENOTSUPP */, Errc::NotSupported}, {ENOENT, Errc::NotFound}, {EINVAL, Errc::Kernel},
      {E2BIG, Errc::Kernel}, {ENOMEM, Errc::Kernel},
  };
  for (const Case& c : cases) {
    Error e = Error::from_errno(c.err, "op");
    EXPECT_EQ(e.code(), c.code) << "errno " << c.err;
    EXPECT_EQ(e.sys_errno(), c.err);
    EXPECT_EQ(e.op(), "op");
  }
}

TEST(ErrorTest, FromErrnoDefaultMessageNamesTheErrno) {
  Error e = Error::from_errno(EPERM, "BPF_PROG_LOAD");
  EXPECT_TRUE(contains(e.message(), "(EPERM)")) << e.message();
  // The errno text is not repeated when the message already holds it.
  EXPECT_EQ(e.summary(), "BPF_PROG_LOAD: " + e.message());
  Error kernel_only = Error::from_errno(524, "BPF_LINK_CREATE");
  EXPECT_TRUE(contains(kernel_only.message(), "ENOTSUPP")) << kernel_only.message();
}

TEST(ErrorTest, FromErrnoKeepsCallerMessage) {
  Error e = Error::from_errno(ENOENT, "open", "no such tracepoint");
  EXPECT_EQ(e.message(), "no such tracepoint");
  // The errno text is appended to the summary, since the message lacks it.
  EXPECT_TRUE(contains(e.summary(), "no such tracepoint: ")) << e.summary();
  EXPECT_TRUE(contains(e.summary(), "(ENOENT)")) << e.summary();
}

// ---- summary() -----------------------------------------------------------------
// One line, in a fixed order: op, names, message, errno, file offset, source
// line, last useful verifier line, hint.

TEST(ErrorTest, SummaryOrdersItsParts) {
  Error e = Error(Errc::Kernel, "creating the map failed")
                .with_op("BPF_MAP_CREATE")
                .with_object("obj")
                .with_map("events")
                .with_program("prog")
                .with_errno(EINVAL)
                .with_hint("check max_entries");
  std::string expected = "BPF_MAP_CREATE: program 'prog', map 'events', object 'obj': creating the map failed: " +
                         std::string(std::strerror(EINVAL)) + " (EINVAL) (hint: check max_entries)";
  EXPECT_EQ(e.summary(), expected);
}

TEST(ErrorTest, SummaryNamesFileOffsetAndSourceLine) {
  Error e = Error(Errc::InvalidInput, "bad section").with_op("parse ELF").with_file_offset(4096);
  EXPECT_EQ(e.summary(), "parse ELF: bad section (at file offset 4096)");
  Error v = Error(Errc::VerifierRejected, "rejected").with_source_line({"prog.c", "", 42, 7, 3});
  EXPECT_EQ(v.summary(), "rejected at prog.c:42");
}

TEST(ErrorTest, SummaryPicksLastUsefulVerifierLine) {
  // The kernel ends a log with statistics; the reason is the line before.
  std::string log =
      "0: R1=ctx() R10=fp0\n"
      "0: (85) call unknown#999\n"
      "invalid func unknown#999\n"
      "processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n"
      "verification time 10 usec\n"
      "stack depth 0\n"
      "\n";
  Error e = Error(Errc::VerifierRejected, "program rejected").with_program("p").with_verifier_log(log);
  EXPECT_EQ(e.summary(), "program 'p': program rejected: verifier: invalid func unknown#999");
  // A log of statistics only adds nothing.
  Error s = Error(Errc::VerifierRejected, "x").with_verifier_log("processed 5 insns\nstack depth 8\n");
  EXPECT_EQ(s.summary(), "x");
}

// ---- describe() ------------------------------------------------------------------
// The multi-line form keeps the whole verifier log and the source text.

TEST(ErrorTest, DescribeHoldsEverything) {
  Error e = Error(Errc::VerifierRejected, "rejected")
                .with_program("count")
                .with_source_line({"count.bpf.c", "*p = 1;", 12, 5, 7})
                .with_verifier_log("line one\nR1 invalid mem access 'scalar'\nprocessed 3 insns\n");
  std::string d = e.describe();
  EXPECT_EQ(d.rfind("error: verifier rejected\n", 0), 0u) << d;
  EXPECT_TRUE(contains(d, "  " + e.summary() + "\n")) << d;
  EXPECT_TRUE(contains(d, "  source: count.bpf.c:12:5 (instruction 7)\n")) << d;
  EXPECT_TRUE(contains(d, "    *p = 1;\n")) << d;
  EXPECT_TRUE(contains(d, "  verifier log:\n    line one\n    R1 invalid mem access 'scalar'\n    processed 3 insns\n"))
      << d;
}

TEST(ErrorTest, DescribeWithoutExtrasIsTwoLines) {
  Error e(Errc::NotFound, "no program 'x'");
  EXPECT_EQ(e.describe(), "error: not found\n  no program 'x'\n");
}

// ---- Context frames and names ------------------------------------------------------
// Frames are prepended as the error travels outwards; names set deep inside
// (the map that failed) win over names added on the way out.

TEST(ErrorTest, WithContextPrependsFrames) {
  Error e = Error(Errc::Kernel, "E2BIG").with_context("creating map 'events'").with_context("loading 'obj'");
  EXPECT_EQ(e.message(), "loading 'obj': creating map 'events': E2BIG");
}

TEST(ErrorTest, IfUnsetKeepsInnerNames) {
  Error e = Error(Errc::Kernel, "m").with_map("inner").with_map_if_unset("outer").with_program_if_unset("p")
                .with_object_if_unset("o");
  EXPECT_EQ(e.map(), "inner");
  EXPECT_EQ(e.program(), "p");
  EXPECT_EQ(e.object(), "o");
  Error f = Error(Errc::Kernel, "m").with_program("first").with_program_if_unset("second").with_object("a")
                .with_object_if_unset("b");
  EXPECT_EQ(f.program(), "first");
  EXPECT_EQ(f.object(), "a");
}

// ---- BadResultAccess -------------------------------------------------------------
// The exception carries the error itself and a what() equal to its summary.

TEST(ErrorTest, BadResultAccessCarriesTheError) {
  BadResultAccess ex(Error(Errc::NotFound, "gone").with_op("lookup"));
  EXPECT_EQ(ex.error().code(), Errc::NotFound);
  EXPECT_STREQ(ex.what(), "lookup: gone");
}

}  // namespace
}  // namespace bpfxx
