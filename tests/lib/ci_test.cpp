// Diagnostics for CI (GitHub workflow commands, JSON) and spec discovery for render --all.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <lambdaform/lambdaform.hpp>

using namespace lambdaform;
using V = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

Diagnostic located(Severity s = Severity::error) {
  return Diagnostic{s, "E3034", "MemorySize 20000 is above the maximum of 10240",
                    "/Resources/Fn/Properties/MemorySize",
                    SourceLocation{"stacks/a/stack.yaml", 7, 13}};
}

}  // namespace

TEST_CASE("Diagnostics format: names", "[ci]") {
  CHECK(parse_diagnostics_format("human") == DiagnosticsFormat::human);
  CHECK(parse_diagnostics_format("github") == DiagnosticsFormat::github);
  CHECK(parse_diagnostics_format("json") == DiagnosticsFormat::json);
  CHECK_FALSE(parse_diagnostics_format("JSON"));
  CHECK_FALSE(parse_diagnostics_format(""));
}

TEST_CASE("GitHub: workflow command escaping", "[ci][github]") {
  CHECK(github_escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b");
  CHECK(github_escape_property("C:\\dir,x%\n") == "C%3A\\dir%2Cx%25%0A");
}

TEST_CASE("GitHub: one workflow command per diagnostic", "[ci][github]") {
  CHECK(format_github(located()) ==
        "::error file=stacks/a/stack.yaml,line=7,col=13,title=E3034::MemorySize 20000 is above the "
        "maximum of 10240");
  CHECK(format_github(located(Severity::warning)).rfind("::warning file=", 0) == 0);
  CHECK(format_github(located(Severity::info)).rfind("::notice file=", 0) == 0);
  Diagnostic d{Severity::error, "LF1001", "bad: 50%\nsecond line", "/Resources/Fn", std::nullopt};
  CHECK(format_github(d) == "::error title=LF1001::/Resources/Fn: bad: 50%25%0Asecond line");
  CHECK(format_github(d, "t,1:x.yaml") ==
        "::error file=t%2C1%3Ax.yaml,title=LF1001::/Resources/Fn: bad: 50%25%0Asecond line");
  Diagnostic odd{Severity::error, "R:1,2", "m", "", SourceLocation{"a,b:c", 1, 0}};
  CHECK(format_github(odd) == "::error file=a%2Cb%3Ac,line=1,title=R%3A1%2C2::m");
}

TEST_CASE("JSON: one object per diagnostic with every field", "[ci][json]") {
  CHECK(
      format_json(located()) ==
      R"({"file":"stacks/a/stack.yaml","line":7,"column":13,"rule":"E3034","severity":"error",)"
      R"("message":"MemorySize 20000 is above the maximum of 10240","path":"/Resources/Fn/Properties/MemorySize"})");
  Diagnostic d{Severity::warning, "LF1002", "quote \" and \xff", "", std::nullopt};
  CHECK(
      format_json(d) ==
      R"({"file":null,"line":null,"column":null,"rule":"LF1002","severity":"warning","message":"quote \" and )"
      "\xef\xbf\xbd"
      R"(","path":""})");
  CHECK(format_json(d, "t.yaml").rfind(R"({"file":"t.yaml","line":null)", 0) == 0);
}

TEST_CASE("Human: the caret form, or the fallback file for unlocated findings", "[ci]") {
  CHECK(format_diagnostic(located(), DiagnosticsFormat::human,
                          "a\nb\nc\nd\ne\nf\n    memory: 20000\n") ==
        "stacks/a/stack.yaml:7:13: error: MemorySize 20000 is above the maximum of 10240 [E3034]\n"
        "      memory: 20000\n"
        "              ^");
  Diagnostic d{Severity::warning, "LF1002", "big", "", std::nullopt};
  CHECK(format_diagnostic(d, DiagnosticsFormat::human, {}, "t.yaml") ==
        "t.yaml: warning: big [LF1002]");
  CHECK(format_diagnostic(d, DiagnosticsFormat::human) == "/: warning: big [LF1002]");
  CHECK(format_diagnostic(d, DiagnosticsFormat::github, {}, "t.yaml") ==
        "::warning file=t.yaml,title=LF1002::big");
}

TEST_CASE("render --all: spec discovery and output paths", "[ci][all]") {
  std::string t = (fs::temp_directory_path() / "lf-ci-test-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path root(t);
  for (const char* f :
       {"b/stack.yaml", "a/stack.yaml", "a/sub/api.stack.yaml", "a/notes.yaml",
        ".hidden/stack.yaml", "node_modules/x/stack.yaml", "stack.yaml", "c/stack.yml"}) {
    fs::create_directories((root / f).parent_path());
    std::ofstream(root / f) << "stack: x\n";
  }
  Diagnostics d;
  V specs = discover_specs(t, d);
  CHECK(d.empty());
  CHECK(specs == V{t + "/a/stack.yaml", t + "/a/sub/api.stack.yaml", t + "/b/stack.yaml",
                   t + "/stack.yaml"});
  CHECK(output_path_for(t + "/a/stack.yaml", t, "out", Format::yaml) == "out/a/template.yaml");
  CHECK(output_path_for(t + "/a/sub/api.stack.yaml", t, "out/", Format::json) ==
        "out/a/sub/api.template.json");
  CHECK(output_path_for(t + "/stack.yaml", t, "out", Format::yaml) == "out/template.yaml");
  CHECK(output_path_for("stacks/x/stack.yaml", "stacks/", "o", Format::yaml) ==
        "o/x/template.yaml");
  discover_specs(t + "/missing", d);
  REQUIRE(d.size() == 1);
  CHECK(d[0].rule == "LF0009");
  fs::remove_all(root);
}
