#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "reflect.hpp"
#include "rules.hpp"
#include "support.hpp"

using namespace lambdaform;
using lftest::check;
using V = std::vector<std::string>;

TEST_CASE("Validate: the sample template is clean", "[validate]") {
  CHECK(check(lftest::sample().t).empty());
}

TEST_CASE("Function: MemorySize above 10240 is E3034", "[lambda][validate]") {
  auto s = lftest::sample();
  s.t.get(s.fn).memory_size = 10241;
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/MemorySize: error: MemorySize 10241 is above the "
                        "maximum of 10240 [E3034]"});
  s.t.get(s.fn).memory_size = 127;
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/MemorySize: error: MemorySize 127 is below the "
                        "minimum of 128 [E3034]"});
}

TEST_CASE("Function: a limit on an intrinsic value is skipped, not guessed", "[lambda][validate]") {
  auto s = lftest::sample();
  s.t.add_parameter("Memory", lftest::param("Number"));
  s.t.get(s.fn).memory_size = ref("Memory");
  s.t.get(s.fn).timeout = if_("Never", 5000, 1);
  s.t.conditions["Never"] = equals("a", "b");
  CHECK(check(s.t).empty());
}

TEST_CASE("Function: Timeout 1–900 and EphemeralStorage 512–10240", "[lambda][validate]") {
  auto s = lftest::sample();
  s.t.get(s.fn).timeout = 901;
  s.t.get(s.fn).ephemeral_storage = EphemeralStorage{511};
  CHECK(
      check(s.t) ==
      V{"/Resources/Fn/Properties/Timeout: error: Timeout 901 is above the maximum of 900 [E3034]",
        "/Resources/Fn/Properties/EphemeralStorage/Size: error: Size 511 is below the minimum of "
        "512 [E3034]"});
}

TEST_CASE("Function: Code and Role are required, Code needs exactly one source",
          "[lambda][validate]") {
  Template t;
  t.add("Fn", Function{});
  CHECK(check(t) ==
        V{"/Resources/Fn/Properties: error: required property Code is missing [E3003]",
          "/Resources/Fn/Properties: error: required property Role is missing [E3003]"});
  auto s = lftest::sample();
  Code& code = *s.t.get(s.fn).code->literal();
  code.s3_bucket = "bucket";
  code.s3_key = "key.zip";
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/Code: error: Code has more than one of "
                        "S3Bucket/S3Key, ZipFile and ImageUri; keep exactly one [E3014]"});
  code = Code{};
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/Code: error: Code needs exactly one of S3Bucket "
                        "with S3Key, ZipFile or ImageUri [E3014]"});
  code.s3_bucket = "bucket";
  CHECK(check(s.t) ==
        V{"/Resources/Fn/Properties/Code: error: Code.S3Bucket needs Code.S3Key [E3003]"});
}

TEST_CASE("Function: inline ZipFile needs python or nodejs and an index handler",
          "[lambda][validate]") {
  auto s = lftest::sample();
  s.t.get(s.fn).runtime = "java21";
  s.t.get(s.fn).handler = "app.handler";
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/Code/ZipFile: error: inline ZipFile code needs a "
                        "python or nodejs runtime, not java21 [E3677]",
                        "/Resources/Fn/Properties/Handler: error: Handler 'app.handler' cannot "
                        "work with inline ZipFile code, which Lambda stores as index.py or "
                        "index.js: use index.<function> [LF2001]"});
}

TEST_CASE("Function: inline ZipFile above 4 MB is LF2002", "[lambda][validate]") {
  auto s = lftest::sample();
  s.t.get(s.fn).code->literal()->zip_file = std::string(4 * 1024 * 1024 + 1, 'x');
  auto ds = check(s.t);
  REQUIRE(ds.size() == 2);  // and the template itself is above CloudFormation's size limit
  CHECK(ds[0] ==
        "/Resources/Fn/Properties/Code/ZipFile: error: inline ZipFile code is 4194305 bytes, above "
        "Lambda's limit of 4194304 bytes; ship it as an S3 package instead [LF2002]");
  CHECK(ds[1].find("[E1002]") != std::string::npos);
}

TEST_CASE("Function: deprecated runtimes are warned, then refused, by date", "[lambda][validate]") {
  auto s = lftest::sample();
  s.t.get(s.fn).runtime = "python3.9";
  CHECK(check(s.t, "2026-01-01") ==
        V{"/Resources/Fn/Properties/Runtime: warning: runtime python3.9 is deprecated since "
          "2025-12-15; creating functions with it is refused from 2026-06-01; use python3.14 "
          "[W2531]"});
  CHECK(
      check(s.t, "2026-06-01") ==
      V{"/Resources/Fn/Properties/Runtime: error: runtime python3.9 is deprecated since 2025-12-15 "
        "and Lambda refuses to create functions with it since 2026-06-01; use python3.14 [E2531]"});
  CHECK(check(s.t, "2025-12-14").empty());
}

TEST_CASE("Function: environment names, reserved names and the 4 KB limit", "[lambda][validate]") {
  auto s = lftest::sample();
  Environment env;
  env.variables =
      Map<std::string>{{"1BAD", "x"}, {"AWS_REGION", "x"}, {"BIG", std::string(4100, 'v')}};
  s.t.get(s.fn).environment = env;
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/Environment/Variables/1BAD: error: environment "
                        "variable name '1BAD' must start with a letter, have at least 2 characters "
                        "and use only letters, digits and _ [E3031]",
                        "/Resources/Fn/Properties/Environment/Variables/AWS_REGION: error: "
                        "environment variable name AWS_REGION is reserved by Lambda [E3663]",
                        "/Resources/Fn/Properties/Environment/Variables: error: environment "
                        "variables take 4119 bytes, above Lambda's limit of 4096 bytes [E3697]"});
}

TEST_CASE("Function: at most 5 layers, one architecture from the enumeration",
          "[lambda][validate]") {
  auto s = lftest::sample();
  List<std::string> layers;
  for (int i = 0; i < 6; ++i)
    layers.push_back("arn:aws:lambda:us-east-1:123456789012:layer:l:" + std::to_string(i));
  s.t.get(s.fn).layers = layers;
  s.t.get(s.fn).architectures = List<std::string>{"sparc"};
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/Architectures/0: error: Architectures 'sparc' is "
                        "not one of: x86_64, arm64 [E3030]",
                        "/Resources/Fn/Properties/Layers: error: Layers has 6 items, above the "
                        "maximum of 5 [E3032]"});
}

TEST_CASE("Function: FunctionName is at most 64 of [a-zA-Z0-9-_]", "[lambda][validate]") {
  auto s = lftest::sample();
  s.t.get(s.fn).function_name = std::string(65, 'f');
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/FunctionName: error: FunctionName is 65 "
                        "characters long, above the maximum of 64 [E3033]"});
  s.t.get(s.fn).function_name = "bad name";
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/FunctionName: error: FunctionName 'bad name' "
                        "does not match the pattern ^[a-zA-Z0-9-_]+$ [E3031]"});
}

TEST_CASE("Function: a literal Role must be an IAM role ARN", "[lambda][validate]") {
  auto s = lftest::sample();
  s.t.get(s.fn).role = "my-role";
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/Role: error: Role 'my-role' is not an IAM role "
                        "ARN (arn:PARTITION:iam::ACCOUNT:role/NAME); use !GetAtt <Role>.Arn for a "
                        "role in this template [E1156]"});
  s.t.get(s.fn).role = "arn:aws-cn:iam::123456789012:role/service-role/x";
  CHECK(check(s.t).empty());
}

TEST_CASE("Function: log levels need LogFormat JSON", "[lambda][validate]") {
  auto s = lftest::sample();
  LoggingConfig lc;
  lc.application_log_level = "INFO";
  s.t.get(s.fn).logging_config = lc;
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/LoggingConfig/ApplicationLogLevel: error: "
                        "ApplicationLogLevel needs LoggingConfig.LogFormat JSON [E3696]"});
  s.t.get(s.fn).logging_config->literal()->log_format = "JSON";
  CHECK(check(s.t).empty());
}

TEST_CASE("Function: a container image function takes no Runtime, Handler or Layers",
          "[lambda][validate]") {
  auto s = lftest::sample();
  Function& f = s.t.get(s.fn);
  f.package_type = "Image";
  f.code = Code{};
  f.code->literal()->image_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1";
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/Runtime: error: Runtime is not allowed for a "
                        "container image function (PackageType Image) [E3685]",
                        "/Resources/Fn/Properties/Handler: error: Handler is not allowed for a "
                        "container image function (PackageType Image) [E3685]"});
}

TEST_CASE("Alias: name pattern, weights 0–1, no weight on its own version, no weights with PC",
          "[alias][validate]") {
  auto s = lftest::sample();
  Alias a;
  a.name = "123";
  a.function_name = ref(s.fn);
  a.function_version = "3";
  AliasRoutingConfiguration rc;
  rc.additional_version_weights = List<VersionWeight>{VersionWeight{"3", 1.5}};
  a.routing_config = rc;
  a.provisioned_concurrency_config = ProvisionedConcurrencyConfiguration{5};
  s.t.add("FnAlias", a);
  CHECK(check(s.t) == V{"/Resources/FnAlias/Properties/Name: error: Name '123' does not match the "
                        "pattern ^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$ [E3031]",
                        "/Resources/FnAlias/Properties/RoutingConfig/AdditionalVersionWeights/0/"
                        "FunctionWeight: error: FunctionWeight 1.5 is outside 0.0–1.0 [E3034]",
                        "/Resources/FnAlias/Properties/RoutingConfig/AdditionalVersionWeights/0/"
                        "FunctionVersion: error: the additional version 3 is the alias's own "
                        "version; route to a different version or drop the weight [LF2003]",
                        "/Resources/FnAlias/Properties/ProvisionedConcurrencyConfig: error: an "
                        "alias with RoutingConfig weights cannot also have provisioned "
                        "concurrency: CloudFormation fails the next update (\"Alias with weights "
                        "can not be used with Provisioned Concurrency\") [LF2004]"});
}

TEST_CASE("Template: Ref and GetAtt targets must exist, attributes must be valid",
          "[template][validate]") {
  auto s = lftest::sample();
  Function& f = s.t.get(s.fn);
  f.role = get_att(s.role, "Name");
  f.description = sub("${Missing} ${FnRole.Arn} ${AWS::Region} ${!Literal}");
  f.kms_key_arn = ref("NoSuchKey");
  f.dead_letter_config = DeadLetterConfig{Value<std::string>(get_att("Queue", "Arn"))};
  CHECK(check(s.t) ==
        V{"/Resources/Fn/Properties/Description/Fn::Sub: error: Fn::Sub names ${Missing}, which is "
          "not a parameter, a resource, a pseudo parameter or a Sub variable [E1019]",
          "/Resources/Fn/Properties/Role/Fn::GetAtt: error: FnRole (AWS::IAM::Role) has no "
          "attribute Name; it has: Arn, RoleId [E1010]",
          "/Resources/Fn/Properties/DeadLetterConfig/TargetArn/Fn::GetAtt: error: Fn::GetAtt of "
          "Queue, which is not a resource in this template [E1010]",
          "/Resources/Fn/Properties/KmsKeyArn/Ref: error: Ref to NoSuchKey, which is not a "
          "parameter, a resource or a pseudo parameter [E1020]"});
}

TEST_CASE("Template: logical ids are alphanumeric and unique", "[template][validate]") {
  Template t;
  t.add("my-queue", RawResource{"AWS::SQS::Queue", Json::object()});
  t.add("Q", RawResource{"AWS::SQS::Queue", Json::object()});
  t.add("Q", RawResource{"AWS::SQS::Queue", Json::object()});
  t.add_parameter("Q", lftest::param("String"));
  CHECK(check(t) ==
        V{"/Resources/my-queue: error: logical id 'my-queue' must be alphanumeric (A-Za-z0-9) "
          "[E3001]",
          "/Resources/Q: error: logical id Q is defined twice (first in Parameters) [E0000]",
          "/Resources/Q: error: logical id Q is defined twice (first in Parameters) [E0000]"});
}

TEST_CASE("Template: DependsOn targets must exist and must not form cycles",
          "[template][validate]") {
  Template t;
  RawResource q{"AWS::SQS::Queue", Json::object()};
  t.add("A", q, lftest::attrs(std::nullopt, {"B"}));
  t.add("B", RawResource{"AWS::SQS::Queue", Json{{"X", ref("C")}}});
  t.add("C", q, lftest::attrs(std::nullopt, {"A", "Nope"}));
  CHECK(check(t) == V{"/Resources/C/DependsOn/1: error: DependsOn names Nope, which is not a "
                      "resource in this template [E3005]",
                      "/Resources/A: error: circular dependency: A → B → C → A [E3004]"});
}

// The cycle check's reference: recursive depth-first search from each resource in template
// order, dependencies in name order, one finding per edge back onto the path.
namespace {
void expected_cycles(const std::map<std::string, std::set<std::string>>& graph,
                     const std::vector<std::string>& order, std::vector<std::string>& out) {
  std::map<std::string, int> state;
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& n) {
    state[n] = 1;
    path.push_back(n);
    for (const auto& d : graph.at(n)) {
      if (!graph.count(d)) continue;
      if (state[d] == 1) {
        std::string chain;
        for (auto p = std::find(path.begin(), path.end(), d); p != path.end(); ++p)
          chain += *p + " → ";
        out.push_back("/Resources/" + d + ": error: circular dependency: " + chain + d +
                      " [E3004]");
      } else if (state[d] == 0) {
        visit(d);
      }
    }
    path.pop_back();
    state[n] = 2;
  };
  for (const auto& id : order)
    if (state[id] == 0) visit(id);
}
}  // namespace

TEST_CASE("Template: every DependsOn cycle is reported once per closing edge, in a fixed order",
          "[template][validate]") {
  std::mt19937 rng(20261205);
  for (int round = 0; round < 300; ++round) {
    const int n = 1 + static_cast<int>(rng() % 12);
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) ids.push_back("R" + std::to_string(rng() % 100));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::shuffle(ids.begin(), ids.end(), rng);
    std::map<std::string, std::set<std::string>> graph;
    Template t;
    for (const auto& id : ids) {
      std::vector<std::string> deps;
      const int k = static_cast<int>(rng() % 4);
      for (int j = 0; j < k; ++j) deps.push_back(ids[rng() % ids.size()]);  // self-loops too
      graph[id].insert(deps.begin(), deps.end());
      t.add(id, RawResource{"AWS::SQS::Queue", Json::object()}, lftest::attrs(std::nullopt, deps));
    }
    std::vector<std::string> want;
    expected_cycles(graph, ids, want);
    std::vector<std::string> got;
    for (const auto& d : check(t))
      if (d.find("[E3004]") != std::string::npos) got.push_back(d);
    INFO("round " << round);
    REQUIRE(got == want);
  }
}

TEST_CASE("Template: conditions must be defined", "[template][validate]") {
  Template t;
  t.add("A", RawResource{"AWS::SQS::Queue", Json{{"X", if_("IsProd", 1, 2)}}},
        lftest::attrs(std::string("IsDev"), {}));
  CHECK(check(t) ==
        V{"/Resources/A/Properties/X/Fn::If/0: error: condition IsProd is not defined in "
          "Conditions [E8002]",
          "/Resources/A/Condition: error: condition IsDev is not defined in Conditions [E8002]"});
}

TEST_CASE("Template: at most 500 resources, 200 parameters and 200 outputs",
          "[template][validate]") {
  Template t;
  for (int i = 0; i < 501; ++i)
    t.add("Q" + std::to_string(i), RawResource{"AWS::SQS::Queue", Json::object()});
  for (int i = 0; i < 201; ++i) t.add_parameter("P" + std::to_string(i), lftest::param("String"));
  for (int i = 0; i < 201; ++i) t.add_output("O" + std::to_string(i), lftest::output(ref("Q0")));
  auto ds = check(t);
  CHECK(std::count(ds.begin(), ds.end(),
                   "/Resources: error: the template has 501 resources, above CloudFormation's "
                   "limit of 500 [E3010]") == 1);
  CHECK(std::count(ds.begin(), ds.end(),
                   "/Parameters: error: the template has 201 parameters, above CloudFormation's "
                   "limit of 200 [E2010]") == 1);
  CHECK(std::count(ds.begin(), ds.end(),
                   "/Outputs: error: the template has 201 outputs, above CloudFormation's limit of "
                   "200 [E6010]") == 1);
}

TEST_CASE("Template: above 51,200 bytes needs --s3-bucket, above 1,000,000 is E1002",
          "[template][validate]") {
  Template t;
  t.add("Q", RawResource{"AWS::SQS::Queue", Json{{"Tags", std::string(60000, 'x')}}});
  CHECK(
      check(t) ==
      V{"/: warning: the rendered template is 60113 bytes, above the 51200 bytes CloudFormation "
        "accepts inline: deploy it with `aws cloudformation deploy --s3-bucket BUCKET` [LF1002]"});
}

TEST_CASE("Template: invalid UTF-8 anywhere is LF1001", "[template][validate]") {
  auto s = lftest::sample();
  s.t.get(s.fn).description = "caf\xE9";
  CHECK(check(s.t) ==
        V{"/Resources/Fn/Properties/Description: error: the string is not valid UTF-8 [LF1001]"});
}

TEST_CASE("Template: UTF-8 findings come last, in the order of the emitted tree",
          "[template][validate]") {
  // validate() walks the resources one at a time; the findings keep the whole tree's order.
  auto s = lftest::sample();
  s.t.description = "d\xff";
  s.t.get(s.fn).description = "caf\xE9";
  s.t.get(s.fn).kms_key_arn = ref("NoSuchKey");
  s.t.add("Q\xc3", RawResource{"AWS::SQS::Queue", Json{{"X", "\xc3"}}});
  Output o;
  o.value = Value<Json>(Json("o\xe2\x82"));
  s.t.add_output("O", o);
  const auto ds = check(s.t);
  REQUIRE(ds.size() >= 6);
  CHECK(V(ds.end() - 5, ds.end()) ==
        V{"/Description: error: the string is not valid UTF-8 [LF1001]",
          "/Resources/Fn/Properties/Description: error: the string is not valid UTF-8 [LF1001]",
          "/Resources/Q\xc3: error: the key is not valid UTF-8 [LF1001]",
          "/Resources/Q\xc3/Properties/X: error: the string is not valid UTF-8 [LF1001]",
          "/Outputs/O/Value: error: the string is not valid UTF-8 [LF1001]"});
  CHECK(std::count(ds.begin(), ds.end(),
                   "/Resources/Fn/Properties/KmsKeyArn/Ref: error: Ref to NoSuchKey, which is not "
                   "a parameter, a resource or a pseudo parameter [E1020]") == 1);
}

TEST_CASE("Template: the rendered YAML is the whole tree's YAML, however Resources is written",
          "[template][validate][stream]") {
  auto rendered = [](const Template& t) {
    std::string yaml;
    ValidateOptions o;
    o.today = "2026-11-27";
    o.rendered_yaml = &yaml;
    validate(t, o);
    return yaml;
  };
  auto s = lftest::sample();  // several resources: written one at a time
  s.t.resources.front().overrides.push_back(Override{{"Properties", "Extra"}, Json("x")});
  CHECK(rendered(s.t) == to_yaml(to_tree(s.t)));

  Template none;  // Resources: {}
  CHECK(rendered(none) == to_yaml(to_tree(none)));

  Template one;  // one resource whose id is an intrinsic's name: written as a tag
  one.add("Ref", RawResource{"AWS::SQS::Queue", Json::object()});
  CHECK(rendered(one) == to_yaml(to_tree(one)));
  CHECK(rendered(one).find("Resources: !Ref") != std::string::npos);

  Template twice;  // a repeated id: the later resource replaces the first in place
  twice.add("Q", RawResource{"AWS::SQS::Queue", Json{{"N", 1}}});
  twice.add("R", RawResource{"AWS::SQS::Queue", Json::object()});
  twice.add("Q", RawResource{"AWS::SQS::Queue", Json{{"N", 2}}});
  CHECK(rendered(twice) == to_yaml(to_tree(twice)));
  CHECK(rendered(twice).find("N: 1") == std::string::npos);
}

TEST_CASE("Parameter: type must be a CloudFormation parameter type", "[template][validate]") {
  Template t;
  t.add_parameter("Subnets", lftest::param("List<AWS::EC2::Subnet::Id>"));
  t.add_parameter("Host", lftest::param("AWS::SSM::Parameter::Value<String>"));
  t.add_parameter("Bad", lftest::param("Strng"));
  t.add("Q", RawResource{"AWS::SQS::Queue", Json::object()});
  CHECK(check(t) == V{"/Parameters/Bad/Type: error: parameter type 'Strng' is not a CloudFormation "
                      "parameter type [E2002]"});
}

TEST_CASE("Role: policy documents need Statement and Effect", "[iam][validate]") {
  auto s = lftest::sample();
  Role& r = s.t.get(s.role);
  r.assume_role_policy_document = Json::parse(R"({"Version": "2012-10-17"})");
  r.policies = List<Policy>{Policy{
      "p",
      Json::parse(
          R"({"Statement": [{"Effect": "Maybe", "Action": "s3:GetObject", "Resource": "*"}]})")}};
  CHECK(check(s.t) == V{"/Resources/FnRole/Properties/AssumeRolePolicyDocument: error: required "
                        "property Statement is missing from the policy document [E3003]",
                        "/Resources/FnRole/Properties/Policies/0/PolicyDocument/Statement/0/"
                        "Effect: error: Effect 'Maybe' is not one of: Allow, Deny [E3030]"});
}

TEST_CASE("Tag: keys starting with aws: are reserved", "[validate]") {
  auto s = lftest::sample();
  s.t.get(s.fn).tags = List<Tag>{Tag{"aws:owner", "me"}};
  CHECK(check(s.t) == V{"/Resources/Fn/Properties/Tags/0/Key: error: Key 'aws:owner' does not "
                        "match the pattern ^(?!aws:)[\\s\\S]*$ [E3031]"});
}

TEST_CASE("Output: Value is required, Export needs a Name", "[template][validate]") {
  auto s = lftest::sample();
  Output o;
  o.export_ = Export{};
  s.t.add_output("Broken", o);
  CHECK(check(s.t) ==
        V{"/Outputs/Broken: error: required property Value is missing [E3003]",
          "/Outputs/Broken/Export: error: required property Name is missing [E3003]"});
}

TEST_CASE("Parameter: Default must be a string or a number", "[template][validate]") {
  auto s = lftest::sample();
  Parameter p = lftest::param("String");
  p.default_value = Json::object();
  s.t.add_parameter("P", p);
  CHECK(check(s.t) == V{"/Parameters/P/Default: error: a parameter's Default must be a string or a "
                        "number [E2001]"});
}

TEST_CASE("Function: Code.ImageUri needs PackageType Image, not Zip", "[lambda][validate]") {
  auto s = lftest::sample();
  Function& f = s.t.get(s.fn);
  f.package_type = "Zip";
  f.code = Code{};
  f.code->literal()->image_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1";
  CHECK(check(s.t) ==
        V{"/Resources/Fn/Properties: error: Code.ImageUri needs PackageType: Image [E3003]"});
}

TEST_CASE("Role: a statement's Effect must be a string", "[iam][validate]") {
  auto s = lftest::sample();
  s.t.get(s.role).policies = List<Policy>{Policy{
      "p",
      Json::parse(R"({"Statement": [{"Effect": 5, "Action": "s3:GetObject", "Resource": "*"}]})")}};
  CHECK(check(s.t) == V{"/Resources/FnRole/Properties/Policies/0/PolicyDocument/Statement/0/"
                        "Effect: error: Effect must be the string Allow or Deny [E3012]"});
}

TEST_CASE("Validate: a finding's pointer is written from its steps, keys escaped", "[validate]") {
  // check_fields builds a field's JSON pointer only when it reports something (LazyPath).
  const std::string root = "/Resources/A~1B";
  const detail::LazyPath top{&root, nullptr, {}, 0, false};
  const auto field = top / "Properties";
  const auto key = field / std::string_view("a/b~c");
  const auto item = key / std::size_t{12};
  CHECK(top.str() == "/Resources/A~1B");
  CHECK(item.str() == "/Resources/A~1B/Properties/a~1b~0c/12");
  CHECK((item / "Name").str() == "/Resources/A~1B/Properties/a~1b~0c/12/Name");
}

TEST_CASE("Template: invalid UTF-8 in a short-form GetAtt or a key is still LF1001",
          "[template][validate][stream]") {
  // validate() skips the UTF-8 walk of a resource whose YAML had only printable ASCII: the
  // writer's GetAtt (written "a.b") and key paths must report what they saw.
  auto s = lftest::sample();
  s.t.get(s.fn).role = get_att("R\xff", "Arn");
  Environment env;
  env.variables = std::map<std::string, Value<std::string>>{{"K\xe9", "v"}};
  s.t.get(s.fn).environment = env;
  const auto ds = check(s.t);
  CHECK(std::count(ds.begin(), ds.end(),
                   "/Resources/Fn/Properties/Role/Fn::GetAtt/0: error: the string is not valid "
                   "UTF-8 [LF1001]") == 1);
  CHECK(std::count(ds.begin(), ds.end(),
                   "/Resources/Fn/Properties/Environment/Variables/K\xe9: error: the key is not "
                   "valid UTF-8 [LF1001]") == 1);
}

TEST_CASE("Validate: today's UTC date is computed as gmtime_r and strftime give it",
          "[validate][today]") {
  CHECK(detail::utc_date(0) == "1970-01-01");
  CHECK(detail::utc_date(-1) == "1969-12-31");
  CHECK(detail::utc_date(951782400) == "2000-02-29");   // a leap day of a century leap year
  CHECK(detail::utc_date(4107542399) == "2100-02-28");  // 2100 is not a leap year
  CHECK(detail::utc_date(4107542400) == "2100-03-01");
  // Every day boundary, and a second before it, from 1900 to 2200 in steps of 3 days + 1 hour.
  for (std::int64_t s = -2208988800; s < 7258118400; s += 3 * 86400 + 3600) {
    for (std::int64_t t : {s, s - 1, s - s % 86400}) {
      const std::time_t tt = static_cast<std::time_t>(t);
      std::tm tm{};
      REQUIRE(gmtime_r(&tt, &tm) != nullptr);
      char buf[16];
      std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
      REQUIRE(detail::utc_date(t) == buf);
    }
  }
}
