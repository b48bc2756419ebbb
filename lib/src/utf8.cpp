#include "utf8.hpp"

namespace lambdaform::detail {

namespace {

// The code point of the well-formed UTF-8 sequence at s[i] (i < s.size()) and its length, or
// length 0 when the bytes there are not one (overlong, surrogate, above U+10FFFF, truncated).
struct Decoded {
  char32_t cp;
  std::size_t len;
};

Decoded decode_one(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return {b, 1};
  const std::size_t len = (b >= 0xC2 && b <= 0xDF)   ? 2
                          : (b >= 0xE0 && b <= 0xEF) ? 3
                          : (b >= 0xF0 && b <= 0xF4) ? 4
                                                     : 0;
  if (len == 0 || i + len > s.size()) return {0, 0};
  char32_t cp = len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char c = byte(i + k);
    if ((c & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (c & 0x3F);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return {0, 0};
  return {cp, len};
}

}  // namespace

std::u32string decode_utf8(std::string_view s) {
  // At most one code point per byte: fill a sized buffer, then cut it to what was written.
  std::u32string out(s.size(), U'\0');
  char32_t* o = out.data();
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode_one(s, i);
    // An invalid byte becomes U+FFFD; decoding resynchronises on the next byte.
    *o++ = d.len ? d.cp : char32_t{0xFFFD};
    i += d.len ? d.len : 1;
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string encode_utf8(const std::u32string& cps) {
  // The exact size first, then the bytes written in place: the same bytes as append_utf8.
  std::size_t n = 0;
  for (char32_t c : cps) n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  std::string out(n, '\0');
  char* o = out.data();
  for (char32_t c : cps) {
    if (c < 0x80) {
      *o++ = static_cast<char>(c);
    } else if (c < 0x800) {
      *o++ = static_cast<char>(0xC0 | (c >> 6));
      *o++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *o++ = static_cast<char>(0xE0 | (c >> 12));
      *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *o++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
      *o++ = static_cast<char>(0xF0 | (c >> 18));
      *o++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *o++ = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  // What decode_utf8 accepts without a U+FFFD, checked in place: no allocation per string.
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII, most of every template
      ++i;
      continue;
    }
    const std::size_t len = decode_one(s, i).len;
    if (len == 0) return false;
    i += len;
  }
  return true;
}

}  // namespace lambdaform::detail
