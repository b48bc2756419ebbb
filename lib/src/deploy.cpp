#include "lambdaform/deploy.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "yaml_loader.hpp"

namespace lambdaform {

namespace {

const Json& resources_of(const Json& tree) {
  static const Json kEmpty = Json::object();
  return tree.is_object() && tree.contains("Resources") && tree["Resources"].is_object()
             ? tree["Resources"]
             : kEmpty;
}

// True when Fn::Transform appears anywhere in `j`.
bool has_fn_transform(const Json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() == "Fn::Transform" || has_fn_transform(it.value())) return true;
  } else if (j.is_array()) {
    for (const auto& x : j)
      if (has_fn_transform(x)) return true;
  }
  return false;
}

std::string thousands(std::size_t n) {
  std::string s = std::to_string(n), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> required_capabilities(const Json& tree) {
  // Resource types whose creation needs CAPABILITY_IAM, with the property that names them
  // explicitly (and then needs CAPABILITY_NAMED_IAM), "" when the type has no name property.
  static const std::map<std::string, std::string> kIam = {
      {"AWS::IAM::AccessKey", ""},
      {"AWS::IAM::Group", "GroupName"},
      {"AWS::IAM::InstanceProfile", "InstanceProfileName"},
      {"AWS::IAM::ManagedPolicy", "ManagedPolicyName"},
      {"AWS::IAM::Policy", ""},
      {"AWS::IAM::Role", "RoleName"},
      {"AWS::IAM::User", "UserName"},
      {"AWS::IAM::UserToGroupAddition", ""},
      {"AWS::IAM::RolePolicy", ""},
      {"AWS::IAM::GroupPolicy", ""},
      {"AWS::IAM::UserPolicy", ""}};
  static const std::set<std::string> kNested = {"AWS::CloudFormation::Stack",
                                                "AWS::Serverless::Application"};
  bool iam = false, named = false, expand = false;
  if (tree.is_object() && tree.contains("Transform")) expand = true;
  if (has_fn_transform(tree)) expand = true;
  const Json& rs = resources_of(tree);
  for (auto it = rs.begin(); it != rs.end(); ++it) {
    const Json& r = it.value();
    if (!r.is_object() || !r.contains("Type") || !r["Type"].is_string()) continue;
    const std::string type = r["Type"].get<std::string>();
    if (kNested.count(type)) expand = true;
    auto iam_it = kIam.find(type);
    if (iam_it == kIam.end()) continue;
    iam = true;
    if (!iam_it->second.empty() && r.contains("Properties") && r["Properties"].is_object() &&
        r["Properties"].contains(iam_it->second))
      named = true;
  }
  std::vector<std::string> out;
  if (named)
    out.emplace_back("CAPABILITY_NAMED_IAM");
  else if (iam)
    out.emplace_back("CAPABILITY_IAM");
  if (expand) out.emplace_back("CAPABILITY_AUTO_EXPAND");
  return out;
}

std::string shell_quote(std::string_view s) {
  auto safe = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
  };
  if (!s.empty() && std::all_of(s.begin(), s.end(), safe)) return std::string(s);
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += shell_quote(a);
  }
  return out;
}

std::string DeployCommand::shell() const {
  std::string out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (i) out += ' ';
    if (placeholder && *placeholder == i)
      out += fmt::format(
          "\"${{{}:?set {} to an S3 bucket: the template is over {} bytes, so aws "
          "cloudformation deploy must upload it to S3}}\"",
          kS3BucketVariable, kS3BucketVariable, thousands(kInlineTemplateBytes));
    else
      out += shell_quote(argv[i]);
  }
  return out;
}

DeployCommand deploy_command(const Json& tree, const DeployInput& in) {
  DeployCommand c;
  if (in.template_bytes > kMaxTemplateBytes) {
    c.diagnostics.push_back(Diagnostic{
        Severity::error, "E1002",
        fmt::format(
            "the template is {} bytes, over CloudFormation's limit of {} bytes even from S3; "
            "split the stack (nested stacks) or move code out of inline ZipFile",
            thousands(in.template_bytes), thousands(kMaxTemplateBytes)),
        "", std::nullopt});
    return c;
  }
  c.argv = {"aws",          "cloudformation", "deploy", "--template-file", in.template_file,
            "--stack-name", in.stack_name};
  if (in.s3_bucket && !in.s3_bucket->empty()) {
    c.argv.insert(c.argv.end(), {"--s3-bucket", *in.s3_bucket});
    if (in.s3_prefix && !in.s3_prefix->empty())
      c.argv.insert(c.argv.end(), {"--s3-prefix", *in.s3_prefix});
  } else if (in.template_bytes > kInlineTemplateBytes) {
    c.argv.emplace_back("--s3-bucket");
    c.placeholder = c.argv.size();
    c.argv.emplace_back(kS3BucketPlaceholder);
    c.diagnostics.push_back(Diagnostic{
        Severity::warning, "LF1002",
        fmt::format(
            "the template is {} bytes, over the {} bytes aws cloudformation deploy can send "
            "inline: it must upload it to an S3 bucket first; pass --s3-bucket, or set {} in the "
            "shell that runs the command ({} in the argv is a placeholder to replace)",
            thousands(in.template_bytes), thousands(kInlineTemplateBytes), kS3BucketVariable,
            kS3BucketPlaceholder),
        "", std::nullopt});
  }
  c.capabilities = required_capabilities(tree);
  if (!c.capabilities.empty()) {
    c.argv.emplace_back("--capabilities");
    c.argv.insert(c.argv.end(), c.capabilities.begin(), c.capabilities.end());
  }
  if (!in.parameters.empty()) {
    c.argv.emplace_back("--parameter-overrides");
    for (const auto& [k, v] : in.parameters) c.argv.push_back(k + "=" + v);
  }
  if (!in.tags.empty()) {
    c.argv.emplace_back("--tags");
    for (const auto& [k, v] : in.tags) c.argv.push_back(k + "=" + v);
  }
  c.argv.emplace_back("--no-fail-on-empty-changeset");
  return c;
}

std::optional<std::string> resolve_locally(const Json& v, const Json& tree,
                                           const std::string& stack_name) {
  auto ref = [&](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS::StackName" && !stack_name.empty()) return stack_name;
    if (!tree.is_object() || !tree.contains("Parameters") || !tree["Parameters"].is_object() ||
        !tree["Parameters"].contains(name))
      return std::nullopt;
    const Json& p = tree["Parameters"][name];
    if (!p.is_object() || !p.contains("Default")) return std::nullopt;
    const Json& d = p["Default"];
    if (d.is_string()) return d.get<std::string>();
    if (d.is_number() || d.is_boolean()) return d.dump();
    return std::nullopt;
  };
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  if (!v.is_object() || v.size() != 1) return std::nullopt;
  if (v.contains("Ref") && v["Ref"].is_string()) return ref(v["Ref"].get<std::string>());
  if (v.contains("Fn::Sub") && v["Fn::Sub"].is_string()) {
    const std::string text = v["Fn::Sub"].get<std::string>();
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t open = text.find("${", i);
      if (open == std::string::npos) {
        out += text.substr(i);
        break;
      }
      out += text.substr(i, open - i);
      if (open + 2 < text.size() && text[open + 2] == '!') {  // ${!Literal}
        std::size_t close = text.find('}', open);
        if (close == std::string::npos) return std::nullopt;
        out += "${" + text.substr(open + 3, close - open - 3) + "}";
        i = close + 1;
        continue;
      }
      std::size_t close = text.find('}', open);
      if (close == std::string::npos) return std::nullopt;
      auto x = ref(text.substr(open + 2, close - open - 2));
      if (!x) return std::nullopt;
      out += *x;
      i = close + 1;
    }
    return out;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> stack_tags(std::string_view spec_text,
                                                            const std::string& spec_path,
                                                            const Json& tree,
                                                            const std::string& stack_name,
                                                            Diagnostics& diagnostics) {
  std::vector<std::pair<std::string, std::string>> out;
  detail::LoadResult loaded = detail::load_yaml(spec_text, spec_path);
  for (auto& d : loaded.diagnostics) diagnostics.push_back(std::move(d));
  if (!loaded.root) return out;
  const detail::YNode* tags = loaded.root->find("tags");
  if (!tags || tags->kind != detail::YNode::Kind::mapping) return out;
  for (const auto& [k, v] : tags->entries) {
    Diagnostics ignored;
    Json value = detail::to_json(v, spec_path, ignored);
    auto x = resolve_locally(value, tree, stack_name);
    if (!x) {
      diagnostics.push_back(
          Diagnostic{Severity::error, "LF7101",
                     fmt::format("stack tag {} has no value lambdaform can put in the deploy "
                                 "command: use a literal, or a "
                                 "!Ref to a parameter given with --param (or with a Default)",
                                 k.value),
                     "/Tags", SourceLocation{spec_path, v.line, v.column}});
      continue;
    }
    out.emplace_back(k.value, *x);
  }
  return out;
}

}  // namespace lambdaform
