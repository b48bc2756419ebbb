#include "lambdaform/diagnostic.hpp"

#include <fmt/format.h>

namespace lambdaform {

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "info";
  }
  return "error";
}

bool has_errors(const Diagnostics& ds) noexcept {
  for (const auto& d : ds)
    if (d.severity == Severity::error) return true;
  return false;
}

std::string format(const Diagnostic& d) {
  if (d.location)
    return fmt::format("{}:{}:{}: {}: {} [{}]", d.location->file, d.location->line,
                       d.location->column, to_string(d.severity), d.message, d.rule);
  return fmt::format("{}: {}: {} [{}]", d.path.empty() ? "/" : d.path, to_string(d.severity),
                     d.message, d.rule);
}

std::string pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

}  // namespace lambdaform
