// Reproducible packages: identical bytes across builds, content-addressed keys, ignore rules,
// the archive's fixed fields, and Python's zipfile reading it the way Lambda does.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <lambdaform/lambdaform.hpp>

#include "glob_reference.hpp"
#include "support.hpp"

using namespace lambdaform;
using V = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

using lftest::TempDir;

std::string build(const fs::path& dir) {
  PackageResult r = build_package(dir.string());
  for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
  REQUIRE(r.package);
  return r.package->zip;
}

V paths(const Package& p) {
  V out;
  for (const auto& e : p.entries) out.push_back(e.path);
  return out;
}

std::uint16_t u16(const std::string& z, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(z[at]) |
                                    static_cast<unsigned char>(z[at + 1]) << 8);
}
std::uint32_t u32(const std::string& z, std::size_t at) {
  return u16(z, at) | std::uint32_t{u16(z, at + 2)} << 16;
}

void sample_tree(const TempDir& d) {
  d.write("app.py", "def handler(event, context):\n    return {'ok': True}\n");
  d.write("lib/util.py", "X = 1\n");
  d.write("lib/__pycache__/util.cpython-312.pyc", "junk");
  d.write("bin/run", "#!/bin/sh\necho hi\n", true);
  d.write("a.txt", "a\n");
  d.write(".git/HEAD", "ref: refs/heads/main\n");
  d.write("notes.pyc", "junk");
}

}  // namespace

TEST_CASE("Glob: *, ?, [] stay within a path segment, ** crosses them", "[package][glob]") {
  CHECK(glob_match("*.py", "app.py"));
  CHECK_FALSE(glob_match("*.py", "lib/app.py"));
  CHECK(glob_match("lib/*.py", "lib/app.py"));
  CHECK(glob_match("**/*.py", "app.py"));
  CHECK(glob_match("**/*.py", "a/b/c.py"));
  CHECK(glob_match("a/**", "a/b/c"));
  CHECK(glob_match("a/**/z", "a/z"));
  CHECK(glob_match("a/**/z", "a/b/c/z"));
  CHECK_FALSE(glob_match("a/**/z", "b/a/z"));
  CHECK(glob_match("file?.txt", "file1.txt"));
  CHECK_FALSE(glob_match("file?.txt", "file/.txt"));
  CHECK(glob_match("[abc].txt", "b.txt"));
  CHECK_FALSE(glob_match("[!abc].txt", "b.txt"));
  CHECK(glob_match("[a-c].txt", "c.txt"));
  CHECK(glob_match("\\*.txt", "*.txt"));
  CHECK_FALSE(glob_match("\\*.txt", "a.txt"));
  CHECK(glob_match("[unclosed", "[unclosed"));
}

TEST_CASE("Glob: the linear matcher agrees with the backtracking reference", "[package][glob]") {
  // 300,000 random pairs over an alphabet of every pattern feature; the reference is the matcher
  // package.cpp used before F9 (tests/glob_reference.hpp).
  const std::string_view pattern_alphabet = "ab/*?[]!^-\\.";
  const std::string_view path_alphabet = "ab/.-[]*\\";
  std::uint64_t x = 0x9E3779B97F4A7C15ull;
  auto next = [&x] {  // xorshift64*
    x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
    return (x * 0x2545F4914F6CDD1Dull) >> 33;
  };
  auto random = [&](std::string_view alphabet, std::size_t max) {
    std::string s(next() % (max + 1), ' ');
    for (char& c : s) c = alphabet[next() % alphabet.size()];
    return s;
  };
  std::size_t matched = 0, disagreements = 0;
  std::string first;
  for (int i = 0; i < 300000; ++i) {
    const std::string p = random(pattern_alphabet, 8), t = random(path_alphabet, 9);
    const bool want = lftest::glob_reference::match(p, t);
    matched += want;
    if (glob_match(p, t) != want && disagreements++ == 0) first = p + "  vs  " + t;
  }
  INFO("first disagreement: " << first);
  CHECK(disagreements == 0);
  CHECK(matched > 1000);  // the sample exercises matches, not only failures
}

TEST_CASE("Glob: many stars against a long name take linear time (F9)",
          "[package][glob][regression]") {
  // The backtracking matcher took longer than anyone would wait: `render` of a spec whose
  // package folder held this .lambdaformignore and a 60-character file name never finished.
  std::string pattern;
  for (int i = 0; i < 14; ++i) pattern += "*a";
  pattern += "*b";
  const std::string name(60, 'a');
  CHECK_FALSE(glob_match(pattern, name));
  CHECK(glob_match(pattern, name + "b"));
  CHECK_FALSE(glob_match("**/**/**/**/**/**/**/**/**/**/z", std::string(200, '/')));
  CHECK(glob_match("**/**/**/**/**/**/**/**/**/**/z", std::string(200, '/') + "z"));
  IgnoreRules r;
  r.add_lines(pattern + "\n");
  CHECK(r.ignored(name + "b", false));
  CHECK_FALSE(r.ignored(name, false));
}

TEST_CASE("Ignore rules: gitignore semantics", "[package][ignore]") {
  IgnoreRules r = IgnoreRules::defaults();
  r.add_lines("# comment\n\n*.log\n/build/\ntests/\ndocs/*.md\n!keep.log\n\\!bang\n");
  CHECK(r.ignored(".git", true));
  CHECK(r.ignored("sub/__pycache__", true));
  CHECK(r.ignored("x.pyc", false));
  CHECK(r.ignored("a/b/x.log", false));
  CHECK_FALSE(r.ignored("keep.log", false));
  CHECK(r.ignored("build", true));
  CHECK_FALSE(r.ignored("build", false));     // dir-only pattern
  CHECK_FALSE(r.ignored("src/build", true));  // anchored at the root
  CHECK(r.ignored("src/tests", true));        // unanchored: any depth
  CHECK(r.ignored("docs/a.md", false));
  CHECK_FALSE(r.ignored("docs/sub/a.md", false));
  CHECK(r.ignored("!bang", false));
  CHECK_FALSE(r.ignored("app.py", false));
  CHECK(r.ignored(".lambdaformignore", false));
}

TEST_CASE("Package: sorted entries, junk and ignored files left out", "[package]") {
  TempDir d;
  sample_tree(d);
  d.write(".lambdaformignore", "*.txt\n");
  PackageResult r = build_package(d.path.string());
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.package);
  CHECK(paths(*r.package) == V{"app.py", "bin/run", "lib/util.py"});
  CHECK(r.package->entries[1].executable);
  CHECK_FALSE(r.package->entries[0].executable);
  CHECK(r.package->unzipped_bytes == 53 + 18 + 6);
  CHECK(r.package->sha256 == sha256_hex(r.package->zip));
}

TEST_CASE("Package: byte-wise path order, not directory-walk order", "[package]") {
  TempDir d;
  d.write("a/b", "1");
  d.write("a.txt", "2");
  d.write("B", "3");
  PackageResult r = build_package(d.path.string());
  REQUIRE(r.package);
  CHECK(paths(*r.package) == V{"B", "a.txt", "a/b"});
}

TEST_CASE("Package: two builds of the same tree are byte-identical; mtimes do not matter",
          "[package][reproducible]") {
  TempDir a, b;
  sample_tree(a);
  const std::string first = build(a.path);
  CHECK(build(a.path) == first);
  // The same files written elsewhere, later, in another order, with other group/other bits.
  b.write("lib/util.py", "X = 1\n");
  b.write("a.txt", "a\n");
  b.write("bin/run", "#!/bin/sh\necho hi\n", true);
  b.write("app.py", "def handler(event, context):\n    return {'ok': True}\n");
  fs::permissions(b.path / "a.txt", fs::perms(0666));
  CHECK(build(b.path) == first);
  // Touching a file's mtime changes nothing.
  fs::last_write_time(a.path / "app.py",
                      fs::file_time_type::clock::now() - std::chrono::hours(24 * 400));
  fs::last_write_time(a.path / "lib/util.py",
                      fs::file_time_type::clock::now() + std::chrono::hours(5));
  CHECK(build(a.path) == first);
  // Changing one byte changes the hash, and so the key.
  const std::string before = sha256_hex(first);
  a.write("lib/util.py", "X = 2\n");
  const std::string after = sha256_hex(build(a.path));
  CHECK(after != before);
  CHECK(package_key("lambdaform", "Ingest", before) != package_key("lambdaform", "Ingest", after));
  // Making a file executable changes it too (the mode is part of the archive).
  a.write("lib/util.py", "X = 1\n", true);
  CHECK(sha256_hex(build(a.path)) != before);
}

TEST_CASE("Package: fixed DOS time, Unix modes, no extra fields, deflate",
          "[package][reproducible]") {
  TempDir d;
  sample_tree(d);
  const std::string z = build(d.path);
  // Walk the central directory.
  std::size_t eocd = z.rfind(std::string("PK\x05\x06", 4));
  REQUIRE(eocd != std::string::npos);
  const std::uint16_t count = u16(z, eocd + 10);
  CHECK(count == 4);
  CHECK(u16(z, eocd + 20) == 0);  // no archive comment
  std::size_t at = u32(z, eocd + 16);
  for (int i = 0; i < count; ++i) {
    REQUIRE(u32(z, at) == 0x02014b50);
    const std::uint16_t made_by = u16(z, at + 4), method = u16(z, at + 10), time = u16(z, at + 12),
                        date = u16(z, at + 14), name_len = u16(z, at + 28),
                        extra_len = u16(z, at + 30), comment_len = u16(z, at + 32);
    const std::uint32_t attrs = u32(z, at + 38), local = u32(z, at + 42);
    const std::string name = z.substr(at + 46, name_len);
    INFO(name);
    CHECK(made_by >> 8 == 3);  // Unix
    CHECK(method == 8);        // deflate
    CHECK(time == 0);
    CHECK(date == 0x21);  // 1980-01-01
    CHECK(extra_len == 0);
    CHECK(comment_len == 0);
    CHECK((attrs >> 16) == (name == "bin/run" ? 0100755u : 0100644u));
    // The local header agrees: same time, no extra field.
    REQUIRE(u32(z, local) == 0x04034b50);
    CHECK(u16(z, local + 10) == 0);
    CHECK(u16(z, local + 12) == 0x21);
    CHECK(u16(z, local + 28) == 0);
    at += 46 + name_len + extra_len + comment_len;
  }
}

TEST_CASE("Package: Python's zipfile reads it, handler module at the root", "[package][python]") {
  if (std::system("python3 -c 'import zipfile' >/dev/null 2>&1") != 0) {
    WARN("python3 not available: skipped");
    return;
  }
  TempDir d;
  sample_tree(d);
  const fs::path zip = d.path / "out.zip";
  std::string bytes = build(d.path);
  std::ofstream(zip, std::ios::binary) << bytes;
  const std::string script =
      "import sys, zipfile\n"
      "z = zipfile.ZipFile(sys.argv[1])\n"
      "assert z.testzip() is None\n"
      "for i in z.infolist():\n"
      "    print(i.filename, i.date_time, oct(i.external_attr >> 16), len(i.extra), "
      "i.compress_type, i.file_size)\n"
      "ns = {}\n"
      "exec(z.read('app.py'), ns)\n"
      "print(ns['handler']({}, None))\n";
  std::ofstream(d.path / "check.py") << script;
  const lftest::CommandOutput r =
      lftest::run_command("python3 " + (d.path / "check.py").string() + " " + zip.string());
  CHECK(r.status == 0);
  CHECK(r.out ==
        "a.txt (1980, 1, 1, 0, 0, 0) 0o100644 0 8 2\n"
        "app.py (1980, 1, 1, 0, 0, 0) 0o100644 0 8 53\n"
        "bin/run (1980, 1, 1, 0, 0, 0) 0o100755 0 8 18\n"
        "lib/util.py (1980, 1, 1, 0, 0, 0) 0o100644 0 8 6\n"
        "{'ok': True}\n");
}

TEST_CASE("Package: problems are diagnostics, never exceptions", "[package]") {
  TempDir d;
  PackageResult r = build_package((d.path / "missing").string());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].rule == "LF7001");
  CHECK_FALSE(r.package);
  r = build_package(d.path.string());  // empty
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].rule == "LF7002");
  d.write("f.py", "x");
  r = build_package((d.path / "f.py").string());
  CHECK(r.diagnostics[0].rule == "LF7001");
  // Too large.
  PackageOptions small;
  small.max_unzipped_bytes = 0;
  r = build_package(d.path.string(), small);
  CHECK(r.diagnostics.at(0).rule == "LF7004");
  // Links: to a file, packaged as the file; to a directory or dangling, skipped with a warning.
  fs::create_symlink(d.path / "f.py", d.path / "link.py");
  fs::create_directory(d.path / "dir");
  d.write("dir/x", "y");
  fs::create_directory_symlink(d.path / "dir", d.path / "dirlink");
  fs::create_symlink(d.path / "nowhere", d.path / "dangling");
  r = build_package(d.path.string());
  REQUIRE(r.package);
  CHECK(paths(*r.package) == V{"dir/x", "f.py", "link.py"});
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0].rule == "LF7005");
  CHECK(r.diagnostics[0].severity == Severity::warning);
  CHECK(r.diagnostics[0].path == "dangling");
  CHECK(r.diagnostics[1].path == "dirlink");
}

TEST_CASE("Package: an ignore file above 16 KiB is LF7007, at the limit it is read",
          "[package][ignore][limits]") {
  TempDir d;
  d.write("app.py", "x");
  d.write("skip.log", "y");
  std::string rules = "*.log\n";
  rules += std::string(16384 - rules.size(), '#');  // a comment fills it to the limit
  d.write(".lambdaformignore", rules);
  PackageResult r = build_package(d.path.string());
  REQUIRE(r.package);
  CHECK(paths(*r.package) == V{"app.py"});
  d.write(".lambdaformignore", rules + "#");
  r = build_package(d.path.string());
  CHECK_FALSE(r.package);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(format(r.diagnostics[0]) ==
        ".lambdaformignore: error: '.lambdaformignore' is 16385 bytes, above lambdaform's limit "
        "of 16384: every file is matched against every rule, so the rules are kept short [LF7007]");
}

TEST_CASE("Package: content-addressed keys", "[package]") {
  CHECK(package_key("lambdaform", "Ingest", "ab12") == "lambdaform/Ingest-ab12.zip");
  CHECK(package_key("/a/b/", "Fn", "00") == "a/b/Fn-00.zip");
  CHECK(package_key("", "Fn", "00") == "Fn-00.zip");
  CHECK(s3_upload_argv("out/Fn-00.zip", "bucket", "p/Fn-00.zip") ==
        V{"aws", "s3", "cp", "out/Fn-00.zip", "s3://bucket/p/Fn-00.zip"});
}

TEST_CASE("Package: the handler's module must be at the root", "[package][handler]") {
  Package p;
  p.entries = {{"app.py", 1, false},
               {"pkg/__init__.py", 1, false},
               {"pkg/mod.py", 1, false},
               {"index.mjs", 1, false},
               {"fast.cpython-312-x86_64-linux-gnu.so", 1, false}};
  CHECK_FALSE(handler_problem(p, "python3.12", "app.handler"));
  CHECK_FALSE(handler_problem(p, "python3.12", "pkg.handler"));
  CHECK_FALSE(handler_problem(p, "python3.12", "pkg.mod.handler"));
  CHECK_FALSE(handler_problem(p, "python3.12", "fast.handler"));
  CHECK_FALSE(handler_problem(p, "nodejs20.x", "index.handler"));
  CHECK_FALSE(handler_problem(p, "java21", "com.example.Handler::handle"));
  CHECK(handler_problem(p, "python3.12", "main.handler") ==
        std::optional<std::string>(
            "handler main.handler needs main.py at the package root, which is missing (the "
            "root holds app.py, index.mjs, fast.cpython-312-x86_64-linux-gnu.so); Lambda "
            "looks for the handler's module relative to the root of the zip"));
  CHECK(handler_problem(p, "nodejs20.x", "src/index.handler"));
  CHECK(handler_problem(p, "provided.al2023", "bootstrap"));
  p.entries.push_back({"bootstrap", 1, true});
  CHECK_FALSE(handler_problem(p, "provided.al2023", "anything"));
}

TEST_CASE("Package: find_packages reads code.package from a spec", "[package][spec]") {
  Diagnostics d;
  auto refs = find_packages(
      "stack: s\nfunctions:\n  A:\n    code: {package: src/a, s3_bucket: b}\n  B:\n    code: "
      "{inline: x}\n"
      "  C:\n    code: {package: ./c/, s3_bucket: b, s3_prefix: team/x}\n",
      "stacks/orders/stack.yaml", d);
  CHECK(d.empty());
  REQUIRE(refs.size() == 2);
  CHECK(refs[0].function == "A");
  CHECK(refs[0].dir == "src/a");
  CHECK(refs[0].path == "stacks/orders/src/a");
  CHECK(refs[0].s3_prefix == "lambdaform");
  CHECK(refs[0].location->line == 4);
  CHECK(refs[0].location->column == 21);
  CHECK(refs[1].function == "C");
  CHECK(refs[1].path == "stacks/orders/c/");
  CHECK(refs[1].s3_prefix == "team/x");
}
