#include "lambdaform/plan.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "lambdaform/versioning.hpp"
#include "yaml_loader.hpp"

namespace lambdaform {

namespace {

// Templates come from pull requests: every access below tolerates any shape (value() and
// key() throw on the wrong type; these helpers never do).
const Json& member(const Json& j, const char* key) {
  static const Json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}

const Json& object_or_empty(const Json& j) {
  static const Json kEmpty = Json::object();
  return j.is_object() ? j : kEmpty;
}

const Json& resources_of(const Json& tree) {
  return object_or_empty(member(tree, "Resources"));
}

// The Properties of resource `id` in `rs` (an object), or an empty object.
const Json& properties_of(const Json& rs, const std::string& id) {
  static const Json kEmpty = Json::object();
  return rs.contains(id) ? object_or_empty(member(rs[id], "Properties")) : kEmpty;
}

bool has_type(const Json& resource, std::string_view type) {
  const Json& t = member(resource, "Type");
  return t.is_string() && t.get_ref<const std::string&>() == type;
}

// Function logical id → its Version logical ids (Version.FunctionName is a Ref to the function).
std::map<std::string, std::set<std::string>> versions_by_function(const Json& tree) {
  std::map<std::string, std::set<std::string>> out;
  const Json& rs = resources_of(tree);
  for (auto it = rs.begin(); it != rs.end(); ++it) {
    const Json& r = it.value();
    if (!has_type(r, "AWS::Lambda::Version")) continue;
    const Json& ref = member(member(member(r, "Properties"), "FunctionName"), "Ref");
    if (ref.is_string()) out[ref.get<std::string>()].insert(it.key());
  }
  return out;
}

std::string describe_version(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  const Json& att = member(v, "Fn::GetAtt");
  if (att.is_array() && !att.empty() && att[0].is_string()) return att[0].get<std::string>();
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string describe_alias(const Json& props) {
  std::string out =
      props.contains("FunctionVersion") ? describe_version(props["FunctionVersion"]) : "?";
  const Json& weights = member(member(props, "RoutingConfig"), "AdditionalVersionWeights");
  if (weights.is_array())
    for (const auto& w : weights)
      if (w.is_object() && w.contains("FunctionVersion"))
        out += fmt::format(
            " + {}% {}",
            member(w, "FunctionWeight").is_number() ? w["FunctionWeight"].get<double>() * 100 : 0.0,
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
    c.new_function = !old_rs.contains(f) && new_rs.contains(f);
    const Json& op = properties_of(old_rs, f);
    const Json& np = properties_of(new_rs, f);
    std::set<std::string> keys;
    for (auto it = op.begin(); it != op.end(); ++it) keys.insert(it.key());
    for (auto it = np.begin(); it != np.end(); ++it) keys.insert(it.key());
    const auto& unlocked = non_locked_properties();
    for (const auto& k : c.new_function ? std::set<std::string>() : keys) {
      if (std::find(unlocked.begin(), unlocked.end(), k) != unlocked.end()) continue;
      if (member(op, k.c_str()) != member(np, k.c_str())) c.changed.push_back(k);
    }
    p.versions.push_back(std::move(c));
  }
  std::set<std::string> aliases;
  for (auto it = old_rs.begin(); it != old_rs.end(); ++it)
    if (has_type(it.value(), "AWS::Lambda::Alias")) aliases.insert(it.key());
  for (auto it = new_rs.begin(); it != new_rs.end(); ++it)
    if (has_type(it.value(), "AWS::Lambda::Alias")) aliases.insert(it.key());
  for (const auto& a : aliases) {
    const bool in_old = old_rs.contains(a), in_new = new_rs.contains(a);
    const Json& op = properties_of(old_rs, a);
    const Json& np = properties_of(new_rs, a);
    AliasMove m;
    m.alias = a;
    m.name = member(np, "Name").is_string()   ? np["Name"].get<std::string>()
             : member(op, "Name").is_string() ? op["Name"].get<std::string>()
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
          c.new_function ? "the function is new"
          : c.changed.empty()
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
