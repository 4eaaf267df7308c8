// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
//
// gen_helpers: writes the BPF-side helper prototype header from the UAPI
// <linux/bpf.h>.
//
//   gen_helpers <path to linux/bpf.h> <output bpf_helper_defs.h>
//
// The UAPI header carries two things we need: the helper documentation block
// (one prototype line per helper, followed by Description and Return
// paragraphs; the same text the kernel's man-page tooling reads) and the
// function-id mapper macro that numbers the helpers. A BPF program calls helper
// N by calling through a function pointer whose value is N: clang turns that
// into a BPF_CALL instruction with imm = N. So each helper becomes
//
//   static <ret> (* const bpf_<name>)(<params>) = (void *) <id>;
//
// Anything the tool does not understand is an error rather than a guess: a
// wrong prototype compiles silently into wrong code in every BPF program.
// Output depends only on the input bytes and the path given on the command
// line, so repeated runs are byte-for-byte identical.

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

struct GenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Param {
  std::string type;  // C type after mapping, e.g. "const void *", "__u32", "..."
  std::string name;  // empty for "void" and "..."
};

struct Proto {
  std::string name;  // without the bpf_ prefix
  std::string ret;   // C type after mapping
  std::vector<Param> params;
  std::string description;  // raw documentation text, paragraphs split by "\n\n"
  int doc_line = 0;         // 1-based line of the prototype in the input
};

struct MapperEntry {
  std::string name;
  long id = 0;
};

// Prototypes for helpers the input header numbers but does not document, or
// (for a header older than the entry) does not know at all. Written in the
// documentation's own syntax so they go through the same parser and type
// mapping as the real thing.
//
// Debian 12's 6.1 header documents every helper its mapper lists (1..209); it
// simply predates the cgroup local-storage pair that 6.2 added as ids 210 and
// 211. Those two are the last helpers the kernel will ever get: upstream froze
// the helper list after them and adds kfuncs instead. Appending them here thus
// makes the generated header complete for every kernel, including the 6.18
// test kernel. With a 6.2+ header the mapper and the documentation cover both,
// the header wins and these rows go unused.
struct Supplement {
  long id;
  const char* prototype;
  const char* description;
};
constexpr Supplement kSupplement[] = {
    {210, "void *bpf_cgrp_storage_get(struct bpf_map *map, struct cgroup *cgroup, void *value, u64 flags)",
     "Look up the local storage that map holds for cgroup, creating it (from value, or "
     "zeroed) when flags contains BPF_LOCAL_STORAGE_GET_F_CREATE."},
    {211, "long bpf_cgrp_storage_delete(struct bpf_map *map, struct cgroup *cgroup)",
     "Delete the local storage that map holds for cgroup."},
};

std::string trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw GenError("cannot open " + path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  if (in.bad()) throw GenError("error reading " + path);
  return lines;
}

// ---------------------------------------------------------------------------
// Helper ids

// Returns the mapper macro's body (continuation lines joined, comments removed)
// for the #define whose name is `macro`, or nothing when it is absent.
std::optional<std::string> macro_body(const std::vector<std::string>& lines, const std::string& macro) {
  const std::regex head("^#[ \t]*define[ \t]+" + macro + "\\(");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!std::regex_search(lines[i], head)) continue;
    std::string text;
    for (size_t j = i; j < lines.size(); ++j) {
      std::string l = lines[j];
      bool more = !l.empty() && l.back() == '\\';
      if (more) l.pop_back();
      text += l;
      text += ' ';
      if (!more) break;
    }
    // Drop the parameter list, then comments (newer headers end the list with
    // a multi-line comment inside the macro).
    size_t close = text.find(')');
    text = text.substr(close + 1);
    std::string out;
    for (size_t k = 0; k < text.size(); ++k) {
      if (text.compare(k, 2, "/*") == 0) {
        size_t end = text.find("*/", k + 2);
        if (end == std::string::npos) throw GenError(macro + ": unterminated comment");
        k = end + 1;
        out += ' ';
      } else {
        out += text[k];
      }
    }
    return out;
  }
  return std::nullopt;
}

// Splits every FN(...) use in a macro body into its trimmed arguments.
std::vector<std::vector<std::string>> fn_uses(const std::string& body, const std::string& macro) {
  std::vector<std::vector<std::string>> uses;
  size_t pos = 0;
  while ((pos = body.find("FN(", pos)) != std::string::npos) {
    if (pos > 0 && is_ident_char(body[pos - 1])) {
      pos += 3;
      continue;
    }
    size_t end = body.find(')', pos);
    if (end == std::string::npos) throw GenError(macro + ": unbalanced FN(");
    std::vector<std::string> args;
    std::stringstream ss(body.substr(pos + 3, end - pos - 3));
    std::string arg;
    while (std::getline(ss, arg, ',')) args.push_back(trim(arg));
    uses.push_back(std::move(args));
    pos = end + 1;
  }
  return uses;
}

// Two layouts exist. Since 6.2 the header numbers entries explicitly:
//   #define ___BPF_FUNC_MAPPER(FN, ctx...)  FN(unspec, 0, ##ctx) FN(map_lookup_elem, 1, ##ctx) ...
// Up to 6.1 (Debian 12) the id is the position in the list:
//   #define __BPF_FUNC_MAPPER(FN)  FN(unspec), FN(map_lookup_elem), ...
// Newer headers still define __BPF_FUNC_MAPPER, as a wrapper, so the explicit
// form is looked for first.
std::vector<MapperEntry> parse_mapper(const std::vector<std::string>& lines) {
  std::vector<MapperEntry> entries;
  if (auto body = macro_body(lines, "___BPF_FUNC_MAPPER")) {
    for (const auto& args : fn_uses(*body, "___BPF_FUNC_MAPPER")) {
      if (args.size() < 2) throw GenError("___BPF_FUNC_MAPPER: FN() without an id");
      char* end = nullptr;
      long id = std::strtol(args[1].c_str(), &end, 10);
      if (args[1].empty() || *end != '\0') {
        throw GenError("___BPF_FUNC_MAPPER: helper '" + args[0] + "' has a non-numeric id '" + args[1] + "'");
      }
      entries.push_back({args[0], id});
    }
  } else if (auto old_body = macro_body(lines, "__BPF_FUNC_MAPPER")) {
    long id = 0;
    for (const auto& args : fn_uses(*old_body, "__BPF_FUNC_MAPPER")) {
      if (args.size() != 1) throw GenError("__BPF_FUNC_MAPPER: expected FN(name)");
      entries.push_back({args[0], id++});
    }
  } else {
    throw GenError("no ___BPF_FUNC_MAPPER or __BPF_FUNC_MAPPER macro found");
  }
  if (entries.empty() || entries.front().name != "unspec" || entries.front().id != 0) {
    throw GenError("helper mapper does not start with unspec = 0");
  }
  for (size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].id != entries[i - 1].id + 1) {
      throw GenError("helper '" + entries[i].name + "' has id " + std::to_string(entries[i].id) +
                     ", expected " + std::to_string(entries[i - 1].id + 1));
    }
  }
  entries.erase(entries.begin());  // unspec is not callable
  return entries;
}

// ---------------------------------------------------------------------------
// Types

// Typedefs <linux/types.h> provides; anything else outside this list would
// make the output fail to compile, so it is rejected here instead.
const std::set<std::string> kKnownWords = {
    "void",  "char",  "short", "int",    "long",   "unsigned", "signed", "const", "volatile",
    "__u8",  "__u16", "__u32", "__u64",  "__s8",   "__s16",    "__s32",  "__s64", "__be16",
    "__be32", "__be64", "__le16", "__le32", "__le64", "__wsum",  "__sum16",
};

// The documentation names the kernel's own types. BPF programs see different
// ones: the context objects are exposed as their UAPI mirrors, and a map
// argument is the address of the program's BTF map definition, an anonymous
// struct that only a void pointer accepts without a cast.
std::string map_word(const std::string& w) {
  static const std::map<std::string, std::string> scalars = {
      {"u8", "__u8"},   {"u16", "__u16"}, {"u32", "__u32"}, {"u64", "__u64"},
      {"s8", "__s8"},   {"s16", "__s16"}, {"s32", "__s32"}, {"s64", "__s64"},
      {"size_t", "unsigned long"},
  };
  auto it = scalars.find(w);
  return it == scalars.end() ? w : it->second;
}

const std::map<std::string, std::string> kStructRenames = {
    {"sk_buff", "__sk_buff"},
    {"xdp_buff", "xdp_md"},
    {"sk_msg_buff", "sk_msg_md"},
};

// Maps a documentation type ("const struct sk_buff *", "u32") to its BPF-side
// spelling, collecting struct tags for forward declarations.
std::string map_type(const std::string& doc_type, const std::string& helper) {
  std::vector<std::string> words;
  size_t stars = 0;
  for (size_t i = 0; i < doc_type.size();) {
    char c = doc_type[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '*') {
      ++stars;
      ++i;
    } else if (is_ident_char(c)) {
      if (stars > 0) throw GenError("bpf_" + helper + ": unsupported type '" + doc_type + "'");
      size_t j = i;
      while (j < doc_type.size() && is_ident_char(doc_type[j])) ++j;
      words.push_back(doc_type.substr(i, j - i));
      i = j;
    } else {
      throw GenError("bpf_" + helper + ": unsupported type '" + doc_type + "'");
    }
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "struct" || w == "union" || w == "enum") {
      if (i + 1 >= words.size()) throw GenError("bpf_" + helper + ": '" + w + "' without a tag");
      std::string tag = words[++i];
      if (w == "struct" && tag == "bpf_map") {
        out.push_back("void");
        continue;
      }
      if (w == "struct") {
        auto it = kStructRenames.find(tag);
        if (it != kStructRenames.end()) tag = it->second;
      }
      out.push_back(w + " " + tag);
      continue;
    }
    std::string m = map_word(w);
    if (!kKnownWords.contains(w) && m == w) {
      throw GenError("bpf_" + helper + ": unknown type name '" + w + "' in '" + doc_type + "'");
    }
    out.push_back(m);
  }
  if (out.empty()) throw GenError("bpf_" + helper + ": empty type");
  std::string result;
  for (const auto& w : out) {
    if (!result.empty()) result += ' ';
    result += w;
  }
  if (stars > 0) result += ' ' + std::string(stars, '*');
  return result;
}

void collect_structs(const std::string& type, std::set<std::string>& tags) {
  static const std::regex tag_re("\\bstruct ([A-Za-z_][A-Za-z0-9_]*)");
  for (auto it = std::sregex_iterator(type.begin(), type.end(), tag_re); it != std::sregex_iterator(); ++it) {
    tags.insert((*it)[1].str());
  }
}

// "void *" + "map" -> "void *map"; "__u32" + "size" -> "__u32 size"
std::string declare(const std::string& type, const std::string& name) {
  if (name.empty()) return type;
  return type.back() == '*' ? type + name : type + " " + name;
}

// ---------------------------------------------------------------------------
// Documentation block

Param parse_param(const std::string& text, const std::string& helper) {
  std::string t = trim(text);
  if (t == "void" || t == "...") return {t, ""};
  size_t end = t.size();
  size_t begin = end;
  while (begin > 0 && is_ident_char(t[begin - 1])) --begin;
  std::string type = trim(t.substr(0, begin));
  std::string name = t.substr(begin);
  if (type.empty() || name.empty() || type == "const" || type == "struct") {
    throw GenError("bpf_" + helper + ": cannot split parameter '" + t + "' into type and name");
  }
  return {map_type(type, helper), name};
}

// Parses " * <ret> bpf_<name>(<params>)" (the leading " * " already removed).
Proto parse_prototype(const std::string& text, int line_no) {
  static const std::regex proto_re("^([A-Za-z_][A-Za-z0-9_ ]*?[ *]+)bpf_([a-z0-9_]+)\\(([^()]*)\\)$");
  std::smatch m;
  std::string t = trim(text);
  if (!std::regex_match(t, m, proto_re)) {
    throw GenError("line " + std::to_string(line_no) + ": expected a helper prototype, got '" + t + "'");
  }
  Proto p;
  p.name = m[2].str();
  p.ret = map_type(trim(m[1].str()), p.name);
  p.doc_line = line_no;
  std::stringstream ss(m[3].str());
  std::string arg;
  while (std::getline(ss, arg, ',')) p.params.push_back(parse_param(arg, p.name));
  if (p.params.empty()) throw GenError("bpf_" + p.name + ": empty parameter list (expected 'void')");
  for (size_t i = 0; i < p.params.size(); ++i) {
    bool last = i + 1 == p.params.size();
    if ((p.params[i].type == "void" && p.params.size() != 1) || (p.params[i].type == "..." && !last)) {
      throw GenError("bpf_" + p.name + ": malformed parameter list");
    }
  }
  return p;
}

// The block runs from the "Start of BPF helper function descriptions:" line to
// the end of that comment. Inside it, a prototype is the only text indented by
// exactly one space after the comment's " *"; section headers and their text
// are indented with tabs (a few with spaces), so anything indented deeper is
// body text. A helper implemented once per program type is documented once per
// implementation, so a name maps to several prototypes.
std::map<std::string, std::vector<Proto>> parse_docs(const std::vector<std::string>& lines) {
  size_t i = 0;
  const std::string start = "Start of BPF helper function descriptions:";
  while (i < lines.size() && lines[i].find(start) == std::string::npos) ++i;
  if (i == lines.size()) throw GenError("helper documentation block not found");

  std::map<std::string, std::vector<Proto>> docs;
  Proto* current = nullptr;
  enum class Section { None, Description, Return } section = Section::None;
  for (++i; i < lines.size(); ++i) {
    const std::string& raw = lines[i];
    int line_no = static_cast<int>(i) + 1;
    std::string lead = trim(raw);
    if (lead.rfind("*/", 0) == 0) return docs;
    if (raw.rfind(" *", 0) != 0) {
      throw GenError("line " + std::to_string(line_no) + ": unexpected text in helper documentation");
    }
    std::string rest = raw.substr(2);
    if (trim(rest).empty()) {
      if (current != nullptr && section == Section::Description) current->description += '\n';
      continue;
    }
    if (rest.size() >= 2 && rest[0] == ' ' && !std::isspace(static_cast<unsigned char>(rest[1]))) {
      Proto p = parse_prototype(rest.substr(1), line_no);
      auto& list = docs[p.name];
      list.push_back(std::move(p));
      current = &list.back();
      section = Section::None;
      continue;
    }
    std::string body = trim(rest);
    if (current == nullptr) {
      throw GenError("line " + std::to_string(line_no) + ": documentation text before the first prototype");
    }
    if (body == "Description") {
      section = Section::Description;
    } else if (body == "Return") {
      section = Section::Return;
    } else if (section == Section::Description) {
      current->description += body;
      current->description += '\n';
    } else if (section == Section::None) {
      throw GenError("line " + std::to_string(line_no) + ": text outside Description/Return for bpf_" +
                     current->name);
    }
  }
  throw GenError("helper documentation block is not terminated");
}

// One C prototype for all documented variants. Return types and parameter
// counts must agree; a parameter whose type differs between variants (the
// context, usually) becomes void * so every variant's argument is accepted,
// and is called ctx if any variant calls it that.
Proto merge_variants(const std::vector<Proto>& variants) {
  Proto merged = variants.front();
  for (size_t v = 1; v < variants.size(); ++v) {
    const Proto& other = variants[v];
    if (other.ret != merged.ret || other.params.size() != merged.params.size()) {
      throw GenError("bpf_" + merged.name + ": documented variants (lines " +
                     std::to_string(merged.doc_line) + " and " + std::to_string(other.doc_line) +
                     ") disagree on return type or arity");
    }
    for (size_t i = 0; i < merged.params.size(); ++i) {
      Param& p = merged.params[i];
      const Param& q = other.params[i];
      if (p.type != q.type) {
        if (p.type.back() != '*' || q.type.back() != '*') {
          throw GenError("bpf_" + merged.name + ": variants disagree on non-pointer parameter " +
                         std::to_string(i + 1));
        }
        p.type = "void *";
      }
      if (p.name != q.name && (q.name == "ctx" || p.name == "ctx")) p.name = "ctx";
    }
  }
  return merged;
}

// ---------------------------------------------------------------------------
// Comment text

// Turns the documentation's reStructuredText into plain prose: drops the
// escaped spaces used to glue "**name**\ ()", backslash escapes, ``literal``
// and **strong** markers, and *emphasis* asterisks.
std::string plain_text(std::string s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      if (s[i + 1] != ' ') out += s[i + 1];
      ++i;
    } else {
      out += s[i];
    }
  }
  s.clear();
  for (size_t i = 0; i < out.size(); ++i) {
    if ((out[i] == '*' || out[i] == '`') && i + 1 < out.size() && out[i + 1] == out[i]) {
      ++i;
      continue;
    }
    s += out[i];
  }
  static const std::regex emphasis("(^|[^A-Za-z0-9_*])\\*([^*\\s](?:[^*]*[^*\\s])?)\\*(?![A-Za-z0-9_])");
  s = std::regex_replace(s, emphasis, "$1$2");
  // Nothing in the text may end or nest the generated comment.
  for (size_t p; (p = s.find("*/")) != std::string::npos;) s.replace(p, 2, "* /");
  for (size_t p; (p = s.find("/*")) != std::string::npos;) s.replace(p, 2, "/ *");
  return s;
}

// The first sentence of the first paragraph, or the whole paragraph when no
// sentence ends inside it.
std::string summary(const std::string& description) {
  std::string para;
  std::stringstream ss(description);
  std::string line;
  while (std::getline(ss, line)) {
    if (trim(line).empty()) {
      if (!para.empty()) break;
      continue;
    }
    if (!para.empty()) para += ' ';
    para += trim(line);
  }
  std::string words;
  for (char c : para) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!words.empty() && words.back() != ' ') words += ' ';
    } else {
      words += c;
    }
  }
  int depth = 0;  // a period inside parentheses, as in "(e.g. IP)", ends nothing
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == '(') ++depth;
    if (words[i] == ')' && depth > 0) --depth;
    if (words[i] != '.' || words[i + 1] != ' ' || depth > 0) continue;
    size_t start = words.rfind(' ', i);
    start = start == std::string::npos ? 0 : start + 1;
    std::string last = words.substr(start, i - start);
    if (last == "e.g" || last == "i.e" || last == "etc" || last == "vs" || last == "incl") continue;
    return words.substr(0, i + 1);
  }
  return words;
}

// Reflows text into a block comment no wider than 80 columns.
std::string comment(const std::string& text) {
  constexpr size_t kWidth = 80;
  std::vector<std::string> lines;
  std::string cur;
  std::stringstream ss(text);
  std::string word;
  while (ss >> word) {
    if (!cur.empty() && 3 + cur.size() + 1 + word.size() > kWidth) {
      lines.push_back(cur);
      cur.clear();
    }
    if (!cur.empty()) cur += ' ';
    cur += word;
  }
  if (!cur.empty()) lines.push_back(cur);
  if (lines.empty()) return "";
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i == 0 ? "/* " : " * ") + lines[i] + "\n";
  if (3 + lines.back().size() + 3 <= kWidth) {
    out.pop_back();
    out += " */\n";
  } else {
    out += " */\n";
  }
  return out;
}

// ---------------------------------------------------------------------------

std::string generate(const std::string& input_path) {
  const std::vector<std::string> lines = read_lines(input_path);
  const std::vector<MapperEntry> mapper = parse_mapper(lines);
  const std::map<std::string, std::vector<Proto>> docs = parse_docs(lines);

  std::vector<std::pair<long, Proto>> helpers;
  std::set<std::string> numbered;
  for (const MapperEntry& e : mapper) {
    numbered.insert(e.name);
    auto it = docs.find(e.name);
    if (it != docs.end()) {
      helpers.emplace_back(e.id, merge_variants(it->second));
      continue;
    }
    const Supplement* s = nullptr;
    for (const Supplement& cand : kSupplement) {
      if (cand.id == e.id) s = &cand;
    }
    if (s == nullptr) {
      throw GenError("helper bpf_" + e.name + " (id " + std::to_string(e.id) +
                     ") has no prototype in the documentation block and none in gen_helpers' supplement");
    }
    Proto p = parse_prototype(s->prototype, 0);
    if (p.name != e.name) {
      throw GenError("supplement names id " + std::to_string(e.id) + " bpf_" + p.name +
                     ", but the header says bpf_" + e.name);
    }
    p.description = s->description;
    helpers.emplace_back(e.id, std::move(p));
  }
  for (const auto& [name, variants] : docs) {
    if (!numbered.contains(name)) {
      throw GenError("helper bpf_" + name + " is documented (line " +
                     std::to_string(variants.front().doc_line) + ") but has no id in the mapper");
    }
  }
  // Supplement rows past the header's last id extend the list; they must
  // continue it without a gap.
  size_t supplemented = 0;
  for (const Supplement& s : kSupplement) {
    long next = helpers.empty() ? 1 : helpers.back().first + 1;
    if (s.id < next) continue;
    if (s.id != next) {
      throw GenError("supplement id " + std::to_string(s.id) + " would leave a gap after id " +
                     std::to_string(next - 1));
    }
    Proto p = parse_prototype(s.prototype, 0);
    if (numbered.contains(p.name)) {
      throw GenError("supplement gives bpf_" + p.name + " id " + std::to_string(s.id) +
                     ", but the header numbers it differently");
    }
    p.description = s.description;
    helpers.emplace_back(s.id, std::move(p));
    ++supplemented;
  }

  std::set<std::string> structs;
  for (const auto& [id, p] : helpers) {
    collect_structs(p.ret, structs);
    for (const Param& q : p.params) collect_structs(q.type, structs);
  }

  std::string out;
  out += "/* Generated by bpfxx gen_helpers from " + input_path + "; do not edit. */\n";
  out += "/*\n"
         " * BPF helper prototypes, in helper id order.\n";
  if (supplemented > 0) {
    out += " * The last " + std::to_string(supplemented) +
           " are newer than the input and come from gen_helpers' supplement.\n";
  }
  out += " * Each helper is a constant function pointer whose value is the helper id;\n"
         " * clang compiles a call through it into BPF_CALL with imm = id. Needs the\n"
         " * __u8..__s64/__be16/__wsum typedefs of <linux/types.h> (or vmlinux.h).\n"
         " */\n"
         "#ifndef BPFXX_BPF_HELPER_DEFS_H\n"
         "#define BPFXX_BPF_HELPER_DEFS_H\n\n"
         "/* Declared up front: a struct first named inside a parameter list would be\n"
         " * local to that prototype. */\n";
  for (const std::string& s : structs) out += "struct " + s + ";\n";
  for (const auto& [id, p] : helpers) {
    out += "\n";
    out += comment(plain_text(summary(p.description)));
    std::string params;
    for (const Param& q : p.params) {
      if (!params.empty()) params += ", ";
      params += declare(q.type, q.name);
    }
    std::string ret_sep = p.ret.back() == '*' ? "" : " ";
    out += "static " + p.ret + ret_sep + "(* const bpf_" + p.name + ")(" + params + ") = (void *) " +
           std::to_string(id) + ";\n";
  }
  out += "\n#endif /* BPFXX_BPF_HELPER_DEFS_H */\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << (argc > 0 ? argv[0] : "gen_helpers")
              << " <linux/bpf.h> <output bpf_helper_defs.h>\n";
    return 2;
  }
  try {
    std::string text = generate(argv[1]);
    // Write to a temporary name first so a failed run never leaves a partial
    // header that a later build would take as up to date.
    std::string tmp = std::string(argv[2]) + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      out.close();
      if (!out) throw GenError("cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), argv[2]) != 0) {
      throw GenError(std::string("cannot rename ") + tmp + " to " + argv[2]);
    }
  } catch (const std::exception& e) {
    std::cerr << "gen_helpers: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
