#pragma once
// Option handling the subcommands share.

#include <optional>
#include <string>
#include <vector>

#include <lambdaform/emit.hpp>
#include <lambdaform/spec.hpp>

#include "args.hpp"

namespace lambdaform::cli {

/// Adds the options every spec-reading subcommand takes (--param, --allow-outside-files,
/// --today).
void add_spec_options(Options& o);

/// Adds --diagnostics-format and --help, parses argv, sets the run's diagnostics format; prints
/// the error or the help and returns the exit code to use, if any. `want_positional` < 0
/// accepts any number of positional arguments.
std::optional<int> parse(Options& o, int argc, char** argv, int want_positional, Args& out);

/// SpecOptions from --param, --allow-outside-files and --today; std::nullopt (after saying
/// why) on a malformed --param.
std::optional<SpecOptions> spec_options(const Args& args);

/// Writes every diagnostic of a compiled spec; returns the exit code the findings call for.
int report(const SpecResult& r, const std::string& spec_path);

/// --format yaml|json (yaml when absent); std::nullopt after saying why.
std::optional<Format> format_option(const Args& args);

}  // namespace lambdaform::cli
