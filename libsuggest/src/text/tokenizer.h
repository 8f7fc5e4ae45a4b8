// Copyright libsuggest authors.
//
// Tokenizer over the normalized view. Whitespace separates tokens and is not
// a token. A token never begins or ends inside a change chunk of the offset
// map (see OffsetMap::IsBoundary), so its original span, normalized again,
// gives back exactly its normalized text.

#ifndef LIBSUGGEST_SRC_TEXT_TOKENIZER_H_
#define LIBSUGGEST_SRC_TEXT_TOKENIZER_H_

#include <cstdint>
#include <vector>

#include "suggest/types.h"
#include "text/normalize.h"

namespace suggest::internal {

enum class TokenKind : uint8_t {
  kWord,    // letters, possibly with digits ("fusion", "c5", "s1")
  kNumber,  // digits, with an inner decimal point ("5", "2.5")
  kPunct,   // one punctuation or symbol character ("-", "/", ".", ",")
};

struct Token {
  Span span;            // original bytes
  uint32_t norm_begin;  // normalized bytes
  uint32_t norm_end;
  TokenKind kind;
};

std::vector<Token> Tokenize(const NormalizedText& nt);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_TOKENIZER_H_
