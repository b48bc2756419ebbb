// Test tool: reads YAML on stdin and writes it as JSON (CloudFormation short-form tags become
// long-form intrinsics). By default through lambdaform's loader (libyaml, the spec limits raised);
// with --yaml-cpp through yaml-cpp 0.7, a second, independent reader of the emitter's output.
#include <cstring>
#include <iostream>
#include <iterator>

#include "yaml_loader.hpp"
#include "yamlcpp_reader.hpp"

int main(int argc, char** argv) {
  const bool yaml_cpp = argc > 1 && std::strcmp(argv[1], "--yaml-cpp") == 0;
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  lambdaform::Json j;
  bool ok = true;
  if (yaml_cpp) {
    std::string why;
    ok = lftest::read_with_yaml_cpp(input, j, why);
    std::cerr << why;
    if (!ok) return 1;
  } else {
    lambdaform::detail::LoadLimits limits;
    limits.max_bytes = 64u << 20;
    limits.max_depth = 1000;
    limits.max_nodes = 10000000;
    auto result = lambdaform::detail::load_yaml(input, "<stdin>", limits);
    for (const auto& d : result.diagnostics) std::cerr << lambdaform::format(d) << "\n";
    if (!result.root) return 1;
    lambdaform::Diagnostics diags;
    j = lambdaform::detail::to_json(*result.root, "<stdin>", diags);
    for (const auto& d : diags) std::cerr << lambdaform::format(d) << "\n";
    ok = diags.empty();
  }
  std::cout << j.dump(-1, ' ', false, lambdaform::Json::error_handler_t::strict) << "\n";
  return ok ? 0 : 1;
}
