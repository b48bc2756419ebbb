#include <catch2/catch.hpp>

#include "support.hpp"

using namespace lambdaform;
using V = std::vector<std::string>;

namespace {

using lftest::compile;

const std::string kFn = R"(stack: demo
functions:
  Other:
    runtime: python3.12
    handler: index.handler
    code: {inline: x}
  Fn:
    runtime: python3.12
    handler: index.handler
    code: {inline: x}
)";

// The statements of Fn's access policy, as compact JSON.
std::string statements(const std::string& access) {
  auto r = compile("parameters: {QueueArn: {type: String}}\n" + kFn + "    access:\n" + access);
  INFO(lftest::lines(r.diagnostics).size());
  REQUIRE(lftest::lines(r.diagnostics).empty());
  Json policy = to_tree(*r.tmpl)["Resources"]["FnRole"]["Properties"]["Policies"][0];
  REQUIRE(policy["PolicyName"] == "Fn-access");
  return policy["PolicyDocument"]["Statement"].dump();
}

}  // namespace

TEST_CASE("Access: SSM names get GetParameter(s), prefixes also GetParametersByPath",
          "[access][iam]") {
  CHECK(
      statements("      ssm_parameters: [/orders/db/host, plain, /orders/db/*]\n") ==
      R"([{"Sid":"ReadSsmParameters","Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters"],"Resource":[)"
      R"({"Fn::Sub":"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/db/host"},)"
      R"({"Fn::Sub":"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/plain"}]},)"
      R"({"Sid":"ReadSsmParameterPaths","Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters","ssm:GetParametersByPath"],"Resource":[)"
      R"({"Fn::Sub":"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/db"},)"
      R"({"Fn::Sub":"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/db/*"}]}])");
}

TEST_CASE("Access: secrets by name (with the random suffix) or ARN", "[access][iam]") {
  CHECK(
      statements("      secrets: [orders/db/credentials, "
                 "'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf']\n") ==
      R"([{"Sid":"ReadSecrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":[)"
      R"({"Fn::Sub":"arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:orders/db/credentials-??????"},)"
      R"("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf"]}])");
}

TEST_CASE("Access: rds_iam_auth allows rds-db:connect on the dbuser ARN", "[access][iam]") {
  CHECK(
      statements("      rds_iam_auth: {db_resource_id: cluster-ABC, db_user: ingest}\n") ==
      R"([{"Sid":"ConnectToRdsWithIamAuth","Effect":"Allow","Action":"rds-db:connect","Resource":{"Fn::Sub":[)"
      R"("arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:${DbResourceId}/${DbUser}",)"
      R"({"DbResourceId":"cluster-ABC","DbUser":"ingest"}]}}])");
}

TEST_CASE("Access: KMS keys by id or ARN, aliases through kms:ResourceAliases", "[access][iam]") {
  CHECK(
      statements("      kms_keys: [alias/orders, 1234abcd-12ab-34cd-56ef-1234567890ab]\n") ==
      R"([{"Sid":"DecryptWithKeys","Effect":"Allow","Action":"kms:Decrypt","Resource":[)"
      R"({"Fn::Sub":"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]},)"
      R"({"Sid":"DecryptWithKeyAliases","Effect":"Allow","Action":"kms:Decrypt","Resource":)"
      R"({"Fn::Sub":"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"},)"
      R"("Condition":{"ForAnyValue:StringEquals":{"kms:ResourceAliases":["alias/orders"]}}}])");
}

TEST_CASE("Access: S3 read and write on object paths, SQS send", "[access][iam]") {
  CHECK(
      statements("      s3_read: [my-bucket/incoming/*]\n      s3_write: [my-bucket/processed/*]\n"
                 "      sqs_send: [orders, !Ref QueueArn]\n") ==
      R"([{"Sid":"ReadS3Objects","Effect":"Allow","Action":"s3:GetObject","Resource":[{"Fn::Sub":"arn:${AWS::Partition}:s3:::my-bucket/incoming/*"}]},)"
      R"({"Sid":"WriteS3Objects","Effect":"Allow","Action":"s3:PutObject","Resource":[{"Fn::Sub":"arn:${AWS::Partition}:s3:::my-bucket/processed/*"}]},)"
      R"({"Sid":"SendToQueues","Effect":"Allow","Action":"sqs:SendMessage","Resource":[)"
      R"({"Fn::Sub":"arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders"},{"Ref":"QueueArn"}]}])");
}

TEST_CASE("Access: invoke_functions allows the function, its versions and aliases",
          "[access][iam]") {
  CHECK(
      statements("      invoke_functions: [Other]\n") ==
      R"([{"Sid":"InvokeFunctions","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":[)"
      R"({"Fn::GetAtt":["Other","Arn"]},{"Fn::Sub":"${Other.Arn}:*"}]}])");
  auto r = compile(kFn + "    access: {invoke_functions: [Othr]}\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:11:33: error: invoke_functions names 'Othr', which is not a function of this "
          "spec (did you mean 'Other'?) [LF3005]"});
}

TEST_CASE("Access: raw statements pass through, wildcard actions on every resource are refused",
          "[access][iam][lint]") {
  CHECK(
      statements("      statements: [{Effect: Allow, Action: 'dynamodb:GetItem', Resource: "
                 "'arn:aws:dynamodb:us-east-1:123456789012:table/orders'}]\n") ==
      R"([{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/orders"}])");
  auto r = compile(
      kFn + "    access:\n      statements: [{Effect: Allow, Action: 'ssm:*', Resource: '*'}]\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:12:19: error: a statement allows every ssm action on Resource \"*\": name "
          "the actions the function calls and the resources it calls them on [LF5001]"});
  r = compile(kFn +
              "    access:\n      statements: [{Effect: Allow, Action: ['*'], Resource: ['*']}]\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:12:19: error: a statement allows every action on Resource \"*\": name the "
          "actions the function calls and the resources it calls them on [LF5001]"});
  r = compile(
      "roles:\n  Wide: {policies: [{policy_name: all, policy_document: {Statement: [{Effect: "
      "Allow, Action: '*', Resource: '*'}]}}]}\n" +
      kFn);
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:2:20: error: a statement allows every action on Resource \"*\": name the "
          "actions the function calls and the resources it calls them on [LF5001]"});
}

TEST_CASE("Environment: ssm and secret values become dynamic references", "[access][env]") {
  auto r = compile(kFn +
                   "    environment:\n      DB_HOST: {ssm: /orders/db/host}\n      DB_HOST_V2: "
                   "{ssm: /orders/db/host, version: 2}\n"
                   "      DB_PASSWORD: {secret: orders/db/credentials, key: password}\n");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  CHECK(
      to_tree(*r.tmpl)["Resources"]["Fn"]["Properties"]["Environment"].dump() ==
      R"({"Variables":{"DB_HOST":"{{resolve:ssm:/orders/db/host}}","DB_HOST_V2":"{{resolve:ssm:/orders/db/host:2}}",)"
      R"("DB_PASSWORD":"{{resolve:secretsmanager:orders/db/credentials:SecretString:password}}"}})");
}

TEST_CASE("Environment: a literal value under a secret-looking name is refused",
          "[access][env][lint]") {
  for (const char* name : {"DB_PASSWORD", "API_KEY", "github_token", "CLIENT_SECRET"}) {
    auto r = compile(kFn + "    environment: {" + name + ": hunter2}\n");
    CHECK(lftest::lines(r.diagnostics) ==
          V{"stack.yaml:11:" + std::to_string(21 + std::strlen(name)) + ": error: " + name +
            " looks like a secret, and a literal value would be written into the template for "
            "anyone with read "
            "access to see: use {ssm: /path} or {secret: NAME, key: KEY}, which become "
            "CloudFormation dynamic "
            "references [LF5002]"});
  }
  // The fixed spec is silent; an intrinsic is not a literal.
  CHECK(lftest::lines(compile(kFn + "    environment: {DB_PASSWORD: {secret: db, key: password}}\n")
                          .diagnostics)
            .empty());
  CHECK(lftest::lines(compile("parameters: {Pw: {type: String, no_echo: true}}\n" + kFn +
                              "    environment: {DB_PASSWORD: !Ref Pw}\n")
                          .diagnostics)
            .empty());
}

TEST_CASE("Invoke: permissions with source conditions; confused-deputy lints",
          "[access][invoke][lint]") {
  auto r = compile(kFn + R"(    invoke:
      - {service: events.amazonaws.com, source_arn: !Sub 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/r'}
      - {service: s3.amazonaws.com, source_arn: 'arn:aws:s3:::my-bucket', source_account: !Ref AWS::AccountId}
)");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  Json rs = to_tree(*r.tmpl)["Resources"];
  CHECK(
      rs["FnInvokePermission2"].dump() ==
      R"({"Type":"AWS::Lambda::Permission","Properties":{"Action":"lambda:InvokeFunction","FunctionName":{"Fn::GetAtt":["Fn","Arn"]},)"
      R"("Principal":"s3.amazonaws.com","SourceAccount":{"Ref":"AWS::AccountId"},"SourceArn":"arn:aws:s3:::my-bucket"}})");
  r = compile(kFn + "    invoke: [{service: events.amazonaws.com}]\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:11:24: warning: events.amazonaws.com may invoke Fn on behalf of anyone (the "
          "confused-deputy problem): add source_arn or source_account [LF5003]"});
  r = compile(kFn + "    invoke: [{service: s3.amazonaws.com, source_arn: 'arn:aws:s3:::b'}]\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:11:24: error: s3.amazonaws.com without source_account lets any account's "
          "bucket with that name invoke the function (bucket names can be re-registered): add "
          "source_account: !Ref AWS::AccountId [LF5004]"});
}

TEST_CASE("Roles: role_name, permissions boundary and extra managed policies on the generated role",
          "[access][iam]") {
  auto r = compile(kFn +
                   "    role_name: orders-fn\n    permissions_boundary: !Sub "
                   "'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/boundary'\n"
                   "    managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']\n");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  Json p = to_tree(*r.tmpl)["Resources"]["FnRole"]["Properties"];
  CHECK(p["RoleName"] == "orders-fn");
  CHECK(p["PermissionsBoundary"].dump() ==
        R"({"Fn::Sub":"arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/boundary"})");
  CHECK(p["ManagedPolicyArns"].size() == 2);
}

TEST_CASE("Access: a shared role gets one policy per function; an external role cannot",
          "[access][iam]") {
  auto r = compile("roles: {Shared: {}}\n" + kFn +
                   "    role: Shared\n    access: {ssm_parameters: [/a]}\n");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  CHECK(to_tree(*r.tmpl)["Resources"]["Shared"]["Properties"]["Policies"][0]["PolicyName"] ==
        "Fn-access");
  r = compile(kFn +
              "    role: 'arn:aws:iam::123456789012:role/x'\n    access: {ssm_parameters: [/a]}\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:12:13: error: access: needs a role lambdaform writes (generated, or under "
          "roles:); Fn uses an external role, whose policies are managed elsewhere [LF5005]"});
}

TEST_CASE(
    "Access: a policy statement whose Effect is not a string is reported, not thrown "
    "(fuzz_spec F6)",
    "[access][iam][regression]") {
  auto r = lftest::compile(
      "stack: demo\nroles:\n  S:\n    policies:\n"
      "      - policy_name: p\n"
      "        policy_document: {Statement: [{Effect: [Allow], Action: '*', "
      "Resource: '*'}, {Effect}]}\n");
  CHECK_FALSE(r.tmpl);  // no functions
  for (const auto& d : r.diagnostics) CHECK(d.rule != "LF5001");
}
