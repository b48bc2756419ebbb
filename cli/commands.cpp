#include "commands.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <lambdaform/lambdaform.hpp>

#include "heap.hpp"
#include "options.hpp"

namespace fs = std::filesystem;

namespace lambdaform::cli {

DiagnosticsFormat& diagnostics_format() {
  static DiagnosticsFormat format = DiagnosticsFormat::human;
  return format;
}

bool print_out(std::string_view text) {
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
}

void print_err(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
}

void emit(const Diagnostic& d, std::string_view source, std::string_view fallback_file) {
  print_err(format_diagnostic(d, diagnostics_format(), source, fallback_file) + "\n");
}

void problem(const std::string& message, const std::string& file, const char* rule) {
  if (diagnostics_format() == DiagnosticsFormat::human) {
    print_err("lambdaform: " + message + "\n");
    return;
  }
  emit(Diagnostic{Severity::error, rule, message, "", std::nullopt}, {}, file);
}

void add_spec_options(Options& o) {
  o.add({"param", 0, Takes::value,
         "Parameter value K=V (becomes the parameter's Default); repeatable", "K=V"})
      .add({"allow-outside-files", 0, Takes::nothing,
            "Let inline_file and package name files outside the spec's folder"})
      .add({"today", 0, Takes::value,
            "Date (YYYY-MM-DD) for the runtime deprecation table; default: today", "DATE"});
}

std::optional<int> parse(Options& o, int argc, char** argv, int want_positional, Args& out) {
  o.add({"diagnostics-format", 0, Takes::value,
         "How diagnostics are written to stderr: human (default), github (GitHub Actions "
         "workflow commands) or json (one object per line)",
         "FORMAT"})
      .add({"help", 'h', Takes::nothing, "Show this help"});
  if (auto error = o.parse(argc, argv, out)) {
    print_err(fmt::format("lambdaform: {}\n'{} --help' lists the options\n", *error, o.program()));
    return ExitCode::kUsage;
  }
  if (out.count("diagnostics-format")) {
    const std::string name = out.value("diagnostics-format");
    auto f = parse_diagnostics_format(name);
    if (!f) {
      print_err("lambdaform: --diagnostics-format takes human, github or json, not '" + name +
                "'\n");
      return ExitCode::kUsage;
    }
    diagnostics_format() = *f;
  }
  if (out.count("help")) {
    print_out(o.help());
    return ExitCode::kOk;
  }
  if (want_positional >= 0 && out.positional.size() != static_cast<std::size_t>(want_positional)) {
    print_err(fmt::format(
        "lambdaform: expected {} argument{}, got {}\n'{} --help' lists the options\n",
        want_positional, want_positional == 1 ? "" : "s", out.positional.size(), o.program()));
    return ExitCode::kUsage;
  }
  return std::nullopt;
}

std::optional<SpecOptions> spec_options(const Args& args) {
  SpecOptions so;
  for (const auto& kv : args.values("param")) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      print_err("lambdaform: --param takes KEY=VALUE, got '" + kv + "'\n");
      return std::nullopt;
    }
    so.params[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  so.allow_files_outside_spec_dir = args.count("allow-outside-files") > 0;
  if (args.count("today")) so.today = args.value("today");
  return so;
}

int report(const SpecResult& r, const std::string& spec_path) {
  for (const auto& line :
       format_diagnostics(r.diagnostics, diagnostics_format(), r.source, spec_path))
    print_err(line + "\n");
  if (r.unreadable) return ExitCode::kUsage;
  return r.failed() ? ExitCode::kFindings : ExitCode::kOk;
}

std::optional<Format> format_option(const Args& args) {
  const std::string f = args.value("format", "yaml");
  if (f == "yaml") return Format::yaml;
  if (f == "json") return Format::json;
  print_err("lambdaform: --format takes yaml or json, not '" + f + "'\n");
  return std::nullopt;
}

const std::vector<Command>& commands() {
  static const std::vector<Command> kCommands = {
      {"render", "Render a stack spec (or every spec under a folder) into CloudFormation templates",
       render},
      {"validate", "Report every problem in a stack spec", validate},
      {"check", "Exit 1 with a diff when a committed template differs from a fresh render", check},
      {"plan", "Explain which versions a render publishes and which aliases move", plan},
      {"diff", "Summarise the change between two rendered templates for a pull request", diff},
      {"deploy-command",
       "Print the exact `aws cloudformation deploy` command for a spec's template", deploy_command},
      {"package", "Build the reproducible code packages of a spec and print their upload commands",
       package},
  };
  return kCommands;
}

namespace {

// render --all DIR -o OUTDIR: every spec under DIR, rendered and written by worker threads,
// reported in path order. Files are written atomically (temporary file + rename) without an
// fsync each (a thousand fsyncs took longer than all the rendering); with --fsync one syncfs()
// of the output file system at the end makes them durable together before the exit code says
// they are.
int render_all(const std::string& dir, const std::string& outdir, const SpecOptions& so,
               Format format, bool durable) {
  Diagnostics found;
  std::vector<std::string> specs = discover_specs(dir, found);
  for (const auto& d : found) emit(d, {}, dir);
  if (has_errors(found)) return ExitCode::kUsage;
  if (specs.empty()) {
    problem(fmt::format("no stack specs (stack.yaml or *.stack.yaml) under {}", dir), dir,
            "LF0009");
    return ExitCode::kFindings;
  }
  // What the report needs of each spec; the template and its text are dropped once written.
  struct Job {
    Diagnostics diagnostics;
    std::string source;      // only when there are diagnostics to show under
    int rc = ExitCode::kOk;  // report()'s exit code, and kUsage for a failed write
    std::string output, write_error;
  };
  std::vector<Job> jobs(specs.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < specs.size();) {
      SpecResult r = compile_spec_file(specs[i], so);
      Job& job = jobs[i];
      job.rc = r.unreadable ? ExitCode::kUsage : r.failed() ? ExitCode::kFindings : ExitCode::kOk;
      if (job.rc == ExitCode::kOk) {
        job.output = output_path_for(specs[i], dir, outdir, format);
        std::error_code ec;
        fs::create_directories(fs::path(job.output).parent_path(), ec);
        if (!write_file_atomic(job.output, rendered_text(r, format), job.write_error, false))
          job.rc = ExitCode::kUsage;
      }
      if (!r.diagnostics.empty()) job.source = std::move(r.source);
      job.diagnostics = std::move(r.diagnostics);
    }
  };
  // Twice the cores: a worker waiting in the file system (creating, writing, renaming) leaves its
  // core to another instead of idling it.
  const std::size_t workers =
      std::min<std::size_t>(specs.size(), 2 * std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  int worst = ExitCode::kOk;
  std::size_t rendered = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    for (const auto& d : jobs[i].diagnostics) emit(d, jobs[i].source, specs[i]);
    if (!jobs[i].write_error.empty())
      problem(jobs[i].write_error, jobs[i].output);
    else if (jobs[i].rc == ExitCode::kOk)
      ++rendered;
    worst = std::max(worst, jobs[i].rc);
  }
  if (rendered > 0 && durable) {
    const int fd = ::open(outdir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || ::syncfs(fd) != 0) {
      problem(fmt::format("cannot sync {}: {}", outdir, std::strerror(errno)), outdir);
      worst = std::max<int>(worst, ExitCode::kUsage);
    }
    if (fd >= 0) ::close(fd);
  }
  if (diagnostics_format() == DiagnosticsFormat::human)
    print_err(fmt::format("lambdaform: rendered {} of {} spec{} into {}\n", rendered, specs.size(),
                          specs.size() == 1 ? "" : "s", outdir));
  return worst;
}

}  // namespace

int render(int argc, char** argv) {
  Options o("lambdaform render",
            "Render a stack spec into a CloudFormation template.\n"
            "usage: lambdaform render SPEC [-o FILE] [--format yaml|json] [--param K=V ...]\n"
            "       lambdaform render --all DIR -o OUTDIR [--format yaml|json] [--param K=V ...]\n"
            "--all renders every stack.yaml / NAME.stack.yaml under DIR (hidden folders and "
            "node_modules skipped) into OUTDIR/<folder>/template.yaml / NAME.template.yaml, in "
            "parallel; a bad spec does not stop the others and the exit code is the worst result.");
  o.add({"output", 'o', Takes::value,
         "Write the template to FILE (atomically) instead of stdout; with --all, the output folder",
         "FILE"})
      .add({"format", 0, Takes::value, "yaml (default) or json", "FORMAT"})
      .add({"all", 0, Takes::value, "Render every spec under DIR", "DIR"})
      .add({"fsync", 0, Takes::nothing,
            "Make the written files durable (fsync; with --all one syncfs) before exiting: they "
            "then survive a power loss, at 5-20 ms a render"});
  add_spec_options(o);
  Args p;
  const bool all = std::any_of(argv + 1, argv + argc, [](const char* a) {
    return std::strcmp(a, "--all") == 0 || std::strncmp(a, "--all=", 6) == 0;
  });
  if (auto rc = parse(o, argc, argv, all ? 0 : 1, p)) return *rc;
  auto so = spec_options(p);
  auto fmt_opt = format_option(p);
  if (!so || !fmt_opt) return ExitCode::kUsage;
  const bool durable = p.count("fsync") > 0;
  if (all) {
    if (!p.count("output")) {
      print_err("lambdaform: render --all needs -o OUTDIR\n");
      return ExitCode::kUsage;
    }
    return render_all(p.value("all"), p.value("output"), *so, *fmt_opt, durable);
  }
  prefault_heap_for(p.positional[0], so->max_spec_bytes);
  SpecResult r = compile_spec_file(p.positional[0], *so);
  int rc = report(r, p.positional[0]);
  if (rc != ExitCode::kOk) return rc;
  std::string out = rendered_text(r, *fmt_opt);
  if (!p.count("output")) {
    const bool written = print_out(out) && std::fflush(stdout) == 0;
    keep_until_exit(std::move(r));
    return written ? ExitCode::kOk : ExitCode::kUsage;
  }
  std::string error;
  const std::string target = p.value("output");
  if (!write_file_atomic(target, out, error, durable)) {
    problem(error, target);
    return ExitCode::kUsage;
  }
  keep_until_exit(std::move(r));
  return ExitCode::kOk;
}

int validate(int argc, char** argv) {
  Options o("lambdaform validate",
            "Report every problem in a stack spec; exit 0 when there are no errors.\n"
            "usage: lambdaform validate SPEC [--param K=V ...]");
  add_spec_options(o);
  Args p;
  if (auto rc = parse(o, argc, argv, 1, p)) return *rc;
  auto so = spec_options(p);
  if (!so) return ExitCode::kUsage;
  prefault_heap_for(p.positional[0], so->max_spec_bytes);
  SpecResult r = compile_spec_file(p.positional[0], *so);
  const int rc = report(r, p.positional[0]);
  keep_until_exit(std::move(r));
  return rc;
}

int check(int argc, char** argv) {
  Options o("lambdaform check",
            "Exit 0 when FILE is exactly what render would write now, 1 with a diff when not.\n"
            "usage: lambdaform check SPEC FILE [--format yaml|json] [--param K=V ...]");
  o.add({"format", 0, Takes::value, "yaml (default) or json", "FORMAT"});
  add_spec_options(o);
  Args p;
  if (auto rc = parse(o, argc, argv, 2, p)) return *rc;
  auto so = spec_options(p);
  auto fmt_opt = format_option(p);
  if (!so || !fmt_opt) return ExitCode::kUsage;
  prefault_heap_for(p.positional[0], so->max_spec_bytes);
  SpecResult r = compile_spec_file(p.positional[0], *so);
  int rc = report(r, p.positional[0]);
  if (rc != ExitCode::kOk) return rc;
  const std::string& file = p.positional[1];
  std::string committed;
  if (!read_file(file, committed)) return ExitCode::kUsage;
  std::string fresh = rendered_text(r, *fmt_opt);
  if (fresh == committed) return ExitCode::kOk;
  print_out(unified_diff(committed, fresh, file, "lambdaform render " + p.positional[0]));
  const std::string message = fmt::format(
      "{} is not what `lambdaform render {}` writes now; render it again and "
      "commit the result",
      file, p.positional[0]);
  if (diagnostics_format() == DiagnosticsFormat::human)
    print_err(message + "\n");
  else
    emit(Diagnostic{Severity::error, "LF7201", message, "", std::nullopt}, {}, file);
  return ExitCode::kFindings;
}

int plan(int argc, char** argv) {
  Options o("lambdaform plan",
            "Compare a previously rendered template with a fresh render of SPEC: which functions "
            "publish a new version and because of which version-locked properties, which aliases "
            "move from which version to which.\n"
            "usage: lambdaform plan OLD_TEMPLATE SPEC [--param K=V ...]");
  add_spec_options(o);
  Args p;
  if (auto rc = parse(o, argc, argv, 2, p)) return *rc;
  auto so = spec_options(p);
  if (!so) return ExitCode::kUsage;
  const std::string& old_file = p.positional[0];
  std::string old_text;
  if (!read_file(old_file, old_text)) return ExitCode::kUsage;
  prefault_heap_for(p.positional[1], so->max_spec_bytes);
  SpecResult r = compile_spec_file(p.positional[1], *so);
  int rc = report(r, p.positional[1]);
  if (rc != ExitCode::kOk) return rc;
  Diagnostics diags;
  auto old_tree = read_template(old_text, old_file, diags);
  for (const auto& d : diags) emit(d, old_text, old_file);
  if (!old_tree) return ExitCode::kFindings;
  print_out(format_plan(lambdaform::plan(*old_tree, to_tree(*r.tmpl))));
  return ExitCode::kOk;
}

bool read_file(const std::string& path, std::string& out) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    problem(fmt::format("cannot read {}: it is a directory", path), path);
    return false;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    problem(fmt::format("cannot read {}: {}", path, std::strerror(errno)), path);
    return false;
  }
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool ok = !std::ferror(f);
  std::fclose(f);
  if (!ok) problem(fmt::format("cannot read {}", path), path);
  return ok;
}

void keep_until_exit(SpecResult&& r) {
  static SpecResult* kept = nullptr;  // the CLI's one long-lived object, freed by the exit
  delete kept;
  kept = new SpecResult(std::move(r));
}

std::string rendered_text(SpecResult& r, Format format) {
  // compile_spec's validation rendered the YAML to measure it: no second render.
  if (format == Format::yaml && !r.yaml.empty()) return std::move(r.yaml);
  return lambdaform::render(*r.tmpl, format);
}

bool write_file_atomic(const std::string& path, const std::string& content, std::string& error,
                       bool sync) {
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
  if ((sync && ::fsync(fd) != 0) || ::close(fd) != 0) {
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
