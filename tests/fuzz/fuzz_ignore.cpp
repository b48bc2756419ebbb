// Fuzz target 5: the ignore rules of code packages (`.lambdaformignore`, which arrives in pull
// requests and is read by `render` and `package`). The input is an ignore file and paths, split
// at the first "\n---8<---\n" (all of it is the ignore file when there is none; then its own
// lines are also the paths). Every path, as a file and as a folder, goes through
// IgnoreRules::ignored() with the default rules plus the file's.
//
// Properties: no crash, leak or hang (the backtracking matcher took exponential time on
// `*a*a*a...b`: finding F9, so -timeout matters here); and glob_match() agrees with the old
// backtracking matcher (tests/glob_reference.hpp) for every rule and path short enough for it
// (at most 4 stars, paths up to 48 bytes).
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <lambdaform/lambdaform.hpp>

#include "fuzz_common.hpp"
#include "glob_reference.hpp"

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace

LF_FUZZ_TARGET(fuzz_ignore) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kCut = "\n---8<---\n";
  const std::size_t cut = text.find(kCut);
  const std::string_view rules_text = cut == std::string_view::npos ? text : text.substr(0, cut);
  const std::string_view paths_text =
      cut == std::string_view::npos ? text : text.substr(cut + kCut.size());

  lambdaform::IgnoreRules rules = lambdaform::IgnoreRules::defaults();
  rules.add_lines(rules_text);
  const std::vector<std::string_view> paths = lines_of(paths_text);
  for (std::string_view path : paths) {
    (void)rules.ignored(path, false);
    (void)rules.ignored(path, true);
  }
  // The matcher itself against the reference, with each ignore line taken as a raw pattern.
  for (std::string_view pattern : lines_of(rules_text)) {
    if (std::count(pattern.begin(), pattern.end(), '*') > 4) continue;
    for (std::string_view path : paths) {
      if (path.size() > 48) continue;
      const bool want = lftest::glob_reference::match(pattern, path);
      if (lambdaform::glob_match(pattern, path) != want)
        lf_fuzz::fail("fuzz_ignore: glob_match disagrees with the reference matcher",
                      "pattern: " + std::string(pattern) + "\npath: " + std::string(path) +
                          "\nreference: " + (want ? "match" : "no match"));
    }
  }
  return 0;
}
