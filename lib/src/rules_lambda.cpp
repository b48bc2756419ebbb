#include <array>
#include <string_view>

#include <fmt/format.h>

#include "rules.hpp"

namespace lambdaform::detail {

namespace {

struct RuntimeLifecycle {
  std::string_view runtime, deprecated, create_block, successor;
};

// From the Lambda runtime deprecation policy (as cfn-lint 1.51 ships it), dated: when a runtime
// is deprecated and from when functions can no longer be created with it.
constexpr std::array<RuntimeLifecycle, 40> kRuntimes = {{
    {"dotnet6", "2024-12-20", "2026-06-01", "dotnet9"},
    {"dotnet8", "2026-11-10", "2026-12-10", "dotnet9"},
    {"dotnetcore1.0", "2019-06-27", "2019-06-30", "dotnet9"},
    {"dotnetcore2.0", "2019-05-30", "2019-04-30", "dotnet9"},
    {"dotnetcore2.1", "2022-01-05", "2022-01-05", "dotnet9"},
    {"dotnetcore3.1", "2023-04-03", "2023-04-03", "dotnet9"},
    {"go1.x", "2024-01-08", "2024-02-08", "provided.al2023"},
    {"java11", "2026-06-30", "2026-07-31", "java25"},
    {"java17", "2026-06-30", "2026-07-31", "java25"},
    {"java21", "2029-06-30", "2029-07-31", "java25"},
    {"java8", "2024-01-08", "2024-02-08", "java25"},
    {"java8.al2", "2026-06-30", "2026-07-31", "java25"},
    {"nodejs", "2016-08-30", "2016-09-30", "nodejs24.x"},
    {"nodejs10.x", "2021-07-30", "2021-07-30", "nodejs24.x"},
    {"nodejs12.x", "2023-03-31", "2023-03-31", "nodejs24.x"},
    {"nodejs14.x", "2023-12-04", "2024-01-09", "nodejs24.x"},
    {"nodejs16.x", "2024-06-12", "2026-06-01", "nodejs24.x"},
    {"nodejs18.x", "2025-09-01", "2026-06-01", "nodejs24.x"},
    {"nodejs20.x", "2026-04-30", "2026-06-01", "nodejs24.x"},
    {"nodejs22.x", "2027-04-30", "2027-06-01", "nodejs24.x"},
    {"nodejs24.x", "2028-04-30", "2028-06-01", ""},
    {"nodejs4.3", "2020-03-05", "2020-02-03", "nodejs24.x"},
    {"nodejs4.3-edge", "2020-03-05", "2019-03-31", "nodejs24.x"},
    {"nodejs6.10", "2019-08-12", "2019-07-12", "nodejs24.x"},
    {"nodejs8.10", "2020-03-06", "2020-02-04", "nodejs24.x"},
    {"provided", "2024-01-08", "2024-02-08", "provided.al2023"},
    {"provided.al2", "2026-06-30", "2026-07-31", "provided.al2023"},
    {"python2.7", "2021-07-15", "2021-07-15", "python3.14"},
    {"python3.10", "2026-06-30", "2026-07-31", "python3.14"},
    {"python3.11", "2026-06-30", "2026-07-31", "python3.14"},
    {"python3.12", "2028-10-31", "2028-11-30", "python3.14"},
    {"python3.13", "2029-06-30", "2029-07-31", "python3.14"},
    {"python3.6", "2022-07-18", "2022-07-18", "python3.14"},
    {"python3.7", "2023-12-04", "2024-01-09", "python3.14"},
    {"python3.8", "2024-10-14", "2026-06-01", "python3.14"},
    {"python3.9", "2025-12-15", "2026-06-01", "python3.14"},
    {"ruby2.5", "2021-07-30", "2021-07-30", "ruby3.4"},
    {"ruby2.7", "2023-12-07", "2024-01-09", "ruby3.4"},
    {"ruby3.2", "2026-03-31", "2026-06-01", "ruby3.4"},
    {"ruby3.3", "2027-03-31", "2027-04-30", "ruby3.4"},
}};

constexpr std::array<std::string_view, 18> kReservedVariables = {
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
};

constexpr std::size_t kEnvironmentLimit = 4096;         // bytes of names + values
constexpr std::size_t kZipFileLimit = 4 * 1024 * 1024;  // inline source

template <class T>
const T* lit(const std::optional<Value<T>>& p) {
  return p ? p->literal() : nullptr;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

void check_code(const Function& f, const std::string& path, Sink& sink) {
  const Code* code = lit(f.code);
  if (!code) return;
  const std::string cp = path + "/Code";
  const bool s3 = code->s3_bucket || code->s3_key;
  const int kinds = int{s3} + int{code->zip_file.has_value()} + int{code->image_uri.has_value()};
  if (kinds == 0)
    sink.error("E3014", cp, "Code needs exactly one of S3Bucket with S3Key, ZipFile or ImageUri");
  else if (kinds > 1)
    sink.error("E3014", cp,
               "Code has more than one of S3Bucket/S3Key, ZipFile and ImageUri; keep exactly one");
  if (code->s3_bucket && !code->s3_key) sink.error("E3003", cp, "Code.S3Bucket needs Code.S3Key");
  if (code->s3_key && !code->s3_bucket) sink.error("E3003", cp, "Code.S3Key needs Code.S3Bucket");
  if (code->s3_object_version && !s3)
    sink.error("E3003", cp, "Code.S3ObjectVersion needs Code.S3Bucket and Code.S3Key");

  const std::string* package = lit(f.package_type);
  const bool image = package && *package == "Image";
  if (image) {
    if (!code->image_uri) sink.error("E3003", cp, "PackageType Image needs Code.ImageUri");
    for (auto [set, name] :
         {std::pair{f.runtime.has_value(), "Runtime"}, std::pair{f.handler.has_value(), "Handler"},
          std::pair{f.layers.has_value(), "Layers"}})
      if (set)
        sink.error(
            "E3685", path + "/" + name,
            fmt::format("{} is not allowed for a container image function (PackageType Image)",
                        name));
  } else if (code->image_uri) {
    sink.error("E3003", path, "Code.ImageUri needs PackageType: Image");
  } else if (!code->image_uri) {
    if (!f.runtime)
      sink.error("E3003", path, "required property Runtime is missing (a Zip package needs it)");
    if (!f.handler)
      sink.error("E3003", path, "required property Handler is missing (a Zip package needs it)");
  }

  if (!code->zip_file) return;
  const std::string zp = cp + "/ZipFile";
  if (const std::string* runtime = lit(f.runtime)) {
    if (!starts_with(*runtime, "python") && !starts_with(*runtime, "nodejs"))
      sink.error(
          "E3677", zp,
          fmt::format("inline ZipFile code needs a python or nodejs runtime, not {}", *runtime));
  } else if (!f.runtime) {
    sink.error("E3678", zp, "inline ZipFile code needs a Runtime");
  }
  if (const std::string* handler = lit(f.handler); handler && !starts_with(*handler, "index."))
    sink.error(
        "LF2001", path + "/Handler",
        fmt::format("Handler '{}' cannot work with inline ZipFile code, which Lambda stores as "
                    "index.py or index.js: use index.<function>",
                    *handler));
  if (const std::string* zip = code->zip_file->literal(); zip && zip->size() > kZipFileLimit)
    sink.error("LF2002", zp,
               fmt::format("inline ZipFile code is {} bytes, above Lambda's limit of {} bytes; "
                           "ship it as an S3 package instead",
                           zip->size(), kZipFileLimit));
}

void check_runtime(const Function& f, const std::string& path, const RuleContext& ctx, Sink& sink) {
  const std::string* runtime = lit(f.runtime);
  if (!runtime) return;
  for (const auto& r : kRuntimes) {
    if (r.runtime != *runtime) continue;
    std::string use = r.successor.empty() ? "" : fmt::format("; use {}", r.successor);
    if (ctx.today >= r.create_block)
      sink.error("E2531", path + "/Runtime",
                 fmt::format("runtime {} is deprecated since {} and Lambda refuses to create "
                             "functions with it since {}{}",
                             *runtime, r.deprecated, r.create_block, use));
    else if (ctx.today >= r.deprecated)
      sink.warning("W2531", path + "/Runtime",
                   fmt::format("runtime {} is deprecated since {}; creating functions with it is "
                               "refused from {}{}",
                               *runtime, r.deprecated, r.create_block, use));
    return;
  }
}

void check_environment(const Function& f, const std::string& path, Sink& sink) {
  const Environment* env = lit(f.environment);
  if (!env) return;
  const Map<std::string>* vars = lit(env->variables);
  if (!vars) return;
  const std::string vp = path + "/Environment/Variables";
  std::size_t size = 0;
  for (const auto& entry : *vars) {
    // Named references, not a structured binding: C++17 (and clang 14) lets no lambda capture one.
    const std::string& name = entry.first;
    const Value<std::string>& value = entry.second;
    auto np = [&] { return vp + "/" + pointer_token(name); };  // only for a finding
    if (!matches_pattern(sink, "[a-zA-Z][a-zA-Z0-9_]+", name))
      sink.error("E3031", np(),
                 fmt::format("environment variable name '{}' must start with a letter, have at "
                             "least 2 characters and use only letters, digits and _",
                             name));
    for (auto reserved : kReservedVariables)
      if (reserved == name)
        sink.error("E3663", np(),
                   fmt::format("environment variable name {} is reserved by Lambda", name));
    size += name.size();
    if (const std::string* v = value.literal()) size += v->size();
  }
  // Only literal values are counted; an intrinsic's size is unknown until deploy.
  if (size > kEnvironmentLimit)
    sink.error("E3697", vp,
               fmt::format("environment variables take {} bytes, above Lambda's limit of {} bytes",
                           size, kEnvironmentLimit));
}

void check_logging(const Function& f, const std::string& path, Sink& sink) {
  const LoggingConfig* lc = lit(f.logging_config);
  if (!lc) return;
  const std::string* format = lit(lc->log_format);
  const bool text = !lc->log_format || (format && *format == "Text");
  if (!text) return;
  for (auto [set, name] : {std::pair{lc->application_log_level.has_value(), "ApplicationLogLevel"},
                           std::pair{lc->system_log_level.has_value(), "SystemLogLevel"}})
    if (set)
      sink.error("E3696", path + "/LoggingConfig/" + name,
                 fmt::format("{} needs LoggingConfig.LogFormat JSON", name));
}

void check_role(const Function& f, const std::string& path, Sink& sink) {
  const std::string* role = lit(f.role);
  if (!role) return;
  if (!matches_pattern(sink, "^arn:aws[a-zA-Z-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$",
                       *role))
    sink.error(
        "E1156", path + "/Role",
        fmt::format("Role '{}' is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME); "
                    "use !GetAtt <Role>.Arn for a role in this template",
                    *role));
}

}  // namespace

void check_rules(const Function& f, const std::string& path, const RuleContext& ctx, Sink& sink) {
  check_code(f, path, sink);
  check_runtime(f, path, ctx, sink);
  check_environment(f, path, sink);
  check_logging(f, path, sink);
  check_role(f, path, sink);
}

void check_rules(const Version&, const std::string&, const RuleContext&, Sink&) {}

void check_rules(const Alias& a, const std::string& path, const RuleContext&, Sink& sink) {
  const AliasRoutingConfiguration* routing = lit(a.routing_config);
  const List<VersionWeight>* weights = routing ? lit(routing->additional_version_weights) : nullptr;
  if (weights) {
    const std::string* primary = lit(a.function_version);
    for (std::size_t i = 0; i < weights->size(); ++i) {
      const VersionWeight* w = (*weights)[i].literal();
      if (!w) continue;
      const std::string wp = path + "/RoutingConfig/AdditionalVersionWeights/" + std::to_string(i);
      if (const double* weight = lit(w->function_weight);
          weight && !(*weight >= 0.0 && *weight <= 1.0))
        sink.error("E3034", wp + "/FunctionWeight",
                   fmt::format("FunctionWeight {} is outside 0.0–1.0", *weight));
      if (const std::string* v = lit(w->function_version); v && primary && *v == *primary)
        sink.error("LF2003", wp + "/FunctionVersion",
                   fmt::format("the additional version {} is the alias's own version; "
                               "route to a different version or drop the weight",
                               *v));
    }
  }
  if (weights && !weights->empty() && a.provisioned_concurrency_config)
    sink.error("LF2004", path + "/ProvisionedConcurrencyConfig",
               "an alias with RoutingConfig weights cannot also have provisioned concurrency: "
               "CloudFormation fails the next update (\"Alias with weights can not be used with "
               "Provisioned Concurrency\")");
}

void check_rules(const Permission&, const std::string&, const RuleContext&, Sink&) {}

}  // namespace lambdaform::detail
