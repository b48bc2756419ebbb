#pragma once
/// \file Content-addressed Lambda versions: a Version's logical id is derived from every
/// version-locked property of its function as rendered, so a change that matters publishes a
/// new version and nothing else does. The algorithm is a versioned specification (README).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lambdaform/template.hpp"

namespace lambdaform {

/// The version of the hash specification. A change to the algorithm, the canonical form or the
/// property list is a new spec version; the same spec version never changes a logical id.
inline constexpr int kVersionHashSpec = 1;

/// Function properties that do NOT change a version (everything else does, including
/// properties set through overrides that lambdaform does not model).
const std::vector<std::string_view>& non_locked_properties();

/// The result of hashing one function.
struct VersionHash {
  /// SHA-256 of the canonical input, lower-case hex.
  std::string sha256;
  /// The locked properties the function sets, in name order.
  std::vector<std::string> properties;
  /// Template parameters a locked property refers to whose value was not given: a new value
  /// passed only at deploy time will not publish a new version.
  std::vector<std::string> unresolved_parameters;
  /// The canonical JSON that was hashed (for review and debugging).
  std::string canonical;
};

/// Hashes the function `function_id` of `t` as rendered (overrides applied). A `Ref` or a
/// `${Name}` in a `Sub` naming a parameter in `params` is replaced by its value first.
VersionHash version_hash(const Template& t, std::string_view function_id,
                         const std::map<std::string, std::string>& params = {});

/// Adds `<Function>Version<first 10 hex of the hash>`: an AWS::Lambda::Version of the function,
/// DeletionPolicy and UpdateReplacePolicy Retain (a later deploy never deletes a published
/// version), the hash spec in its Metadata. Returns its handle and the hash.
std::pair<Handle<Version>, VersionHash> publish_version(
    Template& t, const Handle<Function>& function,
    const std::map<std::string, std::string>& params = {});

/// SHA-256 of `data`, lower-case hex.
std::string sha256_hex(std::string_view data);

}  // namespace lambdaform
