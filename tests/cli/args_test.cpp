// The CLI's option parser (cli/args.cpp).
#include <catch2/catch.hpp>

#include "args.hpp"

using lambdaform::cli::Args;
using lambdaform::cli::Options;
using lambdaform::cli::Takes;

namespace {

Options render_like() {
  Options o("lambdaform render", "Render a stack spec.\nusage: lambdaform render SPEC [-o FILE]");
  o.add({"output", 'o', Takes::value, "Write the template to FILE", "FILE"})
      .add({"format", 0, Takes::value, "yaml (default) or json", "FORMAT"})
      .add({"param", 0, Takes::value, "Parameter value K=V; repeatable", "K=V"})
      .add({"fsync", 0, Takes::nothing, "Make the written file durable"})
      .add({"help", 'h', Takes::nothing, "Show this help"});
  return o;
}

// Parses `argv` (argv[0] is the subcommand); the error, or "" and the result in `out`.
std::string parse(std::vector<const char*> argv, Args& out) {
  auto error = render_like().parse(static_cast<int>(argv.size()), argv.data(), out);
  return error.value_or("");
}

}  // namespace

TEST_CASE("Options: long options take their value from the next argument or after '='",
          "[cli][args]") {
  Args a;
  REQUIRE(parse({"render", "--format", "json", "stack.yaml", "--output=out.yaml"}, a).empty());
  CHECK(a.value("format") == "json");
  CHECK(a.value("output") == "out.yaml");
  CHECK(a.positional == std::vector<std::string>{"stack.yaml"});
  CHECK(a.count("fsync") == 0);
  CHECK(a.value("fsync", "absent") == "absent");
}

TEST_CASE("Options: a one-letter option takes the next argument or the rest of its own",
          "[cli][args]") {
  Args a;
  REQUIRE(parse({"render", "-o", "a.yaml", "s.yaml"}, a).empty());
  CHECK(a.value("output") == "a.yaml");
  Args b;
  REQUIRE(parse({"render", "-ob.yaml", "s.yaml"}, b).empty());
  CHECK(b.value("output") == "b.yaml");
  CHECK(b.positional == std::vector<std::string>{"s.yaml"});
}

TEST_CASE("Options: a repeated option keeps every value in order; value() is the last",
          "[cli][args]") {
  Args a;
  REQUIRE(parse({"render", "--param", "A=1", "s.yaml", "--param=B=2", "--format", "yaml",
                 "--format", "json"},
                a)
              .empty());
  CHECK(a.values("param") == std::vector<std::string>{"A=1", "B=2"});
  CHECK(a.count("param") == 2);
  CHECK(a.value("format") == "json");
}

TEST_CASE("Options: a value may start with a dash; '--' ends the options; '-' is positional",
          "[cli][args]") {
  Args a;
  REQUIRE(parse({"render", "-o", "-", "--param", "--x=1", "-", "--", "--format", "-h"}, a).empty());
  CHECK(a.value("output") == "-");
  CHECK(a.value("param") == "--x=1");
  CHECK(a.positional == std::vector<std::string>{"-", "--format", "-h"});
  CHECK(a.count("format") == 0);
  CHECK(a.count("help") == 0);
}

TEST_CASE("Options: flags are counted and take no value", "[cli][args]") {
  Args a;
  REQUIRE(parse({"render", "--fsync", "-h", "s.yaml"}, a).empty());
  CHECK(a.count("fsync") == 1);
  CHECK(a.count("help") == 1);
  Args b;
  CHECK(parse({"render", "--fsync=yes"}, b) == "option '--fsync' takes no value");
  CHECK(parse({"render", "-hx"}, b) == "option '-h' takes no value, got '-hx'");
}

TEST_CASE("Options: an unknown option is an error that names the closest option",
          "[cli][args]") {
  Args a;
  CHECK(parse({"render", "--fromat", "json"}, a) ==
        "unknown option '--fromat' (did you mean '--format'?)");
  CHECK(parse({"render", "--frobnicate"}, a) == "unknown option '--frobnicate'");
  CHECK(parse({"render", "-x"}, a) == "unknown option '-x'");
  CHECK(parse({"render", "--outptu=x"}, a) ==
        "unknown option '--outptu' (did you mean '--output'?)");
}

TEST_CASE("Options: an option that needs a value and ends the line is an error", "[cli][args]") {
  Args a;
  CHECK(parse({"render", "s.yaml", "--format"}, a) == "option '--format' needs a value (FORMAT)");
  CHECK(parse({"render", "-o"}, a) == "option '-o' needs a value (FILE)");
  Args b;
  REQUIRE(parse({"render", "--format="}, b).empty());  // explicitly empty: the command decides
  CHECK(b.count("format") == 1);
  CHECK(b.value("format", "yaml").empty());
}

TEST_CASE("Options: the help lists every option under the description, wrapped at 80 columns",
          "[cli][args]") {
  Options o("lambdaform demo",
            "First paragraph, long enough to wrap: lorem ipsum dolor sit amet, consectetur "
            "adipiscing elit, sed do eiusmod.\n"
            "usage: lambdaform demo SPEC [--a-very-long-option-name VALUE] [--param K=V ...] "
            "[--more]\n"
            "       lambdaform demo --all DIR");
  o.add({"output", 'o', Takes::value, "Where to write", "FILE"})
      .add({"a-very-long-option-name-indeed", 0, Takes::value,
            "Help that goes on and on about what this option does, far past the edge of the "
            "terminal",
            "VALUE"})
      .add({"json", 0, Takes::nothing, "JSON"});
  CHECK(o.help() ==
        "lambdaform demo\n"
        "First paragraph, long enough to wrap: lorem ipsum dolor sit amet, consectetur\n"
        "adipiscing elit, sed do eiusmod.\n"
        "usage: lambdaform demo SPEC [--a-very-long-option-name VALUE] [--param K=V ...] "
        "[--more]\n"
        "       lambdaform demo --all DIR\n"
        "\n"
        "options:\n"
        "  -o, --output FILE             Where to write\n"
        "      --a-very-long-option-name-indeed VALUE\n"
        "                                Help that goes on and on about what this option\n"
        "                                does, far past the edge of the terminal\n"
        "      --json                    JSON\n");
}
