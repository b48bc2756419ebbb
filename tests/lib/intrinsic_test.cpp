#include <catch2/catch.hpp>

#include "support.hpp"

using namespace lambdaform;

TEST_CASE("Intrinsic: helpers build CloudFormation's long form", "[intrinsic]") {
  CHECK(ref("X").to_json().dump() == R"({"Ref":"X"})");
  CHECK(get_att("Fn", "Arn").to_json().dump() == R"({"Fn::GetAtt":["Fn","Arn"]})");
  CHECK(sub("a-${AWS::Region}").to_json().dump() == R"({"Fn::Sub":"a-${AWS::Region}"})");
  CHECK(sub("${A}", {{"A", ref("B")}}).to_json().dump() ==
        R"({"Fn::Sub":["${A}",{"A":{"Ref":"B"}}]})");
  CHECK(join(",", {"a", ref("B")}).to_json().dump() == R"({"Fn::Join":[",",["a",{"Ref":"B"}]]})");
  CHECK(select(0, get_azs()).to_json().dump() == R"({"Fn::Select":[0,{"Fn::GetAZs":""}]})");
  CHECK(split(",", ref("L")).to_json().dump() == R"({"Fn::Split":[",",{"Ref":"L"}]})");
  CHECK(if_("IsProd", 512, pseudo::no_value()).to_json().dump() ==
        R"({"Fn::If":["IsProd",512,{"Ref":"AWS::NoValue"}]})");
  CHECK(equals(ref("Stage"), "prod").to_json().dump() ==
        R"({"Fn::Equals":[{"Ref":"Stage"},"prod"]})");
  CHECK(not_(condition("A")).to_json().dump() == R"({"Fn::Not":[{"Condition":"A"}]})");
  CHECK(and_({condition("A"), condition("B")}).to_json().dump() ==
        R"({"Fn::And":[{"Condition":"A"},{"Condition":"B"}]})");
  CHECK(or_({condition("A"), condition("B")}).to_json().dump() ==
        R"({"Fn::Or":[{"Condition":"A"},{"Condition":"B"}]})");
  CHECK(find_in_map("M", ref("AWS::Region"), "Ami").to_json().dump() ==
        R"({"Fn::FindInMap":["M",{"Ref":"AWS::Region"},"Ami"]})");
  CHECK(import_value("net-SubnetA").to_json().dump() == R"({"Fn::ImportValue":"net-SubnetA"})");
  CHECK(base64(sub("x")).to_json().dump() == R"({"Fn::Base64":{"Fn::Sub":"x"}})");
  CHECK(cidr("10.0.0.0/16", 4, 8).to_json().dump() == R"({"Fn::Cidr":["10.0.0.0/16",4,8]})");
}

TEST_CASE("Intrinsic: pseudo parameters are Refs", "[intrinsic]") {
  CHECK(pseudo::account_id() == ref("AWS::AccountId"));
  CHECK(pseudo::notification_arns() == ref("AWS::NotificationARNs"));
  CHECK(pseudo::partition() == ref("AWS::Partition"));
  CHECK(pseudo::region() == ref("AWS::Region"));
  CHECK(pseudo::stack_id() == ref("AWS::StackId"));
  CHECK(pseudo::stack_name() == ref("AWS::StackName"));
  CHECK(pseudo::url_suffix() == ref("AWS::URLSuffix"));
  CHECK(is_pseudo_parameter("AWS::NoValue"));
  CHECK_FALSE(is_pseudo_parameter("AWS::Nothing"));
}

TEST_CASE("Intrinsic: from_json recognises only intrinsic keys", "[intrinsic]") {
  CHECK(Intrinsic::from_json(Json::parse(R"({"Ref":"X"})")) == ref("X"));
  CHECK(Intrinsic::from_json(Json::parse(R"({"Condition":"C"})")) == condition("C"));
  CHECK_FALSE(Intrinsic::from_json(Json::parse(R"({"Name":"X"})")));
  CHECK_FALSE(Intrinsic::from_json(Json::parse(R"({"Ref":"X","B":1})")));
}

TEST_CASE("Value: every property type takes an intrinsic as well as a literal", "[intrinsic]") {
  Function f;
  f.memory_size = 256;
  CHECK(*f.memory_size->literal() == 256);
  f.memory_size = ref("Memory");
  CHECK(f.memory_size->intrinsic()->function() == "Ref");
  f.vpc_config = VpcConfig{};
  f.vpc_config->literal()->subnet_ids = ref("Subnets");
  f.vpc_config->literal()->ipv6_allowed_for_dual_stack = if_("V6", true, false);
  f.architectures = List<std::string>{"arm64"};
  f.layers = List<std::string>{ref("LayerArn"), "arn:aws:lambda:us-east-1:123456789012:layer:x:1"};
  f.tracing_config = ref("Tracing");
  CHECK(f.tracing_config->intrinsic() != nullptr);
  Function g = f;
  CHECK(g == f);
  g.memory_size = 512;
  CHECK_FALSE(g == f);
}

TEST_CASE("Handle: ref and get_att need no hand-typed logical id", "[intrinsic][template]") {
  auto s = lftest::sample();
  CHECK(ref(s.fn) == ref("Fn"));
  CHECK(get_att(s.role, "Arn") == get_att("FnRole", "Arn"));
  s.t.get(s.fn).timeout = 30;
  CHECK(*s.t.get(s.fn).timeout->literal() == 30);
}

TEST_CASE("Intrinsic: one pointer wide; copies are equal, a moved-from one reads as an empty call",
          "[intrinsic]") {
  // Intrinsic and large literals are held behind a pointer so that Value<T> stays small.
  static_assert(sizeof(Intrinsic) == sizeof(void*));
  static_assert(sizeof(Value<Code>) <= 3 * sizeof(void*));
  Intrinsic a = sub("${AWS::Region}-x");
  Intrinsic b = a;
  CHECK(b == a);
  CHECK(&b.args() != &a.args());  // a copy, not shared
  Intrinsic c = std::move(b);
  CHECK(c == a);
  CHECK(b.function().empty());  // NOLINT(bugprone-use-after-move): the documented state
  CHECK(b.args().is_null());
  CHECK(b != a);
  b = c;  // a moved-from Intrinsic can be assigned again
  CHECK(b == a);
  CHECK(Intrinsic("Fn::Sub", "${AWS::Region}-x") == a);
  CHECK(Intrinsic("Fn::Sub", "${AWS::Region}-y") != a);
}

TEST_CASE("Value: a sub-structure literal is copied deeply and reads as default after a move",
          "[intrinsic]") {
  Code code;
  code.s3_bucket = "bucket";
  code.s3_key = "key.zip";
  Value<Code> v = code;
  Value<Code> w = v;
  REQUIRE(w.literal() != nullptr);
  CHECK(w == v);
  w.literal()->s3_key = "other.zip";  // the copy is independent
  CHECK(*v.literal()->s3_key->literal() == "key.zip");
  CHECK(w != v);
  Value<Code> moved = std::move(w);
  CHECK(*moved.literal()->s3_key->literal() == "other.zip");
  REQUIRE(w.literal() != nullptr);  // NOLINT(bugprone-use-after-move): still a literal
  CHECK(*w.literal() == Code{});
  w = v;
  CHECK(w == v);
  Value<Code> i = ref("CodeParam");
  CHECK(i.literal() == nullptr);
  CHECK(i.intrinsic() != nullptr);
}
