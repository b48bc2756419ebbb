#pragma once
/// \file Reproducible deployment packages: a zip of a code directory that is byte-identical on
/// every run and machine, and the content-addressed S3 key it is shipped under.
///
/// The archive: regular files only (no directory entries), sorted byte-wise by their path
/// relative to the directory with `/` separators; every entry dated 1980-01-01 00:00 (DOS
/// time), Unix permissions 0644, or 0755 when the owner may execute the file; no extra fields,
/// no comments; deflate at level 9. Files matched by the directory's `.lambdaformignore`
/// (gitignore-style patterns) or by the built-in junk list (`.git/`, `.hg/`, `.svn/`,
/// `__pycache__/`, `*.pyc`, `.DS_Store`, `.lambdaformignore`) are left out.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lambdaform/diagnostic.hpp"

namespace lambdaform {

/// Gitignore-style exclusion rules: one pattern per line, `#` comments, blank lines ignored,
/// `!` re-includes, a trailing `/` matches directories only, a pattern with a `/` (other than a
/// trailing one) is anchored at the package root, otherwise it matches a name at any depth;
/// `*` and `?` do not cross `/`, `**` does, `[a-z]` classes, `\` escapes. The last matching
/// rule wins; an excluded directory excludes everything under it.
class IgnoreRules {
 public:
  /// The built-in junk list only.
  static IgnoreRules defaults();
  /// Adds every line of a `.lambdaformignore` file.
  void add_lines(std::string_view text);
  /// Adds one pattern line.
  void add(std::string_view line);
  /// True when `path` (relative, `/`-separated) is excluded. `is_dir` says whether it names a
  /// directory.
  bool ignored(std::string_view path, bool is_dir) const;

 private:
  struct Rule {
    std::string pattern;
    bool negate = false;
    bool dir_only = false;
    bool anchored = false;
  };
  std::vector<Rule> rules_;
};

/// `*`, `?`, `[...]`, `**` glob match of a `/`-separated path (exposed for tests).
bool glob_match(std::string_view pattern, std::string_view path);

/// Knobs for build_package().
struct PackageOptions {
  /// Largest total size of the files, uncompressed (Lambda's limit for a .zip: 250 MB).
  std::uint64_t max_unzipped_bytes = 262144000;
  /// Name of the ignore file read from the directory's root.
  std::string ignore_file = ".lambdaformignore";
  /// Largest ignore file (every path is matched against every rule: a bound on that work).
  std::uint64_t max_ignore_file_bytes = 16384;
};

/// One file in a package.
struct PackageEntry {
  std::string path;         ///< Path in the archive, relative, `/`-separated.
  std::uint64_t size = 0;   ///< Uncompressed size.
  bool executable = false;  ///< Stored as 0755 (else 0644).
};

/// A built package.
struct Package {
  std::string zip;                    ///< The archive's bytes.
  std::string sha256;                 ///< SHA-256 of `zip`, lower-case hex.
  std::vector<PackageEntry> entries;  ///< Files in archive order.
  std::uint64_t unzipped_bytes = 0;   ///< Sum of the files' sizes.
};

/// What build_package() gives: the package unless an error stopped it, and every finding
/// (LF7001 unreadable directory or file, LF7002 nothing to package, LF7004 too large, LF7005 an
/// entry that is not a regular file was skipped (warning), LF7006 the zip library failed).
/// Diagnostics carry no location; `path` names the file inside the directory when there is one.
struct PackageResult {
  std::optional<Package> package;  ///< The package; empty on error.
  Diagnostics diagnostics;         ///< Findings.
};

/// Zips the directory `dir` reproducibly (see the file comment). Never throws.
PackageResult build_package(const std::string& dir, const PackageOptions& options = {});

/// The content-addressed key: `<prefix>/<function>-<sha256>.zip` (`<function>-<sha256>.zip`
/// when the prefix is empty; slashes around the prefix are trimmed).
std::string package_key(std::string_view prefix, std::string_view function,
                        std::string_view sha256);

/// The S3 prefix used when a spec gives none.
inline constexpr std::string_view kDefaultPackagePrefix = "lambdaform";

/// When the handler's module is not at the package root where Lambda looks for it, a message
/// saying so; std::nullopt when it is there or the runtime is not one lambdaform can check
/// (python*: `mod.py`, `mod/__init__.py`, `mod.pyc`, `mod.*.so`; nodejs*: `mod.js`, `.mjs`,
/// `.cjs`; ruby*: `mod.rb`; provided*: a `bootstrap` file).
std::optional<std::string> handler_problem(const Package& package, std::string_view runtime,
                                           std::string_view handler);

/// A `code: {package: DIR}` found in a spec.
struct PackageRef {
  std::string function;                    ///< Function logical id.
  std::string dir;                         ///< DIR as written in the spec.
  std::string path;                        ///< DIR resolved against the spec's folder.
  std::string s3_prefix;                   ///< `s3_prefix`, or kDefaultPackagePrefix.
  std::optional<SourceLocation> location;  ///< Where DIR is written.
};

/// Every `functions.*.code.package` of a spec, in spec order. The spec is not validated here
/// (compile_spec does that); YAML errors go to `diagnostics`.
std::vector<PackageRef> find_packages(std::string_view spec_text, const std::string& spec_path,
                                      Diagnostics& diagnostics);

/// `aws s3 cp FILE s3://BUCKET/KEY` as an argv (the command `lambdaform package` prints).
std::vector<std::string> s3_upload_argv(const std::string& file, const std::string& bucket,
                                        const std::string& key);

}  // namespace lambdaform
