#pragma once
// The engine behind every `fields()` table: emission to the tree and per-field validation.
// Each resource's properties are described once (in its public header); this file walks them.

#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "lambdaform/diagnostic.hpp"
#include "lambdaform/field.hpp"
#include "lambdaform/intrinsic.hpp"
#include "lambdaform/json.hpp"

namespace lambdaform::detail {

template <class T, class = void>
struct has_fields : std::false_type {};
template <class T>
struct has_fields<T, std::void_t<decltype(T::fields())>> : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_value : std::false_type {};
template <class T>
struct is_value<Value<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

template <class T>
struct is_map : std::false_type {};
template <class T>
struct is_map<std::map<std::string, T>> : std::true_type {};

/// Calls `f(field)` for every field of T, in table order.
template <class T, class F>
void for_each_field(F&& f) {
  std::apply([&](const auto&... fd) { (f(fd), ...); }, T::fields());
}

/// Whether a member counts as set (optionals when engaged, lists when non-empty).
template <class M>
bool is_set(const M& m) {
  if constexpr (is_optional<M>::value) {
    return m.has_value();
  } else if constexpr (is_vector<M>::value) {
    return !m.empty();
  } else {
    return true;
  }
}

// ---- emission -------------------------------------------------------------------------------

inline Json tree_of(const std::string& s) {
  return s;
}
inline Json tree_of(std::int64_t n) {
  return n;
}
inline Json tree_of(bool b) {
  return b;
}
inline Json tree_of(double d) {
  return d;
}
inline Json tree_of(const Json& j) {
  return j;
}
inline Json tree_of(const Intrinsic& i) {
  return i.to_json();
}
template <class T>
Json tree_of(const Value<T>& v);
template <class T>
Json tree_of(const std::optional<T>& v);
template <class T>
Json tree_of(const std::vector<T>& v);
template <class T>
Json tree_of(const std::map<std::string, T>& m);
template <class T, std::enable_if_t<has_fields<T>::value, int> = 0>
Json tree_of(const T& s);

template <class T>
Json tree_of(const Value<T>& v) {
  if (const Intrinsic* i = v.intrinsic()) return i->to_json();
  return tree_of(*v.literal());
}
template <class T>
Json tree_of(const std::optional<T>& v) {
  return v ? tree_of(*v) : Json();
}
template <class T>
Json tree_of(const std::vector<T>& v) {
  Json a = Json::array();
  a.get_ref<Json::array_t&>().reserve(v.size());
  for (const auto& x : v) a.push_back(tree_of(x));
  return a;
}
// ordered_json's members are copied, subtrees and all, each time its vector grows (the pair's
// const key makes the move constructor not noexcept): objects are sized before they are filled.
template <class T>
Json tree_of(const std::map<std::string, T>& m) {
  Json o = Json::object();
  o.get_ref<Json::object_t&>().reserve(m.size());
  // Keys of a std::map are unique: appended without ordered_map's linear find.
  for (const auto& [k, x] : m) o.get_ref<Json::object_t&>().emplace_back(k, tree_of(x));
  return o;
}
template <class T, std::enable_if_t<has_fields<T>::value, int>>
Json tree_of(const T& s) {
  Json o = Json::object();
  std::size_t set = 0;
  for_each_field<T>([&](const auto& f) { set += is_set(s.*(f.member)) ? 1 : 0; });
  auto& entries = o.get_ref<Json::object_t&>();
  entries.reserve(set);
  for_each_field<T>([&](const auto& f) {  // field names are unique within a table
    const auto& m = s.*(f.member);
    if (is_set(m)) entries.emplace_back(std::string(f.name), tree_of(m));
  });
  return o;
}

// ---- validation -----------------------------------------------------------------------------

/// Collects diagnostics while walking the model.
struct Sink {
  Diagnostics& out;
  std::map<std::string_view, std::regex> regexes;  // compiled patterns, by pattern text
  void add(Severity s, std::string rule, std::string path, std::string message) {
    out.push_back(Diagnostic{s, std::move(rule), std::move(message), std::move(path), {}});
  }
  void error(std::string rule, std::string path, std::string message) {
    add(Severity::error, std::move(rule), std::move(path), std::move(message));
  }
  void warning(std::string rule, std::string path, std::string message) {
    add(Severity::warning, std::move(rule), std::move(path), std::move(message));
  }
};

/// A JSON pointer that is written out only when a finding needs it: most models have none, and
/// building a string per checked field was a fifth of validate()'s allocations.
struct LazyPath {
  const std::string* root = nullptr;  // the start of the pointer (set on the outermost step)
  const LazyPath* parent = nullptr;
  std::string_view key;  // a field name or a map key (escaped when written)
  std::size_t index = 0;
  bool is_index = false;
  /// The pointer as text.
  std::string str() const;
  /// One step down: a field or a map key.
  LazyPath operator/(std::string_view k) const { return LazyPath{nullptr, this, k, 0, false}; }
  /// One step down: a list item.
  LazyPath operator/(std::size_t i) const { return LazyPath{nullptr, this, {}, i, true}; }
};

/// Checks one literal string against the enumeration and pattern of a constraint.
void check_string_item(const std::string& s, const Constraint& c, std::string_view name,
                       const LazyPath& path, Sink& sink);
/// Checks a literal string's length and content.
void check_string(const std::string& s, const Constraint& c, std::string_view name,
                  const LazyPath& path, Sink& sink);
/// Checks a literal integer.
void check_integer(std::int64_t n, const Constraint& c, std::string_view name, const LazyPath& path,
                   Sink& sink);
/// Checks a list's item count.
void check_count(std::size_t n, const Constraint& c, std::string_view name, const LazyPath& path,
                 Sink& sink);

template <class T>
void check_literal(const T& v, const Constraint& c, std::string_view name, const LazyPath& path,
                   Sink& sink);

template <class T, std::enable_if_t<has_fields<T>::value, int> = 0>
void check_fields(const T& s, const LazyPath& path, Sink& sink) {
  for_each_field<T>([&](const auto& f) {
    const auto& m = s.*(f.member);
    if (!is_set(m)) {
      if (f.presence == Presence::required)
        sink.error("E3003", path.str(), "required property " + std::string(f.name) + " is missing");
      return;
    }
    const LazyPath child = path / f.name;
    using M = std::decay_t<decltype(m)>;
    if constexpr (is_optional<M>::value) {
      check_literal(*m, f.constraint, f.name, child, sink);
    } else {
      check_literal(m, f.constraint, f.name, child, sink);
    }
  });
}

/// Checks every field of `s` (a fields() table) found at the JSON pointer `path`.
template <class T, std::enable_if_t<has_fields<T>::value, int> = 0>
void check_fields(const T& s, const std::string& path, Sink& sink) {
  check_fields(s, LazyPath{&path, nullptr, {}, 0, false}, sink);
}

template <class T>
void check_literal(const T& v, const Constraint& c, std::string_view name, const LazyPath& path,
                   Sink& sink) {
  if constexpr (is_value<T>::value) {
    if (const auto* lit = v.literal()) check_literal(*lit, c, name, path, sink);
  } else if constexpr (std::is_same_v<T, std::string>) {
    check_string(v, c, name, path, sink);
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    check_integer(v, c, name, path, sink);
  } else if constexpr (is_vector<T>::value) {
    check_count(v.size(), c, name, path, sink);
    using Item = typename T::value_type;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const LazyPath ip = path / i;
      if constexpr (is_value<Item>::value) {
        if (const auto* lit = v[i].literal()) {
          using L = std::decay_t<decltype(*lit)>;
          if constexpr (std::is_same_v<L, std::string>) {
            check_string_item(*lit, c, name, ip, sink);
          } else if constexpr (has_fields<L>::value) {
            check_fields(*lit, ip, sink);
          }
        }
      } else if constexpr (std::is_same_v<Item, std::string>) {
        check_string_item(v[i], c, name, ip, sink);
      }
    }
  } else if constexpr (is_map<T>::value) {
    for (const auto& [k, x] : v)
      check_literal(x, Constraint{}, k, path / std::string_view(k), sink);
  } else if constexpr (has_fields<T>::value) {
    check_fields(v, path, sink);
  }
}

}  // namespace lambdaform::detail
