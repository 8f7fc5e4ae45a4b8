// Copyright libsuggest authors.
//
// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates
// U+D800..U+DFFF, nothing above U+10FFFF). Repair, which needs the text
// layer's OffsetMap, is text/utf8_repair.h.

#ifndef LIBSUGGEST_SRC_UTIL_UTF8_H_
#define LIBSUGGEST_SRC_UTIL_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "suggest/status.h"

namespace suggest::internal {

inline constexpr size_t kNoError = static_cast<size_t>(-1);

// Offset of the first byte of the first invalid sequence, or kNoError.
// If reason is non-null it receives a short English description
// ("truncated sequence", "overlong encoding", "surrogate code point", ...).
size_t FindInvalidUtf8(std::string_view s, std::string* reason = nullptr);

// OK, or InvalidArgument with kind "invalid_utf8", the offset of the first
// bad byte and a message naming offset and reason. Never quotes the text.
Status ValidateUtf8(std::string_view s);

// Length (1..4) of the valid sequence starting at p[0] (avail >= 1 bytes
// readable), or 0 if p[0] does not start one; then *reason, if non-null,
// gets a static description. Shared by the validator, the repairer and the
// offset converter so all three agree on what one "bad byte" is.
size_t Utf8SequenceLength(const unsigned char* p, size_t avail,
                          const char** reason = nullptr);

// Index of the first non-ASCII byte of p[i, n) (or n). Clinical notes are
// overwhelmingly ASCII, so checking 8 bytes per step dominates the cost.
inline size_t SkipAscii(const unsigned char* p, size_t i, size_t n) {
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_UTIL_UTF8_H_
