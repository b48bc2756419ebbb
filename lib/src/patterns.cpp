#include "patterns.hpp"

#include <initializer_list>

namespace lambdaform::detail {

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}
bool lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool letter(char c) {
  return lower(c) || (c >= 'A' && c <= 'Z');
}
bool alnum(char c) {
  return letter(c) || digit(c);
}
bool one_of(char c, std::string_view set) {
  return set.find(c) != std::string_view::npos;
}

// Every character of `s` is alphanumeric or in `extra`.
bool all_alnum_or(std::string_view s, std::string_view extra) {
  for (char c : s)
    if (!alnum(c) && !one_of(c, extra)) return false;
  return true;
}

// [set]+ over the whole string.
bool plus_alnum_or(std::string_view s, std::string_view extra) {
  return !s.empty() && all_alnum_or(s, extra);
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!digit(c)) return false;
  return true;
}

bool all_digits_or_underscore(std::string_view s) {
  for (char c : s)
    if (!digit(c) && c != '_') return false;
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// ^(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()$  ('.' matches anything but \n and \r)
bool arn_or_empty(std::string_view s) {
  if (s.empty()) return true;
  if (!starts_with(s, "arn:")) return false;
  std::size_t i = 4;
  if (starts_with(s.substr(i), "aws")) {
    i += 3;
    while (i < s.size() && (letter(s[i]) || s[i] == '-')) ++i;
  }
  if (i >= s.size() || s[i] != ':') return false;
  const std::size_t service = ++i;
  while (i < s.size() && (lower(s[i]) || digit(s[i]) || s[i] == '-' || s[i] == '.')) ++i;
  if (i == service || i >= s.size() || s[i] != ':') return false;
  for (++i; i < s.size(); ++i)
    if (s[i] == '\n' || s[i] == '\r') return false;
  return true;
}

// ^arn:aws[a-zA-Z-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$
bool role_arn(std::string_view s) {
  if (!starts_with(s, "arn:aws")) return false;
  std::size_t i = 7;
  while (i < s.size() && (letter(s[i]) || s[i] == '-')) ++i;
  s.remove_prefix(i);
  if (!starts_with(s, ":iam::") || s.size() < 18 || !all_digits(s.substr(6, 12))) return false;
  s.remove_prefix(18);
  if (!starts_with(s, ":role")) return false;
  // "/?" before a set that holds '/' adds nothing.
  return plus_alnum_or(s.substr(5), "_+=,.@-/");
}

}  // namespace

bool matches_known_pattern(std::string_view pattern, std::string_view s) {
  return match_known_pattern(pattern, s).value_or(false);
}

std::optional<bool> match_known_pattern(std::string_view pattern, std::string_view s) {
  // IAM names (RoleName, a policy's name).
  if (pattern == "^[\\w+=,.@-]+$") return plus_alnum_or(s, "_+=,.@-");
  // IAM paths.
  if (pattern == "^(/|/[\\x21-\\x7E]*/)$") {
    if (s.empty() || s.front() != '/' || s.back() != '/') return false;
    for (char c : s)
      if (c < 0x21 || c > 0x7E) return false;
    return true;
  }
  // Log group names.
  if (pattern == "^[.\\-_/#A-Za-z0-9]+$" || pattern == "[\\.\\-_/#A-Za-z0-9]+")
    return plus_alnum_or(s, ".-_/#");
  // Tag keys.
  if (pattern == "^(?!aws:)[\\s\\S]*$") return !starts_with(s, "aws:");
  if (pattern == "^[0-9A-Za-z\\.\\-_]*[^.]$")
    return !s.empty() && s.back() != '.' && all_alnum_or(s.substr(0, s.size() - 1), ".-_");
  if (pattern == "^(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()$") return arn_or_empty(s);
  if (pattern == "^/mnt/[a-zA-Z0-9-_.]+$")
    return starts_with(s, "/mnt/") && plus_alnum_or(s.substr(5), "-_.");
  if (pattern == "^[a-zA-Z0-9-_]+$") return plus_alnum_or(s, "-_");
  if (pattern == "^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$") return plus_alnum_or(s, "-_") && !all_digits(s);
  if (pattern == "^(\\$LATEST|[0-9]+)$") return s == "$LATEST" || (!s.empty() && all_digits(s));
  if (pattern == "^(lambda:[*]|lambda:[a-zA-Z]+|[*])$") {
    if (s == "*" || s == "lambda:*") return true;
    if (!starts_with(s, "lambda:") || s.size() == 7) return false;
    for (char c : s.substr(7))
      if (!letter(c)) return false;
    return true;
  }
  if (pattern == "^o-[a-z0-9]{10,32}$") {
    if (!starts_with(s, "o-") || s.size() < 12 || s.size() > 34) return false;
    for (char c : s.substr(2))
      if (!lower(c) && !digit(c)) return false;
    return true;
  }
  if (pattern == "^\\d{12}$") return s.size() == 12 && all_digits(s);
  // Environment variable names (rules_lambda.cpp).
  if (pattern == "[a-zA-Z][a-zA-Z0-9_]+")
    return s.size() >= 2 && letter(s[0]) && all_alnum_or(s, "_");
  if (pattern == "^arn:aws[a-zA-Z-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$")
    return role_arn(s);
  // The spec compiler's (spec.cpp): a leading-zero integer, a stack name, a function name, a
  // version number.
  if (pattern == "[-+]?0[0-9_]+") {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    return s.size() >= 2 && s[0] == '0' && all_digits_or_underscore(s.substr(1));
  }
  if (pattern == "[a-zA-Z][-a-zA-Z0-9]{0,127}")
    return !s.empty() && s.size() <= 128 && letter(s[0]) && all_alnum_or(s, "-");
  if (pattern == "[A-Za-z0-9]{1,200}") return !s.empty() && s.size() <= 200 && all_alnum_or(s, "");
  if (pattern == "[1-9][0-9]*") return !s.empty() && s[0] != '0' && all_digits(s);
  return std::nullopt;
}

}  // namespace lambdaform::detail
