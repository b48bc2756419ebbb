#include "lambdaform/versioning.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "tree.hpp"

namespace lambdaform {

const std::vector<std::string_view>& non_locked_properties() {
  // Settings Lambda applies to the function, not to a published version.
  static const std::vector<std::string_view> kNames = {"CodeSigningConfigArn",
                                                       "ReservedConcurrentExecutions", "Tags"};
  return kNames;
}

namespace {

bool is_locked(std::string_view property) {
  const auto& n = non_locked_properties();
  return std::find(n.begin(), n.end(), property) == n.end();
}

// Replaces references to given parameters by their values; records parameters left unresolved.
Json resolve(const Json& j, const std::map<std::string, std::string>& params,
             const std::set<std::string>& declared, std::set<std::string>& unresolved) {
  if (j.is_array()) {
    Json out = Json::array();
    for (const auto& x : j) out.push_back(resolve(x, params, declared, unresolved));
    return out;
  }
  if (!j.is_object()) return j;
  if (j.size() == 1 && j.contains("Ref") && j["Ref"].is_string()) {
    const std::string name = j["Ref"].get<std::string>();
    auto it = params.find(name);
    if (it != params.end()) return it->second;
    if (declared.count(name)) unresolved.insert(name);
    return j;
  }
  if (j.size() == 1 && j.contains("Fn::Sub")) {
    const Json& arg = j["Fn::Sub"];
    std::string text = arg.is_string() ? arg.get<std::string>()
                       : (arg.is_array() && !arg.empty() && arg[0].is_string())
                           ? arg[0].get<std::string>()
                           : "";
    // Each ${Name} of the text is looked up once; searching the text for every declared
    // parameter was quadratic (F10: 8,000 parameters and 8,000 !Sub strings took 4 s).
    const bool has_vars = arg.is_array() && arg.size() == 2 && arg[1].is_object();
    std::string resolved;
    resolved.reserve(text.size());
    std::size_t pos = 0;
    for (std::size_t open; (open = text.find("${", pos)) != std::string::npos;) {
      const std::size_t close = text.find('}', open + 2);
      if (close == std::string::npos) break;
      const std::size_t reopen = text.find("${", open + 2);
      if (reopen < close) {  // "${a ... ${B}": only the last "${" before the '}' opens a name
        resolved.append(text, pos, reopen - pos);
        pos = reopen;
        continue;
      }
      const std::string name = text.substr(open + 2, close - open - 2);
      resolved.append(text, pos, open - pos);
      pos = close + 1;
      auto it = params.find(name);
      if (!declared.count(name) || (has_vars && arg[1].contains(name))) {
        resolved.append(text, open, pos - open);  // not a parameter of ours: kept as written
      } else if (it == params.end()) {
        unresolved.insert(name);
        resolved.append(text, open, pos - open);
      } else {
        resolved += it->second;
      }
    }
    resolved.append(text, pos, std::string::npos);
    text = std::move(resolved);
    Json out = Json::object();
    if (arg.is_string())
      out["Fn::Sub"] = text;
    else if (arg.is_array() && arg.size() == 2)
      out["Fn::Sub"] = Json::array({text, resolve(arg[1], params, declared, unresolved)});
    else
      out["Fn::Sub"] = resolve(arg, params, declared, unresolved);
    return out;
  }
  Json out = Json::object();
  for (auto it = j.begin(); it != j.end(); ++it)
    out[it.key()] = resolve(it.value(), params, declared, unresolved);
  return out;
}

}  // namespace

VersionHash version_hash(const Template& t, std::string_view function_id,
                         const std::map<std::string, std::string>& params) {
  const Json resource = detail::resource_tree(t.resource(function_id));
  std::set<std::string> declared;
  for (const auto& [name, p] : t.parameters) declared.insert(name);
  std::set<std::string> unresolved;
  // nlohmann::json (not ordered_json) sorts object keys: the canonical form ignores key order.
  nlohmann::json locked = nlohmann::json::object();
  VersionHash h;
  if (resource.contains("Properties"))
    for (auto it = resource["Properties"].begin(); it != resource["Properties"].end(); ++it) {
      if (!is_locked(it.key())) continue;
      // A deep conversion, not a dump() + parse() round trip: the same sorted tree.
      locked[it.key()] = declared.empty() && params.empty()
                             ? nlohmann::json(it.value())  // nothing to resolve
                             : nlohmann::json(resolve(it.value(), params, declared, unresolved));
      h.properties.push_back(it.key());
    }
  std::sort(h.properties.begin(), h.properties.end());
  nlohmann::json input = {{"lambdaform-version-hash", kVersionHashSpec}, {"properties", locked}};
  h.canonical = input.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  h.sha256 = sha256_hex(h.canonical);
  h.unresolved_parameters.assign(unresolved.begin(), unresolved.end());
  return h;
}

std::pair<Handle<Version>, VersionHash> publish_version(
    Template& t, const Handle<Function>& function,
    const std::map<std::string, std::string>& params) {
  VersionHash h = version_hash(t, function.logical_id, params);
  Version v;
  v.function_name = ref(function);
  ResourceAttributes a;
  a.deletion_policy = "Retain";
  a.update_replace_policy = "Retain";
  a.metadata = Json{{"lambdaform",
                     {{"version-hash-spec", kVersionHashSpec},
                      {"sha256", h.sha256},
                      {"locked-properties", h.properties}}}};
  auto handle =
      t.add(function.logical_id + "Version" + h.sha256.substr(0, 10), std::move(v), std::move(a));
  return {handle, h};
}

}  // namespace lambdaform
