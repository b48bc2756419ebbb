#include "yaml_loader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>
#include <yaml.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "utf8.hpp"

namespace lambdaform::detail {

const YNode* YNode::find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k.value == key) return &v;
  return nullptr;
}

namespace {

// Thrown from the builder to stop parsing at the first refused construct.
struct Refused {
  Diagnostic diagnostic;
};

// libyaml's marks are 0-based and count characters (not bytes); a BOM is not counted.
std::uint32_t one_based(std::size_t v) {
  return static_cast<std::uint32_t>(std::min<std::size_t>(v, UINT32_MAX - 1) + 1);
}

// Builds the YNode tree from libyaml's events; refuses aliases, duplicate keys, non-scalar keys
// and documents above the limits as soon as they appear.
class Builder {
 public:
  Builder(const std::string& file, const LoadLimits& limits) : file_(file), limits_(limits) {}

  std::optional<YNode> root;

  void null(const yaml_mark_t& mark) {
    YNode n;
    n.kind = YNode::Kind::null;
    place(std::move(n), mark);
  }
  void alias(const yaml_mark_t& mark) {
    refuse(mark, "LF0005",
           "YAML aliases (*name) are not accepted in a spec: write the value out where it is used");
  }
  void scalar(const yaml_mark_t& mark, std::string tag, std::string value) {
    YNode n;
    n.kind = YNode::Kind::scalar;
    n.tag = std::move(tag);
    n.value = std::move(value);
    place(std::move(n), mark);
  }
  void open(YNode::Kind kind, const yaml_mark_t& mark, std::string tag) {
    count(mark);
    if (stack_.size() >= limits_.max_depth)
      refuse(mark, "LF0006",
             fmt::format("the document nests deeper than {} levels, above lambdaform's limit",
                         limits_.max_depth));
    YNode n;
    n.kind = kind;
    n.tag = tag == "!" ? "" : std::move(tag);
    n.line = one_based(mark.line);
    n.column = one_based(mark.column);
    stack_.push_back(Frame{std::move(n), std::nullopt, {}});
  }
  void close() {
    YNode n = std::move(stack_.back().node);
    stack_.pop_back();
    attach(std::move(n));
  }

 private:
  struct Frame {
    YNode node;
    std::optional<YNode> pending_key;
    // Keys of a large mapping -> their line: the duplicate check stays linear (fuzz_spec F5).
    std::unordered_map<std::string, std::uint32_t> keys;
  };

  // Small mappings are scanned; past this many keys they are indexed.
  static constexpr std::size_t kIndexKeysFrom = 16;

  [[noreturn]] void refuse(const yaml_mark_t& mark, const char* rule, std::string message) {
    throw Refused{Diagnostic{Severity::error, rule, std::move(message), "",
                             SourceLocation{file_, one_based(mark.line), one_based(mark.column)}}};
  }

  void count(const yaml_mark_t& mark) {
    if (++nodes_ > limits_.max_nodes)
      refuse(mark, "LF0006",
             fmt::format("the document has more than {} nodes, above lambdaform's limit",
                         limits_.max_nodes));
  }

  void place(YNode&& n, const yaml_mark_t& mark) {
    count(mark);
    n.line = one_based(mark.line);
    n.column = one_based(mark.column);
    attach(std::move(n));
  }

  void attach(YNode&& n) {
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
    // An empty value (`key:`) has no position of its own: libyaml reports the next token's.
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

// Line and column (1-based, in characters, a leading BOM not counted) of a byte offset.
std::pair<std::uint32_t, std::uint32_t> position_of(std::string_view s, std::size_t offset) {
  std::uint32_t line = 1, col = 1;
  std::size_t i = s.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  for (; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return {line, col};
}

// The first invalid UTF-8 byte's offset, if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b >= 0x80) {
      len = (b >= 0xC2 && b <= 0xDF)   ? 2
            : (b >= 0xE0 && b <= 0xEF) ? 3
            : (b >= 0xF0 && b <= 0xF4) ? 4
                                       : 0;
      if (len == 0 || i + len > s.size() || !valid_utf8(s.substr(i, len))) return i;
    }
    i += len;
  }
  return std::nullopt;
}

// Owns a libyaml parser and its current event.
struct Parser {
  yaml_parser_t parser;
  yaml_event_t event;
  bool has_event = false;
  Parser() { yaml_parser_initialize(&parser); }
  ~Parser() {
    if (has_event) yaml_event_delete(&event);
    yaml_parser_delete(&parser);
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  bool next() {
    if (has_event) yaml_event_delete(&event);
    has_event = yaml_parser_parse(&parser, &event) != 0;
    return has_event;
  }
};

std::string tag_of(const yaml_char_t* tag) {
  return tag ? std::string(reinterpret_cast<const char*>(tag)) : std::string();
}

}  // namespace

LoadResult load_yaml(std::string_view text, const std::string& file, const LoadLimits& limits) {
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
  if (auto bad = first_invalid_utf8(text)) {
    auto [line, col] = position_of(text, *bad);
    return fail("LF0002", "the file is not valid UTF-8", line, col);
  }

  // YAML 1.1 readers (libyaml, PyYAML, CloudFormation) break lines at NEL, U+2028, U+2029 and
  // a lone CR too; editors and lambdaform's diagnostics count LF only. Refuse them rather than
  // read a spec with lines numbered two ways (a NEL in a comment ended the comment).
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '\r' && c != '\xC2' && c != '\xE2') continue;
    const std::string_view rest = text.substr(i);
    const char* what = nullptr;
    if (c == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))
      what =
          "a carriage return without a line feed, which YAML takes as a line break: use LF or "
          "CRLF line endings";
    else if (rest.substr(0, 2) == "\xC2\x85")
      what =
          "U+0085 (next line), which YAML 1.1 takes as a line break: remove it, or write \\N "
          "in a double-quoted string";
    else if (rest.substr(0, 3) == "\xE2\x80\xA8")
      what =
          "U+2028 (line separator), which YAML 1.1 takes as a line break: remove it, or write "
          "\\L in a double-quoted string";
    else if (rest.substr(0, 3) == "\xE2\x80\xA9")
      what =
          "U+2029 (paragraph separator), which YAML 1.1 takes as a line break: remove it, or "
          "write \\P in a double-quoted string";
    if (what) {
      auto [line, col] = position_of(text, i);
      return fail("LF0002", fmt::format("the file contains {}", what), line, col);
    }
  }

  Parser p;
  // libyaml asserts a non-null input even when it is empty (an empty string_view may have none:
  // fuzz_spec's empty input). Valid UTF-8 is checked above, so its encoding detection can only
  // find UTF-8, with or without a BOM, which it skips.
  static const char kEmpty[] = "";
  yaml_parser_set_input_string(
      &p.parser, reinterpret_cast<const unsigned char*>(text.empty() ? kEmpty : text.data()),
      text.size());
  Builder builder(file, limits);
  int documents = 0;
  try {
    while (p.next()) {
      const yaml_event_t& e = p.event;
      switch (e.type) {
        case YAML_STREAM_END_EVENT:
          result.root = std::move(builder.root);
          return result;
        case YAML_DOCUMENT_START_EVENT:
          if (++documents == 2)
            return fail("LF0003",
                        "a spec is one YAML document; remove the second '---' and what follows",
                        one_based(e.start_mark.line), one_based(e.start_mark.column));
          break;
        case YAML_ALIAS_EVENT:
          builder.alias(e.start_mark);
          break;
        case YAML_SCALAR_EVENT: {
          const auto& s = e.data.scalar;
          std::string value(reinterpret_cast<const char*>(s.value), s.length);
          if (s.tag) {
            builder.scalar(e.start_mark, tag_of(s.tag), std::move(value));
          } else if (s.style == YAML_PLAIN_SCALAR_STYLE) {
            // An untagged plain null (`key:`, `~`, `null`) is a null node, as before: a null
            // key is refused (LF0007) rather than read as the string "null".
            if (value.empty() || value == "~" || value == "null" || value == "Null" ||
                value == "NULL")
              builder.null(e.start_mark);
            else
              builder.scalar(e.start_mark, "", std::move(value));
          } else {
            builder.scalar(e.start_mark, "!", std::move(value));
          }
          break;
        }
        case YAML_SEQUENCE_START_EVENT:
          builder.open(YNode::Kind::sequence, e.start_mark, tag_of(e.data.sequence_start.tag));
          break;
        case YAML_MAPPING_START_EVENT:
          builder.open(YNode::Kind::mapping, e.start_mark, tag_of(e.data.mapping_start.tag));
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          builder.close();
          break;
        default:
          break;
      }
    }
  } catch (const Refused& r) {
    result.diagnostics.push_back(r.diagnostic);
    return result;
  }

  const yaml_parser_t& y = p.parser;
  const std::string problem = y.problem ? y.problem : "unknown error";
  if (y.error == YAML_READER_ERROR) {
    auto [line, col] = position_of(text, y.problem_offset);
    if (y.problem_offset < text.size() && text[y.problem_offset] == '\0')
      return fail("LF0002", "the file contains a NUL character", line, col);
    if (y.problem_offset < text.size() && problem == "control characters are not allowed") {
      // The text is valid UTF-8 (checked before parsing): the first code point of the next
      // four bytes is the refused character.
      const std::uint32_t cp = detail::decode_utf8(text.substr(y.problem_offset, 4)).front();
      return fail("LF0002",
                  fmt::format("the file contains U+{0:04X}, a character YAML does not allow in a "
                              "document; in a double-quoted string write it as \\{1}{0:0{2}X}",
                              cp, cp < 0x100 ? 'x' : 'u', cp < 0x100 ? 2 : 4),
                  line, col);
    }
    return fail("LF0002", fmt::format("the file cannot be read as YAML text: {}", problem), line,
                col);
  }
  if (y.error == YAML_MEMORY_ERROR) return fail("LF0006", "out of memory reading YAML", 1, 1);
  std::string message = fmt::format("YAML syntax error: {}", problem);
  const std::string context = y.context ? y.context : "";
  const yaml_mark_t& at = y.problem_mark;
  // An unclosed [, { or quote, or a key without its ':', is noticed lines (or a megabyte) later:
  // point at where the construct starts.
  for (const char* prefix : {"while parsing a ", "while scanning a "}) {
    const std::string what =
        context.rfind(prefix, 0) == 0 ? context.substr(std::strlen(prefix)) : "";
    if (what.rfind("flow ", 0) == 0 || what == "quoted scalar" || what == "simple key")
      return fail("LF0001",
                  fmt::format("{} (in the {} that starts here; noticed at line {}, column {})",
                              message, what, one_based(at.line), one_based(at.column)),
                  one_based(y.context_mark.line), one_based(y.context_mark.column));
  }
  if (!context.empty() && (y.context_mark.line != at.line || y.context_mark.column != at.column))
    message += fmt::format(" ({} at line {}, column {})", context, one_based(y.context_mark.line),
                           one_based(y.context_mark.column));
  return fail("LF0001", std::move(message), one_based(at.line), one_based(at.column));
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
