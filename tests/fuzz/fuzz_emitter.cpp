// Fuzz target 2: the YAML emitter, as a property.
//
// The input is decoded (FuzzedDataProvider) into an ordered tree of strings (hostile pieces,
// arbitrary bytes, long repeats), integers (extremes included), finite doubles (any bit
// pattern), booleans, null, arrays, objects and CloudFormation intrinsics (one-key objects,
// nested). The tree is written with lambdaform::to_yaml and read back with lambdaform's
// own loader (detail::load_yaml + detail::to_json). The read-back tree must equal the
// input, strictly (types, values bit for bit, key order), after the two documented rewrites:
//  - invalid UTF-8 becomes U+FFFD (strings and keys), as utf8.hpp decodes it;
//  - a GetAtt written in short form from a single string ("a.b") reads back as the list form
//    (["a", "b"]; ["s"] without a dot).
// The JSON writer (to_json_text) is checked too when every string is valid UTF-8.
#include <cfloat>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "FuzzedDataProvider.h"

#include "fuzz_common.hpp"

namespace {

using lambdaform::Json;

constexpr const char* kPieces[] = {
    // plain-safe text and YAML indicators
    "a", "Z", "_x", "/p", "abc", "Fn", "0", "9", "-", "- ", "?", "? ", ":", ": ", " :", "#", " #",
    "&", "*", "!", "!Ref ", "!!str", "|", ">", "'", "\"", "\\", "%", "@", "`", ",", "[", "]", "{", "}",
    "=", "<<", ".", "..", "...", "---", "--- ", " ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "${",
    "${AWS::Region}", "${!Literal}", "a.b", "Arn", "Outputs.Url",
    // words YAML 1.1 / 1.2 readers resolve
    "y", "Y", "n", "N", "yes", "No", "ON", "off", "true", "False", "TRUE", "null", "Null", "~",
    "0755", "0x1F", "0b101", "0o17", "1_000", "12:30:45", "190:20:30", "2001-12-14",
    "2010-09-09", "1e5", "1.0e+5", "-.5", ".5", ".inf", "-.Inf", ".nan", "+1", "-0", "1.", "08",
    // controls and special code points (valid UTF-8)
    "" /* NUL */, "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f",
    "\x7f", "\xc2\x80", "\xc2\x85", "\xc2\x9f", "\xc2\xa0", "\xe2\x80\xa8", "\xe2\x80\xa9",
    "\xef\xbb\xbf", "\xef\xbf\xbe", "\xef\xbf\xbf", "\xef\xbf\xbd", "\xc3\xa9", "\xe2\x82\xac",
    "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "\xe3\x80\x80", "\xe2\x80\x8b",
    // invalid UTF-8
    "\xff", "\xfe", "\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xed\xbf\xbf",
    "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xe2\x82", "\xf0\x9f\x98", "\xc3"};
constexpr std::size_t kPieceCount = sizeof kPieces / sizeof kPieces[0];

// Pieces are C strings; the empty one stands for a NUL byte.
std::string piece(std::size_t i) {
  const char* p = kPieces[i];
  return *p ? std::string(p) : std::string(1, '\0');
}

constexpr const char* kIntrinsics[] = {
    "Ref",         "Condition", "Fn::And",    "Fn::Base64",      "Fn::Cidr",  "Fn::Equals",
    "Fn::FindInMap", "Fn::GetAZs", "Fn::GetAtt", "Fn::If",        "Fn::ImportValue", "Fn::Join",
    "Fn::Length",  "Fn::Not",   "Fn::Or",     "Fn::Select",      "Fn::Split", "Fn::Sub",
    "Fn::ToJsonString", "Fn::Transform",
    // not intrinsics the emitter knows: must stay ordinary one-key mappings
    "Fn::Foo", "Fn::", "Ref ", "ref", "!Ref", "Fn::GetAtt ", "Fn::Sub\n"};
constexpr std::size_t kIntrinsicCount = sizeof kIntrinsics / sizeof kIntrinsics[0];

class Gen {
 public:
  explicit Gen(FuzzedDataProvider& p) : p_(p) {}

  std::string key() { return string(true); }

  Json value(int depth) {
    if (++nodes_ > kMaxNodes || p_.remaining_bytes() == 0) return scalar();
    int kind = p_.ConsumeIntegralInRange<int>(0, depth >= kMaxDepth ? 5 : 9);
    switch (kind) {
      case 0: case 1: case 2: case 3: case 4: case 5:
        return scalar();
      case 6: {
        Json a = Json::array();
        int n = p_.ConsumeIntegralInRange<int>(0, 6);
        for (int i = 0; i < n; ++i) a.push_back(value(depth + 1));
        return a;
      }
      case 7: {
        Json o = Json::object();
        int n = p_.ConsumeIntegralInRange<int>(0, 6);
        for (int i = 0; i < n; ++i) {
          std::string k = string(/*key=*/true);
          o[k] = value(depth + 1);
        }
        return o;
      }
      default:
        return intrinsic(depth);
    }
  }

 private:
  static constexpr int kMaxDepth = 16;
  static constexpr int kMaxNodes = 3000;

  Json scalar() {
    switch (p_.ConsumeIntegralInRange<int>(0, 7)) {
      case 0: return nullptr;
      case 1: return p_.ConsumeBool();
      case 2: return integer();
      case 3: return real();
      default: return string(false);
    }
  }

  Json integer() {
    static constexpr std::int64_t kEdges[] = {0, 1, -1, 7, 493, 1000, -1000, 65535, 2147483647LL,
                                              -2147483648LL, 4294967296LL,
                                              std::numeric_limits<std::int64_t>::max(),
                                              std::numeric_limits<std::int64_t>::min(),
                                              std::numeric_limits<std::int64_t>::min() + 1,
                                              9007199254740993LL};
    switch (p_.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: return kEdges[p_.ConsumeIntegralInRange<std::size_t>(0, std::size(kEdges) - 1)];
      case 1: {
        std::uint64_t u = p_.ConsumeIntegral<std::uint64_t>();
        if (p_.ConsumeBool()) u |= std::uint64_t{1} << 63;  // above INT64_MAX: read back as uint64
        return u;
      }
      case 2: return p_.ConsumeIntegralInRange<std::int64_t>(-100000, 100000);
      default: return p_.ConsumeIntegral<std::int64_t>();
    }
  }

  Json real() {
    static constexpr double kEdges[] = {0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1e20, 1e-7, 1e21, 1e15,
                                        1e16, 1e17, 123456789.125, 3.0e-5, 5e-324, DBL_MIN,
                                        DBL_MAX, -DBL_MAX, 9007199254740993.0, 2.5e-308};
    double d;
    switch (p_.ConsumeIntegralInRange<int>(0, 2)) {
      case 0:
        d = kEdges[p_.ConsumeIntegralInRange<std::size_t>(0, std::size(kEdges) - 1)];
        break;
      case 1: {
        std::uint64_t bits = p_.ConsumeIntegral<std::uint64_t>();
        std::memcpy(&d, &bits, sizeof d);
        break;
      }
      default:
        d = p_.ConsumeFloatingPoint<double>();
    }
    if (!std::isfinite(d)) d = 0.25;  // NaN and infinities are not JSON
    return d;
  }

  std::string string(bool key) {
    std::string s;
    int parts = p_.ConsumeIntegralInRange<int>(0, key ? 3 : 6);
    for (int i = 0; i < parts; ++i) {
      switch (p_.ConsumeIntegralInRange<int>(0, 5)) {
        case 0:
          s += p_.ConsumeRandomLengthString(24);  // arbitrary bytes
          break;
        case 1: {  // long runs: the 1,024-character plain and implicit-key limits
          std::string unit = piece(p_.ConsumeIntegralInRange<std::size_t>(0, kPieceCount - 1));
          std::size_t times = p_.ConsumeIntegralInRange<std::size_t>(1, 1100);
          for (std::size_t t = 0; t < times && s.size() < 4096; ++t) s += unit;
          break;
        }
        default:
          s += piece(p_.ConsumeIntegralInRange<std::size_t>(0, kPieceCount - 1));
      }
    }
    return s;
  }

  Json intrinsic(int depth) {
    std::string name = kIntrinsics[p_.ConsumeIntegralInRange<std::size_t>(0, kIntrinsicCount - 1)];
    Json arg;
    switch (p_.ConsumeIntegralInRange<int>(0, 5)) {
      case 0:  // the natural argument shape
        if (name == "Ref" || name == "Condition" || name == "Fn::ImportValue" || name == "Fn::Base64" ||
            name == "Fn::GetAZs") {
          arg = string(false);
        } else if (name == "Fn::GetAtt") {
          arg = p_.ConsumeBool() ? Json(string(false)) : Json::array({string(true), string(true)});
        } else if (name == "Fn::Sub") {
          arg = p_.ConsumeBool() ? Json(string(false))
                                 : Json::array({string(false), value(depth + 1)});
        } else if (name == "Fn::Join") {
          Json items = Json::array();
          int n = p_.ConsumeIntegralInRange<int>(0, 4);
          for (int i = 0; i < n; ++i) items.push_back(value(depth + 2));
          arg = Json::array({string(false), items});
        } else {
          Json items = Json::array();
          int n = p_.ConsumeIntegralInRange<int>(0, 3);
          for (int i = 0; i < n; ++i) items.push_back(value(depth + 1));
          arg = items;
        }
        break;
      case 1:  // an intrinsic directly inside an intrinsic
        arg = depth < kMaxDepth ? intrinsic(depth + 1) : Json(string(false));
        break;
      default:
        arg = value(depth + 1);
    }
    return Json{{name, arg}};
  }

  FuzzedDataProvider& p_;
  int nodes_ = 0;
};

}  // namespace

LF_FUZZ_TARGET(fuzz_emitter) {
  FuzzedDataProvider p(data, size);
  Gen gen(p);
  // Mostly a template-like object at the top (the emitter's main case), sometimes anything.
  Json tree;
  int top = p.ConsumeIntegralInRange<int>(0, 3);
  if (top == 0) {
    tree = gen.value(0);
  } else {
    tree = Json::object();
    int n = p.ConsumeIntegralInRange<int>(1, 8);
    for (int i = 0; i < n && p.remaining_bytes() > 0; ++i) {
      std::string k = gen.key();
      tree[k] = gen.value(1);
    }
  }
  lf_fuzz::Normalised n;
  Json want = lf_fuzz::expected_readback(tree, false, n);
  // Two keys that differ only in invalid bytes become one key: the emitter then writes a
  // duplicate key, which readers refuse (validate() reports the invalid UTF-8 as LF1001).
  if (!n.key_collision) lf_fuzz::check_yaml_roundtrip(tree, want, "fuzz_emitter: YAML round trip");

  if (n.all_valid_utf8) {
    std::string text = lambdaform::to_json_text(tree);
    Json back = Json::parse(text);
    std::string where;
    if (!lf_fuzz::strict_equal(tree, back, &where))
      lf_fuzz::fail("fuzz_emitter: JSON round trip",
                    "differs at " + where + "\n--- input:\n" + lf_fuzz::show(tree) + "\n--- text:\n" + lf_fuzz::cut(text));
  }
  return 0;
}
