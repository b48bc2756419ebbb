#pragma once
// Option handling the subcommands share.

#include <optional>
#include <string>
#include <vector>

#include <cxxopts.hpp>
#include <lambdaform/emit.hpp>
#include <lambdaform/spec.hpp>

namespace lambdaform::cli {

/// Adds the options every spec-reading subcommand takes (--param, --allow-outside-files,
/// --today, --help).
void add_spec_options(cxxopts::Options& o);

/// Parsed options and positional arguments.
struct Parsed {
  cxxopts::ParseResult args;
  std::vector<std::string> positional;
};

/// Adds --diagnostics-format and the positional arguments, parses argv, sets the run's
/// diagnostics format; prints the error or the help and returns the exit code to use, if any.
/// `want_positional` < 0 accepts any number.
std::optional<int> parse(cxxopts::Options& o, int argc, char** argv, int want_positional,
                         Parsed& out);

/// SpecOptions from --param, --allow-outside-files and --today; std::nullopt (after saying
/// why) on a malformed --param.
std::optional<SpecOptions> spec_options(const cxxopts::ParseResult& args);

/// Writes every diagnostic of a compiled spec; returns the exit code the findings call for.
int report(const SpecResult& r, const std::string& spec_path);

/// --format yaml|json (yaml when absent); std::nullopt after saying why.
std::optional<Format> format_option(const cxxopts::ParseResult& args);

}  // namespace lambdaform::cli
