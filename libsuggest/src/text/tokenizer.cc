// Copyright libsuggest authors.

#include "text/tokenizer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

namespace suggest::internal {
namespace {

enum class CharClass : uint8_t { kSpace, kLetter, kDigit, kOther };

// ASCII classes by table: one load per byte instead of a chain of compares.
constexpr std::array<CharClass, 128> kAsciiClass = [] {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      t[c] = CharClass::kLetter;
    } else if (c >= '0' && c <= '9') {
      t[c] = CharClass::kDigit;
    } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
               c == '\v') {
      t[c] = CharClass::kSpace;
    } else {
      t[c] = CharClass::kOther;
    }
  }
  return t;
}();

// Bytes that continue a word without decoding: ASCII letters and digits.
constexpr std::array<bool, 256> kAsciiWordByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 128; ++c) {
    t[c] = kAsciiClass[c] == CharClass::kLetter || kAsciiClass[c] == CharClass::kDigit;
  }
  return t;
}();

inline CharClass Classify(UChar32 c) {
  if (c < 0x80) return kAsciiClass[c];
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
inline UChar32 NextCp(const uint8_t* s, int32_t n, int32_t* i) {
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

TokenStream::TokenStream(const NormalizedText& nt)
    : nt_(nt), identity_(nt.map.IsIdentity()), boundary_(nt.map), spans_(nt.map) {}

TokenStream::TokenStream(const NormalizedText& nt, uint32_t from) : TokenStream(nt) {
  i_ = static_cast<int32_t>(std::min<size_t>(from, nt.text.size()));
  boundary_.Seek(from);
  spans_.Seek(from);
}

bool TokenStream::NextRaw(Token* out) {
  const std::string& text = nt_.text;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t i = i_;
  while (i < n) {
    if (s[i] < 0x80 && kAsciiClass[s[i]] == CharClass::kSpace) {
      ++i;
      continue;
    }
    const int32_t start = i;
    const UChar32 c = NextCp(s, n, &i);
    const CharClass cls = Classify(c);
    if (cls == CharClass::kSpace) continue;
    TokenKind kind = TokenKind::kPunct;
    if (cls == CharClass::kLetter) {
      // Letters and digits: "fusion", "c5", "t12".
      kind = TokenKind::kWord;
      while (i < n) {
        while (i < n && kAsciiWordByte[s[i]]) ++i;  // ASCII letters and digits
        if (i >= n) break;
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
    i_ = i;
    *out = Token{Span{}, static_cast<uint32_t>(start), static_cast<uint32_t>(i), kind};
    return true;
  }
  i_ = i;
  return false;
}

bool TokenStream::Next(Token* out) {
  // Identity map (ASCII without CR, most notes): nothing to widen or merge,
  // and original spans are the normalized ones.
  if (identity_) {
    if (!NextRaw(out)) return false;
    out->span = Span{out->norm_begin, out->norm_end};
    return true;
  }
  // Widen tokens that start or end inside a change chunk of the map to the
  // chunk's edges, merging tokens that then overlap ("½" -> "1⁄2" is three
  // raw tokens but one indivisible chunk). One token is held back until the
  // next one shows it cannot merge.
  const OffsetMap& map = nt_.map;
  Token t;
  while (NextRaw(&t)) {
    while (t.norm_begin > 0 && !boundary_.IsBoundary(t.norm_begin)) --t.norm_begin;
    while (t.norm_end < map.normalized_size() && !boundary_.IsBoundary(t.norm_end)) ++t.norm_end;
    if (has_pending_ && t.norm_begin < pending_.norm_end) {
      pending_.norm_end = std::max(pending_.norm_end, t.norm_end);
      pending_.kind = Merge(pending_.kind, t.kind);
      continue;
    }
    if (has_pending_) {
      *out = pending_;
      out->span = spans_.ToOriginal(out->norm_begin, out->norm_end);
      pending_ = t;
      return true;
    }
    pending_ = t;
    has_pending_ = true;
  }
  if (!has_pending_) return false;
  *out = pending_;
  out->span = spans_.ToOriginal(out->norm_begin, out->norm_end);
  has_pending_ = false;
  return true;
}

std::vector<Token> Tokenize(const NormalizedText& nt) {
  std::vector<Token> out;
  TokenStream stream(nt);
  Token t;
  while (stream.Next(&t)) out.push_back(t);
  return out;
}

}  // namespace suggest::internal
