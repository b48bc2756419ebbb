#pragma once
/// \file A whole CloudFormation template: parameters, conditions, resources, outputs.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "lambdaform/field.hpp"
#include "lambdaform/iam.hpp"
#include "lambdaform/intrinsic.hpp"
#include "lambdaform/json.hpp"
#include "lambdaform/lambda.hpp"
#include "lambdaform/logs.hpp"

namespace lambdaform {

/// A template parameter. Parameters take no intrinsics, so members are plain values.
struct Parameter {
  std::string type = "String";             ///< String, Number, List<AWS::EC2::Subnet::Id>, ...
  std::optional<std::string> description;  ///< Shown in the console.
  std::optional<Json> default_value;       ///< Default.
  std::optional<std::vector<Json>> allowed_values;    ///< Allowed values.
  std::optional<std::string> allowed_pattern;         ///< Regular expression for String.
  std::optional<std::string> constraint_description;  ///< Shown when a constraint fails.
  std::optional<std::int64_t> min_length;             ///< Shortest String.
  std::optional<std::int64_t> max_length;             ///< Longest String.
  std::optional<double> min_value;                    ///< Smallest Number.
  std::optional<double> max_value;                    ///< Largest Number.
  std::optional<bool> no_echo;                        ///< Mask the value.
  /// Keys in emission order.
  static constexpr auto fields() {
    using S = Parameter;
    return std::make_tuple(
        field("Type", &S::type, Presence::required), field("Description", &S::description),
        field("Default", &S::default_value), field("AllowedValues", &S::allowed_values),
        field("AllowedPattern", &S::allowed_pattern),
        field("ConstraintDescription", &S::constraint_description),
        field("MinLength", &S::min_length), field("MaxLength", &S::max_length),
        field("MinValue", &S::min_value), field("MaxValue", &S::max_value),
        field("NoEcho", &S::no_echo));
  }
  /// Memberwise equality.
  friend bool operator==(const Parameter& a, const Parameter& b) { return fields_equal(a, b); }
};

/// The `Export` of an output.
struct Export {
  Prop<std::string> name;  ///< Export name, unique per region.
  /// Keys in emission order.
  static constexpr auto fields() {
    return std::make_tuple(field("Name", &Export::name, Presence::required));
  }
  /// Memberwise equality.
  friend bool operator==(const Export& a, const Export& b) { return fields_equal(a, b); }
};

/// A template output.
struct Output {
  std::optional<std::string> description;  ///< Description.
  Prop<Json> value;                        ///< The value (required).
  std::optional<Export> export_;           ///< Cross-stack export.
  std::optional<std::string> condition;    ///< Only when this condition holds.
  /// Keys in emission order.
  static constexpr auto fields() {
    using S = Output;
    return std::make_tuple(
        field("Description", &S::description, Presence::optional, range(0, 1024)),
        field("Value", &S::value, Presence::required), field("Export", &S::export_),
        field("Condition", &S::condition));
  }
  /// Memberwise equality.
  friend bool operator==(const Output& a, const Output& b) { return fields_equal(a, b); }
};

/// Resource attributes that every resource may carry.
struct ResourceAttributes {
  std::optional<std::string> condition;        ///< Create only when this condition holds.
  std::vector<std::string> depends_on;         ///< Explicit dependencies.
  std::optional<Json> metadata;                ///< Resource metadata.
  std::optional<std::string> deletion_policy;  ///< Delete, Retain, RetainExceptOnCreate, Snapshot.
  std::optional<Json> update_policy;           ///< Update policy.
  std::optional<std::string> update_replace_policy;  ///< Delete, Retain, Snapshot.
  /// Keys in emission order (after Type, before Properties).
  static constexpr auto fields() {
    using S = ResourceAttributes;
    return std::make_tuple(field("Condition", &S::condition), field("DependsOn", &S::depends_on),
                           field("Metadata", &S::metadata),
                           field("DeletionPolicy", &S::deletion_policy, Presence::optional,
                                 one_of("Delete|Retain|RetainExceptOnCreate|Snapshot")),
                           field("UpdatePolicy", &S::update_policy),
                           field("UpdateReplacePolicy", &S::update_replace_policy,
                                 Presence::optional, one_of("Delete|Retain|Snapshot")));
  }
  /// Memberwise equality.
  friend bool operator==(const ResourceAttributes& a, const ResourceAttributes& b) {
    return fields_equal(a, b);
  }
};

/// A resource of a type lambdaform does not model: its type and raw properties.
struct RawResource {
  std::string type;                  ///< CloudFormation type, e.g. AWS::SQS::Queue.
  Json properties = Json::object();  ///< Properties as written.
  /// Memberwise equality.
  friend bool operator==(const RawResource& a, const RawResource& b) {
    return a.type == b.type && a.properties == b.properties;
  }
};

/// A raw change applied to a resource's emitted tree after emission (CDK's property override):
/// set `value` at `path` ("Properties.Code.S3Key"), or delete the key when `value` is empty.
struct Override {
  std::vector<std::string> path;  ///< Keys from the resource's top level.
  std::optional<Json> value;      ///< New value; std::nullopt deletes.
  /// Memberwise equality.
  friend bool operator==(const Override& a, const Override& b) {
    return a.path == b.path && a.value == b.value;
  }
};

/// The body of a resource: one of the modelled types or a raw one.
using ResourceBody =
    std::variant<Function, Version, Alias, Permission, Role, LogGroup, RawResource>;

/// The CloudFormation type name of a body.
std::string_view type_name(const ResourceBody& body);

/// A resource in a template.
struct Resource {
  std::string logical_id;           ///< Logical id, alphanumeric.
  ResourceBody body;                ///< Type and properties.
  ResourceAttributes attributes;    ///< DependsOn, Condition, policies, Metadata.
  std::vector<Override> overrides;  ///< Raw changes applied after emission.
  /// Memberwise equality.
  friend bool operator==(const Resource& a, const Resource& b) {
    return a.logical_id == b.logical_id && a.body == b.body && a.attributes == b.attributes &&
           a.overrides == b.overrides;
  }
};

/// A CloudFormation template. Sections keep insertion order; output order is fixed by section.
struct Template {
  std::string format_version = "2010-09-09";                  ///< AWSTemplateFormatVersion.
  std::optional<std::string> description;                     ///< Description (≤ 1024 bytes).
  std::optional<Json> metadata;                               ///< Template metadata.
  std::vector<std::pair<std::string, Parameter>> parameters;  ///< Parameters.
  Json mappings = Json::object();                             ///< Mappings.
  Json conditions = Json::object();                           ///< Conditions.
  std::vector<Resource> resources;                            ///< Resources.
  std::vector<std::pair<std::string, Output>> outputs;        ///< Outputs.

  /// Adds a resource and returns its typed handle.
  template <class R>
  Handle<R> add(std::string logical_id, R body, ResourceAttributes attributes = {}) {
    resources.push_back(
        Resource{logical_id, ResourceBody{std::move(body)}, std::move(attributes), {}});
    return Handle<R>{std::move(logical_id)};
  }
  /// The resource behind a handle. Precondition: it was added to this template and its body
  /// still has type R (throws std::out_of_range otherwise).
  template <class R>
  R& get(const Handle<R>& h) {
    return std::get<R>(resource(h.logical_id).body);
  }
  /// Read-only access through a handle.
  template <class R>
  const R& get(const Handle<R>& h) const {
    return std::get<R>(resource(h.logical_id).body);
  }
  /// The resource with this logical id (throws std::out_of_range when there is none).
  Resource& resource(std::string_view logical_id);
  /// Read-only lookup.
  const Resource& resource(std::string_view logical_id) const;
  /// The resource with this logical id, or nullptr.
  const Resource* find(std::string_view logical_id) const noexcept;
  /// Adds a parameter; returns a `Ref` to it.
  Intrinsic add_parameter(std::string name, Parameter p);
  /// Adds an output.
  void add_output(std::string name, Output o);
  /// Sets a raw value at a dotted path ("Properties.Foo.Bar") on a resource's emitted tree.
  void add_override(std::string_view logical_id, std::string_view dotted_path, Json value);
  /// Deletes the key at a dotted path on a resource's emitted tree.
  void add_deletion_override(std::string_view logical_id, std::string_view dotted_path);

  /// Memberwise equality.
  friend bool operator==(const Template& a, const Template& b) {
    return a.format_version == b.format_version && a.description == b.description &&
           a.metadata == b.metadata && a.parameters == b.parameters && a.mappings == b.mappings &&
           a.conditions == b.conditions && a.resources == b.resources && a.outputs == b.outputs;
  }
};

}  // namespace lambdaform
