#include "lambdaform/plan.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "lambdaform/versioning.hpp"
#include "yaml_loader.hpp"

namespace lambdaform {

namespace {

const Json& resources_of(const Json& tree) {
  static const Json kEmpty = Json::object();
  return tree.is_object() && tree.contains("Resources") && tree["Resources"].is_object()
             ? tree["Resources"]
             : kEmpty;
}

// Function logical id → its Version logical ids (Version.FunctionName is a Ref to the function).
std::map<std::string, std::set<std::string>> versions_by_function(const Json& tree) {
  std::map<std::string, std::set<std::string>> out;
  const Json& rs = resources_of(tree);
  for (auto it = rs.begin(); it != rs.end(); ++it) {
    const Json& r = it.value();
    if (!r.is_object() || r.value("Type", "") != "AWS::Lambda::Version") continue;
    const Json* fn = r.contains("Properties") ? &r["Properties"] : nullptr;
    if (fn && fn->contains("FunctionName") && (*fn)["FunctionName"].is_object() &&
        (*fn)["FunctionName"].contains("Ref") && (*fn)["FunctionName"]["Ref"].is_string())
      out[(*fn)["FunctionName"]["Ref"].get<std::string>()].insert(it.key());
  }
  return out;
}

std::string describe_version(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("Fn::GetAtt") && v["Fn::GetAtt"].is_array() &&
      !v["Fn::GetAtt"].empty())
    return v["Fn::GetAtt"][0].get<std::string>();
  return v.dump();
}

std::string describe_alias(const Json& props) {
  std::string out =
      props.contains("FunctionVersion") ? describe_version(props["FunctionVersion"]) : "?";
  if (props.contains("RoutingConfig") &&
      props["RoutingConfig"].contains("AdditionalVersionWeights"))
    for (const auto& w : props["RoutingConfig"]["AdditionalVersionWeights"])
      if (w.is_object() && w.contains("FunctionVersion"))
        out += fmt::format(" + {}% {}",
                           w.contains("FunctionWeight") && w["FunctionWeight"].is_number()
                               ? w["FunctionWeight"].get<double>() * 100
                               : 0.0,
                           describe_version(w["FunctionVersion"]));
  return out;
}

}  // namespace

bool Plan::publishes() const noexcept {
  return std::any_of(versions.begin(), versions.end(),
                     [](const VersionChange& v) { return !v.published.empty(); });
}

Plan plan(const Json& old_tree, const Json& new_tree) {
  Plan p;
  auto old_versions = versions_by_function(old_tree);
  auto new_versions = versions_by_function(new_tree);
  std::set<std::string> functions;
  for (const auto& [f, v] : old_versions) functions.insert(f);
  for (const auto& [f, v] : new_versions) functions.insert(f);
  const Json& old_rs = resources_of(old_tree);
  const Json& new_rs = resources_of(new_tree);
  for (const auto& f : functions) {
    VersionChange c;
    c.function = f;
    const auto& o = old_versions[f];
    const auto& n = new_versions[f];
    std::set_difference(n.begin(), n.end(), o.begin(), o.end(), std::back_inserter(c.published));
    std::set_difference(o.begin(), o.end(), n.begin(), n.end(), std::back_inserter(c.dropped));
    const Json empty = Json::object();
    const Json& op =
        old_rs.contains(f) && old_rs[f].contains("Properties") ? old_rs[f]["Properties"] : empty;
    const Json& np =
        new_rs.contains(f) && new_rs[f].contains("Properties") ? new_rs[f]["Properties"] : empty;
    std::set<std::string> keys;
    for (auto it = op.begin(); it != op.end(); ++it) keys.insert(it.key());
    for (auto it = np.begin(); it != np.end(); ++it) keys.insert(it.key());
    const auto& unlocked = non_locked_properties();
    for (const auto& k : keys) {
      if (std::find(unlocked.begin(), unlocked.end(), k) != unlocked.end()) continue;
      if (op.value(k, Json()) != np.value(k, Json())) c.changed.push_back(k);
    }
    p.versions.push_back(std::move(c));
  }
  std::set<std::string> aliases;
  for (auto it = old_rs.begin(); it != old_rs.end(); ++it)
    if (it.value().is_object() && it.value().value("Type", "") == "AWS::Lambda::Alias")
      aliases.insert(it.key());
  for (auto it = new_rs.begin(); it != new_rs.end(); ++it)
    if (it.value().is_object() && it.value().value("Type", "") == "AWS::Lambda::Alias")
      aliases.insert(it.key());
  for (const auto& a : aliases) {
    const bool in_old = old_rs.contains(a), in_new = new_rs.contains(a);
    const Json empty = Json::object();
    const Json& op = in_old && old_rs[a].contains("Properties") ? old_rs[a]["Properties"] : empty;
    const Json& np = in_new && new_rs[a].contains("Properties") ? new_rs[a]["Properties"] : empty;
    AliasMove m;
    m.alias = a;
    m.name = np.value("Name", op.value("Name", Json(a))).is_string()
                 ? np.value("Name", op.value("Name", Json(a))).get<std::string>()
                 : a;
    m.from = in_old ? describe_alias(op) : "";
    m.to = in_new ? describe_alias(np) : "";
    if (m.from != m.to) p.aliases.push_back(std::move(m));
  }
  return p;
}

std::string format_plan(const Plan& p) {
  std::string out = "## Versions\n\n";
  if (!p.publishes()) out += "No new versions.\n";
  for (const auto& c : p.versions) {
    if (!c.published.empty()) {
      std::string why =
          c.changed.empty()
              ? "the version hash changed (hash input outside the properties, e.g. a --param value)"
              : fmt::format("{} changed", fmt::join(c.changed, ", "));
      out += fmt::format("- **{}** publishes {} because {}\n", c.function,
                         fmt::join(c.published, ", "), why);
    } else {
      out += fmt::format("- {}: no new version\n", c.function);
    }
    if (!c.dropped.empty())
      out += fmt::format(
          "- {}: {} leave the template; published versions are retained (DeletionPolicy: Retain)\n",
          c.function, fmt::join(c.dropped, ", "));
  }
  out += "\n## Aliases\n\n";
  if (p.aliases.empty()) out += "No alias moves.\n";
  for (const auto& m : p.aliases) {
    if (m.from.empty())
      out += fmt::format("- {} ({}): new, points at {}\n", m.name, m.alias, m.to);
    else if (m.to.empty())
      out += fmt::format("- {} ({}): removed (pointed at {})\n", m.name, m.alias, m.from);
    else
      out += fmt::format("- {} ({}): {} → {}\n", m.name, m.alias, m.from, m.to);
  }
  return out;
}

std::optional<Json> read_template(std::string_view text, const std::string& file,
                                  Diagnostics& diagnostics) {
  detail::LoadLimits limits;
  limits.max_bytes = 4u << 20;  // CloudFormation's own limit is 1 MB
  limits.max_nodes = 2000000;
  limits.max_depth = 128;
  auto loaded = detail::load_yaml(text, file, limits);
  for (auto& d : loaded.diagnostics) diagnostics.push_back(std::move(d));
  if (!loaded.root) return std::nullopt;
  return detail::to_json(*loaded.root, file, diagnostics);
}

}  // namespace lambdaform
