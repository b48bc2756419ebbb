#pragma once
// Internal access to the YAML writer one top-level entry at a time, so that a template's YAML
// can be written without its whole tree existing at once (validate() renders resource by
// resource).

#include <string>

#include "lambdaform/json.hpp"

namespace lambdaform::detail {

/// Writes a template mapping's YAML piecewise: the calls for its top-level entries in order
/// (each either entry(), or begin_section() and one section_entry() per member) produce exactly
/// the bytes to_yaml writes for the whole mapping.
class YamlTemplateWriter {
 public:
  /// One top-level entry, as to_yaml writes it.
  void entry(const std::string& key, const Json& value);
  /// True when to_yaml writes `value`, a top-level value, as a section (a non-empty mapping that
  /// is not an intrinsic); only such a value may be written with begin_section/section_entry.
  static bool sectioned(const Json& value);
  /// Opens a top-level section; its members follow with section_entry.
  void begin_section(const std::string& key);
  /// One member of the open section. True when every key and string in it (`key` too) was
  /// printable ASCII, and so valid UTF-8.
  bool section_entry(const std::string& key, const Json& value);
  /// The text so far.
  std::string& text() { return out_; }

 private:
  std::string out_;
  bool first_ = true;
  bool first_in_section_ = true;
};

}  // namespace lambdaform::detail
