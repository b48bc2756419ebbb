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
    write_file(dir / "limit.py", std::string(kInlineLimit, '#'));
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

std::size_t count_rule(const lambdaform::SpecResult& r, const std::string& rule) {
  std::size_t n = 0;
  for (const auto& d : r.diagnostics) n += d.rule == rule;
  return n;
}

// The limits that make hostile input cheap to refuse (docs/fuzzing.md), checked once per
// process at both sides of each limit, so the replay in the test suite tests them on every run.
void check_limits() {
  namespace lf = lambdaform;
  lf::SpecOptions o;  // the defaults: the documented limits
  o.today = "2025-06-01";
  const std::string good =
      "stack: demo\nfunctions:\n  Hello:\n    runtime: python3.12\n    handler: index.handler\n"
      "    code: {inline: \"def handler(event, context): return 1\"}\n";
  auto expect = [](bool ok, const char* what) {
    if (!ok) lf_fuzz::fail("fuzz_spec: limit check", what);
  };
  auto compile = [&](const std::string& text, const lf::SpecOptions& options) {
    return lf::compile_spec(text, spec_path(), options);
  };

  // Spec size: max_spec_bytes (1 MiB) accepted, one byte more refused (LF0006, no template).
  std::string at_limit = good;
  while (at_limit.size() + 101 <= o.max_spec_bytes) at_limit += "#" + std::string(99, 'x') + "\n";
  at_limit += "#" + std::string(o.max_spec_bytes - at_limit.size() - 1, 'x');
  expect(at_limit.size() == o.max_spec_bytes, "spec padding");
  auto r = compile(at_limit, o);
  expect(count_rule(r, "LF0006") == 0 && r.tmpl && !r.failed(), "a spec of exactly max_spec_bytes is accepted");
  r = compile(at_limit + "x", o);
  expect(count_rule(r, "LF0006") == 1 && !r.tmpl, "a spec of max_spec_bytes + 1 is refused with LF0006");

  // Nesting: 64 levels accepted, 65 refused.
  r = compile(good + "tags: {a: " + std::string(62, '[') + std::string(62, ']') + "}\n", o);
  expect(count_rule(r, "LF0006") == 0, "64 levels of nesting are accepted");
  r = compile(good + "tags: {a: " + std::string(63, '[') + std::string(63, ']') + "}\n", o);
  expect(count_rule(r, "LF0006") == 1 && !r.tmpl, "65 levels of nesting are refused with LF0006");

  // Nodes: 200,000 accepted, 200,001 refused (a root sequence of N - 1 items, one a line: the
  // same items on one line hit finding F4, see docs/fuzzing.md).
  auto sequence = [](std::size_t items) {
    std::string t = "[";
    for (std::size_t i = 0; i < items; ++i) t += i ? ",\n1" : "1";
    return t + "]\n";
  };
  r = compile(sequence(199999), o);
  expect(count_rule(r, "LF0006") == 0, "200,000 nodes are accepted");
  r = compile(sequence(200000), o);
  expect(count_rule(r, "LF0006") == 1 && !r.tmpl, "200,001 nodes are refused with LF0006");

  // Aliases: none is expanded; the first one is refused (a billion laughs costs nothing).
  std::string laughs = "stack: demo\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    laughs += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) laughs += (k ? ", *l" : "*l") + std::to_string(i - 1);
    laughs += "]\n";
  }
  r = compile(laughs, o);
  expect(count_rule(r, "LF0005") == 1 && !r.tmpl, "an alias is refused with LF0005");

  // Copies of shared definitions: 50 stack tags on 2,000 functions and their 2,000 generated
  // roles are exactly max_expanded_items (200,000); one function more is refused (F10).
  auto tagged = [](int functions) {
    std::string t = "stack: demo\ntags:\n";
    for (int i = 0; i < 50; ++i) t += "  t" + std::to_string(i) + ": v\n";
    t += "functions:\n";
    for (int i = 0; i < functions; ++i)
      t += "  F" + std::to_string(i) +
           ":\n    runtime: python3.12\n    handler: index.handler\n    code: {inline: x}\n";
    return t;
  };
  r = compile(tagged(2000), o);
  expect(count_rule(r, "LF0006") == 0, "max_expanded_items copies are accepted");
  r = compile(tagged(2001), o);
  expect(count_rule(r, "LF0006") == 1 && !r.tmpl, "one copy more is refused with LF0006");

  // Inline files: max_inline_file_bytes accepted, one byte more refused (LF3006).
  lf::SpecOptions small = o;
  small.max_inline_file_bytes = kInlineLimit;
  std::string with_file = good.substr(0, good.find("    code:")) + "    code: {inline_file: limit.py}\n";
  r = compile(with_file, small);
  expect(count_rule(r, "LF3006") == 0, "an inline file of exactly max_inline_file_bytes is read");
  with_file = good.substr(0, good.find("    code:")) + "    code: {inline_file: big.py}\n";
  r = compile(with_file, small);
  expect(count_rule(r, "LF3006") == 1, "an inline file of max_inline_file_bytes + 1 is refused with LF3006");
  with_file = good.substr(0, good.find("    code:")) + "    code: {inline_file: ../fuzz.yaml}\n";
  r = compile(with_file, small);
  expect(count_rule(r, "LF3006") == 1, "an inline file outside the spec's folder is refused with LF3006");
}

}  // namespace

LF_FUZZ_TARGET(fuzz_spec) {
  static const bool limits_checked = (check_limits(), true);
  (void)limits_checked;
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
  // One at a time and all at once must agree (the second indexes the source once).
  const auto all = lf::format_with_source(r.diagnostics, r.source);
  for (std::size_t i = 0; i < r.diagnostics.size(); ++i)
    if (r.diagnostics.size() <= 64)
      if (all[i] != lf::format_with_source(r.diagnostics[i], r.source))
        lf_fuzz::fail("fuzz_spec: format_with_source of all diagnostics differs from one at a time",
                      all[i]);
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
