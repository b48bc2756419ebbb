// The spec loader (lib/src/yaml_loader.cpp): scalar resolution, positions, duplicate keys.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <optional>

#include "support.hpp"
#include "yaml_loader.hpp"

using namespace lambdaform;
using detail::load_yaml;
using detail::resolve_plain;
using V = std::vector<std::string>;

TEST_CASE("Loader: plain integers and floats resolve as YAML 1.2's core schema says",
          "[yaml][loader]") {
  CHECK(resolve_plain("42") == Json(42));
  CHECK(resolve_plain("-7") == Json(-7));
  CHECK(resolve_plain("+7") == Json(7));
  CHECK(resolve_plain("18446744073709551615") == Json(18446744073709551615ULL));
  CHECK(resolve_plain("1.5") == Json(1.5));
  CHECK(resolve_plain("1.") == Json(1.0));
  CHECK(resolve_plain(".5") == Json(0.5));
  CHECK(resolve_plain("-.5") == Json(-0.5));
  CHECK(resolve_plain("1e3") == Json(1000.0));
  CHECK(resolve_plain("2.5E-1") == Json(0.25));
  CHECK(std::isinf(resolve_plain("-.inf").get<double>()));
  // Not numbers: strings, exactly as written.
  for (const char* s : {".", "+", "-", "1e", "1e+", ".e1", "1.2.3", "0x10", "1_000", "12:30", "1 ",
                        "e5", "--1", "1.5x"})
    CHECK(resolve_plain(s) == Json(s));
}

TEST_CASE("Loader: columns count characters on long one-line flow collections (F4)",
          "[yaml][loader][regression]") {
  // 20,000 items on one line after a multi-byte character: every column right, in linear time.
  std::string text = "k: ['é'";
  for (int i = 0; i < 20000; ++i) text += ",1";
  text += ", [x: 1]]\n";
  auto r = load_yaml(text, "f.yaml");
  REQUIRE(r.diagnostics.empty());
  const auto& items = r.root->find("k")->items;
  REQUIRE(items.size() == 20002);
  CHECK(items[0].column == 5);
  CHECK(items[1].column == 9);
  CHECK(items[20000].column == 9 + 2 * 19999);
  CHECK(items[20001].column == 9 + 2 * 20000 + 1);
  // A mapping inside: its key is reported where it starts, in characters.
  REQUIRE(items[20001].kind == detail::YNode::Kind::sequence);
  REQUIRE(items[20001].items.size() == 1);
  REQUIRE(items[20001].items[0].entries.size() == 1);
  CHECK(items[20001].items[0].entries[0].first.column == 9 + 2 * 20000 + 2);
}

TEST_CASE("Loader: duplicate keys in large mappings are found with the first key's line (F5)",
          "[yaml][loader][regression]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "k" + std::to_string(i) + ": 1\n";
  text += "k17: 2\n";
  auto r = load_yaml(text, "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:5001:1: error: duplicate key 'k17' (first defined at line 18) [LF0004]"});
  // Below the indexing threshold too.
  r = load_yaml("a: 1\nb: 2\na: 3\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:3:1: error: duplicate key 'a' (first defined at line 1) [LF0004]"});
}

TEST_CASE("Loader: an empty text is an empty document, not a crash", "[yaml][loader][regression]") {
  // libyaml asserts on a null input pointer, which an empty string_view may carry (found by
  // fuzz.regressions when the loader moved to libyaml).
  auto r = load_yaml(std::string_view(), "f.yaml");
  CHECK(r.diagnostics.empty());
  CHECK_FALSE(r.root);
  r = load_yaml("", "f.yaml");
  CHECK(r.diagnostics.empty());
  CHECK_FALSE(r.root);
}

TEST_CASE("Loader: a UTF-8 BOM is skipped and not counted in columns", "[yaml][loader]") {
  auto r = load_yaml("\xEF\xBB\xBFstack: x\n", "f.yaml");
  REQUIRE(r.diagnostics.empty());
  CHECK(r.root->entries[0].first.column == 1);
  CHECK(r.root->entries[0].second.column == 8);
}

TEST_CASE("Loader: an unclosed flow collection is reported where it opens", "[yaml][loader]") {
  auto r = load_yaml("a: [1, 2\nb: 3\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:1:4: error: YAML syntax error: did not find expected ',' or ']' (in the flow "
          "sequence that starts here; noticed at line 2, column 2) [LF0001]"});
  r = load_yaml("x: 1\na: {b: 1\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:2:4: error: YAML syntax error: did not find expected ',' or '}' (in the flow "
          "mapping that starts here; noticed at line 3, column 1) [LF0001]"});
}

TEST_CASE("Loader: an unterminated quote and an overlong key are reported where they start",
          "[yaml][loader]") {
  auto r = load_yaml("a: 1\nb: \"never closed\nc: 2\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:2:4: error: YAML syntax error: found unexpected end of stream (in the quoted "
          "scalar that starts here; noticed at line 4, column 1) [LF0001]"});
  // libyaml allows implicit keys of up to 1,024 characters, as YAML says.
  r = load_yaml("a: 1\n" + std::string(2000, 'k') + ": 1\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:2:1: error: YAML syntax error: could not find expected ':' (in the simple key "
          "that starts here; noticed at line 2, column 2001) [LF0001]"});
}

TEST_CASE("Loader: other syntax errors name the construct they interrupt", "[yaml][loader]") {
  auto r = load_yaml("a:\n  b: 1\n c: 2\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:3:2: error: YAML syntax error: did not find expected key (while parsing a "
          "block mapping at line 1, column 1) [LF0001]"});
}

TEST_CASE("Loader: control characters and NUL are LF0002 with their position", "[yaml][loader]") {
  auto r = load_yaml("a: é\x01\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:1:5: error: the file contains U+0001, a character YAML does not allow in a "
          "document; in a double-quoted string write it as \\x01 [LF0002]"});
  r = load_yaml("a: 1\nb: \xC2\x9B\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:2:4: error: the file contains U+009B, a character YAML does not allow in a "
          "document; in a double-quoted string write it as \\x9B [LF0002]"});
  r = load_yaml("a: \xEF\xBF\xBE\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:1:4: error: the file contains U+FFFE, a character YAML does not allow in a "
          "document; in a double-quoted string write it as \\uFFFE [LF0002]"});
  r = load_yaml(std::string("a: 1\nb: x\0y\n", 11), "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:2:5: error: the file contains a NUL character [LF0002]"});
  // Escaped in double quotes they are fine.
  r = load_yaml("a: \"\\x01\\0\"\n", "f.yaml");
  REQUIRE(r.diagnostics.empty());
  CHECK(r.root->entries[0].second.value == std::string("\x01\0", 2));
}

TEST_CASE("Loader: null, ~ and an empty value are null nodes, and refused as keys",
          "[yaml][loader]") {
  auto r = load_yaml("a:\nb: ~\nc: null\nd: 'null'\n", "f.yaml");
  REQUIRE(r.diagnostics.empty());
  using K = detail::YNode::Kind;
  CHECK(r.root->find("a")->kind == K::null);
  CHECK(r.root->find("b")->kind == K::null);
  CHECK(r.root->find("c")->kind == K::null);
  CHECK(r.root->find("d")->kind == K::scalar);
  r = load_yaml("a: 1\n~: 2\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:2:1: error: mapping keys must be plain strings, not sequences, mappings or "
          "nulls [LF0007]"});
}

TEST_CASE("Loader: NEL, U+2028, U+2029 and a lone CR are refused where they are",
          "[yaml][loader]") {
  // libyaml (YAML 1.1) breaks lines there, editors do not: a NEL in a comment ended the comment
  // and the next error was reported on a line the editor numbers differently.
  auto r = load_yaml(
      "stack: demo # a\xC2\x85"
      "b\nfunctions: {}\n",
      "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:1:16: error: the file contains U+0085 (next line), which YAML 1.1 takes as a "
          "line break: remove it, or write \\N in a double-quoted string [LF0002]"});
  r = load_yaml("a: 1\nb: 'x\xE2\x80\xA8y'\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:2:6: error: the file contains U+2028 (line separator), which YAML 1.1 takes as a "
          "line break: remove it, or write \\L in a double-quoted string [LF0002]"});
  r = load_yaml("a: \xE2\x80\xA9\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:1:4: error: the file contains U+2029 (paragraph separator), which YAML 1.1 takes "
          "as a line break: remove it, or write \\P in a double-quoted string [LF0002]"});
  r = load_yaml("a: 1\rb: 2\n", "f.yaml");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"f.yaml:1:5: error: the file contains a carriage return without a line feed, which YAML "
          "takes as a line break: use LF or CRLF line endings [LF0002]"});
  // CRLF files are fine, and the escapes read as the characters.
  r = load_yaml("a: 1\r\nb: \"\\N\\L\\P\"\r\n", "f.yaml");
  REQUIRE(r.diagnostics.empty());
  CHECK(r.root->find("b")->value == "\xC2\x85\xE2\x80\xA8\xE2\x80\xA9");
  CHECK(r.root->find("b")->line == 2);
}

namespace {

// The fast reader's tree for `text`, checked against libyaml's; nullopt when it declines.
std::optional<detail::YNode> fast_and_checked(const std::string& text) {
  auto fast = detail::load_yaml_fast(text, "f.yaml");
  if (fast) {
    const auto full = detail::load_yaml_libyaml(text, "f.yaml");
    INFO(text);
    CHECK(full.diagnostics.empty());
    REQUIRE(full.root);
    CHECK(*full.root == *fast);
  }
  return fast;
}

}  // namespace

TEST_CASE("Loader: the fast reader reads every example spec as libyaml does", "[yaml][loader]") {
  std::size_t read = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(LAMBDAFORM_SOURCE_DIR) + "/templates")) {
    const auto spec = entry.path() / "stack.yaml";
    if (!std::filesystem::exists(spec)) continue;
    INFO(spec.string());
    // Every example is in its subset: what people write.
    CHECK(fast_and_checked(lftest::read_file(spec.string())));
    ++read;
  }
  CHECK(read == 8);
  // The bad specs: where it reads one, the same tree (it declines every refusal, below).
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(LAMBDAFORM_SOURCE_DIR) + "/tests/spec/bad"))
    fast_and_checked(lftest::read_file(entry.path().string()));
}

TEST_CASE("Loader: the fast reader places nodes where libyaml's events do", "[yaml][loader]") {
  // A block mapping at its first key, a sequence at its '-', a tagged node at its tag.
  const auto root = fast_and_checked(
      "---\n"
      "# comment\n"
      "a: !Sub 'x${Y}'   # after\n"
      "list:\n"
      "- k: 1\n"
      "  v: [!Ref Z, {q: \"r\"}]\n"
      "code: |-\n"
      "  line\n"
      "\n"
      "    indented\n");
  REQUIRE(root);
  REQUIRE(root->entries.size() == 3);
  CHECK(root->line == 3);
  CHECK(root->column == 1);
  const auto& a = root->entries[0].second;
  CHECK((a.tag == "!Sub" && a.value == "x${Y}" && a.line == 3 && a.column == 4));
  const auto& list = root->entries[1].second;
  CHECK((list.kind == detail::YNode::Kind::sequence && list.line == 5 && list.column == 1));
  const auto& item = list.items.at(0);
  CHECK((item.kind == detail::YNode::Kind::mapping && item.line == 5 && item.column == 3));
  const auto& v = item.entries.at(1).second;
  CHECK((v.line == 6 && v.column == 6));
  CHECK((v.items.at(0).tag == "!Ref" && v.items.at(0).column == 7));
  CHECK((v.items.at(1).column == 15 && v.items.at(1).entries.at(0).second.tag == "!"));
  const auto& code = root->entries[2].second;
  CHECK((code.tag == "!" && code.value == "line\n\n  indented" && code.line == 7 &&
         code.column == 7));
}

TEST_CASE("Loader: the fast reader reads its subset as libyaml does", "[yaml][loader]") {
  for (const char* text : {
           "a: 1\n",
           "a: 1",  // no final line break
           "  a: 1\n  b: 2\n",
           "a : b\n",
           "'k''q': \"v w\"\n",
           "a:\n  b:\n    c: d\n  e: f\n",
           "a:\n- 1\n- 2\nb: 3\n",
           "a:\n  - x\n  -   y: 1\n      z: 2\n",
           "-\n  a: 1\n- b\n",
           "a: x:y\nb: a#b\nc: [p:q, 'r']\n",
           "a: [ ]\nb: {  }\nc: [[1], [2, [3]]]\n",
           "a: {b: {c: [d, e]}, f: g}\n",
           "a: -1\nb: -.5\nc: ~\nd: null\ne:\n",
           "a: no\nb: 0755\nc: 12:30\nd: 2001-12-14\n",
           "a: |\n  x\n\n  y\n\n\nb: |\n   z\n  \n      \nc: 1\n",
           "- |\n x\n- |-\n  y\n",
           "a: !If [C, !Ref X, {Ref: Y}]\n",
           "a: b   \n# c\n\n   # d\n",
       }) {
    INFO(text);
    CHECK(fast_and_checked(text));
  }
}

TEST_CASE("Loader: the fast reader leaves everything else to libyaml", "[yaml][loader]") {
  for (const char* text : {
           "",
           "# only a comment\n",
           "just a scalar\n",
           "a: &x 1\nb: *x\n",
           "a: >\n  folded\n",
           "a: |+\n  kept\n",
           "a: |2\n  x\n",
           "a: |\n\n  leading empty line\n",
           "a: |\n  no final break",
           "a: plain\n  continued\n",
           "a: \"multi\n  line\"\n",
           "a: \"esc\\tape\"\n",
           "a: 'unclosed\n",
           "a: [1,\n  2]\n",
           "a: [1, 2,]\n",
           "a: {b}\n",
           "a: [b: c]\n",
           "a: {b: }\n",
           "a: [b:]\n",
           "a: !!str 1\n",
           "a: !<tag:x> 1\n",
           "a: !Ref\n",
           "? a\n: b\n",
           "a:\n-\n- b\n",
           "- - a\n",
           "a: 1\n---\nb: 2\n",
           "a: 1\n...\n",
           "%YAML 1.1\n---\na: 1\n",
           "a:\tb\n",
           "a: b\r\n",
           "a: \xC3\xA9\n",
           "a: b: c\n",
           "a: 'x'#c\n",
           "a: 1\n  b: 2\n",
           "a: 1\n- b\n",
           "a: 1\nb: 2\na: 3\n",  // a duplicate key: libyaml's reading reports it
           "null: 1\n",           // a null key: refused (LF0007) there too
       }) {
    INFO(text);
    CHECK_FALSE(detail::load_yaml_fast(text, "f.yaml"));
  }
  // Above the key length libyaml allows (1,024) and the depth limit: left to libyaml's reading.
  CHECK_FALSE(detail::load_yaml_fast(std::string(1500, 'k') + ": 1\n", "f.yaml"));
  std::string deep = "a: ";
  for (int i = 0; i < 70; ++i) deep += "[";
  for (int i = 0; i < 70; ++i) deep += "]";
  CHECK_FALSE(detail::load_yaml_fast(deep + "\n", "f.yaml"));
  CHECK(lftest::lines(load_yaml(deep + "\n", "f.yaml").diagnostics) ==
        V{"f.yaml:1:67: error: the document nests deeper than 64 levels, above lambdaform's "
          "limit [LF0006]"});
}
