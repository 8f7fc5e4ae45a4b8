// Copyright libsuggest authors.
//
// The normalized view every matcher reads: NFKC + case folding (ICU
// NFKC_Casefold, with icu::Edits so each change is tracked), followed by
// clinical unification:
//   - every dash (U+2010..U+2015, U+2212 minus, U+FE58, U+FE63, U+FF0D,
//     non-breaking hyphen) -> '-';
//   - every space-like character (tab, NBSP and other Zs, U+FEFF) -> ' ';
//   - CRLF and lone CR -> LF;
//   - typographic quotes (U+2018, U+2019, U+201C, U+201D) -> ' and ".
// The original bytes are never modified; `map` maps every normalized range
// back to an exact original byte range (see offset_map.h).

#ifndef LIBSUGGEST_SRC_TEXT_NORMALIZE_H_
#define LIBSUGGEST_SRC_TEXT_NORMALIZE_H_

#include <memory>
#include <string>
#include <string_view>

#include "suggest/options.h"
#include "suggest/status.h"
#include "text/offset_map.h"

namespace suggest::internal {

struct NormalizedText {
  std::string text;             // valid UTF-8
  OffsetMap map;                // text -> original bytes
  uint32_t replaced_bytes = 0;  // invalid bytes replaced (kReplace only)
};

// Stateless after construction; one instance may be shared by all threads.
class Normalizer {
 public:
  // Fails only if ICU data cannot be loaded.
  static StatusOr<std::shared_ptr<const Normalizer>> Create();

  // Errors: InvalidArgument kind "invalid_utf8" (policy kError) with the
  // offset of the first bad byte. Input larger than 4 GiB - 1 is refused
  // with kind "note_too_large".
  StatusOr<NormalizedText> Normalize(std::string_view original,
                                     InvalidUtf8Policy policy) const;

 private:
  Normalizer() = default;
  const void* icu_ = nullptr;  // const icu::Normalizer2*, owned by ICU
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_NORMALIZE_H_
