#pragma once
/// \file Diagnostics: what validation and parsing report instead of throwing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambdaform {

/// How bad a finding is.
enum class Severity { error, warning, info };

/// "error", "warning" or "info".
std::string_view to_string(Severity s) noexcept;

/// A 1-based position in a source file.
struct SourceLocation {
  /// The file's path as the user gave it.
  std::string file;
  /// 1-based line.
  std::uint32_t line = 0;
  /// 1-based column.
  std::uint32_t column = 0;
  /// Memberwise equality.
  friend bool operator==(const SourceLocation& a, const SourceLocation& b) {
    return a.file == b.file && a.line == b.line && a.column == b.column;
  }
};

/// One finding.
struct Diagnostic {
  /// Error, warning or info.
  Severity severity = Severity::error;
  /// Stable rule id; cfn-lint's where one exists (E3034), ours otherwise (LF...).
  std::string rule;
  /// One sentence that says what is wrong and, where it can, how to fix it.
  std::string message;
  /// JSON pointer into the rendered template ("/Resources/Fn/Properties/MemorySize"), or into
  /// the input document for parse errors.
  std::string path;
  /// Where in the user's source the finding points, when known.
  std::optional<SourceLocation> location;
  /// Memberwise equality.
  friend bool operator==(const Diagnostic& a, const Diagnostic& b) {
    return a.severity == b.severity && a.rule == b.rule && a.message == b.message &&
           a.path == b.path && a.location == b.location;
  }
};

/// A list of findings.
using Diagnostics = std::vector<Diagnostic>;

/// True when any diagnostic is an error.
bool has_errors(const Diagnostics& ds) noexcept;

/// One line: "file:line:col: error: message [rule]" when located, else
/// "path: error: message [rule]".
std::string format(const Diagnostic& d);

/// Escapes one JSON-pointer reference token (RFC 6901: "~" → "~0", "/" → "~1").
std::string pointer_token(std::string_view key);

}  // namespace lambdaform
