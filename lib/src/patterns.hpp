#pragma once
// Hand-written matchers for the regular expressions the field tables and rules use: compiling a
// std::regex costs more than rendering a small template, and matching one is slow too.

#include <optional>
#include <string_view>

namespace lambdaform::detail {

/// Whether the whole of `s` matches `pattern` (std::regex_match, ECMAScript grammar), for the
/// patterns lambdaform's own field tables and rules use; std::nullopt for any other pattern.
/// tests/lib/patterns_test.cpp checks each one against std::regex.
std::optional<bool> match_known_pattern(std::string_view pattern, std::string_view s);

/// match_known_pattern() for a pattern known to be in its list (false for any other).
bool matches_known_pattern(std::string_view pattern, std::string_view s);

}  // namespace lambdaform::detail
