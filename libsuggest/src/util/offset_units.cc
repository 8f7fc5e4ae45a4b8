// Copyright libsuggest authors.
#include "util/offset_units.h"

#include <algorithm>
#include <cstring>

#include "util/utf8.h"

namespace suggest::internal {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ull;

}  // namespace

// Advances *i over whole 8-byte words of ASCII before `stop`, where every
// byte is one code point and one UTF-16 unit.
inline void SkipAsciiWords(const unsigned char* p, size_t stop, size_t* i, uint32_t* cp,
                           uint32_t* u16) {
  while (*i + 8 <= stop) {
    uint64_t w;
    std::memcpy(&w, p + *i, 8);
    if (w & kHighBits) break;
    *i += 8;
    *cp += 8;
    *u16 += 8;
  }
}

OffsetConverter::OffsetConverter(std::string_view original) : text_(original) {
  const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
  const size_t n = text_.size();
  const size_t blocks = n / kBlock + 1;
  cp_at_block_.resize(blocks);
  u16_at_block_.resize(blocks);
  skip_at_block_.resize(blocks);
  uint32_t cp = 0, u16 = 0;
  size_t next = 0;  // next block to record
  size_t i = 0;     // always the start of a unit
  while (true) {
    for (; next < blocks && next * kBlock <= i; ++next) {
      cp_at_block_[next] = cp;
      u16_at_block_[next] = u16;
      skip_at_block_[next] = static_cast<uint8_t>(i - next * kBlock);
    }
    if (i >= n) break;
    // ASCII words up to the next sample point.
    const size_t stop = std::min(n, next * kBlock);
    SkipAsciiWords(p, stop, &i, &cp, &u16);
    if (i >= stop) continue;
    const size_t len = Utf8SequenceLength(p + i, n - i);
    i += len == 0 ? 1 : len;  // a bad byte is one unit on its own
    cp += 1;
    u16 += len == 4 ? 2 : 1;
  }
}

uint32_t OffsetConverter::Convert(uint32_t byte_offset,
                                  OffsetUnit unit) const {
  if (unit == OffsetUnit::kBytes) return byte_offset;
  const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
  const size_t n = text_.size();
  const size_t off = std::min<size_t>(byte_offset, n);
  const size_t k = off / kBlock;
  uint32_t cp = cp_at_block_[k];
  uint32_t u16 = u16_at_block_[k];
  // Units starting before `off` (an offset inside a sequence counts it).
  size_t i = k * kBlock + skip_at_block_[k];
  SkipAsciiWords(p, off, &i, &cp, &u16);
  while (i < off) {
    const size_t len = Utf8SequenceLength(p + i, n - i);
    i += len == 0 ? 1 : len;
    cp += 1;
    u16 += len == 4 ? 2 : 1;
  }
  return unit == OffsetUnit::kUtf16 ? u16 : cp;
}

}  // namespace suggest::internal
