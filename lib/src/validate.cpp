#include "lambdaform/validate.hpp"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "lambdaform/emit.hpp"
#include "patterns.hpp"
#include "rules.hpp"
#include "tree.hpp"
#include "utf8.hpp"
#include "yaml_emitter.hpp"

namespace lambdaform {

namespace detail {

const std::regex& cached_regex(Sink& sink, std::string_view pattern) {
  auto it = sink.regexes.find(pattern);
  if (it == sink.regexes.end())
    it = sink.regexes.emplace(pattern, std::regex(pattern.begin(), pattern.end())).first;
  return it->second;
}

bool matches_pattern(Sink& sink, std::string_view pattern, const std::string& s) {
  if (auto known = match_known_pattern(pattern, s)) return *known;
  return std::regex_match(s, cached_regex(sink, pattern));
}

namespace {
std::string list_of(std::string_view one_of) {
  std::string out;
  for (char c : one_of) out += c == '|' ? std::string(", ") : std::string(1, c);
  return out;
}
bool in_list(std::string_view value, std::string_view one_of) {
  std::size_t start = 0;
  while (start <= one_of.size()) {
    std::size_t bar = one_of.find('|', start);
    if (one_of.substr(start, bar == one_of.npos ? one_of.npos : bar - start) == value) return true;
    if (bar == one_of.npos) break;
    start = bar + 1;
  }
  return false;
}
constexpr auto kNoMin = std::numeric_limits<std::int64_t>::min();
constexpr auto kNoMax = std::numeric_limits<std::int64_t>::max();
}  // namespace

std::string LazyPath::str() const {
  std::vector<const LazyPath*> steps;
  for (const LazyPath* p = this; p; p = p->parent) steps.push_back(p);
  std::string out;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    const LazyPath& p = **it;
    if (p.root) {
      out += *p.root;
    } else if (p.is_index) {
      out += '/';
      out += std::to_string(p.index);
    } else {
      out += '/';
      out += pointer_token(p.key);
    }
  }
  return out;
}

void check_string_item(const std::string& s, const Constraint& c, std::string_view name,
                       const LazyPath& path, Sink& sink) {
  if (!c.one_of.empty() && !in_list(s, c.one_of))
    sink.error("E3030", path.str(),
               fmt::format("{} '{}' is not one of: {}", name, s, list_of(c.one_of)));
  if (!c.pattern.empty() && !matches_pattern(sink, c.pattern, s))
    sink.error("E3031", path.str(),
               fmt::format("{} '{}' does not match the pattern {}", name, s, c.pattern));
}

void check_string(const std::string& s, const Constraint& c, std::string_view name,
                  const LazyPath& path, Sink& sink) {
  const auto len = static_cast<std::int64_t>(s.size());
  if (c.min != kNoMin && len < c.min)
    sink.error("E3033", path.str(),
               fmt::format("{} is {} characters long, below the minimum of {}", name, len, c.min));
  else if (c.max != kNoMax && len > c.max)
    sink.error("E3033", path.str(),
               fmt::format("{} is {} characters long, above the maximum of {}", name, len, c.max));
  else
    check_string_item(s, c, name, path, sink);
}

void check_integer(std::int64_t n, const Constraint& c, std::string_view name, const LazyPath& path,
                   Sink& sink) {
  if (c.min != kNoMin && n < c.min)
    sink.error("E3034", path.str(),
               fmt::format("{} {} is below the minimum of {}", name, n, c.min));
  else if (c.max != kNoMax && n > c.max)
    sink.error("E3034", path.str(),
               fmt::format("{} {} is above the maximum of {}", name, n, c.max));
  if (!c.one_of.empty() && !in_list(std::to_string(n), c.one_of))
    sink.error("E3030", path.str(),
               fmt::format("{} {} is not one of: {}", name, n, list_of(c.one_of)));
}

void check_count(std::size_t n, const Constraint& c, std::string_view name, const LazyPath& path,
                 Sink& sink) {
  const auto count = static_cast<std::int64_t>(n);
  if (c.min != kNoMin && count < c.min)
    sink.error("E3032", path.str(),
               fmt::format("{} has {} item{}, below the minimum of {}", name, n, n == 1 ? "" : "s",
                           c.min));
  else if (c.max != kNoMax && count > c.max)
    sink.error("E3032", path.str(),
               fmt::format("{} has {} item{}, above the maximum of {}", name, n, n == 1 ? "" : "s",
                           c.max));
}

}  // namespace detail

namespace {

using detail::Sink;

constexpr std::size_t kMaxResources = 500, kMaxParameters = 200, kMaxOutputs = 200,
                      kMaxMappings = 200, kMaxNameLength = 255;
constexpr std::size_t kInlineTemplateLimit = 51200, kTemplateLimit = 1000000;

std::string today_utc() {
  return detail::utc_date(static_cast<std::int64_t>(std::time(nullptr)));
}

bool alphanumeric(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

constexpr std::array<std::string_view, 22> kParameterTypes = {
    "String",
    "Number",
    "List<Number>",
    "CommaDelimitedList",
    "AWS::EC2::AvailabilityZone::Name",
    "AWS::EC2::Image::Id",
    "AWS::EC2::Instance::Id",
    "AWS::EC2::KeyPair::KeyName",
    "AWS::EC2::SecurityGroup::GroupName",
    "AWS::EC2::SecurityGroup::Id",
    "AWS::EC2::Subnet::Id",
    "AWS::EC2::Volume::Id",
    "AWS::EC2::VPC::Id",
    "AWS::Route53::HostedZone::Id",
    "List<AWS::EC2::AvailabilityZone::Name>",
    "List<AWS::EC2::Image::Id>",
    "List<AWS::EC2::Instance::Id>",
    "List<AWS::EC2::SecurityGroup::GroupName>",
    "List<AWS::EC2::SecurityGroup::Id>",
    "List<AWS::EC2::Subnet::Id>",
    "List<AWS::EC2::Volume::Id>",
    "List<AWS::EC2::VPC::Id>"};

bool valid_parameter_type(std::string_view t) {
  for (auto k : kParameterTypes)
    if (k == t) return true;
  if (t == "List<AWS::Route53::HostedZone::Id>") return true;
  // SSM parameter types: AWS::SSM::Parameter::Name and AWS::SSM::Parameter::Value<...>.
  if (t == "AWS::SSM::Parameter::Name") return true;
  constexpr std::string_view ssm = "AWS::SSM::Parameter::Value<";
  return t.substr(0, ssm.size()) == ssm && t.back() == '>' && t.size() > ssm.size() + 1;
}

// Names a template defines, for reference checks.
struct Names {  // looked up by views too (the names inside Fn::Sub strings)
  // Logical id → type, keyed by views of the template's ids (it outlives the checks). Hashed: in
  // a 500-resource stack a std::map made nine string comparisons for every Ref and GetAtt.
  std::unordered_map<std::string_view, std::string_view> resources;
  std::set<std::string, std::less<>> parameters;
  std::set<std::string, std::less<>> conditions;
};

// Where a walk of the tree is: object keys and array indices, turned into a JSON pointer only
// for a finding (most templates have none).
struct PathStep {
  const std::string* key;  // null for an array index
  std::size_t index;
};

std::string pointer_of(const std::vector<PathStep>& at) {
  std::string out;
  for (const auto& step : at)
    out += "/" + (step.key ? pointer_token(*step.key) : std::to_string(step.index));
  return out;
}

// Walks a subtree for references: reports unknown targets and collects resource dependencies.
class RefWalker {
 public:
  RefWalker(const Names& names, Sink& sink) : names_(names), sink_(sink) {}
  std::set<std::string_view> deps;  // logical ids, the keys of names.resources

  /// Walks `j`, the node at JSON pointer `base`.
  void walk(const Json& j, std::string base) {
    base_ = std::move(base);
    at_.clear();
    node(j);
  }

  void condition(const std::string& name, const std::string& path) {
    if (!names_.conditions.count(name))
      sink_.error("E8002", path, fmt::format("condition {} is not defined in Conditions", name));
  }

 private:
  std::string path() const { return base_ + pointer_of(at_); }

  // Walks the child at key or index `step`.
  void child(const Json& j, PathStep step) {
    at_.push_back(step);
    node(j);
    at_.pop_back();
  }

  void node(const Json& j) {
    if (j.is_array()) {
      const auto& items = j.get_ref<const Json::array_t&>();
      for (std::size_t i = 0; i < items.size(); ++i) child(items[i], {nullptr, i});
      return;
    }
    if (!j.is_object()) return;
    const auto& entries = j.get_ref<const Json::object_t&>();
    if (entries.size() == 1) {
      const std::string& key_string = entries.front().first;
      const std::string_view key = key_string;  // compared inline, by size first
      const Json& arg = entries.front().second;
      at_.push_back({&key_string, 0});
      bool done = true;
      if (key == "Ref" && arg.is_string())
        ref(arg.get_ref<const std::string&>());
      else if (key == "Fn::GetAtt")
        get_att(arg);
      else if (key == "Fn::Sub")
        sub(arg);
      else if (key == "Condition" && arg.is_string())
        condition_here(arg.get_ref<const std::string&>());
      else
        done = false;
      if (!done && key == "Fn::If" && arg.is_array() && !arg.empty() && arg[0].is_string()) {
        at_.push_back({nullptr, 0});
        condition_here(arg[0].get_ref<const std::string&>());
        at_.pop_back();
      }
      at_.pop_back();
      if (done) return;
    }
    for (const auto& [key, value] : entries) child(value, {&key, 0});
  }

  void condition_here(const std::string& name) {
    if (!names_.conditions.count(name))
      sink_.error("E8002", path(), fmt::format("condition {} is not defined in Conditions", name));
  }

  void ref(const std::string& target) {
    if (auto it = names_.resources.find(target); it != names_.resources.end()) {
      deps.insert(it->first);
      return;
    }
    if (names_.parameters.count(target) || is_pseudo_parameter(target)) return;
    sink_.error("E1020", path(),
                fmt::format("Ref to {}, which is not a parameter, a resource or a pseudo parameter",
                            target));
  }

  void get_att(const Json& arg) {
    std::string id, attr;
    if (arg.is_string()) {
      const std::string& s = arg.get_ref<const std::string&>();
      auto dot = s.find('.');
      id = s.substr(0, dot);
      attr = dot == std::string::npos ? "" : s.substr(dot + 1);
    } else if (arg.is_array() && arg.size() == 2 && arg[0].is_string()) {
      id = arg[0].get<std::string>();
      if (arg[1].is_string())
        attr = arg[1].get<std::string>();
      else
        child(arg[1], {nullptr, 1});
    } else {
      sink_.error("E1010", path(), "Fn::GetAtt takes [LogicalId, Attribute]");
      return;
    }
    check_att(id, attr, arg.is_string() || (arg.is_array() && arg[1].is_string()));
  }

  void check_att(std::string_view id, std::string_view attr, bool attr_known) {
    auto it = names_.resources.find(id);
    if (it == names_.resources.end()) {
      sink_.error("E1010", path(),
                  fmt::format("Fn::GetAtt of {}, which is not a resource in this template", id));
      return;
    }
    deps.insert(it->first);
    if (!attr_known) return;
    std::string_view attrs = attributes_of(it->second);
    if (attrs.empty()) return;  // not modelled: any attribute may be valid
    std::size_t start = 0;
    while (true) {
      std::size_t bar = attrs.find('|', start);
      if (attrs.substr(start, bar == attrs.npos ? attrs.npos : bar - start) == attr) return;
      if (bar == attrs.npos) break;
      start = bar + 1;
    }
    std::string list;
    for (char c : attrs) list += c == '|' ? std::string(", ") : std::string(1, c);
    sink_.error("E1010", path(),
                fmt::format("{} ({}) has no attribute {}; it has: {}", id, it->second, attr, list));
  }

  static std::string_view attributes_of(std::string_view type) {
    if (type == Function::type_name) return Function::attributes;
    if (type == Version::type_name) return Version::attributes;
    if (type == Alias::type_name) return Alias::attributes;
    if (type == Permission::type_name) return Permission::attributes;
    if (type == Role::type_name) return Role::attributes;
    if (type == LogGroup::type_name) return LogGroup::attributes;
    return {};
  }

  void sub(const Json& arg) {
    std::set<std::string_view> vars;  // views of the variable map's keys
    const Json* text = &arg;
    if (arg.is_array() && arg.size() == 2) {
      text = &arg[0];
      if (arg[1].is_object())
        for (auto it = arg[1].begin(); it != arg[1].end(); ++it) {
          vars.insert(it.key());
          at_.push_back({nullptr, 1});
          child(it.value(), {&it.key(), 0});
          at_.pop_back();
        }
    }
    if (!text->is_string()) {
      node(*text);
      return;
    }
    const std::string& s = text->get_ref<const std::string&>();
    for (std::size_t i = s.find("${"); i != std::string::npos; i = s.find("${", i + 2)) {
      std::size_t end = s.find('}', i);
      if (end == std::string::npos) break;
      const std::string_view name = std::string_view(s).substr(i + 2, end - i - 2);
      if (!name.empty() && name[0] == '!') continue;  // ${!Literal}
      if (vars.count(name)) continue;
      auto dot = name.find('.');
      if (dot != std::string_view::npos && !is_pseudo_parameter(name)) {
        check_att(name.substr(0, dot), name.substr(dot + 1), true);
      } else if (auto it = names_.resources.find(name); it != names_.resources.end()) {
        deps.insert(it->first);
      } else if (!names_.parameters.count(name) && !is_pseudo_parameter(name)) {
        sink_.error("E1019", path(),
                    fmt::format("Fn::Sub names ${{{}}}, which is not a parameter, a resource, a "
                                "pseudo parameter or a Sub variable",
                                name));
      }
    }
  }

  const Names& names_;
  Sink& sink_;
  std::string base_;
  std::vector<PathStep> at_;
};

void check_utf8(const Json& j, std::vector<PathStep>& at, Sink& sink) {
  if (j.is_string()) {
    if (!detail::valid_utf8(j.get_ref<const std::string&>()))
      sink.error("LF1001", pointer_of(at), "the string is not valid UTF-8");
  } else if (j.is_array()) {
    // The containers directly: nlohmann's iterators cost several times the walk itself.
    const auto& items = j.get_ref<const Json::array_t&>();
    for (std::size_t i = 0; i < items.size(); ++i) {
      at.push_back({nullptr, i});
      check_utf8(items[i], at, sink);
      at.pop_back();
    }
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.get_ref<const Json::object_t&>()) {
      at.push_back({&key, 0});
      if (!detail::valid_utf8(key))
        sink.error("LF1001", pointer_of(at), "the key is not valid UTF-8");
      check_utf8(value, at, sink);
      at.pop_back();
    }
  }
}

void check_names(const Template& t, Sink& sink) {
  // name → section, for duplicates across sections (the names live in `t`). Paths are built
  // only for a finding: most templates have none.
  std::map<std::string_view, std::string_view> seen;
  auto check = [&](const std::string& name, std::string_view section, const char* rule) {
    auto path = [&] { return fmt::format("/{}/{}", section, pointer_token(name)); };
    if (!alphanumeric(name))
      sink.error(rule, path(),
                 fmt::format("logical id '{}' must be alphanumeric (A-Za-z0-9)", name));
    else if (name.size() > kMaxNameLength)
      sink.error(rule, path(),
                 fmt::format("logical id {} is {} characters long, above the maximum of {}", name,
                             name.size(), kMaxNameLength));
    auto [it, inserted] = seen.emplace(name, section);
    if (!inserted && (section != "Outputs" || it->second == "Outputs"))
      sink.error("E0000", path(),
                 fmt::format("logical id {} is defined twice (first in {})", name, it->second));
  };
  for (const auto& [name, p] : t.parameters) check(name, "Parameters", "E2003");
  for (const auto& r : t.resources) check(r.logical_id, "Resources", "E3001");
  for (const auto& [name, o] : t.outputs) {
    // Outputs live in their own namespace.
    if (!alphanumeric(name))
      sink.error("E6004", "/Outputs/" + pointer_token(name),
                 fmt::format("output name '{}' must be alphanumeric (A-Za-z0-9)", name));
  }
  std::set<std::string> outputs;
  for (const auto& [name, o] : t.outputs)
    if (!outputs.insert(name).second)
      sink.error("E0000", "/Outputs/" + pointer_token(name),
                 fmt::format("output {} is defined twice", name));

  auto limit = [&](std::size_t n, std::size_t max, const char* rule, const char* what,
                   const char* path) {
    if (n > max)
      sink.error(
          rule, path,
          fmt::format("the template has {} {}, above CloudFormation's limit of {}", n, what, max));
  };
  limit(t.resources.size(), kMaxResources, "E3010", "resources", "/Resources");
  limit(t.parameters.size(), kMaxParameters, "E2010", "parameters", "/Parameters");
  limit(t.outputs.size(), kMaxOutputs, "E6010", "outputs", "/Outputs");
  limit(t.mappings.size(), kMaxMappings, "E7010", "mappings", "/Mappings");
}

void check_parameters(const Template& t, Sink& sink) {
  for (const auto& [name, p] : t.parameters) {
    const std::string path = "/Parameters/" + pointer_token(name);
    detail::check_fields(p, path, sink);
    if (p.default_value && !(p.default_value->is_string() || p.default_value->is_number() ||
                             p.default_value->is_boolean()))
      sink.error("E2001", path + "/Default", "a parameter's Default must be a string or a number");
    if (!valid_parameter_type(p.type))
      sink.error("E2002", path + "/Type",
                 fmt::format("parameter type '{}' is not a CloudFormation parameter type", p.type));
    if (p.default_value && p.allowed_values) {
      bool found = false;
      for (const auto& v : *p.allowed_values) found = found || v == *p.default_value;
      if (!found)
        sink.error("E2015", path + "/Default", "the default value is not one of AllowedValues");
    }
  }
}

// Reports every DependsOn/Ref/GetAtt cycle once, at the resource that closes it.
void check_cycles(const std::map<std::string_view, std::set<std::string_view>>& graph,
                  const std::vector<std::string_view>& order, Sink& sink) {
  // Depth-first over indices, without recursion: names are looked up once, not at every edge
  // (a std::map of states and a std::function per visit were 3% of a 500-resource render).
  constexpr std::uint32_t kNone = ~std::uint32_t{0};
  std::unordered_map<std::string_view, std::uint32_t> index;
  index.reserve(graph.size());
  std::vector<std::string_view> names;
  names.reserve(graph.size());
  for (const auto& [name, deps] : graph) {
    index.emplace(name, static_cast<std::uint32_t>(names.size()));
    names.push_back(name);
  }
  // Each node's dependencies in the set's order; one outside the graph is never on the stack
  // and never visited, as before.
  std::vector<std::uint32_t> first(names.size() + 1, 0);
  std::vector<std::uint32_t> edges;
  {
    std::uint32_t i = 0;
    for (const auto& [name, deps] : graph) {
      first[i++] = static_cast<std::uint32_t>(edges.size());
      for (const auto& d : deps) {
        auto it = index.find(d);
        edges.push_back(it == index.end() ? kNone : it->second);
      }
    }
    first[i] = static_cast<std::uint32_t>(edges.size());
  }
  enum : std::uint8_t { kNew, kOnStack, kDone };
  std::vector<std::uint8_t> state(names.size(), kNew);
  std::vector<std::uint32_t> stack;     // nodes on the path
  std::vector<std::uint32_t> next_dep;  // each path node's next edge
  auto report = [&](std::uint32_t d) {
    std::string chain;
    auto from = std::find(stack.begin(), stack.end(), d);
    for (auto s = from; s != stack.end(); ++s) {
      chain += names[*s];
      chain += " → ";
    }
    chain += names[d];
    sink.error("E3004", "/Resources/" + pointer_token(names[d]),
               fmt::format("circular dependency: {}", chain));
  };
  for (const auto& id : order) {
    auto root = index.find(id);
    if (root == index.end() || state[root->second] != kNew) continue;
    state[root->second] = kOnStack;
    stack.push_back(root->second);
    next_dep.push_back(first[root->second]);
    while (!stack.empty()) {
      const std::uint32_t n = stack.back();
      std::uint32_t& e = next_dep.back();
      if (e == first[n + 1]) {
        state[n] = kDone;
        stack.pop_back();
        next_dep.pop_back();
        continue;
      }
      const std::uint32_t d = edges[e++];
      if (d == kNone) continue;
      if (state[d] == kOnStack) {
        report(d);
      } else if (state[d] == kNew) {
        state[d] = kOnStack;
        stack.push_back(d);
        next_dep.push_back(first[d]);
      }
    }
  }
}

}  // namespace

std::string detail::utc_date(std::int64_t unix_seconds) {
  // Howard Hinnant's civil_from_days on the day count (floored, for times before 1970).
  const std::int64_t days = unix_seconds / 86400 - (unix_seconds % 86400 < 0 ? 1 : 0);
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

Diagnostics validate(const Template& t, const ValidateOptions& options) {
  Diagnostics out;
  Sink sink{out, {}};
  detail::RuleContext ctx{t, options.today.empty() ? today_utc() : options.today};

  if (t.format_version != "2010-09-09")
    sink.error(
        "E1001", "/AWSTemplateFormatVersion",
        fmt::format("AWSTemplateFormatVersion must be 2010-09-09, not '{}'", t.format_version));
  if (t.description && t.description->size() > 1024)
    sink.error("E1003", "/Description",
               fmt::format("the description is {} bytes, above the maximum of 1024",
                           t.description->size()));
  check_names(t, sink);
  check_parameters(t, sink);

  for (const auto& r : t.resources) {
    const std::string path = "/Resources/" + pointer_token(r.logical_id);
    detail::check_fields(r.attributes, path, sink);
    std::visit(
        [&](const auto& body) {
          using B = std::decay_t<decltype(body)>;
          if constexpr (!std::is_same_v<B, RawResource>)
            detail::check_fields(body, path + "/Properties", sink);
          detail::check_rules(body, path + "/Properties", ctx, sink);
        },
        r.body);
  }

  // Template-wide checks run on the emitted tree, so overrides and raw resources count too. The
  // tree is built, checked and written as YAML one resource at a time: the whole template's tree
  // never exists at once (memory, and the cache, of a 500-resource stack).
  Names names;
  names.resources.reserve(t.resources.size());
  for (const auto& r : t.resources) names.resources.emplace(r.logical_id, type_name(r.body));
  for (const auto& [name, p] : t.parameters) names.parameters.insert(name);
  for (auto it = t.conditions.begin(); it != t.conditions.end(); ++it)
    names.conditions.insert(it.key());

  // Keyed by views of names.resources' keys: a resource's tree is gone once it is checked.
  std::map<std::string_view, std::set<std::string_view>> graph;
  std::vector<std::string_view> order;
  auto check_resource = [&](const std::string& id, const Json& res) {
    const std::string path = "/Resources/" + pointer_token(id);
    // One pass over the resource's keys (each contains() or [] is a scan of them).
    const Json *properties = nullptr, *condition = nullptr, *depends_on = nullptr;
    if (res.is_object())
      for (const auto& [k, v] : res.get_ref<const Json::object_t&>()) {
        const std::string_view key = k;
        if (key == "Properties")
          properties = &v;
        else if (key == "Condition")
          condition = &v;
        else if (key == "DependsOn")
          depends_on = &v;
      }
    RefWalker w(names, sink);
    if (properties) w.walk(*properties, path + "/Properties");
    if (condition && condition->is_string())
      w.condition(condition->get_ref<const std::string&>(), path + "/Condition");
    if (depends_on) {
      const Json& d = *depends_on;
      const Json list = d.is_array() ? d : Json::array({d});
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string()) continue;
        const std::string target = list[i].get<std::string>();
        if (auto it = names.resources.find(target); it != names.resources.end())
          w.deps.insert(it->first);
        else
          sink.error(
              "E3005", path + "/DependsOn/" + std::to_string(i),
              fmt::format("DependsOn names {}, which is not a resource in this template", target));
      }
    }
    const std::string_view key = names.resources.find(id)->first;  // every id is a name
    graph[key] = std::move(w.deps);
    order.push_back(key);
  };

  // UTF-8 findings come last, in the tree's order, as when the whole tree was walked at once.
  Diagnostics utf8_findings;
  Sink utf8_sink{utf8_findings, {}};
  std::vector<PathStep> at;
  detail::YamlTemplateWriter yaml;
  // Room for the text up front (a 4-resource function renders about 2 KB): growing it by
  // doubling copied it eight times and left the old buffers behind. Pages of the reservation
  // that are never written are never touched.
  yaml.text().reserve(4096 + 1024 * t.resources.size());
  const Json head = detail::template_head(t);
  // Resource by resource when Resources is written as a section of distinct logical ids (with
  // a repeated id, or a single resource whose id is an intrinsic's name, the mapping is built).
  const bool stream = t.resources.size() > 1 && names.resources.size() == t.resources.size();
  for (auto it = head.begin(); it != head.end(); ++it) {
    const std::string& key = it.key();
    at.push_back({&key, 0});
    if (key != "Resources") {
      check_utf8(it.value(), at, utf8_sink);
      yaml.entry(key, it.value());
    } else if (stream) {
      yaml.begin_section(key);
      for (const auto& r : t.resources) {
        Json res = detail::resource_tree(r);
        check_resource(r.logical_id, res);
        // The writer looks at every key and string: when all were printable ASCII there is
        // nothing for the UTF-8 check to find (it was 6% of a 125-function render).
        if (!yaml.section_entry(r.logical_id, res)) {
          at.push_back({&r.logical_id, 0});
          if (!detail::valid_utf8(r.logical_id))
            utf8_sink.error("LF1001", pointer_of(at), "the key is not valid UTF-8");
          check_utf8(res, at, utf8_sink);
          at.pop_back();
        }
        detail::release(res);
      }
    } else {
      const Json resources = detail::resources_tree(t);
      for (auto r = resources.begin(); r != resources.end(); ++r)
        check_resource(r.key(), r.value());
      check_utf8(resources, at, utf8_sink);
      yaml.entry(key, resources);
    }
    at.pop_back();
  }
  check_cycles(graph, order, sink);
  for (const auto& [name, o] : t.outputs)
    detail::check_fields(o, "/Outputs/" + pointer_token(name), sink);
  if (head.contains("Outputs")) {
    const Json& outputs = head["Outputs"];
    for (auto it = outputs.begin(); it != outputs.end(); ++it) {
      const std::string path = "/Outputs/" + pointer_token(it.key());
      RefWalker w(names, sink);
      if (it.value().contains("Value")) w.walk(it.value()["Value"], path + "/Value");
      if (it.value().contains("Export")) w.walk(it.value()["Export"], path + "/Export");
      if (it.value().contains("Condition") && it.value()["Condition"].is_string())
        w.condition(it.value()["Condition"].get<std::string>(), path + "/Condition");
    }
  }
  if (head.contains("Conditions")) {
    RefWalker w(names, sink);
    w.walk(head["Conditions"], "/Conditions");
  }
  for (auto& d : utf8_findings) out.push_back(std::move(d));

  std::string& text = yaml.text();
  const std::size_t size = text.size();
  if (size > kTemplateLimit)
    sink.error(
        "E1002", "",
        fmt::format("the rendered template is {} bytes, above CloudFormation's limit of {} bytes",
                    size, kTemplateLimit));
  else if (size > kInlineTemplateLimit)
    sink.warning(
        "LF1002", "",
        fmt::format("the rendered template is {} bytes, above the {} bytes CloudFormation "
                    "accepts inline: deploy it with `aws cloudformation deploy --s3-bucket BUCKET`",
                    size, kInlineTemplateLimit));
  if (options.rendered_yaml) *options.rendered_yaml = std::move(text);
  return out;
}

}  // namespace lambdaform
