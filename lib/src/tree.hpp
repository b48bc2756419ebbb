#pragma once
// Internal access to parts of the emitted tree: one resource (hashing, comparing), the template
// without its resources (validate() renders resource by resource).

#include "lambdaform/json.hpp"
#include "lambdaform/template.hpp"
#include "lambdaform/versioning.hpp"

namespace lambdaform::detail {

/// One resource as it appears under Resources (Type, attributes, Properties, overrides applied).
Json resource_tree(const Resource& r);

/// The template's top-level mapping in order, with Resources an empty mapping in its place.
Json template_head(const Template& t);

/// The Resources mapping: each resource's tree under its logical id.
Json resources_tree(const Template& t);

/// Frees a tree's nodes bottom-up, leaving `j` an empty container. nlohmann's destructor first
/// moves every node of a non-empty container onto a heap-allocated stack (so that no nesting
/// depth can overflow the call stack): an allocation and a move per node, a tenth of a
/// 125-function render. The trees validate() builds are walked recursively anyway.
void release(Json& j);

/// `j` as compact JSON with every object's keys sorted bytewise: exactly nlohmann::json's
/// (std::map) dump with U+FFFD for invalid UTF-8. Version hashing's canonical form.
std::string canonical_json(const Json& j);

/// version_hash() through the function's emitted tree: the path for functions with overrides or
/// with parameters to resolve; the others are hashed from the model, and a test compares both.
/// `r` is a resource of `t`.
VersionHash version_hash_via_tree(const Template& t, const Resource& r,
                                  const std::map<std::string, std::string>& params);

/// version_hash() of the resource `r` of `t`, found by the caller: the spec compiler knows where
/// it put each function, and a lookup by id scans the resources (N² over a render).
VersionHash version_hash(const Template& t, const Resource& r,
                         const std::map<std::string, std::string>& params);

/// publish_version() of the function `t.resources[index]`.
std::pair<Handle<Version>, VersionHash> publish_version(
    Template& t, std::size_t index, const std::map<std::string, std::string>& params);

}  // namespace lambdaform::detail
