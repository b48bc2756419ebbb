#include "lambdaform/review.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "lambdaform/deploy.hpp"

namespace lambdaform {

// Properties whose change CloudFormation documents as "Update requires: Replacement" (AWS
// CloudFormation template reference), for the types lambdaform writes and a few that specs add
// through raw resources. "*" means every property.
//
//   AWS::Lambda::Function           FunctionName, PackageType
//   AWS::Lambda::Version            CodeSha256, Description, FunctionName, RuntimePolicy
//                                   (only ProvisionedConcurrencyConfig updates in place)
//   AWS::Lambda::Alias              FunctionName, Name
//   AWS::Lambda::Permission         every property
//   AWS::Lambda::Url                TargetFunctionArn, Qualifier
//   AWS::Lambda::EventInvokeConfig  FunctionName, Qualifier
//   AWS::Lambda::EventSourceMapping EventSourceArn, StartingPosition, StartingPositionTimestamp,
//                                   SelfManagedEventSource, AmazonManagedKafkaEventSourceConfig,
//                                   SelfManagedKafkaEventSourceConfig
//   AWS::Lambda::LayerVersion       every property
//   AWS::IAM::Role                  RoleName, Path
//   AWS::IAM::ManagedPolicy         ManagedPolicyName, Path, Description
//   AWS::IAM::InstanceProfile       InstanceProfileName, Path
//   AWS::IAM::RolePolicy            PolicyName, RoleName
//   AWS::IAM::Policy                (none: PolicyName, PolicyDocument and targets update in place)
//   AWS::Logs::LogGroup             LogGroupName, LogGroupClass (KmsKeyId, RetentionInDays: no
//   interruption) AWS::CodeDeploy::Application    ApplicationName, ComputePlatform
//   AWS::CodeDeploy::DeploymentGroup ApplicationName, DeploymentGroupName
//   AWS::SQS::Queue                 FifoQueue, QueueName
//   AWS::SNS::Topic                 FifoTopic, TopicName
//   AWS::S3::Bucket                 BucketName
//   AWS::DynamoDB::Table            TableName, KeySchema
//   AWS::Events::Rule               Name, EventBusName
const std::vector<std::string>& replacement_properties(const std::string& type) {
  static const std::map<std::string, std::vector<std::string>> kTable = {
      {"AWS::Lambda::Function", {"FunctionName", "PackageType"}},
      {"AWS::Lambda::Version", {"CodeSha256", "Description", "FunctionName", "RuntimePolicy"}},
      {"AWS::Lambda::Alias", {"FunctionName", "Name"}},
      {"AWS::Lambda::Permission", {"*"}},
      {"AWS::Lambda::Url", {"TargetFunctionArn", "Qualifier"}},
      {"AWS::Lambda::EventInvokeConfig", {"FunctionName", "Qualifier"}},
      {"AWS::Lambda::EventSourceMapping",
       {"EventSourceArn", "StartingPosition", "StartingPositionTimestamp", "SelfManagedEventSource",
        "AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig"}},
      {"AWS::Lambda::LayerVersion", {"*"}},
      {"AWS::IAM::Role", {"RoleName", "Path"}},
      {"AWS::IAM::ManagedPolicy", {"ManagedPolicyName", "Path", "Description"}},
      {"AWS::IAM::InstanceProfile", {"InstanceProfileName", "Path"}},
      {"AWS::IAM::RolePolicy", {"PolicyName", "RoleName"}},
      {"AWS::IAM::Policy", {}},
      {"AWS::Logs::LogGroup", {"LogGroupName", "LogGroupClass"}},
      {"AWS::CodeDeploy::Application", {"ApplicationName", "ComputePlatform"}},
      {"AWS::CodeDeploy::DeploymentGroup", {"ApplicationName", "DeploymentGroupName"}},
      {"AWS::SQS::Queue", {"FifoQueue", "QueueName"}},
      {"AWS::SNS::Topic", {"FifoTopic", "TopicName"}},
      {"AWS::S3::Bucket", {"BucketName"}},
      {"AWS::DynamoDB::Table", {"TableName", "KeySchema"}},
      {"AWS::Events::Rule", {"Name", "EventBusName"}},
  };
  static const std::vector<std::string> kNone;
  auto it = kTable.find(type);
  return it == kTable.end() ? kNone : it->second;
}

namespace {

const Json& member(const Json& j, const char* key) {
  static const Json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}

bool is_intrinsic(const Json& j) {
  if (!j.is_object() || j.size() != 1) return false;
  const std::string& k = j.begin().key();
  return k == "Ref" || k == "Condition" || k.rfind("Fn::", 0) == 0;
}

// Object keys of a and b: b's order, then keys only in a.
std::vector<std::string> keys_of(const Json& a, const Json& b) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const Json* j : {&b, &a})
    if (j->is_object())
      for (auto it = j->begin(); it != j->end(); ++it)
        if (seen.insert(it.key()).second) out.push_back(it.key());
  return out;
}

// Structural equality that ignores object key order.
bool same(const Json& a, const Json& b) {
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it)
      if (!b.contains(it.key()) || !same(it.value(), b[it.key()])) return false;
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  return a == b;
}

std::string join_path(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

// Changed paths between a and b; objects recurse, equal-length arrays recurse by index,
// intrinsics and everything else are leaves.
void diff_paths(const Json& a, const Json& b, const std::string& prefix,
                std::vector<std::string>& out) {
  if (same(a, b)) return;
  if (a.is_object() && b.is_object() && !is_intrinsic(a) && !is_intrinsic(b)) {
    for (const auto& k : keys_of(a, b)) {
      static const Json kNull;
      diff_paths(a.contains(k) ? a[k] : kNull, b.contains(k) ? b[k] : kNull, join_path(prefix, k),
                 out);
    }
    return;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      diff_paths(a[i], b[i], fmt::format("{}[{}]", prefix, i), out);
    return;
  }
  out.push_back(prefix.empty() ? "(root)" : prefix);
}

// A value for display: strings as they are, Sub as its text, Ref / GetAtt in short form.
std::string show(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.size() == 1) {
    const std::string& k = v.begin().key();
    const Json& arg = v.begin().value();
    if (k == "Fn::Sub" && arg.is_string()) return arg.get<std::string>();
    if (k == "Fn::Sub" && arg.is_array() && !arg.empty() && arg[0].is_string())
      return arg[0].get<std::string>();
    if (k == "Ref" && arg.is_string()) return "!Ref " + arg.get<std::string>();
    if (k == "Fn::GetAtt" && arg.is_array() && arg.size() == 2 && arg[0].is_string() &&
        arg[1].is_string())
      return "!GetAtt " + arg[0].get<std::string>() + "." + arg[1].get<std::string>();
    if (k == "Fn::GetAtt" && arg.is_string()) return "!GetAtt " + arg.get<std::string>();
  }
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<std::string> as_list(const Json& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const auto& x : v) out.push_back(show(x));
  else if (!v.is_null())
    out.push_back(show(v));
  return out;
}

// ---- IAM ----

struct Grant {
  std::string effect, action, resource, condition;
  bool operator<(const Grant& o) const {
    return std::tie(effect, action, resource, condition) <
           std::tie(o.effect, o.action, o.resource, o.condition);
  }
  bool operator==(const Grant& o) const {
    return std::tie(effect, action, resource, condition) ==
           std::tie(o.effect, o.action, o.resource, o.condition);
  }
};

struct IamView {
  std::map<std::string, std::set<Grant>> grants;         // holder → grants
  std::map<std::string, std::set<std::string>> managed;  // holder → managed policy ARNs
  std::map<std::string, std::set<std::string>> trust;    // role → principals
  std::map<std::string, std::string> permissions;        // permission id → canonical text
  std::map<std::string, Json> permission_props;          // permission id → properties
};

void add_statements(const Json& doc, std::set<Grant>& out) {
  const Json& st = member(doc, "Statement");
  std::vector<const Json*> statements;
  if (st.is_array())
    for (const auto& s : st) statements.push_back(&s);
  else if (st.is_object())
    statements.push_back(&st);
  for (const Json* s : statements) {
    if (!s->is_object()) continue;
    std::string effect = member(*s, "Effect").is_string() ? member(*s, "Effect").get<std::string>()
                                                          : show(member(*s, "Effect"));
    std::vector<std::string> actions = as_list(member(*s, "Action"));
    for (const auto& a : as_list(member(*s, "NotAction"))) actions.push_back("NOT " + a);
    std::vector<std::string> resources = as_list(member(*s, "Resource"));
    for (const auto& r : as_list(member(*s, "NotResource"))) resources.push_back("NOT " + r);
    if (resources.empty()) resources.push_back("");  // trust policies and the like
    std::string condition = s->contains("Condition") ? show((*s)["Condition"]) : "";
    for (const auto& a : actions)
      for (const auto& r : resources) out.insert(Grant{effect, a, r, condition});
  }
}

IamView iam_view(const Json& tree) {
  IamView v;
  const Json& rs = member(tree, "Resources");
  if (!rs.is_object()) return v;
  static const std::set<std::string> kPolicyTypes = {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
                                                     "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy",
                                                     "AWS::IAM::GroupPolicy"};
  for (auto it = rs.begin(); it != rs.end(); ++it) {
    const std::string& id = it.key();
    const Json& type = member(it.value(), "Type");
    if (!type.is_string()) continue;
    const std::string t = type.get<std::string>();
    const Json& props = member(it.value(), "Properties");
    if (t == "AWS::IAM::Role" || t == "AWS::IAM::User" || t == "AWS::IAM::Group") {
      const Json& policies = member(props, "Policies");
      if (policies.is_array())
        for (const auto& p : policies) add_statements(member(p, "PolicyDocument"), v.grants[id]);
      for (const auto& arn : as_list(member(props, "ManagedPolicyArns"))) v.managed[id].insert(arn);
      const Json& trust = member(member(props, "AssumeRolePolicyDocument"), "Statement");
      std::vector<const Json*> statements;
      if (trust.is_array())
        for (const auto& s : trust) statements.push_back(&s);
      else if (trust.is_object())
        statements.push_back(&trust);
      for (const Json* s : statements) {
        if (member(*s, "Effect") != Json("Allow")) continue;
        const Json& pr = member(*s, "Principal");
        if (pr.is_object() && !is_intrinsic(pr)) {
          for (auto p = pr.begin(); p != pr.end(); ++p)
            for (const auto& x : as_list(p.value())) v.trust[id].insert(p.key() + ": " + x);
        } else if (!pr.is_null()) {
          v.trust[id].insert(show(pr));
        }
      }
    } else if (kPolicyTypes.count(t)) {
      add_statements(member(props, "PolicyDocument"), v.grants[id]);
    } else if (t == "AWS::Lambda::Permission") {
      v.permission_props[id] = props;
      v.permissions[id] = show(props);
    }
  }
  return v;
}

// IAM glob: `*` any run of characters, `?` one; actions compare case-insensitively.
bool iam_glob(std::string_view p, std::string_view t, bool nocase, std::size_t i = 0,
              std::size_t k = 0) {
  auto eq = [&](char a, char b) {
    return nocase ? std::tolower(static_cast<unsigned char>(a)) ==
                        std::tolower(static_cast<unsigned char>(b))
                  : a == b;
  };
  while (i < p.size()) {
    if (p[i] == '*') {
      while (i < p.size() && p[i] == '*') ++i;
      if (i == p.size()) return true;
      for (std::size_t s = k; s <= t.size(); ++s)
        if (iam_glob(p, t, nocase, i, s)) return true;
      return false;
    }
    if (k >= t.size()) return false;
    if (p[i] != '?' && !eq(p[i], t[k])) return false;
    ++i, ++k;
  }
  return k == t.size();
}

bool has_wildcard(const std::string& s) {
  return s.find('*') != std::string::npos || s.find('?') != std::string::npos;
}

// A wildcard worth calling out: in the action, or in a resource ARN's resource part (a `*` for
// the region or account of `arn:aws:dynamodb:*:*:table/orders` is routine).
bool broad(const std::string& action, const std::string& resource) {
  if (has_wildcard(action)) return true;
  std::size_t at = 0;
  if (resource.rfind("arn:", 0) == 0)
    for (int colons = 0; colons < 5 && at != std::string::npos; ++colons)
      at = resource.find(':', at + 1);
  return at != std::string::npos && has_wildcard(resource.substr(at));
}

void iam_changes(const Json& old_tree, const Json& new_tree, std::vector<IamChange>& out) {
  IamView o = iam_view(old_tree), n = iam_view(new_tree);
  std::set<std::string> holders;
  for (const auto* m : {&o.grants, &n.grants})
    for (const auto& [k, v] : *m) holders.insert(k);
  std::vector<IamChange> widened, wildcard, granted, revoked;
  for (const auto& h : holders) {
    const auto& og = o.grants[h];
    const auto& ng = n.grants[h];
    for (const auto& g : ng) {
      if (og.count(g)) continue;
      IamChange c;
      c.resource = h;
      c.effect = g.effect;
      c.action = g.action;
      c.target = g.resource;
      c.condition = g.condition;
      bool widens = false;
      if (g.effect == "Allow" && (has_wildcard(g.action) || has_wildcard(g.resource))) {
        for (const auto& old : og) {
          if (old.effect != "Allow" || old == g) continue;
          if (iam_glob(g.action, old.action, true) && iam_glob(g.resource, old.resource, false) &&
              (g.condition.empty() || g.condition == old.condition)) {
            IamChange w = c;
            w.kind = IamChange::Kind::widened;
            w.from_action = old.action;
            w.from_target = old.resource;
            widened.push_back(std::move(w));
            widens = true;
          }
        }
        if (!widens && broad(g.action, g.resource)) {
          c.kind = IamChange::Kind::wildcard;
          wildcard.push_back(std::move(c));
        } else if (!widens) {
          c.kind = IamChange::Kind::granted;
          granted.push_back(std::move(c));
        }
      } else {
        c.kind = IamChange::Kind::granted;
        granted.push_back(std::move(c));
      }
    }
    for (const auto& g : og) {
      if (ng.count(g)) continue;
      IamChange c;
      c.kind = IamChange::Kind::revoked;
      c.resource = h;
      c.effect = g.effect;
      c.action = g.action;
      c.target = g.resource;
      c.condition = g.condition;
      revoked.push_back(std::move(c));
    }
  }
  std::vector<IamChange> managed, trust, permissions;
  auto set_diff = [](const std::map<std::string, std::set<std::string>>& a,
                     const std::map<std::string, std::set<std::string>>& b, IamChange::Kind kind,
                     std::vector<IamChange>& to) {
    for (const auto& [holder, items] : b) {
      auto it = a.find(holder);
      for (const auto& x : items)
        if (it == a.end() || !it->second.count(x)) {
          IamChange c;
          c.kind = kind;
          c.resource = holder;
          c.target = x;
          to.push_back(std::move(c));
        }
    }
  };
  set_diff(o.managed, n.managed, IamChange::Kind::managed_attached, managed);
  set_diff(n.managed, o.managed, IamChange::Kind::managed_detached, managed);
  set_diff(o.trust, n.trust, IamChange::Kind::trust_added, trust);
  set_diff(n.trust, o.trust, IamChange::Kind::trust_removed, trust);
  auto permission = [](IamChange::Kind kind, const std::string& id, const Json& p) {
    IamChange c;
    c.kind = kind;
    c.resource = id;
    c.action = show(member(p, "Action"));
    c.target = show(member(p, "FunctionName"));
    c.effect = show(member(p, "Principal"));  // the principal, for permissions
    if (p.is_object() && p.contains("SourceArn"))
      c.condition = show(p["SourceArn"]);
    else if (p.is_object() && p.contains("SourceAccount"))
      c.condition = "account " + show(p["SourceAccount"]);
    return c;
  };
  for (const auto& [id, text] : n.permissions) {
    auto it = o.permissions.find(id);
    if (it == o.permissions.end() || !same(o.permission_props[id], n.permission_props[id]))
      permissions.push_back(
          permission(IamChange::Kind::permission_added, id, n.permission_props[id]));
  }
  for (const auto& [id, text] : o.permissions)
    if (!n.permissions.count(id))
      permissions.push_back(
          permission(IamChange::Kind::permission_removed, id, o.permission_props[id]));
  // A grant a wildcard now covers is reported as widened, not also as revoked.
  revoked.erase(
      std::remove_if(revoked.begin(), revoked.end(),
                     [&](const IamChange& r) {
                       return std::any_of(widened.begin(), widened.end(), [&](const IamChange& w) {
                         return w.resource == r.resource && w.from_action == r.action &&
                                w.from_target == r.target && r.effect == "Allow";
                       });
                     }),
      revoked.end());
  for (auto* part : {&widened, &wildcard, &managed, &trust, &permissions, &granted, &revoked})
    for (auto& c : *part) out.push_back(std::move(c));
}

// ---- resources ----

void resource_changes(const Json& old_tree, const Json& new_tree,
                      std::vector<ResourceChange>& out) {
  const Json& o = member(old_tree, "Resources");
  const Json& n = member(new_tree, "Resources");
  std::vector<ResourceChange> added, changed, removed;
  auto type_of = [](const Json& r) {
    const Json& t = member(r, "Type");
    return t.is_string() ? t.get<std::string>() : std::string();
  };
  if (n.is_object())
    for (auto it = n.begin(); it != n.end(); ++it) {
      ResourceChange c;
      c.logical_id = it.key();
      c.type = type_of(it.value());
      if (!o.is_object() || !o.contains(it.key())) {
        c.kind = ResourceChange::Kind::added;
        added.push_back(std::move(c));
        continue;
      }
      const Json& before = o[it.key()];
      if (same(before, it.value())) continue;
      c.kind = ResourceChange::Kind::changed;
      diff_paths(before, it.value(), "", c.paths);
      if (type_of(before) != c.type) {
        c.old_type = type_of(before);
        c.replacing.push_back("Type");
      } else {
        const auto& forcing = replacement_properties(c.type);
        const Json& bp = member(before, "Properties");
        const Json& ap = member(it.value(), "Properties");
        for (const auto& k : keys_of(bp, ap)) {
          static const Json kNull;
          const Json& x = bp.is_object() && bp.contains(k) ? bp[k] : kNull;
          const Json& y = ap.is_object() && ap.contains(k) ? ap[k] : kNull;
          if (same(x, y)) continue;
          if (std::find(forcing.begin(), forcing.end(), "*") != forcing.end() ||
              std::find(forcing.begin(), forcing.end(), k) != forcing.end())
            c.replacing.push_back(k);
        }
      }
      c.retains_replaced = member(it.value(), "UpdateReplacePolicy") == Json("Retain");
      changed.push_back(std::move(c));
    }
  if (o.is_object())
    for (auto it = o.begin(); it != o.end(); ++it)
      if (!n.is_object() || !n.contains(it.key())) {
        ResourceChange c;
        c.kind = ResourceChange::Kind::removed;
        c.logical_id = it.key();
        c.type = type_of(it.value());
        removed.push_back(std::move(c));
      }
  for (auto* part : {&added, &changed, &removed}) {
    std::sort(part->begin(), part->end(), [](const ResourceChange& a, const ResourceChange& b) {
      return a.logical_id < b.logical_id;
    });
    for (auto& c : *part) out.push_back(std::move(c));
  }
}

// ---- Markdown ----

// Inline code that survives Markdown tables: `|` escaped, newlines flattened, backticks fenced.
std::string code(const std::string& s) {
  std::string t;
  for (char c : s) {
    if (c == '|')
      t += "\\|";
    else if (c == '\n' || c == '\r')
      t += ' ';
    else
      t += c;
  }
  if (t.empty()) return "`\"\"`";
  if (t.find('`') != std::string::npos) return "`` " + t + " ``";
  return "`" + t + "`";
}

std::string on(const std::string& action, const std::string& target) {
  return target.empty() ? code(action) : code(action) + " on " + code(target);
}

std::string caps(const std::vector<std::string>& c) {
  if (c.empty()) return "none";
  std::vector<std::string> q;
  for (const auto& x : c) q.push_back(code(x));
  return fmt::format("{}", fmt::join(q, " "));
}

std::string iam_line(const IamChange& c) {
  const std::string who = "**" + c.resource + "**";
  const std::string cond = c.condition.empty() ? "" : " when " + code(c.condition);
  switch (c.kind) {
    case IamChange::Kind::widened:
      return fmt::format("⚠️ {} widens {} → {}{}", who, on(c.from_action, c.from_target),
                         on(c.action, c.target), cond);
    case IamChange::Kind::wildcard:
      return fmt::format("⚠️ {} gains a wildcard grant: {}{}", who, on(c.action, c.target),
                         cond);
    case IamChange::Kind::granted:
      return fmt::format("{} {} {}{}", who, c.effect == "Deny" ? "now denies" : "gains",
                         on(c.action, c.target), cond);
    case IamChange::Kind::revoked:
      return fmt::format("{} no longer {} {}{}", who, c.effect == "Deny" ? "denies" : "has",
                         on(c.action, c.target), cond);
    case IamChange::Kind::managed_attached:
      return fmt::format("{} attaches managed policy {}", who, code(c.target));
    case IamChange::Kind::managed_detached:
      return fmt::format("{} detaches managed policy {}", who, code(c.target));
    case IamChange::Kind::trust_added:
      return fmt::format("{} can now be assumed by {}", who, code(c.target));
    case IamChange::Kind::trust_removed:
      return fmt::format("{} can no longer be assumed by {}", who, code(c.target));
    case IamChange::Kind::permission_added:
      return fmt::format("{} lets {} call {} on {}{}", who, code(c.effect), code(c.action),
                         code(c.target), c.condition.empty() ? "" : " from " + code(c.condition));
    case IamChange::Kind::permission_removed:
      return fmt::format("{} no longer lets {} call {} on {}", who, code(c.effect), code(c.action),
                         code(c.target));
  }
  return who;
}

const char* kind_name(IamChange::Kind k) {
  switch (k) {
    case IamChange::Kind::widened:
      return "widened";
    case IamChange::Kind::wildcard:
      return "wildcard";
    case IamChange::Kind::granted:
      return "granted";
    case IamChange::Kind::revoked:
      return "revoked";
    case IamChange::Kind::managed_attached:
      return "managed_policy_attached";
    case IamChange::Kind::managed_detached:
      return "managed_policy_detached";
    case IamChange::Kind::trust_added:
      return "trust_added";
    case IamChange::Kind::trust_removed:
      return "trust_removed";
    case IamChange::Kind::permission_added:
      return "permission_added";
    case IamChange::Kind::permission_removed:
      return "permission_removed";
  }
  return "granted";
}

const char* kind_name(ResourceChange::Kind k) {
  switch (k) {
    case ResourceChange::Kind::added:
      return "added";
    case ResourceChange::Kind::removed:
      return "removed";
    case ResourceChange::Kind::changed:
      return "changed";
  }
  return "changed";
}

// Paths for display: the "Properties." prefix dropped, at most `limit` of them.
std::string show_paths(const std::vector<std::string>& paths, std::size_t limit = 12) {
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < paths.size() && i < limit; ++i)
    shown.push_back(code(paths[i].rfind("Properties.", 0) == 0 ? paths[i].substr(11) : paths[i]));
  std::string out = fmt::format("{}", fmt::join(shown, ", "));
  if (paths.size() > limit) out += fmt::format(" and {} more", paths.size() - limit);
  return out;
}

}  // namespace

Review review(const Json& old_tree, const Json& new_tree) {
  Review r;
  iam_changes(old_tree, new_tree, r.iam);
  resource_changes(old_tree, new_tree, r.resources);
  static const Json kEmpty = Json::object();
  const Json& a = old_tree.is_object() ? old_tree : kEmpty;
  const Json& b = new_tree.is_object() ? new_tree : kEmpty;
  for (const auto& k : keys_of(a, b)) {
    if (k == "Resources") continue;
    static const Json kNull;
    diff_paths(a.contains(k) ? a[k] : kNull, b.contains(k) ? b[k] : kNull, k, r.other);
  }
  r.versions = plan(old_tree, new_tree);
  r.old_capabilities = required_capabilities(old_tree);
  r.capabilities = required_capabilities(new_tree);
  return r;
}

std::string format_review_markdown(const Review& r) {
  std::string out = "## lambdaform diff\n\n";
  if (!r.changed()) return out + "No changes.\n";
  std::size_t added = 0, removed = 0, changed = 0, replaced = 0;
  for (const auto& c : r.resources) {
    if (c.kind == ResourceChange::Kind::added) ++added;
    if (c.kind == ResourceChange::Kind::removed) ++removed;
    if (c.kind == ResourceChange::Kind::changed) ++changed;
    if (c.replaced()) ++replaced;
  }
  out += fmt::format(
      "**{} added, {} changed ({} replaced), {} removed**; IAM changes: {}; capabilities: {}\n",
      added, changed, replaced, removed, r.iam.empty() ? "none" : std::to_string(r.iam.size()),
      caps(r.capabilities));
  if (!r.iam.empty()) {
    out += "\n### IAM\n\n";
    for (const auto& c : r.iam) out += "- " + iam_line(c) + "\n";
  }
  if (replaced) {
    out += "\n### Replacements\n\n";
    for (const auto& c : r.resources) {
      if (!c.replaced()) continue;
      if (!c.old_type.empty())
        out += fmt::format("- **{}** is replaced: its type changes from {} to {}\n", c.logical_id,
                           code(c.old_type), code(c.type));
      else
        out += fmt::format(
            "- **{}** ({}) is replaced: {} changed{}\n", c.logical_id, c.type,
            show_paths(c.replacing),
            c.retains_replaced ? "; the old one is retained (UpdateReplacePolicy: Retain)" : "");
    }
  }
  if (!r.resources.empty()) {
    out += "\n### Resources\n\n| change | resource | type | properties |\n|---|---|---|---|\n";
    for (const auto& c : r.resources)
      out += fmt::format("| {}{} | {} | {} | {} |\n", kind_name(c.kind),
                         c.replaced() ? " (replaced)" : "", code(c.logical_id), c.type,
                         show_paths(c.paths));
  }
  std::string versions;
  for (const auto& v : r.versions.versions) {
    if (!v.published.empty())
      versions += fmt::format("- **{}** publishes {}{}\n", v.function, fmt::join(v.published, ", "),
                              v.new_function ? " (the function is new)"
                              : v.changed.empty()
                                  ? ""
                                  : fmt::format(" because {} changed", show_paths(v.changed)));
    if (!v.dropped.empty())
      versions += fmt::format("- {}: {} leave the template (published versions are retained)\n",
                              v.function, fmt::join(v.dropped, ", "));
  }
  if (!versions.empty()) out += "\n### Versions\n\n" + versions;
  if (!r.versions.aliases.empty()) {
    out += "\n### Aliases\n\n";
    for (const auto& m : r.versions.aliases) {
      if (m.from.empty())
        out += fmt::format("- **{}** ({}): new → {}\n", m.name, m.alias, code(m.to));
      else if (m.to.empty())
        out += fmt::format("- **{}** ({}): removed (was {})\n", m.name, m.alias, code(m.from));
      else
        out += fmt::format("- **{}** ({}): {} → {}\n", m.name, m.alias, code(m.from), code(m.to));
    }
  }
  out += "\n### Capabilities\n\n";
  if (r.capabilities == r.old_capabilities)
    out += fmt::format("{} (unchanged)\n", caps(r.capabilities));
  else
    out += fmt::format("{} (was {})\n", caps(r.capabilities), caps(r.old_capabilities));
  if (!r.other.empty()) out += "\n### Other sections\n\n" + show_paths(r.other, 40) + "\n";
  return out;
}

Json review_to_json(const Review& r) {
  Json j = Json::object();
  j["changed"] = r.changed();
  std::size_t added = 0, removed = 0, changed = 0, replaced = 0;
  for (const auto& c : r.resources) {
    added += c.kind == ResourceChange::Kind::added;
    removed += c.kind == ResourceChange::Kind::removed;
    changed += c.kind == ResourceChange::Kind::changed;
    replaced += c.replaced();
  }
  j["summary"] = {
      {"added", added}, {"changed", changed}, {"replaced", replaced}, {"removed", removed}};
  Json iam = Json::array();
  for (const auto& c : r.iam) {
    Json x = {{"kind", kind_name(c.kind)}, {"resource", c.resource}};
    const bool permission = c.kind == IamChange::Kind::permission_added ||
                            c.kind == IamChange::Kind::permission_removed;
    if (permission) {
      x["principal"] = c.effect;
      x["action"] = c.action;
      x["function"] = c.target;
      if (!c.condition.empty()) x["source"] = c.condition;
    } else {
      if (!c.effect.empty()) x["effect"] = c.effect;
      if (!c.action.empty()) x["action"] = c.action;
      x[c.kind == IamChange::Kind::trust_added || c.kind == IamChange::Kind::trust_removed
            ? "principal"
        : c.kind == IamChange::Kind::managed_attached || c.kind == IamChange::Kind::managed_detached
            ? "policy_arn"
            : "resource_arn"] = c.target;
      if (!c.condition.empty()) x["condition"] = c.condition;
      if (c.kind == IamChange::Kind::widened) {
        x["from_action"] = c.from_action;
        x["from_resource_arn"] = c.from_target;
      }
    }
    iam.push_back(std::move(x));
  }
  j["iam"] = std::move(iam);
  Json resources = Json::array();
  for (const auto& c : r.resources) {
    Json x = {{"logical_id", c.logical_id}, {"type", c.type}, {"change", kind_name(c.kind)}};
    if (!c.old_type.empty()) x["old_type"] = c.old_type;
    x["paths"] = c.paths;
    x["replacement"] = c.replaced();
    x["replacing"] = c.replacing;
    if (c.replaced()) x["retains_replaced"] = c.retains_replaced;
    resources.push_back(std::move(x));
  }
  j["resources"] = std::move(resources);
  Json versions = Json::array();
  for (const auto& v : r.versions.versions)
    if (!v.published.empty() || !v.dropped.empty())
      versions.push_back({{"function", v.function},
                          {"published", v.published},
                          {"dropped", v.dropped},
                          {"because", v.changed},
                          {"new_function", v.new_function}});
  j["versions"] = std::move(versions);
  Json aliases = Json::array();
  for (const auto& m : r.versions.aliases)
    aliases.push_back({{"alias", m.alias},
                       {"name", m.name},
                       {"from", m.from.empty() ? Json() : Json(m.from)},
                       {"to", m.to.empty() ? Json() : Json(m.to)}});
  j["aliases"] = std::move(aliases);
  j["capabilities"] = {{"old", r.old_capabilities}, {"new", r.capabilities}};
  j["other"] = r.other;
  return j;
}

}  // namespace lambdaform
