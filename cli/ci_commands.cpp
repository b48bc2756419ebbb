// The CI and deploy subcommands: diff, deploy-command, package. The work is in the library
// (review.hpp, deploy.hpp, package.hpp); these only read files, print and pick exit codes.
#include <filesystem>

#include <fmt/format.h>
#include <lambdaform/lambdaform.hpp>

#include "commands.hpp"
#include "options.hpp"

namespace fs = std::filesystem;

namespace lambdaform::cli {

namespace {

// Reads a rendered template; an empty file is an empty template (a stack that does not exist
// yet, e.g. `git show BASE:new/template.yaml` failed).
std::optional<Json> load_template(const std::string& path, std::string& text) {
  if (!read_file(path, text)) return std::nullopt;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  Diagnostics diags;
  auto tree = read_template(text, path, diags);
  for (const auto& d : diags) emit(d, text, path);
  return tree;
}

// The Properties of a resource of a rendered template, or nullptr.
const Json* resource_properties(const Json& tree, const std::string& id) {
  if (!tree.contains("Resources") || !tree["Resources"].is_object() ||
      !tree["Resources"].contains(id))
    return nullptr;
  const Json& r = tree["Resources"][id];
  return r.is_object() && r.contains("Properties") && r["Properties"].is_object() ? &r["Properties"]
                                                                                  : nullptr;
}

}  // namespace

int diff(int argc, char** argv) {
  Options o(
      "lambdaform diff",
      "Summarise OLD → NEW (two rendered templates, e.g. the committed one and a fresh render) "
      "for a pull-request comment: IAM changes first, replacements, resources added, removed and "
      "changed with their property paths, versions published, aliases moved, capabilities.\n"
      "An empty file is an empty template (a new stack). Exit 0 when nothing changed, 1 "
      "otherwise, 2 when a template cannot be read.\n"
      "usage: lambdaform diff OLD NEW [--format markdown|json]");
  o.add({"format", 0, Takes::value, "markdown (default) or json", "FORMAT"});
  Args p;
  if (auto rc = parse(o, argc, argv, 2, p)) return *rc;
  const std::string format = p.value("format", "markdown");
  if (format != "markdown" && format != "json") {
    print_err("lambdaform: --format takes markdown or json, not '" + format + "'\n");
    return ExitCode::kUsage;
  }
  std::string old_text, new_text;
  auto old_tree = load_template(p.positional[0], old_text);
  if (!old_tree) return ExitCode::kUsage;
  auto new_tree = load_template(p.positional[1], new_text);
  if (!new_tree) return ExitCode::kUsage;
  Review r = review(*old_tree, *new_tree);
  if (format == "json")
    print_out(review_to_json(r).dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
  else
    print_out(format_review_markdown(r));
  return r.changed() ? ExitCode::kFindings : ExitCode::kOk;
}

int deploy_command(int argc, char** argv) {
  Options o(
      "lambdaform deploy-command",
      "Print the exact, shell-safe `aws cloudformation deploy` command for SPEC's rendered "
      "template: stack name, capabilities inferred from the template, --parameter-overrides for "
      "the --param values, the spec's stack tags, --no-fail-on-empty-changeset, and --s3-bucket "
      "when the template is over 51,200 bytes.\n"
      "usage: lambdaform deploy-command SPEC [--param K=V ...] [--template FILE] [--s3-bucket B "
      "[--s3-prefix P]] [--json]");
  o.add({"template", 0, Takes::value,
         "The rendered template the command deploys (default: template.yaml next to SPEC); when "
         "it exists, its bytes decide capabilities and size",
         "FILE"})
      .add({"s3-bucket", 0, Takes::value,
            "Bucket for `aws cloudformation deploy --s3-bucket` (needed above 51,200 bytes)",
            "BUCKET"})
      .add({"s3-prefix", 0, Takes::value, "Key prefix for the uploaded template", "PREFIX"})
      .add({"json", 0, Takes::nothing,
            "Print the command as a JSON array of arguments instead of a shell line"});
  add_spec_options(o);
  Args p;
  if (auto rc = parse(o, argc, argv, 1, p)) return *rc;
  auto so = spec_options(p);
  if (!so) return ExitCode::kUsage;
  const std::string& spec = p.positional[0];
  SpecResult r = compile_spec_file(spec, *so);
  int rc = report(r, spec);
  if (rc != ExitCode::kOk) return rc;

  const std::string file = p.count("template")
                               ? p.value("template")
                               : (fs::path(spec).parent_path() / "template.yaml").generic_string();
  const Format format = fs::path(file).extension() == ".json" ? Format::json : Format::yaml;
  const std::string fresh = rendered_text(r, format);
  Json tree = to_tree(*r.tmpl);
  std::size_t bytes = fresh.size();
  std::error_code ec;
  if (fs::exists(file, ec)) {
    std::string text;
    if (!read_file(file, text)) return ExitCode::kUsage;
    bytes = text.size();
    if (text != fresh) {
      emit(
          Diagnostic{
              Severity::warning, "LF7102",
              fmt::format(
                  "{} is not what `lambdaform render {}` writes now with these --param values; the "
                  "command deploys {} as it is",
                  file, spec, file),
              "", std::nullopt},
          {}, file);
      Diagnostics diags;
      if (auto t = read_template(text, file, diags)) tree = std::move(*t);
      for (const auto& d : diags) emit(d, text, file);
    }
  } else {
    emit(
        Diagnostic{
            Severity::warning, "LF7102",
            fmt::format(
                "{} does not exist yet: write it with `lambdaform render {} -o {}` (same --param "
                "values) before running the command",
                file, spec, file),
            "", std::nullopt},
        {}, file);
  }

  DeployInput in;
  in.template_file = file;
  in.template_bytes = bytes;
  in.stack_name = r.stack_name;
  for (const auto& kv : so->params) in.parameters.push_back(kv);
  Diagnostics tag_diags;
  in.tags = stack_tags(r.source, spec, tree, r.stack_name, tag_diags);
  for (const auto& d : tag_diags) emit(d, r.source, spec);
  if (has_errors(tag_diags)) return ExitCode::kFindings;
  if (p.count("s3-bucket")) in.s3_bucket = p.value("s3-bucket");
  if (p.count("s3-prefix")) in.s3_prefix = p.value("s3-prefix");
  DeployCommand cmd = lambdaform::deploy_command(tree, in);
  for (const auto& d : cmd.diagnostics) emit(d, {}, file);
  if (!cmd.ok()) return ExitCode::kFindings;
  if (p.count("json"))
    print_out(Json(cmd.argv).dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
  else
    print_out(cmd.shell() + "\n");
  return ExitCode::kOk;
}

int package(int argc, char** argv) {
  Options o(
      "lambdaform package",
      "Build the reproducible zip of every `code: {package: DIR}` of SPEC into OUTDIR (named like "
      "its S3 key, <function>-<sha256>.zip) and print the `aws s3 cp` command that uploads each "
      "to the key the rendered template references.\n"
      "usage: lambdaform package SPEC -o OUTDIR [--param K=V ...] [--json]");
  o.add({"output", 'o', Takes::value, "Folder for the zips (created when missing)", "OUTDIR"})
      .add({"json", 0, Takes::nothing, "Print the commands as a JSON array of argument arrays"});
  add_spec_options(o);
  Args p;
  if (auto rc = parse(o, argc, argv, 1, p)) return *rc;
  auto so = spec_options(p);
  if (!so) return ExitCode::kUsage;
  if (!p.count("output")) {
    print_err("lambdaform: package needs -o OUTDIR\n");
    return ExitCode::kUsage;
  }
  const std::string& spec = p.positional[0];
  const std::string outdir = p.value("output");
  SpecResult r = compile_spec_file(spec, *so);
  int rc = report(r, spec);
  if (rc != ExitCode::kOk) return rc;
  Diagnostics diags;
  std::vector<PackageRef> refs = find_packages(r.source, spec, diags);
  const Json tree = to_tree(*r.tmpl);

  struct Upload {
    std::string file, bucket, key;
    const Package* package;
  };
  std::vector<PackageResult> built(refs.size());
  std::vector<Upload> uploads;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const PackageRef& ref = refs[i];
    auto located = [&](Diagnostic d) {
      if (!d.location) d.location = ref.location;
      diags.push_back(std::move(d));
    };
    Json code = Json::object();
    if (const Json* fn = resource_properties(tree, ref.function);
        fn && fn->contains("Code") && (*fn)["Code"].is_object())
      code = (*fn)["Code"];
    const Json key = code.value("S3Key", Json());
    if (!key.is_string()) {
      located(Diagnostic{
          Severity::error, "LF7103",
          fmt::format(
              "function {}: the rendered template has no literal Code.S3Key for its package",
              ref.function),
          "", std::nullopt});
      continue;
    }
    auto bucket = resolve_locally(code.value("S3Bucket", Json()), tree, r.stack_name);
    if (!bucket) {
      located(Diagnostic{
          Severity::error, "LF7103",
          fmt::format(
              "function {}: the package's s3_bucket is not known before deploy; make it a literal "
              "or a !Ref to a parameter and pass --param NAME=BUCKET",
              ref.function),
          "", std::nullopt});
      continue;
    }
    built[i] = build_package(ref.path);
    for (auto d : built[i].diagnostics) {
      d.message = fmt::format("package {}: {}", ref.dir, d.message);
      located(std::move(d));
    }
    if (!built[i].package) continue;
    const std::string expected = package_key(ref.s3_prefix, ref.function, built[i].package->sha256);
    if (expected != key.get<std::string>()) {
      located(Diagnostic{
          Severity::error, "LF7103",
          fmt::format("function {}: the package built now has key {}, the rendered template {}; "
                      "did {} change while packaging?",
                      ref.function, expected, key.get<std::string>(), ref.dir),
          "", std::nullopt});
      continue;
    }
    const std::string file =
        (fs::path(outdir) / fs::path(expected).filename()).lexically_normal().generic_string();
    uploads.push_back(Upload{file, *bucket, expected, &*built[i].package});
  }
  for (const auto& d : diags) emit(d, r.source, spec);
  if (has_errors(diags)) return ExitCode::kFindings;
  if (refs.empty()) {
    if (diagnostics_format() == DiagnosticsFormat::human)
      print_err("lambdaform: " + spec + " has no code: {package: DIR}; nothing to package\n");
    if (p.count("json")) print_out("[]\n");
    return ExitCode::kOk;
  }
  std::error_code ec;
  fs::create_directories(outdir, ec);
  Json argvs = Json::array();
  std::string lines;
  for (const auto& u : uploads) {
    std::string error;
    // Zips are few and uploaded next: durable before their upload command is printed.
    if (!write_file_atomic(u.file, u.package->zip, error, /*sync=*/true)) {
      problem(error, u.file);
      return ExitCode::kUsage;
    }
    auto argv_words = s3_upload_argv(u.file, u.bucket, u.key);
    argvs.push_back(argv_words);
    lines += shell_join(argv_words) + "\n";
  }
  if (p.count("json"))
    print_out(argvs.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
  else
    print_out(lines);
  return ExitCode::kOk;
}

}  // namespace lambdaform::cli
