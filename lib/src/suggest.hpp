#pragma once
// "Did you mean": the closest candidate by edit distance.

#include <string>
#include <string_view>
#include <vector>

namespace lambdaform::detail {

/// The candidate closest to `word` when it is close enough to be a likely typo, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace lambdaform::detail
