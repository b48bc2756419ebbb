#include "lambdaform/versioning.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "reflect.hpp"
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

// A string nlohmann writes byte for byte: printable ASCII without '"' or '\\'.
bool verbatim(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  return true;
}

void dump_string(std::string_view s, std::string& out) {
  if (verbatim(s)) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

// Appends `j` exactly as nlohmann::json (std::map objects: keys sorted bytewise) would dump it
// compactly, without building that sorted copy of the tree: the copy and its dump were most
// of version_hash's instructions and allocations. Scalars are nlohmann's own dump (numbers,
// escapes, U+FFFD for invalid UTF-8); tests/spec/versions_test.cpp compares the two on
// generated trees.
void dump_sorted(const Json& j, std::string& out);

using Members = std::vector<std::pair<const std::string*, const Json*>>;

// An object's members, sorted by key: {"a":...,"b":...}.
void dump_members(Members& members, std::string& out) {
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  out += '{';
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i) out += ',';
    dump_string(*members[i].first, out);
    out += ':';
    dump_sorted(*members[i].second, out);
  }
  out += '}';
}

void dump_sorted(const Json& j, std::string& out) {
  if (j.is_object()) {
    const auto& entries = j.get_ref<const Json::object_t&>();
    Members members;
    members.reserve(entries.size());
    for (const auto& [key, value] : entries) members.emplace_back(&key, &value);
    dump_members(members, out);
  } else if (j.is_array()) {
    const auto& items = j.get_ref<const Json::array_t&>();
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) out += ',';
      dump_sorted(items[i], out);
    }
    out += ']';
  } else if (j.is_string()) {
    dump_string(j.get_ref<const std::string&>(), out);
  } else if (j.is_boolean()) {
    out += j.get<bool>() ? "true" : "false";
  } else if (j.is_null()) {
    out += "null";
  } else if (j.is_number_integer()) {
    // Signed and unsigned integers: plain decimal, as nlohmann writes them.
    out += j.is_number_unsigned() ? std::to_string(j.get<std::uint64_t>())
                                  : std::to_string(j.get<std::int64_t>());
  } else {  // floating point: nlohmann's own shortest form
    out += j.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

// ---- the canonical form straight from the model ----------------------------------------------
// The same bytes as dump_sorted(tree_of(x)), without building the tree: version hashing built
// each function's tree only to write it (a sixth of a 125-function render's allocations).
// Each overload mirrors the tree_of overload of the same type (reflect.hpp); a test compares
// the two on random functions.

void canon(const std::string& s, std::string& out) {
  dump_string(s, out);
}
void canon(std::int64_t n, std::string& out) {
  out += std::to_string(n);
}
void canon(bool b, std::string& out) {
  out += b ? "true" : "false";
}
[[maybe_unused]] void canon(double d, std::string& out) {
  out += Json(d).dump(-1, ' ', false, Json::error_handler_t::replace);
}
[[maybe_unused]] void canon(const Json& j, std::string& out) {
  dump_sorted(j, out);
}
void canon(const Intrinsic& i, std::string& out) {
  out += '{';  // its long form, a one-key object, without copying its arguments into one
  dump_string(i.function(), out);
  out += ':';
  dump_sorted(i.args(), out);
  out += '}';
}
template <class T>
void canon(const Value<T>& v, std::string& out);
template <class T>
void canon(const std::optional<T>& v, std::string& out);
template <class T>
void canon(const std::vector<T>& v, std::string& out);
template <class T>
void canon(const std::map<std::string, T>& m, std::string& out);
template <class T, std::enable_if_t<detail::has_fields<T>::value, int> = 0>
void canon(const T& s, std::string& out);

template <class T>
void canon(const Value<T>& v, std::string& out) {
  if (const Intrinsic* i = v.intrinsic())
    canon(*i, out);
  else
    canon(*v.literal(), out);
}
template <class T>
void canon(const std::optional<T>& v, std::string& out) {
  if (v)
    canon(*v, out);
  else
    out += "null";
}
template <class T>
void canon(const std::vector<T>& v, std::string& out) {
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    canon(v[i], out);
  }
  out += ']';
}
template <class T>
void canon(const std::map<std::string, T>& m, std::string& out) {
  out += '{';  // std::map's order is the bytewise order dump_members sorts by
  bool first = true;
  for (const auto& [k, x] : m) {
    if (!first) out += ',';
    first = false;
    dump_string(k, out);
    out += ':';
    canon(x, out);
  }
  out += '}';
}

// The field indices of T's table, ordered by field name: the canonical form sorts keys.
template <class T>
const std::vector<std::size_t>& fields_by_name() {
  static const std::vector<std::size_t> kOrder = [] {
    std::vector<std::string_view> names;
    detail::for_each_field<T>([&](const auto& f) { names.push_back(f.name); });
    std::vector<std::size_t> order(names.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    return order;
  }();
  return kOrder;
}

// Calls f with field number k of T's table: one call through a table of the fields' calls (a
// fold comparing k with every index cost a canonical form fields² comparisons).
template <class T, class F, std::size_t... I>
void with_field(std::size_t k, F&& f, std::index_sequence<I...>) {
  using Call = void (*)(F&);
  static constexpr Call kCalls[] = {[](F& g) {
    constexpr auto fields = T::fields();
    g(std::get<I>(fields));
  }...};
  kCalls[k](f);
}
template <class T, class F>
void with_field(std::size_t k, F&& f) {
  with_field<T>(k, f, std::make_index_sequence<std::tuple_size_v<decltype(T::fields())>>{});
}

// The set members of a fields() struct, sorted by name; `keep` filters them by name.
template <class T, class Keep>
void canon_members(const T& s, std::string& out, Keep&& keep) {
  out += '{';
  bool first = true;
  for (std::size_t k : fields_by_name<T>())
    with_field<T>(k, [&](const auto& f) {
      const auto& m = s.*(f.member);
      if (!detail::is_set(m) || !keep(f.name)) return;
      if (!first) out += ',';
      first = false;
      dump_string(f.name, out);
      out += ':';
      canon(m, out);
    });
  out += '}';
}
template <class T, std::enable_if_t<detail::has_fields<T>::value, int>>
void canon(const T& s, std::string& out) {
  canon_members(s, out, [](std::string_view) { return true; });
}

}  // namespace

namespace detail {
std::string canonical_json(const Json& j) {
  std::string out;
  dump_sorted(j, out);
  return out;
}
}  // namespace detail

VersionHash version_hash(const Template& t, std::string_view function_id,
                         const std::map<std::string, std::string>& params) {
  return detail::version_hash(t, t.resource(function_id), params);
}

VersionHash detail::version_hash(const Template& t, const Resource& r,
                                 const std::map<std::string, std::string>& params) {
  const auto* fn = std::get_if<Function>(&r.body);
  // Parameters to resolve and overrides change the tree: those functions take the tree's path.
  if (!fn || !r.overrides.empty() || !params.empty() || !t.parameters.empty())
    return detail::version_hash_via_tree(t, r, params);
  VersionHash h;
  h.canonical = fmt::format("{{\"lambdaform-version-hash\":{},\"properties\":", kVersionHashSpec);
  canon_members(*fn, h.canonical, [&](std::string_view name) {
    if (!is_locked(name)) return false;
    h.properties.emplace_back(name);
    return true;
  });
  h.canonical += '}';
  h.sha256 = sha256_hex(h.canonical);
  return h;
}

VersionHash detail::version_hash_via_tree(const Template& t, const Resource& r,
                                          const std::map<std::string, std::string>& params) {
  const Json resource = detail::resource_tree(r);
  std::set<std::string> declared;
  for (const auto& [name, p] : t.parameters) declared.insert(name);
  std::set<std::string> unresolved;
  VersionHash h;
  // The canonical form is sorted compact JSON (key order does not matter):
  // {"lambdaform-version-hash":1,"properties":{...locked properties...}}.
  std::vector<std::pair<const std::string*, Json>> resolved;  // only with parameters
  Members locked;
  if (const auto props = resource.find("Properties"); props != resource.end())
    for (const auto& [name, value] : props->get_ref<const Json::object_t&>()) {
      if (!is_locked(name)) continue;
      h.properties.push_back(name);
      if (declared.empty() && params.empty()) {  // nothing to resolve
        locked.emplace_back(&name, &value);
      } else {
        resolved.emplace_back(&name, resolve(value, params, declared, unresolved));
      }
    }
  for (const auto& [name, value] : resolved) locked.emplace_back(name, &value);
  std::sort(h.properties.begin(), h.properties.end());
  h.canonical = fmt::format("{{\"lambdaform-version-hash\":{},\"properties\":", kVersionHashSpec);
  dump_members(locked, h.canonical);
  h.canonical += '}';
  h.sha256 = sha256_hex(h.canonical);
  h.unresolved_parameters.assign(unresolved.begin(), unresolved.end());
  return h;
}

std::pair<Handle<Version>, VersionHash> publish_version(
    Template& t, const Handle<Function>& function,
    const std::map<std::string, std::string>& params) {
  const Resource& r = t.resource(function.logical_id);
  return detail::publish_version(t, static_cast<std::size_t>(&r - t.resources.data()), params);
}

std::pair<Handle<Version>, VersionHash> detail::publish_version(
    Template& t, std::size_t index, const std::map<std::string, std::string>& params) {
  VersionHash h = detail::version_hash(t, t.resources[index], params);
  // A copy: t.add() below may move the resources.
  const std::string function_id = t.resources[index].logical_id;
  Version v;
  v.function_name = ref(function_id);
  ResourceAttributes a;
  a.deletion_policy = "Retain";
  a.update_replace_policy = "Retain";
  // Built by moves: a braced Json initializer copies every value it holds.
  Json locked = Json::array();
  auto& names = locked.get_ref<Json::array_t&>();
  names.reserve(h.properties.size());
  for (const auto& p : h.properties) names.emplace_back(p);
  Json inner = Json::object();
  auto& entries = inner.get_ref<Json::object_t&>();
  entries.reserve(3);
  entries.emplace_back("version-hash-spec", kVersionHashSpec);
  entries.emplace_back("sha256", h.sha256);
  entries.emplace_back("locked-properties", std::move(locked));
  a.metadata = Json::object();
  a.metadata->get_ref<Json::object_t&>().emplace_back("lambdaform", std::move(inner));
  auto handle = t.add(function_id + "Version" + h.sha256.substr(0, 10), std::move(v), std::move(a));
  return {handle, h};
}

}  // namespace lambdaform
