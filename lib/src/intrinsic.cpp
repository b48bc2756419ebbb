#include "lambdaform/intrinsic.hpp"

#include <array>

namespace lambdaform {

Json Intrinsic::to_json() const {
  Json j = Json::object();
  j.get_ref<Json::object_t&>().emplace_back(function(), args());
  return j;
}

std::optional<Intrinsic> Intrinsic::from_json(const Json& j) {
  if (!j.is_object() || j.size() != 1) return std::nullopt;
  const std::string& key = j.begin().key();
  if (key == "Ref" || key == "Condition" || key.rfind("Fn::", 0) == 0)
    return Intrinsic(key, j.begin().value());
  return std::nullopt;
}

void to_json(Json& j, const Intrinsic& i) {
  j = i.to_json();
}

Intrinsic ref(std::string name) {
  return Intrinsic("Ref", std::move(name));
}
Intrinsic get_att(std::string logical_id, std::string attribute) {
  return Intrinsic("Fn::GetAtt", Json::array({std::move(logical_id), std::move(attribute)}));
}
Intrinsic sub(std::string text) {
  return Intrinsic("Fn::Sub", std::move(text));
}
Intrinsic sub(std::string text, Json variables) {
  return Intrinsic("Fn::Sub", Json::array({std::move(text), std::move(variables)}));
}
Intrinsic join(std::string delimiter, Json parts) {
  return Intrinsic("Fn::Join", Json::array({std::move(delimiter), std::move(parts)}));
}
Intrinsic select(Json index, Json list) {
  return Intrinsic("Fn::Select", Json::array({std::move(index), std::move(list)}));
}
Intrinsic split(std::string delimiter, Json source) {
  return Intrinsic("Fn::Split", Json::array({std::move(delimiter), std::move(source)}));
}
Intrinsic if_(std::string condition, Json then_value, Json else_value) {
  return Intrinsic(
      "Fn::If", Json::array({std::move(condition), std::move(then_value), std::move(else_value)}));
}
Intrinsic equals(Json a, Json b) {
  return Intrinsic("Fn::Equals", Json::array({std::move(a), std::move(b)}));
}
Intrinsic not_(Json condition) {
  return Intrinsic("Fn::Not", Json::array({std::move(condition)}));
}
Intrinsic and_(Json conditions) {
  return Intrinsic("Fn::And", std::move(conditions));
}
Intrinsic or_(Json conditions) {
  return Intrinsic("Fn::Or", std::move(conditions));
}
Intrinsic condition(std::string name) {
  return Intrinsic("Condition", std::move(name));
}
Intrinsic find_in_map(Json map, Json top_key, Json second_key) {
  return Intrinsic("Fn::FindInMap",
                   Json::array({std::move(map), std::move(top_key), std::move(second_key)}));
}
Intrinsic import_value(Json name) {
  return Intrinsic("Fn::ImportValue", std::move(name));
}
Intrinsic get_azs(Json region) {
  return Intrinsic("Fn::GetAZs", std::move(region));
}
Intrinsic base64(Json value) {
  return Intrinsic("Fn::Base64", std::move(value));
}
Intrinsic cidr(Json block, Json count, Json cidr_bits) {
  return Intrinsic("Fn::Cidr",
                   Json::array({std::move(block), std::move(count), std::move(cidr_bits)}));
}

namespace pseudo {
Intrinsic account_id() {
  return ref("AWS::AccountId");
}
Intrinsic notification_arns() {
  return ref("AWS::NotificationARNs");
}
Intrinsic no_value() {
  return ref("AWS::NoValue");
}
Intrinsic partition() {
  return ref("AWS::Partition");
}
Intrinsic region() {
  return ref("AWS::Region");
}
Intrinsic stack_id() {
  return ref("AWS::StackId");
}
Intrinsic stack_name() {
  return ref("AWS::StackName");
}
Intrinsic url_suffix() {
  return ref("AWS::URLSuffix");
}
}  // namespace pseudo

bool is_pseudo_parameter(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 8> kNames = {
      "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",   "AWS::Partition",
      "AWS::Region",    "AWS::StackId",          "AWS::StackName", "AWS::URLSuffix"};
  for (auto n : kNames)
    if (n == name) return true;
  return false;
}

}  // namespace lambdaform
