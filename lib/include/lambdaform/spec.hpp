#pragma once
/// \file The stack spec: a short YAML file that lambdaform compiles into a Template.
/// The format is documented in README.md and schemas/stack.schema.json.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lambdaform/diagnostic.hpp"
#include "lambdaform/template.hpp"

namespace lambdaform {

/// Knobs for compile_spec().
struct SpecOptions {
  /// Parameter values (`--param K=V`): each becomes that parameter's Default in the template.
  std::map<std::string, std::string> params;
  /// Let `code: {inline_file: ...}` name files outside the spec's folder.
  bool allow_files_outside_spec_dir = false;
  /// Today's date (YYYY-MM-DD) for the runtime deprecation table; empty means the system date.
  std::string today;
  /// Largest spec file accepted, in bytes.
  std::size_t max_spec_bytes = 1 << 20;
  /// Largest inline_file accepted, in bytes (Lambda's inline limit is 4 MB).
  std::size_t max_inline_file_bytes = 4 * 1024 * 1024;
  /// Most items copied from shared definitions into resources: stack tags into every taggable
  /// resource, network subnet and security group lists into every function that names them.
  std::size_t max_expanded_items = 200000;
};

/// What compiling a spec gives: the template (unless an error stopped it) and every diagnostic,
/// located in the spec where possible.
struct SpecResult {
  /// The stack name (`stack:`).
  std::string stack_name;
  /// The template; empty when the spec could not be read into one.
  std::optional<Template> tmpl;
  /// Parse, spec and template diagnostics, in the order found.
  Diagnostics diagnostics;
  /// The spec's text, for showing source lines under diagnostics.
  std::string source;
  /// The template rendered as YAML, exactly render(*tmpl, Format::yaml), when validation
  /// rendered it (it measures the template's size); empty otherwise. Saves a second render.
  std::string yaml;
  /// True when the spec file itself could not be read (missing, a directory, ...).
  bool unreadable = false;
  /// True when any diagnostic is an error.
  bool failed() const noexcept { return unreadable || has_errors(diagnostics) || !tmpl; }
};

/// Compiles spec text. `path` names the spec in diagnostics and anchors relative inline files.
SpecResult compile_spec(std::string_view text, const std::string& path,
                        const SpecOptions& options = {});

/// Reads the spec file at `path` and compiles it.
SpecResult compile_spec_file(const std::string& path, const SpecOptions& options = {});

/// A diagnostic as the CLI shows it: "file:line:col: severity: message [rule]", then the source
/// line and a caret under the column when `source` (the file's text) holds that line.
std::string format_with_source(const Diagnostic& d, std::string_view source);

/// Every diagnostic as format_with_source() writes it; `source` is indexed once, so the cost is
/// linear in the source and the output however many diagnostics there are.
std::vector<std::string> format_with_source(const Diagnostics& ds, std::string_view source);

}  // namespace lambdaform
