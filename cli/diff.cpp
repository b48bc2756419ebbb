// A small unified diff for `lambdaform check`: common prefix and suffix are trimmed, the middle
// is aligned by longest common subsequence (or, when too large, shown as one replaced block).
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"

namespace lambdaform::cli {

namespace {

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(s.substr(start) + "\n\\ No newline at end of file");
      break;
    }
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

struct Edit {
  char op;           // ' ', '-', '+'
  std::size_t a, b;  // line index in a (for ' ' and '-') and b (for ' ' and '+')
};

}  // namespace

std::string unified_diff(const std::string& a_text, const std::string& b_text,
                         const std::string& a_name, const std::string& b_name) {
  if (a_text == b_text) return {};
  auto a = split_lines(a_text), b = split_lines(b_text);
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  const std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;

  std::vector<Edit> edits;
  for (std::size_t i = 0; i < pre; ++i) edits.push_back({' ', i, i});
  if (n * m <= 4'000'000) {
    std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;)
        lcs[i][j] = a[pre + i] == b[pre + j] ? lcs[i + 1][j + 1] + 1
                                             : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        edits.push_back({' ', pre + i++, pre + j++});
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        edits.push_back({'+', pre + i, pre + j++});
      } else {
        edits.push_back({'-', pre + i++, pre + j});
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) edits.push_back({'-', pre + i, pre});
    for (std::size_t j = 0; j < m; ++j) edits.push_back({'+', pre + n, pre + j});
  }
  for (std::size_t k = 0; k < suf; ++k) edits.push_back({' ', pre + n + k, pre + m + k});

  std::string out = fmt::format("--- {}\n+++ {}\n", a_name, b_name);
  constexpr std::size_t kContext = 3;
  std::size_t k = 0;
  while (k < edits.size()) {
    while (k < edits.size() && edits[k].op == ' ') ++k;
    if (k == edits.size()) break;
    std::size_t start = k >= kContext ? k - kContext : 0;
    std::size_t end = k;  // extend while changes are within 2*context of each other
    std::size_t last_change = k;
    while (end < edits.size()) {
      if (edits[end].op != ' ')
        last_change = end;
      else if (end - last_change > 2 * kContext)
        break;
      ++end;
    }
    end = std::min(edits.size(), last_change + kContext + 1);
    std::size_t a_start = edits[start].a, b_start = edits[start].b, a_len = 0, b_len = 0;
    std::string body;
    for (std::size_t e = start; e < end; ++e) {
      const Edit& ed = edits[e];
      const std::string& line = ed.op == '+' ? b[ed.b] : a[ed.a];
      body += ed.op;
      body += line;
      body += '\n';
      if (ed.op != '+') ++a_len;
      if (ed.op != '-') ++b_len;
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_len ? a_start + 1 : a_start, a_len,
                       b_len ? b_start + 1 : b_start, b_len);
    out += body;
    k = end;
  }
  return out;
}

}  // namespace lambdaform::cli
