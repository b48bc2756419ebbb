#pragma once
// Random ordered trees for property tests (the version hash's canonical writer, the YAML
// writer's piecewise output).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "lambdaform/json.hpp"

namespace lftest {

// A random ordered tree with the keys and scalars where a hand-written canonical writer could
// differ from nlohmann's sorted dump: byte order of keys (case, '_', UTF-8, invalid bytes),
// escapes, numbers at the edges, empty containers.
inline lambdaform::Json random_tree(std::mt19937_64& rng, int depth) {
  static const std::vector<std::string> kStrings = {"",
                                                    "a",
                                                    "B",
                                                    "_",
                                                    "Z9",
                                                    "aa",
                                                    "a\"b",
                                                    "back\\slash",
                                                    "tab\t",
                                                    "nl\n",
                                                    "\x01",
                                                    "\x1f",
                                                    "\x7f",
                                                    "caf\xc3\xa9",
                                                    "\xe2\x82\xac",
                                                    "\xf0\x9f\x98\x80",
                                                    "\xff",
                                                    "\xc3",
                                                    "a\xed\xa0\x80"
                                                    "b",
                                                    "\xef\xbb\xbf",
                                                    "/",
                                                    "Fn::GetAtt",
                                                    "Ref",
                                                    "S3Key",
                                                    "s3key",
                                                    "${AWS::Region}"};
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto text = [&] {
    std::string s;
    for (std::size_t i = pick(3) + 1; i > 0; --i) s += kStrings[pick(kStrings.size())];
    return s;
  };
  switch (pick(depth > 4 ? 6 : 8)) {
    case 0:
      return nullptr;
    case 1:
      return pick(2) == 1;
    case 2: {
      static const std::int64_t kInts[] = {0, -1, 7, 9007199254740993LL, INT64_MIN, INT64_MAX};
      return pick(2) ? lambdaform::Json(kInts[pick(6)])
                     : lambdaform::Json(static_cast<std::int64_t>(rng()));
    }
    case 3:
      return static_cast<std::uint64_t>(rng() | (std::uint64_t{1} << 63));
    case 4: {
      static const double kReals[] = {
          0.0, -0.0, 0.1, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 123456789.125, 30.0};
      return kReals[pick(9)];
    }
    case 5:
      return text();
    case 6: {
      lambdaform::Json a = lambdaform::Json::array();
      for (std::size_t i = pick(4); i > 0; --i) a.push_back(random_tree(rng, depth + 1));
      return a;
    }
    default: {
      lambdaform::Json o = lambdaform::Json::object();
      for (std::size_t i = pick(6); i > 0; --i) o[text()] = random_tree(rng, depth + 1);
      return o;
    }
  }
}

}  // namespace lftest
