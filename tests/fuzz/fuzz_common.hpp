#pragma once
// Shared by the fuzz targets: the entry-point macro (libFuzzer or the replay program), a strict
// tree comparison and the read-back helper.
//
// Each target defines its entry point with LF_FUZZ_TARGET(name). Built for libFuzzer it is
// `extern "C" int LLVMFuzzerTestOneInput(...)`; built with -DLAMBDAFORM_NO_LIBFUZZER (the
// `replay_regressions` program of the normal build) it is a function registered under `name`,
// so the three targets link into one program next to replay_main.cpp.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <lambdaform/lambdaform.hpp>

#include "utf8.hpp"
#include "yaml_loader.hpp"
#include "yamlcpp_reader.hpp"

namespace lf_fuzz {

using TestOneInput = int (*)(const std::uint8_t*, std::size_t);

/// Registers a target for the replay program; returns true so it can initialise a static.
bool register_target(const char* name, TestOneInput fn);

}  // namespace lf_fuzz

#if defined(LAMBDAFORM_NO_LIBFUZZER)
#define LF_FUZZ_TARGET(name)                                                                  \
  static int lf_fuzz_entry_##name(const std::uint8_t* data, std::size_t size);               \
  [[maybe_unused]] static const bool lf_fuzz_registered_##name =                             \
      ::lf_fuzz::register_target(#name, &lf_fuzz_entry_##name);                               \
  static int lf_fuzz_entry_##name(const std::uint8_t* data, std::size_t size)
#else
#define LF_FUZZ_TARGET(name) extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#endif

namespace lf_fuzz {

using lambdaform::Json;

/// The replay program cannot rely on __builtin_trap() telling it which file failed; both builds
/// print what went wrong first.
[[noreturn]] inline void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "\n=== lambdaform fuzz property violated: %s ===\n%s\n", what, detail.c_str());
  std::fflush(stderr);
  __builtin_trap();
}

inline bool is_integer(const Json& j) { return j.is_number_integer() || j.is_number_unsigned(); }

/// Integers compare by value (the reader gives int64 when the value fits, uint64 otherwise);
/// floats bit for bit (so -0.0 != 0.0), NaN equal to NaN; an integer never equals a float;
/// objects compare in order (key order is part of the output).
inline bool strict_equal(const Json& a, const Json& b, std::string* where = nullptr,
                         const std::string& path = "") {
  auto mismatch = [&](const char* why) {
    if (where) *where = (path.empty() ? "/" : path) + ": " + why;
    return false;
  };
  if (is_integer(a) && is_integer(b)) {
    bool an = a.is_number_integer() && a.get<std::int64_t>() < 0;
    bool bn = b.is_number_integer() && b.get<std::int64_t>() < 0;
    if (an != bn) return mismatch("integer sign differs");
    if (an) return a.get<std::int64_t>() == b.get<std::int64_t>() || mismatch("integer differs");
    return a.get<std::uint64_t>() == b.get<std::uint64_t>() || mismatch("integer differs");
  }
  if (a.type() != b.type()) return mismatch("type differs");
  switch (a.type()) {
    case Json::value_t::null:
      return true;
    case Json::value_t::boolean:
      return a.get<bool>() == b.get<bool>() || mismatch("boolean differs");
    case Json::value_t::number_float: {
      double x = a.get<double>(), y = b.get<double>();
      if (std::isnan(x) && std::isnan(y)) return true;
      return std::memcmp(&x, &y, sizeof x) == 0 || mismatch("float differs");
    }
    case Json::value_t::string:
      return a.get_ref<const std::string&>() == b.get_ref<const std::string&>() ||
             mismatch("string differs");
    case Json::value_t::array:
      if (a.size() != b.size()) return mismatch("array size differs");
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!strict_equal(a[i], b[i], where, path + "/" + std::to_string(i))) return false;
      return true;
    case Json::value_t::object: {
      if (a.size() != b.size()) return mismatch("object size differs");
      auto ia = a.begin();
      auto ib = b.begin();
      for (; ia != a.end(); ++ia, ++ib) {
        if (ia.key() != ib.key()) return mismatch("key or key order differs");
        if (!strict_equal(ia.value(), ib.value(), where, path + "/" + ia.key())) return false;
      }
      return true;
    }
    default:
      return mismatch("unexpected type");
  }
}

/// Invalid UTF-8 becomes U+FFFD, as the emitter writes it (utf8.hpp).
inline std::string fix_utf8(const std::string& s) {
  return lambdaform::detail::encode_utf8(lambdaform::detail::decode_utf8(s));
}

/// Mirrors yaml_emitter.cpp's short_tag(): which one-key objects are written as `!Tag arg`.
inline bool written_short(const Json& v) {
  if (!v.is_object() || v.size() != 1) return false;
  const Json& arg = v.begin().value();
  if (arg.is_number() || arg.is_boolean() || arg.is_null()) return false;
  static constexpr std::string_view kKeys[] = {
      "Ref", "Condition", "Fn::And", "Fn::Base64", "Fn::Cidr", "Fn::Equals", "Fn::FindInMap",
      "Fn::GetAZs", "Fn::GetAtt", "Fn::If", "Fn::ImportValue", "Fn::Join", "Fn::Length", "Fn::Not",
      "Fn::Or", "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::ToJsonString", "Fn::Transform"};
  for (auto k : kKeys)
    if (k == v.begin().key()) return true;
  return false;
}

/// What normalising a tree found.
struct Normalised {
  bool all_valid_utf8 = true;  ///< no string or key needed U+FFFD
  bool key_collision = false;  ///< two keys of one object became the same key
  bool all_finite = true;      ///< no NaN or infinity
};

/// The tree the reader must give back for `to_yaml(v)`. `can_be_short`: false for the document
/// root (its keys are written as a mapping) and for the direct argument of a short-form
/// intrinsic (a node has one tag, so that argument is written long-form). Rewrites: invalid
/// UTF-8 to U+FFFD; a short-form GetAtt of one string "a.b" to ["a", "b"] (["s"] without a dot).
inline Json expected_readback(const Json& v, bool can_be_short, Normalised& n) {
  switch (v.type()) {
    case Json::value_t::string: {
      std::string s = fix_utf8(v.get_ref<const std::string&>());
      if (s != v.get_ref<const std::string&>()) n.all_valid_utf8 = false;
      return s;
    }
    case Json::value_t::number_float:
      if (!std::isfinite(v.get<double>())) n.all_finite = false;
      return v;
    case Json::value_t::array: {
      Json a = Json::array();
      for (const auto& x : v) a.push_back(expected_readback(x, true, n));
      return a;
    }
    case Json::value_t::object: {
      bool is_short = can_be_short && written_short(v);
      Json o = Json::object();
      for (auto it = v.begin(); it != v.end(); ++it) {
        std::string k = fix_utf8(it.key());
        if (k != it.key()) n.all_valid_utf8 = false;
        if (o.contains(k)) n.key_collision = true;
        o[k] = expected_readback(it.value(), !is_short, n);
      }
      if (is_short && o.begin().key() == "Fn::GetAtt" && o.begin().value().is_string()) {
        std::string s = o.begin().value().get<std::string>();
        auto dot = s.find('.');
        o["Fn::GetAtt"] = dot == std::string::npos ? Json::array({s})
                                                   : Json::array({s.substr(0, dot), s.substr(dot + 1)});
      }
      return o;
    }
    default:
      return v;
  }
}

/// JSON text of a tree for failure reports; invalid UTF-8 shown as U+FFFD, long output cut.
inline std::string show(const Json& j, std::size_t max = 4000) {
  std::string s = j.dump(-1, ' ', true, Json::error_handler_t::replace);
  if (s.size() > max) s = s.substr(0, max) + "...(" + std::to_string(s.size()) + " bytes)";
  return s;
}

inline std::string cut(const std::string& s, std::size_t max = 4000) {
  return s.size() > max ? s.substr(0, max) + "...(" + std::to_string(s.size()) + " bytes)" : s;
}

/// Generous limits for reading back the emitter's own output (the defaults are for specs).
inline lambdaform::detail::LoadLimits readback_limits() {
  lambdaform::detail::LoadLimits l;
  l.max_bytes = std::size_t{64} << 20;
  l.max_depth = 1000;
  l.max_nodes = 10000000;
  return l;
}

/// Reads YAML the way lambdaform does (libyaml events, short forms to long forms). Returns
/// false (with the diagnostics in `why`) when the text does not load or has unknown tags.
inline bool read_back(const std::string& yaml, Json& out, std::string& why) {
  auto r = lambdaform::detail::load_yaml(yaml, "readback.yaml", readback_limits());
  for (const auto& d : r.diagnostics) why += lambdaform::format(d) + "\n";
  if (!r.root) return false;
  lambdaform::Diagnostics diags;
  out = lambdaform::detail::to_json(*r.root, "readback.yaml", diags);
  for (const auto& d : diags) why += lambdaform::format(d) + "\n";
  return diags.empty() && r.diagnostics.empty();
}

/// With LF_FUZZ_DUMP=PREFIX in the environment, a failing check writes the whole emitted
/// document to PREFIX.yaml and the input tree to PREFIX.json (the report on stderr is cut).
inline void dump(const std::string& yaml, const Json& input) {
  const char* prefix = std::getenv("LF_FUZZ_DUMP");
  if (!prefix) return;
  std::FILE* f = std::fopen((std::string(prefix) + ".yaml").c_str(), "wb");
  if (f) {
    std::fwrite(yaml.data(), 1, yaml.size(), f);
    std::fclose(f);
  }
  std::string j = input.dump(-1, ' ', false, Json::error_handler_t::replace);
  f = std::fopen((std::string(prefix) + ".json").c_str(), "wb");
  if (f) {
    std::fwrite(j.data(), 1, j.size(), f);
    std::fclose(f);
  }
}

/// to_yaml(input) must read back as `expected` exactly, through lambdaform's loader (libyaml)
/// and through yaml-cpp.
inline void check_yaml_roundtrip(const Json& input, const Json& expected, const char* what) {
  std::string yaml = lambdaform::to_yaml(input);
  for (const char* reader : {"lambdaform", "yaml-cpp"}) {
    Json back;
    std::string why;
    const bool ok = reader[0] == 'l' ? read_back(yaml, back, why)
                                     : lftest::read_with_yaml_cpp(yaml, back, why);
    std::string where;
    if (!ok || !strict_equal(expected, back, &where)) dump(yaml, input);
    if (!ok)
      fail(what, std::string("emitted YAML does not read back (") + reader + "):\n" + why +
                     "--- input tree:\n" + show(input) + "\n--- emitted YAML:\n" + cut(yaml));
    if (!where.empty())
      fail(what, std::string("read-back tree (") + reader + ") differs at " + where +
                     "\n--- expected:\n" + show(expected) + "\n--- read back:\n" + show(back) +
                     "\n--- emitted YAML:\n" + cut(yaml));
  }
  // Deterministic: the same tree gives the same bytes.
  if (lambdaform::to_yaml(input) != yaml) fail(what, "to_yaml is not deterministic");
}

}  // namespace lf_fuzz
