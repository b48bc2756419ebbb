// Reproducible zips through libzip: the archive is written into a memory source and every
// field that could vary between runs or machines is fixed before it is closed.
#include "lambdaform/package.hpp"

#include <dlfcn.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "lambdaform/versioning.hpp"
#include "yaml_loader.hpp"

namespace fs = std::filesystem;

namespace lambdaform {

// ---- ignore rules ----------------------------------------------------------------------------

namespace {

// A `[...]` class at p (p[0] == '['); sets `end` past it. Returns whether `c` is in it; when
// the class is not closed, `end` is nullptr and the '[' is a literal.
bool char_class(std::string_view p, std::size_t i, char c, std::size_t& end) {
  std::size_t j = i + 1;
  bool negate = false;
  if (j < p.size() && (p[j] == '!' || p[j] == '^')) {
    negate = true;
    ++j;
  }
  bool match = false, first = true;
  while (j < p.size() && (p[j] != ']' || first)) {
    first = false;
    char lo = p[j];
    if (lo == '\\' && j + 1 < p.size()) lo = p[++j];
    char hi = lo;
    if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
      hi = p[j + 2];
      if (hi == '\\' && j + 3 < p.size()) hi = p[++j + 2];
      j += 2;
    }
    if (c >= lo && c <= hi) match = true;
    ++j;
  }
  if (j >= p.size()) {
    end = std::string_view::npos;
    return false;
  }
  end = j + 1;
  return match != negate;
}

// The pattern as a sequence of steps, each matching one character or a run of them.
struct Step {
  enum Kind { literal, any, cls, star, dstar, dirs_entry, dirs_loop };
  Step(Kind k, char ch = 0, std::string_view s = {}) : kind(k), c(ch), set(s) {}
  Kind kind;
  char c;                // literal
  std::string_view set;  // cls: the "[...]" text, evaluated by char_class
};

std::vector<Step> compile_glob(std::string_view p) {
  std::vector<Step> steps;
  for (std::size_t i = 0; i < p.size();) {
    if (p[i] == '*' && i + 1 < p.size() && p[i + 1] == '*') {
      i += 2;
      if (i < p.size() && p[i] == '/') {  // "**/": zero or more whole directories
        ++i;
        steps.emplace_back(Step::dirs_entry);
        steps.emplace_back(Step::dirs_loop);
      } else {  // "**": anything, slashes included
        steps.emplace_back(Step::dstar);
      }
      continue;
    }
    if (p[i] == '*') {
      steps.emplace_back(Step::star);
      ++i;
      continue;
    }
    if (p[i] == '?') {
      steps.emplace_back(Step::any);
      ++i;
      continue;
    }
    if (p[i] == '[') {
      std::size_t end = 0;
      char_class(p, i, 'a', end);  // where the class ends does not depend on the character
      if (end != std::string_view::npos) {
        steps.emplace_back(Step::cls, 0, p.substr(i, end - i));
        i = end;
        continue;
      }
    }
    if (p[i] == '\\' && i + 1 < p.size()) ++i;
    steps.emplace_back(Step::literal, p[i]);
    ++i;
  }
  return steps;
}

}  // namespace

// A backtracking matcher takes exponential time on patterns such as `*a*a*a*a*a*a*a*a*b` (a
// .lambdaformignore from a pull request hung `render`: finding F9 in docs/fuzzing.md). This
// runs the pattern as a nondeterministic automaton over the path, one set of live steps per
// character: O(pattern × path).
bool glob_match(std::string_view pattern, std::string_view path) {
  const std::vector<Step> steps = compile_glob(pattern);
  const std::size_t n = steps.size();
  // live[j]: the first j steps match the path read so far. dirs_loop (inside "**/") is only
  // reached by reading a character, so the empty-directory case skips both of its steps.
  std::vector<char> live(n + 1, 0), next(n + 1, 0);
  auto close = [&](std::vector<char>& set) {  // steps that may match the empty string
    for (std::size_t j = 0; j < n; ++j) {
      if (!set[j]) continue;
      const Step::Kind k = steps[j].kind;
      if (k == Step::star || k == Step::dstar) set[j + 1] = 1;
      if (k == Step::dirs_entry) set[j + 2] = 1;
    }
  };
  live[0] = 1;
  close(live);
  for (const char c : path) {
    std::fill(next.begin(), next.end(), 0);
    bool any_live = false;
    for (std::size_t j = 0; j < n; ++j) {
      if (!live[j]) continue;
      const Step& st = steps[j];
      switch (st.kind) {
        case Step::literal:
          if (c == st.c) next[j + 1] = 1;
          break;
        case Step::any:
          if (c != '/') next[j + 1] = 1;
          break;
        case Step::cls: {
          std::size_t end = 0;
          if (c != '/' && char_class(st.set, 0, c, end)) next[j + 1] = 1;
          break;
        }
        case Step::star:
          if (c != '/') next[j] = 1;
          break;
        case Step::dstar:
          next[j] = 1;
          break;
        case Step::dirs_entry:  // reading a character enters the directories
          next[j + 1] = 1;
          if (c == '/') next[j + 2] = 1;
          break;
        case Step::dirs_loop:
          next[j] = 1;
          if (c == '/') next[j + 1] = 1;
          break;
      }
    }
    close(next);
    live.swap(next);
    for (char x : live) any_live = any_live || x;
    if (!any_live) return false;
  }
  return live[n] != 0;
}

IgnoreRules IgnoreRules::defaults() {
  IgnoreRules r;
  for (const char* p :
       {".git/", ".hg/", ".svn/", "__pycache__/", "*.pyc", ".DS_Store", ".lambdaformignore"})
    r.add(p);
  return r;
}

void IgnoreRules::add_lines(std::string_view text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    add(text.substr(start, nl - start));
    start = nl + 1;
  }
}

void IgnoreRules::add(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // Trailing spaces are dropped unless escaped.
  while (!line.empty() && line.back() == ' ' &&
         !(line.size() >= 2 && line[line.size() - 2] == '\\'))
    line.remove_suffix(1);
  if (line.empty() || line[0] == '#') return;
  Rule r;
  if (line[0] == '!') {
    r.negate = true;
    line.remove_prefix(1);
  } else if (line[0] == '\\' && line.size() > 1 && (line[1] == '!' || line[1] == '#')) {
    line.remove_prefix(1);
  }
  if (!line.empty() && line.back() == '/') {
    r.dir_only = true;
    line.remove_suffix(1);
  }
  if (line.empty()) return;
  r.anchored = line.find('/') != std::string_view::npos;
  if (line[0] == '/') line.remove_prefix(1);
  if (line.empty()) return;
  r.pattern = std::string(line);
  rules_.push_back(std::move(r));
}

bool IgnoreRules::ignored(std::string_view path, bool is_dir) const {
  std::string_view base = path;
  if (auto slash = path.rfind('/'); slash != std::string_view::npos) base = path.substr(slash + 1);
  bool out = false;
  for (const auto& r : rules_) {
    if (r.dir_only && !is_dir) continue;
    if (glob_match(r.pattern, r.anchored ? path : base)) out = !r.negate;
  }
  return out;
}

// ---- building ------------------------------------------------------------------------------

namespace {

struct Collected {
  std::string path;  // archive path
  fs::path file;     // on disk
  bool executable = false;
  std::uint64_t size = 0;
};

Diagnostic problem(Severity s, const char* rule, std::string message, std::string path = {}) {
  return Diagnostic{s, rule, std::move(message), std::move(path), std::nullopt};
}

// Walks `dir` (already known to be a directory) and collects the files to package.
void collect(const fs::path& root, const fs::path& dir, const std::string& rel,
             const IgnoreRules& rules, std::vector<Collected>& out, Diagnostics& diags) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    diags.push_back(problem(
        Severity::error, "LF7001",
        fmt::format("cannot read directory '{}': {}", rel.empty() ? "." : rel, ec.message()), rel));
    return;
  }
  std::vector<fs::directory_entry> entries;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    entries.push_back(*it);
  }
  if (ec) {
    diags.push_back(problem(
        Severity::error, "LF7001",
        fmt::format("cannot read directory '{}': {}", rel.empty() ? "." : rel, ec.message()), rel));
    return;
  }
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) {
              return a.path().filename().string() < b.path().filename().string();
            });
  for (const auto& e : entries) {
    const std::string name = e.path().filename().string();
    const std::string path = rel.empty() ? name : rel + "/" + name;
    std::error_code sec;
    const fs::file_status link = e.symlink_status(sec);
    if (fs::is_directory(link)) {
      if (!rules.ignored(path, true)) collect(root, e.path(), path, rules, out, diags);
      continue;
    }
    if (rules.ignored(path, false)) continue;
    fs::file_status st = fs::is_symlink(link) ? fs::status(e.path(), sec) : link;
    if (fs::is_symlink(link) && fs::is_directory(st)) {
      if (rules.ignored(path, true)) continue;
      diags.push_back(
          problem(Severity::warning, "LF7005",
                  fmt::format("'{}' is a symbolic link to a directory and was not packaged "
                              "(links to directories are not followed)",
                              path),
                  path));
      continue;
    }
    if (!fs::is_regular_file(st)) {
      diags.push_back(
          problem(Severity::warning, "LF7005",
                  fmt::format("'{}' is not a regular file{} and was not packaged", path,
                              fs::is_symlink(link) ? " (a dangling symbolic link)" : ""),
                  path));
      continue;
    }
    Collected c;
    c.path = path;
    c.file = e.path();
    c.executable = (st.permissions() & fs::perms::owner_exec) != fs::perms::none;
    out.push_back(std::move(c));
  }
}

bool read_all(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// libzip is opened when an archive is written, not linked: a process that writes none (every
// `render` of a spec without `package:` code) never maps libzip and what it needs (libcrypto,
// zlib, libbz2), which took 40% of the process start on a slow machine (bench/README.md).
// RTLD_NODELETE keeps it mapped after dlclose, so the next archive does not load it again.
// clang-format off
#define LF_LIBZIP_FUNCTIONS(X) \
  X(zip_error_init) \
  X(zip_error_fini) \
  X(zip_error_strerror) \
  X(zip_source_buffer_create) \
  X(zip_source_keep) \
  X(zip_source_free) \
  X(zip_open_from_source) \
  X(zip_strerror) \
  X(zip_discard) \
  X(zip_source_buffer) \
  X(zip_file_add) \
  X(zip_file_set_dostime) \
  X(zip_file_set_external_attributes) \
  X(zip_set_file_compression) \
  X(zip_file_extra_field_delete) \
  X(zip_close) \
  X(zip_stat_init) \
  X(zip_source_stat) \
  X(zip_source_open) \
  X(zip_source_read) \
  X(zip_source_close)
// clang-format on

class LibZip {
 public:
  // libzip's ABI has been 4 since libzip 1.0 (Debian 12: libzip4).
  static constexpr const char* kSoname = "libzip.so.4";

  LibZip() : handle_(dlopen(kSoname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)) {
    if (!handle_) {
      error_ = fmt::format("cannot load libzip: {}", dlerror());
      return;
    }
#define LF_LIBZIP_RESOLVE(name)                                      \
  name = reinterpret_cast<decltype(&::name)>(dlsym(handle_, #name)); \
  if (!name && error_.empty())                                       \
    error_ = "cannot load libzip: no " #name " in " + std::string(kSoname);
    LF_LIBZIP_FUNCTIONS(LF_LIBZIP_RESOLVE)
#undef LF_LIBZIP_RESOLVE
  }
  ~LibZip() {
    if (handle_) dlclose(handle_);
  }
  LibZip(const LibZip&) = delete;
  LibZip& operator=(const LibZip&) = delete;

  /// Empty when every function was found.
  const std::string& error() const {
    return error_;
  }

#define LF_LIBZIP_MEMBER(name) decltype(&::name) name = nullptr;
  LF_LIBZIP_FUNCTIONS(LF_LIBZIP_MEMBER)
#undef LF_LIBZIP_MEMBER

 private:
  void* handle_;
  std::string error_;
};

// Writes the archive into memory. Returns false with `error` set on failure.
bool write_zip(const std::vector<Collected>& files, const std::vector<std::string>& data,
               std::string& zip, std::string& error) {
  const LibZip z;
  if (!z.error().empty()) {
    error = z.error();
    return false;
  }
  auto free_source = [&z](zip_source_t* s) { z.zip_source_free(s); };
  zip_error_t err;
  z.zip_error_init(&err);
  std::unique_ptr<zip_source_t, decltype(free_source)> out(
      z.zip_source_buffer_create(nullptr, 0, 0, &err), free_source);
  if (!out) {
    error = z.zip_error_strerror(&err);
    z.zip_error_fini(&err);
    return false;
  }
  z.zip_source_keep(out.get());  // stays alive after zip_close, to be read back
  zip_t* za = z.zip_open_from_source(out.get(), ZIP_TRUNCATE, &err);
  if (!za) {
    error = z.zip_error_strerror(&err);
    z.zip_error_fini(&err);
    z.zip_source_free(out.get());  // the reference zip_open_from_source did not take
    return false;
  }
  auto fail = [&](const std::string& what) {
    error = what + ": " + z.zip_strerror(za);
    z.zip_discard(za);
    return false;
  };
  // DOS date and time of 1980-01-01 00:00:00: ((1980 - 1980) << 9) | (1 << 5) | 1, and 0.
  constexpr zip_uint16_t kDosDate = (0u << 9) | (1u << 5) | 1u, kDosTime = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    zip_source_t* src = z.zip_source_buffer(za, data[i].data(), data[i].size(), 0);
    if (!src) return fail("cannot add " + files[i].path);
    zip_int64_t idx = z.zip_file_add(za, files[i].path.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      z.zip_source_free(src);
      return fail("cannot add " + files[i].path);
    }
    const auto u = static_cast<zip_uint64_t>(idx);
    const zip_uint32_t mode = 0100000u | (files[i].executable ? 0755u : 0644u);  // S_IFREG | perms
    if (z.zip_file_set_dostime(za, u, kDosTime, kDosDate, 0) != 0 ||
        z.zip_file_set_external_attributes(za, u, 0, ZIP_OPSYS_UNIX, mode << 16) != 0 ||
        z.zip_set_file_compression(za, u, ZIP_CM_DEFLATE, 9) != 0 ||
        z.zip_file_extra_field_delete(za, u, ZIP_EXTRA_FIELD_ALL, ZIP_FL_CENTRAL | ZIP_FL_LOCAL) !=
            0)
      return fail("cannot set the attributes of " + files[i].path);
  }
  if (z.zip_close(za) != 0) return fail("cannot write the archive");
  // Read the finished archive back out of the memory source.
  zip_stat_t st;
  z.zip_stat_init(&st);
  if (z.zip_source_stat(out.get(), &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
      z.zip_source_open(out.get()) != 0) {
    error = "cannot read the archive back";
    return false;
  }
  zip.resize(static_cast<std::size_t>(st.size));
  zip_int64_t n = z.zip_source_read(out.get(), zip.data(), zip.size());
  z.zip_source_close(out.get());
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
    error = "cannot read the archive back";
    return false;
  }
  return true;
}
#undef LF_LIBZIP_FUNCTIONS

}  // namespace

PackageResult build_package(const std::string& dir, const PackageOptions& options) {
  PackageResult result;
  Diagnostics& diags = result.diagnostics;
  std::error_code ec;
  const fs::path root(dir);
  if (!fs::exists(root, ec)) {
    diags.push_back(problem(Severity::error, "LF7001",
                            fmt::format("package directory '{}' does not exist", dir)));
    return result;
  }
  if (!fs::is_directory(root, ec)) {
    diags.push_back(
        problem(Severity::error, "LF7001", fmt::format("package '{}' is not a directory", dir)));
    return result;
  }
  IgnoreRules rules = IgnoreRules::defaults();
  if (!options.ignore_file.empty()) {
    const fs::path ignore = root / options.ignore_file;
    if (fs::is_regular_file(ignore, ec)) {
      std::string text;
      const std::uint64_t size = fs::file_size(ignore, ec);
      if (!ec && size > options.max_ignore_file_bytes) {
        diags.push_back(problem(
            Severity::error, "LF7007",
            fmt::format("'{}' is {} bytes, above lambdaform's limit of {}: every file is matched "
                        "against every rule, so the rules are kept short",
                        options.ignore_file, size, options.max_ignore_file_bytes),
            options.ignore_file));
        return result;
      }
      if (!read_all(ignore, text)) {
        diags.push_back(problem(Severity::error, "LF7001",
                                fmt::format("cannot read '{}'", options.ignore_file),
                                options.ignore_file));
        return result;
      }
      rules.add_lines(text);
    }
  }
  std::vector<Collected> files;
  collect(root, root, "", rules, files, diags);
  if (has_errors(diags)) return result;
  // Byte-wise order of the archive paths (a directory walk orders "a/b" before "a.txt").
  std::sort(files.begin(), files.end(),
            [](const Collected& a, const Collected& b) { return a.path < b.path; });
  if (files.empty()) {
    diags.push_back(problem(
        Severity::error, "LF7002",
        fmt::format("package directory '{}' has no files to package (after ignores)", dir)));
    return result;
  }
  std::vector<std::string> data(files.size());
  Package pkg;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!read_all(files[i].file, data[i])) {
      diags.push_back(problem(Severity::error, "LF7001",
                              fmt::format("cannot read '{}'", files[i].path), files[i].path));
      return result;
    }
    files[i].size = data[i].size();
    pkg.unzipped_bytes += data[i].size();
    if (pkg.unzipped_bytes > options.max_unzipped_bytes) {
      diags.push_back(
          problem(Severity::error, "LF7004",
                  fmt::format("package '{}' is larger than {} bytes unzipped, Lambda's limit for a "
                              ".zip package; use a container image or layers",
                              dir, options.max_unzipped_bytes)));
      return result;
    }
    pkg.entries.push_back(PackageEntry{files[i].path, files[i].size, files[i].executable});
  }
  std::string error;
  if (!write_zip(files, data, pkg.zip, error)) {
    diags.push_back(problem(Severity::error, "LF7006",
                            fmt::format("cannot build the zip of '{}': {}", dir, error)));
    return result;
  }
  pkg.sha256 = sha256_hex(pkg.zip);
  result.package = std::move(pkg);
  return result;
}

std::string package_key(std::string_view prefix, std::string_view function,
                        std::string_view sha256) {
  while (!prefix.empty() && prefix.front() == '/') prefix.remove_prefix(1);
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  std::string name = fmt::format("{}-{}.zip", function, sha256);
  return prefix.empty() ? name : fmt::format("{}/{}", prefix, name);
}

std::optional<std::string> handler_problem(const Package& package, std::string_view runtime,
                                           std::string_view handler) {
  auto has = [&](const std::string& path) {
    return std::any_of(package.entries.begin(), package.entries.end(),
                       [&](const PackageEntry& e) { return e.path == path; });
  };
  auto starts = [](std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; };
  auto listing = [&] {
    std::string root;
    int n = 0;
    for (const auto& e : package.entries)
      if (e.path.find('/') == std::string::npos && n++ < 8)
        root += (root.empty() ? "" : ", ") + e.path;
    return root.empty() ? std::string("no files at the root") : "the root holds " + root;
  };
  if (starts(runtime, "provided")) {
    if (has("bootstrap")) return std::nullopt;
    return fmt::format(
        "runtime {} runs the file 'bootstrap' at the package root, which is missing ({})", runtime,
        listing());
  }
  const auto dot = handler.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;  // the validator reports it
  std::string module(handler.substr(0, dot));
  std::vector<std::string> candidates;
  if (starts(runtime, "python")) {
    if (module.find('/') == std::string::npos) std::replace(module.begin(), module.end(), '.', '/');
    candidates = {module + ".py", module + "/__init__.py", module + ".pyc"};
    for (const auto& e : package.entries)
      if (starts(e.path, module + ".") && e.path.size() > 3 &&
          e.path.substr(e.path.size() - 3) == ".so")
        return std::nullopt;
  } else if (starts(runtime, "nodejs")) {
    candidates = {module + ".js", module + ".mjs", module + ".cjs"};
  } else if (starts(runtime, "ruby")) {
    candidates = {module + ".rb"};
  } else {
    return std::nullopt;
  }
  for (const auto& c : candidates)
    if (has(c)) return std::nullopt;
  return fmt::format(
      "handler {} needs {} at the package root, which is missing ({}); Lambda looks "
      "for the handler's module relative to the root of the zip",
      handler, candidates.front(), listing());
}

std::vector<PackageRef> find_packages(std::string_view spec_text, const std::string& spec_path,
                                      Diagnostics& diagnostics) {
  std::vector<PackageRef> out;
  detail::LoadResult loaded = detail::load_yaml(spec_text, spec_path);
  for (auto& d : loaded.diagnostics) diagnostics.push_back(std::move(d));
  if (!loaded.root) return out;
  const detail::YNode* fns = loaded.root->find("functions");
  if (!fns || fns->kind != detail::YNode::Kind::mapping) return out;
  const fs::path base = fs::path(spec_path).parent_path();
  for (const auto& [name, fn] : fns->entries) {
    const detail::YNode* code = fn.find("code");
    if (!code || code->kind != detail::YNode::Kind::mapping) continue;
    const detail::YNode* dir = code->find("package");
    if (!dir || dir->kind != detail::YNode::Kind::scalar) continue;
    PackageRef r;
    r.function = name.value;
    r.dir = dir->value;
    fs::path p(dir->value);
    r.path = (p.is_absolute() ? p : base / p).lexically_normal().generic_string();
    r.s3_prefix = std::string(kDefaultPackagePrefix);
    if (const detail::YNode* pre = code->find("s3_prefix");
        pre && pre->kind == detail::YNode::Kind::scalar)
      r.s3_prefix = pre->value;
    r.location = SourceLocation{spec_path, dir->line, dir->column};
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> s3_upload_argv(const std::string& file, const std::string& bucket,
                                        const std::string& key) {
  return {"aws", "s3", "cp", file, "s3://" + bucket + "/" + key};
}

}  // namespace lambdaform
