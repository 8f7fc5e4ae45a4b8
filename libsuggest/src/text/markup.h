// Copyright libsuggest authors.
//
// The markup pass of the normalizer: text exported from web pages, word
// processors and mis-decoded databases carries its characters as markup, so
// that "L4&ndash;L5" or "C5\u8211?C6" hides a level and "<b>OPERATIVE
// NOTE</b>" a title. Each markup sequence becomes the characters it stands
// for, as one change chunk of the OffsetMap, so every span still maps to the
// exact bytes of the caller's buffer (the whole "&ndash;" for its '-').
//
//  1. HTML character references: the named ones a clinical export uses
//     (dashes, spaces, quotes, &amp; &lt; &gt;, the soft hyphen, bullets),
//     and numeric ones ("&#8211;", "&#x2013;"); a double-escaped one
//     ("&amp;ndash;") is read through. The character is written as the
//     normalized view writes it: a dash '-', a space ' ', straight quotes;
//     a soft hyphen, zero-width space or byte-order mark is deleted; an
//     ASCII letter in lower case; another code point as its UTF-8 bytes.
//  2. HTML tags of text formatting: block tags (br, p, div, li, tr, h1-h6,
//     ...) become a line break, cell tags (td, th) a space, inline tags (b,
//     i, u, span, font, strong, ...) are deleted, and a footnote mark in
//     superscript ("<sup>1</sup>") goes with its tags. A '<' that opens no
//     such tag ("<5 mm") is text.
//  3. RTF: "\uN?" (a Unicode escape with its fallback character) is the
//     character N everywhere; in a document that opens with "{\rtf", control
//     words are deleted ("\par" and "\line" are line breaks, "\tab" a space),
//     "\'hh" is the Windows-1252 character hh, and group braces go.
//  4. Mojibake: UTF-8 punctuation read as Windows-1252 and encoded again
//     ("â€“" for an en dash, "â€™" for an apostrophe, "Â" before a no-break
//     space) is the punctuation it was.
//  5. A superscript digit written right after a word or a bracket (a
//     footnote mark: "fusion¹") is deleted; NFKC would have made it a digit
//     glued to the word.
//
// The pass reads the normalized text (lower case, dashes and spaces
// unified); the original bytes only for item 5. It runs only where
// MarkupMayApply finds a candidate, so most notes never pay for it.

#ifndef LIBSUGGEST_SRC_TEXT_MARKUP_H_
#define LIBSUGGEST_SRC_TEXT_MARKUP_H_

#include <string>
#include <string_view>

#include "text/offset_map.h"

namespace suggest::internal {

// True if the markup pass may change the normalized view of `text`
// (original or normalized bytes; ASCII letters compare case-insensitively):
// a character reference, a formatting tag, an RTF escape or header, a
// mojibake sequence or a superscript digit after a letter. A cheap
// over-approximation: the prescreen lets such a note through (a word may be
// split by markup: "fu&shy;sion").
bool MarkupMayApply(std::string_view text);

// The same for a normalized view and the original bytes its map leads to:
// the view's markup, or superscript digits in the original (which NFKC made
// plain digits in the view). The normalizer's check: the markup of the
// original that is ASCII (references, tags, RTF) is the view's too.
bool MarkupMayApply(std::string_view normalized, std::string_view original);

// True if `text` ends with a dash the normalized view writes '-': a Unicode
// dash (normalize.h's unification) or a character reference of one
// ("&ndash;", "&#8211;", "&amp;ndash;"). The sentence splitter, which reads
// the original bytes, reads it as '-' before a line break.
bool EndsWithDash(std::string_view text);

// Applies the pass to `*text` (normalized) in place. `original` and
// `to_original` (the map normalized -> original bytes) tell which digits
// were superscripts. `*map` receives the map new text -> old text (identity
// when nothing changed).
void ApplyMarkup(std::string_view original, const OffsetMap& to_original, std::string* text,
                 OffsetMap* map);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_MARKUP_H_
