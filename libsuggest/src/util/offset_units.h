// Copyright libsuggest authors.
//
// Converts byte offsets of the original input into UTF-16 code-unit or
// code-point offsets, for callers whose strings index that way (Java, JS,
// .NET use UTF-16; Python str uses code points). A byte that is not part of
// a valid UTF-8 sequence counts as one code point / one UTF-16 unit (it
// reads as U+FFFD under the repair policy).

#ifndef LIBSUGGEST_SRC_UTIL_OFFSET_UNITS_H_
#define LIBSUGGEST_SRC_UTIL_OFFSET_UNITS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "suggest/options.h"

namespace suggest::internal {

class OffsetConverter {
 public:
  explicit OffsetConverter(std::string_view original);
  // byte_offset must be <= original.size() and on a code-point boundary.
  uint32_t Convert(uint32_t byte_offset, OffsetUnit unit) const;

 private:
  // Counts are sampled every kBlock bytes: for block k, the code points and
  // UTF-16 units of all units starting before byte k * kBlock, and how many
  // bytes of block k still belong to a sequence begun in block k - 1.
  // Convert() then decodes at most one block.
  static constexpr uint32_t kBlock = 64;
  std::string_view text_;  // not owned; must outlive the converter
  std::vector<uint32_t> cp_at_block_;
  std::vector<uint32_t> u16_at_block_;
  std::vector<uint8_t> skip_at_block_;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_UTIL_OFFSET_UNITS_H_
