// Copyright libsuggest authors.
//
// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates
// U+D800..U+DFFF, nothing above U+10FFFF) and repair.

#ifndef LIBSUGGEST_SRC_TEXT_UTF8_H_
#define LIBSUGGEST_SRC_TEXT_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "suggest/status.h"
#include "text/offset_map.h"

namespace suggest::internal {

inline constexpr size_t kNoError = static_cast<size_t>(-1);

// Offset of the first byte of the first invalid sequence, or kNoError.
// If reason is non-null it receives a short English description
// ("truncated sequence", "overlong encoding", "surrogate code point", ...).
size_t FindInvalidUtf8(std::string_view s, std::string* reason = nullptr);

// OK, or InvalidArgument with kind "invalid_utf8", the offset of the first
// bad byte and a message naming offset and reason. Never quotes the text.
Status ValidateUtf8(std::string_view s);

// Replaces every byte that is not part of a valid sequence with U+FFFD
// (one replacement per bad byte). `map` receives repaired -> original.
// Returns the number of bytes replaced.
size_t RepairUtf8(std::string_view s, std::string* out, OffsetMap* map);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_UTF8_H_
