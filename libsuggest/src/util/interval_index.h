// Copyright libsuggest authors.
//
// Intervals [begin, end) added in begin order, with a running maximum of
// their ends: "does any interval overlap / contain this one?" and "which
// intervals can lie within distance d?" in O(log n). The facts and levels
// stages used to ask these of every interval for every candidate, which is
// quadratic in a sentence with many matches (bench/limits_bench.cc).

#ifndef LIBSUGGEST_SRC_UTIL_INTERVAL_INDEX_H_
#define LIBSUGGEST_SRC_UTIL_INTERVAL_INDEX_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace suggest::internal {

class IntervalIndex {
 public:
  static constexpr size_t npos = std::numeric_limits<size_t>::max();

  // Intervals must come in non-decreasing begin order.
  void Add(uint32_t begin, uint32_t end) {
    begins_.push_back(begin);
    ends_.push_back(end);
    max_end_.push_back(max_end_.empty() ? end : std::max(max_end_.back(), end));
  }
  size_t size() const { return begins_.size(); }
  uint32_t begin(size_t i) const { return begins_[i]; }
  uint32_t end(size_t i) const { return ends_[i]; }

  // True if some interval has begin < e and end > b.
  bool Overlaps(uint32_t b, uint32_t e) const {
    const size_t k = std::lower_bound(begins_.begin(), begins_.end(), e) - begins_.begin();
    return k > 0 && max_end_[k - 1] > b;
  }

  // True if some interval has begin <= b and end >= e.
  bool Contains(uint32_t b, uint32_t e) const {
    const size_t k = std::upper_bound(begins_.begin(), begins_.end(), b) - begins_.begin();
    return k > 0 && max_end_[k - 1] >= e;
  }

  // Index range [first, last) holding every interval with end >= lo and
  // begin <= hi (and possibly others: callers re-check each one).
  std::pair<size_t, size_t> Near(uint64_t lo, uint64_t hi) const {
    const size_t first =
        std::lower_bound(max_end_.begin(), max_end_.end(), lo,
                         [](uint32_t m, uint64_t v) { return m < v; }) -
        max_end_.begin();
    const size_t last =
        std::upper_bound(begins_.begin(), begins_.end(), hi,
                         [](uint64_t v, uint32_t b) { return v < b; }) -
        begins_.begin();
    return {first, std::max(first, last)};
  }

  // Distance between [b1, e1) and [b2, e2); 0 when they overlap or touch.
  static uint32_t Gap(uint32_t b1, uint32_t e1, uint32_t b2, uint32_t e2) {
    if (e1 <= b2) return b2 - e1;
    if (e2 <= b1) return b1 - e2;
    return 0;
  }

  // The first interval, in index order, with the smallest Gap to [b, e) (the
  // answer of a linear scan with a strict '<'), or npos if there is none.
  size_t Nearest(uint32_t b, uint32_t e) const {
    if (begins_.empty()) return npos;
    // Any interval bounds the minimum; take the two around b.
    const size_t k = std::lower_bound(begins_.begin(), begins_.end(), b) - begins_.begin();
    uint32_t bound = std::numeric_limits<uint32_t>::max();
    if (k < size()) bound = std::min(bound, Gap(b, e, begins_[k], ends_[k]));
    if (k > 0) bound = std::min(bound, Gap(b, e, begins_[k - 1], ends_[k - 1]));
    // Every interval within `bound` of [b, e) ends at or after b - bound and
    // begins at or before e + bound.
    const auto [first, last] =
        Near(b >= bound ? b - bound : 0, static_cast<uint64_t>(e) + bound);
    size_t best = npos;
    uint32_t best_gap = std::numeric_limits<uint32_t>::max();
    for (size_t i = first; i < last; ++i) {
      const uint32_t g = Gap(b, e, begins_[i], ends_[i]);
      if (g < best_gap) {
        best_gap = g;
        best = i;
      }
    }
    return best;
  }

 private:
  std::vector<uint32_t> begins_;
  std::vector<uint32_t> ends_;
  std::vector<uint32_t> max_end_;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_UTIL_INTERVAL_INDEX_H_
