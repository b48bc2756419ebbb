// Fuzz target 6: the fast YAML reader (detail::load_yaml_fast) against libyaml
// (detail::load_yaml_libyaml), on arbitrary bytes.
//
// load_yaml() reads a spec with the fast reader when the text is in its subset and with libyaml
// otherwise, so the fast reader must never accept a text libyaml reads differently. Property:
// whenever load_yaml_fast() gives a tree, libyaml reads the text without a diagnostic into the
// same tree (kinds, tags, values, lines and columns, children in order). Texts it declines are
// libyaml's alone and cost nothing here.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "yaml_loader.hpp"

namespace {

namespace d = lambdaform::detail;

void dump(const d::YNode& n, int depth, std::string& out) {
  static const char* const kinds[] = {"null", "scalar", "sequence", "mapping"};
  out += std::string(static_cast<std::size_t>(depth) * 2, ' ') + kinds[static_cast<int>(n.kind)] +
         " " + std::to_string(n.line) + ":" + std::to_string(n.column) + " tag=" + n.tag +
         " value=" + n.value + "\n";
  for (const auto& item : n.items) dump(item, depth + 1, out);
  for (const auto& [k, v] : n.entries) {
    dump(k, depth + 1, out);
    dump(v, depth + 2, out);
  }
}

}  // namespace

LF_FUZZ_TARGET(fuzz_yaml) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<d::YNode> fast = d::load_yaml_fast(text, "f.yaml");
  if (!fast) return 0;
  const d::LoadResult full = d::load_yaml_libyaml(text, "f.yaml");
  if (!full.diagnostics.empty())
    lf_fuzz::fail("fuzz_yaml: the fast reader accepted a text libyaml refuses",
                  full.diagnostics.front().rule + " " + full.diagnostics.front().message);
  if (!full.root || *full.root != *fast) {
    std::string detail = "fast reader:\n";
    dump(*fast, 0, detail);
    detail += "libyaml:\n";
    if (full.root) dump(*full.root, 0, detail);
    lf_fuzz::fail("fuzz_yaml: the fast reader and libyaml read different trees", detail);
  }
  return 0;
}
