// The pull-request review of two rendered templates.
#include <catch2/catch.hpp>
#include <lambdaform/lambdaform.hpp>

using namespace lambdaform;
using V = std::vector<std::string>;

namespace {

const char* kOld = R"({
 "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
 "Resources": {
  "FnRole": {"Type": "AWS::IAM::Role", "Properties": {
     "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]},
     "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::orders/in/*"},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1:q"}]}}]}},
  "Fn": {"Type": "AWS::Lambda::Function",
         "Properties": {"Runtime": "python3.12", "Timeout": 30, "Role": {"Fn::GetAtt": ["FnRole", "Arn"]}}},
  "FnVersionaaaaaaaaaa": {"Type": "AWS::Lambda::Version", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                          "Properties": {"FunctionName": {"Ref": "Fn"}}},
  "FnAliaslive": {"Type": "AWS::Lambda::Alias", "Properties": {"Name": "live", "FunctionName": {"Ref": "Fn"},
                  "FunctionVersion": {"Fn::GetAtt": ["FnVersionaaaaaaaaaa", "Version"]}}},
  "FnLogGroup": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/aws/lambda/a", "RetentionInDays": 7}},
  "Old": {"Type": "AWS::SQS::Queue"}
 }})";

// The old template with: a widened and a new wildcard grant, a managed policy, a role name
// (replacement, CAPABILITY_NAMED_IAM), a new timeout and version, the alias moved with a
// canary weight, a renamed log group, a new permission, a removed queue, a new default.
Json changed_template() {
  Json t = Json::parse(kOld);
  Json& r = t["Resources"];
  Json& statements = r["FnRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
  statements[0]["Action"] = "s3:*";
  statements.push_back(Json::parse(R"({"Effect": "Allow", "Action": "logs:*", "Resource": "*"})"));
  r["FnRole"]["Properties"]["ManagedPolicyArns"] =
      Json::parse(R"([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"}])");
  r["FnRole"]["Properties"]["RoleName"] = "fn-role";
  r["Fn"]["Properties"]["Timeout"] = 60;
  r["FnVersionbbbbbbbbbb"] = r["FnVersionaaaaaaaaaa"];
  r["FnAliaslive"]["Properties"]["FunctionVersion"] =
      Json::parse(R"({"Fn::GetAtt": ["FnVersionbbbbbbbbbb", "Version"]})");
  r["FnAliaslive"]["Properties"]["RoutingConfig"] = Json::parse(
      R"({"AdditionalVersionWeights": [{"FunctionVersion": {"Fn::GetAtt": ["FnVersionaaaaaaaaaa", "Version"]},
                                        "FunctionWeight": 0.1}]})");
  r["FnLogGroup"]["Properties"]["LogGroupName"] = "/aws/lambda/b";
  r["Perm"] = Json::parse(
      R"({"Type": "AWS::Lambda::Permission", "Properties": {"Action": "lambda:InvokeFunction",
      "FunctionName": {"Ref": "Fn"}, "Principal": "s3.amazonaws.com", "SourceArn": "arn:aws:s3:::orders"}})");
  r.erase("Old");
  t["Parameters"]["Stage"]["Default"] = "prod";
  return t;
}

}  // namespace

TEST_CASE("Review: nothing changed (key order does not count)", "[review]") {
  Json a = Json::parse(kOld);
  Json b = Json::parse(R"({"Resources": {"Old": {"Type": "AWS::SQS::Queue"}}})");
  // Same content, keys written in another order.
  Json reordered = Json::object();
  reordered["Resources"] = a["Resources"];
  reordered["Parameters"] = a["Parameters"];
  Review r = review(a, reordered);
  CHECK_FALSE(r.changed());
  CHECK(format_review_markdown(r) == "## lambdaform diff\n\nNo changes.\n");
  CHECK(review_to_json(r)["changed"] == false);
  CHECK(review(a, b).changed());
}

TEST_CASE("Review: the Markdown summary", "[review]") {
  Review r = review(Json::parse(kOld), changed_template());
  REQUIRE(r.changed());
  CHECK(format_review_markdown(r) == R"(## lambdaform diff

**2 added, 4 changed (2 replaced), 1 removed**; IAM changes: 4; capabilities: `CAPABILITY_NAMED_IAM`

### IAM

- ⚠️ **FnRole** widens `s3:GetObject` on `arn:aws:s3:::orders/in/*` → `s3:*` on `arn:aws:s3:::orders/in/*`
- ⚠️ **FnRole** gains a wildcard grant: `logs:*` on `*`
- **FnRole** attaches managed policy `arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess`
- **Perm** lets `s3.amazonaws.com` call `lambda:InvokeFunction` on `!Ref Fn` from `arn:aws:s3:::orders`

### Replacements

- **FnLogGroup** (AWS::Logs::LogGroup) is replaced: `LogGroupName` changed
- **FnRole** (AWS::IAM::Role) is replaced: `RoleName` changed

### Resources

| change | resource | type | properties |
|---|---|---|---|
| added | `FnVersionbbbbbbbbbb` | AWS::Lambda::Version |  |
| added | `Perm` | AWS::Lambda::Permission |  |
| changed | `Fn` | AWS::Lambda::Function | `Timeout` |
| changed | `FnAliaslive` | AWS::Lambda::Alias | `FunctionVersion`, `RoutingConfig` |
| changed (replaced) | `FnLogGroup` | AWS::Logs::LogGroup | `LogGroupName` |
| changed (replaced) | `FnRole` | AWS::IAM::Role | `Policies[0].PolicyDocument.Statement`, `ManagedPolicyArns`, `RoleName` |
| removed | `Old` | AWS::SQS::Queue |  |

### Versions

- **Fn** publishes FnVersionbbbbbbbbbb because `Timeout` changed

### Aliases

- **live** (FnAliaslive): `FnVersionaaaaaaaaaa` → `FnVersionbbbbbbbbbb + 10% FnVersionaaaaaaaaaa`

### Capabilities

`CAPABILITY_NAMED_IAM` (was `CAPABILITY_IAM`)

### Other sections

`Parameters.Stage.Default`
)");
}

TEST_CASE("Review: JSON for bots", "[review]") {
  Json j = review_to_json(review(Json::parse(kOld), changed_template()));
  CHECK(j["changed"] == true);
  CHECK(j["summary"].dump() == R"({"added":2,"changed":4,"replaced":2,"removed":1})");
  CHECK(
      j["iam"][0].dump() ==
      R"({"kind":"widened","resource":"FnRole","effect":"Allow","action":"s3:*","resource_arn":"arn:aws:s3:::orders/in/*",)"
      R"("from_action":"s3:GetObject","from_resource_arn":"arn:aws:s3:::orders/in/*"})");
  CHECK(
      j["iam"][3].dump() ==
      R"({"kind":"permission_added","resource":"Perm","principal":"s3.amazonaws.com","action":"lambda:InvokeFunction",)"
      R"("function":"!Ref Fn","source":"arn:aws:s3:::orders"})");
  CHECK(
      j["resources"][4].dump() ==
      R"({"logical_id":"FnLogGroup","type":"AWS::Logs::LogGroup","change":"changed","paths":["Properties.LogGroupName"],)"
      R"("replacement":true,"replacing":["LogGroupName"],"retains_replaced":false})");
  CHECK(
      j["aliases"].dump() ==
      R"([{"alias":"FnAliaslive","name":"live","from":"FnVersionaaaaaaaaaa","to":"FnVersionbbbbbbbbbb + 10% FnVersionaaaaaaaaaa"}])");
  CHECK(
      j["versions"].dump() ==
      R"([{"function":"Fn","published":["FnVersionbbbbbbbbbb"],"dropped":[],"because":["Timeout"],"new_function":false}])");
  CHECK(j["capabilities"].dump() == R"({"old":["CAPABILITY_IAM"],"new":["CAPABILITY_NAMED_IAM"]})");
  CHECK(j["other"].dump() == R"(["Parameters.Stage.Default"])");
}

TEST_CASE("Review: IAM findings", "[review][iam]") {
  auto role = [](const std::string& statements, const std::string& extra = "") {
    return Json::parse(R"({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {)" + extra +
                       R"("Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": )" +
                       statements + "}}]}}}}");
  };
  const std::string narrow =
      R"([{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:*:table/orders"}])";
  // Resource widened to "*".
  Review r =
      review(role(narrow),
             role(R"([{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}])"));
  REQUIRE(r.iam.size() == 1);
  CHECK(r.iam[0].kind == IamChange::Kind::widened);
  CHECK(r.iam[0].from_target == "arn:aws:dynamodb:*:*:table/orders");
  // Action wildcards match case-insensitively.
  r = review(
      role(narrow),
      role(
          R"([{"Effect": "Allow", "Action": "DynamoDB:Get*", "Resource": "arn:aws:dynamodb:*:*:table/orders"}])"));
  REQUIRE(r.iam.size() == 1);
  CHECK(r.iam[0].kind == IamChange::Kind::widened);
  // A new specific grant, a revoked one, a deny.
  r = review(
      role(narrow),
      role(
          R"([{"Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:*:*:table/orders"},
                                    {"Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"}])"));
  REQUIRE(r.iam.size() == 3);
  CHECK(format_review_markdown(r).find(
            "- **R** gains `dynamodb:PutItem` on `arn:aws:dynamodb:*:*:table/orders`\n"
            "- **R** now denies `dynamodb:DeleteTable` on `*`\n"
            "- **R** no longer has `dynamodb:GetItem` on `arn:aws:dynamodb:*:*:table/orders`\n") !=
        std::string::npos);
  // Trust policy: a new principal may assume the role.
  const std::string trust =
      R"("AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "events.amazonaws.com"]}, "Action": "sts:AssumeRole"}]},)";
  r = review(role(narrow), role(narrow, trust));
  REQUIRE(r.iam.size() == 2);
  CHECK(r.iam[0].kind == IamChange::Kind::trust_added);
  CHECK(r.iam[0].target == "Service: events.amazonaws.com");
  // A statement with a condition is its own grant.
  r = review(
      role(narrow),
      role(
          R"([{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:*:table/orders",
                                     "Condition": {"Bool": {"aws:SecureTransport": "true"}}}])"));
  CHECK(format_review_markdown(r).find(
            "gains `dynamodb:GetItem` on `arn:aws:dynamodb:*:*:table/orders` when "
            "`{\"Bool\":{\"aws:SecureTransport\":\"true\"}}`") != std::string::npos);
}

TEST_CASE("Review: replacement-forcing properties of the modelled types", "[review][replacement]") {
  auto one = [](const std::string& type, const std::string& props) {
    return Json::parse(R"({"Resources": {"X": {"Type": ")" + type + R"(", "Properties": )" + props +
                       "}}}");
  };
  struct Case {
    std::string type, before, after;
    V replacing;
  };
  const std::vector<Case> cases = {
      {"AWS::Lambda::Function", R"({"Timeout": 3})", R"({"Timeout": 4})", {}},
      {"AWS::Lambda::Function",
       R"({"FunctionName": "a"})",
       R"({"FunctionName": "b"})",
       {"FunctionName"}},
      {"AWS::Lambda::Function", R"({})", R"({"FunctionName": "b"})", {"FunctionName"}},
      {"AWS::Lambda::Function",
       R"({"PackageType": "Zip"})",
       R"({"PackageType": "Image"})",
       {"PackageType"}},
      {"AWS::Lambda::Version",
       R"({"Description": "a"})",
       R"({"Description": "b"})",
       {"Description"}},
      {"AWS::Lambda::Version",
       R"({"ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 1}})",
       R"({"ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 2}})",
       {}},
      {"AWS::Lambda::Alias",
       R"({"Name": "a", "FunctionVersion": "1"})",
       R"({"Name": "b", "FunctionVersion": "2"})",
       {"Name"}},
      {"AWS::Lambda::Alias", R"({"FunctionVersion": "1"})", R"({"FunctionVersion": "2"})", {}},
      {"AWS::Lambda::Permission", R"({"SourceArn": "a"})", R"({"SourceArn": "b"})", {"SourceArn"}},
      {"AWS::IAM::Role", R"({"Path": "/"})", R"({"Path": "/x/"})", {"Path"}},
      {"AWS::IAM::Role", R"({"MaxSessionDuration": 3600})", R"({"MaxSessionDuration": 7200})", {}},
      {"AWS::Logs::LogGroup", R"({"KmsKeyId": "a"})", R"({"KmsKeyId": "b"})", {}},
      {"AWS::Logs::LogGroup",
       R"({"LogGroupName": "a"})",
       R"({"LogGroupName": "b"})",
       {"LogGroupName"}},
      {"AWS::SQS::Queue", R"({"VisibilityTimeout": 1})", R"({"VisibilityTimeout": 2})", {}},
  };
  for (const auto& c : cases) {
    INFO(c.type << " " << c.before << " -> " << c.after);
    Review r = review(one(c.type, c.before), one(c.type, c.after));
    REQUIRE(r.resources.size() == 1);
    CHECK(r.resources[0].replacing == c.replacing);
  }
  Review r = review(one("AWS::SQS::Queue", "{}"), one("AWS::SNS::Topic", "{}"));
  CHECK(r.resources[0].replacing == V{"Type"});
  CHECK(format_review_markdown(r).find(
            "- **X** is replaced: its type changes from `AWS::SQS::Queue` to `AWS::SNS::Topic`") !=
        std::string::npos);
}

TEST_CASE("Review: Markdown stays intact with hostile names", "[review]") {
  Json a = Json::parse(
      R"({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "a"}}}})");
  Json b = Json::parse(
      R"({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "a", "Tags": [{"Key": "x|y`z", "Value": "1"}]}}}})");
  std::string md = format_review_markdown(review(a, b));
  CHECK(md.find("| changed | `Q` | AWS::SQS::Queue | `Tags` |") != std::string::npos);
}
