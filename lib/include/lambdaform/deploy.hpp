#pragma once
/// \file The exact `aws cloudformation deploy` command for a rendered template: capabilities
/// inferred from the template, POSIX-shell-safe quoting, stack tags, the S3 bucket a large
/// template needs.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lambdaform/diagnostic.hpp"
#include "lambdaform/json.hpp"

namespace lambdaform {

/// Largest template `aws cloudformation deploy` sends inline (TemplateBody); above it the
/// template must be uploaded to S3 (`--s3-bucket`).
inline constexpr std::size_t kInlineTemplateBytes = 51200;
/// Largest template CloudFormation accepts at all, from S3 (E1002).
inline constexpr std::size_t kMaxTemplateBytes = 1000000;

/// The capabilities CloudFormation requires to deploy `tree`, in this order:
///  - CAPABILITY_IAM when it creates IAM resources (AWS::IAM::AccessKey, Group,
///    InstanceProfile, ManagedPolicy, Policy, Role, User, UserToGroupAddition, RolePolicy,
///    GroupPolicy, UserPolicy), unless CAPABILITY_NAMED_IAM is required, which includes it;
///  - CAPABILITY_NAMED_IAM when any of those has an explicit name (RoleName, UserName,
///    GroupName, ManagedPolicyName, InstanceProfileName);
///  - CAPABILITY_AUTO_EXPAND when the template has a `Transform` (top-level or Fn::Transform)
///    or nested stacks (AWS::CloudFormation::Stack, AWS::Serverless::Application).
/// Empty when none is needed.
std::vector<std::string> required_capabilities(const Json& tree);

/// `s` as one POSIX shell word: unchanged when it is non-empty and only has characters from
/// `[A-Za-z0-9_@%+=:,./-]`, otherwise in single quotes with each `'` written as `'\''`.
std::string shell_quote(std::string_view s);

/// The words of `argv`, each shell_quote()d, joined by spaces.
std::string shell_join(const std::vector<std::string>& argv);

/// What the deploy command is built from.
struct DeployInput {
  /// The template file to deploy, as it should appear in the command.
  std::string template_file;
  /// Its size in bytes (decides `--s3-bucket`).
  std::size_t template_bytes = 0;
  /// The stack name (`stack:` of the spec).
  std::string stack_name;
  /// `--parameter-overrides`, in this order.
  std::vector<std::pair<std::string, std::string>> parameters;
  /// Stack-level `--tags`, in this order.
  std::vector<std::pair<std::string, std::string>> tags;
  /// `--s3-bucket`; when empty and the template is over kInlineTemplateBytes the command gets
  /// the placeholder kS3BucketPlaceholder.
  std::optional<std::string> s3_bucket;
  /// `--s3-prefix` (only with a bucket).
  std::optional<std::string> s3_prefix;
};

/// The environment variable the `--s3-bucket` placeholder names.
inline constexpr std::string_view kS3BucketVariable = "S3_BUCKET";
/// The placeholder argv element: a caller substitutes it; the shell form expands it, and stops
/// with an explanation when the variable is unset.
inline constexpr std::string_view kS3BucketPlaceholder = "${S3_BUCKET}";

/// The command.
struct DeployCommand {
  /// `aws cloudformation deploy ...`, one element per word, unquoted.
  std::vector<std::string> argv;
  /// Index in argv of the `--s3-bucket` placeholder, if the command has one.
  std::optional<std::size_t> placeholder;
  /// The capabilities acknowledged.
  std::vector<std::string> capabilities;
  /// Findings: LF1002 (warning) the template needs an S3 bucket, E1002 (error) the template is
  /// too large to deploy at all.
  Diagnostics diagnostics;
  /// False when an error means there is no command to run.
  bool ok() const noexcept { return !has_errors(diagnostics); }
  /// The command for a POSIX shell: every word shell_quote()d, except the placeholder, which is
  /// written `"${S3_BUCKET:?...}"` so the shell refuses to run it without a bucket.
  std::string shell() const;
};

/// Builds `aws cloudformation deploy --template-file F --stack-name S [--s3-bucket B
/// [--s3-prefix P]] [--capabilities C ...] [--parameter-overrides K=V ...] [--tags K=V ...]
/// --no-fail-on-empty-changeset` for the rendered template `tree`.
DeployCommand deploy_command(const Json& tree, const DeployInput& input);

/// The spec's stack-level `tags:` with literal values, for `--tags`. A value that is an
/// intrinsic is resolved when it can be from the rendered template: `!Ref` of a parameter with a
/// Default (a `--param` value is the Default), `!Ref AWS::StackName`, or a `!Sub` of those;
/// anything else is an LF7101 error located in the spec. YAML problems go to `diagnostics`.
std::vector<std::pair<std::string, std::string>> stack_tags(std::string_view spec_text,
                                                            const std::string& spec_path,
                                                            const Json& tree,
                                                            const std::string& stack_name,
                                                            Diagnostics& diagnostics);

/// A scalar intrinsic resolved against the template's parameter Defaults and the stack name
/// (`Ref`, `Fn::Sub` without a variable map); std::nullopt when it cannot be resolved locally.
std::optional<std::string> resolve_locally(const Json& value, const Json& tree,
                                           const std::string& stack_name);

}  // namespace lambdaform
