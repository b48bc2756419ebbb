// code: {package: DIR} in a spec: a reproducible zip shipped through S3 under a content key.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "support.hpp"

using namespace lambdaform;
using V = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

// A fresh folder holding stack.yaml's neighbours: src/app.py (the handler module).
struct SpecDir : lftest::TempDir {
  SpecDir() { write("src/app.py", "def handler(event, context):\n    return 1\n"); }
  // Diagnostics as text, with the folder left out of the file name.
  std::vector<std::string> lines(const SpecResult& r) const {
    auto out = lftest::lines(r.diagnostics);
    const std::string prefix = (path / "").string();
    for (auto& l : out)
      if (l.rfind(prefix, 0) == 0) l.erase(0, prefix.size());
    return out;
  }
  SpecResult compile(const std::string& code_line, const std::string& handler = "app.handler") {
    SpecOptions o;
    o.today = "2026-11-27";
    const std::string text =
        "stack: demo\nfunctions:\n  Ingest:\n    runtime: python3.12\n"
        "    handler: " +
        handler + "\n    code: " + code_line + "\n";
    return compile_spec(text, (path / "stack.yaml").string(), o);
  }
};

std::string s3_key(const SpecResult& r) {
  const auto* fn = std::get_if<Function>(&r.tmpl->resource("Ingest").body);
  REQUIRE(fn);
  REQUIRE(fn->code);
  const Code* code = fn->code->literal();
  REQUIRE(code);
  REQUIRE(code->s3_key);
  REQUIRE(code->s3_key->literal());
  return *code->s3_key->literal();
}

}  // namespace

TEST_CASE("Spec: package DIR becomes S3Bucket + a key named after the zip's SHA-256",
          "[spec][code][package]") {
  SpecDir d;
  auto r = d.compile("{package: src, s3_bucket: artifacts}");
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.tmpl);
  const auto built = build_package((d.path / "src").string());
  REQUIRE(built.package);
  CHECK(s3_key(r) == "lambdaform/Ingest-" + built.package->sha256 + ".zip");
  CHECK(std::regex_match(s3_key(r), std::regex("lambdaform/Ingest-[0-9a-f]{64}\\.zip")));
  const auto* fn = std::get_if<Function>(&r.tmpl->resource("Ingest").body);
  CHECK(fn->code->literal()->s3_bucket == Prop<std::string>("artifacts"));
}

TEST_CASE("Spec: package keys follow s3_prefix and change exactly when the code does",
          "[spec][code][package]") {
  SpecDir d;
  const std::string first = s3_key(d.compile("{package: src, s3_bucket: b, s3_prefix: builds/}"));
  CHECK(first.rfind("builds/Ingest-", 0) == 0);
  // Same bytes written again (new mtime): same key.
  d.write("src/app.py", "def handler(event, context):\n    return 1\n");
  CHECK(s3_key(d.compile("{package: src, s3_bucket: b, s3_prefix: builds/}")) == first);
  // Junk is left out of the zip, so it does not move the key either.
  fs::create_directories(d.path / "src" / "__pycache__");
  d.write("src/__pycache__/app.cpython-312.pyc", "junk");
  CHECK(s3_key(d.compile("{package: src, s3_bucket: b, s3_prefix: builds/}")) == first);
  // One byte changed: a new key.
  d.write("src/app.py", "def handler(event, context):\n    return 2\n");
  CHECK(s3_key(d.compile("{package: src, s3_bucket: b, s3_prefix: builds/}")) != first);
}

TEST_CASE("Spec: package needs s3_bucket and takes no other code form", "[spec][code][package]") {
  SpecDir d;
  CHECK(d.lines(d.compile("{package: src}")) ==
        V{"stack.yaml:6:11: error: package code needs s3_bucket: the bucket `lambdaform package` "
          "uploads the zip to [LF3004]"});
  CHECK(d.lines(d.compile("{package: src, s3_bucket: b, s3_key: k}")) ==
        V{"stack.yaml:6:11: error: code: package takes s3_bucket and s3_prefix beside it, not "
          "s3_key, s3_object_version, inline_file, inline or image_uri [LF3004]"});
  CHECK(d.lines(d.compile("{s3_bucket: b, s3_key: k, s3_prefix: p}")) ==
        V{"stack.yaml:6:48: error: s3_prefix goes with package: DIR [LF3004]"});
}

TEST_CASE("Spec: a package outside the spec's folder is LF3006", "[spec][code][package]") {
  SpecDir d;
  CHECK(d.lines(d.compile("{package: ../, s3_bucket: b}")) ==
        V{"stack.yaml:6:21: error: package '../' is outside the spec's folder; move it there or "
          "pass --allow-outside-files [LF3006]"});
}

TEST_CASE("Spec: a missing package folder is LF7001 at the folder's name",
          "[spec][code][package]") {
  SpecDir d;
  auto r = d.compile("{package: nope, s3_bucket: b}");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].rule == "LF7001");
  CHECK(r.diagnostics[0].location->line == 6);
  CHECK(r.diagnostics[0].location->column == 21);
  CHECK(r.diagnostics[0].message.rfind("package 'nope': ", 0) == 0);
}

TEST_CASE("Spec: a handler module missing from the package root is warning LF7003",
          "[spec][code][package]") {
  SpecDir d;
  auto r = d.compile("{package: src, s3_bucket: artifacts}", "main.handler");
  CHECK(d.lines(r) ==
        V{"stack.yaml:6:21: warning: handler main.handler needs main.py at the package root, "
          "which is missing (the root holds app.py); Lambda looks for the handler's module "
          "relative to the root of the zip [LF7003]"});
  CHECK(r.tmpl);
}
