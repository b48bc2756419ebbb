// Test tool: reads one JSON document on stdin, writes lambdaform's YAML rendering of it (with
// --json, its JSON rendering: the other output of the same tree).
#include <iostream>
#include <iterator>
#include <string>

#include <lambdaform/lambdaform.hpp>

int main(int argc, char** argv) {
  const bool json = argc > 1 && std::string(argv[1]) == "--json";
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  lambdaform::Json tree = lambdaform::Json::parse(input);
  std::cout << (json ? lambdaform::to_json_text(tree) : lambdaform::to_yaml(tree));
  return 0;
}
