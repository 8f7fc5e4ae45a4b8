// Copyright libsuggest authors.
//
// Where a new match of a set of patterns can lie after an edit, for a live
// session's screen (facts/facts.h CannotMatchAgain): a text in which
// Vectorscan met no match of any pattern, edited, can hold a match only in a
// window around the edit, so only that window is scanned again.
//
// The argument. The new text shares its first p and last s bytes with the
// earlier one; [p, n - s) is new. A Vectorscan match [b, e) is decided by
// its bytes, the character before b, the character at e, and whether b is
// the text's start and e its end or the byte before a final newline ($).
// So a match with e + 4 <= p (everything it reads in the shared prefix, e +
// 1 not the end) or b >= n - s + 4 (in the shared suffix) was a match of the
// earlier text, which had none. Any match of the new text therefore holds a
// byte of the zone [p - 4, n - s + 4) (or, empty, sits in it), and each
// pattern's reach (match/rule_locator.h RuleLocator::Reach) bounds how far
// from the zone it extends, by the first of these it has:
//   - width w: b >= p - 4 - w and e <= n - s + 4 + w;
//   - at most k bytes outside \s runs: the bytes of the match between it and
//     the zone hold at most k bytes that are not Vectorscan's \s (VT
//     included), so b is after the (k+1)th such byte before the zone, and e
//     at most the (k+1)th at or after its end (one walk, for the largest k);
//   - stop bytes: no byte of the match is one, so b is after the last stop
//     byte before the zone and e at most the first one at or after its end
//     (one search for a few bytes every such pattern stops at, e.g. '.').
// The window reaches one character (and two bytes, for $) past each bound,
// on character boundaries, so a scan of the window alone sees every such
// match with the context it has in the whole text: if it finds none, the
// whole text has none. A match the window scan reports that the text does
// not have (at its cut ends) only sends the caller to a whole scan. Stop
// bytes are used only if they are ASCII and not letters (case folding never
// makes a pattern match them).

#ifndef LIBSUGGEST_SRC_MATCH_SCREEN_WINDOW_H_
#define LIBSUGGEST_SRC_MATCH_SCREEN_WINDOW_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "match/rule_locator.h"

namespace suggest::internal {

class ScreenWindow {
 public:
  // Off: Find always says "scan it all".
  ScreenWindow() = default;
  // From every pattern's reach; off if some pattern is bounded none of the
  // three ways (or by more than kMaxReach bytes of width).
  explicit ScreenWindow(const std::vector<RuleLocator::Reach>& each);

  bool on() const { return on_; }

  // The window [*begin, *end) of `text` that holds every match not also a
  // match of an earlier text sharing its first `prefix` and last `suffix`
  // bytes with it (prefix + suffix <= text.size()). False (scan it all) if
  // off.
  bool Find(std::string_view text, size_t prefix, size_t suffix, size_t* begin,
            size_t* end) const;

  static constexpr uint32_t kMaxReach = 1024;

 private:
  // The bound before the zone starting at `from` (forward false) or at or
  // after the zone ending at `from`: the farthest of the non-space count's
  // and the stop bytes'.
  size_t Reach(std::string_view text, size_t from, bool forward) const;

  bool on_ = false;
  uint32_t width_ = 0;  // the largest width of the patterns bounded by width
  uint32_t count_ = 0;  // the largest k of those bounded by k (0: none)
  std::string stops_;   // bytes every pattern bounded by stops stops at ("": none)
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MATCH_SCREEN_WINDOW_H_
