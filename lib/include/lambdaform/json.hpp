#pragma once
/// \file The ordered tree type that feeds both the YAML and the JSON output.

#include <nlohmann/json.hpp>

namespace lambdaform {

/// An ordered JSON tree: object keys keep insertion order, so output order is ours to decide.
using Json = nlohmann::ordered_json;

}  // namespace lambdaform
