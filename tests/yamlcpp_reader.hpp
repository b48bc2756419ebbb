#pragma once
// Test support: reads YAML with yaml-cpp 0.7's event parser into lambdaform's tree, short-form
// tags as long-form intrinsics (detail::to_json). The library reads with libyaml; the emitter's
// properties also hold for this second, independent reader (fuzz target 2, yaml.roundtrip).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>

#include "lambdaform/diagnostic.hpp"
#include "lambdaform/json.hpp"
#include "yaml_loader.hpp"

namespace lftest {

namespace yamlcpp_detail {

using lambdaform::detail::YNode;

class Builder : public YAML::EventHandler {
 public:
  std::optional<YNode> root;
  int documents = 0;
  std::string error;

  void OnDocumentStart(const YAML::Mark&) override { ++documents; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { attach(YNode{}); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {
    if (error.empty()) error = "alias";
    attach(YNode{});
  }
  void OnScalar(const YAML::Mark&, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    YNode n;
    n.kind = YNode::Kind::scalar;
    n.tag = tag == "?" ? "" : tag;
    n.value = value;
    attach(std::move(n));
  }
  void OnSequenceStart(const YAML::Mark&, const std::string& tag, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(YNode::Kind::sequence, tag);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark&, const std::string& tag, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open(YNode::Kind::mapping, tag);
  }
  void OnMapEnd() override { close(); }

 private:
  void open(YNode::Kind kind, const std::string& tag) {
    YNode n;
    n.kind = kind;
    n.tag = (tag == "?" || tag == "!") ? "" : tag;
    stack_.emplace_back(std::move(n), std::nullopt);
  }
  void close() {
    YNode n = std::move(stack_.back().first);
    stack_.pop_back();
    attach(std::move(n));
  }
  void attach(YNode n) {
    if (stack_.empty()) {
      if (!root) root = std::move(n);
      return;
    }
    auto& [node, key] = stack_.back();
    if (node.kind == YNode::Kind::sequence) {
      node.items.push_back(std::move(n));
    } else if (!key) {
      if (n.kind != YNode::Kind::scalar && error.empty()) error = "a key that is not a scalar";
      key = std::move(n);
    } else {
      node.entries.emplace_back(std::move(*key), std::move(n));
      key.reset();
    }
  }
  std::vector<std::pair<YNode, std::optional<YNode>>> stack_;
};

}  // namespace yamlcpp_detail

/// Reads one YAML document with yaml-cpp. Returns false, with the reason in `why`, when the text
/// does not parse, holds more than one document, an alias, a non-scalar key or an unknown tag.
inline bool read_with_yaml_cpp(std::string_view text, lambdaform::Json& out, std::string& why) {
  std::istringstream in{std::string(text)};
  yamlcpp_detail::Builder b;
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(b)) {
    }
  } catch (const YAML::Exception& e) {
    why += "yaml-cpp: " + e.msg + " at line " + std::to_string(e.mark.line + 1) + ", column " +
           std::to_string(e.mark.column + 1) + "\n";
    return false;
  }
  if (b.documents != 1) why += "yaml-cpp: " + std::to_string(b.documents) + " documents\n";
  if (!b.error.empty()) why += "yaml-cpp: " + b.error + "\n";
  if (!b.root) return false;
  lambdaform::Diagnostics diags;
  out = lambdaform::detail::to_json(*b.root, "yaml-cpp", diags);
  for (const auto& d : diags) why += lambdaform::format(d) + "\n";
  return diags.empty() && b.documents == 1 && b.error.empty();
}

}  // namespace lftest
