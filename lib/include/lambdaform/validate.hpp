#pragma once
/// \file Validation: every problem in a template, as diagnostics. Never throws.

#include <string>

#include "lambdaform/diagnostic.hpp"
#include "lambdaform/template.hpp"

namespace lambdaform {

/// Knobs for validate().
struct ValidateOptions {
  /// Today's date as YYYY-MM-DD, for the deprecated-runtime table; empty means the system date.
  std::string today;
  /// When set, receives the template rendered as YAML, exactly render(t, Format::yaml):
  /// validate() renders it to check the template's size, so a caller can reuse it.
  std::string* rendered_yaml = nullptr;
};

/// Every problem found in `t`, in a deterministic order: each resource's property checks in
/// resource order, then template-wide checks. Paths are JSON pointers into the rendered tree.
Diagnostics validate(const Template& t, const ValidateOptions& options = {});

}  // namespace lambdaform
