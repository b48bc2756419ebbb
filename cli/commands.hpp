#pragma once
// The subcommands of the lambdaform CLI. Each takes its own argv (argv[0] is the subcommand)
// and returns the process exit code.

#include <string>
#include <string_view>
#include <vector>

#include <lambdaform/ci.hpp>
#include <lambdaform/diagnostic.hpp>
#include <lambdaform/emit.hpp>
#include <lambdaform/spec.hpp>

namespace lambdaform::cli {

/// Documented exit codes.
enum ExitCode : int { kOk = 0, kFindings = 1, kUsage = 2 };

/// One subcommand: name, one-line help, entry point.
struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(int argc, char** argv);
};

/// The table of subcommands, in help order.
const std::vector<Command>& commands();

int render(int argc, char** argv);
int validate(int argc, char** argv);
int check(int argc, char** argv);
int plan(int argc, char** argv);
int diff(int argc, char** argv);
int deploy_command(int argc, char** argv);
int package(int argc, char** argv);

/// Writes `text` to standard output; false when it could not. C stdio, not iostreams: the CLI
/// has no <iostream>, whose static initialisation (and the locale it builds) cost every process
/// about 0.35 ms here (bench/README.md, session 12).
bool print_out(std::string_view text);

/// Writes `text` to standard error.
void print_err(std::string_view text);

/// The --diagnostics-format of this run (human until a subcommand parses its options).
DiagnosticsFormat& diagnostics_format();

/// Writes one diagnostic to stderr in the run's format; `source` is the text of the file it
/// points into (for the caret), `fallback_file` names the file when the diagnostic has no
/// location.
void emit(const Diagnostic& d, std::string_view source = {}, std::string_view fallback_file = {});

/// A problem that is not about a file's content (unreadable input, write failure): in the human
/// format "lambdaform: MESSAGE", otherwise an error diagnostic with `rule` located at `file`.
void problem(const std::string& message, const std::string& file, const char* rule = "LF0009");

/// Reads a whole file; on failure reports why (problem()) and returns false.
bool read_file(const std::string& path, std::string& out);

/// Writes `content` to `path` atomically: a temporary file in the same folder, renamed over the
/// target, so a reader sees the old file or the new one, never a part. `sync` also fsyncs the
/// temporary file first (durable across a power loss). On failure the target is untouched and
/// `error` says why.
bool write_file_atomic(const std::string& path, const std::string& content, std::string& error,
                       bool sync);

/// The template text of a compiled spec: the YAML validation already rendered, or a render.
std::string rendered_text(SpecResult& r, Format format);

/// Keeps a compiled spec until the process exits instead of destroying it: the command returns
/// to main and the process ends, and the kernel takes the heap back whole, where taking a
/// 500-resource template apart object by object was 4% of a render (ninja does the same). The
/// result stays reachable, so valgrind and LeakSanitizer do not report it as lost.
void keep_until_exit(SpecResult&& r);

/// A unified diff of two texts (3 lines of context), empty when they are equal.
std::string unified_diff(const std::string& a, const std::string& b, const std::string& a_name,
                         const std::string& b_name);

}  // namespace lambdaform::cli
