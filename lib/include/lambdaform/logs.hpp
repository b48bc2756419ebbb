#pragma once
/// \file AWS::Logs::LogGroup.

#include "lambdaform/field.hpp"
#include "lambdaform/intrinsic.hpp"
#include "lambdaform/lambda.hpp"

namespace lambdaform {

/// AWS::Logs::LogGroup.
struct LogGroup {
  /// CloudFormation type name.
  static constexpr std::string_view type_name = "AWS::Logs::LogGroup";
  /// Attributes `!GetAtt` may read.
  static constexpr std::string_view attributes = "Arn";

  Prop<std::string> log_group_name;      ///< Name, e.g. /aws/lambda/<function>.
  Prop<std::int64_t> retention_in_days;  ///< One of CloudWatch's retention periods.
  Prop<std::string> kms_key_id;          ///< KMS key ARN.
  Prop<std::string> log_group_class;     ///< STANDARD or INFREQUENT_ACCESS.
  Prop<Json> data_protection_policy;     ///< Data protection policy document.
  std::optional<Value<List<Tag>>> tags;  ///< Tags.
  /// Properties in emission order.
  static constexpr auto fields() {
    using S = LogGroup;
    return std::make_tuple(
        field("LogGroupName", &S::log_group_name, Presence::optional,
              pattern("^[.\\-_/#A-Za-z0-9]+$", 1, 512)),
        field("RetentionInDays", &S::retention_in_days, Presence::optional,
              one_of("1|3|5|7|14|30|60|90|120|150|180|365|400|545|731|1096|1827|2192|2557|2922|"
                     "3288|3653")),
        field("KmsKeyId", &S::kms_key_id, Presence::optional, range(0, 256)),
        field("LogGroupClass", &S::log_group_class, Presence::optional,
              one_of("STANDARD|INFREQUENT_ACCESS|DELIVERY")),
        field("DataProtectionPolicy", &S::data_protection_policy), field("Tags", &S::tags));
  }
  /// Memberwise equality.
  friend bool operator==(const LogGroup& a, const LogGroup& b) { return fields_equal(a, b); }
};

}  // namespace lambdaform
