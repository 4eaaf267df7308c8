// codegen::write_c_header on small BTFs made with btf::Builder: the exact C
// for each feature (ordering, forward declarations, anonymous members,
// bitfields, packed and aligned layouts, enums, declarators, type tags, name
// clashes, filtering, function declarations). Whether the C compiles and
// reproduces real kernel layouts is c_header_clang_test.cpp's job.
#include <bpfxx/btf/builder.hpp>
#include <bpfxx/codegen/c_header.hpp>

#include <gtest/gtest.h>

namespace bpfxx::codegen {
namespace {

using btf::Builder;
using btf::kIntSigned;
using btf::TypeId;

// Only the type definitions: no guard, no pragma.
const CHeaderOptions kBare{.guard = "", .preserve_access_index = false};

std::string header(Builder&& b, const CHeaderOptions& options = kBare) {
  auto spec = std::move(b).finish();
  EXPECT_TRUE(spec) << spec.error().describe();
  if (!spec) return {};
  auto h = write_c_header(*spec, options);
  EXPECT_TRUE(h) << h.error().describe();
  return h ? *h : std::string();
}

TEST(CHeader, GuardAndPreserveAccessIndexWrapEverything) {
  Builder b;
  TypeId i = b.add_int("int", 4, kIntSigned);
  b.add_struct("s", 4, {{"x", i, 0}});
  EXPECT_EQ(header(std::move(b), {}),
            "#ifndef __VMLINUX_H__\n"
            "#define __VMLINUX_H__\n\n"
            "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
            "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
            "#endif\n\n"
            "struct s {\n\tint x;\n};\n\n"
            "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
            "#pragma clang attribute pop\n"
            "#endif\n\n"
            "#endif /* __VMLINUX_H__ */\n");
}

TEST(CHeader, NoPragmaWithoutAStructForItToApplyTo) {
  Builder b;
  b.add_typedef("__u32", b.add_int("unsigned int", 4, 0));
  EXPECT_EQ(header(std::move(b), {.guard = "G"}),
            "#ifndef G\n#define G\n\ntypedef unsigned int __u32;\n\n#endif /* G */\n");
}

TEST(CHeader, EmbeddedStructsComeFirstPointedToOnesAreForwardDeclared) {
  Builder b;
  // struct a { struct b *b; struct a *self; }; struct b { struct a a; }:
  // b embeds a, a only points to b, so a comes first after a forward
  // declaration of b. Member types may name ids added later.
  TypeId a = b.add_struct("a", 16, {{"b", 3, 0}, {"self", 4, 64}});
  TypeId bs = b.add_struct("b", 16, {{"a", a, 0}});
  ASSERT_EQ(b.add_ptr(bs), 3u);
  ASSERT_EQ(b.add_ptr(a), 4u);
  EXPECT_EQ(header(std::move(b)),
            "struct b;\n\n"
            "struct a {\n\tstruct b *b;\n\tstruct a *self;\n};\n\n"
            "struct b {\n\tstruct a a;\n};\n\n");
}

TEST(CHeader, TypedefsAndIntegerSpellings) {
  Builder b;
  TypeId u64 = b.add_int("long long unsigned int", 8, 0);
  TypeId odd = b.add_int("ssizetype", 8, kIntSigned);  // not C: spelled from size and sign
  TypeId flag = b.add_int("_Bool", 1, btf::kIntBool);
  b.add_typedef("__u64", u64);
  b.add_typedef("ssize_t", odd);
  b.add_typedef("bool", flag);
  b.add_typedef("__builtin_va_list", b.add_ptr(b.add_int("char", 1, btf::kIntChar)));  // clang's own
  EXPECT_EQ(header(std::move(b)),
            "typedef long long unsigned int __u64;\n\n"
            "typedef long ssize_t;\n\n"
            "typedef _Bool bool;\n\n");
}

TEST(CHeader, AnonymousMembersBitfieldsAndLegacyIntBitfields) {
  Builder b;
  TypeId u32 = b.add_int("unsigned int", 4, 0);
  TypeId i = b.add_int("int", 4, kIntSigned);
  TypeId l = b.add_int("long", 8, kIntSigned);
  TypeId c = b.add_int("char", 1, btf::kIntChar);
  TypeId u = b.add_union("", 8, {{"x", i, 0}, {"y", l, 0}});
  b.add_struct("flags", 24, {{"a", u32, 0, 3}, {"b", u32, 3, 5}, {"", u, 64}, {"c", c, 128}});
  // Older BTF: no kflag, the bitfield width lives in the INT.
  TypeId three_bits = b.add_int("unsigned int", 4, 0, 3);
  TypeId five_bits = b.add_int("unsigned int", 4, 0, 5);
  b.add_struct("legacy", 4, {{"p", three_bits, 0}, {"q", five_bits, 3}});
  EXPECT_EQ(header(std::move(b)),
            "struct flags {\n"
            "\tunsigned int a: 3;\n"
            "\tunsigned int b: 5;\n"
            "\tunion {\n"
            "\t\tint x;\n"
            "\t\tlong y;\n"
            "\t};\n"
            "\tchar c;\n"
            "};\n\n"
            "struct legacy {\n"
            "\tunsigned int p: 3;\n"
            "\tunsigned int q: 5;\n"
            "};\n\n");
}

TEST(CHeader, GapsBetweenBitfieldsArePadded) {
  Builder b;
  TypeId u32 = b.add_int("unsigned int", 4, 0);
  TypeId u8 = b.add_int("unsigned char", 1, 0);
  // a at bits 0-1, b at 8-9: the gap between them is an unnamed bitfield,
  // and so is the one before c, a plain member at byte 5.
  b.add_struct("gaps", 8, {{"a", u32, 0, 2}, {"b", u32, 8, 2}, {"c", u8, 40, 0}});
  EXPECT_EQ(header(std::move(b)),
            "struct gaps {\n"
            "\tunsigned int a: 2;\n"
            "\tlong: 6;\n"
            "\tunsigned int b: 2;\n"
            "\tlong: 30;\n"
            "\tunsigned char c;\n"
            "};\n\n");
}

TEST(CHeader, PackedAlignedAndPaddedLayoutsFromOffsets) {
  Builder b;
  TypeId i = b.add_int("int", 4, kIntSigned);
  TypeId c = b.add_int("char", 1, btf::kIntChar);
  TypeId l = b.add_int("long", 8, kIntSigned);
  b.add_struct("packed", 5, {{"c", c, 0}, {"i", i, 8}});           // int at byte 1
  b.add_struct("cacheline", 64, {{"a", i, 0}});                   // size only a 64-byte alignment explains
  b.add_struct("padded", 24, {{"a", i, 0}, {"b", l, 128}});       // b 8 bytes later than natural
  b.add_struct("tail", 12, {{"a", i, 0}, {"b", c, 32}});          // 3 bytes no alignment explains
  b.add_union("wide", 8, {{"c", c, 0}});                          // as if aligned(8)
  b.add_union("empty8", 8, {});                                   // members BTF lost: padded
  EXPECT_EQ(header(std::move(b)),
            "struct packed {\n\tchar c;\n\tint i;\n} __attribute__((packed));\n\n"
            "struct cacheline {\n\tint a;\n} __attribute__((aligned(64)));\n\n"
            "struct padded {\n\tint a;\n\tlong: 64;\n\tlong b;\n};\n\n"
            "struct tail {\n\tint a;\n\tchar b;\n\tlong: 24;\n\tint: 32;\n};\n\n"
            "union wide {\n\tchar c;\n} __attribute__((aligned(8)));\n\n"
            "union empty8 {\n\tlong: 64;\n};\n\n");
}

TEST(CHeader, EnumsKeepSignednessSizeAndWideValues) {
  Builder b;
  b.add_enum("sgn", 4, {{"NEG", -4}, {"POS", 7}}, /*is_signed=*/true);
  b.add_enum("uns", 4, {{"TOP", 0xffffffff}});
  b.add_enum64("wide", 8, {{"HUGE", int64_t(0xffffffffffffffe0ull)}, {"ONE", 1}});
  b.add_enum64("wide_signed", 8, {{"LOW", -(int64_t{1} << 40)}}, /*is_signed=*/true);
  b.add_enum("tiny", 1, {{"T0", 0}, {"T1", 1}});    // a packed kernel enum
  b.add_enum64("roomy", 8, {{"R0", 0}});           // 8 bytes with small values
  b.add_enum("", 4, {{"LONE_CONSTANT", 5}});        // anonymous and unused: its own definition
  EXPECT_EQ(header(std::move(b)),
            "enum sgn {\n\tNEG = -4,\n\tPOS = 7,\n};\n\n"
            "enum uns {\n\tTOP = 4294967295,\n};\n\n"
            "enum wide {\n\tHUGE = 18446744073709551584ULL,\n\tONE = 1,\n};\n\n"
            "enum wide_signed {\n\tLOW = -1099511627776LL,\n};\n\n"
            "enum tiny {\n\tT0 = 0,\n\tT1 = 1,\n} __attribute__((mode(QI)));\n\n"
            "enum roomy {\n\tR0 = 0,\n} __attribute__((mode(DI)));\n\n"
            "enum {\n\tLONE_CONSTANT = 5,\n};\n\n");
}

TEST(CHeader, AnonymousEnumInUseIsWrittenInline) {
  Builder b;
  TypeId e = b.add_enum("", 4, {{"ON", 1}});
  b.add_struct("holder", 4, {{"state", e, 0}});
  EXPECT_EQ(header(std::move(b)), "struct holder {\n\tenum {\n\t\tON = 1,\n\t} state;\n};\n\n");
}

TEST(CHeader, DeclaratorsNestInsideOut) {
  Builder b;
  TypeId i = b.add_int("int", 4, kIntSigned);
  TypeId c = b.add_int("char", 1, btf::kIntChar);
  TypeId cc = b.add_const(c);
  TypeId pcc = b.add_ptr(cc);
  TypeId cpcc = b.add_const(pcc);                        // const char *const
  TypeId row = b.add_array(i, i, 3);
  TypeId grid = b.add_array(row, i, 2);                  // int [2][3]
  TypeId prow = b.add_ptr(row);                          // int (*)[3]
  TypeId ptrs = b.add_array(b.add_ptr(i), i, 4);         // int *[4]
  TypeId vp = b.add_ptr(b.add_volatile(i));              // volatile int *
  TypeId rp = b.add_restrict(b.add_ptr(i));              // int *restrict
  TypeId cb = b.add_ptr(b.add_func_proto(pcc, {{"", i}, {"", pcc}}));  // const char *(*)(int, const char *)
  TypeId fns = b.add_array(b.add_ptr(b.add_func_proto(0, {})), i, 2);  // void (*[2])(void)
  TypeId va = b.add_ptr(b.add_func_proto(i, {{"", pcc}, {"", 0}}));    // int (*)(const char *, ...)
  TypeId fn_t = b.add_typedef("handler_t", b.add_func_proto(i, {{"", i}}));
  b.add_struct("decls", 136,
               {{"name", cpcc, 0},
                {"grid", grid, 64},
                {"row", prow, 256},
                {"ptrs", ptrs, 320},
                {"reg", vp, 576},
                {"rp", rp, 640},
                {"cb", cb, 704},
                {"fns", fns, 768},
                {"printf", va, 896},
                {"h", b.add_ptr(fn_t), 960},
                {"const_row", b.add_const(b.add_array(cc, i, 8)), 1024}});
  EXPECT_EQ(header(std::move(b)),
            "typedef int handler_t(int);\n\n"
            "struct decls {\n"
            "\tconst char *const name;\n"
            "\tint grid[2][3];\n"
            "\tint (*row)[3];\n"
            "\tint *ptrs[4];\n"
            "\tvolatile int *reg;\n"
            "\tint *restrict rp;\n"
            "\tconst char *(*cb)(int, const char *);\n"
            "\tvoid (*fns[2])(void);\n"
            "\tint (*printf)(const char *, ...);\n"
            "\thandler_t *h;\n"
            "\tconst char const_row[8];\n"
            "};\n\n");
}

TEST(CHeader, TypeTagsGoThroughAGuardedMacro) {
  Builder b;
  TypeId i = b.add_int("int", 4, kIntSigned);
  TypeId tagged = b.add_ptr(b.add_type_tag("user", i));
  b.add_struct("tags", 8, {{"p", tagged, 0}});
  std::string h = header(std::move(b));
  EXPECT_NE(h.find("#if __has_attribute(btf_type_tag) && !defined(BPF_NO_TYPE_TAGS)\n"
                   "#define __bpfxx_type_tag(x) __attribute__((btf_type_tag(x)))\n"
                   "#else\n#define __bpfxx_type_tag(x)\n#endif\n"),
            std::string::npos)
      << h;
  EXPECT_NE(h.find("struct tags {\n\tint __bpfxx_type_tag(\"user\") *p;\n};\n"), std::string::npos) << h;
}

TEST(CHeader, ForwardDeclarationsAndNameClashes) {
  Builder b;
  TypeId i = b.add_int("int", 4, kIntSigned);
  TypeId l = b.add_int("long", 8, kIntSigned);
  TypeId fwd = b.add_fwd("opaque");
  TypeId fwd_u = b.add_fwd("shape", /*is_union=*/true);
  b.add_struct("dup", 4, {{"x", i, 0}});
  b.add_struct("dup", 8, {{"y", l, 0}});  // another file's struct dup
  TypeId later = b.add_fwd("dup");        // a declaration names the first one
  b.add_enum("e1", 4, {{"SAME", 1}});
  b.add_enum("e2", 4, {{"SAME", 2}});
  b.add_struct("user", 24, {{"o", b.add_ptr(fwd), 0}, {"s", b.add_ptr(fwd_u), 64}, {"d", b.add_ptr(later), 128}});
  EXPECT_EQ(header(std::move(b)),
            "struct opaque;\n\n"
            "union shape;\n\n"
            "struct dup {\n\tint x;\n};\n\n"
            "struct dup___2 {\n\tlong y;\n};\n\n"
            "struct dup;\n\n"
            "enum e1 {\n\tSAME = 1,\n};\n\n"
            "enum e2 {\n\tSAME___2 = 2,\n};\n\n"
            "struct user {\n\tstruct opaque *o;\n\tunion shape *s;\n\tstruct dup *d;\n};\n\n");
}

TEST(CHeader, AStructContainingItselfByValueIsAnError) {
  Builder b;
  TypeId a = b.add_struct("a", 4, {{"b", 2, 0}});
  ASSERT_EQ(b.add_struct("b", 4, {{"a", a, 0}}), 2u);
  // The parser accepts it (structs are not reference chains); C cannot.
  auto spec = std::move(b).finish();
  ASSERT_TRUE(spec) << spec.error().describe();
  auto h = write_c_header(*spec, kBare);
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message().find("contains itself by value"), std::string::npos) << h.error().describe();
}

TEST(CHeader, RootsKeepWhatTheyEmbedAndDeclareWhatTheyPointTo) {
  Builder b;
  TypeId i = b.add_int("int", 4, kIntSigned);
  TypeId inner = b.add_struct("inner", 4, {{"x", i, 0}});
  TypeId far = b.add_struct("far", 4, {{"y", i, 0}});
  TypeId root = b.add_struct("root", 16, {{"in", inner, 0}, {"p", b.add_ptr(far), 64}});
  b.add_struct("unrelated", 4, {{"z", i, 0}});
  CHeaderOptions options = kBare;
  options.roots = std::vector<TypeId>{root};
  EXPECT_EQ(header(std::move(b), options),
            "struct inner {\n\tint x;\n};\n\n"
            "struct far;\n\n"
            "struct root {\n\tstruct inner in;\n\tstruct far *p;\n};\n\n");
}

TEST(CHeader, RootOutOfRangeIsAnError) {
  Builder b;
  b.add_int("int", 4, kIntSigned);
  auto spec = std::move(b).finish();
  ASSERT_TRUE(spec);
  CHeaderOptions options = kBare;
  options.roots = std::vector<TypeId>{99};
  auto h = write_c_header(*spec, options);
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message().find("root type id 99"), std::string::npos);
}

TEST(CHeader, KfuncsAreWeakKsymsAndOtherFunctionsPlainExterns) {
  auto build = [] {
    Builder b;
    TypeId i = b.add_int("int", 4, kIntSigned);
    TypeId task = b.add_struct("task", 4, {{"pid", i, 0}});
    TypeId proto = b.add_func_proto(i, {{"t", b.add_ptr(task)}, {"flags", i}});
    TypeId kfunc = b.add_func("bpf_task_thing", proto);
    b.add_decl_tag("bpf_kfunc", kfunc);
    b.add_func("plain_func", b.add_func_proto(0, {}));
    b.add_func("plain_func", b.add_func_proto(i, {}));  // a static namesake: declared once
    return b;
  };
  const std::string prelude =
      "#ifndef BPF_NO_KFUNC_PROTOTYPES\n"
      "#ifndef __ksym\n#define __ksym __attribute__((section(\".ksyms\")))\n#endif\n"
      "#ifndef __weak\n#define __weak __attribute__((weak))\n#endif\n\n";
  const std::string types = "struct task {\n\tint pid;\n};\n\n";
  CHeaderOptions kfuncs = kBare;
  kfuncs.functions = FunctionDecls::Kfuncs;
  EXPECT_EQ(header(build(), kfuncs),
            types + prelude + "extern int bpf_task_thing(struct task *t, int flags) __weak __ksym;\n\n#endif\n\n");
  CHeaderOptions all = kBare;
  all.functions = FunctionDecls::All;
  EXPECT_EQ(header(build(), all), types + prelude +
                                      "extern int bpf_task_thing(struct task *t, int flags) __weak __ksym;\n"
                                      "extern void plain_func(void);\n\n#endif\n\n");
  EXPECT_EQ(header(build()), types);
}

TEST(CHeader, SplitBtfUsesItsBase) {
  Builder base;
  TypeId i = base.add_int("int", 4, kIntSigned);
  TypeId core = base.add_struct("core", 4, {{"x", i, 0}});
  auto base_spec = std::make_shared<const btf::Spec>(std::move(base).finish().value());
  Builder mod = Builder::split(base_spec);
  mod.add_struct("module_thing", 8, {{"c", core, 0}, {"y", i, 32}});
  EXPECT_EQ(header(std::move(mod)),
            "struct core {\n\tint x;\n};\n\n"
            "struct module_thing {\n\tstruct core c;\n\tint y;\n};\n\n");
}

TEST(CHeader, OutputIsDeterministic) {
  Builder b;
  TypeId i = b.add_int("int", 4, kIntSigned);
  for (int n = 0; n < 50; ++n) b.add_struct("s" + std::to_string(n), 4, {{"x", i, 0}});
  auto spec = std::move(b).finish().value();
  EXPECT_EQ(write_c_header(spec).value(), write_c_header(spec).value());
}

}  // namespace
}  // namespace bpfxx::codegen
