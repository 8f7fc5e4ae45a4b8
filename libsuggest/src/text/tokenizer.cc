// Copyright libsuggest authors.

#include "text/tokenizer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace suggest::internal {
namespace {

enum class CharClass : uint8_t { kSpace, kLetter, kDigit, kOther };

CharClass Classify(UChar32 c) {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return CharClass::kLetter;
    }
    if (c >= '0' && c <= '9') return CharClass::kDigit;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
        c == '\v') {
      return CharClass::kSpace;
    }
    return CharClass::kOther;
  }
  if (u_isUWhiteSpace(c)) return CharClass::kSpace;
  if (u_isalpha(c)) return CharClass::kLetter;
  if (u_isdigit(c)) return CharClass::kDigit;
  // Combining marks continue the preceding word (kept as letters).
  const int8_t t = u_charType(c);
  if (t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ||
      t == U_ENCLOSING_MARK) {
    return CharClass::kLetter;
  }
  return CharClass::kOther;
}

// Reads the code point at *i and advances; malformed bytes (not expected in
// the normalized view, which is valid UTF-8) count as one "other" byte.
UChar32 NextCp(const uint8_t* s, int32_t n, int32_t* i) {
  const uint8_t b = s[*i];
  if (b < 0x80) {
    ++*i;
    return b;
  }
  UChar32 c;
  U8_NEXT(s, *i, n, c);
  return c < 0 ? 0xFFFD : c;
}

TokenKind Merge(TokenKind a, TokenKind b) {
  if (a == TokenKind::kWord || b == TokenKind::kWord) return TokenKind::kWord;
  if (a == TokenKind::kNumber || b == TokenKind::kNumber) {
    return TokenKind::kNumber;
  }
  return TokenKind::kPunct;
}

}  // namespace

std::vector<Token> Tokenize(const NormalizedText& nt) {
  const std::string& text = nt.text;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  std::vector<Token> raw;
  raw.reserve(text.size() / 4 + 1);

  int32_t i = 0;
  while (i < n) {
    const int32_t start = i;
    const UChar32 c = NextCp(s, n, &i);
    const CharClass cls = Classify(c);
    if (cls == CharClass::kSpace) continue;
    TokenKind kind = TokenKind::kPunct;
    if (cls == CharClass::kLetter) {
      // Letters and digits: "fusion", "c5", "t12".
      kind = TokenKind::kWord;
      while (i < n) {
        int32_t j = i;
        const CharClass k = Classify(NextCp(s, n, &j));
        if (k != CharClass::kLetter && k != CharClass::kDigit) break;
        i = j;
      }
    } else if (cls == CharClass::kDigit) {
      // Digits with at most one inner decimal point: "2.5", not "2." or
      // "1.2.3" (the latter is "1.2", ".", "3").
      kind = TokenKind::kNumber;
      bool seen_point = false;
      while (i < n) {
        int32_t j = i;
        const UChar32 d = NextCp(s, n, &j);
        if (Classify(d) == CharClass::kDigit) {
          i = j;
        } else if (d == '.' && !seen_point && j < n) {
          int32_t after = j;
          if (Classify(NextCp(s, n, &after)) != CharClass::kDigit) break;
          seen_point = true;
          i = after;
        } else {
          break;
        }
      }
    }
    raw.push_back(Token{Span{}, static_cast<uint32_t>(start),
                        static_cast<uint32_t>(i), kind});
  }

  // Widen tokens that start or end inside a change chunk of the map to the
  // chunk's edges, merging tokens that then overlap ("½" -> "1⁄2" is three
  // raw tokens but one indivisible chunk).
  const OffsetMap& map = nt.map;
  const bool identity = map.IsIdentity();
  std::vector<Token> out;
  out.reserve(raw.size());
  for (Token t : raw) {
    if (!identity) {
      while (t.norm_begin > 0 && !map.IsBoundary(t.norm_begin)) --t.norm_begin;
      while (t.norm_end < map.normalized_size() &&
             !map.IsBoundary(t.norm_end)) {
        ++t.norm_end;
      }
    }
    if (!out.empty() && t.norm_begin < out.back().norm_end) {
      Token& prev = out.back();
      prev.norm_end = std::max(prev.norm_end, t.norm_end);
      prev.kind = Merge(prev.kind, t.kind);
      continue;
    }
    out.push_back(t);
  }
  for (Token& t : out) t.span = map.ToOriginal(t.norm_begin, t.norm_end);
  return out;
}

}  // namespace suggest::internal
