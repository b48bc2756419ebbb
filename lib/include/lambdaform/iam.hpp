#pragma once
/// \file AWS::IAM::Role.

#include "lambdaform/field.hpp"
#include "lambdaform/intrinsic.hpp"
#include "lambdaform/lambda.hpp"

namespace lambdaform {

/// An inline policy of a role.
struct Policy {
  Prop<std::string> policy_name;  ///< Name, unique within the role.
  Prop<Json> policy_document;     ///< The IAM policy document.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(field("PolicyName", &Policy::policy_name, Presence::required,
                                 pattern("^[\\w+=,.@-]+$", 1, 128)),
                           field("PolicyDocument", &Policy::policy_document, Presence::required));
  }
  /// Memberwise equality.
  friend bool operator==(const Policy& a, const Policy& b) { return fields_equal(a, b); }
};

/// AWS::IAM::Role.
struct Role {
  /// CloudFormation type name.
  static constexpr std::string_view type_name = "AWS::IAM::Role";
  /// Attributes `!GetAtt` may read.
  static constexpr std::string_view attributes = "Arn|RoleId";

  Prop<std::string> role_name;                  ///< Physical name (needs CAPABILITY_NAMED_IAM).
  Prop<std::string> description;                ///< Description (≤ 1000).
  Prop<std::string> path;                       ///< Path, "/" by default.
  Prop<Json> assume_role_policy_document;       ///< Trust policy (required).
  ListProp<std::string> managed_policy_arns;    ///< Attached managed policies (≤ 20).
  std::optional<Value<List<Policy>>> policies;  ///< Inline policies.
  Prop<std::string> permissions_boundary;       ///< Boundary policy ARN.
  Prop<std::int64_t> max_session_duration;      ///< 3600–43200 s.
  std::optional<Value<List<Tag>>> tags;         ///< Tags.
  /// Properties in emission order.
  static constexpr auto fields() {
    using S = Role;
    return std::make_tuple(
        field("RoleName", &S::role_name, Presence::optional, pattern("^[\\w+=,.@-]+$", 1, 64)),
        field("Description", &S::description, Presence::optional, range(0, 1000)),
        field("Path", &S::path, Presence::optional, pattern("^(/|/[\\x21-\\x7E]*/)$", 1, 512)),
        field("AssumeRolePolicyDocument", &S::assume_role_policy_document, Presence::required),
        field("ManagedPolicyArns", &S::managed_policy_arns, Presence::optional, range(0, 20)),
        field("Policies", &S::policies), field("PermissionsBoundary", &S::permissions_boundary),
        field("MaxSessionDuration", &S::max_session_duration, Presence::optional,
              range(3600, 43200)),
        field("Tags", &S::tags, Presence::optional, range(0, 50)));
  }
  /// Memberwise equality.
  friend bool operator==(const Role& a, const Role& b) { return fields_equal(a, b); }
};

}  // namespace lambdaform
