#pragma once
// Reads YAML into a tree whose every node remembers where it came from (toml++'s source
// regions), through libyaml's event parser (the C parser behind PyYAML: YAML 1.1 syntax, as
// CloudFormation reads it, at about 250 instructions a byte where yaml-cpp 0.7 took 1,600) so
// that duplicate keys, aliases, depth and size are ours to refuse. Specs in the plain subset
// most are written in (block collections, one-line scalars and flow collections) are read by a
// small reader of our own into the same tree, at under half the cost; it declines
// everything else, and libyaml reads that. No libyaml type leaves this file pair.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lambdaform/diagnostic.hpp"
#include "lambdaform/json.hpp"

namespace lambdaform::detail {

/// Limits that keep hostile input cheap to refuse.
struct LoadLimits {
  std::size_t max_bytes = 1 << 20;  ///< input size
  std::size_t max_depth = 64;       ///< nesting of sequences and mappings
  std::size_t max_nodes = 200000;   ///< nodes in the document
};

/// A YAML node with its 1-based position.
struct YNode {
  enum class Kind { null, scalar, sequence, mapping };
  Kind kind = Kind::null;
  std::string tag;    ///< "" untagged plain, "!" quoted/block scalar, "!Ref" ..., or a full tag
  std::string value;  ///< scalar text
  std::uint32_t line = 0, column = 0;
  std::vector<YNode> items;                      ///< sequence items
  std::vector<std::pair<YNode, YNode>> entries;  ///< mapping entries in document order

  bool is_plain() const { return kind == Kind::scalar && tag.empty(); }
  /// The value of a mapping entry, or nullptr.
  const YNode* find(std::string_view key) const;
};

/// The loaded document or the diagnostics that stopped it (rule ids LF0001–LF0007).
struct LoadResult {
  std::optional<YNode> root;
  Diagnostics diagnostics;
};

/// Parses one YAML document. `file` only labels diagnostics. Reads it with load_yaml_fast when
/// that can, else with load_yaml_libyaml.
LoadResult load_yaml(std::string_view text, const std::string& file, const LoadLimits& limits = {});

/// Parses one YAML document with libyaml: every construct, and every diagnostic.
LoadResult load_yaml_libyaml(std::string_view text, const std::string& file,
                             const LoadLimits& limits = {});

/// The tree libyaml's reading gives, for a document in the subset the fast reader knows
/// (printable ASCII; block collections; one-line plain, quoted and flow nodes; literal block
/// scalars; `!Name` tags);
/// nullopt for any other text, and for any text with something to refuse.
std::optional<YNode> load_yaml_fast(std::string_view text, const std::string& file,
                                    const LoadLimits& limits = {});

/// Same kind, tag, value and position, and the same children (tests compare the two readers).
bool operator==(const YNode& a, const YNode& b);
inline bool operator!=(const YNode& a, const YNode& b) {
  return !(a == b);
}

/// How a plain scalar resolves under YAML 1.2's core schema (what lambdaform reads specs with).
Json resolve_plain(const std::string& s);

/// Converts a node to JSON: plain scalars resolved, quoted scalars as strings, CloudFormation
/// short-form tags (!Ref, !Sub, !GetAtt a.b, ...) as long-form intrinsics. Unknown tags are
/// reported as LF0008 and converted as if untagged.
Json to_json(const YNode& n, const std::string& file, Diagnostics& diags);

}  // namespace lambdaform::detail
