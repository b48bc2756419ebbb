// Fuzz target 3: CloudFormation short-form tags (!Ref, !Sub, !GetAtt a.b, !If, !Join, ...) and
// long-form intrinsics at arbitrary nesting, through the loader and back through the emitter.
//
// The input is YAML text: taken as is when the first byte is below 0x40 ("raw" mode, where
// libFuzzer's mutations and the dictionary work on the text), otherwise generated from the rest
// of the input with FuzzedDataProvider: block and flow collections, tagged or not, at random
// depths, with tagged scalars, block scalars, empty nodes, long-form intrinsic keys, unknown and
// standard tags.
//
// Property: when the text loads (detail::load_yaml with the spec limits + detail::to_json) into
// a tree T1, then to_yaml(T1) loads again (no diagnostics, no unknown tag) into exactly T1, after
// the emitter's documented rewrites (fuzz_common.hpp: invalid UTF-8 from escapes to U+FFFD, a
// short-form GetAtt of one string to its list form).
#include <cstdint>
#include <string>

#include "FuzzedDataProvider.h"

#include "fuzz_common.hpp"

namespace {

using lambdaform::Json;

constexpr const char* kTags[] = {
    "!Ref", "!Sub", "!GetAtt", "!If", "!Join", "!Select", "!Split", "!Base64", "!FindInMap",
    "!ImportValue", "!GetAZs", "!Equals", "!And", "!Or", "!Not", "!Condition", "!Cidr",
    "!Transform", "!Length", "!ToJsonString",
    // unknown, standard, verbatim and odd tags
    "!Foo", "!ref", "!!str", "!!int", "!!map", "!!seq", "!!binary", "!", "!<tag:yaml.org,2002:str>",
    "!<!Ref>", "!Fn::Sub", "!Ref!"};

constexpr const char* kScalars[] = {
    "a", "Bucket", "a.b", "a.b.c", ".a", "a.", ".", "Fn::GetAtt", "Ref", "${AWS::Region}",
    "'${X}.${Y}'", "'a.b'", "\"a.b\"", "''", "\"\"", "\"\\t\\n\\x85\\u2028\\0\"", "\"\\ud800\"",
    "\"\\xff\"", "'it''s'", "123", "-1.5e+3", "1e5", "0x1F", "0755", "true", "yes", "~", "null",
    ".nan", ".inf", "-.inf", "18446744073709551616", "-9223372036854775809", "2010-09-09",
    "12:30", "é", "a b", "a #c", "[", "{", "*", "&x y", "---", "...", "%", "@x", "-", "?", ":"};

constexpr const char* kKeys[] = {
    "Ref", "Condition", "Fn::Sub", "Fn::GetAtt", "Fn::If", "Fn::Join", "Fn::Select", "Fn::Base64",
    "Fn::And", "Fn::Not", "Fn::Foo", "k", "Key", "'quoted'", "\"dq\"", "'Fn::Sub'", "a.b", "1",
    "true", "~", "''"};

class TextGen {
 public:
  explicit TextGen(FuzzedDataProvider& p) : p_(p) {}

  std::string document() {
    std::string out;
    if (p_.ConsumeIntegralInRange<int>(0, 3) == 0) {
      out += maybe_tag();
      out += flow(0);
      out += '\n';
    } else {
      block_mapping(0, 0, out);
    }
    return out;
  }

 private:
  static constexpr int kMaxDepth = 12;

  template <std::size_t N>
  const char* pick(const char* const (&list)[N]) {
    return list[p_.ConsumeIntegralInRange<std::size_t>(0, N - 1)];
  }

  std::string scalar() {
    switch (p_.ConsumeIntegralInRange<int>(0, 7)) {
      case 0: {
        std::string s = p_.ConsumeRandomLengthString(12);
        for (char& c : s)
          if (c == '\n' || c == '\r' || c == '\0') c = ' ';
        return s;
      }
      case 1:
        return std::string(pick(kScalars)) + "." + pick(kScalars);
      default:
        return pick(kScalars);
    }
  }

  std::string maybe_tag() {
    if (p_.ConsumeIntegralInRange<int>(0, 2) == 0) return "";
    return std::string(pick(kTags)) + " ";
  }

  std::string flow(int depth) {
    int kind = depth >= kMaxDepth ? 0 : p_.ConsumeIntegralInRange<int>(0, 4);
    std::string out;
    if (kind <= 1) return scalar();
    if (kind == 2 || kind == 3) {
      out += '[';
      int n = p_.ConsumeIntegralInRange<int>(0, 4);
      for (int i = 0; i < n; ++i) {
        if (i) out += ", ";
        out += maybe_tag() + flow(depth + 1);
      }
      return out + ']';
    }
    out += '{';
    int n = p_.ConsumeIntegralInRange<int>(0, 3);
    for (int i = 0; i < n; ++i) {
      if (i) out += ", ";
      out += std::string(pick(kKeys)) + ": " + maybe_tag() + flow(depth + 1);
    }
    return out + '}';
  }

  static void pad(std::string& out, int indent) { out.append(static_cast<std::size_t>(indent), ' '); }

  // Writes a value right after "key:" or "-" (the caller wrote that); a nested block goes at
  // `indent` + 2.
  void value(int depth, int indent, std::string& out) {
    int kind = depth >= kMaxDepth ? p_.ConsumeIntegralInRange<int>(0, 2)
                                  : p_.ConsumeIntegralInRange<int>(0, 7);
    switch (kind) {
      case 0:  // empty, maybe tagged
        if (p_.ConsumeBool()) out += " " + std::string(pick(kTags));
        out += '\n';
        return;
      case 1:
      case 2:  // scalar, maybe tagged
        out += " " + maybe_tag() + scalar() + "\n";
        return;
      case 3: {  // block scalar, maybe tagged
        out += " " + maybe_tag() + (p_.ConsumeBool() ? "|" : ">") + (p_.ConsumeBool() ? "-" : "") + "\n";
        int lines = p_.ConsumeIntegralInRange<int>(1, 3);
        for (int i = 0; i < lines; ++i) {
          pad(out, indent + 2);
          out += scalar() + "\n";
        }
        return;
      }
      case 4:  // flow collection, maybe tagged
        out += " " + maybe_tag() + flow(depth + 1) + "\n";
        return;
      case 5: {  // block sequence, maybe tagged
        std::string tag = maybe_tag();
        if (!tag.empty()) out += " " + tag;
        out += '\n';
        int n = p_.ConsumeIntegralInRange<int>(1, 4);
        for (int i = 0; i < n; ++i) {
          pad(out, indent + 2);
          out += '-';
          value(depth + 1, indent + 2, out);
        }
        return;
      }
      default: {  // block mapping, maybe tagged (a long-form intrinsic when the key is one)
        std::string tag = maybe_tag();
        if (!tag.empty()) out += " " + tag;
        out += '\n';
        block_mapping(depth + 1, indent + 2, out);
      }
    }
  }

  void block_mapping(int depth, int indent, std::string& out) {
    int n = p_.ConsumeIntegralInRange<int>(1, 4);
    for (int i = 0; i < n; ++i) {
      pad(out, indent);
      out += pick(kKeys);
      if (i) out += std::to_string(i);  // mostly distinct keys
      out += ':';
      value(depth + 1, indent, out);
    }
  }

  FuzzedDataProvider& p_;
};

}  // namespace

LF_FUZZ_TARGET(fuzz_intrinsics) {
  if (size == 0) return 0;
  std::string text;
  if (data[0] < 0x40) {
    text.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  } else {
    FuzzedDataProvider p(data + 1, size - 1);
    text = TextGen(p).document();
  }

  auto loaded = lambdaform::detail::load_yaml(text, "fuzz.yaml");
  if (!loaded.root) return 0;
  lambdaform::Diagnostics diags;  // unknown tags (LF0008) are converted as if untagged
  Json first = lambdaform::detail::to_json(*loaded.root, "fuzz.yaml", diags);

  lf_fuzz::Normalised n;
  Json want = lf_fuzz::expected_readback(first, false, n);
  if (n.key_collision) return 0;
  lf_fuzz::check_yaml_roundtrip(first, want, "fuzz_intrinsics: load -> to_yaml -> load");
  return 0;
}
