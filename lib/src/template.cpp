#include "lambdaform/template.hpp"

#include <stdexcept>

namespace lambdaform {

namespace {
std::vector<std::string> split_path(std::string_view dotted) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = dotted.find('.', start);
    out.emplace_back(
        dotted.substr(start, dot == std::string_view::npos ? dotted.npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}
}  // namespace

std::string_view type_name(const ResourceBody& body) {
  return std::visit(
      [](const auto& r) -> std::string_view {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, RawResource>) {
          return r.type;
        } else {
          return R::type_name;
        }
      },
      body);
}

const Resource* Template::find(std::string_view logical_id) const noexcept {
  for (const auto& r : resources)
    if (r.logical_id == logical_id) return &r;
  return nullptr;
}

Resource& Template::resource(std::string_view logical_id) {
  for (auto& r : resources)
    if (r.logical_id == logical_id) return r;
  throw std::out_of_range("lambdaform: no resource with logical id " + std::string(logical_id));
}

const Resource& Template::resource(std::string_view logical_id) const {
  if (const Resource* r = find(logical_id)) return *r;
  throw std::out_of_range("lambdaform: no resource with logical id " + std::string(logical_id));
}

Intrinsic Template::add_parameter(std::string name, Parameter p) {
  Intrinsic r = ref(name);
  parameters.emplace_back(std::move(name), std::move(p));
  return r;
}

void Template::add_output(std::string name, Output o) {
  outputs.emplace_back(std::move(name), std::move(o));
}

void Template::add_override(std::string_view logical_id, std::string_view dotted_path, Json value) {
  resource(logical_id).overrides.push_back(Override{split_path(dotted_path), std::move(value)});
}

void Template::add_deletion_override(std::string_view logical_id, std::string_view dotted_path) {
  resource(logical_id).overrides.push_back(Override{split_path(dotted_path), std::nullopt});
}

}  // namespace lambdaform
