#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "support.hpp"

using namespace lambdaform;
using V = std::vector<std::string>;

namespace {

using lftest::compile;

const std::string kMinimal = R"(stack: demo
functions:
  Fn:
    runtime: python3.12
    handler: index.handler
    code: {inline: "def handler(e, c):\n    return 1\n"}
)";

}  // namespace

TEST_CASE("Spec: a minimal function gets its own role, logging policy and an ARN output",
          "[spec]") {
  auto r = compile(kMinimal);
  REQUIRE(lftest::lines(r.diagnostics).empty());
  REQUIRE(r.tmpl);
  CHECK(r.stack_name == "demo");
  Json tree = to_tree(*r.tmpl);
  CHECK(
      tree["Resources"]["FnRole"]["Properties"].dump() ==
      R"({"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
      R"("Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]},)"
      R"("ManagedPolicyArns":[{"Fn::Sub":"arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}]})");
  CHECK(tree["Resources"]["Fn"]["Properties"]["Role"].dump() ==
        R"({"Fn::GetAtt":["FnRole","Arn"]})");
  CHECK(tree["Outputs"].dump() ==
        R"({"FnArn":{"Description":"ARN of Fn","Value":{"Fn::GetAtt":["Fn","Arn"]}}})");
}

TEST_CASE("Spec: template diagnostics point at the spec value that caused them",
          "[spec][location]") {
  auto r = compile(kMinimal + "    memory: 20000\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:7:13: error: MemorySize 20000 is above the maximum of 10240 [E3034]"});
  CHECK(r.failed());
}

TEST_CASE("Spec: unknown keys get a did-you-mean", "[spec]") {
  auto r = compile(kMinimal + "    memroy: 256\n");
  CHECK(lftest::lines(r.diagnostics) == V{"stack.yaml:7:5: error: unknown key 'memroy' in function "
                                          "Fn (did you mean 'memory'?) [LF3000]"});
}

TEST_CASE("Spec: type errors say what was expected and what was found", "[spec]") {
  auto r = compile(kMinimal + "    memory: '256'\n    timeout: [3]\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:7:13: error: expected an integer, found the string '256' [LF3002]",
          "stack.yaml:8:14: error: expected an integer, found a list [LF3002]"});
}

TEST_CASE("Spec: strings keep exactly the text written", "[spec]") {
  auto r = compile(kMinimal + "    environment: {MODE: 0755, FLAG: no, AT: 12:30, ON_OFF: on}\n");
  REQUIRE(r.tmpl);
  CHECK(to_tree(*r.tmpl)["Resources"]["Fn"]["Properties"]["Environment"].dump() ==
        R"({"Variables":{"AT":"12:30","FLAG":"no","MODE":"0755","ON_OFF":"on"}})");
  // And the YAML keeps them strings for a YAML 1.1 reader.
  CHECK(render(*r.tmpl).find("MODE: '0755'") != std::string::npos);
}

TEST_CASE("Spec: public subnets are an error unless allowed, then a warning", "[spec][vpc]") {
  const std::string net = R"(network:
  public_subnets: [subnet-1]
  private_subnets: [subnet-2]
  security_groups: {web: [sg-1], db: [sg-2]}
)";
  auto r = compile(net + kMinimal + "    vpc: {subnets: public, security_groups: [web]}\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:11:20: error: function Fn is placed in public subnets: Lambda's network "
          "interfaces get no public IP there, so it cannot reach the internet or public AWS "
          "endpoints such as SSM; use private subnets with a NAT gateway or VPC endpoints, or set "
          "allow_public_subnet: true if this is intended [LF3001]"});
  r = compile(net + kMinimal +
              "    vpc: {subnets: public, security_groups: [web], allow_public_subnet: true}\n");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].severity == Severity::warning);
  CHECK_FALSE(r.failed());
}

TEST_CASE("Spec: moving to private subnets with both groups is one line and adds VPC access",
          "[spec][vpc]") {
  const std::string net = R"(network:
  public_subnets: [subnet-1]
  private_subnets: [subnet-2, subnet-3]
  security_groups: {web: [sg-1], db: [sg-2]}
)";
  auto r = compile(net + kMinimal + "    vpc: {subnets: private, security_groups: [web, db]}\n");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  Json res = to_tree(*r.tmpl)["Resources"];
  CHECK(res["Fn"]["Properties"]["VpcConfig"].dump() ==
        R"({"SecurityGroupIds":["sg-1","sg-2"],"SubnetIds":["subnet-2","subnet-3"]})");
  CHECK(
      res["FnRole"]["Properties"]["ManagedPolicyArns"][1].dump() ==
      R"({"Fn::Sub":"arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"})");
  // Without vpc, no VPC permissions.
  auto plain = compile(kMinimal);
  CHECK(to_tree(*plain.tmpl)["Resources"]["FnRole"]["Properties"]["ManagedPolicyArns"].size() == 1);
}

TEST_CASE("Spec: network lists may be Refs to list parameters", "[spec][vpc]") {
  const std::string text = R"(stack: demo
parameters:
  Subnets: {type: 'List<AWS::EC2::Subnet::Id>'}
  WebGroups: {type: 'List<AWS::EC2::SecurityGroup::Id>'}
  DbGroup: {type: 'AWS::EC2::SecurityGroup::Id'}
network:
  private_subnets: !Ref Subnets
  security_groups: {web: !Ref WebGroups, db: [!Ref DbGroup]}
)" + kMinimal.substr(kMinimal.find("functions:")) +
                           "    vpc: {subnets: private, security_groups: [web, db]}\n";
  auto r = compile(text);
  REQUIRE(lftest::lines(r.diagnostics).empty());
  CHECK(
      to_tree(*r.tmpl)["Resources"]["Fn"]["Properties"]["VpcConfig"].dump() ==
      R"({"SecurityGroupIds":{"Fn::Split":[",",{"Fn::Join":[",",[{"Fn::Join":[",",{"Ref":"WebGroups"}]},{"Ref":"DbGroup"}]]}]},"SubnetIds":{"Ref":"Subnets"}})");
}

TEST_CASE("Spec: unknown security group names get a did-you-mean", "[spec][vpc]") {
  auto r = compile("network: {private_subnets: [s-1], security_groups: {database: [sg-1]}}\n" +
                   kMinimal + "    vpc: {subnets: private, security_groups: [databse]}\n");
  CHECK(lftest::lines(r.diagnostics) == V{"stack.yaml:8:47: error: network.security_groups has no "
                                          "group 'databse' (did you mean 'database'?) [LF3005]"});
}

TEST_CASE("Spec: role names a shared role, an ARN or an intrinsic", "[spec][iam]") {
  const std::string text = R"(stack: demo
roles:
  Shared: {managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess']}
functions:
  A: {runtime: python3.12, handler: index.handler, code: {inline: x}, role: Shared}
  B: {runtime: python3.12, handler: index.handler, code: {inline: x}, role: 'arn:aws:iam::123456789012:role/b'}
  C: {runtime: python3.12, handler: index.handler, code: {inline: x}, role: Shard}
)";
  auto r = compile(text);
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:7:77: error: role 'Shard' is neither an ARN nor a role under roles: (did you "
          "mean 'Shared'?) [LF3007]"});
}

TEST_CASE("Spec: code takes exactly one form", "[spec][code]") {
  auto r = compile(
      "stack: demo\nfunctions:\n  Fn:\n    runtime: python3.12\n    handler: index.h\n"
      "    code: {inline: x, s3_bucket: b, s3_key: k}\n");
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:6:11: error: code takes exactly one of: s3_bucket + s3_key, inline_file, "
          "inline, image_uri [LF3004]"});
}

TEST_CASE("Spec: stack tags reach every taggable resource, function tags win", "[spec][tags]") {
  auto r = compile("tags: {team: orders, env: dev}\n" + kMinimal +
                   "    tags: {env: prod}\n    log_retention_days: 14\n");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  Json res = to_tree(*r.tmpl)["Resources"];
  const char* expected = R"([{"Key":"env","Value":"prod"},{"Key":"team","Value":"orders"}])";
  CHECK(res["Fn"]["Properties"]["Tags"].dump() == expected);
  CHECK(res["FnRole"]["Properties"]["Tags"].dump() == expected);
  CHECK(res["FnLogGroup"]["Properties"].dump() ==
        std::string(
            R"({"LogGroupName":{"Fn::Sub":"/aws/lambda/${Fn}"},"RetentionInDays":14,"Tags":)") +
            expected + "}");
}

TEST_CASE("Spec: copies of stack tags and network lists count against max_expanded_items (F10)",
          "[spec][limits][regression]") {
  // 54 KB of stack tags and functions expanded into 1.1 GB before the limit (F10).
  auto functions = [](int n) {
    std::string t = "functions:\n";
    for (int i = 0; i < n; ++i)
      t += "  F" + std::to_string(i) +
           ":\n    runtime: python3.12\n    handler: index.handler\n    code: {inline: x}\n";
    return t;
  };
  SpecOptions o;
  o.max_expanded_items = 8;
  // 2 tags on 2 functions and their 2 generated roles: 8 copies, the limit.
  const std::string tags = "stack: demo\ntags: {a: x, b: y}\n";
  auto r = compile(tags + functions(2), o);
  CHECK(lftest::lines(r.diagnostics).empty());
  r = compile(tags + functions(3), o);
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:2:7: error: copying this into every resource that uses it takes the spec "
          "past 8 copied items (stack tags and network lists, counted per resource), above "
          "lambdaform's limit [LF0006]"});
  CHECK_FALSE(r.tmpl);
  // Network lists: 4 subnet ids named by 2 functions are 8 copies, by 3 functions 12.
  auto vpc = [&](int n) {
    std::string t =
        "stack: demo\nnetwork:\n  private_subnets: [s-1, s-2, s-3, s-4]\n"
        "  security_groups: {g: [sg-1]}\nfunctions:\n";
    for (int i = 0; i < n; ++i)
      t += "  F" + std::to_string(i) +
           ":\n    runtime: python3.12\n    handler: index.handler\n    code: {inline: x}\n"
           "    vpc: {subnets: private, security_groups: [g]}\n";
    return t;
  };
  o.max_expanded_items = 10;  // 2 x (4 subnets + 1 group)
  r = compile(vpc(2), o);
  CHECK(lftest::lines(r.diagnostics).empty());
  r = compile(vpc(3), o);
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:3:20: error: copying this into every resource that uses it takes the spec "
          "past 10 copied items (stack tags and network lists, counted per resource), above "
          "lambdaform's limit [LF0006]"});
  CHECK_FALSE(r.tmpl);
}

TEST_CASE("Spec: thousands of unknown names among thousands of functions stay cheap (F10)",
          "[spec][regression]") {
  // Each unknown invoke target was looked up linearly and compared with every function name:
  // 40,000 targets among 2,000 functions took 4 s. Lookups are indexed and did-you-mean has a
  // budget per spec, so the first names still get a hint.
  std::string text =
      "stack: demo\nfunctions:\n  Main:\n    runtime: python3.12\n"
      "    handler: index.handler\n    code: {inline: x}\n"
      "    access: {invoke_functions: [F1x";
  for (int i = 0; i < 20000; ++i) text += ", Gx" + std::to_string(i);
  text += "]}\n";
  for (int i = 0; i < 2000; ++i)
    text += "  F" + std::to_string(i) +
            ":\n    runtime: python3.12\n    handler: index.handler\n    code: {inline: x}\n";
  auto r = compile(text);
  const auto lines = lftest::lines(r.diagnostics);
  REQUIRE(lines.size() == 20001);
  CHECK(lines[0] ==
        "stack.yaml:7:33: error: invoke_functions names 'F1x', which is not a function of this "
        "spec (did you mean 'F1'?) [LF3005]");
  CHECK(lines.back().find("(did you mean") == std::string::npos);
}

TEST_CASE("Spec: properties deep-merge into the function's Properties", "[spec][override]") {
  const std::string net = "network: {private_subnets: [s-1], security_groups: {db: [sg-1]}}\n";
  auto r = compile(net + kMinimal +
                   "    vpc: {subnets: private, security_groups: [db]}\n"
                   "    properties: {VpcConfig: {Ipv6AllowedForDualStack: true}, DurableConfig: "
                   "{ExecutionTimeout: 60}}\n");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  Json p = to_tree(*r.tmpl)["Resources"]["Fn"]["Properties"];
  CHECK(p["VpcConfig"].dump() ==
        R"({"SecurityGroupIds":["sg-1"],"SubnetIds":["s-1"],"Ipv6AllowedForDualStack":true})");
  CHECK(p["DurableConfig"].dump() == R"({"ExecutionTimeout":60})");
}

TEST_CASE("Spec: --param sets a declared parameter's Default, unknown ones are LF3008",
          "[spec][params]") {
  SpecOptions o;
  o.params = {{"Stage", "prod"}, {"Nope", "x"}};
  auto r = compile("parameters: {Stage: {type: String, default: dev}}\n" + kMinimal, o);
  CHECK(lftest::lines(r.diagnostics) ==
        V{"stack.yaml:1:1: error: --param Nope names no parameter of this spec [LF3008]"});
  o.params = {{"Stage", "prod"}};
  r = compile("parameters: {Stage: {type: String, default: dev}}\n" + kMinimal, o);
  REQUIRE(r.tmpl);
  CHECK(to_tree(*r.tmpl)["Parameters"]["Stage"].dump() == R"({"Type":"String","Default":"prod"})");
}

TEST_CASE("Spec: intrinsics in short and long form, unknown tags get a did-you-mean",
          "[spec][intrinsic]") {
  auto r =
      compile(kMinimal + "    description: !Sub '${AWS::StackName} fn'\n    memory: {Ref: Mem}\n" +
              "parameters: {Mem: {type: Number}}\n");
  REQUIRE(lftest::lines(r.diagnostics).empty());
  Json p = to_tree(*r.tmpl)["Resources"]["Fn"]["Properties"];
  CHECK(p["Description"].dump() == R"({"Fn::Sub":"${AWS::StackName} fn"})");
  CHECK(p["MemorySize"].dump() == R"({"Ref":"Mem"})");
  r = compile(kMinimal + "    description: !Reff X\n");
  CHECK(
      lftest::lines(r.diagnostics) ==
      V{"stack.yaml:7:18: error: unknown intrinsic function !Reff (did you mean !Ref?) [LF3011]"});
}

TEST_CASE("Spec: YAML problems are located and refused", "[spec][yaml]") {
  CHECK(lftest::lines(compile("stack: a\nstack: b\n").diagnostics) ==
        V{"stack.yaml:2:1: error: duplicate key 'stack' (first defined at line 1) [LF0004]"});
  CHECK(lftest::lines(compile("a: &x 1\nb: *x\n").diagnostics) ==
        V{"stack.yaml:2:4: error: YAML aliases (*name) are not accepted in a spec: write the value "
          "out where it is used [LF0005]"});
  CHECK(lftest::lines(compile("stack: [\n").diagnostics).size() == 1);
  CHECK(lftest::lines(compile("").diagnostics) ==
        V{"stack.yaml:1:1: error: the spec is empty: it needs at least stack: and functions: "
          "[LF3003]"});
  CHECK(lftest::lines(compile("stack: \xff\n").diagnostics) ==
        V{"stack.yaml:1:8: error: the file is not valid UTF-8 [LF0002]"});
  CHECK(lftest::lines(compile(std::string(100, '[') + std::string(100, ']')).diagnostics) ==
        V{"stack.yaml:1:65: error: the document nests deeper than 64 levels, above lambdaform's "
          "limit [LF0006]"});
}

TEST_CASE("Spec: format_with_source shows the line and a caret", "[spec][diagnostic]") {
  Diagnostic d{Severity::error, "LF3000", "unknown key 'x'", "", SourceLocation{"s.yaml", 2, 3}};
  CHECK(format_with_source(d, "a: 1\n  x: 2\n") ==
        "s.yaml:2:3: error: unknown key 'x' [LF3000]\n    x: 2\n    ^");
}

TEST_CASE("Spec: a missing file and a directory are unreadable", "[spec]") {
  auto r = compile_spec_file("/nonexistent/stack.yaml");
  CHECK(r.unreadable);
  CHECK(lftest::lines(r.diagnostics) == V{"/nonexistent/stack.yaml:1:1: error: cannot read the "
                                          "spec: no such file or no permission [LF0009]"});
  CHECK(compile_spec_file("/tmp").unreadable);
}

TEST_CASE("Spec: a file that opens but cannot be read is unreadable (LF0009)", "[spec][file]") {
  // /proc/self/mem opens, and a read at offset 0 (never mapped) fails with EIO.
  if (!std::filesystem::exists("/proc/self/mem")) return;
  auto r = compile_spec_file("/proc/self/mem");
  CHECK(r.unreadable);
  CHECK_FALSE(r.tmpl);
  CHECK(lftest::lines(r.diagnostics) ==
        V{"/proc/self/mem:1:1: error: cannot read the spec [LF0009]"});
}

TEST_CASE("Spec: compile_spec_file reads a file at the size limit whole and refuses one byte more",
          "[spec][file]") {
  // A regular file is read in one read of its size + 1: the last byte of a spec at the limit
  // must be there (a comment padded to the limit), and a byte more must be seen.
  std::string dir = (std::filesystem::temp_directory_path() / "lf-spec-test-XXXXXX").string();
  REQUIRE(::mkdtemp(dir.data()));
  const std::string path = dir + "/stack.yaml";
  SpecOptions o;
  o.max_spec_bytes = kMinimal.size() + 40;
  const std::string at_limit = kMinimal + "#" + std::string(38, 'x') + "\n";
  REQUIRE(at_limit.size() == o.max_spec_bytes);
  std::ofstream(path, std::ios::binary) << at_limit;
  auto r = compile_spec_file(path, o);
  CHECK(lftest::lines(r.diagnostics).empty());
  CHECK(r.source == at_limit);
  CHECK(r.tmpl);
  std::ofstream(path, std::ios::binary) << at_limit << "\n";
  r = compile_spec_file(path, o);
  CHECK_FALSE(r.tmpl);
  CHECK(lftest::lines(r.diagnostics).size() == 1);
  CHECK(lftest::lines(r.diagnostics).at(0).find("[LF0006]") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("Spec: compile_spec_file reads a pipe in steps, as the same text from a file",
          "[spec][file]") {
  // Not a regular file: no size to read at once. 200 KiB through a pipe (64 KiB steps, the
  // writer blocking on a full pipe) gives the template the same text gives.
  std::string text = kMinimal;
  while (text.size() < (200u << 10)) text += "# " + std::string(98, 'p') + "\n";
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([&] {
    std::size_t at = 0;
    while (at < text.size()) {
      const ssize_t n = ::write(fds[1], text.data() + at, text.size() - at);
      if (n <= 0) break;
      at += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  const auto r = compile_spec_file("/proc/self/fd/" + std::to_string(fds[0]));
  writer.join();
  ::close(fds[0]);
  CHECK(lftest::lines(r.diagnostics).empty());
  CHECK(r.source == text);
  REQUIRE(r.tmpl);
  CHECK(r.yaml == compile(text).yaml);
}

TEST_CASE("Spec: an integer with a leading zero is refused as ambiguous", "[spec]") {
  CHECK(lftest::lines(compile(kMinimal + "    memory: 0256\n").diagnostics) ==
        V{"stack.yaml:7:13: error: 0256 is ambiguous: YAML 1.1 reads a leading 0 as octal, YAML "
          "1.2 as decimal; write the number without leading zeros [LF3002]"});
}
