// Copyright libsuggest authors.
//
// Clinical sentence splitter. Sentences never cross section boundaries; a
// section header is not part of any sentence. Handles abbreviations (Dr.,
// pt., approx., vs., s/p), decimals, level names followed by a period
// ("fusion at C5. Then ..." splits, "C5. 6" does not), a lone '?' between
// blanks before a word (a query mark, "CT with ? DISH": no split), numbered lists,
// hard line breaks inside sentences, the ",HEADER:," joins of the
// MTSamples corpus, and page furniture (the blocks the layout pass of the
// normalizer deleted, NormalizedText::furniture: text/layout.h) read as a
// line break, so a sentence a page break interrupted goes on after it.
// A live session's re-split (the SentenceReuse overload) knows no
// furniture: the caller splits such a note whole with the first overload.

#ifndef LIBSUGGEST_SRC_TEXT_SENTENCE_SPLITTER_H_
#define LIBSUGGEST_SRC_TEXT_SENTENCE_SPLITTER_H_

#include <string_view>
#include <vector>

#include "suggest/types.h"
#include "text/normalize.h"
#include "text/tokenizer.h"

namespace suggest::internal {

// Spans are trimmed of surrounding whitespace; every sentence span lies inside
// one section body. Sentence::section is the index into `sections`.
// Whether `w` (lower case, without its '.') is a word whose '.' never ends a
// sentence: a title ("dr", "mrs"), "vs", "approx", "e.g" and the like.
bool IsNonFinalAbbrev(std::string_view w);

std::vector<Sentence> SplitSentences(std::string_view original,
                                     const NormalizedText& nt,
                                     const std::vector<Token>& tokens,
                                     const std::vector<Section>& sections);

// The sentences of one section alone, appended to *out with section index
// `section`: exactly SplitSentences' sentences of that section, which depend
// only on the bytes of its body (the splitter reads nothing outside it) and
// move with it. `body_bytes` holds those bytes (the note's, or a copy of
// them), and `body_begin` is where the body begins in the note: the spans
// are the note's offsets. For a caller that needs the sentences of a few
// sections of a long note (facts.h ExtractSplitting), not all of them.
// `furniture`: NormalizedText::furniture of the note (original offsets), or
// null.
void SplitSection(std::string_view body_bytes, uint32_t body_begin, int section,
                  std::vector<Sentence>* out, const std::vector<Span>* furniture = nullptr);

// An earlier split, for a live session (api/session.cc) that re-splits a note
// after an edit: `text` is an earlier version of the note, `sections` its
// FindSections and `sentences` its SplitSentences.
struct SentenceReuse {
  std::string_view text;
  const std::vector<Section>* sections = nullptr;
  const std::vector<Sentence>* sentences = nullptr;
  // Bytes the caller knows `text` and the new text share at their start and
  // end (text/sectionizer.h SectionReuse: not compared again; 0 if not known).
  size_t same_prefix = 0;
  size_t same_suffix = 0;
};

// SplitSentences, the same answer, reusing the earlier split where it can.
// The sentences of a section depend only on the bytes of its body (the
// splitter reads nothing outside [body.begin, body.end)) and move with it.
// So a section whose body has exactly the bytes of an earlier section's body
// - at the same offset, or shifted by the change in the note's length (the
// text after an edit) - takes that section's sentences, shifted. A section
// that starts where an earlier one started and ends where it ended (shifted)
// but whose bytes changed in between (the edit is inside it) is split only
// around the change: the splitter's state is the start of the sentence it is
// in, so it re-starts at the last earlier sentence start before the change
// (its look-ahead included) and stops at the first sentence start after the
// change that is an earlier one, shifted (sentence_splitter.cc, Splitter).
// Other sections are split anew. `reused` (if given) counts the sections
// reused in whole or in part.
std::vector<Sentence> SplitSentences(std::string_view original,
                                     const std::vector<Section>& sections,
                                     const SentenceReuse& earlier, size_t* reused = nullptr);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_SENTENCE_SPLITTER_H_
