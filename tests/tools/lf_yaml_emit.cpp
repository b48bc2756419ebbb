// Test tool: reads one JSON document on stdin, writes lambdaform's YAML rendering of it.
#include <iostream>
#include <iterator>

#include <lambdaform/lambdaform.hpp>

int main() {
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  lambdaform::Json tree = lambdaform::Json::parse(input);
  std::cout << lambdaform::to_yaml(tree);
  return 0;
}
