// Copyright libsuggest authors.
//
// The layout pass of the normalizer: text as it arrives from faxes, PDFs and
// word processors, made continuous again before any matcher reads it. Two
// edits, both deletions recorded in the OffsetMap, so every span still maps
// to exact bytes of the caller's buffer:
//
//  1. Page furniture. A block of consecutive lines that a page break put
//     into the middle of the text - rule lines ("-----", "=====", at least
//     `rule_min` of the `rule_chars`), page lines ("Page 2 of 3", "Pg 2",
//     a listed page word, a number, optionally "of" and a number, nothing
//     else), and header lines (at most `header_max` bytes, naming one of the
//     `header_cues` as a word: "MRN", "DOB", "Acct") - is deleted, the line
//     break after it included, so the sentence it interrupted continues
//     ("anterior cervical\n<block>\ndiscectomy and fusion"). A block holds
//     at least one page line and at most `max_block_lines` lines (blank
//     lines inside it count); a rule line or a header line without a page
//     line beside it is the writer's own separator and stays.
//  2. A word broken at a line end by a hyphen. Where a letter or digit, '-',
//     optional blanks, a line break, optional blanks and a letter or digit
//     meet ("arthro-\ndesis", "L4-\n5", "non-\nunion"), the blanks and the
//     line break are deleted; the hyphen too when both sides are letters and
//     the joined word is one of `join_words` (a typesetting hyphen inside a
//     word written whole: "arthro-\ndesis" -> "arthrodesis"). Otherwise the
//     hyphen stays ("non-union", "self-reported", "l4-5", "anterior-
//     posterior": a real compound or a range kept as written). Not joined: a
//     dash after a blank ("pain -\nback", a punctuation dash), a next line
//     that opens a list item ("1." / "2)") or starts with '-' (a list dash).
//  3. OCR letters for digits inside a level form with a dash. Where a
//     token of a vertebra letter (c, t, d, l, s) and one or two digits or
//     `ocr_level_digits` letters meets '-' and another such token ("l4-sl",
//     "c7-tl", "tl2-ll", "c4-5"), and at least one side holds a real digit,
//     each swapped letter becomes its digit when both sides then name a
//     vertebra that exists (C1-C7, T1-T12, L1-L6, S1-S5; a bare number after
//     the dash too): "l4-s1", "c7-t1", "t12-l1". A same-length replacement,
//     so the offset map does not change. A word is never read as a level:
//     "all-", "tl-spine", "to-do" fail the token shape or the vertebra test.
//  Page lines inside a header line: a line of at most `header_max` bytes
//  that starts or ends with a page phrase with its total ("Page 2 of 3",
//  "Page 1/2") set off from the rest by two or more blanks ("NORTHGATE
//  NEUROSURGERY      Page 2 of 3", "Page 3 of 4    CITY SPINE ASSOCIATES")
//  is a page line too: a scanned page's running header (not when the rest
//  of the line ends a sentence with '.', ';', '!' or '?': the writer's line
//  and the footer run together, kept whole).
//
// The pass reads the normalized text (lower case, LF line ends, tab ->
// space) and runs only where MayApply finds a line break after a hyphen or
// a line that starts with a page word or ends with a page phrase, or an OCR
// swap inside a level form, so most notes never pay for it.

#ifndef LIBSUGGEST_SRC_TEXT_LAYOUT_H_
#define LIBSUGGEST_SRC_TEXT_LAYOUT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "suggest/types.h"
#include "text/offset_map.h"

namespace suggest::internal {

struct LayoutRules {
  std::vector<std::string> join_words;   // sorted, unique, lower case
  std::vector<std::string> page_words;   // lower case ("page", "pg")
  std::vector<std::string> header_cues;  // lower case words ("mrn", "dob")
  std::string rule_chars = "-=_*~";
  uint32_t rule_min = 8;
  uint32_t header_max = 160;
  uint32_t max_block_lines = 8;
  // OCR letter -> digit swaps read inside a level form with a dash
  // ("l4-sl" -> "l4-s1", "tl2-ll" -> "t12-l1"): pairs letter, digit.
  std::vector<std::string> ocr_level_digits;  // "l1", "o0"

  bool active() const { return !join_words.empty() || !page_words.empty(); }
  // Loaded from the [layout] table of sections.toml (SectionRules::Load);
  // a default-constructed one (no words) makes no edit.
};

// True if the layout pass may change `text`: a letter or digit and '-'
// (blanks after it) before a line break, a line that starts (after blanks) with a page word
// or ends with a page phrase ("page 2 of 3"), or an OCR swap inside a level form.
// ASCII letters compare case-insensitively, so the caller's original bytes
// may be asked too (match/prescreen: a note it would reject is not rejected
// when this says yes). Linear, one memchr per line.
bool LayoutMayApply(const LayoutRules& rules, std::string_view text);

// Applies the pass to `*text` (normalized: lower case, LF) in place. `*map`
// receives the map new text -> old text (identity when nothing changed);
// `*blocks` the [begin, end) ranges of *old* text deleted as page
// furniture, in order.
void ApplyLayout(const LayoutRules& rules, std::string* text, OffsetMap* map,
                 std::vector<Span>* blocks);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_LAYOUT_H_
