#include "yaml_loader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

#include "utf8.hpp"

namespace lambdaform::detail {

const YNode* YNode::find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k.value == key) return &v;
  return nullptr;
}

namespace {

// Thrown from the handler to stop parsing at the first refused construct.
struct Refused {
  Diagnostic diagnostic;
};

class Builder : public YAML::EventHandler {
 public:
  Builder(const std::string& file, const LoadLimits& limits) : file_(file), limits_(limits) {}

  std::optional<YNode> root;
  int documents = 0;
  YAML::Mark second_document;

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents == 2) second_document = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    YNode n;
    n.kind = YNode::Kind::null;
    place(std::move(n), mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    refuse(mark, "LF0005",
           "YAML aliases (*name) are not accepted in a spec: write the value out where it is used");
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    YNode n;
    n.kind = YNode::Kind::scalar;
    n.tag = tag == "?" ? "" : tag;
    n.value = value;
    place(std::move(n), mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(YNode::Kind::sequence, mark, tag);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open(YNode::Kind::mapping, mark, tag);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YNode node;
    std::optional<YNode> pending_key;
    // Keys of a large mapping -> their line: the duplicate check stays linear (fuzz_spec F5).
    std::unordered_map<std::string, std::uint32_t> keys;
  };

  // Small mappings are scanned; past this many keys they are indexed.
  static constexpr std::size_t kIndexKeysFrom = 16;

  [[noreturn]] void refuse(const YAML::Mark& mark, const char* rule, std::string message) {
    throw Refused{Diagnostic{Severity::error, rule, std::move(message), "",
                             SourceLocation{file_, static_cast<std::uint32_t>(mark.line + 1),
                                            static_cast<std::uint32_t>(mark.column + 1)}}};
  }

  void count(const YAML::Mark& mark) {
    if (++nodes_ > limits_.max_nodes)
      refuse(mark, "LF0006",
             fmt::format("the document has more than {} nodes, above lambdaform's limit",
                         limits_.max_nodes));
  }

  void open(YNode::Kind kind, const YAML::Mark& mark, const std::string& tag) {
    count(mark);
    if (stack_.size() >= limits_.max_depth)
      refuse(mark, "LF0006",
             fmt::format("the document nests deeper than {} levels, above lambdaform's limit",
                         limits_.max_depth));
    YNode n;
    n.kind = kind;
    n.tag = (tag == "?" || tag == "!") ? "" : tag;
    n.line = static_cast<std::uint32_t>(mark.line + 1);
    n.column = static_cast<std::uint32_t>(mark.column + 1);
    stack_.push_back(Frame{std::move(n), std::nullopt, {}});
  }

  void close() {
    YNode n = std::move(stack_.back().node);
    stack_.pop_back();
    attach(std::move(n));
  }

  void place(YNode n, const YAML::Mark& mark) {
    count(mark);
    n.line = static_cast<std::uint32_t>(mark.line + 1);
    n.column = static_cast<std::uint32_t>(mark.column + 1);
    attach(std::move(n));
  }

  void attach(YNode n) {
    if (stack_.empty()) {
      if (!root) root = std::move(n);
      return;
    }
    Frame& f = stack_.back();
    if (f.node.kind == YNode::Kind::sequence) {
      f.node.items.push_back(std::move(n));
      return;
    }
    if (!f.pending_key) {
      if (n.kind != YNode::Kind::scalar)
        throw Refused{
            Diagnostic{Severity::error, "LF0007",
                       "mapping keys must be plain strings, not sequences, mappings or nulls", "",
                       SourceLocation{file_, n.line, n.column}}};
      std::optional<std::uint32_t> first_line;
      if (f.node.entries.size() < kIndexKeysFrom) {
        for (const auto& [k, v] : f.node.entries)
          if (k.value == n.value) first_line = k.line;
      } else {
        if (f.keys.empty())
          for (const auto& [k, v] : f.node.entries) f.keys.emplace(k.value, k.line);
        if (auto it = f.keys.find(n.value); it != f.keys.end()) first_line = it->second;
        f.keys.emplace(n.value, n.line);
      }
      if (first_line)
        throw Refused{Diagnostic{
            Severity::error, "LF0004",
            fmt::format("duplicate key '{}' (first defined at line {})", n.value, *first_line), "",
            SourceLocation{file_, n.line, n.column}}};
      f.pending_key = std::move(n);
      return;
    }
    // An empty value (`key:`) has no position of its own: yaml-cpp reports the next token's.
    if (n.kind == YNode::Kind::null) {
      n.line = f.pending_key->line;
      n.column = f.pending_key->column;
    }
    f.node.entries.emplace_back(std::move(*f.pending_key), std::move(n));
    f.pending_key.reset();
  }

  const std::string& file_;
  const LoadLimits& limits_;
  std::vector<Frame> stack_;
  std::size_t nodes_ = 0;
};

// The first invalid UTF-8 byte's line and column, if any.
std::optional<std::pair<std::uint32_t, std::uint32_t>> first_invalid_utf8(std::string_view s) {
  std::uint32_t line = 1, col = 1;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b >= 0x80) {
      len = (b >= 0xC2 && b <= 0xDF)   ? 2
            : (b >= 0xE0 && b <= 0xEF) ? 3
            : (b >= 0xF0 && b <= 0xF4) ? 4
                                       : 0;
      if (len == 0 || i + len > s.size() || !valid_utf8(s.substr(i, len)))
        return std::pair{line, col};
    }
    if (b == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
    i += len;
  }
  return std::nullopt;
}

}  // namespace

LoadResult load_yaml_bytes(std::string_view text, const std::string& file,
                           const LoadLimits& limits);

// yaml-cpp counts columns in bytes (after a BOM); people and editors count characters.
class Columns {
 public:
  explicit Columns(std::string_view text) : text_(text) {
    std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    starts_.push_back(start);
    for (std::size_t i = start; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }
  // Nodes are converted in document order, so each call goes on from where the last one on the
  // same line stopped: linear in the line's length, not quadratic (fuzz_spec F4).
  std::uint32_t chars(std::uint32_t line, std::uint32_t byte_column) {
    if (line == 0 || line > starts_.size()) return byte_column;
    const std::size_t begin = starts_[line - 1];
    const std::size_t end = std::min(text_.size(), begin + byte_column - 1);
    if (line != at_line_ || end < at_byte_) {
      at_line_ = line;
      at_byte_ = begin;
      at_col_ = 1;
    }
    for (; at_byte_ < end; ++at_byte_)
      if ((static_cast<unsigned char>(text_[at_byte_]) & 0xC0) != 0x80) ++at_col_;
    return at_col_;
  }
  void fix(YNode& n) {
    n.column = chars(n.line, n.column);
    for (auto& item : n.items) fix(item);
    for (auto& [k, v] : n.entries) {
      fix(k);
      fix(v);
    }
  }
  void fix(Diagnostics& ds) {
    for (auto& d : ds)
      if (d.location) d.location->column = chars(d.location->line, d.location->column);
  }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
  std::uint32_t at_line_ = 0;  // where the last conversion stopped
  std::size_t at_byte_ = 0;
  std::uint32_t at_col_ = 1;
};

LoadResult load_yaml(std::string_view text, const std::string& file, const LoadLimits& limits) {
  LoadResult result = load_yaml_bytes(text, file, limits);
  if (text.size() <= limits.max_bytes) {
    Columns columns(text);
    if (result.root) columns.fix(*result.root);
    columns.fix(result.diagnostics);
  }
  return result;
}

LoadResult load_yaml_bytes(std::string_view text, const std::string& file,
                           const LoadLimits& limits) {
  LoadResult result;
  auto fail = [&](const char* rule, std::string msg, std::uint32_t line, std::uint32_t col) {
    result.diagnostics.push_back(
        Diagnostic{Severity::error, rule, std::move(msg), "", SourceLocation{file, line, col}});
    return result;
  };
  if (text.size() > limits.max_bytes)
    return fail("LF0006",
                fmt::format("the file is larger than {} bytes, lambdaform's limit for a spec",
                            limits.max_bytes),
                1, 1);
  if (auto bad = first_invalid_utf8(text))
    return fail("LF0002", "the file is not valid UTF-8", bad->first, bad->second);
  if (text.find('\0') != std::string_view::npos) {
    // yaml-cpp would stop reading at a NUL; refuse it with its position instead.
    std::size_t at = text.find('\0');
    std::uint32_t line = 1, col = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return fail("LF0002", "the file contains a NUL character", line, col);
  }

  std::istringstream in{std::string(text)};
  Builder builder(file, limits);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
      if (builder.documents > 1)
        return fail("LF0003",
                    "a spec is one YAML document; remove the second '---' and what follows",
                    static_cast<std::uint32_t>(builder.second_document.line + 1),
                    static_cast<std::uint32_t>(builder.second_document.column + 1));
    }
  } catch (const Refused& r) {
    result.diagnostics.push_back(r.diagnostic);
    return result;
  } catch (const YAML::ParserException& e) {
    return fail("LF0001", fmt::format("YAML syntax error: {}", e.msg),
                static_cast<std::uint32_t>(e.mark.line + 1),
                static_cast<std::uint32_t>(e.mark.column + 1));
  } catch (const YAML::Exception& e) {
    return fail("LF0001", fmt::format("YAML error: {}", e.msg), 1, 1);
  }
  result.root = std::move(builder.root);
  return result;
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Skips digits from i; returns how many.
std::size_t digits(const std::string& s, std::size_t& i) {
  std::size_t from = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  return i - from;
}

// [-+]?[0-9]+
bool is_int(const std::string& s) {
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  return digits(s, i) > 0 && i == s.size();
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_float(const std::string& s) {
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits(s, i) == 0) return false;
  } else {
    if (digits(s, i) == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits(s, i);
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits(s, i) == 0) return false;
  }
  return i == s.size();
}

}  // namespace

Json resolve_plain(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  char first = s[0];
  if (!((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.')) return s;
  if (is_int(s)) {
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno == 0) return static_cast<std::int64_t>(v);
    errno = 0;
    unsigned long long u = std::strtoull(s.c_str(), &end, 10);
    if (errno == 0 && s[0] != '-') return static_cast<std::uint64_t>(u);
    return std::strtod(s.c_str(), nullptr);
  }
  if (is_float(s)) return std::strtod(s.c_str(), nullptr);
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF")
    return HUGE_VAL;
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return -HUGE_VAL;
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::nan("");
  return s;
}

Json to_json(const YNode& n, const std::string& file, Diagnostics& diags) {
  Json value;
  switch (n.kind) {
    case YNode::Kind::null:
      value = nullptr;
      break;
    case YNode::Kind::scalar:
      value = n.tag.empty() ? resolve_plain(n.value) : Json(n.value);
      break;
    case YNode::Kind::sequence:
      value = Json::array();
      for (const auto& item : n.items) value.push_back(to_json(item, file, diags));
      break;
    case YNode::Kind::mapping:
      value = Json::object();
      for (const auto& [k, v] : n.entries) value[k.value] = to_json(v, file, diags);
      break;
  }
  if (n.tag.empty() || n.tag == "!" || n.tag == "tag:yaml.org,2002:str" ||
      n.tag == "tag:yaml.org,2002:map" || n.tag == "tag:yaml.org,2002:seq")
    return value;
  if (n.tag.size() > 1 && n.tag[0] == '!' && n.tag[1] != '!') {
    std::string name = n.tag.substr(1);
    if (name == "Ref" || name == "Condition") return Json{{name, value}};
    if (name == "GetAtt" && value.is_string()) {
      const std::string s = value.get<std::string>();
      auto dot = s.find('.');
      Json args = dot == std::string::npos ? Json::array({s})
                                           : Json::array({s.substr(0, dot), s.substr(dot + 1)});
      return Json{{"Fn::GetAtt", args}};
    }
    return Json{{"Fn::" + name, value}};
  }
  diags.push_back(Diagnostic{Severity::error, "LF0008",
                             fmt::format("unsupported YAML tag '{}'", n.tag), "",
                             SourceLocation{file, n.line, n.column}});
  return value;
}

}  // namespace lambdaform::detail
