// Whole templates compared byte for byte with tests/golden/*.yaml and *.json. To accept a
// deliberate change, run the tests with LAMBDAFORM_UPDATE_GOLDEN=1 and review the diff.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "support.hpp"

using namespace lambdaform;

namespace {

void golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(LAMBDAFORM_GOLDEN_DIR) + "/" + name;
  if (std::getenv("LAMBDAFORM_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  CHECK(lftest::read_file(path) == actual);
}

// Every modelled resource type with every property set.
Template kitchen_sink() {
  Template t;
  t.description = "Every modelled property, for the golden file";
  t.add_parameter("CodeBucket", lftest::param("String"));
  Parameter subnets = lftest::param("List<AWS::EC2::Subnet::Id>");
  subnets.description = "Private subnets";
  t.add_parameter("Subnets", subnets);
  Parameter host = lftest::param("AWS::SSM::Parameter::Value<String>");
  host.default_value = "/orders/db/host";
  t.add_parameter("DbHost", host);
  t.conditions["IsProd"] = equals(pseudo::stack_name(), "orders-prod");
  t.mappings = Json::parse(R"({"Memory": {"us-east-1": {"Size": 512}}})");

  Role role;
  role.role_name = "orders-ingest";
  role.description = "Ingest execution role";
  role.path = "/service/";
  role.assume_role_policy_document = lftest::lambda_trust_policy();
  role.managed_policy_arns = List<std::string>{
      sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
      sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")};
  Policy p;
  p.policy_name = "read-db-host";
  p.policy_document = Json::parse(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Action": ["ssm:GetParameter"], "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/db/host"}}]})");
  role.policies = List<Policy>{p};
  role.permissions_boundary = sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/boundary");
  role.max_session_duration = 3600;
  role.tags = List<Tag>{Tag{"team", "orders"}};
  auto r = t.add("IngestRole", role);

  Function f;
  f.function_name = "orders-ingest";
  f.description = "Reads new orders: yes, no, on, off, 0755, 12:30 stay strings";
  f.runtime = "python3.12";
  f.handler = "app.handler";
  Code code;
  code.s3_bucket = ref("CodeBucket");
  code.s3_key = "orders/ingest-0123.zip";
  code.s3_object_version = "3HL4kqtJlcpXroDTDmJ";
  f.code = code;
  f.role = get_att(r, "Arn");
  f.architectures = List<std::string>{"arm64"};
  f.memory_size = find_in_map("Memory", pseudo::region(), "Size");
  f.timeout = 30;
  f.ephemeral_storage = EphemeralStorage{1024};
  Environment env;
  env.variables = Map<std::string>{{"DB_HOST", ref("DbHost")}, {"MODE", "no"}, {"UMASK", "0755"}};
  f.environment = env;
  VpcConfig vpc;
  vpc.subnet_ids = ref("Subnets");
  vpc.security_group_ids = List<std::string>{"sg-0a1b2c3d4e5f60001", "sg-0a1b2c3d4e5f60002"};
  vpc.ipv6_allowed_for_dual_stack = false;
  f.vpc_config = vpc;
  f.layers = List<std::string>{
      sub("arn:${AWS::Partition}:lambda:${AWS::Region}:123456789012:layer:common:4")};
  f.tracing_config = TracingConfig{"Active"};
  f.dead_letter_config =
      DeadLetterConfig{sub("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:dlq")};
  LoggingConfig lc;
  lc.log_format = "JSON";
  lc.application_log_level = "INFO";
  lc.system_log_level = "WARN";
  f.logging_config = lc;
  f.snap_start = SnapStart{"PublishedVersions"};
  f.kms_key_arn =
      sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/"
          "1234abcd-12ab-34cd-56ef-1234567890ab");
  RuntimeManagementConfig rmc;
  rmc.update_runtime_on = "Auto";
  f.runtime_management_config = rmc;
  f.recursive_loop = "Terminate";
  f.reserved_concurrent_executions = if_("IsProd", 50, pseudo::no_value());
  f.tags = List<Tag>{Tag{"team", "orders"}, Tag{"cost-center", "0042"}};
  auto fn = t.add("Ingest", f);

  Function inline_fn;
  inline_fn.runtime = "nodejs22.x";
  inline_fn.handler = "index.handler";
  Code inline_code;
  inline_code.zip_file =
      "exports.handler = async (event) => {\n  return { ok: true, note: 'it''s fine: yes' };\n};\n";
  inline_fn.code = inline_code;
  inline_fn.role = get_att(r, "Arn");
  t.add("Hello", inline_fn);

  Version v;
  v.function_name = ref(fn);
  v.description = "v1";
  RuntimePolicy rp;
  rp.update_runtime_on = "Auto";
  v.runtime_policy = rp;
  ResourceAttributes keep;
  keep.deletion_policy = "Retain";
  keep.update_replace_policy = "Retain";
  auto v1 = t.add("IngestVersion1", v, keep);

  Version v2;
  v2.function_name = ref(fn);
  v2.provisioned_concurrency_config = ProvisionedConcurrencyConfiguration{2};
  auto v2h = t.add("IngestVersion2", v2, keep);

  Alias live;
  live.name = "live";
  live.description = "90% v1, 10% v2";
  live.function_name = ref(fn);
  live.function_version = get_att(v1, "Version");
  AliasRoutingConfiguration rc;
  rc.additional_version_weights = List<VersionWeight>{VersionWeight{get_att(v2h, "Version"), 0.1}};
  live.routing_config = rc;
  t.add("IngestLive", live);

  Alias busy;
  busy.name = "busy";
  busy.function_name = ref(fn);
  busy.function_version = get_att(v2h, "Version");
  busy.provisioned_concurrency_config = ProvisionedConcurrencyConfiguration{5};
  t.add("IngestBusy", busy);

  Permission perm;
  perm.action = "lambda:InvokeFunction";
  perm.function_name = ref(fn);
  perm.principal = "events.amazonaws.com";
  perm.source_arn =
      sub("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/orders");
  perm.source_account = ref("AWS::AccountId");
  t.add("IngestInvokeFromEvents", perm);

  LogGroup g;
  g.log_group_name = sub("/aws/lambda/${Ingest}");
  g.retention_in_days = 30;
  g.log_group_class = "STANDARD";
  t.add("IngestLogGroup", g);

  Output o;
  o.description = "Ingest ARN";
  o.value = Value<Json>(get_att(fn, "Arn"));
  o.export_ = Export{sub("${AWS::StackName}-IngestArn")};
  t.add_output("IngestArn", o);
  return t;
}

}  // namespace

TEST_CASE("Golden: the README library example's template", "[golden]") {
  auto s = lftest::sample();
  CHECK(lftest::check(s.t).empty());
  golden("sample.yaml", render(s.t));
  golden("sample.json", render(s.t, Format::json));
}

TEST_CASE("Golden: every modelled resource and property", "[golden]") {
  Template t = kitchen_sink();
  CHECK(lftest::check(t).empty());
  golden("kitchen_sink.yaml", render(t));
  golden("kitchen_sink.json", render(t, Format::json));
}
