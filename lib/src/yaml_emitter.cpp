// lambdaform's own YAML writer. yaml-cpp's emitter is not used: it leaves YAML 1.1 booleans,
// octal-looking and sexagesimal strings, dates and U+2028 unquoted, which CloudFormation then
// reads as something else. Every scalar style decision is made here, conservatively:
//  - a string is plain only when it is ASCII from a small alphabet, starts with a letter, '_' or
//    '/', and is not a YAML 1.1 boolean or null word; that leaves nothing a YAML 1.1 or 1.2
//    reader could resolve to a number, date, boolean or null;
//  - multi-line printable strings are literal blocks ('|'), never folded, never wrapped;
//  - (NEL is written \x85, not \N: yaml-cpp decodes \N to a lone byte 0x85, invalid UTF-8)
//  - strings with characters a YAML 1.1 reader rejects or treats as line breaks (C0/C1 controls,
//    DEL, NEL, U+2028, U+2029, BOM, U+FFFE/U+FFFF, CR) are double-quoted with escapes;
//  - everything else is single-quoted.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lambdaform/emit.hpp"
#include "utf8.hpp"
#include "yaml_emitter.hpp"

namespace lambdaform {

namespace {

constexpr int kStep = 2;

// The bytes a plain scalar may contain, as a table: plain_ok runs on every key and string.
constexpr std::array<bool, 256> kPlainChars = [] {
  std::array<bool, 256> t{};
  for (unsigned char c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (unsigned char c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (unsigned char c = '0'; c <= '9'; ++c) t[c] = true;
  for (unsigned char c : std::string_view("_./-@:+=() ")) t[c] = true;
  return t;
}();

bool is_plain_char(char c) {
  return kPlainChars[static_cast<unsigned char>(c)];
}

// append_string's one pass over a string: is every byte printable ASCII, and one plain_ok allows?
constexpr std::uint8_t kPrintable = 1, kPlainByte = 2, kColon = 4;
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (std::size_t c = 0x20; c <= 0x7E; ++c)
    t[c] = static_cast<std::uint8_t>(kPrintable | (kPlainChars[c] ? kPlainByte : 0));
  t[':'] |= kColon;
  return t;
}();

bool is_reserved_word(std::string_view s) {
  // YAML 1.1 booleans and nulls (case variants PyYAML and CloudFormation resolve).
  static constexpr std::array<std::string_view, 26> kWords = {
      "y",  "Y",    "yes",  "Yes",  "YES",   "n",     "N",     "no", "No",
      "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On",
      "ON", "off",  "Off",  "OFF",  "null",  "Null",  "NULL",  "~"};
  if (s.size() > 5) return false;  // the longest word is 5 bytes
  for (auto w : kWords)
    if (w == s) return true;
  return false;
}

// Whether byte i of s may stand in a plain scalar where it is: a plain character, and not the
// ':' of ": " ("a: b" starts a mapping).
bool plain_at(std::string_view s, std::size_t i) {
  return is_plain_char(s[i]) && !(s[i] == ':' && i + 1 < s.size() && s[i + 1] == ' ');
}

// The checks of plain_ok other than the per-byte ones.
bool plain_shape_ok(std::string_view s) {
  if (s.empty() || s.size() > 1024) return false;
  char first = s.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_' ||
        first == '/'))
    return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  return !is_reserved_word(s);
}

bool plain_ok(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!plain_at(s, i)) return false;
  return plain_shape_ok(s);
}

// Code points that may not appear raw in a YAML 1.1 stream, or that a reader treats as a line
// break, or that some readers strip (BOM).
bool needs_escape(char32_t c) {
  if (c == '\t' || c == '\n') return false;
  if (c < 0x20 || c == 0x7F) return true;
  if (c >= 0x80 && c <= 0x9F) return true;  // C1 controls, NEL (0x85) among them
  return c == 0x2028 || c == 0x2029 || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF;
}

void append_hex(std::string& out, char prefix, unsigned value, int digits) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '\\';
  out += prefix;
  for (int i = digits - 1; i >= 0; --i) out += kHex[(value >> (4 * i)) & 0xF];
}

std::string double_quoted(const std::u32string& cps) {
  std::string out = "\"";
  for (char32_t c : cps) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case 0:
        out += "\\0";
        break;
      case 0x2028:
        out += "\\L";
        break;
      case 0x2029:
        out += "\\P";
        break;
      default:
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
          append_hex(out, 'x', c, 2);
        else if (needs_escape(c))
          append_hex(out, 'u', c, 4);
        else
          detail::append_utf8(out, c);
    }
  }
  out += '"';
  return out;
}

void append_single_quoted(std::string& out, std::string_view s) {
  out += '\'';
  for (std::size_t at = 0;;) {  // runs between quotes appended whole; a quote is doubled
    const std::size_t q = s.find('\'', at);
    if (q == std::string_view::npos) {
      out.append(s, at);
      break;
    }
    out.append(s, at, q + 1 - at);
    out += '\'';
    at = q + 1;
  }
  out += '\'';
}

// How a string that is not printable ASCII is written (see append_string).
std::string write_other_string(const std::string& raw, int indent, bool allow_block,
                               bool allow_indicator) {
  std::u32string cps = detail::decode_utf8(raw);
  std::string s = detail::encode_utf8(cps);  // invalid bytes became U+FFFD
  bool escape = false, newline = false, only_newlines = true;
  for (char32_t c : cps) {
    if (needs_escape(c)) escape = true;
    if (c == '\n')
      newline = true;
    else
      only_newlines = false;
  }
  // An explicit indentation indicator is needed when the content itself starts with spaces (or
  // blank lines with spaces precede the first text), so the reader cannot guess the indentation.
  // libyaml also needs it when the first text starts with a tab.
  std::size_t first_text = s.find_first_not_of(" \n");
  bool indicator =
      s.find(' ') < first_text || (first_text != std::string::npos && s[first_text] == '\t');
  std::size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
  // Two or more trailing newlines would need a keep block (`|+`), which swallows the blank
  // separator lines written after it (regression found by fuzz_emitter): double-quote instead.
  if (newline && allow_block && !escape && !only_newlines && trailing < 2 &&
      (allow_indicator || !indicator)) {
    std::string header = "|";
    if (indicator) header += std::to_string(kStep);
    header += trailing == 0 ? "-" : "";
    std::string out = header;
    std::string_view rest(s);
    rest.remove_suffix(trailing);
    std::string pad(static_cast<std::size_t>(indent), ' ');
    std::size_t pos = 0;
    while (true) {
      std::size_t nl = rest.find('\n', pos);
      std::string_view line = rest.substr(pos, nl == std::string_view::npos ? rest.npos : nl - pos);
      out += '\n';
      if (!line.empty()) {
        out += pad;
        out += line;
      }
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
    return out;
  }
  if (escape || newline) return double_quoted(cps);
  if (plain_ok(s)) return s;
  std::string out;
  append_single_quoted(out, s);
  return out;
}

// Decides how a string is written and appends it. `indent` is where a literal block's lines
// start.
void append_string(std::string& out, const std::string& raw, int indent, bool allow_block,
                   bool allow_indicator, bool& all_printable_ascii) {
  // Most strings are printable ASCII on one line: nothing to decode, escape or break, so the
  // decision comes down to plain or single-quoted (a profile showed the UTF-32 round trip at 15%
  // of a 125-function render), written in place.
  // One pass: the classes every byte has, and those any byte has.
  std::uint8_t all = kPrintable | kPlainByte, any = 0;
  for (const char c : raw) {
    const std::uint8_t k = kByteClass[static_cast<unsigned char>(c)];
    all &= k;
    any |= k;
  }
  if (!(all & kPrintable)) {
    all_printable_ascii = false;
    out += write_other_string(raw, indent, allow_block, allow_indicator);
    return;
  }
  // plain_ok's per-byte checks: plain characters, and no ": " ("a: b" starts a mapping).
  const bool plain = (all & kPlainByte) && (!(any & kColon) || raw.find(": ") == std::string::npos);
  if (plain && plain_shape_ok(raw))
    out += raw;
  else
    append_single_quoted(out, raw);
}

std::string format_double(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string s = buf;
  // YAML 1.1 floats need a '.' in the mantissa and a sign in the exponent ("1.0e+20").
  std::size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  std::string exponent = e == std::string::npos ? "" : s.substr(e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  return mantissa + exponent;
}

void append_scalar(std::string& out, const Json& v, int indent, bool& all_printable_ascii,
                   bool allow_block = true, bool allow_indicator = true) {
  switch (v.type()) {
    case Json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      break;
    case Json::value_t::number_integer:
      out += std::to_string(v.get<std::int64_t>());
      break;
    case Json::value_t::number_unsigned:
      out += std::to_string(v.get<std::uint64_t>());
      break;
    case Json::value_t::number_float:
      out += format_double(v.get<double>());
      break;
    case Json::value_t::string:
      append_string(out, v.get_ref<const std::string&>(), indent, allow_block, allow_indicator,
                    all_printable_ascii);
      break;
    default:
      out += "null";
  }
}

// Intrinsics written in short form. Any one-key map with one of these keys round-trips exactly
// through CloudFormation's loaders, which turn `!X` back into `Fn::X` (or Ref/Condition).
std::string_view short_tag(const Json& v) {
  if (!v.is_object() || v.size() != 1) return {};
  // A tagged scalar reads back as a string: a number, boolean or null argument stays long-form.
  const Json& arg = v.begin().value();
  if (arg.is_number() || arg.is_boolean() || arg.is_null()) return {};
  static constexpr std::array<std::string_view, 20> kKeys = {
      "Ref",        "Condition",  "Fn::And",          "Fn::Base64",
      "Fn::Cidr",   "Fn::Equals", "Fn::FindInMap",    "Fn::GetAZs",
      "Fn::GetAtt", "Fn::If",     "Fn::ImportValue",  "Fn::Join",
      "Fn::Length", "Fn::Not",    "Fn::Or",           "Fn::Select",
      "Fn::Split",  "Fn::Sub",    "Fn::ToJsonString", "Fn::Transform"};
  const std::string& key = v.begin().key();
  if (key.empty() || (key[0] != 'R' && key[0] != 'C' && key[0] != 'F')) return {};
  for (auto k : kKeys)
    if (k == key) return k;
  return {};
}

class Writer {
 public:
  std::string out;
  // False once a key or string needed more than printable ASCII (escapes, UTF-8, breaks): until
  // then, every string written is valid UTF-8 without looking again.
  bool all_printable_ascii = true;

  // Entries of a mapping at `indent`; the first entry's indentation is already written when
  // `inline_first` (a mapping inside a sequence item).
  void mapping(const Json& m, int indent, bool inline_first, bool blank_between) {
    bool first = true;
    for (auto it = m.begin(); it != m.end(); ++it) {
      mapping_entry(it.key(), it.value(), indent, first, inline_first, blank_between);
      first = false;
    }
  }

  // One entry of such a mapping.
  void mapping_entry(const std::string& k, const Json& v, int indent, bool first, bool inline_first,
                     bool blank_between) {
    if (!first && blank_between) out += '\n';
    if (!(first && inline_first)) pad(indent);
    const bool explicit_key = key(k, indent);
    value_after_key(v, indent, explicit_key);
  }

  // A template's top-level value written as a section: its entries one step in, blank lines
  // between them.
  static bool sectioned(const Json& v) {
    return v.is_object() && !v.empty() && short_tag(v).empty();
  }

  // One top-level entry of a template; top-level entries are separated by blank lines.
  void top_entry(const std::string& k, const Json& v, bool first) {
    if (sectioned(v)) {
      section_key(k, first);
      mapping(v, kStep, false, /*blank_between=*/true);
      return;
    }
    if (!first) out += '\n';
    const bool explicit_key = key(k, 0);
    value_after_key(v, 0, explicit_key);
  }

  // "key:" of a section; its entries follow.
  void section_key(const std::string& k, bool first) {
    if (!first) out += '\n';
    key(k, 0);
    out += ":\n";
  }

  void top(const Json& tree) {
    if (!tree.is_object() || tree.empty()) {
      // Not a template; still write something every reader reads back the same.
      if (tree.is_array() && !tree.empty()) {
        sequence(tree, 0);
      } else {
        node_inline(tree, kStep);
        out += '\n';
      }
      return;
    }
    bool first = true;
    for (auto it = tree.begin(); it != tree.end(); ++it) {
      top_entry(it.key(), it.value(), first);
      first = false;
    }
  }

 private:
  void pad(int n) { out.append(static_cast<std::size_t>(n), ' '); }

  // Writes a key; true when it had to be an explicit "? key" (implicit keys are limited to
  // 1024 characters).
  bool key(const std::string& k, int indent) {
    const std::size_t start = out.size();
    append_string(out, k, indent, /*allow_block=*/false, true, all_printable_ascii);
    if (out.size() - start > 1000) {
      out.insert(start, "? ");
      out += '\n';
      pad(indent);
      return true;
    }
    return false;
  }

  // After "key": writes ": value" or ":\n  nested".
  // After an explicit key, yaml-cpp misreads a tagged literal block at the value's own
  // indentation, as in a sequence item (regression found by fuzz_emitter).
  void value_after_key(const Json& v, int indent, bool explicit_key = false) {
    if (std::string_view tag = short_tag(v); !tag.empty()) {
      out += ": ";
      tagged(tag, v.begin().value(), indent + kStep, /*in_sequence=*/explicit_key);
      return;
    }
    if (v.is_object() && !v.empty()) {
      out += ":\n";
      mapping(v, indent + kStep, false, false);
    } else if (v.is_array() && !v.empty()) {
      out += ":\n";
      sequence(v, indent + kStep);
    } else {
      out += ": ";
      node_inline(v, indent + kStep);
      out += '\n';
    }
  }

  void sequence(const Json& a, int indent) {
    for (const Json& item : a) {
      pad(indent);
      out += "- ";
      item_after_dash(item, indent + kStep);
    }
  }

  // A sequence item whose "- " is written; `indent` is where its content sits.
  void item_after_dash(const Json& v, int indent) {
    if (std::string_view tag = short_tag(v); !tag.empty()) {
      tagged(tag, v.begin().value(), indent, /*in_sequence=*/true);
    } else if (v.is_object() && !v.empty()) {
      mapping(v, indent, true, false);
    } else if (v.is_array() && !v.empty()) {
      bool first = true;
      for (const Json& item : v) {
        if (!first) pad(indent);
        out += "- ";
        item_after_dash(item, indent + kStep);
        first = false;
      }
    } else {
      node_inline(v, indent);
      out += '\n';
    }
  }

  // Writes "!Tag arg" where the tag's node content sits at `indent`. yaml-cpp misreads a tagged
  // literal block in a sequence item at the item's own indentation and disagrees with PyYAML on
  // its indentation indicator: there the block goes one step deeper, without an indicator.
  void tagged(std::string_view key, const Json& arg, int indent, bool in_sequence = false) {
    std::string_view name = key.substr(0, 4) == "Fn::" ? key.substr(4) : key;
    out += '!';
    out += name;
    if (key == "Fn::GetAtt" && arg.is_array() && arg.size() == 2 && arg[0].is_string() &&
        arg[1].is_string() && arg[0].get_ref<const std::string&>().find('.') == std::string::npos &&
        !arg[0].get_ref<const std::string&>().empty()) {
      out += ' ';
      append_string(out, arg[0].get<std::string>() + "." + arg[1].get<std::string>(), indent, false,
                    true, all_printable_ascii);
      out += '\n';
      return;
    }
    if (!short_tag(arg).empty()) {
      // A node carries one tag: a nested intrinsic as the direct argument is written long-form.
      out += '\n';
      mapping(arg, indent, false, false);
    } else if (arg.is_object() && !arg.empty()) {
      out += '\n';
      mapping(arg, indent, false, false);
    } else if (arg.is_array() && !arg.empty()) {
      out += '\n';
      sequence(arg, indent);
    } else if (in_sequence && arg.is_string()) {
      out += ' ';
      append_scalar(out, arg, indent + kStep, all_printable_ascii, true,
                    /*allow_indicator=*/false);
      out += '\n';
    } else {
      out += ' ';
      node_inline(arg, indent);
      out += '\n';
    }
  }

  // A scalar or an empty collection on the current line.
  void node_inline(const Json& v, int indent) {
    if (v.is_object())
      out += "{}";
    else if (v.is_array())
      out += "[]";
    else
      append_scalar(out, v, indent, all_printable_ascii);
  }
};

}  // namespace

std::string to_yaml(const Json& tree) {
  Writer w;
  w.top(tree);
  return std::move(w.out);
}

namespace detail {

// The writer's state is its output text: each call lends it to a Writer.
void YamlTemplateWriter::entry(const std::string& key, const Json& value) {
  Writer w;
  w.out.swap(out_);
  w.top_entry(key, value, first_);
  out_.swap(w.out);
  first_ = false;
}

bool YamlTemplateWriter::sectioned(const Json& value) {
  return Writer::sectioned(value);
}

void YamlTemplateWriter::begin_section(const std::string& key) {
  Writer w;
  w.out.swap(out_);
  w.section_key(key, first_);
  out_.swap(w.out);
  first_ = false;
  first_in_section_ = true;
}

bool YamlTemplateWriter::section_entry(const std::string& key, const Json& value) {
  Writer w;
  w.out.swap(out_);
  w.mapping_entry(key, value, kStep, first_in_section_, false, /*blank_between=*/true);
  out_.swap(w.out);
  first_in_section_ = false;
  return w.all_printable_ascii;
}

}  // namespace detail

}  // namespace lambdaform
