#include <catch2/catch.hpp>

#include <random>
#include <regex>
#include <string>
#include <vector>

#include "patterns.hpp"

using lambdaform::detail::match_known_pattern;

namespace {

// Every pattern of the field tables (lib/include/lambdaform/*.hpp) and rules_lambda.cpp.
const std::vector<std::string> kPatterns = {
    "^[\\w+=,.@-]+$",
    "^(/|/[\\x21-\\x7E]*/)$",
    "^[.\\-_/#A-Za-z0-9]+$",
    "[\\.\\-_/#A-Za-z0-9]+",
    "^(?!aws:)[\\s\\S]*$",
    "^[0-9A-Za-z\\.\\-_]*[^.]$",
    "^(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()$",
    "^/mnt/[a-zA-Z0-9-_.]+$",
    "^[a-zA-Z0-9-_]+$",
    "^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$",
    "^(\\$LATEST|[0-9]+)$",
    "^(lambda:[*]|lambda:[a-zA-Z]+|[*])$",
    "^o-[a-z0-9]{10,32}$",
    "^\\d{12}$",
    "[a-zA-Z][a-zA-Z0-9_]+",
    "^arn:aws[a-zA-Z-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$",
    "[-+]?0[0-9_]+",
    "[a-zA-Z][-a-zA-Z0-9]{0,127}",
    "[A-Za-z0-9]{1,200}",
    "[1-9][0-9]*",
};

// Prefixes that reach deep into the patterns; random tails do the rest.
const std::vector<std::string> kSeeds = {
    "",        "arn:",         "arn:aws:",    "arn:aws-cn:iam::123456789012:role",
    "arn::",   "arn:aws:s3:",  "arn:awsX-y:", "arn:aws:iam::123456789012:role/",
    "/",       "/mnt/",        "aws:",        "aws",
    "o-",      "o-abcdefghij", "lambda:",     "lambda:*",
    "$LATEST", "123456789012", "12345678901", "Fn",
    "-0",      "+00_1",        "0",           "stack-name",
};

const std::string kAlphabet =
    std::string("aAzZgmq09157-_./#:*$@+=, ") + "\n\r\t\x7f\x80\xff\x21\x7e" + std::string(1, '\0');

}  // namespace

TEST_CASE("Patterns: the hand-written matchers agree with std::regex", "[patterns]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> seed_of(0, kSeeds.size() - 1),
      char_of(0, kAlphabet.size() - 1), tail_len(0, 40), repeat(0, 3);
  for (const auto& pattern : kPatterns) {
    const std::regex re(pattern);
    std::vector<std::string> inputs = kSeeds;
    for (const auto& seed : kSeeds)
      for (char c : kAlphabet) {
        inputs.push_back(seed + c);
        inputs.push_back(std::string(1, c) + seed);
      }
    for (int i = 0; i < 20000; ++i) {
      std::string s = seed_of(rng) % 3 == 0 ? "" : kSeeds[seed_of(rng)];
      for (std::size_t n = tail_len(rng), k = 0; k < n; ++k) {
        // Runs of one character reach the length bounds ({10,32}, {12}).
        const char c = kAlphabet[char_of(rng) % (repeat(rng) == 0 ? kAlphabet.size() : 14)];
        s += c;
      }
      inputs.push_back(s);
    }
    for (std::size_t digits = 0; digits < 40; ++digits) {
      inputs.push_back(std::string(digits, '7'));
      inputs.push_back("o-" + std::string(digits, 'a'));
      inputs.push_back("arn:aws:iam::" + std::string(digits, '1') + ":role/x");
    }
    for (std::size_t len : {127, 128, 129, 199, 200, 201}) {
      inputs.push_back(std::string(len, 'a'));
      inputs.push_back("s" + std::string(len - 1, '-'));
    }
    for (const auto& s : inputs) {
      INFO("pattern " << pattern << " on '" << s << "'");
      auto ours = match_known_pattern(pattern, s);
      REQUIRE(ours.has_value());
      REQUIRE(*ours == std::regex_match(s, re));
    }
  }
}

TEST_CASE("Patterns: an unknown pattern is left to std::regex", "[patterns]") {
  CHECK_FALSE(match_known_pattern("^x+$", "xx").has_value());
}
