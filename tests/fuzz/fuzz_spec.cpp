// Fuzz target 1: the spec compiler (YAML loader, spec parser, validator) and both renderers on
// arbitrary bytes.
//
// The input is the spec text. It is compiled as `<tmp>/fuzz.yaml`, where <tmp> is a private
// temporary folder made once per process with a few files for `inline_file` to find (a small
// script, one above the inline limit, one that is not UTF-8, a folder). Files outside that
// folder are refused (allow_files_outside_spec_dir = false), so no input reads anything else.
// Lines "#lf-param K=V" in the input become `--param K=V`.
//
// Beyond "no crash, no leak, no hang": when a template comes out, both renders are made and
//  - the YAML render reads back (lambdaform's loader) as to_tree(template), exactly, after the
//    documented rewrites (see fuzz_common.hpp);
//  - the JSON render parses back as to_tree(template) when every string is valid UTF-8 and every
//    number finite;
//  - every diagnostic formats with its source line.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"

namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

constexpr std::size_t kInlineLimit = 4096;

// The spec's folder: made once, removed at exit.
const std::string& spec_path() {
  static const std::string path = [] {
    std::string tmpl = (fs::temp_directory_path() / "lf-fuzz-spec-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    fs::path dir = tmpl;
    const std::string py = "def handler(event, context):\n    return {\"ok\": True}\n";
    write_file(dir / "src/index.py", py);
    write_file(dir / "src/nightly.py", py);
    write_file(dir / "files/hello.py", py);
    write_file(dir / "index.py", py);
    write_file(dir / "a.py", "exports.handler = async () => 1;\n");
    write_file(dir / "empty.py", "");
    write_file(dir / "big.py", std::string(kInlineLimit + 1, '#'));
    write_file(dir / "bin.py", "x = '\xff\xfe'\n");
    write_file(dir / "nul.py", std::string("a\0b\n", 4));
    fs::create_directories(dir / "dir");
    static const std::string keep = dir.string();
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(keep, ec);
    });
    return (dir / "fuzz.yaml").string();
  }();
  return path;
}

}  // namespace

LF_FUZZ_TARGET(fuzz_spec) {
  namespace lf = lambdaform;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  lf::SpecOptions options;
  options.allow_files_outside_spec_dir = false;
  options.today = "2025-06-01";
  options.max_inline_file_bytes = kInlineLimit;
  for (std::size_t at = text.find("#lf-param "); at != std::string_view::npos;
       at = text.find("#lf-param ", at + 1)) {
    std::string_view line = text.substr(at + 10);
    line = line.substr(0, line.find('\n'));
    auto eq = line.find('=');
    if (eq != std::string_view::npos)
      options.params[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }

  lf::SpecResult r = lf::compile_spec(text, spec_path(), options);
  for (const auto& d : r.diagnostics) (void)lf::format_with_source(d, r.source);
  (void)r.failed();
  if (!r.tmpl) return 0;

  std::string yaml = lf::render(*r.tmpl, lf::Format::yaml);
  std::string json = lf::render(*r.tmpl, lf::Format::json);
  lf::Json tree = lf::to_tree(*r.tmpl);

  lf_fuzz::Normalised n;
  lf::Json want = lf_fuzz::expected_readback(tree, false, n);
  if (yaml != lf::to_yaml(tree)) lf_fuzz::fail("fuzz_spec: render", "render(t) != to_yaml(to_tree(t))");
  if (!n.key_collision) lf_fuzz::check_yaml_roundtrip(tree, want, "fuzz_spec: rendered YAML reads back");
  if (n.all_valid_utf8 && n.all_finite) {
    lf::Json back = lf::Json::parse(json);
    std::string where;
    if (!lf_fuzz::strict_equal(tree, back, &where))
      lf_fuzz::fail("fuzz_spec: rendered JSON parses back different",
                    "at " + where + "\n--- spec:\n" + lf_fuzz::cut(std::string(text)) + "\n--- JSON:\n" +
                        lf_fuzz::cut(json));
  }
  return 0;
}
