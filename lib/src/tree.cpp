#include <string_view>
#include <unordered_map>
#include <variant>

#include "lambdaform/emit.hpp"
#include "reflect.hpp"
#include "tree.hpp"

namespace lambdaform {

namespace {

void apply_override(Json& resource, const Override& o) {
  if (o.path.empty()) return;
  Json* node = &resource;
  for (std::size_t i = 0; i + 1 < o.path.size(); ++i) {
    const std::string& key = o.path[i];
    if (!node->is_object()) {
      if (!o.value) return;  // nothing to delete below a non-object
      *node = Json::object();
    }
    if (!node->contains(key)) {
      if (!o.value) return;
      (*node)[key] = Json::object();
    }
    node = &(*node)[key];
  }
  if (!node->is_object()) {
    if (!o.value) return;
    *node = Json::object();
  }
  if (o.value)
    (*node)[o.path.back()] = *o.value;
  else
    node->erase(o.path.back());
}

}  // namespace

Json detail::resource_tree(const Resource& r) {
  Json j = Json::object();
  Json attrs = detail::tree_of(r.attributes);
  j.get_ref<Json::object_t&>().reserve(attrs.size() + 2);  // + Type and Properties
  j["Type"] = std::string(type_name(r.body));
  for (auto it = attrs.begin(); it != attrs.end(); ++it) j[it.key()] = std::move(it.value());
  Json props = std::visit(
      [](const auto& b) -> Json {
        using B = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<B, RawResource>) {
          return b.properties;
        } else {
          return detail::tree_of(b);
        }
      },
      r.body);
  if (!props.empty()) j["Properties"] = std::move(props);
  for (const auto& o : r.overrides) apply_override(j, o);
  return j;
}

void detail::release(Json& j) {
  if (j.is_object()) {
    auto& entries = j.get_ref<Json::object_t&>();
    for (auto& entry : entries) release(entry.second);
    entries.clear();  // children are scalars or empty now: nothing left to flatten
  } else if (j.is_array()) {
    auto& items = j.get_ref<Json::array_t&>();
    for (auto& item : items) release(item);
    items.clear();
  }
}

Json detail::template_head(const Template& t) {
  Json j = Json::object();
  j["AWSTemplateFormatVersion"] = t.format_version;
  if (t.description) j["Description"] = *t.description;
  if (t.metadata) j["Metadata"] = *t.metadata;
  if (!t.parameters.empty()) {
    Json& ps = j["Parameters"] = Json::object();
    for (const auto& [name, p] : t.parameters) ps[name] = detail::tree_of(p);
  }
  if (!t.mappings.empty()) j["Mappings"] = t.mappings;
  if (!t.conditions.empty()) j["Conditions"] = t.conditions;
  j["Resources"] = Json::object();
  if (!t.outputs.empty()) {
    Json& os = j["Outputs"] = Json::object();
    for (const auto& [name, o] : t.outputs) os[name] = detail::tree_of(o);
  }
  return j;
}

Json detail::resources_tree(const Template& t) {
  Json rs = Json::object();
  auto& entries = rs.get_ref<Json::object_t&>();
  // ordered_json's elements copy (not move) when its vector grows: size it once.
  entries.reserve(t.resources.size());
  // A repeated logical id (an error validate() reports) replaces the first one's value in
  // place, as `rs[id] = ...` does; the index spares ordered_map's linear find per resource.
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(t.resources.size());
  for (const auto& r : t.resources) {
    auto [at, added] = index.emplace(r.logical_id, entries.size());
    if (added)
      entries.emplace_back(r.logical_id, detail::resource_tree(r));
    else
      (entries.begin() + static_cast<std::ptrdiff_t>(at->second))->second =
          detail::resource_tree(r);
  }
  return rs;
}

Json to_tree(const Template& t) {
  Json j = detail::template_head(t);
  j["Resources"] = detail::resources_tree(t);
  return j;
}

std::string to_json_text(const Json& tree) {
  // Invalid UTF-8 cannot reach the output raw: it becomes U+FFFD (validate() reports it).
  return tree.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string render(const Template& t, Format format) {
  Json tree = to_tree(t);
  return format == Format::json ? to_json_text(tree) : to_yaml(tree);
}

}  // namespace lambdaform
