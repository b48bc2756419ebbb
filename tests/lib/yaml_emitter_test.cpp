#include <catch2/catch.hpp>

#include <random>

#include "random_tree.hpp"
#include "support.hpp"
#include "yaml_emitter.hpp"

using namespace lambdaform;

namespace {
// The YAML for a one-key mapping {"K": value}.
std::string yaml_of(const Json& value) {
  return to_yaml(Json{{"K", value}});
}
}  // namespace

TEST_CASE("YAML: YAML 1.1 booleans and nulls stay strings", "[yaml]") {
  for (const char* s : {"y",    "Y",     "yes",   "Yes",   "YES",  "n",    "N",    "no",   "No",
                        "NO",   "on",    "On",    "ON",    "off",  "Off",  "OFF",  "true", "True",
                        "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~"})
    CHECK(yaml_of(s) == std::string("K: '") + s + "'\n");
}

TEST_CASE("YAML: number-, date- and time-like strings are quoted", "[yaml]") {
  CHECK(yaml_of("0755") == "K: '0755'\n");
  CHECK(yaml_of("1_000") == "K: '1_000'\n");
  CHECK(yaml_of("12:30:45") == "K: '12:30:45'\n");
  CHECK(yaml_of("2001-12-14") == "K: '2001-12-14'\n");
  CHECK(yaml_of(".inf") == "K: '.inf'\n");
  CHECK(yaml_of("0x1F") == "K: '0x1F'\n");
  CHECK(yaml_of("1e5") == "K: '1e5'\n");
  CHECK(yaml_of("") == "K: ''\n");
  CHECK(yaml_of("<<") == "K: '<<'\n");
  CHECK(yaml_of("=") == "K: '='\n");
}

TEST_CASE("YAML: ordinary identifiers stay plain", "[yaml]") {
  CHECK(yaml_of("python3.12") == "K: python3.12\n");
  CHECK(yaml_of("index.handler") == "K: index.handler\n");
  CHECK(yaml_of("/orders/db/host") == "K: /orders/db/host\n");
  CHECK(yaml_of("arn:aws:iam::aws:policy/x") == "K: arn:aws:iam::aws:policy/x\n");
  CHECK(yaml_of("AWS::Lambda::Function") == "K: AWS::Lambda::Function\n");
  CHECK(yaml_of("Order processing") == "K: Order processing\n");
}

TEST_CASE("YAML: indicators, colons and quotes are single-quoted", "[yaml]") {
  CHECK(yaml_of("a: b") == "K: 'a: b'\n");
  CHECK(yaml_of("a #b") == "K: 'a #b'\n");
  CHECK(yaml_of("it's") == "K: 'it''s'\n");
  CHECK(yaml_of("$LATEST") == "K: '$LATEST'\n");
  CHECK(yaml_of("*") == "K: '*'\n");
  CHECK(yaml_of(" lead") == "K: ' lead'\n");
  CHECK(yaml_of("trail ") == "K: 'trail '\n");
  CHECK(yaml_of("a:") == "K: 'a:'\n");
}

TEST_CASE("YAML: line breaks and controls a YAML 1.1 reader mangles are escaped", "[yaml]") {
  CHECK(yaml_of("a\u2028b") == "K: \"a\\Lb\"\n");
  CHECK(yaml_of("a\u2029b") == "K: \"a\\Pb\"\n");
  // NEL as \x85: yaml-cpp reads \N as a lone byte 0x85 (regression found by the round trip).
  CHECK(yaml_of("a\xC2\x85"
                "b") == "K: \"a\\x85b\"\n");
  CHECK(yaml_of("\xEF\xBB\xBFx") == "K: \"\\uFEFFx\"\n");
  CHECK(yaml_of(std::string("a\0b", 3)) == "K: \"a\\0b\"\n");
  CHECK(yaml_of("a\rb") == "K: \"a\\rb\"\n");
  CHECK(yaml_of("a\x7f") == "K: \"a\\x7F\"\n");
  CHECK(yaml_of("\n") == "K: \"\\n\"\n");
  CHECK(yaml_of("x\r\ny\n") == "K: \"x\\r\\ny\\n\"\n");
}

TEST_CASE("YAML: invalid UTF-8 is written as U+FFFD, never raw", "[yaml]") {
  CHECK(yaml_of("a\xFF") == "K: 'a\xEF\xBF\xBD'\n");
}

TEST_CASE("YAML: multi-line strings are literal blocks with exact chomping", "[yaml]") {
  CHECK(yaml_of("a\nb\n") == "K: |\n  a\n  b\n");
  CHECK(yaml_of("a\nb") == "K: |-\n  a\n  b\n");
  // Keep blocks (|+) would swallow the blank line written after a section: double quotes.
  CHECK(yaml_of("a\nb\n\n") == "K: \"a\\nb\\n\\n\"\n");
  CHECK(yaml_of("  a\nb\n") == "K: |2\n    a\n  b\n");
  CHECK(yaml_of("a\n\n  b\n") == "K: |\n  a\n\n    b\n");
}

TEST_CASE(
    "YAML: a string with blank trailing lines before another section reads back exactly "
    "(fuzz_emitter F1)",
    "[yaml][regression]") {
  Json t = Json::object();
  t["Description"] = "Orders\n\n";
  t["Resources"] = Json::object();
  t["Resources"]["A"] = Json{{"Type", "AWS::SNS::Topic"}};
  const std::string y = to_yaml(t);
  CHECK(y == "Description: \"Orders\\n\\n\"\n\nResources:\n  A:\n    Type: AWS::SNS::Topic\n");
}

TEST_CASE("YAML: long strings are never wrapped", "[yaml]") {
  std::string s(3000, 'a');
  s += " b c";
  // Past 1024 characters a string is quoted, whatever it holds; still one line.
  CHECK(yaml_of(s) == "K: '" + s + "'\n");
}

TEST_CASE("YAML: numbers, booleans, null and empty collections", "[yaml]") {
  CHECK(yaml_of(42) == "K: 42\n");
  CHECK(yaml_of(-7) == "K: -7\n");
  CHECK(yaml_of(0.1) == "K: 0.1\n");
  CHECK(yaml_of(1.0) == "K: 1.0\n");
  CHECK(yaml_of(1e20) == "K: 1.0e+20\n");
  CHECK(yaml_of(true) == "K: true\n");
  CHECK(yaml_of(nullptr) == "K: null\n");
  CHECK(yaml_of(Json::array()) == "K: []\n");
  CHECK(yaml_of(Json::object()) == "K: {}\n");
}

TEST_CASE("YAML: intrinsics use the short form", "[yaml]") {
  CHECK(yaml_of(ref("X").to_json()) == "K: !Ref X\n");
  CHECK(yaml_of(get_att("Fn", "Arn").to_json()) == "K: !GetAtt Fn.Arn\n");
  CHECK(yaml_of(sub("${AWS::Region}").to_json()) == "K: !Sub '${AWS::Region}'\n");
  CHECK(yaml_of(join("", {"a", ref("B")}).to_json()) ==
        "K: !Join\n  - ''\n  - - a\n    - !Ref B\n");
  CHECK(yaml_of(get_azs().to_json()) == "K: !GetAZs ''\n");
  // A node has one tag: a nested intrinsic as the direct argument is written long-form.
  CHECK(yaml_of(base64(sub("x")).to_json()) == "K: !Base64\n  Fn::Sub: x\n");
  // A tagged scalar reads back as a string, so a non-string argument keeps the long form
  // (regression found by the round trip).
  CHECK(yaml_of(Json{{"Ref", 0}}) == "K:\n  Ref: 0\n");
  // An attribute path with a dot, or a dotted logical id, keeps the list form.
  CHECK(yaml_of(get_att("A.B", "C").to_json()) == "K: !GetAtt\n  - A.B\n  - C\n");
}

TEST_CASE("YAML: sections in order, a blank line between sections and resources",
          "[yaml][template]") {
  Template t;
  t.description = "d";
  t.add_parameter("P", lftest::param("String"));
  RawResource q{"AWS::SQS::Queue", Json::object()};
  t.add("A", q);
  t.add("B", q);
  t.add_output("O", lftest::output(ref("A")));
  CHECK(to_yaml(to_tree(t)) ==
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "\n"
        "Description: d\n"
        "\n"
        "Parameters:\n"
        "  P:\n"
        "    Type: String\n"
        "\n"
        "Resources:\n"
        "  A:\n"
        "    Type: AWS::SQS::Queue\n"
        "\n"
        "  B:\n"
        "    Type: AWS::SQS::Queue\n"
        "\n"
        "Outputs:\n"
        "  O:\n"
        "    Value: !Ref A\n");
}

TEST_CASE("YAML: keys are quoted by the same rules, long keys are explicit", "[yaml]") {
  CHECK(to_yaml(Json{{"no", 1}}) == "'no': 1\n");
  CHECK(to_yaml(Json{{"a\nb", 1}}) == "\"a\\nb\": 1\n");
  std::string k(1200, 'k');
  CHECK(to_yaml(Json{{k, 1}}) == "? '" + k + "'\n: 1\n");
}

TEST_CASE("YAML: a tagged block after an explicit key goes one step deeper", "[yaml]") {
  // Regression found by fuzz_emitter: yaml-cpp could not read the block at the key's indentation.
  std::string k(1200, 'k');
  CHECK(to_yaml(Json{{k, sub("x\ny\n").to_json()}}) == "? '" + k + "'\n: !Sub |\n    x\n    y\n");
}

TEST_CASE("YAML: the same tree gives the same bytes", "[yaml]") {
  auto a = lftest::sample();
  auto b = lftest::sample();
  CHECK(render(a.t) == render(b.t));
  CHECK(render(a.t).back() == '\n');
}

TEST_CASE("YAML: a template written entry by entry is byte for byte the whole tree's YAML",
          "[yaml][stream]") {
  // validate() writes Resources one resource at a time through YamlTemplateWriter: every mix of
  // whole entries and sections must give to_yaml's bytes, including sections whose one member
  // is named like an intrinsic (written as a tag, so not a section), empty mappings and keys
  // too long to be implicit.
  std::mt19937_64 rng(20261127);
  const std::string long_key(1100, 'k');
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  for (int n = 0; n < 3000; ++n) {
    Json top = Json::object();
    for (std::size_t i = pick(5) + 1; i > 0; --i) {
      Json v = lftest::random_tree(rng, 0);
      if (pick(2)) {  // a section of several members, as Resources
        v = Json::object();
        for (std::size_t m = pick(5); m > 0; --m)
          v[pick(8) ? "R" + std::to_string(pick(1000)) : (pick(2) ? "Ref" : long_key)] =
              lftest::random_tree(rng, 1);
      }
      top[pick(10) ? "S" + std::to_string(i) : long_key] = v;
    }
    detail::YamlTemplateWriter w;
    for (auto it = top.begin(); it != top.end(); ++it) {
      if (detail::YamlTemplateWriter::sectioned(it.value()) && pick(4)) {
        w.begin_section(it.key());
        for (auto m = it.value().begin(); m != it.value().end(); ++m)
          w.section_entry(m.key(), m.value());
      } else {
        w.entry(it.key(), it.value());
      }
    }
    INFO(top.dump(-1, ' ', false, Json::error_handler_t::replace));
    REQUIRE(w.text() == to_yaml(top));
  }
}

TEST_CASE("YAML: only a non-empty mapping that is not an intrinsic is written as a section",
          "[yaml][stream]") {
  CHECK(detail::YamlTemplateWriter::sectioned(Json{{"A", 1}, {"B", 2}}));
  CHECK(detail::YamlTemplateWriter::sectioned(Json{{"Fn", Json{{"Type", "X"}}}}));
  CHECK_FALSE(detail::YamlTemplateWriter::sectioned(Json{{"Ref", Json{{"Type", "X"}}}}));
  CHECK_FALSE(detail::YamlTemplateWriter::sectioned(Json::object()));
  CHECK_FALSE(detail::YamlTemplateWriter::sectioned(Json::array({1})));
  CHECK_FALSE(detail::YamlTemplateWriter::sectioned("text"));
}
