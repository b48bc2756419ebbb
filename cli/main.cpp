// lambdaform: render a stack spec into a CloudFormation template. All the work is in the
// library; this file only dispatches to a subcommand (ninja's table, bloaty's thin main).
#include <string>

#include <fmt/format.h>
#include <lambdaform/lambdaform.hpp>

#include "commands.hpp"
#include "heap.hpp"
#include "suggest.hpp"

using lambdaform::cli::ExitCode;
using lambdaform::cli::print_err;
using lambdaform::cli::print_out;

static std::string usage() {
  std::string out = "usage: lambdaform <command> [options]\n\ncommands:\n";
  for (const auto& c : lambdaform::cli::commands())
    out += fmt::format("  {:<15} {}\n", c.name, c.summary);
  out +=
      "\n'lambdaform <command> --help' shows a command's options; every command takes\n"
      "--diagnostics-format human|github|json.\n"
      "exit codes: 0 ok, 1 findings or differences, 2 usage error or unreadable input\n";
  return out;
}

int main(int argc, char** argv) {
  lambdaform::cli::tune_allocator();
  if (argc < 2) {
    print_err(usage());
    return ExitCode::kUsage;
  }
  std::string_view cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    print_out(usage());
    return ExitCode::kOk;
  }
  if (cmd == "--version" || cmd == "version") {
    print_out("lambdaform " + std::string(lambdaform::version()) + "\n");
    return ExitCode::kOk;
  }
  std::vector<std::string> names;
  for (const auto& c : lambdaform::cli::commands()) {
    if (c.name == cmd) return c.run(argc - 1, argv + 1);
    names.emplace_back(c.name);
  }
  std::string hint = lambdaform::detail::did_you_mean(cmd, names);
  print_err("lambdaform: unknown command '" + std::string(cmd) + "'" +
            (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "\n" + usage());
  return ExitCode::kUsage;
}
