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

bool operator==(const YNode& a, const YNode& b) {
  return a.kind == b.kind && a.tag == b.tag && a.value == b.value && a.line == b.line &&
         a.column == b.column && a.items == b.items && a.entries == b.entries;
}

namespace {

// Thrown from the builder to stop parsing at the first refused construct.
// A plain scalar that YAML resolves to null: empty, `~`, `null`, `Null`, `NULL`. Views compare
// inline, by size first (std::string == "literal" is an out-of-line strlen + compare).
bool is_null_word(std::string_view v) {
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

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
  /// A scalar as the text wrote it: `tag` empty when it has none, `plain` for an unquoted one.
  void scalar_event(const yaml_mark_t& mark, std::string tag, bool plain, std::string value) {
    if (!tag.empty()) {
      scalar(mark, std::move(tag), std::move(value));
    } else if (plain) {
      // An untagged plain null (`key:`, `~`, `null`) is a null node, as before: a null key is
      // refused (LF0007) rather than read as the string "null".
      if (is_null_word(value))
        null(mark);
      else
        scalar(mark, "", std::move(value));
    } else {
      scalar(mark, "!", std::move(value));
    }
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
    if (scratch_.size() < stack_.size()) scratch_.emplace_back();
  }
  void close() {
    YNode n = std::move(stack_.back().node);
    Scratch& sc = scratch_[stack_.size() - 1];
    // Children collect in this depth's reused scratch and move once into an exact-size vector:
    // growing each node's own by doubling left a third of a mapping's entries unused (YNode
    // pairs are 256 bytes) and reallocated it four times for ten keys.
    if (n.kind == YNode::Kind::sequence) {
      n.items.reserve(sc.items.size());
      for (auto& item : sc.items) n.items.push_back(std::move(item));
      sc.items.clear();
    } else {
      n.entries.reserve(sc.entries.size());
      for (auto& entry : sc.entries) n.entries.push_back(std::move(entry));
      sc.entries.clear();
    }
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

  struct Scratch {
    std::vector<YNode> items;
    std::vector<std::pair<YNode, YNode>> entries;
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
    Scratch& sc = scratch_[stack_.size() - 1];
    if (f.node.kind == YNode::Kind::sequence) {
      sc.items.push_back(std::move(n));
      return;
    }
    if (!f.pending_key) {
      if (n.kind != YNode::Kind::scalar)
        throw Refused{
            Diagnostic{Severity::error, "LF0007",
                       "mapping keys must be plain strings, not sequences, mappings or nulls", "",
                       SourceLocation{file_, n.line, n.column}}};
      std::optional<std::uint32_t> first_line;
      if (sc.entries.size() < kIndexKeysFrom) {
        for (const auto& [k, v] : sc.entries)
          if (k.value == n.value) first_line = k.line;
      } else {
        if (f.keys.empty())
          for (const auto& [k, v] : sc.entries) f.keys.emplace(k.value, k.line);
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
    sc.entries.emplace_back(std::move(*f.pending_key), std::move(n));
    f.pending_key.reset();
  }

  const std::string& file_;
  const LoadLimits& limits_;
  std::vector<Frame> stack_;
  std::vector<Scratch> scratch_;  // by depth: stack_[i]'s children so far
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

// Thrown by FastReader at the first thing outside the subset it reads.
struct Unsupported {};

// Reads the YAML most specs are written in straight into the Builder: block mappings and
// sequences, one-line plain and quoted scalars (no escapes), literal block scalars (`|`, `|-`),
// one-line flow collections, `!Name` tags, comments, a leading `---`; printable ASCII only. It
// reports every node where libyaml's events place it (a block mapping at its first key, a tagged
// node at its tag, 0-based lines and columns). Anything else (folded or kept block scalars,
// multi-line plain or quoted scalars and flow collections, anchors, escapes, tabs, other
// characters, empty items, a second document, a refusal) stops it, and libyaml then reads the
// whole text, so every diagnostic still comes from libyaml. A load, tree included, takes about
// 135 instructions a byte this way and 320 through libyaml (callgrind, bench/'s N = 125 spec).
// tests/fuzz/fuzz_yaml.cpp compares the two readers' trees on every text this one accepts.
class FastReader {
 public:
  FastReader(std::string_view text, Builder& builder)
      : s_(text), n_(text.size()), builder_(builder) {}

  void run() {
    skip_blank_lines();
    if (ind_ == 0 && at_marker()) {
      if (s_[p_] != '-') throw Unsupported{};  // `...` before any content
      p_ += 3;
      finish_line();
    }
    if (ind_ < 0) throw Unsupported{};  // an empty document
    block_node(-1);
    if (ind_ >= 0) throw Unsupported{};
  }

 private:
  static bool alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  bool blank_or_eol(std::size_t q) const { return q >= n_ || s_[q] == ' ' || s_[q] == '\n'; }
  bool at(std::size_t q, char c) const { return q < n_ && s_[q] == c; }
  bool at_entry() const { return at(p_, '-') && blank_or_eol(p_ + 1); }

  yaml_mark_t mark(std::size_t pos) const {
    yaml_mark_t m{};
    m.index = pos;
    m.line = line_;
    m.column = pos - line_start_;
    return m;
  }

  void skip_spaces() {
    while (p_ < n_ && s_[p_] == ' ') ++p_;
  }

  // From the start of a line: past blank and comment-only lines to the first character of the
  // next line with content (ind_ = its column), or to the end (ind_ = -1).
  void skip_blank_lines() {
    for (;;) {
      line_start_ = p_;
      skip_spaces();
      if (p_ == n_) {
        ind_ = -1;
        return;
      }
      if (s_[p_] == '#')
        while (p_ < n_ && s_[p_] != '\n') ++p_;
      if (p_ < n_ && s_[p_] == '\n') {
        ++p_;
        ++line_;
        continue;
      }
      if (p_ == n_) continue;
      ind_ = static_cast<int>(p_ - line_start_);
      return;
    }
  }

  // `---` or `...` at the start of a line: a document marker.
  bool at_marker() const {
    return p_ == line_start_ && n_ - p_ >= 3 &&
           (s_.compare(p_, 3, "---") == 0 || s_.compare(p_, 3, "...") == 0) && blank_or_eol(p_ + 3);
  }

  // After a node: only spaces and a comment may follow on its line.
  void finish_line() {
    skip_spaces();
    if (at(p_, '#')) {
      if (s_[p_ - 1] != ' ') throw Unsupported{};  // a '#' right after a token
      while (p_ < n_ && s_[p_] != '\n') ++p_;
    }
    if (p_ < n_) {
      if (s_[p_] != '\n') throw Unsupported{};
      ++p_;
      ++line_;
    }
    skip_blank_lines();
    if (ind_ == 0 && at_marker()) throw Unsupported{};
  }

  // Whether a plain scalar may start at q (libyaml's rule, narrowed: '-' only before a letter,
  // digit or '.', never '?' or ':').
  bool plain_start(std::size_t q) const {
    if (q >= n_) return false;
    const char c = s_[q];
    if (c == '-') return q + 1 < n_ && (alnum(s_[q + 1]) || s_[q + 1] == '.');
    // The other indicators, a space or a line break: no plain scalar starts there (the text has
    // no NUL, which strchr would find).
    return std::strchr("?:,[]{}#&*!|>'\"%@` \n", c) == nullptr;
  }

  struct Plain {
    std::size_t end;   // past its last non-space character
    std::size_t stop;  // where the scan stopped
    bool colon;        // stopped at a ':' followed by a space or the line's end
  };

  // A one-line plain scalar from q. In a flow collection it also ends at , [ ] { }.
  Plain scan_plain(std::size_t q, bool flow) const {
    std::size_t end = q;
    while (q < n_) {
      const char c = s_[q];
      if (c == '\n') break;
      if (c == ':') {
        if (blank_or_eol(q + 1)) return Plain{end, q, true};
        // "x:" before a flow indicator reads differently across libyaml versions.
        if (flow && q + 1 < n_ && std::strchr(",?[]{}", s_[q + 1])) throw Unsupported{};
      } else if (c == ' ') {
        if (at(q + 1, '#')) break;
        ++q;
        continue;
      } else if (flow && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}')) {
        break;
      }
      end = ++q;
    }
    return Plain{end, q, false};
  }

  // A one-line quoted scalar at p_ (single-quoted, or double-quoted without escapes); p_ ends
  // past its closing quote.
  std::string quoted() {
    const char q = s_[p_];
    std::size_t i = p_ + 1;
    std::string v;
    for (;;) {
      std::size_t j = i;
      while (j < n_ && s_[j] != q && s_[j] != '\n' && !(q == '"' && s_[j] == '\\')) ++j;
      if (j == n_ || s_[j] != q) throw Unsupported{};
      v.append(s_.data() + i, j - i);
      if (q == '\'' && at(j + 1, '\'')) {
        v += '\'';
        i = j + 2;
        continue;
      }
      p_ = j + 1;
      return v;
    }
  }

  // `!Name ` at p_: the tag "!Name"; p_ ends at the node after it.
  std::string tag() {
    std::size_t q = p_ + 1;
    while (q < n_ && alnum(s_[q])) ++q;
    if (q == p_ + 1 || !at(q, ' ')) throw Unsupported{};
    std::string t(s_.substr(p_, q - p_));
    p_ = q;
    skip_spaces();
    return t;
  }

  void emit(std::size_t pos, std::string tag, bool plain, std::string value) {
    builder_.scalar_event(mark(pos), std::move(tag), plain, std::move(value));
  }

  // A mapping key (plain or quoted) at p_, and its ':'; p_ ends past the ':'.
  void key(bool flow) {
    const std::size_t from = p_;
    if (at(p_, '\'') || at(p_, '"')) {
      std::string v = quoted();
      if (!at(p_, ':') || !blank_or_eol(p_ + 1)) throw Unsupported{};
      emit(from, {}, false, std::move(v));
    } else {
      if (!plain_start(p_)) throw Unsupported{};
      const Plain sc = scan_plain(p_, flow);
      if (!sc.colon) throw Unsupported{};
      emit(from, {}, true, std::string(s_.substr(from, sc.end - from)));
      p_ = sc.stop;
    }
    if (p_ - from > 1000) throw Unsupported{};  // libyaml's simple keys end within 1,024
    ++p_;
  }

  // Whether a block mapping key starts at q.
  bool key_at(std::size_t q) const {
    if (at(q, '\'') || at(q, '"')) {
      const char c = s_[q];
      std::size_t j = q + 1;
      for (;;) {
        while (j < n_ && s_[j] != c && s_[j] != '\n') ++j;
        if (c == '\'' && at(j, '\'') && at(j + 1, '\'')) {
          j += 2;
          continue;
        }
        break;
      }
      return at(j, c) && at(j + 1, ':') && blank_or_eol(j + 2);
    }
    return plain_start(q) && scan_plain(q, false).colon;
  }

  // A node in a flow collection.
  void flow_node() {
    const std::size_t from = p_;
    std::string t;
    if (at(p_, '!')) t = tag();
    node_after_tag(from, std::move(t), true);
  }

  // The node after `key: ` or `- `, which may be a literal block scalar; then the line's end.
  void block_value(int parent) {
    const std::size_t from = p_;
    std::string t;
    if (at(p_, '!')) t = tag();
    if (at(p_, '|')) {
      literal(from, std::move(t), parent);
    } else {
      node_after_tag(from, std::move(t), false);
      finish_line();
    }
  }

  // A literal block scalar (`|` or `|-`, its indentation found from its first line) in a block
  // collection indented `parent`; ends where the next content line starts.
  void literal(std::size_t from, std::string t, int parent) {
    const yaml_mark_t m = mark(from);
    ++p_;
    const bool strip = at(p_, '-');
    if (strip) ++p_;
    skip_spaces();
    if (at(p_, '#')) {
      if (s_[p_ - 1] != ' ') throw Unsupported{};
      while (p_ < n_ && s_[p_] != '\n') ++p_;
    }
    if (!at(p_, '\n')) throw Unsupported{};  // an indentation indicator, '+', or the end
    ++p_;
    ++line_;
    line_start_ = p_;
    skip_spaces();
    // A first line that is empty or not indented past the collection is left to libyaml.
    if (p_ == n_ || s_[p_] == '\n' || static_cast<int>(p_ - line_start_) <= parent)
      throw Unsupported{};
    const std::size_t indent = p_ - line_start_;
    std::string v;
    std::size_t breaks = 0;  // line breaks since the last content line's text
    for (;;) {
      // p_ is `indent` columns into a content line: the rest of it is text.
      std::size_t e = p_;
      while (e < n_ && s_[e] != '\n') ++e;
      if (e == n_) throw Unsupported{};  // a last line without its line break
      v.append(breaks, '\n');
      v.append(s_.data() + p_, e - p_);
      breaks = 1;
      p_ = e + 1;
      ++line_;
      // Empty lines (at most `indent` spaces) are counted; a line indented `indent` is text.
      bool more = false;
      for (;;) {
        line_start_ = p_;
        std::size_t q = p_;
        while (q < n_ && s_[q] == ' ' && q - line_start_ < indent) ++q;
        if (q < n_ && s_[q] == '\n') {
          ++breaks;
          p_ = q + 1;
          ++line_;
          continue;
        }
        more = q < n_ && q - line_start_ == indent;
        if (more) p_ = q;
        break;
      }
      if (!more) break;
    }
    if (!strip) v += '\n';  // clip: the last line's break, not the empty lines after it
    builder_.scalar_event(m, std::move(t), false, std::move(v));
    p_ = line_start_;
    skip_blank_lines();
    if (ind_ == 0 && at_marker()) throw Unsupported{};
  }

  void node_after_tag(std::size_t from, std::string t, bool flow) {
    if (at(p_, '[')) {
      flow_collection(YNode::Kind::sequence, from, std::move(t));
    } else if (at(p_, '{')) {
      flow_collection(YNode::Kind::mapping, from, std::move(t));
    } else if (at(p_, '\'') || at(p_, '"')) {
      emit(from, std::move(t), false, quoted());
    } else {
      if (!plain_start(p_)) throw Unsupported{};
      const Plain sc = scan_plain(p_, flow);
      if (sc.colon) throw Unsupported{};  // a key where a value belongs
      emit(from, std::move(t), true, std::string(s_.substr(p_, sc.end - p_)));
      p_ = sc.stop;
    }
  }

  // `[a, b]` or `{k: v, ...}` on one line; p_ ends past its closing bracket.
  void flow_collection(YNode::Kind kind, std::size_t from, std::string t) {
    const bool mapping = kind == YNode::Kind::mapping;
    const char close = mapping ? '}' : ']';
    builder_.open(kind, mark(from), std::move(t));
    ++p_;
    skip_spaces();
    if (at(p_, close)) {
      ++p_;
    } else {
      for (;;) {
        if (mapping) {
          key(true);
          skip_spaces();
        }
        flow_node();
        skip_spaces();
        if (at(p_, close)) {
          ++p_;
          break;
        }
        if (!at(p_, ',')) throw Unsupported{};
        ++p_;
        skip_spaces();
        if (at(p_, close)) throw Unsupported{};  // a trailing comma
      }
    }
    builder_.close();
  }

  // A block sequence or mapping starting at p_, the first content of a line indented ind_.
  void block_node(int parent) {
    if (ind_ <= parent) throw Unsupported{};
    if (at_entry())
      block_sequence(ind_);
    else
      block_mapping(ind_);
  }

  void block_mapping(int col) {
    builder_.open(YNode::Kind::mapping, mark(p_), std::string());
    for (;;) {
      key(false);
      const yaml_mark_t empty = mark(p_);
      skip_spaces();
      if (p_ == n_ || s_[p_] == '\n' || s_[p_] == '#') {
        finish_line();
        if (ind_ > col)
          block_node(col);
        else if (ind_ == col && at_entry())
          block_sequence(col);  // an indentless sequence
        else
          builder_.null(empty);
      } else {
        block_value(col);
      }
      if (ind_ < col) break;
      if (ind_ > col) throw Unsupported{};
    }
    builder_.close();
  }

  void block_sequence(int col) {
    builder_.open(YNode::Kind::sequence, mark(p_), std::string());
    for (;;) {
      ++p_;  // past '-'
      skip_spaces();
      if (p_ == n_ || s_[p_] == '\n' || s_[p_] == '#') {
        finish_line();
        block_node(col);  // an empty item is left to libyaml
      } else if (at_entry()) {
        throw Unsupported{};  // `- - x`
      } else if (key_at(p_)) {
        ind_ = static_cast<int>(p_ - line_start_);
        block_mapping(ind_);
      } else {
        block_value(col);
      }
      if (ind_ < col) break;
      if (ind_ > col) throw Unsupported{};
      if (!at_entry()) break;  // the end of an indentless sequence: its mapping goes on
    }
    builder_.close();
  }

  std::string_view s_;
  std::size_t n_;
  Builder& builder_;
  std::size_t p_ = 0;
  std::size_t line_start_ = 0;
  std::size_t line_ = 0;
  int ind_ = -1;
};

}  // namespace

std::optional<YNode> load_yaml_fast(std::string_view text, const std::string& file,
                                    const LoadLimits& limits) {
  if (text.size() > limits.max_bytes) return std::nullopt;
  for (const char c : text)
    if ((c < ' ' || c > '~') && c != '\n') return std::nullopt;
  Builder builder(file, limits);
  try {
    FastReader(text, builder).run();
  } catch (const Unsupported&) {
    return std::nullopt;
  } catch (const Refused&) {
    return std::nullopt;  // libyaml reads it again and reports the refusal
  }
  return std::move(builder.root);
}

LoadResult load_yaml(std::string_view text, const std::string& file, const LoadLimits& limits) {
  if (std::optional<YNode> root = load_yaml_fast(text, file, limits)) {
    LoadResult result;
    result.root = std::move(root);
    return result;
  }
  return load_yaml_libyaml(text, file, limits);
}

LoadResult load_yaml_libyaml(std::string_view text, const std::string& file,
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
          builder.scalar_event(e.start_mark, tag_of(s.tag), s.style == YAML_PLAIN_SCALAR_STYLE,
                               std::string(reinterpret_cast<const char*>(s.value), s.length));
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
  if (is_null_word(s)) return nullptr;
  const std::string_view v = s;  // string_view compares inline, by size first
  if (v == "true" || v == "True" || v == "TRUE") return true;
  if (v == "false" || v == "False" || v == "FALSE") return false;
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
