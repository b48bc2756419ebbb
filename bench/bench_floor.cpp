// The whole-process floor: a program that only starts and exits, linked the same way as the
// `lambdaform` CLI (the static library and its shared dependencies, same compiler flags), so
// that it pays the same loader, relocation and static-initialisation costs. The library code is
// referenced, so the linker keeps it, but never runs.
#include <cstdio>
#include <cstring>
#include <string>

#include <lambdaform/lambdaform.hpp>

int main(int argc, char** argv) {
  // Never true in the benchmark; it keeps compile_spec_file, render and their dependencies
  // (libyaml, fmt, nlohmann::json) in the binary, as they are in the CLI.
  if (argc == 3 && std::strcmp(argv[1], "--render-for-real") == 0) {
    lambdaform::SpecResult r = lambdaform::compile_spec_file(argv[2]);
    if (r.failed()) return 1;
    // C stdio as in the CLI, which has no <iostream> (its static initialisation would run here).
    const std::string out = lambdaform::render(*r.tmpl) + std::string(lambdaform::version());
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return 0;
}
