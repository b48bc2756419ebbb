#pragma once
// Cross-field rules of each resource type: what a single field's Constraint cannot say.

#include <cstdint>
#include <string>

#include "lambdaform/template.hpp"
#include "reflect.hpp"

namespace lambdaform::detail {

/// The UTC date (YYYY-MM-DD) of `unix_seconds`, by arithmetic alone: glibc's gmtime_r and
/// strftime set up the time zone first, which reads /etc/localtime (validate()'s default today).
std::string utc_date(std::int64_t unix_seconds);

/// What rules may look at besides the resource.
struct RuleContext {
  const Template& tmpl;
  std::string today;  // YYYY-MM-DD
};

void check_rules(const Function& f, const std::string& path, const RuleContext& ctx, Sink& sink);
void check_rules(const Version& v, const std::string& path, const RuleContext& ctx, Sink& sink);
void check_rules(const Alias& a, const std::string& path, const RuleContext& ctx, Sink& sink);
void check_rules(const Permission& p, const std::string& path, const RuleContext& ctx, Sink& sink);
void check_rules(const Role& r, const std::string& path, const RuleContext& ctx, Sink& sink);
void check_rules(const LogGroup& g, const std::string& path, const RuleContext& ctx, Sink& sink);
inline void check_rules(const RawResource&, const std::string&, const RuleContext&, Sink&) {}

/// A compiled pattern from the sink's cache.
const std::regex& cached_regex(Sink& sink, std::string_view pattern);

/// std::regex_match of `s` against `pattern`, through a hand-written matcher when there is one.
bool matches_pattern(Sink& sink, std::string_view pattern, const std::string& s);

}  // namespace lambdaform::detail
