// The deploy command: capability inference, shell quoting, the argv, stack tags.
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>
#include <lambdaform/lambdaform.hpp>

#include "support.hpp"

using namespace lambdaform;
using V = std::vector<std::string>;

namespace {

Json resources(const std::string& json) {
  return Json{{"Resources", Json::parse(json)}};
}

// Runs `sh -c SCRIPT` and returns its stdout.
std::string sh(const std::string& script) {
  const lftest::CommandOutput r = lftest::run_command("sh -c " + shell_quote(script));
  REQUIRE(r.status == 0);
  return r.out;
}

DeployInput input(std::size_t bytes = 1000) {
  DeployInput in;
  in.template_file = "templates/orders-api/template.yaml";
  in.template_bytes = bytes;
  in.stack_name = "orders-api";
  return in;
}

}  // namespace

TEST_CASE("Capabilities: none for a template without IAM, transforms or nested stacks",
          "[deploy][capabilities]") {
  CHECK(required_capabilities(Json::object()).empty());
  CHECK(
      required_capabilities(resources(R"({"Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
                                             "Q": {"Type": "AWS::SQS::Queue"}})"))
          .empty());
  // A role referenced by ARN is not created here.
  CHECK(required_capabilities(resources(R"({"Fn": {"Type": "AWS::Lambda::Function",
      "Properties": {"Role": "arn:aws:iam::123456789012:role/x"}}})"))
            .empty());
}

TEST_CASE("Capabilities: CAPABILITY_IAM for every IAM type CloudFormation gates",
          "[deploy][capabilities]") {
  for (const char* type :
       {"AWS::IAM::AccessKey", "AWS::IAM::Group", "AWS::IAM::InstanceProfile",
        "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User",
        "AWS::IAM::UserToGroupAddition", "AWS::IAM::RolePolicy", "AWS::IAM::GroupPolicy",
        "AWS::IAM::UserPolicy"}) {
    INFO(type);
    Json t = Json{{"Resources", {{"X", {{"Type", type}, {"Properties", Json::object()}}}}}};
    CHECK(required_capabilities(t) == V{"CAPABILITY_IAM"});
  }
  // Policy names are not resource names: an AWS::IAM::Policy with PolicyName is still unnamed.
  CHECK(required_capabilities(resources(R"({"P": {"Type": "AWS::IAM::Policy",
      "Properties": {"PolicyName": "p", "PolicyDocument": {}}}})")) == V{"CAPABILITY_IAM"});
}

TEST_CASE("Capabilities: CAPABILITY_NAMED_IAM when an IAM resource has an explicit name",
          "[deploy][capabilities]") {
  for (auto [type, prop] : std::vector<std::pair<std::string, std::string>>{
           {"AWS::IAM::Role", "RoleName"},
           {"AWS::IAM::User", "UserName"},
           {"AWS::IAM::Group", "GroupName"},
           {"AWS::IAM::ManagedPolicy", "ManagedPolicyName"},
           {"AWS::IAM::InstanceProfile", "InstanceProfileName"}}) {
    INFO(type);
    Json t = Json{
        {"Resources",
         {{"A", {{"Type", "AWS::IAM::Role"}, {"Properties", Json::object()}}},
          {"X",
           {{"Type", type}, {"Properties", {{prop, Json{{"Fn::Sub", "${AWS::StackName}-x"}}}}}}}}}};
    CHECK(required_capabilities(t) == V{"CAPABILITY_NAMED_IAM"});
  }
}

TEST_CASE("Capabilities: CAPABILITY_AUTO_EXPAND for transforms and nested stacks",
          "[deploy][capabilities]") {
  CHECK(required_capabilities(Json{{"Transform", "AWS::Serverless-2016-10-31"}}) ==
        V{"CAPABILITY_AUTO_EXPAND"});
  CHECK(required_capabilities(Json{{"Transform", Json::array({"AWS::LanguageExtensions"})}}) ==
        V{"CAPABILITY_AUTO_EXPAND"});
  CHECK(required_capabilities(resources(R"({"S": {"Type": "AWS::CloudFormation::Stack",
      "Properties": {"TemplateURL": "https://example.com/t.yaml"}}})")) ==
        V{"CAPABILITY_AUTO_EXPAND"});
  CHECK(required_capabilities(resources(R"({"S": {"Type": "AWS::Serverless::Application"}})")) ==
        V{"CAPABILITY_AUTO_EXPAND"});
  CHECK(required_capabilities(resources(R"({"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
      "Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}}}})")) ==
        V{"CAPABILITY_AUTO_EXPAND"});
  Json both = resources(R"({"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "r"}},
                            "S": {"Type": "AWS::CloudFormation::Stack"}})");
  CHECK(required_capabilities(both) == V{"CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"});
  both["Resources"]["R"]["Properties"].erase("RoleName");
  CHECK(required_capabilities(both) == V{"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"});
}

TEST_CASE("Shell quoting: safe words stay bare, everything else is single-quoted",
          "[deploy][shell]") {
  CHECK(shell_quote("orders-api") == "orders-api");
  CHECK(shell_quote("Stage=prod") == "Stage=prod");
  CHECK(shell_quote("templates/a/template.yaml") == "templates/a/template.yaml");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("K=$HOME") == "'K=$HOME'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("~root") == "'~root'");
  CHECK(shell_quote("a;rm -rf /") == "'a;rm -rf /'");
  CHECK(shell_join({"aws", "x y", "z"}) == "aws 'x y' z");
}

TEST_CASE("Shell quoting: hostile values survive a POSIX shell byte for byte", "[deploy][shell]") {
  const V hostile = {
      "a b",   "x=y=z",    "it's",      "\"double\"", "$HOME",  "${PATH}", "`id`",
      "$(id)", "a\\b",     "tab\there", "new\nline",  "*",      "?",       "[a]",
      "~",     "#comment", "a;b",       "a&b",        "a|b",    "<x>",     "!",
      "''",    "'\"'\"'",  "{a,b}",     "-n",         "--flag", "%s%n",    "\xc3\xa9t\xc3\xa9",
      " lead", "trail "};
  for (const auto& v : hostile) {
    INFO(v);
    // printf '%s\0' WORD: the shell hands printf exactly one argument, the value itself.
    std::string out = sh("printf '%s|' " + shell_quote("K=" + v));
    CHECK(out == "K=" + v + "|");
  }
}

TEST_CASE("Deploy command: the argv for a small template", "[deploy]") {
  Json t = resources(
      R"({"Fn": {"Type": "AWS::Lambda::Function"}, "FnRole": {"Type": "AWS::IAM::Role"}})");
  DeployInput in = input();
  in.parameters = {{"Stage", "prod"}, {"Greeting", "it's $5 = \"cheap\""}};
  in.tags = {{"team", "orders"}, {"cost center", "a,b"}};
  DeployCommand c = deploy_command(t, in);
  REQUIRE(c.ok());
  CHECK(c.diagnostics.empty());
  CHECK(c.argv == V{"aws", "cloudformation", "deploy", "--template-file",
                    "templates/orders-api/template.yaml", "--stack-name", "orders-api",
                    "--capabilities", "CAPABILITY_IAM", "--parameter-overrides", "Stage=prod",
                    "Greeting=it's $5 = \"cheap\"", "--tags", "team=orders", "cost center=a,b",
                    "--no-fail-on-empty-changeset"});
  CHECK(c.shell() ==
        "aws cloudformation deploy --template-file templates/orders-api/template.yaml --stack-name "
        "orders-api "
        "--capabilities CAPABILITY_IAM --parameter-overrides Stage=prod 'Greeting=it'\\''s $5 = "
        "\"cheap\"' "
        "--tags team=orders 'cost center=a,b' --no-fail-on-empty-changeset");
  // The shell gives the command exactly the argv.
  std::string words;
  for (const auto& a : c.argv) words += a + "|";
  CHECK(sh("printf '%s|' " + c.shell()) == words);
}

TEST_CASE("Deploy command: no capabilities, parameters or tags when there are none", "[deploy]") {
  DeployCommand c = deploy_command(resources(R"({"Q": {"Type": "AWS::SQS::Queue"}})"), input());
  CHECK(c.argv == V{"aws", "cloudformation", "deploy", "--template-file",
                    "templates/orders-api/template.yaml", "--stack-name", "orders-api",
                    "--no-fail-on-empty-changeset"});
}

TEST_CASE("Deploy command: over 51,200 bytes it needs --s3-bucket", "[deploy][size]") {
  Json t = resources(R"({"Q": {"Type": "AWS::SQS::Queue"}})");
  CHECK(deploy_command(t, input(51200)).placeholder == std::nullopt);
  DeployCommand c = deploy_command(t, input(51201));
  REQUIRE(c.ok());
  REQUIRE(c.placeholder);
  CHECK(c.argv[*c.placeholder - 1] == "--s3-bucket");
  CHECK(c.argv[*c.placeholder] == "${S3_BUCKET}");
  REQUIRE(c.diagnostics.size() == 1);
  CHECK(format(c.diagnostics[0]) ==
        "/: warning: the template is 51,201 bytes, over the 51,200 bytes aws cloudformation deploy "
        "can send "
        "inline: it must upload it to an S3 bucket first; pass --s3-bucket, or set S3_BUCKET in "
        "the shell that "
        "runs the command (${S3_BUCKET} in the argv is a placeholder to replace) [LF1002]");
  CHECK(c.shell() ==
        "aws cloudformation deploy --template-file templates/orders-api/template.yaml --stack-name "
        "orders-api "
        "--s3-bucket \"${S3_BUCKET:?set S3_BUCKET to an S3 bucket: the template is over 51,200 "
        "bytes, so aws "
        "cloudformation deploy must upload it to S3}\" --no-fail-on-empty-changeset");
  // The shell refuses to run it without the variable, and substitutes it when set.
  CHECK(std::system(
            ("unset S3_BUCKET; sh -c " + shell_quote("printf '%s|' " + c.shell()) + " 2>/dev/null")
                .c_str()) != 0);
  CHECK(sh("S3_BUCKET='my bucket'; printf '%s|' " + c.shell()).find("|--s3-bucket|my bucket|") !=
        std::string::npos);

  DeployInput with = input(400000);
  with.s3_bucket = "artifacts";
  with.s3_prefix = "cfn";
  c = deploy_command(t, with);
  CHECK(c.diagnostics.empty());
  CHECK(c.argv == V{"aws", "cloudformation", "deploy", "--template-file",
                    "templates/orders-api/template.yaml", "--stack-name", "orders-api",
                    "--s3-bucket", "artifacts", "--s3-prefix", "cfn",
                    "--no-fail-on-empty-changeset"});
}

TEST_CASE("Deploy command: over 1,000,000 bytes is an error", "[deploy][size]") {
  DeployCommand c = deploy_command(Json::object(), input(1000001));
  CHECK_FALSE(c.ok());
  CHECK(c.argv.empty());
  REQUIRE(c.diagnostics.size() == 1);
  CHECK(c.diagnostics[0].rule == "E1002");
  CHECK(deploy_command(Json::object(), input(1000000)).ok());
}

TEST_CASE("Stack tags: literals, parameters with a value and the stack name; others refused",
          "[deploy][tags]") {
  Json tree = Json::parse(R"({"Parameters": {"Stage": {"Type": "String", "Default": "prod"},
                                              "Size": {"Type": "Number", "Default": 3},
                                              "Bucket": {"Type": "String"}}})");
  Diagnostics d;
  auto tags = stack_tags(
      "stack: s\ntags:\n  team: orders\n  stage: !Ref Stage\n  size: !Ref Size\n"
      "  name: !Sub '${AWS::StackName}-${Stage} ${!Literal}'\n  zero: '007'\n",
      "stack.yaml", tree, "orders-api", d);
  CHECK(d.empty());
  CHECK(tags ==
        std::vector<std::pair<std::string, std::string>>{{"team", "orders"},
                                                         {"stage", "prod"},
                                                         {"size", "3"},
                                                         {"name", "orders-api-prod ${Literal}"},
                                                         {"zero", "007"}});
  tags = stack_tags("stack: s\ntags:\n  a: !Ref Bucket\n  b: !Sub '${AWS::Region}'\n  c: x\n",
                    "stack.yaml", tree, "s", d);
  CHECK(tags == std::vector<std::pair<std::string, std::string>>{{"c", "x"}});
  REQUIRE(d.size() == 2);
  CHECK(format(d[0]) ==
        "stack.yaml:3:6: error: stack tag a has no value lambdaform can put in the deploy command: "
        "use a literal, "
        "or a !Ref to a parameter given with --param (or with a Default) [LF7101]");
  CHECK(d[1].location->line == 4);
}
