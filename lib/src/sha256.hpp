#pragma once
// Internal access to both SHA-256 implementations, so that the tests compare them.

#include <string>
#include <string_view>

namespace lambdaform::detail {

/// True when this CPU has the x86 SHA extensions (and SSE4.1, SSSE3) that sha256_hex uses.
bool sha256_accelerated();

/// SHA-256 of `data` in lower-case hex: on the SHA extensions when `accelerated` and the CPU
/// has them, else the portable code. lambdaform::sha256_hex passes true.
std::string sha256_hex(std::string_view data, bool accelerated);

}  // namespace lambdaform::detail
