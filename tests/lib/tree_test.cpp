#include <catch2/catch.hpp>

#include "support.hpp"
#include "tree.hpp"

using namespace lambdaform;

TEST_CASE("Tree: resource keys are Type, attributes, then Properties in table order", "[tree]") {
  auto s = lftest::sample();
  Function& f = s.t.get(s.fn);
  f.timeout = 30;
  f.memory_size = 256;
  f.description = "d";
  s.t.resource("Fn").attributes.depends_on = {"FnRole"};
  s.t.resource("Fn").attributes.deletion_policy = "Retain";
  Json fn = to_tree(s.t)["Resources"]["Fn"];
  std::vector<std::string> keys;
  for (auto it = fn.begin(); it != fn.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"Type", "DependsOn", "DeletionPolicy", "Properties"});
  std::vector<std::string> props;
  for (auto it = fn["Properties"].begin(); it != fn["Properties"].end(); ++it)
    props.push_back(it.key());
  CHECK(props == std::vector<std::string>{"Description", "Runtime", "Handler", "Code", "Role",
                                          "MemorySize", "Timeout"});
}

TEST_CASE("Tree: environment variables are emitted sorted by name", "[tree]") {
  auto s = lftest::sample();
  Environment env;
  env.variables = Map<std::string>{{"ZED", "1"}, {"ALPHA", ref("AWS::Region")}};
  s.t.get(s.fn).environment = env;
  CHECK(to_tree(s.t)["Resources"]["Fn"]["Properties"]["Environment"].dump() ==
        R"({"Variables":{"ALPHA":{"Ref":"AWS::Region"},"ZED":"1"}})");
}

TEST_CASE("Tree: overrides set and delete raw paths after emission", "[tree][override]") {
  auto s = lftest::sample();
  s.t.add_override("Fn", "Properties.DurableConfig.ExecutionTimeout", 60);
  s.t.add_override("Fn", "Properties.Code.ZipFile", "x = 1\n");
  s.t.add_deletion_override("Fn", "Properties.Handler");
  s.t.add_deletion_override("Fn", "Properties.Nothing.Here");
  Json p = to_tree(s.t)["Resources"]["Fn"]["Properties"];
  CHECK(p["DurableConfig"].dump() == R"({"ExecutionTimeout":60})");
  CHECK(p["Code"]["ZipFile"] == "x = 1\n");
  CHECK_FALSE(p.contains("Handler"));
  CHECK_FALSE(p.contains("Nothing"));
}

TEST_CASE("Tree: raw resources of any type", "[tree]") {
  Template t;
  t.add("Queue", RawResource{"AWS::SQS::Queue", Json{{"VisibilityTimeout", 60}}});
  CHECK(to_tree(t)["Resources"].dump() ==
        R"({"Queue":{"Type":"AWS::SQS::Queue","Properties":{"VisibilityTimeout":60}}})");
}

TEST_CASE("Tree: parameters and outputs with every field", "[tree]") {
  Template t;
  Parameter p;
  p.type = "String";
  p.description = "Stage";
  p.default_value = "dev";
  p.allowed_values = std::vector<Json>{"dev", "prod"};
  p.allowed_pattern = "[a-z]+";
  p.constraint_description = "lower case";
  p.min_length = 1;
  p.max_length = 8;
  p.no_echo = true;
  t.add_parameter("Stage", p);
  Parameter n;
  n.type = "Number";
  n.min_value = 1;
  n.max_value = 10.5;
  t.add_parameter("Count", n);
  t.add("Q", RawResource{"AWS::SQS::Queue", Json::object()});
  Output o;
  o.description = "queue";
  o.value = Value<Json>(get_att("Q", "Arn"));
  o.export_ = Export{Value<std::string>(sub("${AWS::StackName}-Queue"))};
  t.add_output("QueueArn", o);
  Json j = to_tree(t);
  CHECK(
      j["Parameters"].dump() ==
      R"({"Stage":{"Type":"String","Description":"Stage","Default":"dev","AllowedValues":["dev","prod"],)"
      R"("AllowedPattern":"[a-z]+","ConstraintDescription":"lower case","MinLength":1,"MaxLength":8,)"
      R"("NoEcho":true},"Count":{"Type":"Number","MinValue":1.0,"MaxValue":10.5}})");
  CHECK(j["Outputs"].dump() ==
        R"({"QueueArn":{"Description":"queue","Value":{"Fn::GetAtt":["Q","Arn"]},)"
        R"("Export":{"Name":{"Fn::Sub":"${AWS::StackName}-Queue"}}}})");
}

TEST_CASE("JSON: output is the same tree, indented, with a trailing newline", "[tree][json]") {
  auto s = lftest::sample();
  std::string json = render(s.t, Format::json);
  CHECK(Json::parse(json) == to_tree(s.t));
  CHECK(json.substr(0, 40) == "{\n  \"AWSTemplateFormatVersion\": \"2010-09");
  CHECK(json.back() == '\n');
}

TEST_CASE("Tree: release frees a tree bottom-up and leaves an empty container", "[tree]") {
  Json j = Json::parse(R"({"a":[1,{"b":[[],{}],"c":"s"}],"d":{"e":null}})");
  detail::release(j);
  CHECK(j == Json::object());
  Json a = Json::parse(R"([[[["deep"]]],"x"])");
  detail::release(a);
  CHECK(a == Json::array());
  Json s = "scalar";
  detail::release(s);
  CHECK(s == "scalar");
}
