#pragma once
// Internal access to single-resource emission, for code that hashes or compares one resource.

#include "lambdaform/json.hpp"
#include "lambdaform/template.hpp"

namespace lambdaform::detail {

/// One resource as it appears under Resources (Type, attributes, Properties, overrides applied).
Json resource_tree(const Resource& r);

/// `j` as compact JSON with every object's keys sorted bytewise: exactly nlohmann::json's
/// (std::map) dump with U+FFFD for invalid UTF-8. Version hashing's canonical form.
std::string canonical_json(const Json& j);

}  // namespace lambdaform::detail
