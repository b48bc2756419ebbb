// Test tool: reads YAML on stdin with lambdaform's yaml-cpp based loader, writes it as JSON
// (CloudFormation short-form tags become long-form intrinsics).
#include <iostream>
#include <iterator>

#include "yaml_loader.hpp"

int main() {
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  lambdaform::detail::LoadLimits limits;
  limits.max_bytes = 64u << 20;
  limits.max_nodes = 10000000;
  auto result = lambdaform::detail::load_yaml(input, "<stdin>", limits);
  for (const auto& d : result.diagnostics) std::cerr << lambdaform::format(d) << "\n";
  if (!result.root) return 1;
  lambdaform::Diagnostics diags;
  lambdaform::Json j = lambdaform::detail::to_json(*result.root, "<stdin>", diags);
  for (const auto& d : diags) std::cerr << lambdaform::format(d) << "\n";
  std::cout << j.dump(-1, ' ', false, lambdaform::Json::error_handler_t::strict) << "\n";
  return diags.empty() ? 0 : 1;
}
