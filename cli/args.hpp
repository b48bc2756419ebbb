#pragma once
// The subcommands' command-line options: one table per subcommand, parsed GNU-style
// (--name VALUE, --name=VALUE, -x VALUE, -xVALUE, `--` ends the options, an option given twice
// keeps both values), and the help text made from the same table.
//
// Our own rather than cxxopts: cxxopts parses through std::locale, and a locale's first use in
// a process costs about a quarter of a millisecond here, a tenth of the start-and-exit floor
// (bench/README.md, session 12). This code uses neither locales nor iostreams.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambdaform::cli {

/// Whether an option takes a value.
enum class Takes { nothing, value };

/// One option of a subcommand.
struct Option {
  std::string_view name;           ///< long name, without the dashes
  char letter = 0;                 ///< one-letter name (`-o`), 0 for none
  Takes takes = Takes::nothing;    ///< a flag, or an option with a value
  std::string_view help;           ///< one sentence for the help text
  std::string_view value = "ARG";  ///< the value's name in the help text
};

/// What a command line held: the options in the order given, and the positional arguments.
struct Args {
  std::vector<std::pair<std::string, std::string>> given;  ///< long name, value ("" for a flag)
  std::vector<std::string> positional;                     ///< the arguments that are not options

  /// How many times option `name` was given.
  std::size_t count(std::string_view name) const;
  /// The value of the last `name` given, or `fallback` when it was not given.
  std::string value(std::string_view name, std::string_view fallback = {}) const;
  /// Every value given for `name`, in order.
  std::vector<std::string> values(std::string_view name) const;
};

/// A subcommand's option table and help.
class Options {
 public:
  /// `program` heads the help ("lambdaform render"); `description` follows it, one paragraph
  /// per line.
  Options(std::string_view program, std::string_view description);

  /// Adds one option; returns *this for chaining.
  Options& add(Option option);

  /// Parses argv[1..argc) (argv[0] is the subcommand) into `out`; on a malformed command line
  /// returns what is wrong ("unknown option '--fromat' (did you mean '--format'?)").
  std::optional<std::string> parse(int argc, const char* const* argv, Args& out) const;

  /// The program's name as given ("lambdaform render").
  const std::string& program() const { return program_; }

  /// The help text: the program, the description and one entry per option, wrapped at 80
  /// columns.
  std::string help() const;

 private:
  const Option* find(std::string_view name) const;
  const Option* find(char letter) const;

  std::string program_;
  std::string description_;
  std::vector<Option> options_;
};

}  // namespace lambdaform::cli
