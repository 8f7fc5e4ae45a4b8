// Copyright libsuggest authors.
//
// Options for loading a model and analysing a note. Plain aggregates with
// defaults (in parentheses):
//
//   AnalyzeOptions
//     invalid_utf8   how to treat input that is not valid UTF-8 (kError):
//                    kError   -> Analyze returns InvalidArgument, kind
//                                "invalid_utf8", offset = first bad byte;
//                    kReplace -> each bad byte reads as U+FFFD in the
//                                normalized view only; spans still point at
//                                the original bytes.
//     max_note_bytes notes larger than this are refused with kind
//                    "note_too_large" (64 MiB). Hard ceiling 4 GiB - 1
//                    (offsets are 32-bit).
//     offset_unit    unit of offsets in JSON output (kBytes). The C++ Result
//                    always holds bytes; see ConvertOffset() in suggest.h.

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_OPTIONS_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_OPTIONS_H_

#include <cstdint>

namespace suggest {

enum class InvalidUtf8Policy { kError = 0, kReplace = 1 };
enum class OffsetUnit { kBytes = 0, kUtf16 = 1, kCodePoints = 2 };

struct AnalyzeOptions {
  InvalidUtf8Policy invalid_utf8 = InvalidUtf8Policy::kError;
  uint64_t max_note_bytes = 64ull << 20;
  OffsetUnit offset_unit = OffsetUnit::kBytes;
};

struct LoadOptions {
  // Reserved for later stages (e.g. code set year); loading uses only the
  // models directory for now.
  int reserved = 0;
};

}  // namespace suggest

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_OPTIONS_H_
