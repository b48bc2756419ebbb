#pragma once
/// \file Review of a re-render: which functions publish a new version and why, which aliases
/// move from which version to which.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lambdaform/diagnostic.hpp"
#include "lambdaform/json.hpp"

namespace lambdaform {

/// What happens to one function's versions.
struct VersionChange {
  std::string function;                ///< Function logical id.
  std::vector<std::string> published;  ///< Version logical ids new in this render.
  std::vector<std::string> dropped;    ///< Version logical ids only in the old template (retained).
  std::vector<std::string> changed;    ///< Version-locked properties whose value changed.
  bool new_function = false;           ///< Not in the old template: the first version.
};

/// What happens to one alias.
struct AliasMove {
  std::string alias;  ///< Alias logical id.
  std::string name;   ///< Alias name.
  std::string from;   ///< Old target ("" for a new alias), e.g. "IngestVersion1a2b… + 10% 3".
  std::string to;     ///< New target ("" for a removed alias).
};

/// The review of OLD → NEW.
struct Plan {
  std::vector<VersionChange> versions;  ///< One entry per function with versions in either.
  std::vector<AliasMove> aliases;       ///< Aliases whose target changes, appear or disappear.
  /// True when the new template publishes at least one version.
  bool publishes() const noexcept;
};

/// Compares two rendered templates as trees.
Plan plan(const Json& old_tree, const Json& new_tree);

/// Markdown for review; says "No new versions." when nothing is published.
std::string format_plan(const Plan& p);

/// Reads a rendered template (YAML with short-form intrinsics, or JSON) into a tree.
/// Problems go to `diagnostics`, located in `file`.
std::optional<Json> read_template(std::string_view text, const std::string& file,
                                  Diagnostics& diagnostics);

}  // namespace lambdaform
