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
// from the zone it extends, by the nearest of these it has (each is a bound
// on its own, so the nearest is one):
//   - width w: b >= p - 4 - w and e <= n - s + 4 + w;
//   - at most k bytes outside \s runs: the bytes of the match between it and
//     the zone hold at most k bytes that are not Vectorscan's \s (VT
//     included), so b is after the (k+1)th such byte before the zone, and e
//     at most the (k+1)th at or after its end;
//   - stop bytes: no byte of the match is one, so b is after the last stop
//     byte before the zone and e at most the first one at or after its end;
//   - bytes it holds only as its last byte ("fusion ..., which is
//     degenerative."): the bytes of the match before the zone are not its
//     last (a later byte of it is in the zone), so b is after the last such
//     byte before the zone, as for a stop byte; after the zone only its last
//     byte may be one, so e is at most one past the first such byte at or
//     after the zone's end.
// Stop bytes of either kind are used only for '.' and ';' (ASCII, no
// letters: case folding never makes a pattern match them; the sentence ends
// that bound nearly every shipped pattern). The window reaches from the
// nearest bound of each pattern to the farthest of these over the
// patterns, then one character (and two bytes, for $) further, on character
// boundaries, so a scan of the window alone sees every such match with the
// context it has in the whole text: if it finds none, the whole text has
// none. A match the window scan reports that the text does not have (at its
// cut ends) only sends the caller to a whole scan.

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
  // four ways (a width above kMaxReach is none).
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
  // How one pattern (or several alike) is bounded: the nearest of the ways
  // it has. `stops` and `lasts` are masks of kEnds: bytes no match holds,
  // bytes a match holds only as its last (not already stops).
  struct Bound {
    uint32_t width = 0;     // 0: none
    uint32_t nonspace = 0;  // 0: none
    uint8_t stops = 0;
    uint8_t lasts = 0;
    bool operator==(const Bound&) const = default;
  };
  static constexpr char kEnds[] = ".;";

  // Backward (forward false): the farthest, over the patterns, of the
  // nearest point before the zone starting at `from` that no match reaches
  // back past; forward: of the bounds on a match's end from the zone ending
  // at `from`.
  size_t Farthest(std::string_view text, size_t from, bool forward) const;

  bool on_ = false;
  // Bounds without a non-space count first (they need no walk), then by
  // the count, so a walk is taken only where the others leave the window
  // wider than it is already.
  std::vector<Bound> bounds_;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MATCH_SCREEN_WINDOW_H_
