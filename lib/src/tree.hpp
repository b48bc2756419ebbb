#pragma once
// Internal access to single-resource emission, for code that hashes or compares one resource.

#include "lambdaform/json.hpp"
#include "lambdaform/template.hpp"

namespace lambdaform::detail {

/// One resource as it appears under Resources (Type, attributes, Properties, overrides applied).
Json resource_tree(const Resource& r);

}  // namespace lambdaform::detail
