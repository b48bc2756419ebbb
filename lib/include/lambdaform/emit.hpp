#pragma once
/// \file Rendering: the model becomes one ordered tree, which is written as JSON or YAML.

#include <string>

#include "lambdaform/json.hpp"
#include "lambdaform/template.hpp"

namespace lambdaform {

/// The template as one ordered tree, intrinsics in long form. Both outputs are written from it.
Json to_tree(const Template& t);

/// Writes a tree as YAML that a YAML 1.1 reader (PyYAML, CloudFormation) and yaml-cpp read back
/// as exactly the same tree: short-form intrinsics, literal blocks for multi-line strings,
/// quoting decided by lambdaform's own rules. Deterministic; ends with a newline.
std::string to_yaml(const Json& tree);

/// Writes a tree as JSON, two-space indented, ending with a newline.
std::string to_json_text(const Json& tree);

/// Output formats.
enum class Format { yaml, json };

/// `to_yaml(to_tree(t))` or `to_json_text(to_tree(t))`.
std::string render(const Template& t, Format format = Format::yaml);

}  // namespace lambdaform
