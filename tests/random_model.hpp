#pragma once
// Random typed models for property tests: each field of a fields() table set or not, each value
// a literal or an intrinsic, strings and JSON from random_tree.hpp (escapes, invalid UTF-8,
// byte order of keys).

#include <cstdint>
#include <random>
#include <string>

#include "lambdaform/intrinsic.hpp"
#include "random_tree.hpp"
#include "reflect.hpp"

namespace lftest {

inline std::string random_text(std::mt19937_64& rng) {
  for (;;) {
    lambdaform::Json j = random_tree(rng, 5);  // at depth > 4 one value in six is a string
    if (j.is_string()) return j.get<std::string>();
  }
}

inline lambdaform::Intrinsic random_intrinsic(std::mt19937_64& rng) {
  switch (rng() % 3) {
    case 0:
      return lambdaform::Intrinsic("Ref", random_text(rng));
    case 1:
      return lambdaform::Intrinsic("Fn::GetAtt",
                                   lambdaform::Json::array({random_text(rng), "Arn"}));
    default:
      return lambdaform::Intrinsic("Fn::Sub", random_tree(rng, 3));
  }
}

/// A random value of any type a fields() table holds.
template <class T>
T random_value(std::mt19937_64& rng, int depth) {
  namespace d = lambdaform::detail;
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  if constexpr (std::is_same_v<T, std::string>) {
    return random_text(rng);
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return pick(2) ? static_cast<std::int64_t>(pick(2000)) - 1000
                   : static_cast<std::int64_t>(rng());
  } else if constexpr (std::is_same_v<T, bool>) {
    return pick(2) == 1;
  } else if constexpr (std::is_same_v<T, double>) {
    return static_cast<double>(pick(1000)) / 8.0;
  } else if constexpr (std::is_same_v<T, lambdaform::Json>) {
    return random_tree(rng, depth + 1);
  } else if constexpr (d::is_value<T>::value) {
    if (pick(4) == 0) return T(random_intrinsic(rng));
    return T(random_value<typename T::literal_type>(rng, depth + 1));
  } else if constexpr (d::is_optional<T>::value) {
    if (pick(2) == 0) return T{};
    return T(random_value<typename T::value_type>(rng, depth + 1));
  } else if constexpr (d::is_vector<T>::value) {
    T v;
    for (std::size_t i = pick(depth > 3 ? 2 : 4); i > 0; --i)
      v.push_back(random_value<typename T::value_type>(rng, depth + 1));
    return v;
  } else if constexpr (d::is_map<T>::value) {
    T m;
    for (std::size_t i = pick(4); i > 0; --i)
      m.emplace(random_text(rng), random_value<typename T::mapped_type>(rng, depth + 1));
    return m;
  } else {
    static_assert(d::has_fields<T>::value, "a type random_value does not know");
    T s{};
    d::for_each_field<T>([&](const auto& f) {
      using M = std::decay_t<decltype(s.*(f.member))>;
      if (pick(2) == 0) s.*(f.member) = random_value<M>(rng, depth + 1);
    });
    return s;
  }
}

}  // namespace lftest
