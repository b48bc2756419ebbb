#pragma once
// UTF-8 decoding and encoding; invalid sequences decode to U+FFFD.

#include <string>
#include <string_view>

namespace lambdaform::detail {

/// Decodes UTF-8; each invalid or overlong sequence, surrogate or out-of-range code point
/// becomes U+FFFD.
std::u32string decode_utf8(std::string_view s);
/// Appends the UTF-8 encoding of `c`.
void append_utf8(std::string& out, char32_t c);
/// Encodes code points as UTF-8.
std::string encode_utf8(const std::u32string& cps);
/// True when `s` is valid UTF-8.
bool valid_utf8(std::string_view s);

}  // namespace lambdaform::detail
