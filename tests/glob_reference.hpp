#pragma once
// Test support: lambdaform's first glob matcher (package.cpp until session 3), kept verbatim as
// the reference the linear-time matcher is compared with. It backtracks, so it takes
// exponential time on patterns with many stars (finding F9): use it on short inputs only.
#include <cstddef>
#include <string_view>

namespace lftest::glob_reference {

// A `[...]` class at p (p[0] == '['); sets `end` past it. Returns whether `c` is in it; when
// the class is not closed, `end` is nullptr and the '[' is a literal.
inline bool char_class(std::string_view p, std::size_t i, char c, std::size_t& end) {
  std::size_t j = i + 1;
  bool negate = false;
  if (j < p.size() && (p[j] == '!' || p[j] == '^')) {
    negate = true;
    ++j;
  }
  bool match = false, first = true;
  while (j < p.size() && (p[j] != ']' || first)) {
    first = false;
    char lo = p[j];
    if (lo == '\\' && j + 1 < p.size()) lo = p[++j];
    char hi = lo;
    if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
      hi = p[j + 2];
      if (hi == '\\' && j + 3 < p.size()) hi = p[++j + 2];
      j += 2;
    }
    if (c >= lo && c <= hi) match = true;
    ++j;
  }
  if (j >= p.size()) {
    end = std::string_view::npos;
    return false;
  }
  end = j + 1;
  return match != negate;
}

inline bool glob_at(std::string_view p, std::size_t i, std::string_view t, std::size_t k) {
  while (i < p.size()) {
    if (p[i] == '*' && i + 1 < p.size() && p[i + 1] == '*') {
      i += 2;
      if (i < p.size() && p[i] == '/') {  // "**/": zero or more whole directories
        ++i;
        if (glob_at(p, i, t, k)) return true;
        for (std::size_t s = k; s < t.size(); ++s)
          if (t[s] == '/' && glob_at(p, i, t, s + 1)) return true;
        return false;
      }
      for (std::size_t s = k;; ++s) {  // "**": anything, slashes included
        if (glob_at(p, i, t, s)) return true;
        if (s >= t.size()) return false;
      }
    }
    if (p[i] == '*') {
      ++i;
      for (std::size_t s = k;; ++s) {
        if (glob_at(p, i, t, s)) return true;
        if (s >= t.size() || t[s] == '/') return false;
      }
    }
    if (k >= t.size()) return false;
    if (p[i] == '?') {
      if (t[k] == '/') return false;
      ++i, ++k;
      continue;
    }
    if (p[i] == '[') {
      std::size_t end = 0;
      bool in = char_class(p, i, t[k], end);
      if (end != std::string_view::npos) {
        if (!in || t[k] == '/') return false;
        i = end, ++k;
        continue;
      }
    }
    if (p[i] == '\\' && i + 1 < p.size()) ++i;
    if (p[i] != t[k]) return false;
    ++i, ++k;
  }
  return k == t.size();
}

/// The reference answer: does `pattern` match the `/`-separated `path`?
inline bool match(std::string_view pattern, std::string_view path) {
  return glob_at(pattern, 0, path, 0);
}

}  // namespace lftest::glob_reference
