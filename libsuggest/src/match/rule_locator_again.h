// Copyright libsuggest authors.
//
// Where a live session's rule locator scans again after an edit
// (RuleLocator::LocateAgain, match/rule_locator_again.cc): the window around
// the edit that holds every match of a located rule the edit can have made,
// with its context.
//
// Most rules are bounded near the edit in a way the screen's window reads
// (match/screen_window.h: a width, a count of non-blank bytes, '.' or ';'
// no match holds or holds only last). A few are bounded only by other bytes
// their matches never hold (the encounter cue "POD no. 3" holds a '.', and
// \s+ and \d+ runs leave its width open, but never a ',' or ':'): for these
// "far" rules the window reaches, both ways from the screen's zone, to the
// nearest byte none of them holds (the bytes all of them leave out, so the
// one walk bounds each), then one character and two bytes further as the
// screen's window does; within kMaxWalk bytes, else no window (locate the
// whole note). The stop bytes bound the matches Vectorscan reports under the
// locator's flags (match/rule_locator.h Reach); the argument for the zone
// is in match/screen_window.h.

#ifndef LIBSUGGEST_SRC_MATCH_RULE_LOCATOR_AGAIN_H_
#define LIBSUGGEST_SRC_MATCH_RULE_LOCATOR_AGAIN_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "match/rule_locator.h"
#include "match/screen_window.h"

namespace suggest::internal {

class LocateWindow {
 public:
  // Off: Find always says "scan it all".
  LocateWindow() = default;
  // From the reach of every located rule (RuleLocator::LocatedReach); off
  // if some rule is bounded no way at all, or `each` is empty.
  explicit LocateWindow(const std::vector<RuleLocator::Reach>& each);

  bool on() const { return on_; }
  // As ScreenWindow::Find, for every located rule: [*begin, *end) holds
  // every match of `text` that is not also a match of an earlier text
  // sharing its first `prefix` and last `suffix` bytes, with its context.
  // False if off, or a far rule's bound is not found within kMaxWalk.
  bool Find(std::string_view text, size_t prefix, size_t suffix, size_t* begin,
            size_t* end) const;

  static constexpr size_t kMaxWalk = 4096;

 private:
  ScreenWindow near_;           // the rules the screen's window bounds
  std::vector<bool> far_stop_;  // bytes no far rule's match holds; empty: none
  bool on_ = false;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MATCH_RULE_LOCATOR_AGAIN_H_
