// The stack spec compiler: spec YAML → typed Template, with every template path mapped back to
// the spec line and column it came from, so template diagnostics point into the spec.
#include "lambdaform/spec.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "lambdaform/package.hpp"
#include "lambdaform/validate.hpp"
#include "lambdaform/versioning.hpp"
#include "patterns.hpp"
#include "reflect.hpp"
#include "suggest.hpp"
#include "tree.hpp"
#include "utf8.hpp"
#include "yaml_loader.hpp"

namespace fs = std::filesystem;

namespace lambdaform {

namespace {

using detail::YNode;

enum class ReadResult { ok, cannot_open, cannot_read };

// Reads at most `limit` bytes of the file at `path` into `out`: a regular file in one read of its
// size + 1 (the 1 sees the end), anything else in 64 KiB steps, straight into `out` (a buffer of
// the full limit would be zero-filled and touched for every file; a 64 KiB buffer on the stack
// cost a render 16 first-touch page faults). C stdio, not std::ifstream: a file stream builds the
// process's std::locale on its first use, a quarter of a millisecond of a CLI run here
// (bench/README.md, sessions 11 and 12).
ReadResult read_at_most(const fs::path& path, std::size_t limit, std::string& out) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!in) return ReadResult::cannot_open;
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  std::size_t step = !ec && size < limit ? static_cast<std::size_t>(size) + 1 : 65536;
  out.clear();
  while (out.size() < limit) {
    const std::size_t have = out.size();
    const std::size_t want = std::min(step, limit - have);
    out.resize(have + want);
    const std::size_t got = std::fread(out.data() + have, 1, want, in.get());
    out.resize(have + got);
    if (got < want) return std::ferror(in.get()) ? ReadResult::cannot_read : ReadResult::ok;
    step = 65536;
  }
  return ReadResult::ok;
}

// The intrinsic functions a spec may use in short form (!Name).
constexpr std::array<std::string_view, 20> kIntrinsicTags = {
    "Ref",    "Condition", "And",   "Base64",      "Cidr",         "Equals",   "FindInMap",
    "GetAZs", "GetAtt",    "If",    "ImportValue", "Join",         "Length",   "Not",
    "Or",     "Select",    "Split", "Sub",         "ToJsonString", "Transform"};

std::string snake_case(std::string_view cfn) {
  std::string out;
  for (std::size_t i = 0; i < cfn.size(); ++i) {
    char c = cfn[i];
    bool upper = c >= 'A' && c <= 'Z';
    // A capital starts a word unless it continues an acronym ("KMS" in SourceKMSKeyArn).
    if (upper && i > 0) {
      bool prev_upper = cfn[i - 1] >= 'A' && cfn[i - 1] <= 'Z';
      bool next_lower = i + 1 < cfn.size() && cfn[i + 1] >= 'a' && cfn[i + 1] <= 'z';
      if (!prev_upper || next_lower) out += '_';
    }
    out += upper ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// The spec keys of T's fields (snake_case of their CloudFormation names), in table order: a
// constant per type, computed on first use instead of once per field of every function.
template <class T>
const std::vector<std::string>& snake_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    detail::for_each_field<T>([&](const auto& f) { out.push_back(snake_case(f.name)); });
    return out;
  }();
  return keys;
}

// Spec order: a reader fixes findings top to bottom.
void by_position(Diagnostics& ds) {
  std::stable_sort(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) {
    auto key = [](const Diagnostic& d) {
      return d.location ? std::pair{d.location->line, d.location->column} : std::pair{0u, 0u};
    };
    return key(a) < key(b);
  });
}

std::string kind_name(const YNode& n) {
  switch (n.kind) {
    case YNode::Kind::null:
      return "nothing (null)";
    case YNode::Kind::sequence:
      return "a list";
    case YNode::Kind::mapping:
      return "a mapping";
    case YNode::Kind::scalar:
      break;
  }
  if (n.tag == "!" || n.tag == "tag:yaml.org,2002:str")
    return fmt::format("the string '{}'", n.value);
  if (!n.tag.empty() && n.tag[0] == '!') return "an intrinsic (" + n.tag + ")";
  if (!n.tag.empty()) return "a value tagged " + n.tag;
  Json v = detail::resolve_plain(n.value);
  if (v.is_boolean()) return fmt::format("the boolean {}", n.value);
  if (v.is_number()) return fmt::format("the number {}", n.value);
  if (v.is_null()) return "nothing (null)";
  return fmt::format("the string '{}'", n.value);
}

class Compiler {
 public:
  Compiler(const std::string& file, fs::path base_dir, const SpecOptions& options)
      : file_(file), base_dir_(std::move(base_dir)), options_(options) {}

  SpecResult run(std::string_view text);

 private:
  // ---- diagnostics and source map ----
  SourceLocation loc(const YNode& n) const { return SourceLocation{file_, n.line, n.column}; }
  void error(const YNode& at, std::string rule, std::string message) {
    diags_.push_back(Diagnostic{Severity::error, std::move(rule), std::move(message), "", loc(at)});
  }
  void warning(const YNode& at, std::string rule, std::string message) {
    diags_.push_back(
        Diagnostic{Severity::warning, std::move(rule), std::move(message), "", loc(at)});
  }
  void map_path(const std::string& tpath, const YNode& n) {
    source_map_.push_back(MappedPath{source_paths_.size(), tpath.size(), {n.line, n.column}});
    source_paths_ += tpath;
  }

  // ---- shape checks ----
  bool expect(const YNode& n, YNode::Kind kind, std::string_view what) {
    if (n.kind == kind) return true;
    error(n, "LF3002", fmt::format("expected {}, found {}", what, kind_name(n)));
    return false;
  }
  // Reports keys not in `allowed`, with a did-you-mean. A braced list of keys is read as views:
  // a vector of strings built per call was 5 allocations per function and section.
  void known_keys(const YNode& map, std::initializer_list<std::string_view> allowed,
                  std::string_view where) {
    known_keys_in(map, allowed.begin(), allowed.end(), where);
  }
  void known_keys(const YNode& map, const std::vector<std::string>& allowed,
                  std::string_view where) {
    known_keys_in(map, allowed.begin(), allowed.end(), where);
  }
  template <class It>
  void known_keys_in(const YNode& map, It first, It last, std::string_view where) {
    for (const auto& [k, v] : map.entries) {
      if (std::find(first, last, k.value) != last) continue;
      with_unknown_keys_.insert(&map);
      std::string hint = suggest(k.value, std::vector<std::string>(first, last));
      error(k, "LF3000",
            fmt::format("unknown key '{}' in {}{}", k.value, where,
                        hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
  }

  // A missing-key error, unless the mapping has an unknown key: that is most likely the
  // misspelt missing one, and one message per mistake is enough.
  void missing(const YNode& map, std::string rule, std::string message) {
    if (!with_unknown_keys_.count(&map)) error(map, std::move(rule), std::move(message));
  }

  // ---- values ----
  std::optional<Intrinsic> intrinsic_of(const YNode& n) {
    if (n.tag.size() > 1 && n.tag[0] == '!' && n.tag[1] != '!') {
      std::string name = n.tag.substr(1);
      if (std::find(kIntrinsicTags.begin(), kIntrinsicTags.end(), name) == kIntrinsicTags.end()) {
        std::vector<std::string> tags(kIntrinsicTags.begin(), kIntrinsicTags.end());
        std::string hint = suggest(name, tags);
        error(n, "LF3011",
              fmt::format("unknown intrinsic function !{}{}", name,
                          hint.empty() ? "" : fmt::format(" (did you mean !{}?)", hint)));
        return std::nullopt;
      }
      return Intrinsic::from_json(json(n));
    }
    if (n.kind == YNode::Kind::mapping && n.entries.size() == 1) {
      const YNode& key = n.entries[0].first;
      if (key.value.rfind("Fn::", 0) == 0 &&
          std::find(kIntrinsicTags.begin(), kIntrinsicTags.end(), key.value.substr(4)) ==
              kIntrinsicTags.end()) {
        std::vector<std::string> names;
        for (auto t : kIntrinsicTags) names.push_back("Fn::" + std::string(t));
        std::string hint = suggest(key.value, names);
        error(key, "LF3011",
              fmt::format("unknown intrinsic function {}{}", key.value,
                          hint.empty() ? "" : fmt::format(" (did you mean {}?)", hint)));
        return std::nullopt;
      }
      if (key.value == "Ref" || key.value.rfind("Fn::", 0) == 0)
        return Intrinsic::from_json(json(n));
    }
    return std::nullopt;
  }
  bool tag_ok(const YNode& n);
  bool is_intrinsic(const YNode& n) const {
    return (n.tag.size() > 1 && n.tag[0] == '!' && n.tag[1] != '!') ||
           (n.kind == YNode::Kind::mapping && n.entries.size() == 1 &&
            (n.entries[0].first.value == "Ref" || n.entries[0].first.value.rfind("Fn::", 0) == 0));
  }
  Json json(const YNode& n) { return detail::to_json(n, file_, diags_); }

  template <class T>
  std::optional<Value<T>> value(const YNode& n, const std::string& tpath);
  template <class T>
  std::optional<T> literal(const YNode& n, const std::string& tpath);
  template <class T>
  std::optional<T> fields_from(const YNode& n, const std::string& tpath, std::string_view where);

  std::optional<std::string> plain_string(const YNode& n, std::string_view what) {
    if (!tag_ok(n)) return std::nullopt;
    if (n.kind != YNode::Kind::scalar || is_intrinsic(n)) {
      error(n, "LF3002", fmt::format("expected {}, found {}", what, kind_name(n)));
      return std::nullopt;
    }
    return n.value;
  }

  // ---- sections ----
  void parameters(const YNode& n);
  void network(const YNode& n);
  void roles(const YNode& n);
  void function(const std::string& name, const YNode& n);
  bool valid_function_name(const std::string& name, const YNode& n);
  std::optional<fs::path> inside_spec_dir(const YNode& at, const std::string& rel,
                                          std::string_view what);
  void code(Function& f, const YNode& n, const std::string& tpath);
  void vpc(const std::string& name, Function& f, const YNode& n, Role* generated,
           const std::string& tpath);
  void outputs(const YNode& n);
  /// publish_version and aliases of the function `name`, which is t_.resources[index].
  void versions(const std::string& name, std::size_t index, const YNode& n);
  void aliases(const std::string& name, const YNode& n,
               const std::optional<Handle<Version>>& current);
  std::optional<Value<std::string>> alias_version(const std::string& fn, const YNode& n,
                                                  const std::optional<Handle<Version>>& current,
                                                  const std::string& tpath);
  void deployments();
  void environment(Function& f, const YNode& n, const std::string& tpath);
  void generated_role_settings(Role& r, const YNode& n, const std::string& tpath);
  void access(const std::string& fn, Role& role, const YNode& n, const std::string& role_id);
  void invoke(const std::string& fn, const YNode& n);
  void lint_statements(const Json& statements, const YNode& at);
  std::optional<Value<List<std::string>>> network_list(const YNode& n, const std::string& tpath);
  void apply_tags(std::optional<Value<List<Tag>>>& tags,
                  const std::vector<std::pair<std::string, Value<std::string>>>& own);
  void add_managed_policy(Role& r, const std::string& policy);
  void raw_properties(const std::string& logical_id, const YNode& n, const std::string& prefix);
  void locate(Diagnostics& ds) const;

  const std::string& file_;
  fs::path base_dir_;
  const SpecOptions& options_;
  Diagnostics diags_;
  // Template path → spec position; the file is always file_, added when a diagnostic is located.
  // The paths are appended to one text as the spec is read (a hash map of strings was 8,000
  // allocations for 125 functions) and indexed only when a diagnostic needs one; the first
  // position mapped for a path is the one that counts.
  struct LineColumn {
    std::uint32_t line, column;
  };
  struct MappedPath {
    std::size_t offset, size;
    LineColumn at;
  };
  std::string source_paths_;
  std::vector<MappedPath> source_map_;
  // Every role's default trust policy (Lambda may assume it), parsed once and copied per role.
  const Json trust_policy_ = Json::parse(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
  Template t_;

  struct Network {
    const YNode* public_subnets = nullptr;
    const YNode* private_subnets = nullptr;
    std::vector<std::string> group_names;                       // in spec order, for hints
    std::unordered_map<std::string, const YNode*> group_index;  // name -> its list
  };
  std::optional<Network> network_;
  // Stack tags and network lists are defined once and copied into every resource that uses
  // them, so a small spec could expand into gigabytes (F10: 54 KB of stack tags and functions
  // took 1.1 GB). Copies are counted against SpecOptions::max_expanded_items.
  const YNode* stack_tags_node_ = nullptr;
  std::size_t expanded_items_ = 0;
  bool expansion_refused_ = false;
  bool expand(const YNode& from, std::size_t items);
  // did-you-mean compares a name with every candidate: bounded work per spec, so that thousands
  // of unknown names among thousands of candidates stay cheap (F10).
  std::size_t suggest_budget_ = 50'000'000;
  std::string suggest(std::string_view word, const std::vector<std::string>& candidates);
  // Whether a resource has the logical id `id`. Resources are only appended while a spec is
  // compiled, so the set catches up with t_.resources on each call (a scan of the resources per
  // alias was N² over a render).
  std::unordered_set<std::string> ids_;
  std::size_t ids_indexed_ = 0;
  bool id_taken(const std::string& id) {
    for (; ids_indexed_ < t_.resources.size(); ++ids_indexed_)
      ids_.insert(t_.resources[ids_indexed_].logical_id);
    return ids_.count(id) != 0;
  }
  std::map<std::string, const YNode*> role_specs_;
  std::vector<std::string> role_names_;  // the keys of role_specs_, for hints
  std::vector<std::pair<std::string, Value<std::string>>> stack_tags_;
  std::vector<std::string> function_names_;
  std::set<std::string, std::less<>> function_name_set_;  // the same, for lookups
  bool default_outputs_ = true;
  struct PendingDeployment {
    std::string function;
    const YNode* node;
    std::map<std::string, std::string> alias_ids;  // alias name → logical id
  };
  std::vector<PendingDeployment> deployments_;
  std::map<std::string, std::string> alias_ids_;
  std::set<const YNode*> with_unknown_keys_;
  const YNode* functions_node_ = nullptr;  // "function/alias" → logical id
};

// ---------------------------------------------------------------------------------------------

// Tags other than CloudFormation's intrinsics and !!str (e.g. !!binary) are refused.
bool Compiler::tag_ok(const YNode& n) {
  if (n.tag.empty() || n.tag == "!" || n.tag == "tag:yaml.org,2002:str" ||
      n.tag == "tag:yaml.org,2002:map" || n.tag == "tag:yaml.org,2002:seq" ||
      (n.tag.size() > 1 && n.tag[0] == '!' && n.tag[1] != '!'))
    return true;
  error(n, "LF0008", fmt::format("unsupported YAML tag '{}'", n.tag));
  return false;
}

template <class T>
std::optional<Value<T>> Compiler::value(const YNode& n, const std::string& tpath) {
  map_path(tpath, n);
  if (!tag_ok(n)) return std::nullopt;
  if (is_intrinsic(n)) {
    auto i = intrinsic_of(n);
    if (!i) return std::nullopt;
    // Findings about the intrinsic itself (a Ref to nothing) point at it, not at its key.
    map_path(tpath + "/" + pointer_token(i->function()), n);
    return Value<T>(*i);
  }
  if (auto v = literal<T>(n, tpath)) return Value<T>(std::move(*v));
  return std::nullopt;
}

template <class T>
std::optional<T> Compiler::literal(const YNode& n, const std::string& tpath) {
  if constexpr (std::is_same_v<T, std::string>) {
    // A string is exactly the text written, whatever a YAML resolver would make of it.
    if (!tag_ok(n)) return std::nullopt;
    if (n.kind != YNode::Kind::scalar || is_intrinsic(n)) {
      error(n, "LF3002",
            fmt::format("expected a string, found {}{}", kind_name(n),
                        is_intrinsic(n) ? " (this key takes no intrinsics)" : ""));
      return std::nullopt;
    }
    return n.value;
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    // YAML 1.1 (CloudFormation, PyYAML) reads 0755 as octal 493, YAML 1.2 as 755: refuse the guess.
    constexpr std::string_view kLeadingZero = "[-+]?0[0-9_]+";
    if (n.is_plain() && detail::matches_known_pattern(kLeadingZero, n.value)) {
      error(n, "LF3002",
            fmt::format(
                "{} is ambiguous: YAML 1.1 reads a leading 0 as octal, YAML 1.2 as decimal; write "
                "the number without leading zeros",
                n.value));
      return std::nullopt;
    }
    if (n.is_plain()) {
      Json v = detail::resolve_plain(n.value);
      if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<std::int64_t>();
      if (v.is_number_unsigned() && v.get<std::uint64_t>() <= std::uint64_t{INT64_MAX})
        return static_cast<std::int64_t>(v.get<std::uint64_t>());
      if (v.is_number_unsigned() ||
          (v.is_number_float() && n.value.find_first_of(".eE") == std::string::npos)) {
        error(n, "LF3002",
              fmt::format("the number {} is too large to be an integer here", n.value));
        return std::nullopt;
      }
    }
    error(n, "LF3002", fmt::format("expected an integer, found {}", kind_name(n)));
    return std::nullopt;
  } else if constexpr (std::is_same_v<T, double>) {
    if (n.is_plain()) {
      Json v = detail::resolve_plain(n.value);
      if (v.is_number() && std::isfinite(v.get<double>())) return v.get<double>();
    }
    error(n, "LF3002", fmt::format("expected a number, found {}", kind_name(n)));
    return std::nullopt;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (n.is_plain()) {
      Json v = detail::resolve_plain(n.value);
      if (v.is_boolean()) return v.get<bool>();
    }
    error(n, "LF3002", fmt::format("expected true or false, found {}", kind_name(n)));
    return std::nullopt;
  } else if constexpr (std::is_same_v<T, Json>) {
    return json(n);
  } else if constexpr (detail::is_vector<T>::value) {
    using Item = typename T::value_type;  // Value<U>
    if (!expect(n, YNode::Kind::sequence, "a list")) return std::nullopt;
    T out;
    bool ok = true;
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      const std::string ip = tpath + "/" + std::to_string(i);
      if constexpr (detail::is_value<Item>::value) {
        auto v = value<typename Item::literal_type>(n.items[i], ip);
        if (v)
          out.push_back(std::move(*v));
        else
          ok = false;
      } else {
        map_path(ip, n.items[i]);
        auto v = literal<Item>(n.items[i], ip);
        if (v)
          out.push_back(std::move(*v));
        else
          ok = false;
      }
    }
    return ok ? std::optional<T>(std::move(out)) : std::nullopt;
  } else if constexpr (detail::is_map<T>::value) {
    using Item = typename T::mapped_type;
    if (!expect(n, YNode::Kind::mapping, "a mapping")) return std::nullopt;
    T out;
    bool ok = true;
    for (const auto& [k, v] : n.entries) {
      // A finding about an entry (its name, or its value) points at the entry's key.
      map_path(tpath + "/" + pointer_token(k.value), k);
      auto x = value<typename Item::literal_type>(v, tpath + "/" + pointer_token(k.value));
      if (x)
        out.emplace(k.value, std::move(*x));
      else
        ok = false;
    }
    return ok ? std::optional<T>(std::move(out)) : std::nullopt;
  } else {
    return fields_from<T>(n, tpath, snake_case(tpath.substr(tpath.rfind('/') + 1)));
  }
}

// Reads a struct from a mapping whose keys are the snake_case names of its fields() table.
template <class T>
std::optional<T> Compiler::fields_from(const YNode& n, const std::string& tpath,
                                       std::string_view where) {
  if (!expect(n, YNode::Kind::mapping, "a mapping")) return std::nullopt;
  map_path(tpath, n);
  T out{};
  const std::vector<std::string>& allowed = snake_keys<T>();
  std::size_t index = 0;
  bool ok = true;
  detail::for_each_field<T>([&](const auto& f) {
    const std::string& key = allowed[index++];
    const YNode* v = n.find(key);
    if (!v) return;
    auto& member = out.*(f.member);
    using M = std::decay_t<decltype(member)>;
    const std::string child = tpath + "/" + std::string(f.name);
    if constexpr (detail::is_optional<M>::value) {
      using Inner = typename M::value_type;
      if constexpr (detail::is_value<Inner>::value) {
        if (auto x = value<typename Inner::literal_type>(*v, child))
          member = std::move(*x);
        else
          ok = false;
      } else {
        map_path(child, *v);
        if (auto x = literal<Inner>(*v, child))
          member = std::move(*x);
        else
          ok = false;
      }
    } else if constexpr (std::is_same_v<M, std::string>) {
      map_path(child, *v);
      if (auto x = literal<std::string>(*v, child))
        member = *x;
      else
        ok = false;
    } else if constexpr (detail::is_vector<M>::value) {
      map_path(child, *v);
      if (expect(*v, YNode::Kind::sequence, "a list"))
        for (const auto& item : v->items)
          if (auto x = plain_string(item, "a name")) member.push_back(*x);
    }
  });
  known_keys(n, allowed, where);
  return ok ? std::optional<T>(std::move(out)) : std::nullopt;
}

// ---------------------------------------------------------------------------------------------

SpecResult Compiler::run(std::string_view text) {
  SpecResult result;
  detail::LoadLimits limits;
  limits.max_bytes = options_.max_spec_bytes;
  detail::LoadResult loaded = detail::load_yaml(text, file_, limits);
  if (!loaded.root) {
    result.diagnostics = std::move(loaded.diagnostics);
    if (result.diagnostics.empty())
      result.diagnostics.push_back(Diagnostic{
          Severity::error, "LF3003", "the spec is empty: it needs at least stack: and functions:",
          "", SourceLocation{file_, 1, 1}});
    return result;
  }
  const YNode& root = *loaded.root;
  if (!expect(root, YNode::Kind::mapping, "a mapping with stack:, functions:, ...")) {
    result.diagnostics = std::move(diags_);
    return result;
  }
  known_keys(root,
             {"stack", "description", "parameters", "conditions", "mappings", "network", "roles",
              "functions", "outputs", "tags", "default_outputs"},
             "the spec");
  if (const YNode* d = root.find("default_outputs"))
    default_outputs_ = literal<bool>(*d, "").value_or(true);

  if (const YNode* s = root.find("stack")) {
    if (auto name = plain_string(*s, "a stack name")) {
      constexpr std::string_view kStack = "[a-zA-Z][-a-zA-Z0-9]{0,127}";
      if (!detail::matches_known_pattern(kStack, *name))
        error(*s, "LF3009",
              fmt::format("stack name '{}' must start with a letter and use only letters, digits "
                          "and '-' (at most 128 characters)",
                          *name));
      result.stack_name = *name;
    }
  } else {
    missing(root, "LF3003", "the spec needs a stack name: add `stack: NAME`");
  }
  if (const YNode* d = root.find("description")) {
    map_path("/Description", *d);
    if (auto s = plain_string(*d, "a description")) t_.description = *s;
  }
  if (const YNode* p = root.find("parameters")) parameters(*p);
  for (const auto& [name, value] : options_.params)
    if (std::none_of(t_.parameters.begin(), t_.parameters.end(),
                     [&name = name](const auto& p) { return p.first == name; }))
      diags_.push_back(Diagnostic{Severity::error, "LF3008",
                                  fmt::format("--param {} names no parameter of this spec", name),
                                  "", SourceLocation{file_, root.line, root.column}});
  if (const YNode* c = root.find("conditions")) {
    map_path("/Conditions", *c);
    if (expect(*c, YNode::Kind::mapping, "a mapping of condition names to conditions"))
      for (const auto& [k, v] : c->entries) {
        map_path("/Conditions/" + pointer_token(k.value), v);
        t_.conditions[k.value] = json(v);
      }
  }
  if (const YNode* m = root.find("mappings")) {
    map_path("/Mappings", *m);
    if (expect(*m, YNode::Kind::mapping, "a mapping")) t_.mappings = json(*m);
  }
  if (const YNode* tags = root.find("tags")) {
    stack_tags_node_ = tags;
    if (expect(*tags, YNode::Kind::mapping, "a mapping of tag names to values"))
      for (const auto& [k, v] : tags->entries)
        if (auto x = value<std::string>(v, "/Tags")) stack_tags_.emplace_back(k.value, *x);
  }
  if (const YNode* n = root.find("network")) network(*n);
  if (const YNode* r = root.find("roles")) roles(*r);
  if (const YNode* fns = root.find("functions")) {
    if (expect(*fns, YNode::Kind::mapping, "a mapping of function names to functions")) {
      if (fns->entries.empty())
        error(*fns, "LF3003", "functions: is empty; declare at least one function");
      functions_node_ = fns;
      function_names_.reserve(fns->entries.size());
      // A function usually brings its role, a version and an alias: without room for them the
      // resources (about 1.3 KB each) were copied at every doubling, the last copy of a
      // 500-resource stack holding 1 MB at once.
      t_.resources.reserve(t_.resources.size() + 4 * fns->entries.size());
      for (const auto& [k, v] : fns->entries) function_names_.push_back(k.value);
      function_name_set_.insert(function_names_.begin(), function_names_.end());
      for (const auto& [k, v] : fns->entries) function(k.value, v);
    }
  } else {
    missing(root, "LF3003", "the spec needs functions: with at least one function");
  }
  deployments();
  if (const YNode* o = root.find("outputs")) outputs(*o);

  result.diagnostics = std::move(diags_);
  by_position(result.diagnostics);
  if (has_errors(result.diagnostics)) return result;
  // The spec's node tree is not needed past here (diagnostics are located through source_map_):
  // freeing it before validation builds and renders the template lowers the peak heap.
  stack_tags_node_ = functions_node_ = nullptr;
  role_specs_.clear();
  with_unknown_keys_.clear();
  loaded.root.reset();
  ValidateOptions vo;
  vo.today = options_.today;
  vo.rendered_yaml = &result.yaml;
  Diagnostics template_diags = validate(t_, vo);
  locate(template_diags);
  by_position(template_diags);
  for (auto& d : template_diags) result.diagnostics.push_back(std::move(d));
  result.tmpl = std::move(t_);
  return result;
}

// Points template diagnostics at the spec: the longest source-map path that prefixes theirs.
void Compiler::locate(Diagnostics& ds) const {
  std::unordered_map<std::string_view, LineColumn> index;
  auto find = [&](std::string_view p) -> const LineColumn* {
    if (p.empty()) {  // template-wide findings (its size) need no index
      for (const auto& m : source_map_)
        if (m.size == 0) return &m.at;
      return nullptr;
    }
    if (index.empty()) {
      index.reserve(source_map_.size());
      for (const auto& m : source_map_)
        index.emplace(std::string_view(source_paths_).substr(m.offset, m.size), m.at);
    }
    auto it = index.find(p);
    return it == index.end() ? nullptr : &it->second;
  };
  for (auto& d : ds) {
    std::string_view p = d.path;
    while (true) {
      if (const LineColumn* at = find(p)) {
        d.location = SourceLocation{file_, at->line, at->column};
        break;
      }
      auto slash = p.rfind('/');
      if (slash == std::string_view::npos || p.empty()) break;
      p = p.substr(0, slash);
    }
    if (!d.location) d.location = SourceLocation{file_, 1, 1};
  }
}

void Compiler::parameters(const YNode& n) {
  if (!expect(n, YNode::Kind::mapping, "a mapping of parameter names to parameters")) return;
  for (const auto& [k, v] : n.entries) {
    const std::string tpath = "/Parameters/" + pointer_token(k.value);
    map_path(tpath, k);
    auto p = fields_from<Parameter>(v, tpath, "parameter " + k.value);
    if (!p) continue;
    if (!v.find("type")) missing(v, "LF3003", fmt::format("parameter {} needs a type", k.value));
    auto given = options_.params.find(k.value);
    if (given != options_.params.end()) p->default_value = given->second;
    t_.parameters.emplace_back(k.value, std::move(*p));
  }
}

void Compiler::network(const YNode& n) {
  if (!expect(n, YNode::Kind::mapping,
              "a mapping with public_subnets, private_subnets, security_groups"))
    return;
  known_keys(n, {"public_subnets", "private_subnets", "security_groups"}, "network");
  Network net;
  net.public_subnets = n.find("public_subnets");
  net.private_subnets = n.find("private_subnets");
  if (const YNode* sg = n.find("security_groups"))
    if (expect(*sg, YNode::Kind::mapping, "a mapping of group names to security group lists"))
      for (const auto& [k, v] : sg->entries) {
        net.group_names.push_back(k.value);
        net.group_index.emplace(k.value, &v);
      }
  network_ = std::move(net);
}

void Compiler::roles(const YNode& n) {
  if (!expect(n, YNode::Kind::mapping, "a mapping of role names to roles")) return;
  for (const auto& [k, v] : n.entries) {
    const std::string tpath = "/Resources/" + pointer_token(k.value);
    map_path(tpath, k);
    auto r = fields_from<Role>(v, tpath + "/Properties", "role " + k.value);
    if (!r) continue;
    if (!r->assume_role_policy_document) r->assume_role_policy_document = trust_policy_;
    add_managed_policy(*r, "AWSLambdaBasicExecutionRole");
    apply_tags(r->tags, {});
    if (r->policies && r->policies->literal())
      for (const auto& pol : *r->policies->literal())
        if (pol.literal() && pol.literal()->policy_document &&
            pol.literal()->policy_document->literal()) {
          const Json& doc = *pol.literal()->policy_document->literal();
          if (doc.is_object() && doc.contains("Statement"))
            lint_statements(
                doc["Statement"].is_array() ? doc["Statement"] : Json::array({doc["Statement"]}),
                *v.find("policies"));
        }
    if (role_specs_.emplace(k.value, &v).second) role_names_.push_back(k.value);
    t_.add(k.value, std::move(*r));
  }
}

void Compiler::add_managed_policy(Role& r, const std::string& policy) {
  Intrinsic arn = sub("arn:${AWS::Partition}:iam::aws:policy/service-role/" + policy);
  if (!r.managed_policy_arns) r.managed_policy_arns = List<std::string>{};
  List<std::string>* list = r.managed_policy_arns->literal();
  if (!list) return;  // the user wrote an intrinsic for the whole list: leave it as written
  if (std::find(list->begin(), list->end(), Value<std::string>(arn)) == list->end())
    list->push_back(arn);
}

std::optional<Value<List<std::string>>> Compiler::network_list(const YNode& n,
                                                               const std::string& tpath) {
  return value<List<std::string>>(n, tpath);
}

void Compiler::function(const std::string& name, const YNode& n) {
  const std::string res = "/Resources/" + pointer_token(name);
  const std::string props = res + "/Properties";
  map_path(res, n);
  if (!valid_function_name(name, n)) return;
  if (!expect(n, YNode::Kind::mapping, "a mapping of function settings")) return;

  // Keys with a spec shape of their own; every other Function property is accepted under its
  // snake_case name and read through the Function field table.
  static const std::vector<std::string> kSpecial = {"code",
                                                    "role",
                                                    "vpc",
                                                    "memory",
                                                    "environment",
                                                    "tracing",
                                                    "ephemeral_storage",
                                                    "reserved_concurrency",
                                                    "dead_letter_target",
                                                    "log_retention_days",
                                                    "tags",
                                                    "properties",
                                                    "publish_version",
                                                    "aliases",
                                                    "deployment",
                                                    "access",
                                                    "invoke",
                                                    "role_name",
                                                    "permissions_boundary",
                                                    "managed_policy_arns"};
  static const std::set<std::string> kReplaced = {"code",
                                                  "role",
                                                  "vpc_config",
                                                  "memory_size",
                                                  "environment",
                                                  "tracing_config",
                                                  "ephemeral_storage",
                                                  "reserved_concurrent_executions",
                                                  "dead_letter_config",
                                                  "tags"};
  // The keys a function accepts, and which table fields are read by name, worked out once (a
  // copy per function was 40 strings).
  struct Keys {
    std::vector<std::string> allowed;
    std::vector<bool> by_name;  // per field of the table
  };
  static const Keys kKeys = [] {
    Keys k{kSpecial, {}};
    for (const std::string& key : snake_keys<Function>()) {
      const bool by_name = !kReplaced.count(key);
      k.by_name.push_back(by_name);
      if (by_name) k.allowed.push_back(key);
    }
    return k;
  }();
  const std::vector<std::string>& allowed = kKeys.allowed;
  Function f;
  bool ok = true;
  const std::vector<std::string>& keys = snake_keys<Function>();
  std::size_t index = 0;
  detail::for_each_field<Function>([&](const auto& fd) {
    const std::size_t i = index++;
    if (!kKeys.by_name[i]) return;
    const YNode* v = n.find(keys[i]);
    if (!v) return;
    using M = std::decay_t<decltype(f.*(fd.member))>;
    using L = typename M::value_type::literal_type;
    if (auto x = value<L>(*v, props + "/" + std::string(fd.name)))
      f.*(fd.member) = std::move(*x);
    else
      ok = false;
  });
  known_keys(n, allowed, "function " + name);

  if (const YNode* c = n.find("code"))
    code(f, *c, props + "/Code");
  else
    missing(n, "LF3003",
            fmt::format(
                "function {} needs code: (s3_bucket + s3_key, inline_file, inline or image_uri)",
                name));
  if (const YNode* m = n.find("memory"))
    if (auto x = value<std::int64_t>(*m, props + "/MemorySize")) f.memory_size = *x;
  if (const YNode* e = n.find("environment")) environment(f, *e, props + "/Environment/Variables");
  if (const YNode* tr = n.find("tracing"))
    if (auto x = value<std::string>(*tr, props + "/TracingConfig/Mode")) {
      TracingConfig tc;
      tc.mode = *x;
      f.tracing_config = tc;
    }
  if (const YNode* es = n.find("ephemeral_storage"))
    if (auto x = value<std::int64_t>(*es, props + "/EphemeralStorage/Size"))
      f.ephemeral_storage = EphemeralStorage{*x};
  if (const YNode* rc = n.find("reserved_concurrency"))
    if (auto x = value<std::int64_t>(*rc, props + "/ReservedConcurrentExecutions"))
      f.reserved_concurrent_executions = *x;

  // Execution role: generated unless the function names one.
  std::optional<Role> generated;
  const YNode* role_node = n.find("role");
  if (role_node) {
    map_path(props + "/Role", *role_node);
    const bool text = role_node->kind == YNode::Kind::scalar && !is_intrinsic(*role_node);
    if (text && role_specs_.count(role_node->value)) {
      f.role = get_att(role_node->value, "Arn");
    } else if (text && role_node->value.rfind("arn:", 0) != 0) {
      std::string hint = suggest(role_node->value, role_names_);
      error(*role_node, "LF3007",
            fmt::format("role '{}' is neither an ARN nor a role under roles:{}", role_node->value,
                        hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    } else if (auto x = value<std::string>(*role_node, props + "/Role")) {
      f.role = *x;
    }
  } else {
    generated = Role{};
    generated->assume_role_policy_document = trust_policy_;
    add_managed_policy(*generated, "AWSLambdaBasicExecutionRole");
    f.role = get_att(name + "Role", "Arn");
    map_path("/Resources/" + pointer_token(name + "Role"), n);
  }
  Role* role_for_policies = generated ? &*generated : nullptr;
  if (!role_for_policies && role_node && role_node->kind == YNode::Kind::scalar &&
      role_specs_.count(role_node->value))
    role_for_policies = &t_.get(Handle<Role>{role_node->value});

  if (const YNode* v = n.find("vpc")) vpc(name, f, *v, role_for_policies, props + "/VpcConfig");
  if (generated)
    generated_role_settings(*generated, n,
                            "/Resources/" + pointer_token(name + "Role") + "/Properties");
  if (const YNode* a = n.find("access")) {
    if (role_for_policies) {
      access(name, *role_for_policies, *a, generated ? name + "Role" : role_node->value);
    } else {
      error(*a, "LF5005",
            fmt::format(
                "access: needs a role lambdaform writes (generated, or under roles:); {} uses an "
                "external role, whose policies are managed elsewhere",
                name));
    }
  }
  if (role_for_policies && f.tracing_config && f.tracing_config->literal() &&
      f.tracing_config->literal()->mode == Value<std::string>("Active")) {
    Intrinsic arn = sub("arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess");
    if (!role_for_policies->managed_policy_arns)
      role_for_policies->managed_policy_arns = List<std::string>{};
    if (auto* list = role_for_policies->managed_policy_arns->literal();
        list && std::find(list->begin(), list->end(), Value<std::string>(arn)) == list->end())
      list->push_back(arn);
  }

  if (const YNode* d = n.find("dead_letter_target")) {
    map_path(props + "/DeadLetterConfig/TargetArn", *d);
    std::optional<Value<std::string>> target;
    std::string service;
    if (d->kind == YNode::Kind::mapping && !is_intrinsic(*d)) {
      known_keys(*d, {"sqs", "sns"}, "dead_letter_target");
      if (d->entries.size() != 1) {
        error(*d, "LF3002", "dead_letter_target takes one of sqs: or sns:");
      } else {
        service = d->entries[0].first.value;
        target = value<std::string>(d->entries[0].second, props + "/DeadLetterConfig/TargetArn");
      }
    } else if (auto x = value<std::string>(*d, props + "/DeadLetterConfig/TargetArn")) {
      if (const std::string* arn = x->literal()) {
        // arn:PARTITION:SERVICE:...
        std::string field;
        if (arn->rfind("arn:", 0) == 0) {
          auto a = arn->find(':', 4);
          auto b = a == std::string::npos ? a : arn->find(':', a + 1);
          if (b != std::string::npos) field = arn->substr(a + 1, b - a - 1);
        }
        if (field == "sqs" || field == "sns")
          service = field;
        else
          error(*d, "LF3002",
                fmt::format("dead_letter_target '{}' is neither an SQS queue nor an SNS topic ARN",
                            *arn));
      } else {
        error(*d, "LF3002",
              "an intrinsic dead_letter_target must say its service: dead_letter_target: {sqs: "
              "!GetAtt Queue.Arn} or {sns: !Ref Topic}");
      }
      target = x;
    }
    if (target && !service.empty()) {
      f.dead_letter_config = DeadLetterConfig{*target};
      if (role_for_policies) {
        Policy p;
        p.policy_name = "dead-letter";
        Json stmt = {{"Effect", "Allow"},
                     {"Action", service == "sqs" ? "sqs:SendMessage" : "sns:Publish"},
                     {"Resource", detail::tree_of(*target)}};
        p.policy_document = Json{{"Version", "2012-10-17"}, {"Statement", Json::array({stmt})}};
        if (!role_for_policies->policies) role_for_policies->policies = List<Policy>{};
        if (auto* list = role_for_policies->policies->literal()) list->push_back(p);
      }
    }
  }

  std::vector<std::pair<std::string, Value<std::string>>> own_tags;
  if (const YNode* tags = n.find("tags"))
    if (expect(*tags, YNode::Kind::mapping, "a mapping of tag names to values"))
      for (const auto& [k, v] : tags->entries)
        if (auto x = value<std::string>(v, props + "/Tags")) own_tags.emplace_back(k.value, *x);
  apply_tags(f.tags, own_tags);

  if (!ok && !has_errors(diags_)) error(n, "LF3002", "function " + name + " has invalid settings");
  if (generated) {
    apply_tags(generated->tags, own_tags);
    t_.add(name + "Role", std::move(*generated));
  }
  const std::size_t fn_index = t_.resources.size();
  t_.add(name, std::move(f));
  if (const YNode* inv = n.find("invoke")) invoke(name, *inv);

  if (const YNode* days = n.find("log_retention_days")) {
    const std::string lg = name + "LogGroup";
    if (auto x = value<std::int64_t>(*days, "/Resources/" + lg + "/Properties/RetentionInDays")) {
      LogGroup g;
      g.log_group_name = sub("/aws/lambda/${" + name + "}");
      g.retention_in_days = *x;
      apply_tags(g.tags, own_tags);
      map_path("/Resources/" + lg, *days);
      t_.add(lg, std::move(g));
    }
  }
  if (const YNode* raw = n.find("properties")) {
    map_path(props, *raw);
    if (expect(*raw, YNode::Kind::mapping, "a mapping of CloudFormation properties"))
      raw_properties(name, *raw, "Properties");
  }
  versions(name, fn_index, n);
  if (default_outputs_) {
    Output o;
    o.description = "ARN of " + name;
    o.value = Value<Json>(get_att(name, "Arn"));
    map_path("/Outputs/" + pointer_token(name + "Arn"), n);
    t_.add_output(name + "Arn", std::move(o));
  }
}

// A function's name is its logical id and the prefix of the ids generated for it: it must be
// alphanumeric and must not collide with another function's generated resources.
bool Compiler::valid_function_name(const std::string& name, const YNode& n) {
  const YNode* key = nullptr;
  for (const auto& [k, v] : functions_node_->entries)
    if (&v == &n) key = &k;
  const YNode& at = key ? *key : n;
  constexpr std::string_view kId = "[A-Za-z0-9]{1,200}";
  if (!detail::matches_known_pattern(kId, name)) {
    error(at, "LF3010",
          fmt::format(
              "function name '{}' must be alphanumeric (A-Za-z0-9, at most 200 characters): it "
              "becomes the CloudFormation logical id; set function_name: for the deployed name",
              name));
    return false;
  }
  // No suffix ends another, so at most one (function, suffix) pair can match: look it up.
  for (std::string_view suffix : {"Role", "LogGroup", "Arn", "DeploymentGroup"}) {
    if (name.size() < suffix.size() ||
        std::string_view(name).substr(name.size() - suffix.size()) != suffix)
      continue;
    auto found =
        function_name_set_.find(std::string_view(name).substr(0, name.size() - suffix.size()));
    if (found != function_name_set_.end()) {
      error(at, "LF3010",
            fmt::format("function name {} collides with the {} lambdaform generates for function "
                        "{}; rename one",
                        name, suffix == "Role" ? "execution role" : std::string("resource ") + name,
                        *found));
      return false;
    }
  }
  if (role_specs_.count(name)) {
    error(
        at, "LF3010",
        fmt::format("function name {} is also the name of a role under roles:; rename one", name));
    return false;
  }
  if (role_specs_.count(name + "Role") && !n.find("role")) {
    error(
        at, "LF3010",
        fmt::format("function {} would get a generated execution role {}, which collides with the "
                    "role {} under roles:; give {} `role: {}` or rename the role",
                    name, name + "Role", name + "Role", name, name + "Role"));
    return false;
  }
  return true;
}

// Deep-merges a raw map into a resource: each leaf becomes an override, so modelled siblings
// survive (properties: {VpcConfig: {Ipv6AllowedForDualStack: true}} keeps the subnets).
void Compiler::raw_properties(const std::string& logical_id, const YNode& n,
                              const std::string& prefix) {
  for (const auto& [k, v] : n.entries) {
    const std::string path = prefix + "." + k.value;
    if (k.value.find('.') != std::string::npos) {
      error(k, "LF3002", fmt::format("property name '{}' cannot contain '.'", k.value));
      continue;
    }
    if (v.kind == YNode::Kind::mapping && !is_intrinsic(v) && !v.entries.empty()) {
      raw_properties(logical_id, v, path);
    } else {
      t_.add_override(logical_id, path, json(v));
    }
  }
}

bool Compiler::expand(const YNode& from, std::size_t items) {
  if (expansion_refused_) return false;
  expanded_items_ += std::max<std::size_t>(items, 1);
  if (expanded_items_ <= options_.max_expanded_items) return true;
  expansion_refused_ = true;
  error(from, "LF0006",
        fmt::format("copying this into every resource that uses it takes the spec past {} copied "
                    "items (stack tags and network lists, counted per resource), above "
                    "lambdaform's limit",
                    options_.max_expanded_items));
  return false;
}

std::string Compiler::suggest(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return {};  // did_you_mean suggests nothing for those
  std::size_t work = 0;
  for (const auto& c : candidates) work += (word.size() + 1) * (c.size() + 1);
  if (work > suggest_budget_) return {};
  suggest_budget_ -= work;
  return detail::did_you_mean(word, candidates);
}

void Compiler::apply_tags(std::optional<Value<List<Tag>>>& tags,
                          const std::vector<std::pair<std::string, Value<std::string>>>& own) {
  std::map<std::string, Value<std::string>> merged;
  if (!stack_tags_.empty() && expand(*stack_tags_node_, stack_tags_.size()))
    for (const auto& [k, v] : stack_tags_) merged.insert_or_assign(k, v);
  for (const auto& [k, v] : own) merged.insert_or_assign(k, v);
  if (merged.empty()) return;
  List<Tag> list;
  for (const auto& [k, v] : merged) {
    Tag tag;
    tag.key = k;
    tag.value = v;
    list.push_back(tag);
  }
  tags = list;
}

// `rel` (written at `at` for `what`) resolved against the spec's folder; std::nullopt, with
// LF3006, when it leaves that folder and --allow-outside-files is not given.
std::optional<fs::path> Compiler::inside_spec_dir(const YNode& at, const std::string& rel,
                                                  std::string_view what) {
  const fs::path p(rel);
  fs::path full = p.is_absolute() ? p : base_dir_ / p;
  std::error_code ec;
  const fs::path inside =
      fs::weakly_canonical(full, ec).lexically_relative(fs::weakly_canonical(base_dir_, ec));
  if (!options_.allow_files_outside_spec_dir &&
      (inside.empty() || *inside.begin() == ".." || p.is_absolute())) {
    error(at, "LF3006",
          fmt::format("{} '{}' is outside the spec's folder; move it there or pass "
                      "--allow-outside-files",
                      what, rel));
    return std::nullopt;
  }
  return full;
}

void Compiler::code(Function& f, const YNode& n, const std::string& tpath) {
  map_path(tpath, n);
  if (!expect(n, YNode::Kind::mapping,
              "a mapping with s3_bucket + s3_key, inline_file, inline, image_uri or package"))
    return;
  known_keys(n,
             {"s3_bucket", "s3_key", "s3_object_version", "inline_file", "inline", "image_uri",
              "package", "s3_prefix", "source_kms_key_arn"},
             "code");
  const YNode* bucket = n.find("s3_bucket");
  const YNode* key = n.find("s3_key");
  const YNode* version = n.find("s3_object_version");
  const YNode* file = n.find("inline_file");
  const YNode* source = n.find("inline");
  const YNode* image = n.find("image_uri");
  // package: DIR takes s3_bucket (and s3_prefix) too: the bucket it is uploaded to.
  const YNode* pkg = n.find("package");
  const YNode* prefix = n.find("s3_prefix");
  int forms = int{key || version || (bucket && !pkg)} + int{file != nullptr} +
              int{source != nullptr} + int{image != nullptr} + int{pkg != nullptr};
  if (forms != 1) {
    if (forms == 0)
      missing(n, "LF3004",
              "code needs one of: s3_bucket + s3_key, inline_file, inline, image_uri, package");
    else if (pkg)
      error(n, "LF3004",
            "code: package takes s3_bucket and s3_prefix beside it, not s3_key, "
            "s3_object_version, inline_file, inline or image_uri");
    else
      error(n, "LF3004",
            "code takes exactly one of: s3_bucket + s3_key, inline_file, inline, image_uri");
    return;
  }
  if (prefix && !pkg) {
    error(*prefix, "LF3004", "s3_prefix goes with package: DIR");
    return;
  }
  Code c;
  if (const YNode* kms = n.find("source_kms_key_arn"))
    if (auto x = value<std::string>(*kms, tpath + "/SourceKMSKeyArn")) c.source_kms_key_arn = *x;
  if (pkg) {
    // A reproducible zip of DIR, shipped through S3 under a key derived from its SHA-256: the
    // key, and so the version hash, changes exactly when the code does.
    map_path(tpath + "/S3Key", *pkg);
    if (!bucket) {
      missing(n, "LF3004",
              "package code needs s3_bucket: the bucket `lambdaform package` uploads the zip to");
      return;
    }
    auto rel = plain_string(*pkg, "a directory path");
    if (!rel) return;
    auto located = inside_spec_dir(*pkg, *rel, "package");
    if (!located) return;
    const fs::path full = *located;
    std::string key_prefix(kDefaultPackagePrefix);
    if (prefix)
      if (auto x = plain_string(*prefix, "an S3 key prefix")) key_prefix = *x;
    PackageResult built = build_package(full.string());
    for (auto& d : built.diagnostics) {
      d.message = fmt::format("package '{}': {}", *rel, d.message);
      d.location = loc(*pkg);
      d.path = tpath;
      diags_.push_back(std::move(d));
    }
    if (!built.package) return;
    // tpath is /Resources/<function>/Properties/Code; function ids are alphanumeric.
    const std::string function = tpath.substr(11, tpath.find('/', 11) - 11);
    if (auto x = value<std::string>(*bucket, tpath + "/S3Bucket")) c.s3_bucket = *x;
    c.s3_key = package_key(key_prefix, function, built.package->sha256);
    if (f.runtime && f.runtime->literal() && f.handler && f.handler->literal())
      if (auto why = handler_problem(*built.package, *f.runtime->literal(), *f.handler->literal()))
        warning(*pkg, "LF7003", *why);
  } else if (bucket || key || version) {
    if (!bucket || !key) {
      missing(n, "LF3004", "S3 code needs both s3_bucket and s3_key");
      return;
    }
    if (auto x = value<std::string>(*bucket, tpath + "/S3Bucket")) c.s3_bucket = *x;
    if (auto x = value<std::string>(*key, tpath + "/S3Key")) c.s3_key = *x;
    if (version)
      if (auto x = value<std::string>(*version, tpath + "/S3ObjectVersion"))
        c.s3_object_version = *x;
  } else if (image) {
    if (auto x = value<std::string>(*image, tpath + "/ImageUri")) c.image_uri = *x;
    if (!f.package_type) f.package_type = "Image";
  } else if (source) {
    if (auto x = value<std::string>(*source, tpath + "/ZipFile")) c.zip_file = *x;
  } else {
    map_path(tpath + "/ZipFile", *file);
    auto rel = plain_string(*file, "a file path");
    if (!rel) return;
    auto located = inside_spec_dir(*file, *rel, "inline_file");
    if (!located) return;
    const fs::path full = *located;
    std::error_code ec;
    if (fs::is_directory(full, ec)) {
      error(*file, "LF3006", fmt::format("inline_file '{}' is a directory, not a file", *rel));
      return;
    }
    std::string text;
    const ReadResult read = read_at_most(full, options_.max_inline_file_bytes + 1, text);
    if (read != ReadResult::ok) {
      error(*file, "LF3006",
            fmt::format("cannot read inline_file '{}': {}", *rel,
                        read == ReadResult::cannot_open ? "no such file" : "read error"));
      return;
    }
    if (text.size() > options_.max_inline_file_bytes) {
      error(*file, "LF3006",
            fmt::format("inline_file '{}' is larger than {} bytes, Lambda's inline limit; ship it "
                        "as an S3 package instead",
                        *rel, options_.max_inline_file_bytes));
      return;
    }
    if (!detail::valid_utf8(text)) {
      error(*file, "LF3006", fmt::format("inline_file '{}' is not UTF-8 text", *rel));
      return;
    }
    c.zip_file = text;
  }
  f.code = std::move(c);
}

void Compiler::vpc(const std::string& name, Function& f, const YNode& n, Role* role,
                   const std::string& tpath) {
  map_path(tpath, n);
  if (is_intrinsic(n)) {
    if (auto x = value<VpcConfig>(n, tpath)) f.vpc_config = *x;
    return;
  }
  if (!expect(n, YNode::Kind::mapping, "a mapping with subnets and security_groups")) return;
  known_keys(n,
             {"subnets", "security_groups", "allow_public_subnet", "ipv6_allowed_for_dual_stack"},
             "vpc");
  if (!network_) {
    error(n, "LF3005",
          fmt::format("function {} has vpc: but the spec has no network: section", name));
    return;
  }
  VpcConfig vc;
  const YNode* subnets = n.find("subnets");
  if (!subnets) {
    missing(n, "LF3003", "vpc needs subnets: public or private");
  } else if (auto which = plain_string(*subnets, "public or private")) {
    const YNode* list = *which == "public"    ? network_->public_subnets
                        : *which == "private" ? network_->private_subnets
                                              : nullptr;
    if (*which != "public" && *which != "private") {
      error(*subnets, "LF3005", fmt::format("subnets must be public or private, not '{}'", *which));
    } else if (!list) {
      error(*subnets, "LF3005", fmt::format("network: has no {}_subnets", *which));
    } else if (expand(*list, list->items.size())) {
      vc.subnet_ids = network_list(*list, tpath + "/SubnetIds");
      map_path(tpath + "/SubnetIds", *subnets);
      std::optional<bool> allow = false;
      if (const YNode* a = n.find("allow_public_subnet")) allow = literal<bool>(*a, tpath);
      if (*which == "public" && allow) {  // an unreadable allow_public_subnet is reported already
        std::string msg = fmt::format(
            "function {} is placed in public subnets: Lambda's network interfaces get no public "
            "IP there, so it cannot reach the internet or public AWS endpoints such as SSM; use "
            "private subnets with a NAT gateway or VPC endpoints",
            name);
        if (*allow)
          warning(*subnets, "LF3001", msg + " (allowed by allow_public_subnet: true)");
        else
          error(*subnets, "LF3001", msg + ", or set allow_public_subnet: true if this is intended");
      }
    }
  }
  const YNode* groups = n.find("security_groups");
  if (!groups) {
    missing(n, "LF3003",
            "vpc needs security_groups: a list of group names from network.security_groups");
  } else if (expect(*groups, YNode::Kind::sequence, "a list of security group names")) {
    List<std::string> literal_ids;
    Json parts = Json::array();
    bool any_ref = false;
    for (const auto& g : groups->items) {
      auto gname = plain_string(g, "a security group name");
      if (!gname) continue;
      auto it = network_->group_index.find(*gname);
      if (it == network_->group_index.end()) {
        // The names are listed once, not per unknown reference (F10: 60,000 unknown references
        // among 20,000 groups copied 1.2 billion strings, 18 s).
        std::string hint = suggest(*gname, network_->group_names);
        error(g, "LF3005",
              fmt::format("network.security_groups has no group '{}'{}", *gname,
                          hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
        continue;
      }
      if (!expand(*it->second, it->second->items.size())) break;
      auto ids = network_list(*it->second, tpath + "/SecurityGroupIds");
      if (!ids) continue;
      if (const auto* lit = ids->literal()) {
        for (const auto& id : *lit) {
          literal_ids.push_back(id);
          parts.push_back(detail::tree_of(id));
        }
      } else {
        any_ref = true;
        parts.push_back(join(",", detail::tree_of(*ids)).to_json());
      }
    }
    map_path(tpath + "/SecurityGroupIds", *groups);
    if (groups->items.empty())
      error(*groups, "LF3005",
            "vpc needs at least one security group: a function in a VPC without one has no network "
            "access");
    if (!any_ref) {
      vc.security_group_ids = literal_ids;
    } else if (parts.size() == 1) {
      // One list parameter: pass its Ref through unchanged.
      vc.security_group_ids =
          Value<List<std::string>>(*Intrinsic::from_json(parts[0]["Fn::Join"][1]));
    } else {
      vc.security_group_ids = Value<List<std::string>>(split(",", join(",", parts)));
    }
  }
  if (const YNode* v6 = n.find("ipv6_allowed_for_dual_stack"))
    if (auto x = value<bool>(*v6, tpath + "/Ipv6AllowedForDualStack"))
      vc.ipv6_allowed_for_dual_stack = *x;
  f.vpc_config = std::move(vc);
  if (role) add_managed_policy(*role, "AWSLambdaVPCAccessExecutionRole");
}

void Compiler::outputs(const YNode& n) {
  if (!expect(n, YNode::Kind::mapping, "a mapping of output names to outputs")) return;
  for (const auto& [k, v] : n.entries) {
    const std::string tpath = "/Outputs/" + pointer_token(k.value);
    map_path(tpath, k);
    if (auto o = fields_from<Output>(v, tpath, "output " + k.value)) {
      if (!o->value) missing(v, "LF3003", fmt::format("output {} needs a value", k.value));
      t_.add_output(k.value, std::move(*o));
    }
  }
}

// publish_version: a content-addressed Version; aliases: stable names on versions.
void Compiler::versions(const std::string& name, std::size_t index, const YNode& n) {
  std::optional<Handle<Version>> current;
  if (const YNode* pv = n.find("publish_version")) {
    if (literal<bool>(*pv, "").value_or(false)) {
      auto [handle, hash] = detail::publish_version(t_, index, options_.params);
      map_path("/Resources/" + pointer_token(handle.logical_id), *pv);
      for (const auto& p : hash.unresolved_parameters)
        warning(
            *pv, "LF4001",
            fmt::format("the version of {} is hashed over the parameter {}, not its value: a new "
                        "value passed only at deploy time will not publish a new version; render "
                        "with --param {}=VALUE",
                        name, p, p));
      current = handle;
      if (default_outputs_) {
        Output o;
        o.description = "Version of " + name + " published from this render";
        o.value = Value<Json>(get_att(handle, "Version"));
        map_path("/Outputs/" + pointer_token(name + "Version"), *pv);
        t_.add_output(name + "Version", std::move(o));
      }
    }
  }
  if (const YNode* a = n.find("aliases")) aliases(name, *a, current);
  if (const YNode* d = n.find("deployment")) {
    PendingDeployment pd{name, d, {}};
    if (const YNode* a = n.find("aliases"))
      for (const auto& [k, v] : a->entries)
        pd.alias_ids[k.value] = alias_ids_[name + "/" + k.value];
    deployments_.push_back(std::move(pd));
  }
}

std::optional<Value<std::string>> Compiler::alias_version(
    const std::string& fn, const YNode& n, const std::optional<Handle<Version>>& current,
    const std::string& tpath) {
  map_path(tpath, n);
  if (is_intrinsic(n)) return value<std::string>(n, tpath);
  if (n.kind != YNode::Kind::scalar) {
    error(n, "LF3002",
          fmt::format("expected $LATEST, current or a version number, found {}", kind_name(n)));
    return std::nullopt;
  }
  constexpr std::string_view kNumber = "[1-9][0-9]*";
  if (n.value == "$LATEST" || detail::matches_known_pattern(kNumber, n.value))
    return Value<std::string>(n.value);
  if (n.value == "current") {
    if (!current) {
      error(n, "LF4002",
            fmt::format("an alias of {} points at current, but {} does not publish a version: add "
                        "publish_version: true",
                        fn, fn));
      return std::nullopt;
    }
    return Value<std::string>(get_att(*current, "Version"));
  }
  error(n, "LF4002",
        fmt::format("alias version '{}' must be $LATEST, current or a published version number",
                    n.value));
  return std::nullopt;
}

void Compiler::aliases(const std::string& fn, const YNode& n,
                       const std::optional<Handle<Version>>& current) {
  if (!expect(n, YNode::Kind::mapping, "a mapping of alias names to versions")) return;
  for (const auto& [k, v] : n.entries) {
    std::string id = fn + "Alias";
    for (char c : k.value)
      if (std::isalnum(static_cast<unsigned char>(c))) id += c;
    const std::string res = "/Resources/" + pointer_token(id);
    if (id_taken(id)) {
      error(k, "LF4004",
            fmt::format("alias '{}' gives the logical id {}, which is already taken", k.value, id));
      continue;
    }
    map_path(res, k);
    map_path(res + "/Properties/Name", k);
    Alias a;
    a.name = k.value;
    a.function_name = ref(fn);
    const YNode* version = &v;
    if (v.kind == YNode::Kind::mapping && !is_intrinsic(v)) {
      known_keys(v,
                 {"version", "additional_version", "additional_weight", "provisioned_concurrency",
                  "description"},
                 "alias " + k.value);
      version = v.find("version");
      if (!version) {
        missing(v, "LF3003",
                fmt::format("alias {} needs version: $LATEST, current or a number", k.value));
        continue;
      }
      if (const YNode* d = v.find("description"))
        if (auto x = value<std::string>(*d, res + "/Properties/Description")) a.description = *x;
      const YNode* extra = v.find("additional_version");
      const YNode* weight = v.find("additional_weight");
      if ((extra == nullptr) != (weight == nullptr)) {
        error(extra ? *extra : *weight, "LF4003",
              "additional_version and additional_weight go together");
      } else if (extra) {
        const std::string wp = res + "/Properties/RoutingConfig/AdditionalVersionWeights/0";
        auto ev = alias_version(fn, *extra, current, wp + "/FunctionVersion");
        auto w = value<double>(*weight, wp + "/FunctionWeight");
        if (ev && w) {
          AliasRoutingConfiguration rc;
          rc.additional_version_weights = List<VersionWeight>{VersionWeight{*ev, *w}};
          a.routing_config = rc;
        }
      }
      if (const YNode* pc = v.find("provisioned_concurrency"))
        if (auto x = value<std::int64_t>(
                *pc,
                res + "/Properties/ProvisionedConcurrencyConfig/ProvisionedConcurrentExecutions"))
          a.provisioned_concurrency_config = ProvisionedConcurrencyConfiguration{*x};
      if (a.routing_config && a.provisioned_concurrency_config)
        map_path(res + "/Properties/ProvisionedConcurrencyConfig",
                 *v.find("provisioned_concurrency"));
    }
    auto fv = alias_version(fn, *version, current, res + "/Properties/FunctionVersion");
    if (!fv) continue;
    a.function_version = *fv;
    if (a.routing_config) {
      const VersionWeight& w =
          *(*a.routing_config->literal()->additional_version_weights->literal())[0].literal();
      if (w.function_version == a.function_version)
        error(
            *version, "LF2003",
            fmt::format(
                "alias {} sends its extra weight to its own version; route to a different version",
                k.value));
      if (const double* x = w.function_weight->literal(); x && !(*x >= 0.0 && *x <= 1.0))
        error(*v.find("additional_weight"), "E3034",
              fmt::format("additional_weight {} is outside 0.0–1.0 (0.1 sends 10% of the traffic)",
                          *x));
    }
    alias_ids_[fn + "/" + k.value] = id;
    t_.add(id, std::move(a));
    if (default_outputs_) {
      Output o;
      o.description = fmt::format("ARN of alias {} of {}", k.value, fn);
      o.value = Value<Json>(ref(id));
      map_path("/Outputs/" + pointer_token(id + "Arn"), k);
      t_.add_output(id + "Arn", std::move(o));
    }
  }
}

// Gradual deployments through CodeDeploy: one application and service role per stack, one
// deployment group per function, and the alias's UpdatePolicy.
void Compiler::deployments() {
  static const std::vector<std::string> kTypes = {"Canary10Percent5Minutes",
                                                  "Canary10Percent10Minutes",
                                                  "Canary10Percent15Minutes",
                                                  "Canary10Percent30Minutes",
                                                  "Linear10PercentEvery1Minute",
                                                  "Linear10PercentEvery2Minutes",
                                                  "Linear10PercentEvery3Minutes",
                                                  "Linear10PercentEvery10Minutes",
                                                  "AllAtOnce"};
  bool shared_added = false;
  for (const auto& pd : deployments_) {
    const YNode& n = *pd.node;
    if (!expect(n, YNode::Kind::mapping, "a mapping with alias and type")) continue;
    known_keys(n, {"alias", "type", "alarms", "pre_traffic_hook", "post_traffic_hook"},
               "deployment");
    const YNode* alias = n.find("alias");
    const YNode* type = n.find("type");
    if (!alias || !type) {
      missing(n, "LF3003", "deployment needs alias: and type:");
      continue;
    }
    auto alias_name = plain_string(*alias, "an alias name");
    auto type_name = plain_string(*type, "a deployment type");
    if (!alias_name || !type_name) continue;
    auto it = pd.alias_ids.find(*alias_name);
    if (it == pd.alias_ids.end() || it->second.empty()) {
      error(*alias, "LF4005",
            fmt::format("deployment names alias '{}', which {} does not declare", *alias_name,
                        pd.function));
      continue;
    }
    if (std::find(kTypes.begin(), kTypes.end(), *type_name) == kTypes.end()) {
      std::string hint = suggest(*type_name, kTypes);
      error(
          *type, "LF4005",
          fmt::format("deployment type '{}' is not one of CodeDeploy's Lambda configurations{}",
                      *type_name, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
      continue;
    }
    Alias& a = t_.get(Handle<Alias>{it->second});
    if (a.routing_config) {
      error(*alias, "LF4005",
            "an alias shifted by CodeDeploy cannot also set additional_version: CodeDeploy manages "
            "its weights");
      continue;
    }
    if (!shared_added) {
      t_.add("CodeDeployApplication",
             RawResource{"AWS::CodeDeploy::Application", Json{{"ComputePlatform", "Lambda"}}});
      Role role;
      role.assume_role_policy_document = Json::parse(
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
      role.managed_policy_arns = List<std::string>{
          sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda")};
      t_.add("CodeDeployServiceRole", std::move(role));
      map_path("/Resources/CodeDeployApplication", n);
      map_path("/Resources/CodeDeployServiceRole", n);
      shared_added = true;
    }
    const std::string group = pd.function + "DeploymentGroup";
    Json props = {
        {"ApplicationName", ref("CodeDeployApplication").to_json()},
        {"ServiceRoleArn", get_att("CodeDeployServiceRole", "Arn").to_json()},
        {"DeploymentConfigName", "CodeDeployDefault.Lambda" + *type_name},
        {"DeploymentStyle",
         {{"DeploymentType", "BLUE_GREEN"}, {"DeploymentOption", "WITH_TRAFFIC_CONTROL"}}},
        {"AutoRollbackConfiguration",
         {{"Enabled", true},
          {"Events",
           {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"}}}}};
    if (const YNode* alarms = n.find("alarms")) {
      if (auto list = value<List<std::string>>(
              *alarms, "/Resources/" + group + "/Properties/AlarmConfiguration/Alarms")) {
        Json names = Json::array();
        if (const auto* lit = list->literal())
          for (const auto& x : *lit) names.push_back(Json{{"Name", detail::tree_of(x)}});
        props["AlarmConfiguration"] = {{"Enabled", true}, {"Alarms", names}};
      }
    }
    map_path("/Resources/" + group, n);
    t_.add(group, RawResource{"AWS::CodeDeploy::DeploymentGroup", props});
    Json update = {{"ApplicationName", ref("CodeDeployApplication").to_json()},
                   {"DeploymentGroupName", ref(group).to_json()}};
    for (auto [key, cfn] : {std::pair{"pre_traffic_hook", "BeforeAllowTrafficHook"},
                            std::pair{"post_traffic_hook", "AfterAllowTrafficHook"}}) {
      const YNode* hook = n.find(key);
      if (!hook) continue;
      auto hname = plain_string(*hook, "a function name of this spec");
      if (!hname) continue;
      if (!function_name_set_.count(*hname)) {
        std::string hint = suggest(*hname, function_names_);
        error(*hook, "LF4005",
              fmt::format("{} '{}' is not a function of this spec{}", key, *hname,
                          hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
        continue;
      }
      update[cfn] = ref(*hname).to_json();
      // The hook reports its verdict to CodeDeploy for this deployment group only.
      if (Resource* hr = const_cast<Resource*>(t_.find(*hname + "Role"));
          hr && std::holds_alternative<Role>(hr->body)) {
        Role& hook_role = std::get<Role>(hr->body);
        Policy p;
        p.policy_name = "codedeploy-hook";
        p.policy_document = Json{
            {"Version", "2012-10-17"},
            {"Statement",
             Json::array(
                 {Json{{"Effect", "Allow"},
                       {"Action", "codedeploy:PutLifecycleEventHookExecutionStatus"},
                       {"Resource", sub("arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::"
                                        "AccountId}:deploymentgroup:${CodeDeployApplication}/${" +
                                        group + "}")
                                        .to_json()}}})}};
        if (!hook_role.policies) hook_role.policies = List<Policy>{};
        if (auto* list = hook_role.policies->literal()) list->push_back(p);
      }
    }
    t_.resource(it->second).attributes.update_policy =
        Json{{"CodeDeployLambdaAliasUpdate", update}};
    map_path("/Resources/" + it->second + "/UpdatePolicy", n);
  }
}

// ---- access and IAM -------------------------------------------------------------------------

// An ARN built from the stack's own partition, region and account.
Json arn_sub(const std::string& tail) {
  return sub("arn:${AWS::Partition}:" + tail).to_json();
}

// Environment variable names that usually hold secrets.
bool looks_secret(const std::string& name) {
  std::string up;
  for (char c : name) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* word : {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY",
                           "PRIVATE_KEY", "CREDENTIAL", "ACCESS_KEY"})
    if (up.find(word) != std::string::npos) return true;
  return false;
}

// Environment values: literals, intrinsics, or {ssm: PATH} / {secret: NAME, key: K} which become
// CloudFormation dynamic references, so no secret is ever written into the template.
void Compiler::environment(Function& f, const YNode& n, const std::string& tpath) {
  map_path(tpath, n);
  if (is_intrinsic(n)) {
    if (auto x = value<Map<std::string>>(n, tpath)) f.environment = Environment{*x};
    return;
  }
  if (!expect(n, YNode::Kind::mapping, "a mapping of environment variable names to values")) return;
  Map<std::string> vars;
  for (const auto& [k, v] : n.entries) {
    const std::string vp = tpath + "/" + pointer_token(k.value);
    map_path(vp, k);
    if (v.kind == YNode::Kind::mapping && !is_intrinsic(v)) {
      known_keys(v, {"ssm", "version", "secret", "key", "version_stage"},
                 "environment value " + k.value);
      const YNode* ssm = v.find("ssm");
      const YNode* secret = v.find("secret");
      if ((ssm != nullptr) == (secret != nullptr)) {
        missing(v, "LF3002",
                fmt::format("environment value {} takes ssm: PATH or secret: NAME", k.value));
        continue;
      }
      if (ssm) {
        auto path = plain_string(*ssm, "an SSM parameter name");
        if (!path) continue;
        std::string ref = "{{resolve:ssm:" + *path;
        if (const YNode* ver = v.find("version"))
          if (auto x = literal<std::int64_t>(*ver, vp)) ref += ":" + std::to_string(*x);
        vars.emplace(k.value, ref + "}}");
      } else {
        auto name = plain_string(*secret, "a Secrets Manager secret name or ARN");
        if (!name) continue;
        std::string key, stage;
        if (const YNode* kk = v.find("key"))
          if (auto x = plain_string(*kk, "a JSON key")) key = *x;
        if (const YNode* st = v.find("version_stage"))
          if (auto x = plain_string(*st, "a version stage")) stage = *x;
        vars.emplace(k.value, "{{resolve:secretsmanager:" + *name + ":SecretString:" + key +
                                  (stage.empty() ? "" : ":" + stage) + "}}");
      }
      continue;
    }
    auto x = value<std::string>(v, vp);
    if (!x) continue;
    if (const std::string* lit = x->literal();
        lit && looks_secret(k.value) && !lit->empty() && lit->rfind("{{resolve:", 0) != 0)
      error(v, "LF5002",
            fmt::format(
                "{} looks like a secret, and a literal value would be written into the template "
                "for anyone with read access to see: use {{ssm: /path}} or {{secret: NAME, key: "
                "KEY}}, which become CloudFormation dynamic references",
                k.value));
    vars.emplace(k.value, *x);
  }
  f.environment = Environment{Value<Map<std::string>>(std::move(vars))};
}

void Compiler::generated_role_settings(Role& r, const YNode& n, const std::string& tpath) {
  if (const YNode* x = n.find("role_name"))
    if (auto v = value<std::string>(*x, tpath + "/RoleName")) r.role_name = *v;
  if (const YNode* x = n.find("permissions_boundary"))
    if (auto v = value<std::string>(*x, tpath + "/PermissionsBoundary"))
      r.permissions_boundary = *v;
  if (const YNode* x = n.find("managed_policy_arns"))
    if (auto v = value<List<std::string>>(*x, tpath + "/ManagedPolicyArns")) {
      if (const auto* extra = v->literal())
        for (const auto& arn : *extra)
          if (auto* list = r.managed_policy_arns->literal();
              list && std::find(list->begin(), list->end(), arn) == list->end())
            list->push_back(arn);
    }
}

// Error when a statement allows every action of a service (or all) on every resource.
void Compiler::lint_statements(const Json& statements, const YNode& at) {
  for (const auto& st : statements) {
    // A statement's values may be anything the spec says; comparing never throws, value() does.
    if (!st.is_object() || !st.contains("Effect") || st["Effect"] != "Allow") continue;
    auto as_list = [](const Json& j) { return j.is_array() ? j : Json::array({j}); };
    bool any_resource = false;
    if (st.contains("Resource"))
      for (const auto& r : as_list(st["Resource"])) any_resource = any_resource || r == "*";
    if (!any_resource || !st.contains("Action")) continue;
    for (const auto& a : as_list(st["Action"])) {
      if (!a.is_string()) continue;
      const std::string action = a.get<std::string>();
      if (action == "*" || (action.size() > 2 && action.substr(action.size() - 2) == ":*")) {
        error(at, "LF5001",
              fmt::format("a statement allows {} on Resource \"*\": name the actions the function "
                          "calls and the resources it calls them on",
                          action == "*"
                              ? "every action"
                              : "every " + action.substr(0, action.size() - 2) + " action"));
        break;
      }
    }
  }
}

void Compiler::access(const std::string& fn, Role& role, const YNode& n,
                      const std::string& role_id) {
  const std::string tpath = "/Resources/" + pointer_token(role_id) + "/Properties/Policies";
  if (!expect(n, YNode::Kind::mapping, "a mapping of access kinds")) return;
  known_keys(n,
             {"ssm_parameters", "secrets", "rds_iam_auth", "kms_keys", "s3_read", "s3_write",
              "sqs_send", "invoke_functions", "statements"},
             "access");
  map_path(tpath, n);
  Json statements = Json::array();
  auto statement = [](const char* sid, Json actions, Json resources) {
    Json st = Json::object();
    st["Sid"] = sid;
    st["Effect"] = "Allow";
    st["Action"] = std::move(actions);
    st["Resource"] = std::move(resources);
    return st;
  };
  // Each kind reads a list of strings or intrinsics.
  auto items = [&](const char* key) -> std::vector<Value<std::string>> {
    const YNode* x = n.find(key);
    if (!x) return {};
    auto v = value<List<std::string>>(*x, tpath + "/" + key);
    if (!v) return {};
    if (const auto* lit = v->literal()) return *lit;
    error(*x, "LF3002", fmt::format("access.{} takes a list (its items may be intrinsics)", key));
    return {};
  };
  auto resource = [](const Value<std::string>& v,
                     const std::function<Json(const std::string&)>& build) -> Json {
    if (const std::string* s = v.literal()) return s->rfind("arn:", 0) == 0 ? Json(*s) : build(*s);
    return detail::tree_of(v);
  };

  // SSM parameters: exact names get GetParameter(s); a "/prefix/*" also GetParametersByPath.
  Json exact = Json::array(), prefix = Json::array();
  for (const auto& p : items("ssm_parameters")) {
    const std::string* s = p.literal();
    if (s && s->size() > 2 && s->substr(s->size() - 2) == "/*") {
      std::string path = s->substr(0, s->size() - 2);
      std::string tail = "ssm:${AWS::Region}:${AWS::AccountId}:parameter" +
                         std::string(path[0] == '/' ? "" : "/") + path;
      prefix.push_back(arn_sub(tail));
      prefix.push_back(arn_sub(tail + "/*"));
    } else {
      exact.push_back(resource(p, [](const std::string& name) {
        return arn_sub("ssm:${AWS::Region}:${AWS::AccountId}:parameter" +
                       std::string(name[0] == '/' ? "" : "/") + name);
      }));
    }
  }
  if (!exact.empty())
    statements.push_back(
        statement("ReadSsmParameters", {"ssm:GetParameter", "ssm:GetParameters"}, exact));
  if (!prefix.empty())
    statements.push_back(
        statement("ReadSsmParameterPaths",
                  {"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"}, prefix));

  Json secrets = Json::array();
  for (const auto& sname : items("secrets"))
    secrets.push_back(resource(sname, [](const std::string& name) {
      // Secret ARNs end in "-" and six random characters.
      return arn_sub("secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:" + name + "-??????");
    }));
  if (!secrets.empty())
    statements.push_back(statement("ReadSecrets", "secretsmanager:GetSecretValue", secrets));

  if (const YNode* rds = n.find("rds_iam_auth")) {
    if (expect(*rds, YNode::Kind::mapping, "a mapping with db_resource_id and db_user")) {
      known_keys(*rds, {"db_resource_id", "db_user"}, "rds_iam_auth");
      const YNode* id = rds->find("db_resource_id");
      const YNode* user = rds->find("db_user");
      if (!id || !user) {
        missing(*rds, "LF3003",
                "rds_iam_auth needs db_resource_id (the cluster's or instance's resource id) and "
                "db_user");
      } else {
        auto idv = value<std::string>(*id, tpath + "/rds");
        auto userv = value<std::string>(*user, tpath + "/rds");
        if (idv && userv)
          statements.push_back(statement("ConnectToRdsWithIamAuth", "rds-db:connect",
                                         sub("arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::"
                                             "AccountId}:dbuser:${DbResourceId}/${DbUser}",
                                             Json{{"DbResourceId", detail::tree_of(*idv)},
                                                  {"DbUser", detail::tree_of(*userv)}})
                                             .to_json()));
      }
    }
  }

  // KMS: key ids and ARNs directly; aliases through kms:ResourceAliases (Decrypt names no alias).
  Json keys = Json::array(), aliases = Json::array();
  for (const auto& k : items("kms_keys")) {
    const std::string* s = k.literal();
    if (s && s->rfind("alias/", 0) == 0)
      aliases.push_back(*s);
    else
      keys.push_back(resource(k, [](const std::string& id) {
        return arn_sub("kms:${AWS::Region}:${AWS::AccountId}:key/" + id);
      }));
  }
  if (!keys.empty()) statements.push_back(statement("DecryptWithKeys", "kms:Decrypt", keys));
  if (!aliases.empty()) {
    Json st = statement("DecryptWithKeyAliases", "kms:Decrypt",
                        arn_sub("kms:${AWS::Region}:${AWS::AccountId}:key/*"));
    st["Condition"] = {{"ForAnyValue:StringEquals", {{"kms:ResourceAliases", aliases}}}};
    statements.push_back(std::move(st));
  }

  auto s3 = [&](const char* key, const char* sid, const char* action) {
    Json objects = Json::array();
    for (const auto& o : items(key))
      objects.push_back(
          resource(o, [](const std::string& path) { return arn_sub("s3:::" + path); }));
    if (!objects.empty()) statements.push_back(statement(sid, action, objects));
  };
  s3("s3_read", "ReadS3Objects", "s3:GetObject");
  s3("s3_write", "WriteS3Objects", "s3:PutObject");

  Json queues = Json::array();
  for (const auto& q : items("sqs_send"))
    queues.push_back(resource(q, [](const std::string& name) {
      return arn_sub("sqs:${AWS::Region}:${AWS::AccountId}:" + name);
    }));
  if (!queues.empty()) statements.push_back(statement("SendToQueues", "sqs:SendMessage", queues));

  if (const YNode* inv = n.find("invoke_functions")) {
    Json targets = Json::array();
    if (expect(*inv, YNode::Kind::sequence, "a list of function names of this spec"))
      for (const auto& item : inv->items) {
        auto target = plain_string(item, "a function name of this spec");
        if (!target) continue;
        if (!function_name_set_.count(*target)) {
          std::string hint = suggest(*target, function_names_);
          error(
              item, "LF3005",
              fmt::format("invoke_functions names '{}', which is not a function of this spec{}",
                          *target, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
          continue;
        }
        targets.push_back(get_att(*target, "Arn").to_json());
        targets.push_back(sub("${" + *target + ".Arn}:*").to_json());  // its versions and aliases
      }
    if (!targets.empty())
      statements.push_back(statement("InvokeFunctions", "lambda:InvokeFunction", targets));
  }

  if (const YNode* raw = n.find("statements")) {
    if (expect(*raw, YNode::Kind::sequence, "a list of IAM policy statements")) {
      Json extra = json(*raw);
      lint_statements(extra, *raw);
      for (auto& st : extra) statements.push_back(std::move(st));
    }
  }
  if (statements.empty()) return;
  Policy p;
  p.policy_name = fn + "-access";
  // Built by moves: a braced Json initializer copies each of its values.
  Json document = Json::object();
  document["Version"] = "2012-10-17";
  document["Statement"] = std::move(statements);
  p.policy_document = std::move(document);
  if (!role.policies) role.policies = List<Policy>{};
  if (auto* list = role.policies->literal()) {
    map_path(tpath + "/" + std::to_string(list->size()), n);
    list->push_back(std::move(p));
  }
}

// Who may invoke the function: one AWS::Lambda::Permission per entry.
void Compiler::invoke(const std::string& fn, const YNode& n) {
  if (!expect(n, YNode::Kind::sequence,
              "a list of {service: ..., source_arn: ..., source_account: ...}"))
    return;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const YNode& e = n.items[i];
    if (!expect(e, YNode::Kind::mapping, "a mapping with service: or principal:")) continue;
    known_keys(
        e, {"service", "principal", "source_arn", "source_account", "principal_org_id", "action"},
        "invoke");
    const std::string id = fn + "InvokePermission" + std::to_string(i + 1);
    const std::string props = "/Resources/" + id + "/Properties";
    map_path("/Resources/" + id, e);
    Permission p;
    p.action = "lambda:InvokeFunction";
    p.function_name = get_att(fn, "Arn");
    const YNode* service = e.find("service");
    const YNode* principal = e.find("principal");
    if ((service != nullptr) == (principal != nullptr)) {
      missing(e, "LF3003",
              "an invoke entry names exactly one of service: (e.g. events.amazonaws.com) or "
              "principal: (an account)");
      continue;
    }
    if (auto x = value<std::string>(service ? *service : *principal, props + "/Principal"))
      p.principal = *x;
    if (const YNode* a = e.find("action"))
      if (auto x = value<std::string>(*a, props + "/Action")) p.action = *x;
    if (const YNode* a = e.find("source_arn"))
      if (auto x = value<std::string>(*a, props + "/SourceArn")) p.source_arn = *x;
    if (const YNode* a = e.find("source_account"))
      if (auto x = value<std::string>(*a, props + "/SourceAccount")) p.source_account = *x;
    if (const YNode* a = e.find("principal_org_id"))
      if (auto x = value<std::string>(*a, props + "/PrincipalOrgID")) p.principal_org_id = *x;
    if (service && service->kind == YNode::Kind::scalar) {
      if (service->value == "s3.amazonaws.com" && !p.source_account)
        error(*service, "LF5004",
              "s3.amazonaws.com without source_account lets any account's bucket with that name "
              "invoke "
              "the function (bucket names can be re-registered): add source_account: !Ref "
              "AWS::AccountId");
      else if (!p.source_arn && !p.source_account)
        warning(
            *service, "LF5003",
            fmt::format("{} may invoke {} on behalf of anyone (the confused-deputy problem): add "
                        "source_arn or source_account",
                        service->value, fn));
    }
    t_.add(id, std::move(p));
  }
}

}  // namespace

SpecResult compile_spec(std::string_view text, const std::string& path,
                        const SpecOptions& options) {
  fs::path base = fs::path(path).parent_path();
  if (base.empty()) base = ".";
  Compiler c(path, base, options);
  SpecResult r = c.run(text);
  r.source = std::string(text);
  return r;
}

SpecResult compile_spec_file(const std::string& path, const SpecOptions& options) {
  SpecResult r;
  auto fail = [&](std::string message) {
    r.unreadable = true;
    r.diagnostics.push_back(
        Diagnostic{Severity::error, "LF0009", std::move(message), "", SourceLocation{path, 1, 1}});
    return r;
  };
  std::error_code ec;
  if (fs::is_directory(path, ec)) return fail("this is a directory, not a spec file");
  // At most max_spec_bytes + 1 bytes: compile_spec reports a bigger spec.
  std::string text;
  switch (read_at_most(path, options.max_spec_bytes + 1, text)) {
    case ReadResult::cannot_open:
      return fail("cannot read the spec: no such file or no permission");
    case ReadResult::cannot_read:
      return fail("cannot read the spec");
    case ReadResult::ok:
      break;
  }
  return compile_spec(text, path, options);
}

namespace {

// `d` formatted, with `line_text` (the text of its line, without the newline) and a caret.
std::string with_source_line(const Diagnostic& d, std::string_view text) {
  std::string out = format(d);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.size() > 300) return out;  // a minified line helps nobody
  // Columns count characters; the caret gets one space per character before it (tabs kept), so
  // it lines up under multi-byte text too. A leading BOM is neither shown nor counted.
  if (d.location->line == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  out += "\n  ";
  out += text;
  out += "\n  ";
  std::uint32_t col = 1;
  for (std::size_t i = 0; i < text.size() && col < d.location->column; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;
    out += c == '\t' ? '\t' : ' ';
    ++col;
  }
  out += '^';
  return out;
}

bool has_line(const Diagnostic& d, std::string_view source) {
  return d.location && d.location->line != 0 && !source.empty();
}

}  // namespace

std::string format_with_source(const Diagnostic& d, std::string_view source) {
  if (!has_line(d, source)) return format(d);
  std::size_t start = 0;
  for (std::uint32_t line = 1; line < d.location->line; ++line) {
    start = source.find('\n', start);
    if (start == std::string_view::npos) return format(d);
    ++start;
  }
  std::size_t end = source.find('\n', start);
  return with_source_line(
      d, source.substr(start, end == std::string_view::npos ? source.npos : end - start));
}

std::vector<std::string> format_with_source(const Diagnostics& ds, std::string_view source) {
  std::vector<std::size_t> starts;  // starts[i]: offset of line i + 1
  std::vector<std::string> out;
  out.reserve(ds.size());
  for (const auto& d : ds) {
    if (!has_line(d, source)) {
      out.push_back(format(d));
      continue;
    }
    if (starts.empty()) {
      starts.push_back(0);
      for (std::size_t i = source.find('\n'); i != std::string_view::npos;
           i = source.find('\n', i + 1))
        starts.push_back(i + 1);
    }
    if (d.location->line > starts.size()) {
      out.push_back(format(d));
      continue;
    }
    std::size_t start = starts[d.location->line - 1];
    std::size_t end = source.find('\n', start);
    out.push_back(with_source_line(
        d, source.substr(start, end == std::string_view::npos ? source.npos : end - start)));
  }
  return out;
}

}  // namespace lambdaform
