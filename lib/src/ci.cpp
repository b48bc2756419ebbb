#include "lambdaform/ci.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "lambdaform/json.hpp"
#include "lambdaform/spec.hpp"

namespace fs = std::filesystem;

namespace lambdaform {

std::optional<DiagnosticsFormat> parse_diagnostics_format(std::string_view name) {
  if (name == "human") return DiagnosticsFormat::human;
  if (name == "github") return DiagnosticsFormat::github;
  if (name == "json") return DiagnosticsFormat::json;
  return std::nullopt;
}

std::string github_escape_data(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string github_escape_property(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : github_escape_data(s)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

std::string format_github(const Diagnostic& d, std::string_view fallback_file) {
  std::string_view command = d.severity == Severity::error     ? "error"
                             : d.severity == Severity::warning ? "warning"
                                                               : "notice";
  std::vector<std::string> props;
  if (d.location && !d.location->file.empty()) {
    props.push_back("file=" + github_escape_property(d.location->file));
    if (d.location->line) props.push_back(fmt::format("line={}", d.location->line));
    if (d.location->line && d.location->column)
      props.push_back(fmt::format("col={}", d.location->column));
  } else if (!fallback_file.empty()) {
    props.push_back("file=" + github_escape_property(fallback_file));
  }
  if (!d.rule.empty()) props.push_back("title=" + github_escape_property(d.rule));
  std::string message = d.message;
  if (!d.location && !d.path.empty()) message = d.path + ": " + message;
  return fmt::format("::{}{}{}::{}", command, props.empty() ? "" : " ", fmt::join(props, ","),
                     github_escape_data(message));
}

std::string format_json(const Diagnostic& d, std::string_view fallback_file) {
  Json j = Json::object();
  if (d.location && !d.location->file.empty())
    j["file"] = d.location->file;
  else if (!fallback_file.empty())
    j["file"] = std::string(fallback_file);
  else
    j["file"] = nullptr;
  if (d.location && d.location->line)
    j["line"] = d.location->line;
  else
    j["line"] = nullptr;
  if (d.location && d.location->line && d.location->column)
    j["column"] = d.location->column;
  else
    j["column"] = nullptr;
  j["rule"] = d.rule;
  j["severity"] = std::string(to_string(d.severity));
  j["message"] = d.message;
  j["path"] = d.path;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string format_diagnostic(const Diagnostic& d, DiagnosticsFormat format,
                              std::string_view source, std::string_view fallback_file) {
  switch (format) {
    case DiagnosticsFormat::github:
      return format_github(d, fallback_file);
    case DiagnosticsFormat::json:
      return format_json(d, fallback_file);
    case DiagnosticsFormat::human:
      break;
  }
  if (!d.location && !fallback_file.empty())
    return fmt::format("{}: {}: {} [{}]", fallback_file, to_string(d.severity), d.message, d.rule);
  return format_with_source(d, source);
}

std::vector<std::string> format_diagnostics(const Diagnostics& ds, DiagnosticsFormat format,
                                            std::string_view source,
                                            std::string_view fallback_file) {
  if (format != DiagnosticsFormat::human) {
    std::vector<std::string> out;
    out.reserve(ds.size());
    for (const auto& d : ds) out.push_back(format_diagnostic(d, format, source, fallback_file));
    return out;
  }
  std::vector<std::string> out = format_with_source(ds, source);
  for (std::size_t i = 0; i < ds.size(); ++i)
    if (!ds[i].location && !fallback_file.empty())
      out[i] = format_diagnostic(ds[i], format, source, fallback_file);
  return out;
}

namespace {

bool is_spec_name(const std::string& name) {
  static const std::string kSuffix = ".stack.yaml";
  return name == "stack.yaml" ||
         (name.size() > kSuffix.size() &&
          name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0);
}

void walk(const fs::path& dir, std::vector<std::string>& out, Diagnostics& diags, int depth) {
  if (depth > 64) return;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& e = *it;
    const std::string name = e.path().filename().string();
    std::error_code sec;
    if (e.is_directory(sec) && !e.is_symlink(sec)) {
      if (name.empty() || name[0] == '.' || name == "node_modules") continue;
      walk(e.path(), out, diags, depth + 1);
    } else if (is_spec_name(name) && e.is_regular_file(sec)) {
      out.push_back(e.path().generic_string());
    }
  }
  if (ec)
    diags.push_back(Diagnostic{Severity::error, "LF0009",
                               fmt::format("cannot read the directory: {}", ec.message()),
                               dir.generic_string(), std::nullopt});
}

}  // namespace

std::vector<std::string> discover_specs(const std::string& dir, Diagnostics& diagnostics) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diagnostics.push_back(Diagnostic{Severity::error, "LF0009",
                                     "not a directory (render --all takes a folder of specs)", dir,
                                     std::nullopt});
    return out;
  }
  walk(fs::path(dir), out, diagnostics, 0);
  std::sort(out.begin(), out.end());
  return out;
}

std::string output_path_for(const std::string& spec, const std::string& dir,
                            const std::string& outdir, Format format) {
  const fs::path s(spec);
  fs::path rel = s.parent_path().lexically_relative(fs::path(dir));
  if (rel.empty() || rel == ".") rel = fs::path();
  const std::string name = s.filename().string();
  const std::string ext = format == Format::json ? ".json" : ".yaml";
  std::string out_name =
      name == "stack.yaml"
          ? "template" + ext
          : name.substr(0, name.size() - std::string(".stack.yaml").size()) + ".template" + ext;
  return (fs::path(outdir) / rel / out_name).lexically_normal().generic_string();
}

}  // namespace lambdaform
