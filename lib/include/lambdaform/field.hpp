#pragma once
/// \file Property descriptors. Each resource and property type lists its CloudFormation
/// properties once, in emission order, with name, member, required-ness and limits; that one
/// table drives emission, validation, hashing and spec parsing.

#include <cstdint>
#include <limits>
#include <string_view>
#include <tuple>

namespace lambdaform {

/// Limits checked on a literal property value; an intrinsic is never checked.
struct Constraint {
  /// Numbers: the smallest value (E3034). Strings: the shortest length (E3033). Lists: the fewest
  /// items (E3032).
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  /// Numbers: the largest value. Strings: the longest length in bytes. Lists: the most items.
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  /// The allowed values, separated by '|' (E3030); for lists, checked on each item.
  std::string_view one_of{};
  /// A regular expression (ECMAScript) every literal string must match in full (E3031); for
  /// lists, checked on each item.
  std::string_view pattern{};
};

/// `Constraint` for a number range or a length range.
constexpr Constraint range(std::int64_t min, std::int64_t max) {
  return Constraint{min, max, {}, {}};
}
/// `Constraint` for an enumeration, "a|b|c".
constexpr Constraint one_of(std::string_view values) {
  return Constraint{std::numeric_limits<std::int64_t>::min(),
                    std::numeric_limits<std::int64_t>::max(),
                    values,
                    {}};
}
/// `Constraint` for a pattern with a length range.
constexpr Constraint pattern(std::string_view re, std::int64_t min_len = 0,
                             std::int64_t max_len = std::numeric_limits<std::int64_t>::max()) {
  return Constraint{min_len, max_len, {}, re};
}

/// Whether a property must be present.
enum class Presence { optional, required };

/// One property of `Owner`: its CloudFormation name, the member that holds it, whether it is
/// required, its limits, and whether it is version-locked (a change to it must publish a new
/// Lambda version).
template <class Owner, class Member>
struct Field {
  /// CloudFormation property name.
  std::string_view name;
  /// The member holding the value (a `Prop<T>` or another optional).
  Member Owner::*member;
  /// Required or optional.
  Presence presence;
  /// Limits on literals.
  Constraint constraint;
};

/// Builds a Field; `fields()` tables are tuples of these.
template <class Owner, class Member>
constexpr Field<Owner, Member> field(std::string_view name, Member Owner::*member,
                                     Presence presence = Presence::optional,
                                     Constraint constraint = {}) {
  return Field<Owner, Member>{name, member, presence, constraint};
}

}  // namespace lambdaform

namespace lambdaform {

/// Equality over every field of a `fields()` table: what each type's operator== uses, so a
/// property added to a table is compared without a second edit.
template <class T>
bool fields_equal(const T& a, const T& b) {
  return std::apply([&](const auto&... f) { return ((a.*(f.member) == b.*(f.member)) && ...); },
                    T::fields());
}

}  // namespace lambdaform
