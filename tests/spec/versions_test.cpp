#include <catch2/catch.hpp>

#include <random>

#include <nlohmann/json.hpp>

#include "random_model.hpp"
#include "random_tree.hpp"
#include "sha256.hpp"
#include "support.hpp"
#include "tree.hpp"

using namespace lambdaform;
using V = std::vector<std::string>;

namespace {

using lftest::compile;
using lftest::random_tree;

const std::string kHead = "stack: demo\nfunctions:\n  Fn:\n";
const std::string kBase = R"(    runtime: python3.12
    handler: app.handler
    code: {s3_bucket: bucket, s3_key: fn-1.zip}
    memory: 256
    timeout: 30
    environment: {AA: '1', BB: '2'}
    publish_version: true
    aliases: {live: current}
)";

// The logical id of the function's one Version resource.
std::string version_id(const std::string& extra, SpecOptions o = {}) {
  auto r = compile(kHead + kBase + extra, o);
  REQUIRE_FALSE(r.failed());
  std::string id;
  for (const auto& res : r.tmpl->resources)
    if (std::holds_alternative<Version>(res.body)) id = res.logical_id;
  return id;
}

}  // namespace

TEST_CASE("Versions: the canonical writer is byte for byte nlohmann::json's sorted dump",
          "[versions]") {
  // version_hash writes the canonical text straight from the ordered tree; hash spec 1 was
  // defined as nlohmann::json's (std::map) compact dump with U+FFFD replacement.
  std::mt19937_64 rng(20261127);
  for (int i = 0; i < 20000; ++i) {
    const Json tree = random_tree(rng, 0);
    const std::string want =
        nlohmann::json(tree).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string got = detail::canonical_json(tree);
    if (got != want) FAIL("tree " << i << ":\n got " << got << "\nwant " << want);
  }
}

TEST_CASE("SHA-256: FIPS 180-4 test vectors", "[versions]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256: the SHA-extension code and the portable code agree", "[versions][sha]") {
  // The FIPS vectors above run through whichever path this CPU takes; both paths are compared
  // here on every length around the block and padding boundaries and on random bytes.
  if (!detail::sha256_accelerated())
    WARN("this CPU has no SHA extensions: only the portable SHA-256 runs here");
  CHECK(detail::sha256_hex("abc", false) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(detail::sha256_hex("abc", true) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::mt19937_64 rng(20261127);
  std::string data;
  for (std::size_t n = 0; n < 1100; ++n) {
    data.push_back(static_cast<char>(rng()));
    INFO("length " << data.size());
    REQUIRE(detail::sha256_hex(data, true) == detail::sha256_hex(data, false));
  }
  const std::string big(1 << 20, '\xa5');
  CHECK(detail::sha256_hex(big, true) == detail::sha256_hex(big, false));
}

TEST_CASE("Versions: golden hashes never change within hash spec 1", "[versions][golden]") {
  // If this fails, a change altered logical ids for unchanged input: every user would publish
  // an identical version on upgrade ("A version for this Lambda function exists"). Only a new
  // kVersionHashSpec may change them.
  REQUIRE(kVersionHashSpec == 1);
  // The first id was also computed outside lambdaform: Python's hashlib.sha256 over the canonical
  // text below (the README's hash spec) gives f6783810a4....
  CHECK(version_id("") == "FnVersionf6783810a4");
  CHECK(version_id("    description: first\n") == "FnVersione07309198a");
  SpecOptions o;
  o.params = {{"Key", "fn-2.zip"}};
  auto r = compile(
      "stack: demo\nparameters: {Key: {type: String}}\nfunctions:\n  Fn:\n" +
          std::string(kBase).replace(kBase.find("s3_key: fn-1.zip"), 16, "s3_key: !Ref Key"),
      o);
  REQUIRE_FALSE(r.failed());
  CHECK(r.tmpl->find("FnVersion2847e542d0") != nullptr);
}

TEST_CASE("Versions: the canonical hash input is sorted compact JSON of the locked properties",
          "[versions]") {
  auto r = compile(kHead + kBase);
  REQUIRE_FALSE(r.failed());
  VersionHash h = version_hash(*r.tmpl, "Fn");
  CHECK(
      h.canonical ==
      R"({"lambdaform-version-hash":1,"properties":{"Code":{"S3Bucket":"bucket","S3Key":"fn-1.zip"},)"
      R"("Environment":{"Variables":{"AA":"1","BB":"2"}},"Handler":"app.handler","MemorySize":256,)"
      R"("Role":{"Fn::GetAtt":["FnRole","Arn"]},"Runtime":"python3.12","Timeout":30}})");
  CHECK(h.sha256 == sha256_hex(h.canonical));
  CHECK(h.properties == std::vector<std::string>{"Code", "Environment", "Handler", "MemorySize",
                                                 "Role", "Runtime", "Timeout"});
}

TEST_CASE("Versions: a change to any version-locked property publishes a new version",
          "[versions]") {
  const std::string base = version_id("");
  const std::vector<std::pair<std::string, std::string>> changes = {
      {"code", "    code: {s3_bucket: bucket, s3_key: fn-2.zip}\n"},
      {"runtime", "    runtime: python3.13\n"},
      {"handler", "    handler: app.other\n"},
      {"memory", "    memory: 512\n"},
      {"timeout", "    timeout: 31\n"},
      {"environment", "    environment: {AA: '1', BB: '3'}\n"},
      {"layers", "    layers: ['arn:aws:lambda:us-east-1:123456789012:layer:x:1']\n"},
      {"architectures", "    architectures: [arm64]\n"},
      {"ephemeral_storage", "    ephemeral_storage: 1024\n"},
      {"tracing", "    tracing: Active\n"},
      {"dead_letter_target", "    dead_letter_target: 'arn:aws:sqs:us-east-1:123456789012:dlq'\n"},
      {"logging_config", "    logging_config: {log_format: JSON}\n"},
      {"snap_start", "    snap_start: {apply_on: PublishedVersions}\n"},
      {"kms_key_arn", "    kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/k'\n"},
      {"description", "    description: changed\n"},
      {"role", "    role: 'arn:aws:iam::123456789012:role/other'\n"},
      {"vpc", "    vpc: {subnets: private, security_groups: [db]}\n"},
      {"file_system_configs",
       "    file_system_configs: [{arn: "
       "'arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0', "
       "local_mount_path: /mnt/x}]\n"},
      {"runtime_management_config",
       "    runtime_management_config: {update_runtime_on: FunctionUpdate}\n"},
      {"recursive_loop", "    recursive_loop: Allow\n"},
      {"properties (unmodelled)", "    properties: {DurableConfig: {ExecutionTimeout: 60}}\n"},
  };
  for (const auto& [name, line] : changes) {
    INFO(name);
    std::string spec = kBase;
    // Replace the key's line when the base has it, else add it.
    const std::string key = line.substr(4, line.find(':') - 4);
    auto at = spec.find("    " + key + ":");
    if (at != std::string::npos)
      spec.replace(at, spec.find('\n', at) + 1 - at, line);
    else
      spec += line;
    std::string net =
        key == "vpc" ? "network: {private_subnets: [subnet-1], security_groups: {db: [sg-1]}}\n"
                     : "";
    auto r = compile(net + kHead + spec);
    REQUIRE_FALSE(r.failed());
    std::string id;
    for (const auto& res : r.tmpl->resources)
      if (std::holds_alternative<Version>(res.body)) id = res.logical_id;
    CHECK(id != base);
  }
}

TEST_CASE("Versions: tags, reserved concurrency and code signing do not publish", "[versions]") {
  const std::string base = version_id("");
  CHECK(version_id("    tags: {team: orders}\n") == base);
  CHECK(version_id("    reserved_concurrency: 5\n") == base);
  CHECK(
      version_id(
          "    code_signing_config_arn: "
          "'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0'\n") ==
      base);
}

TEST_CASE("Versions: reordering keys or environment variables does not publish", "[versions]") {
  auto r = compile(kHead + R"(    environment: {BB: '2', AA: '1'}
    timeout: 30
    memory: 256
    code: {s3_key: fn-1.zip, s3_bucket: bucket}
    handler: app.handler
    runtime: python3.12
    aliases: {live: current}
    publish_version: true
)");
  REQUIRE_FALSE(r.failed());
  CHECK(r.tmpl->find(version_id("")) != nullptr);
}

TEST_CASE("Versions: retained, hash spec in Metadata, number in the outputs", "[versions]") {
  auto r = compile(kHead + kBase);
  REQUIRE_FALSE(r.failed());
  Json tree = to_tree(*r.tmpl);
  const std::string id = version_id("");
  const Json& v = tree["Resources"][id];
  CHECK(v["DeletionPolicy"] == "Retain");
  CHECK(v["UpdateReplacePolicy"] == "Retain");
  CHECK(v["Metadata"]["lambdaform"]["version-hash-spec"] == 1);
  CHECK(v["Metadata"]["lambdaform"]["locked-properties"].dump() ==
        R"(["Code","Environment","Handler","MemorySize","Role","Runtime","Timeout"])");
  CHECK(tree["Outputs"]["FnVersion"]["Value"].dump() ==
        R"({"Fn::GetAtt":[")" + id + R"(","Version"]})");
  CHECK(tree["Resources"]["FnAliaslive"]["Properties"]["FunctionVersion"].dump() ==
        R"({"Fn::GetAtt":[")" + id + R"(","Version"]})");
}

TEST_CASE("Versions: a parameter in a locked property is hashed by --param value or warned",
          "[versions]") {
  const std::string text =
      "stack: demo\nparameters: {Key: {type: String}}\nfunctions:\n  Fn:\n" +
      std::string(kBase).replace(kBase.find("s3_key: fn-1.zip"), 16, "s3_key: !Ref Key");
  auto r = compile(text);
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:11:22: warning: the version of Fn is hashed over the parameter Key, not its "
          "value: a new value passed only at deploy time will not publish a new version; render "
          "with --param Key=VALUE [LF4001]"});
  SpecOptions a, b;
  a.params = {{"Key", "fn-1.zip"}};
  b.params = {{"Key", "fn-2.zip"}};
  auto ra = compile(text, a), rb = compile(text, b);
  REQUIRE(lftest::lines(ra.diagnostics).empty());
  auto id = [](const SpecResult& x) {
    for (const auto& res : x.tmpl->resources)
      if (std::holds_alternative<Version>(res.body)) return res.logical_id;
    return std::string();
  };
  CHECK(id(ra) != id(rb));
  // The value hashes like the same literal would.
  CHECK(id(ra) == version_id(""));
}

TEST_CASE("Versions: !Sub placeholders of parameters are resolved one by one, once",
          "[versions][regression]") {
  const std::string text =
      "stack: demo\nparameters: {A: {type: String}, B: {type: String}, C: {type: String}}\n" +
      kHead.substr(kHead.find("functions:")) + kBase.substr(0, kBase.find("    environment")) +
      "    environment:\n"
      "      XX: !Sub '${A}-${B}-${!A}-${AWS::Region}-${A'\n"
      "      YY: !Sub ['${A}${C}', {C: local}]\n" +
      kBase.substr(kBase.find("    publish_version"));
  auto r = compile(text);
  for (const auto& line : lftest::lines(r.diagnostics)) UNSCOPED_INFO(line);
  REQUIRE_FALSE(has_errors(r.diagnostics));
  // A and B have values; C is a parameter too, but Y's own variable map names it.
  VersionHash h = version_hash(*r.tmpl, "Fn", {{"A", "1"}, {"B", "${A}"}});
  // B's value is not substituted again: "${A}" stays as B's text.
  CHECK(h.canonical.find(R"("XX":{"Fn::Sub":"1-${A}-${!A}-${AWS::Region}-${A"})") !=
        std::string::npos);
  CHECK(h.canonical.find(R"("YY":{"Fn::Sub":["1${C}",{"C":"local"}]})") != std::string::npos);
  CHECK(h.unresolved_parameters.empty());
  // Without values every parameter named is reported, each once.
  h = version_hash(*r.tmpl, "Fn", {});
  CHECK(h.unresolved_parameters == std::vector<std::string>{"A", "B"});
}

TEST_CASE("Aliases: $LATEST, current, a number, weights and provisioned concurrency",
          "[versions][alias]") {
  auto r = compile(kHead + kBase.substr(0, kBase.find("    aliases")) + R"(    aliases:
      dev: $LATEST
      live: current
      prod: 3
      canary: {version: 3, additional_version: current, additional_weight: 0.1}
      busy: {version: current, provisioned_concurrency: 5, description: warm}
)");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  Json rs = to_tree(*r.tmpl)["Resources"];
  const std::string v = version_id("");
  CHECK(rs["FnAliasdev"]["Properties"].dump() ==
        R"({"Name":"dev","FunctionName":{"Ref":"Fn"},"FunctionVersion":"$LATEST"})");
  CHECK(rs["FnAliasprod"]["Properties"]["FunctionVersion"] == "3");
  CHECK(rs["FnAliascanary"]["Properties"]["RoutingConfig"].dump() ==
        R"({"AdditionalVersionWeights":[{"FunctionVersion":{"Fn::GetAtt":[")" + v +
            R"(","Version"]},"FunctionWeight":0.1}]})");
  CHECK(
      rs["FnAliasbusy"]["Properties"].dump() ==
      R"({"Name":"busy","FunctionName":{"Ref":"Fn"},"FunctionVersion":{"Fn::GetAtt":[")" + v +
          R"(","Version"]},"Description":"warm","ProvisionedConcurrencyConfig":{"ProvisionedConcurrentExecutions":5}})");
}

TEST_CASE("Aliases: the mistakes are refused with located messages", "[versions][alias]") {
  const std::string fn =
      "stack: demo\nfunctions:\n  Fn:\n    runtime: python3.12\n    handler: app.h\n"
      "    code: {s3_bucket: bucket, s3_key: k}\n";
  CHECK(lftest::lines(compile(fn + "    aliases: {live: current}\n").diagnostics) ==
        V{"stack.yaml:7:21: error: an alias of Fn points at current, but Fn does not publish a "
          "version: add publish_version: true [LF4002]"});
  CHECK(lftest::lines(compile(fn + "    publish_version: true\n    aliases: {c: {version: 2, "
                                   "additional_version: 3, additional_weight: 1.5}}\n")
                          .diagnostics) ==
        V{"stack.yaml:8:73: error: additional_weight 1.5 is outside 0.0–1.0 (0.1 sends 10% of the "
          "traffic) [E3034]"});
  CHECK(
      lftest::lines(
          compile(fn +
                  "    aliases: {c: {version: 2, additional_version: 2, additional_weight: 0.5}}\n")
              .diagnostics) == V{"stack.yaml:7:28: error: alias c sends its extra weight to its "
                                 "own version; route to a different version [LF2003]"});
  CHECK(lftest::lines(compile(fn + "    aliases: {c: {version: 2, additional_version: 3, "
                                   "additional_weight: 0.5, provisioned_concurrency: 2}}\n")
                          .diagnostics) ==
        V{"stack.yaml:7:103: error: an alias with RoutingConfig weights cannot also have "
          "provisioned concurrency: CloudFormation fails the next update (\"Alias with weights can "
          "not be used with Provisioned Concurrency\") [LF2004]"});
  CHECK(lftest::lines(compile(fn + "    aliases: {'123': $LATEST}\n").diagnostics) ==
        V{"stack.yaml:7:15: error: Name '123' does not match the pattern "
          "^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$ [E3031]"});
  CHECK(lftest::lines(compile(fn + "    aliases: {live: latest}\n").diagnostics) ==
        V{"stack.yaml:7:21: error: alias version 'latest' must be $LATEST, current or a published "
          "version number [LF4002]"});
}

TEST_CASE("Aliases: a logical id already taken is LF4004, by a resource or by another alias",
          "[versions][alias]") {
  const std::string head = "stack: demo\nfunctions:\n";
  const std::string body =
      "    runtime: python3.12\n    handler: app.h\n    code: {s3_bucket: bucket, s3_key: k}\n";
  // FnAliaslive is a function defined before Fn; then two aliases that both give FnAliasdev.
  const auto r = compile(head + "  FnAliaslive:\n" + body + "  Fn:\n" + body +
                         "    aliases: {live: $LATEST, dev: $LATEST, d-ev: $LATEST}\n");
  CHECK(
      lftest::lines(r.diagnostics) ==
      V{"stack.yaml:11:15: error: alias 'live' gives the logical id FnAliaslive, which is already "
        "taken [LF4004]",
        "stack.yaml:11:44: error: alias 'd-ev' gives the logical id FnAliasdev, which is already "
        "taken [LF4004]"});
  // Without the collisions both aliases are there, once each.
  const auto ok = compile(head + "  Fn:\n" + body + "    aliases: {live: $LATEST, dev: $LATEST}\n");
  REQUIRE(lftest::lines(ok.diagnostics).empty());
  const Json rs = to_tree(*ok.tmpl)["Resources"];
  CHECK(rs.contains("FnAliaslive"));
  CHECK(rs.contains("FnAliasdev"));
}

TEST_CASE("Deployment: CodeDeploy application, group, service role and the alias UpdatePolicy",
          "[versions][deploy]") {
  auto r = compile(
      kHead + kBase +
      R"(    deployment: {alias: live, type: Linear10PercentEvery1Minute, alarms: [Errors], post_traffic_hook: Check}
  Check:
    runtime: python3.12
    handler: index.handler
    code: {inline: "def handler(e, c):\n    return 1\n"}
)");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  Json rs = to_tree(*r.tmpl)["Resources"];
  CHECK(rs["CodeDeployApplication"].dump() ==
        R"({"Type":"AWS::CodeDeploy::Application","Properties":{"ComputePlatform":"Lambda"}})");
  CHECK(rs["FnDeploymentGroup"]["Properties"]["DeploymentConfigName"] ==
        "CodeDeployDefault.LambdaLinear10PercentEvery1Minute");
  CHECK(rs["FnDeploymentGroup"]["Properties"]["AlarmConfiguration"].dump() ==
        R"({"Enabled":true,"Alarms":[{"Name":"Errors"}]})");
  CHECK(
      rs["FnAliaslive"]["UpdatePolicy"].dump() ==
      R"({"CodeDeployLambdaAliasUpdate":{"ApplicationName":{"Ref":"CodeDeployApplication"},"DeploymentGroupName":{"Ref":"FnDeploymentGroup"},"AfterAllowTrafficHook":{"Ref":"Check"}}})");
  CHECK(rs["CheckRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"] ==
        "codedeploy:PutLifecycleEventHookExecutionStatus");
  CHECK(
      rs["CodeDeployServiceRole"]["Properties"]["ManagedPolicyArns"].dump() ==
      R"([{"Fn::Sub":"arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"}])");
}

TEST_CASE("Deployment: unknown types and hooks get a did-you-mean", "[versions][deploy]") {
  CHECK(lftest::lines(
            compile(kHead + kBase + "    deployment: {alias: live, type: Canary10Percent5Minute}\n")
                .diagnostics) ==
        V{"stack.yaml:12:37: error: deployment type 'Canary10Percent5Minute' is not one of "
          "CodeDeploy's Lambda configurations (did you mean 'Canary10Percent5Minutes'?) [LF4005]"});
  CHECK(lftest::lines(compile(kHead + kBase + "    deployment: {alias: liv, type: AllAtOnce}\n")
                          .diagnostics) == V{"stack.yaml:12:25: error: deployment names alias "
                                             "'liv', which Fn does not declare [LF4005]"});
}

TEST_CASE("Plan: which versions publish and why, which aliases move", "[versions][plan]") {
  auto before = compile(kHead + kBase);
  auto after = compile(kHead + kBase + "    tags: {team: orders}\n");
  Plan same = plan(to_tree(*before.tmpl), to_tree(*after.tmpl));
  CHECK_FALSE(same.publishes());
  CHECK(format_plan(same) ==
        "## Versions\n\nNo new versions.\n- Fn: no new version\n\n## Aliases\n\nNo alias moves.\n");
  auto changed =
      compile(kHead + std::string(kBase).replace(kBase.find("timeout: 30"), 11, "timeout: 60"));
  Plan p = plan(to_tree(*before.tmpl), to_tree(*changed.tmpl));
  REQUIRE(p.publishes());
  const std::string v1 = version_id(""), v2 = p.versions[0].published[0];
  CHECK(format_plan(p) ==
        "## Versions\n\n- **Fn** publishes " + v2 + " because Timeout changed\n- Fn: " + v1 +
            " leave the template; published versions are retained (DeletionPolicy: Retain)\n\n"
            "## Aliases\n\n- live (FnAliaslive): " +
            v1 + " → " + v2 + "\n");
}

TEST_CASE("Plan: a new function's first version is published because the function is new",
          "[versions][plan]") {
  auto r = compile(kHead + kBase);
  Plan p = plan(Json::object(), to_tree(*r.tmpl));
  REQUIRE(p.versions.size() == 1);
  CHECK(p.versions[0].new_function);
  CHECK(p.versions[0].changed.empty());
  CHECK(format_plan(p).find("- **Fn** publishes " + p.versions[0].published[0] +
                            " because the function is new\n") != std::string::npos);
}

TEST_CASE("Plan: the old template is read from YAML with short-form intrinsics",
          "[versions][plan]") {
  auto r = compile(kHead + kBase);
  Diagnostics diags;
  auto tree = read_template(render(*r.tmpl), "old.yaml", diags);
  REQUIRE(tree);
  CHECK(diags.empty());
  CHECK(*tree == to_tree(*r.tmpl));
}

TEST_CASE("Plan: templates of any shape are compared without throwing (fuzz_templates F7)",
          "[plan][regression]") {
  const Json odd = Json::parse(R"({"Resources": {"e": {"Type": null},
    "A": {"Type": "AWS::Lambda::Alias", "Properties": "x"},
    "V": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": 5}}},
    "F": {"Type": "AWS::Lambda::Function", "Properties": [1]}}})");
  const Json alias = Json::parse(R"({"Resources": {"A": {"Type": "AWS::Lambda::Alias",
    "Properties": {"Name": "live", "FunctionVersion": {"Fn::GetAtt": [7, "Version"]},
    "RoutingConfig": "none"}}}})");
  Plan p;
  CHECK_NOTHROW(p = plan(odd, alias));
  REQUIRE(p.aliases.size() == 1);
  CHECK(p.aliases[0].name == "live");
  CHECK(p.aliases[0].from == "?");
  CHECK(p.aliases[0].to == R"({"Fn::GetAtt":[7,"Version"]})");
  CHECK_NOTHROW(plan(alias, odd));
}

TEST_CASE("Versions: hashing from the model gives the tree's canonical text and hash",
          "[versions]") {
  // version_hash() writes the canonical form straight from a Function's fields; functions with
  // overrides or parameters go through the emitted tree (version_hash_via_tree). Both must give
  // the same bytes for every function.
  std::mt19937_64 rng(20261128);
  for (int i = 0; i < 3000; ++i) {
    Template t;
    t.add("Fn", lftest::random_value<Function>(rng, 0));
    const VersionHash fast = version_hash(t, "Fn");
    const VersionHash tree = detail::version_hash_via_tree(t, t.resource("Fn"), {});
    INFO("function " << i);
    REQUIRE(fast.canonical == tree.canonical);
    REQUIRE(fast.properties == tree.properties);
    REQUIRE(fast.sha256 == tree.sha256);
  }
}
