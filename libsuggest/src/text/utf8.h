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

// Length (1..4) of the valid sequence starting at p[0] (avail >= 1 bytes
// readable), or 0 if p[0] does not start one; then *reason, if non-null,
// gets a static description. Shared by the validator, the repairer and the
// offset converter so all three agree on what one "bad byte" is.
size_t Utf8SequenceLength(const unsigned char* p, size_t avail,
                          const char** reason = nullptr);

// Replaces every byte that is not part of a valid sequence with U+FFFD
// (one replacement per bad byte). `map` receives repaired -> original.
// Returns the number of bytes replaced. The map holds 32-bit offsets, so
// callers must refuse inputs whose repaired size exceeds 4 GiB - 1 (each bad
// byte grows to three).
size_t RepairUtf8(std::string_view s, std::string* out, OffsetMap* map);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_UTF8_H_
