#include <fmt/format.h>

#include "rules.hpp"

namespace lambdaform::detail {

namespace {

// A policy document must be an object with a Statement; each statement needs an Effect.
void check_statement(const Json& s, const std::string& path, const Json& st, std::size_t i,
                     Sink& sink) {
  // The statement's pointer is written only for a finding (most documents have none).
  auto sp = [&] { return path + "/Statement" + (st.is_array() ? "/" + std::to_string(i) : ""); };
  if (!s.is_object()) {
    if (!Intrinsic::from_json(s)) sink.error("E3012", sp(), "a policy statement must be a mapping");
    return;
  }
  const auto effect = s.find("Effect");
  if (effect == s.end())
    sink.error("E3003", sp(), "required property Effect is missing from the policy statement");
  else if (!effect->is_string() && !Intrinsic::from_json(*effect))
    sink.error("E3012", sp() + "/Effect", "Effect must be the string Allow or Deny");
  else if (effect->is_string() && *effect != "Allow" && *effect != "Deny")
    sink.error("E3030", sp() + "/Effect",
               fmt::format("Effect '{}' is not one of: Allow, Deny", effect->get<std::string>()));
}

void check_policy_document(const Json& doc, const std::string& path, Sink& sink) {
  if (!doc.is_object()) {
    sink.error("E3012", path, "a policy document must be a mapping with Version and Statement");
    return;
  }
  const auto st = doc.find("Statement");
  if (st == doc.end()) {
    sink.error("E3003", path, "required property Statement is missing from the policy document");
    return;
  }
  if (Intrinsic::from_json(*st)) return;
  if (!st->is_array()) return check_statement(*st, path, *st, 0, sink);
  const auto& items = st->get_ref<const Json::array_t&>();
  for (std::size_t i = 0; i < items.size(); ++i) check_statement(items[i], path, *st, i, sink);
}

}  // namespace

void check_rules(const Role& r, const std::string& path, const RuleContext&, Sink& sink) {
  if (r.assume_role_policy_document)
    if (const Json* doc = r.assume_role_policy_document->literal())
      check_policy_document(*doc, path + "/AssumeRolePolicyDocument", sink);
  if (!r.policies) return;
  const List<Policy>* policies = r.policies->literal();
  if (!policies) return;
  for (std::size_t i = 0; i < policies->size(); ++i) {
    const Policy* p = (*policies)[i].literal();
    if (!p || !p->policy_document) continue;
    if (const Json* doc = p->policy_document->literal())
      check_policy_document(*doc, path + "/Policies/" + std::to_string(i) + "/PolicyDocument",
                            sink);
  }
}

void check_rules(const LogGroup&, const std::string&, const RuleContext&, Sink&) {}

}  // namespace lambdaform::detail
