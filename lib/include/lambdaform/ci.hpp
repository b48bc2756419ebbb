#pragma once
/// \file For CI: diagnostics as GitHub Actions workflow commands or JSON, and finding every spec
/// of a monorepo for `lambdaform render --all`.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lambdaform/diagnostic.hpp"
#include "lambdaform/emit.hpp"

namespace lambdaform {

/// How diagnostics are written.
enum class DiagnosticsFormat {
  human,   ///< "file:line:col: error: message [rule]", the source line and a caret
  github,  ///< GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=RULE::message`
  json     ///< one JSON object per line
};

/// "human", "github" or "json"; std::nullopt for anything else.
std::optional<DiagnosticsFormat> parse_diagnostics_format(std::string_view name);

/// Escapes a workflow command's message: `%` → `%25`, CR → `%0D`, LF → `%0A`.
std::string github_escape_data(std::string_view s);
/// Escapes a workflow command's property value: as data, and `:` → `%3A`, `,` → `%2C`.
std::string github_escape_property(std::string_view s);

/// One workflow command: `::error` (`::warning`, `::notice` for info) with `file`, `line`,
/// `col` when known and `title=RULE`. `fallback_file` names the file for a diagnostic without a
/// location (then line and col are left out). The message is prefixed with the diagnostic's
/// JSON pointer when it has no location and a path.
std::string format_github(const Diagnostic& d, std::string_view fallback_file = {});

/// One JSON object on one line, keys in this order: file, line, column (null when unknown),
/// rule, severity, message, path. Invalid UTF-8 becomes U+FFFD.
std::string format_json(const Diagnostic& d, std::string_view fallback_file = {});

/// `d` in `format`: human is format_with_source(d, source), or "FILE: severity: message [rule]"
/// with `fallback_file` when `d` has no location; no trailing newline.
std::string format_diagnostic(const Diagnostic& d, DiagnosticsFormat format,
                              std::string_view source = {}, std::string_view fallback_file = {});

/// Every diagnostic as format_diagnostic() writes it, in linear time (see format_with_source).
std::vector<std::string> format_diagnostics(const Diagnostics& ds, DiagnosticsFormat format,
                                            std::string_view source = {},
                                            std::string_view fallback_file = {});

/// Every stack spec under `dir`, recursively: files named `stack.yaml` or `*.stack.yaml`;
/// hidden directories (`.git`, ...) and `node_modules` are not searched. Sorted by path.
/// An unreadable `dir` is an LF0009 diagnostic whose `path` is the directory (no location).
std::vector<std::string> discover_specs(const std::string& dir, Diagnostics& diagnostics);

/// Where `render --all DIR -o OUTDIR` writes the template of `spec` (found under `dir`):
/// `OUTDIR/<dir of spec relative to DIR>/template.yaml` for `stack.yaml` and
/// `.../<name>.template.yaml` for `<name>.stack.yaml` (`.json` with Format::json).
std::string output_path_for(const std::string& spec, const std::string& dir,
                            const std::string& outdir, Format format);

}  // namespace lambdaform
