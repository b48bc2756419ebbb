// Fuzz target 4: the commands that read rendered templates from a pull request (`plan`, `diff`,
// `deploy-command`) on arbitrary input. The input is two documents, OLD and NEW, split at the
// first "\n---8<---\n" (all of it is NEW when there is none); each goes through read_template
// (YAML with short-form tags, or JSON) and, when it loads, through plan(), review() and
// deploy_command() with their formatters.
//
// Properties: nothing throws, crashes or leaks on any tree; a template compared with itself
// publishes no version, moves no alias and shows no change.
#include <cstdint>
#include <string>
#include <string_view>

#include <lambdaform/lambdaform.hpp>

#include "fuzz_common.hpp"

namespace {

namespace lf = lambdaform;

void exercise(const lf::Json& old_tree, const lf::Json& new_tree) {
  const lf::Plan p = lf::plan(old_tree, new_tree);
  (void)lf::format_plan(p);
  const lf::Review r = lf::review(old_tree, new_tree);
  (void)lf::format_review_markdown(r);
  (void)lf::review_to_json(r).dump(-1, ' ', false, lf::Json::error_handler_t::replace);
  lf::DeployInput in;
  in.template_file = "template.yaml";
  in.template_bytes = 60000;  // over the inline limit: the --s3-bucket placeholder path too
  in.stack_name = "fuzz";
  in.parameters = {{"A", "x y"}, {"B", "$'\"="}};
  const lf::DeployCommand c = lf::deploy_command(new_tree, in);
  (void)c.shell();
}

}  // namespace

LF_FUZZ_TARGET(fuzz_templates) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kCut = "\n---8<---\n";
  const std::size_t cut = text.find(kCut);
  std::string_view old_text =
      cut == std::string_view::npos ? std::string_view() : text.substr(0, cut);
  std::string_view new_text = cut == std::string_view::npos ? text : text.substr(cut + kCut.size());
  lf::Diagnostics diags;
  std::optional<lf::Json> old_tree = lf::read_template(old_text, "old.yaml", diags);
  std::optional<lf::Json> new_tree = lf::read_template(new_text, "new.yaml", diags);
  const lf::Json empty = lf::Json::object();
  if (new_tree) {
    exercise(old_tree ? *old_tree : empty, *new_tree);
    exercise(*new_tree, empty);
    const lf::Plan same = lf::plan(*new_tree, *new_tree);
    if (same.publishes() || !same.aliases.empty())
      lf_fuzz::fail("fuzz_templates: a template compared with itself publishes or moves an alias",
                    lf::format_plan(same));
    if (lf::review(*new_tree, *new_tree).changed())
      lf_fuzz::fail("fuzz_templates: a template compared with itself shows a change",
                    lf::format_review_markdown(lf::review(*new_tree, *new_tree)));
  } else if (old_tree) {
    exercise(*old_tree, empty);
  }
  return 0;
}
