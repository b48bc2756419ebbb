#include "commands.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include <cxxopts.hpp>
#include <fmt/format.h>
#include <lambdaform/lambdaform.hpp>

namespace lambdaform::cli {

namespace {

// Options every spec-reading subcommand shares.
void add_spec_options(cxxopts::Options& o) {
  o.add_options()("param", "Parameter value K=V (becomes the parameter's Default); repeatable",
                  cxxopts::value<std::vector<std::string>>())(
      "allow-outside-files", "Let inline_file name files outside the spec's folder")(
      "today", "Date (YYYY-MM-DD) for the runtime deprecation table; default: today",
      cxxopts::value<std::string>())("h,help", "Show this help");
}

struct Parsed {
  cxxopts::ParseResult args;
  std::vector<std::string> positional;
};

// Parses argv; prints the error or the help and returns the exit code to use, if any.
std::optional<int> parse(cxxopts::Options& o, int argc, char** argv, std::size_t want_positional,
                         Parsed& out) {
  o.add_options()("positional", "", cxxopts::value<std::vector<std::string>>());
  o.parse_positional({"positional"});
  try {
    out.args = o.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    std::cerr << "lambdaform: " << e.what() << "\n" << o.help() << "\n";
    return ExitCode::kUsage;
  }
  if (out.args.count("help")) {
    std::cout << o.help() << "\n";
    return ExitCode::kOk;
  }
  if (out.args.count("positional")) out.positional = out.args["positional"].as<std::vector<std::string>>();
  if (out.positional.size() != want_positional) {
    std::cerr << fmt::format("lambdaform: expected {} argument{}, got {}\n", want_positional,
                             want_positional == 1 ? "" : "s", out.positional.size())
              << o.help() << "\n";
    return ExitCode::kUsage;
  }
  return std::nullopt;
}

std::optional<SpecOptions> spec_options(const cxxopts::ParseResult& args) {
  SpecOptions so;
  if (args.count("param"))
    for (const auto& kv : args["param"].as<std::vector<std::string>>()) {
      auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "lambdaform: --param takes KEY=VALUE, got '" << kv << "'\n";
        return std::nullopt;
      }
      so.params[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  so.allow_files_outside_spec_dir = args.count("allow-outside-files") > 0;
  if (args.count("today")) so.today = args["today"].as<std::string>();
  return so;
}

// Prints every diagnostic to stderr; returns the exit code the findings call for.
int report(const SpecResult& r) {
  for (const auto& d : r.diagnostics) std::cerr << format_with_source(d, r.source) << "\n";
  if (r.unreadable) return ExitCode::kUsage;
  return r.failed() ? ExitCode::kFindings : ExitCode::kOk;
}

std::optional<Format> format_option(const cxxopts::ParseResult& args) {
  std::string f = args.count("format") ? args["format"].as<std::string>() : "yaml";
  if (f == "yaml") return Format::yaml;
  if (f == "json") return Format::json;
  std::cerr << "lambdaform: --format takes yaml or json, not '" << f << "'\n";
  return std::nullopt;
}

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> kCommands = {
      {"render", "Render a stack spec into a CloudFormation template", render},
      {"validate", "Report every problem in a stack spec", validate},
      {"check", "Exit 1 with a diff when a committed template differs from a fresh render", check},
      {"plan", "Explain which versions a render publishes and which aliases move", plan},
  };
  return kCommands;
}

int render(int argc, char** argv) {
  cxxopts::Options o("lambdaform render", "Render a stack spec into a CloudFormation template.\n"
                                          "usage: lambdaform render SPEC [-o FILE] [--format yaml|json] [--param K=V ...]");
  o.add_options()("o,output", "Write the template to FILE (atomically) instead of stdout",
                  cxxopts::value<std::string>())("format", "yaml (default) or json",
                                                 cxxopts::value<std::string>());
  add_spec_options(o);
  Parsed p;
  if (auto rc = parse(o, argc, argv, 1, p)) return *rc;
  auto so = spec_options(p.args);
  auto fmt_opt = format_option(p.args);
  if (!so || !fmt_opt) return ExitCode::kUsage;
  SpecResult r = compile_spec_file(p.positional[0], *so);
  int rc = report(r);
  if (rc != ExitCode::kOk) return rc;
  std::string out = lambdaform::render(*r.tmpl, *fmt_opt);
  if (!p.args.count("output")) {
    std::cout << out;
    std::cout.flush();
    return std::cout ? ExitCode::kOk : ExitCode::kUsage;
  }
  std::string error;
  if (!write_file_atomic(p.args["output"].as<std::string>(), out, error)) {
    std::cerr << "lambdaform: " << error << "\n";
    return ExitCode::kUsage;
  }
  return ExitCode::kOk;
}

int validate(int argc, char** argv) {
  cxxopts::Options o("lambdaform validate", "Report every problem in a stack spec; exit 0 when there are no errors.\n"
                                            "usage: lambdaform validate SPEC [--param K=V ...]");
  add_spec_options(o);
  Parsed p;
  if (auto rc = parse(o, argc, argv, 1, p)) return *rc;
  auto so = spec_options(p.args);
  if (!so) return ExitCode::kUsage;
  return report(compile_spec_file(p.positional[0], *so));
}

int check(int argc, char** argv) {
  cxxopts::Options o("lambdaform check", "Exit 0 when FILE is exactly what render would write now, 1 with a diff when not.\n"
                                         "usage: lambdaform check SPEC FILE [--format yaml|json] [--param K=V ...]");
  o.add_options()("format", "yaml (default) or json", cxxopts::value<std::string>());
  add_spec_options(o);
  Parsed p;
  if (auto rc = parse(o, argc, argv, 2, p)) return *rc;
  auto so = spec_options(p.args);
  auto fmt_opt = format_option(p.args);
  if (!so || !fmt_opt) return ExitCode::kUsage;
  SpecResult r = compile_spec_file(p.positional[0], *so);
  int rc = report(r);
  if (rc != ExitCode::kOk) return rc;
  const std::string& file = p.positional[1];
  std::string committed;
  if (!read_file(file, committed)) return ExitCode::kUsage;
  std::string fresh = lambdaform::render(*r.tmpl, *fmt_opt);
  if (fresh == committed) return ExitCode::kOk;
  std::cout << unified_diff(committed, fresh, file, "lambdaform render " + p.positional[0]);
  std::cerr << file << " is not what `lambdaform render " << p.positional[0]
            << "` writes now; render it again and commit the result\n";
  return ExitCode::kFindings;
}

int plan(int argc, char** argv) {
  cxxopts::Options o("lambdaform plan",
                     "Compare a previously rendered template with a fresh render of SPEC: which functions "
                     "publish a new version and because of which version-locked properties, which aliases "
                     "move from which version to which.\n"
                     "usage: lambdaform plan OLD_TEMPLATE SPEC [--param K=V ...]");
  add_spec_options(o);
  Parsed p;
  if (auto rc = parse(o, argc, argv, 2, p)) return *rc;
  auto so = spec_options(p.args);
  if (!so) return ExitCode::kUsage;
  const std::string& old_file = p.positional[0];
  std::string old_text;
  if (!read_file(old_file, old_text)) return ExitCode::kUsage;
  SpecResult r = compile_spec_file(p.positional[1], *so);
  int rc = report(r);
  if (rc != ExitCode::kOk) return rc;
  Diagnostics diags;
  auto old_tree = read_template(old_text, old_file, diags);
  for (const auto& d : diags) std::cerr << format_with_source(d, old_text) << "\n";
  if (!old_tree) return ExitCode::kFindings;
  std::cout << format_plan(lambdaform::plan(*old_tree, to_tree(*r.tmpl)));
  return ExitCode::kOk;
}

bool read_file(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    std::cerr << "lambdaform: cannot read " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool ok = !std::ferror(f);
  std::fclose(f);
  if (!ok) std::cerr << "lambdaform: cannot read " << path << "\n";
  return ok;
}

bool write_file_atomic(const std::string& path, const std::string& content, std::string& error) {
  std::string tmp = path + ".lambdaform-tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
    return false;
  }
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
    ::unlink(tmp.c_str());
    return false;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace lambdaform::cli
