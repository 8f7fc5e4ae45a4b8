// Copyright libsuggest authors.
//
// Word-at-a-time byte search for scanning loops (text layer, prescreen, JSON
// writer; below the text layer so output/ needs no text/ header): most bytes
// of a note are none of the few characters a loop stops at, so eight of them
// are tested with a handful of integer operations instead of one branch
// chain per byte.

#ifndef LIBSUGGEST_SRC_UTIL_BYTE_SCAN_H_
#define LIBSUGGEST_SRC_UTIL_BYTE_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace suggest::internal::scan {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHigh = 0x8080808080808080ull;

inline uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Nonzero iff some byte of w equals c (exact for "any", not for "which").
inline uint64_t HasByte(uint64_t w, unsigned char c) {
  const uint64_t x = w ^ (kOnes * c);
  return (x - kOnes) & ~x & kHigh;
}

// Nonzero iff some byte of w is below c (c <= 0x80; exact for "any").
inline uint64_t HasLess(uint64_t w, unsigned char c) {
  return (w - kOnes * c) & ~w & kHigh;
}

// The first position >= i of one of the bytes Cs in s[0, n), or n.
template <char... Cs>
inline size_t FindAnyOf(const char* s, size_t i, size_t n) {
  while (i + 8 <= n) {
    const uint64_t w = Load8(s + i);
    if ((HasByte(w, static_cast<unsigned char>(Cs)) | ...) != 0) break;
    i += 8;
  }
  while (i < n && !((s[i] == Cs) || ...)) ++i;
  return i;
}

// The positions of the bytes Cs in s[from, n), in order: a bit mask of the
// matches of 64 bytes at a time (SSE2: 16 bytes a compare), then one bit a
// match. For a loop that stops at frequent bytes (a note's commas and
// sentence ends), where FindAnyOf pays for leaving and re-entering its loop
// at each one.
template <char... Cs>
class Positions {
 public:
  Positions(const char* s, size_t from, size_t n) : s_(s), n_(n), base_(from) {
    mask_ = from < n ? Block(from) : 0;
  }

  // The next position, or n once there is none.
  size_t Next() {
    while (mask_ == 0) {
      if (n_ - base_ <= 64) return n_;
      base_ += 64;
      mask_ = Block(base_);
    }
    const size_t at = base_ + static_cast<size_t>(std::countr_zero(mask_));
    mask_ &= mask_ - 1;
    return at;
  }

 private:
  // The matches in s[b, min(b + 64, n)), bit k for s[b + k].
  uint64_t Block(size_t b) const {
    if (n_ - b >= 64) return Mask(s_ + b);
    char tail[64] = {};
    std::memcpy(tail, s_ + b, n_ - b);
    return Mask(tail) & ((uint64_t{1} << (n_ - b)) - 1);
  }

  static uint64_t Mask(const char* p) {
    uint64_t m = 0;
#ifdef __SSE2__
    for (int k = 0; k < 4; ++k) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
      __m128i eq = _mm_setzero_si128();
      ((eq = _mm_or_si128(eq, _mm_cmpeq_epi8(v, _mm_set1_epi8(Cs)))), ...);
      m |= uint64_t{static_cast<uint32_t>(_mm_movemask_epi8(eq))} << (16 * k);
    }
#else
    for (int k = 0; k < 64; ++k)
      if (((p[k] == Cs) || ...)) m |= uint64_t{1} << k;
#endif
    return m;
  }

  const char* s_;
  size_t n_;
  size_t base_;  // the block [base_, base_ + 64) that mask_ covers
  uint64_t mask_;
};

// The length of the common prefix of a and b (a live session's earlier and
// current text: the bytes before the edit).
// `known`: bytes the caller knows the two share at their start (at most the
// answer); they are not compared again.
inline size_t CommonPrefix(std::string_view a, std::string_view b, size_t known = 0) {
  const size_t n = std::min(a.size(), b.size());
  constexpr size_t kBlock = 64;
  size_t i = std::min(known, n);
  while (i + kBlock <= n && std::memcmp(a.data() + i, b.data() + i, kBlock) == 0) i += kBlock;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// The length of the common suffix of a and b, at most `limit` (the bytes
// after the edit; `limit` keeps it from overlapping the common prefix);
// `known` bytes at their end the caller knows they share are not compared.
inline size_t CommonSuffix(std::string_view a, std::string_view b, size_t limit,
                           size_t known = 0) {
  const size_t n = std::min({a.size(), b.size(), limit});
  constexpr size_t kBlock = 64;
  size_t i = std::min(known, n);
  while (i + kBlock <= n && std::memcmp(a.data() + a.size() - i - kBlock,
                                        b.data() + b.size() - i - kBlock, kBlock) == 0)
    i += kBlock;
  while (i < n && a[a.size() - 1 - i] == b[b.size() - 1 - i]) ++i;
  return i;
}

// True if s[0, n) is all ASCII (no byte with its high bit set).
inline bool IsAscii(const char* s, size_t n) {
  uint64_t any = 0;
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    any |= Load8(s + i) | Load8(s + i + 8) | Load8(s + i + 16) | Load8(s + i + 24);
  for (; i + 8 <= n; i += 8) any |= Load8(s + i);
  for (; i < n; ++i) any |= static_cast<unsigned char>(s[i]);
  return (any & kHigh) == 0;
}

}  // namespace suggest::internal::scan

#endif  // LIBSUGGEST_SRC_UTIL_BYTE_SCAN_H_
