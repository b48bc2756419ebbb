#include "args.hpp"

#include <algorithm>

#include "suggest.hpp"

namespace lambdaform::cli {

namespace {

constexpr std::size_t kWidth = 80;

// Appends `text` wrapped at kWidth, continuation lines indented by `indent`; the first line
// starts at column `column`.
void append_wrapped(std::string& out, std::string_view text, std::size_t column,
                    std::size_t indent) {
  bool first_word = true;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
    if (word.empty()) continue;
    if (!first_word && column + 1 + word.size() > kWidth) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
    } else if (!first_word) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    first_word = false;
  }
}

std::string quoted_option(std::string_view dashes, std::string_view name) {
  std::string s = "'";
  s += dashes;
  s += name;
  s += '\'';
  return s;
}

}  // namespace

std::size_t Args::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(given.begin(), given.end(), [&](const auto& g) { return g.first == name; }));
}

std::string Args::value(std::string_view name, std::string_view fallback) const {
  for (auto it = given.rbegin(); it != given.rend(); ++it)
    if (it->first == name) return it->second;
  return std::string(fallback);
}

std::vector<std::string> Args::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& g : given)
    if (g.first == name) out.push_back(g.second);
  return out;
}

Options::Options(std::string_view program, std::string_view description)
    : program_(program), description_(description) {}

Options& Options::add(Option option) {
  options_.push_back(option);
  return *this;
}

const Option* Options::find(std::string_view name) const {
  for (const auto& o : options_)
    if (o.name == name) return &o;
  return nullptr;
}

const Option* Options::find(char letter) const {
  for (const auto& o : options_)
    if (letter != 0 && o.letter == letter) return &o;
  return nullptr;
}

std::optional<std::string> Options::parse(int argc, const char* const* argv, Args& out) const {
  bool options_end = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (options_end || arg.size() < 2 || arg[0] != '-') {  // "-" alone is a positional too
      out.positional.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      options_end = true;
      continue;
    }
    const Option* option = nullptr;
    std::optional<std::string_view> attached;  // the value in --name=VALUE or -xVALUE
    std::string shown;                         // the option as the user wrote it, for messages
    if (arg[1] == '-') {
      std::string_view name = arg.substr(2);
      if (const std::size_t eq = name.find('='); eq != std::string_view::npos) {
        attached = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      option = find(name);
      shown = quoted_option("--", name);
      if (!option) {
        std::vector<std::string> names;
        for (const auto& o : options_) names.emplace_back(o.name);
        const std::string hint = detail::did_you_mean(name, names);
        return "unknown option " + shown +
               (hint.empty() ? std::string()
                             : " (did you mean " + quoted_option("--", hint) + "?)");
      }
    } else {
      option = find(arg[1]);
      shown = quoted_option("-", arg.substr(1, 1));
      if (!option) return "unknown option " + shown;
      if (arg.size() > 2) {
        if (option->takes == Takes::nothing)
          return "option " + shown + " takes no value, got '" + std::string(arg) + "'";
        attached = arg.substr(2);
      }
    }
    if (option->takes == Takes::nothing) {
      if (attached) return "option " + shown + " takes no value";
      out.given.emplace_back(std::string(option->name), std::string());
      continue;
    }
    if (!attached) {
      if (i + 1 >= argc)
        return "option " + shown + " needs a value (" + std::string(option->value) + ")";
      attached = argv[++i];
    }
    out.given.emplace_back(std::string(option->name), std::string(*attached));
  }
  return std::nullopt;
}

std::string Options::help() const {
  std::string out = program_;
  out += "\n";
  std::string_view description = description_;
  while (!description.empty()) {
    const std::size_t nl = description.find('\n');
    const std::string_view line = description.substr(0, nl);
    // Usage lines (and their indented continuations) stay as written; prose is wrapped.
    if (line.substr(0, 6) == "usage:" || line.substr(0, 1) == " ")
      out += line;
    else
      append_wrapped(out, line, 0, 0);
    out += '\n';
    description = nl == std::string_view::npos ? std::string_view{} : description.substr(nl + 1);
  }
  if (options_.empty()) return out;
  out += "\noptions:\n";
  // "  -o, --output FILE" or "      --format ARG", the help from a common column.
  std::vector<std::string> heads;
  std::size_t column = 0;
  for (const auto& o : options_) {
    std::string head = o.letter ? std::string("  -") + o.letter + ", --" : "      --";
    head += o.name;
    if (o.takes == Takes::value) {
      head += ' ';
      head += o.value;
    }
    column = std::max(column, head.size());
    heads.push_back(std::move(head));
  }
  column = std::min<std::size_t>(column + 2, 32);
  for (std::size_t i = 0; i < options_.size(); ++i) {
    out += heads[i];
    std::size_t at = heads[i].size();
    if (at + 2 > column) {  // a long head gets its help on the next line
      out += '\n';
      at = 0;
    }
    out.append(column - at, ' ');
    append_wrapped(out, options_[i].help, column, column);
    out += '\n';
  }
  return out;
}

}  // namespace lambdaform::cli
