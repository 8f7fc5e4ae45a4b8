// Copyright libsuggest authors.
//
// Clinical sentence splitter. Sentences never cross section boundaries; a
// section header is not part of any sentence. Handles abbreviations (Dr.,
// pt., approx., vs., s/p), decimals, level names followed by a period
// ("fusion at C5. Then ..." splits, "C5. 6" does not), numbered lists,
// hard line breaks inside sentences, and the ",HEADER:," joins of the
// MTSamples corpus.

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
std::vector<Sentence> SplitSentences(std::string_view original,
                                     const NormalizedText& nt,
                                     const std::vector<Token>& tokens,
                                     const std::vector<Section>& sections);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_SENTENCE_SPLITTER_H_
