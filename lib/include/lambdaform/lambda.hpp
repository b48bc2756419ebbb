#pragma once
/// \file AWS::Lambda::Function, ::Version, ::Alias and ::Permission with their property types.

#include <string>

#include "lambdaform/field.hpp"
#include "lambdaform/intrinsic.hpp"

namespace lambdaform {

/// A resource tag, `{Key, Value}`.
struct Tag {
  Prop<std::string> key;    ///< Tag key.
  Prop<std::string> value;  ///< Tag value.
  /// Properties in emission order.
  static constexpr auto fields() {
    // Keys starting with aws: are reserved for AWS.
    return std::make_tuple(
        field("Key", &Tag::key, Presence::required, pattern("^(?!aws:)[\\s\\S]*$", 1, 128)),
        field("Value", &Tag::value, Presence::required, range(0, 256)));
  }
  /// Memberwise equality.
  friend bool operator==(const Tag& a, const Tag& b) { return fields_equal(a, b); }
};

/// Where a function's code comes from: exactly one of S3 (bucket + key), ZipFile or ImageUri.
struct Code {
  Prop<std::string> s3_bucket;           ///< Bucket of the deployment package.
  Prop<std::string> s3_key;              ///< Key of the deployment package.
  Prop<std::string> s3_object_version;   ///< Object version of the package.
  Prop<std::string> zip_file;            ///< Inline source (python/nodejs only).
  Prop<std::string> image_uri;           ///< Container image URI.
  Prop<std::string> source_kms_key_arn;  ///< KMS key of the source package.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(
        field("S3Bucket", &Code::s3_bucket, Presence::optional,
              pattern("^[0-9A-Za-z\\.\\-_]*[^.]$", 3, 63)),
        field("S3Key", &Code::s3_key, Presence::optional, range(1, 1024)),
        field("S3ObjectVersion", &Code::s3_object_version, Presence::optional, range(1, 1024)),
        field("ZipFile", &Code::zip_file), field("ImageUri", &Code::image_uri),
        field("SourceKMSKeyArn", &Code::source_kms_key_arn));
  }
  /// Memberwise equality.
  friend bool operator==(const Code& a, const Code& b) { return fields_equal(a, b); }
};

/// Environment variables, emitted sorted by name.
struct Environment {
  std::optional<Value<Map<std::string>>> variables;  ///< Name → value.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(field("Variables", &Environment::variables));
  }
  /// Memberwise equality.
  friend bool operator==(const Environment& a, const Environment& b) { return fields_equal(a, b); }
};

/// The subnets and security groups a function's network interfaces use.
struct VpcConfig {
  ListProp<std::string> security_group_ids;  ///< Security groups (≤ 5).
  ListProp<std::string> subnet_ids;          ///< Subnets (≤ 16).
  Prop<bool> ipv6_allowed_for_dual_stack;    ///< Allow IPv6 on dual-stack subnets.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(
        field("SecurityGroupIds", &VpcConfig::security_group_ids, Presence::optional, range(0, 5)),
        field("SubnetIds", &VpcConfig::subnet_ids, Presence::optional, range(0, 16)),
        field("Ipv6AllowedForDualStack", &VpcConfig::ipv6_allowed_for_dual_stack));
  }
  /// Memberwise equality.
  friend bool operator==(const VpcConfig& a, const VpcConfig& b) { return fields_equal(a, b); }
};

/// X-Ray tracing mode.
struct TracingConfig {
  Prop<std::string> mode;  ///< Active or PassThrough.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(
        field("Mode", &TracingConfig::mode, Presence::optional, one_of("Active|PassThrough")));
  }
  /// Memberwise equality.
  friend bool operator==(const TracingConfig& a, const TracingConfig& b) {
    return fields_equal(a, b);
  }
};

/// Where failed asynchronous events go.
struct DeadLetterConfig {
  Prop<std::string> target_arn;  ///< SQS queue or SNS topic ARN.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(field("TargetArn", &DeadLetterConfig::target_arn, Presence::optional,
                                 pattern("^(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()$")));
  }
  /// Memberwise equality.
  friend bool operator==(const DeadLetterConfig& a, const DeadLetterConfig& b) {
    return fields_equal(a, b);
  }
};

/// Size of /tmp in MB.
struct EphemeralStorage {
  Prop<std::int64_t> size;  ///< 512–10240 MB.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(
        field("Size", &EphemeralStorage::size, Presence::required, range(512, 10240)));
  }
  /// Memberwise equality.
  friend bool operator==(const EphemeralStorage& a, const EphemeralStorage& b) {
    return fields_equal(a, b);
  }
};

/// Log format, levels and log group.
struct LoggingConfig {
  Prop<std::string> application_log_level;  ///< TRACE … FATAL (JSON format only).
  Prop<std::string> log_format;             ///< Text or JSON.
  Prop<std::string> log_group;              ///< Custom log group name.
  Prop<std::string> system_log_level;       ///< DEBUG, INFO or WARN (JSON format only).
  /// Properties in emission order.
  static constexpr auto fields() {
    using S = LoggingConfig;
    return std::make_tuple(
        field("ApplicationLogLevel", &S::application_log_level, Presence::optional,
              one_of("TRACE|DEBUG|INFO|WARN|ERROR|FATAL")),
        field("LogFormat", &S::log_format, Presence::optional, one_of("Text|JSON")),
        field("LogGroup", &S::log_group, Presence::optional,
              pattern("[\\.\\-_/#A-Za-z0-9]+", 1, 512)),
        field("SystemLogLevel", &S::system_log_level, Presence::optional,
              one_of("DEBUG|INFO|WARN")));
  }
  /// Memberwise equality.
  friend bool operator==(const LoggingConfig& a, const LoggingConfig& b) {
    return fields_equal(a, b);
  }
};

/// SnapStart on published versions.
struct SnapStart {
  Prop<std::string> apply_on;  ///< PublishedVersions or None.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(field("ApplyOn", &SnapStart::apply_on, Presence::required,
                                 one_of("PublishedVersions|None")));
  }
  /// Memberwise equality.
  friend bool operator==(const SnapStart& a, const SnapStart& b) { return fields_equal(a, b); }
};

/// An EFS access point mount.
struct FileSystemConfig {
  Prop<std::string> arn;               ///< Access point ARN.
  Prop<std::string> local_mount_path;  ///< /mnt/...
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(field("Arn", &FileSystemConfig::arn, Presence::required, range(0, 200)),
                           field("LocalMountPath", &FileSystemConfig::local_mount_path,
                                 Presence::required, pattern("^/mnt/[a-zA-Z0-9-_.]+$", 0, 160)));
  }
  /// Memberwise equality.
  friend bool operator==(const FileSystemConfig& a, const FileSystemConfig& b) {
    return fields_equal(a, b);
  }
};

/// Container image overrides.
struct ImageConfig {
  ListProp<std::string> command;        ///< CMD override.
  ListProp<std::string> entry_point;    ///< ENTRYPOINT override.
  Prop<std::string> working_directory;  ///< WORKDIR override.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(
        field("Command", &ImageConfig::command, Presence::optional, range(0, 1500)),
        field("EntryPoint", &ImageConfig::entry_point, Presence::optional, range(0, 1500)),
        field("WorkingDirectory", &ImageConfig::working_directory, Presence::optional,
              range(0, 1000)));
  }
  /// Memberwise equality.
  friend bool operator==(const ImageConfig& a, const ImageConfig& b) { return fields_equal(a, b); }
};

/// Runtime update mode.
struct RuntimeManagementConfig {
  Prop<std::string> runtime_version_arn;  ///< Pinned runtime version (Manual).
  Prop<std::string> update_runtime_on;    ///< Auto, FunctionUpdate or Manual.
  /// Properties in emission order.
  static constexpr auto fields() {
    using S = RuntimeManagementConfig;
    return std::make_tuple(field("RuntimeVersionArn", &S::runtime_version_arn),
                           field("UpdateRuntimeOn", &S::update_runtime_on, Presence::required,
                                 one_of("Auto|FunctionUpdate|Manual")));
  }
  /// Memberwise equality.
  friend bool operator==(const RuntimeManagementConfig& a, const RuntimeManagementConfig& b) {
    return fields_equal(a, b);
  }
};

/// AWS::Lambda::Function.
struct Function {
  /// CloudFormation type name.
  static constexpr std::string_view type_name = "AWS::Lambda::Function";
  /// Attributes `!GetAtt` may read, '|'-separated.
  static constexpr std::string_view attributes =
      "Arn|SnapStartResponse|SnapStartResponse.ApplyOn|SnapStartResponse.OptimizationStatus";

  Prop<std::string> function_name;                            ///< Physical name (≤ 64).
  Prop<std::string> description;                              ///< Description (≤ 256).
  Prop<std::string> package_type;                             ///< Zip or Image.
  Prop<std::string> runtime;                                  ///< python3.12, nodejs22.x, ...
  Prop<std::string> handler;                                  ///< module.function.
  std::optional<Value<Code>> code;                            ///< The code (required).
  Prop<std::string> role;                                     ///< Execution role ARN (required).
  ListProp<std::string> architectures;                        ///< x86_64 or arm64 (one).
  Prop<std::int64_t> memory_size;                             ///< 128–10240 MB.
  Prop<std::int64_t> timeout;                                 ///< 1–900 s.
  std::optional<Value<EphemeralStorage>> ephemeral_storage;   ///< /tmp size.
  std::optional<Value<Environment>> environment;              ///< Environment variables.
  std::optional<Value<VpcConfig>> vpc_config;                 ///< Subnets and security groups.
  ListProp<std::string> layers;                               ///< Layer version ARNs (≤ 5).
  std::optional<Value<TracingConfig>> tracing_config;         ///< X-Ray.
  std::optional<Value<DeadLetterConfig>> dead_letter_config;  ///< DLQ.
  std::optional<Value<LoggingConfig>> logging_config;         ///< Logging.
  std::optional<Value<SnapStart>> snap_start;                 ///< SnapStart.
  std::optional<Value<List<FileSystemConfig>>> file_system_configs;  ///< EFS mounts (≤ 1).
  Prop<std::string> kms_key_arn;                   ///< Key for environment encryption.
  std::optional<Value<ImageConfig>> image_config;  ///< Image overrides.
  std::optional<Value<RuntimeManagementConfig>> runtime_management_config;  ///< Runtime updates.
  Prop<std::string> recursive_loop;                                         ///< Allow or Terminate.
  Prop<std::string> code_signing_config_arn;          ///< Code signing config.
  Prop<std::int64_t> reserved_concurrent_executions;  ///< Reserved concurrency (≥ 0).
  std::optional<Value<List<Tag>>> tags;               ///< Tags.

  /// Properties in emission order.
  static constexpr auto fields() {
    using S = Function;
    return std::make_tuple(
        field("FunctionName", &S::function_name, Presence::optional,
              pattern("^[a-zA-Z0-9-_]+$", 1, 64)),
        field("Description", &S::description, Presence::optional, range(0, 256)),
        field("PackageType", &S::package_type, Presence::optional, one_of("Zip|Image")),
        field("Runtime", &S::runtime),
        field("Handler", &S::handler, Presence::optional, range(0, 128)),
        field("Code", &S::code, Presence::required), field("Role", &S::role, Presence::required),
        field("Architectures", &S::architectures, Presence::optional,
              Constraint{1, 1, "x86_64|arm64", {}}),
        field("MemorySize", &S::memory_size, Presence::optional, range(128, 10240)),
        field("Timeout", &S::timeout, Presence::optional, range(1, 900)),
        field("EphemeralStorage", &S::ephemeral_storage), field("Environment", &S::environment),
        field("VpcConfig", &S::vpc_config),
        field("Layers", &S::layers, Presence::optional, range(0, 5)),
        field("TracingConfig", &S::tracing_config),
        field("DeadLetterConfig", &S::dead_letter_config),
        field("LoggingConfig", &S::logging_config), field("SnapStart", &S::snap_start),
        field("FileSystemConfigs", &S::file_system_configs, Presence::optional, range(0, 1)),
        field("KmsKeyArn", &S::kms_key_arn), field("ImageConfig", &S::image_config),
        field("RuntimeManagementConfig", &S::runtime_management_config),
        field("RecursiveLoop", &S::recursive_loop, Presence::optional, one_of("Allow|Terminate")),
        field("CodeSigningConfigArn", &S::code_signing_config_arn),
        field("ReservedConcurrentExecutions", &S::reserved_concurrent_executions,
              Presence::optional, range(0, std::numeric_limits<std::int64_t>::max())),
        field("Tags", &S::tags));
  }
  /// Memberwise equality.
  friend bool operator==(const Function& a, const Function& b) { return fields_equal(a, b); }
};

/// Provisioned concurrency on a version or alias.
struct ProvisionedConcurrencyConfiguration {
  Prop<std::int64_t> provisioned_concurrent_executions;  ///< ≥ 1.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(
        field("ProvisionedConcurrentExecutions",
              &ProvisionedConcurrencyConfiguration::provisioned_concurrent_executions,
              Presence::required, range(1, std::numeric_limits<std::int64_t>::max())));
  }
  /// Memberwise equality.
  friend bool operator==(const ProvisionedConcurrencyConfiguration& a,
                         const ProvisionedConcurrencyConfiguration& b) {
    return fields_equal(a, b);
  }
};

/// Runtime update policy of a version.
struct RuntimePolicy {
  Prop<std::string> runtime_version_arn;  ///< Pinned runtime version.
  Prop<std::string> update_runtime_on;    ///< Auto, FunctionUpdate or Manual.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(field("RuntimeVersionArn", &RuntimePolicy::runtime_version_arn),
                           field("UpdateRuntimeOn", &RuntimePolicy::update_runtime_on,
                                 Presence::required, one_of("Auto|FunctionUpdate|Manual")));
  }
  /// Memberwise equality.
  friend bool operator==(const RuntimePolicy& a, const RuntimePolicy& b) {
    return fields_equal(a, b);
  }
};

/// AWS::Lambda::Version: an immutable snapshot of a function's code and configuration.
struct Version {
  /// CloudFormation type name.
  static constexpr std::string_view type_name = "AWS::Lambda::Version";
  /// Attributes `!GetAtt` may read.
  static constexpr std::string_view attributes = "Version|FunctionArn";

  Prop<std::string> function_name;  ///< The function (name or ARN).
  Prop<std::string> description;    ///< Description (≤ 256).
  Prop<std::string> code_sha256;    ///< Publish only if the code has this hash.
  std::optional<Value<ProvisionedConcurrencyConfiguration>>
      provisioned_concurrency_config;                  ///< PC.
  std::optional<Value<RuntimePolicy>> runtime_policy;  ///< Runtime updates.
  /// Properties in emission order.
  static constexpr auto fields() {
    using S = Version;
    return std::make_tuple(
        field("FunctionName", &S::function_name, Presence::required, range(1, 140)),
        field("Description", &S::description, Presence::optional, range(0, 256)),
        field("CodeSha256", &S::code_sha256),
        field("ProvisionedConcurrencyConfig", &S::provisioned_concurrency_config),
        field("RuntimePolicy", &S::runtime_policy));
  }
  /// Memberwise equality.
  friend bool operator==(const Version& a, const Version& b) { return fields_equal(a, b); }
};

/// One weighted extra version of an alias.
struct VersionWeight {
  Prop<std::string> function_version;  ///< Version number.
  Prop<double> function_weight;        ///< 0.0–1.0.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(
        field("FunctionVersion", &VersionWeight::function_version, Presence::required),
        field("FunctionWeight", &VersionWeight::function_weight, Presence::required));
  }
  /// Memberwise equality.
  friend bool operator==(const VersionWeight& a, const VersionWeight& b) {
    return fields_equal(a, b);
  }
};

/// Traffic shifting of an alias.
struct AliasRoutingConfiguration {
  std::optional<Value<List<VersionWeight>>> additional_version_weights;  ///< At most one.
  /// Properties in emission order.
  static constexpr auto fields() {
    return std::make_tuple(field("AdditionalVersionWeights",
                                 &AliasRoutingConfiguration::additional_version_weights,
                                 Presence::optional, range(0, 1)));
  }
  /// Memberwise equality.
  friend bool operator==(const AliasRoutingConfiguration& a, const AliasRoutingConfiguration& b) {
    return fields_equal(a, b);
  }
};

/// AWS::Lambda::Alias: a stable name pointing at a version.
struct Alias {
  /// CloudFormation type name.
  static constexpr std::string_view type_name = "AWS::Lambda::Alias";
  /// Attributes `!GetAtt` may read.
  static constexpr std::string_view attributes = "AliasArn";

  Prop<std::string> name;                                          ///< Alias name.
  Prop<std::string> function_name;                                 ///< The function.
  Prop<std::string> function_version;                              ///< Version number or $LATEST.
  Prop<std::string> description;                                   ///< Description (≤ 256).
  std::optional<Value<AliasRoutingConfiguration>> routing_config;  ///< Weights.
  std::optional<Value<ProvisionedConcurrencyConfiguration>>
      provisioned_concurrency_config;  ///< PC.
  /// Properties in emission order.
  static constexpr auto fields() {
    using S = Alias;
    return std::make_tuple(
        field("Name", &S::name, Presence::required,
              pattern("^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$", 1, 128)),
        field("FunctionName", &S::function_name, Presence::required, range(1, 140)),
        field("FunctionVersion", &S::function_version, Presence::required,
              pattern("^(\\$LATEST|[0-9]+)$", 1, 1024)),
        field("Description", &S::description, Presence::optional, range(0, 256)),
        field("RoutingConfig", &S::routing_config),
        field("ProvisionedConcurrencyConfig", &S::provisioned_concurrency_config));
  }
  /// Memberwise equality.
  friend bool operator==(const Alias& a, const Alias& b) { return fields_equal(a, b); }
};

/// AWS::Lambda::Permission: who may invoke a function.
struct Permission {
  /// CloudFormation type name.
  static constexpr std::string_view type_name = "AWS::Lambda::Permission";
  /// Attributes `!GetAtt` may read.
  static constexpr std::string_view attributes = "Id";

  Prop<std::string> action;                  ///< lambda:InvokeFunction, ...
  Prop<std::string> function_name;           ///< The function, version or alias.
  Prop<std::string> principal;               ///< Service, account or ARN.
  Prop<std::string> principal_org_id;        ///< Organization id.
  Prop<std::string> source_account;          ///< Account that owns the source.
  Prop<std::string> source_arn;              ///< ARN of the source.
  Prop<std::string> event_source_token;      ///< Alexa skill token.
  Prop<std::string> function_url_auth_type;  ///< AWS_IAM or NONE.
  Prop<bool> invoked_via_function_url;       ///< Restrict to invocations through the function URL.
  /// Properties in emission order.
  static constexpr auto fields() {
    using S = Permission;
    return std::make_tuple(
        field("Action", &S::action, Presence::required,
              pattern("^(lambda:[*]|lambda:[a-zA-Z]+|[*])$")),
        field("FunctionName", &S::function_name, Presence::required, range(1, 140)),
        field("Principal", &S::principal, Presence::required),
        field("PrincipalOrgID", &S::principal_org_id, Presence::optional,
              pattern("^o-[a-z0-9]{10,32}$", 12, 34)),
        field("SourceAccount", &S::source_account, Presence::optional, pattern("^\\d{12}$")),
        field("SourceArn", &S::source_arn, Presence::optional, range(12, 1024)),
        field("EventSourceToken", &S::event_source_token, Presence::optional, range(1, 256)),
        field("FunctionUrlAuthType", &S::function_url_auth_type, Presence::optional,
              one_of("AWS_IAM|NONE")),
        field("InvokedViaFunctionUrl", &S::invoked_via_function_url));
  }
  /// Memberwise equality.
  friend bool operator==(const Permission& a, const Permission& b) { return fields_equal(a, b); }
};

}  // namespace lambdaform
