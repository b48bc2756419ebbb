#pragma once
/// \file CloudFormation intrinsic functions, pseudo parameters and `Value<T>`, the type of every
/// property: a literal or an intrinsic.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "lambdaform/json.hpp"

namespace lambdaform {

/// One intrinsic function call such as `{"Fn::Sub": "..."}` or `{"Ref": "X"}`.
/// Its arguments are a JSON tree in which nested intrinsics appear in their long form.
/// Held behind one pointer, so that every `Value<T>` of the model stays small (8 bytes here
/// instead of 48: every optional property holds one inline, set or not).
class Intrinsic {
 public:
  /// Builds a call of `function` ("Ref", "Fn::GetAtt", ...) with `args`.
  Intrinsic(std::string function, Json args)
      : rep_(std::make_unique<const Rep>(Rep{std::move(function), std::move(args)})) {}
  /// A copy of the call.
  Intrinsic(const Intrinsic& other) : rep_(std::make_unique<const Rep>(other.rep())) {}
  /// Takes the other's call; the moved-from Intrinsic reads as an empty call.
  Intrinsic(Intrinsic&&) noexcept = default;
  /// A copy of the call.
  Intrinsic& operator=(const Intrinsic& other) {
    if (this != &other) rep_ = std::make_unique<const Rep>(other.rep());
    return *this;
  }
  /// Takes the other's call.
  Intrinsic& operator=(Intrinsic&&) noexcept = default;
  /// The function's long name: "Ref", "Fn::Sub", ...
  const std::string& function() const noexcept { return rep().function; }
  /// The arguments as CloudFormation expects them in JSON.
  const Json& args() const noexcept { return rep().args; }
  /// The long form: a one-key object.
  Json to_json() const;
  /// Reads `j` as an intrinsic if it is one (a one-key object whose key is "Ref", "Condition"
  /// or starts with "Fn::"); std::nullopt otherwise.
  static std::optional<Intrinsic> from_json(const Json& j);
  /// Equal when the function and the arguments are equal.
  friend bool operator==(const Intrinsic& a, const Intrinsic& b) {
    return a.function() == b.function() && a.args() == b.args();
  }
  /// Not equal.
  friend bool operator!=(const Intrinsic& a, const Intrinsic& b) { return !(a == b); }

 private:
  struct Rep {
    std::string function;
    Json args;
  };
  // Only a moved-from Intrinsic has no representation; it reads as an empty call.
  const Rep& rep() const noexcept {
    static const Rep kEmpty{};
    return rep_ ? *rep_ : kEmpty;
  }
  std::unique_ptr<const Rep> rep_;
};

/// Lets an Intrinsic be put wherever a Json is expected (nested intrinsic arguments).
void to_json(Json& j, const Intrinsic& i);

namespace detail {

/// Heap storage for a literal too large to keep inline in every `Value<T>` (sub-structures such
/// as Code or LoggingConfig): a model holds every optional property inline, set or not, so
/// these would make each Function, and each Resource beside it, over a kilobyte larger.
/// Copies are deep, moves take the pointer; a moved-from box reads as a default `T`.
template <class T>
class Boxed {
 public:
  /// Boxes a literal.
  explicit Boxed(T value) : p_(std::make_unique<T>(std::move(value))) {}
  /// A deep copy.
  Boxed(const Boxed& other) : p_(std::make_unique<T>(other.get())) {}
  /// Takes the other's literal.
  Boxed(Boxed&&) noexcept = default;
  /// A deep copy.
  Boxed& operator=(const Boxed& other) {
    if (this != &other) p_ = std::make_unique<T>(other.get());
    return *this;
  }
  /// Takes the other's literal.
  Boxed& operator=(Boxed&&) noexcept = default;
  /// The literal.
  const T& get() const noexcept {
    static const T kDefault{};
    return p_ ? *p_ : kDefault;
  }
  /// The literal, made again (default) after a move.
  T& get() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  /// Equal literals.
  friend bool operator==(const Boxed& a, const Boxed& b) { return a.get() == b.get(); }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace detail

/// A property value: either a literal `T` or an intrinsic that CloudFormation resolves at deploy
/// time. Limits are checked only on literals; an intrinsic's value is unknown at render time.
template <class T>
class Value {
  // Strings, numbers, lists and maps stay inline; sub-structures live on the heap.
  static constexpr bool kBoxed = sizeof(T) > 48;
  using Stored = std::conditional_t<kBoxed, detail::Boxed<T>, T>;

 public:
  /// The literal's type.
  using literal_type = T;
  /// The literal.
  Value(T literal) : v_(std::in_place_index<0>, Stored(std::move(literal))) {}
  /// An intrinsic instead of the literal.
  Value(Intrinsic intrinsic) : v_(std::move(intrinsic)) {}
  /// Anything `T` is built from (a `const char*` for a string, an `int` for an integer), except
  /// conversions that lose meaning (a pointer or number to bool, a double to an integer).
  template <class U, class D = std::decay_t<U>,
            std::enable_if_t<!std::is_same_v<D, Value> && !std::is_same_v<D, T> &&
                                 !std::is_same_v<D, Intrinsic> && std::is_constructible_v<T, U> &&
                                 (!std::is_same_v<T, bool> || std::is_same_v<D, bool>)&&(
                                     !std::is_integral_v<T> || std::is_integral_v<D>),
                             int> = 0>
  Value(U&& u) : v_(std::in_place_index<0>, Stored(T(std::forward<U>(u)))) {}

  /// True when the value is a literal.
  bool is_literal() const noexcept { return v_.index() == 0; }
  /// The literal, or nullptr for an intrinsic.
  const T* literal() const noexcept {
    const Stored* s = std::get_if<0>(&v_);
    if constexpr (kBoxed)
      return s ? &s->get() : nullptr;
    else
      return s;
  }
  /// The literal, or nullptr for an intrinsic.
  T* literal() noexcept(!kBoxed) {
    Stored* s = std::get_if<0>(&v_);
    if constexpr (kBoxed)
      return s ? &s->get() : nullptr;
    else
      return s;
  }
  /// The intrinsic, or nullptr for a literal.
  const Intrinsic* intrinsic() const noexcept { return std::get_if<1>(&v_); }
  /// Equal when both hold the same literal or the same intrinsic.
  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }
  /// Not equal.
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  std::variant<Stored, Intrinsic> v_;
};

/// A list property; the list and each item may be intrinsics.
template <class T>
using List = std::vector<Value<T>>;
/// A string-keyed map property, emitted in key order.
template <class T>
using Map = std::map<std::string, Value<T>>;
/// An optional property.
template <class T>
using Prop = std::optional<Value<T>>;
/// An optional list property.
template <class T>
using ListProp = std::optional<Value<List<T>>>;

/// A typed reference to a resource in a Template, returned by Template::add.
template <class R>
struct Handle {
  /// The logical id the resource was added under.
  std::string logical_id;
  /// Equal when they name the same logical id.
  friend bool operator==(const Handle& a, const Handle& b) { return a.logical_id == b.logical_id; }
};

/// `!Ref name`: a parameter, a resource or a pseudo parameter.
Intrinsic ref(std::string name);
/// `!Ref` of a resource through its handle.
template <class R>
Intrinsic ref(const Handle<R>& h) {
  return ref(h.logical_id);
}
/// `!GetAtt logical_id.attribute`.
Intrinsic get_att(std::string logical_id, std::string attribute);
/// `!GetAtt` of a resource through its handle.
template <class R>
Intrinsic get_att(const Handle<R>& h, std::string attribute) {
  return get_att(h.logical_id, std::move(attribute));
}
/// `!Sub text`.
Intrinsic sub(std::string text);
/// `!Sub [text, {name: value, ...}]`.
Intrinsic sub(std::string text, Json variables);
/// `!Join [delimiter, [parts...]]`.
Intrinsic join(std::string delimiter, Json parts);
/// `!Select [index, list]`.
Intrinsic select(Json index, Json list);
/// `!Split [delimiter, source]`.
Intrinsic split(std::string delimiter, Json source);
/// `!If [condition, then, else]`.
Intrinsic if_(std::string condition, Json then_value, Json else_value);
/// `!Equals [a, b]`.
Intrinsic equals(Json a, Json b);
/// `!Not [condition]`.
Intrinsic not_(Json condition);
/// `!And [conditions...]`.
Intrinsic and_(Json conditions);
/// `!Or [conditions...]`.
Intrinsic or_(Json conditions);
/// `{Condition: name}`, a reference to a named condition inside And/Or/Not.
Intrinsic condition(std::string name);
/// `!FindInMap [map, top_key, second_key]`.
Intrinsic find_in_map(Json map, Json top_key, Json second_key);
/// `!ImportValue name`.
Intrinsic import_value(Json name);
/// `!GetAZs region` ("" for the stack's region).
Intrinsic get_azs(Json region = "");
/// `!Base64 value`.
Intrinsic base64(Json value);
/// `!Cidr [block, count, bits]`.
Intrinsic cidr(Json block, Json count, Json cidr_bits);

/// Pseudo parameters, each a `Ref`.
namespace pseudo {
/// `AWS::AccountId`.
Intrinsic account_id();
/// `AWS::NotificationARNs`.
Intrinsic notification_arns();
/// `AWS::NoValue`, which removes the property it stands in.
Intrinsic no_value();
/// `AWS::Partition` (aws, aws-cn, aws-us-gov, ...).
Intrinsic partition();
/// `AWS::Region`.
Intrinsic region();
/// `AWS::StackId`.
Intrinsic stack_id();
/// `AWS::StackName`.
Intrinsic stack_name();
/// `AWS::URLSuffix`.
Intrinsic url_suffix();
}  // namespace pseudo

/// True for the names of CloudFormation's pseudo parameters ("AWS::Region", ...).
bool is_pseudo_parameter(std::string_view name) noexcept;

}  // namespace lambdaform
