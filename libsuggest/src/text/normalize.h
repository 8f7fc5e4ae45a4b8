// Copyright libsuggest authors.
//
// The normalized view every matcher reads: NFKC + case folding (ICU
// NFKC_Casefold, with icu::Edits so each change is tracked), followed by
// clinical unification:
//   - every dash (U+2010..U+2015, U+2212 minus, U+FE58, U+FE63, U+FF0D,
//     non-breaking hyphen) -> '-';
//   - every space-like character (tab, NBSP and other Zs) -> ' ';
//   - CRLF and lone CR -> LF;
//   - typographic quotes (U+2018, U+2019, U+201C, U+201D) -> ' and ".
// What NFKC_Casefold already does (ICU 72), so the second pass never sees it:
//   - NBSP, U+2000..U+200A, U+202F, U+205F, U+3000 -> U+0020; only U+1680
//     (ogham space) survives as Zs;
//   - U+FEFF, U+200B, soft hyphen U+00AD and other Default_Ignorable code
//     points are *deleted* (not turned into a space);
//   - U+2011 -> U+2010, U+FE58 -> U+2014, U+FE63 and U+FF0D -> '-',
//     U+FE31/U+FE32 -> U+2014/U+2013; full-width ASCII -> ASCII; ligatures
//     and fractions expand ("fi", U+00BD -> "1" U+2044 "2");
//   - in ASCII only A-Z change; NUL and other controls pass through.
// ICU records a folded letter and an adjacent deletion as one edit
// ("B" U+00AD -> "b" is one 3 -> 1 change), so such a span covers both.
// Other dash-like characters (U+058A, U+2E3A, U+301C, ...) are left alone.
// The original bytes are never modified; `map` maps every normalized range
// back to an exact original byte range (see offset_map.h).
//
// Then the layout pass (text/layout.h), when the normalizer was given layout
// rules (WithLayout): page furniture deleted, words broken by a hyphen at a
// line end joined; both are deletions in the map.
//
// Speed: pure-ASCII input never reaches ICU (lowercase, tab and CR handling
// in one pass). Other input sends only the non-ASCII runs, each with the
// ASCII character before it, through ICU, in pieces of at most a few MiB cut
// at normalization boundaries.

#ifndef LIBSUGGEST_SRC_TEXT_NORMALIZE_H_
#define LIBSUGGEST_SRC_TEXT_NORMALIZE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "suggest/options.h"
#include "suggest/status.h"
#include "text/layout.h"
#include "text/offset_map.h"

namespace suggest::internal {

struct NormalizedText {
  std::string text;             // valid UTF-8
  OffsetMap map;                // text -> original bytes
  uint32_t replaced_bytes = 0;  // invalid bytes replaced (kReplace only)
  // Original byte ranges of the page-furniture blocks the layout pass
  // deleted (text/layout.h), in order: the sentence splitter reads across
  // them.
  std::vector<Span> furniture;
};

// What Normalizer::Splice kept of the earlier normalized text: its first
// `prefix` and last `suffix` bytes are those of the new one, unchanged.
struct SpliceKept {
  size_t prefix = 0;
  size_t suffix = 0;
};

// Stateless after construction; one instance may be shared by all threads.
class Normalizer {
 public:
  // Fails only if ICU data cannot be loaded.
  static StatusOr<std::shared_ptr<const Normalizer>> Create();
  // The ICU and Unicode versions it normalizes by (a CheckedFile key: the
  // rule examples are checked on normalized text).
  static std::string_view Version();

  // This normalizer with the layout pass on (text/layout.h): sections.toml
  // [layout]. A normalizer without it makes no layout edit.
  std::shared_ptr<const Normalizer> WithLayout(LayoutRules rules) const;
  // True if the layout pass or the markup pass may change `text` (original
  // or normalized bytes): layout.h LayoutMayApply (false without layout
  // rules) or markup.h MarkupMayApply. A live session normalizes such a note
  // whole; the prescreen does not settle it on its original bytes.
  bool LayoutMayApply(std::string_view text) const;

  // Errors: InvalidArgument kind "invalid_utf8" (policy kError) with the
  // offset of the first bad byte. Input larger than 4 GiB - 1 is refused
  // with kind "note_too_large".
  StatusOr<NormalizedText> Normalize(std::string_view original,
                                     InvalidUtf8Policy policy) const;

  // Normalize(text, policy) from the normalization of an earlier text, for
  // a live session (api/session_hook.h): `earlier` is
  // Normalize(earlier_text, policy) with the same policy, and `text` shares
  // its first `prefix` and last `suffix` bytes with `earlier_text`
  // (prefix + suffix <= both sizes). Normalizes only a window around the
  // bytes between and splices it in. A text the layout pass may change
  // (before or after the edit) is not spliced: false. True: *earlier is now exactly
  // Normalize(text, policy) - text, map and replaced_bytes - and *kept says
  // which of its bytes were kept. False, *earlier unchanged: no safe window
  // was found near the edit, or the window did not normalize (the caller
  // runs Normalize, which returns the error). The argument is in
  // normalize.cc (SafeCut).
  bool Splice(std::string_view earlier_text, std::string_view text, size_t prefix,
              size_t suffix, InvalidUtf8Policy policy, NormalizedText* earlier,
              SpliceKept* kept) const;

  // Same result as Normalize, but every byte goes through ICU (no ASCII
  // shortcuts). For tests and benchmarks that check the fast paths.
  StatusOr<NormalizedText> NormalizeWithIcuOnly(std::string_view original,
                                                InvalidUtf8Policy policy) const;

 private:
  Normalizer() = default;
  StatusOr<NormalizedText> Run(std::string_view original,
                               InvalidUtf8Policy policy, bool fast) const;
  // The markup pass (text/markup.h), then the layout pass, over r's text,
  // their maps composed into r's (`original`: the bytes r's map leads to).
  void Layout(std::string_view original, NormalizedText* r) const;
  // NFKC_Casefold of valid UTF-8 `s`, appended to *out with its map.
  Status Fold(std::string_view s, bool fast, std::string* out,
              OffsetMap* map) const;
  Status FoldWithIcu(std::string_view s, std::string* out,
                     OffsetMap* map) const;
  // End of an ICU piece starting at `start` (> start; at most kMaxIcuPiece
  // bytes), placed before a character with a normalization boundary.
  size_t PieceEnd(std::string_view s, size_t start) const;
  const void* icu_ = nullptr;  // const icu::Normalizer2*, owned by ICU
  std::shared_ptr<const LayoutRules> layout_;  // null: no layout pass
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_NORMALIZE_H_
