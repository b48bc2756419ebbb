#pragma once
/// \file Review of two rendered templates for a pull request: resources added, removed and
/// changed (with the changed property paths), replacements, IAM changes, published versions,
/// moved aliases and the capabilities the new template needs.

#include <string>
#include <vector>

#include "lambdaform/json.hpp"
#include "lambdaform/plan.hpp"

namespace lambdaform {

/// One resource that differs between the templates.
struct ResourceChange {
  enum class Kind { added, removed, changed };
  Kind kind = Kind::changed;  ///< What happened to it.
  std::string logical_id;     ///< Logical id.
  std::string type;           ///< Type in the new template (the old one when removed).
  std::string old_type;       ///< Type in the old template when it changed, else "".
  /// Changed paths below the resource, dotted: `Properties.Timeout`,
  /// `Properties.Environment.Variables.STAGE`, `Properties.Layers[0]`, `DependsOn`, `Type`.
  std::vector<std::string> paths;
  /// The top-level properties (or `Type`) whose change makes CloudFormation replace the
  /// resource (replacement_properties()).
  std::vector<std::string> replacing;
  /// True when the new resource keeps the old physical resource on replacement
  /// (UpdateReplacePolicy Retain).
  bool retains_replaced = false;
  /// True when CloudFormation will replace it.
  bool replaced() const noexcept { return !replacing.empty(); }
};

/// One IAM finding.
struct IamChange {
  enum class Kind {
    widened,   ///< a new wildcard grant covers what an old grant allowed more narrowly
    wildcard,  ///< a new grant with a wildcard action or resource id that widens no old grant
    granted,   ///< a new grant without wildcards
    revoked,   ///< a grant that is gone
    managed_attached,   ///< a managed policy attached
    managed_detached,   ///< a managed policy detached
    trust_added,        ///< a principal may now assume the role
    trust_removed,      ///< a principal may no longer assume the role
    permission_added,   ///< a resource-based permission (AWS::Lambda::Permission) added or changed
    permission_removed  ///< a resource-based permission removed
  };
  Kind kind = Kind::granted;
  std::string resource;  ///< Logical id of the role, policy or permission.
  std::string effect;    ///< Allow or Deny (grants); the principal (permissions).
  std::string action;    ///< The action (grants, permissions), `NOT x` for NotAction.
  std::string target;    ///< The resource ARN (grants), policy ARN, principal or function.
  /// The statement's Condition as compact JSON, "" when none; for permissions the SourceArn
  /// (or "account " + SourceAccount).
  std::string condition;
  std::string from_action;  ///< For `widened`: the old, narrower action.
  std::string from_target;  ///< For `widened`: the old, narrower resource.
};

/// The review of OLD → NEW.
struct Review {
  std::vector<IamChange> iam;             ///< IAM findings, most serious first.
  std::vector<ResourceChange> resources;  ///< Added, changed, then removed; each by logical id.
  std::vector<std::string>
      other;      ///< Changed paths outside Resources (`Parameters.Stage.Default`).
  Plan versions;  ///< Published versions and alias moves (plan()).
  std::vector<std::string> old_capabilities;  ///< required_capabilities(OLD).
  std::vector<std::string> capabilities;      ///< required_capabilities(NEW).
  /// True when the templates differ in anything but key order.
  bool changed() const noexcept { return !resources.empty() || !other.empty(); }
};

/// Top-level properties of `type` whose change forces replacement ("*": every property);
/// empty for types lambdaform does not model.
const std::vector<std::string>& replacement_properties(const std::string& type);

/// Compares two rendered templates as trees (key order is ignored).
Review review(const Json& old_tree, const Json& new_tree);

/// Markdown for a pull-request comment: a summary line, then IAM changes, replacements,
/// resources, versions, aliases, capabilities and other sections. "No changes." when none.
std::string format_review_markdown(const Review& r);

/// The same as JSON for bots.
Json review_to_json(const Review& r);

}  // namespace lambdaform
