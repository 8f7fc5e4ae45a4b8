// Copyright libsuggest authors.
//
// Repair of invalid UTF-8 (InvalidUtf8Policy::kRepair) with the offset map
// back to the caller's bytes. What one "bad byte" is comes from util/utf8.h,
// shared with the validator and the offset converter.

#ifndef LIBSUGGEST_SRC_TEXT_UTF8_REPAIR_H_
#define LIBSUGGEST_SRC_TEXT_UTF8_REPAIR_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "text/offset_map.h"

namespace suggest::internal {

// Replaces every byte that is not part of a valid sequence with U+FFFD
// (one replacement per bad byte). `map` receives repaired -> original.
// Returns the number of bytes replaced. The map holds 32-bit offsets, so
// callers must refuse inputs whose repaired size exceeds 4 GiB - 1 (each bad
// byte grows to three).
size_t RepairUtf8(std::string_view s, std::string* out, OffsetMap* map);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_UTF8_REPAIR_H_
