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

// The tokens of a note one at a time, in text order, without holding them
// all: a note's tokens take ~4 bytes per note byte (20 bytes per token), more
// than the note, so the pipeline streams them (issue 18: memory per note).
class TokenStream {
 public:
  explicit TokenStream(const NormalizedText& nt);  // nt must outlive the stream
  // The stream from byte `from` of the normalized text on: exactly the whole
  // stream's tokens that begin at or after `from` if `from` is 0 or
  // IsResumePoint(nt, from) (facts.cc reads one sentence's tokens this way
  // instead of the note's).
  TokenStream(const NormalizedText& nt, uint32_t from);
  // After an ASCII whitespace byte that is no part of a change chunk of the
  // map (both its edges are boundaries): no raw token holds such a byte and
  // no widened one reaches over it, so no token crosses it and no state
  // carries past it.
  static bool IsResumePoint(const NormalizedText& nt, uint32_t pos) {
    return pos > 0 && pos <= nt.text.size() && IsAsciiSpace(nt.text[pos - 1]) &&
           (nt.map.IsIdentity() || (nt.map.IsBoundary(pos - 1) && nt.map.IsBoundary(pos)));
  }
  // True if `c` is a byte no raw token holds.
  static bool IsAsciiSpace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
  }
  // The next token; false at the end.
  bool Next(Token* out);

 private:
  bool NextRaw(Token* out);  // before widening to the map's chunks
  const NormalizedText& nt_;
  const bool identity_;
  int32_t i_ = 0;  // next byte of nt_.text to read
  OffsetMap::Cursor boundary_, spans_;
  bool has_pending_ = false;  // a widened token that the next may merge into
  Token pending_{};
};

// Every token of the note (tests and benchmarks; the pipeline streams).
std::vector<Token> Tokenize(const NormalizedText& nt);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_TOKENIZER_H_
