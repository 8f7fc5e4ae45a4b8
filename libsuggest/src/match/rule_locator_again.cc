// Copyright libsuggest authors.
//
// RuleLocator::LocateAgain (match/rule_locator.h): a live session's locator
// windows of an edited text from those of the text before the edit, with a
// Vectorscan scan of only a window around the edit. Kept apart from the
// whole-note scan of rule_locator.cc.
//
// What FindAll needs of the windows (rule_locator.h): for each located rule,
// sorted regions, any two of which neither overlap nor touch, such that
// every match Vectorscan would report for the rule in the whole text lies
// inside one region. Locate's regions are such (each match lies in the
// window of its end, and windows that meet are merged); FindAll's answer is
// then that of a run over the whole range, whatever the regions are
// otherwise. So the windows made here need that property, not Locate's
// exact regions.
//
// The argument. The earlier text E (n0 bytes) and the new one T (n1 bytes)
// share their first p and last s bytes (p + s <= min(n0, n1)); d = n1 - n0.
// As in match/screen_window.h, a match [b, e) of T with e + 4 <= p reads
// (bytes, the character before it and the one after, not the text's ends)
// only shared bytes, so it is a match of E at the same place; one with
// b >= n1 - s + 4 is a match of E at b - d. Every other match of T holds a
// byte of the zone [p - 4, n1 - s + 4), or sits in it if empty, and lies,
// with its context, inside the window [wb, we) LocateWindow::Find gives
// for the located rules' reach (rule_locator_again.h): a scan of that window alone reports its
// end, and LocateIn takes the window of that end over the whole text, as
// Locate does (a match the window's cut ends invent only adds a window).
// The new regions of a rule are then the union, merged where they meet, of
//   - each earlier region [b, e) with b < p, cut to [b, min(e, p)): it held
//     every match of E inside it, so the matches of T before the zone that
//     it held (e <= p - 4) lie in the cut piece;
//   - each earlier region with e > n0 - s, cut to [max(b, n0 - s), e) and
//     shifted by d: likewise for the matches after the zone;
//   - the windows of the scan of [wb, we).
// Every match of T lies in one of these pieces, so in one merged region.
// The rules Locate scans whole (not located, or given up in a note) are
// whole here too: if the earlier windows gave up on a rule in E, this
// returns false (Locate it whole); a rule the window's scan gives up on, or
// whose regions pass Locate's bound, is given up on here. Either way
// FindAll's matches are the same (a rule given up on is scanned whole).

#include <algorithm>
#include <cstdint>
#include <vector>

#include "match/rule_locator_again.h"

namespace suggest::internal {

namespace {

using Region = RuleWindows::Region;

// Appends r (begin not before the last region's) to *out, merged into the
// last region if they meet, as Locate merges.
void Add(std::vector<Region>* out, Region r) {
  if (!out->empty() && r.begin <= out->back().end) {
    out->back().end = std::max(out->back().end, r.end);
    return;
  }
  out->push_back(r);
}

// The edit as the pieces above need it.
struct Edit {
  uint32_t prefix;        // p
  uint32_t suffix_from;   // n0 - s: where the shared suffix starts in E
  int64_t shift;          // d
};

// The earlier regions `old` (sorted, apart) cut to the shared bytes and
// shifted, merged with `fresh` (the window scan's, sorted by begin) into
// *out.
void MergeRule(const std::vector<Region>& old, const std::vector<Region>& fresh, const Edit& ed,
               std::vector<Region>* out) {
  out->clear();
  size_t f = 0;
  auto add = [&](Region r) {
    for (; f < fresh.size() && fresh[f].begin <= r.begin; ++f) Add(out, fresh[f]);
    Add(out, r);
  };
  for (const Region& r : old) {
    if (r.begin < ed.prefix) add({r.begin, std::min(r.end, ed.prefix)});
    if (r.end > ed.suffix_from) {
      const uint32_t b = std::max(r.begin, ed.suffix_from);
      add({static_cast<uint32_t>(b + ed.shift), static_cast<uint32_t>(r.end + ed.shift)});
    }
  }
  for (; f < fresh.size(); ++f) Add(out, fresh[f]);
}

// True if `old` has no region that the edit cuts (one holding a byte of
// [p, n0 - s), or reaching into it, or touching both sides): its regions
// then only stay or shift, and none of them meets another after the shift.
bool OnlyShifts(const std::vector<Region>& old, const Edit& ed) {
  const auto first_after = std::partition_point(
      old.begin(), old.end(), [&](const Region& r) { return r.begin < ed.prefix; });
  if (first_after != old.begin() && std::prev(first_after)->end > ed.prefix) return false;
  if (first_after == old.end()) return true;
  if (first_after->begin < ed.suffix_from) return false;
  return first_after == old.begin() ||
         std::prev(first_after)->end < static_cast<uint32_t>(first_after->begin + ed.shift);
}

// Whether the screen's window bounds a rule near the edit: a width it
// takes, a non-blank count, or a '.' the rule never holds or holds only
// last. A rule bounded only by ';' (rare in prose) or other bytes is far.
bool Near(const RuleLocator::Reach& r) {
  auto has = [](const std::vector<bool>& t, unsigned char c) { return c < t.size() && t[c]; };
  return (r.width > 0 && r.width <= ScreenWindow::kMaxReach) || r.nonspace > 0 ||
         has(r.stop, '.') || has(r.last, '.');
}

// The start of the UTF-8 character holding byte i.
size_t CharStart(std::string_view text, size_t i) {
  while (i > 0 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  return i;
}

// The first character boundary at or after i (or the text's end).
size_t CharBoundary(std::string_view text, size_t i) {
  while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  return std::min(i, text.size());
}

}  // namespace

LocateWindow::LocateWindow(const std::vector<RuleLocator::Reach>& each) {
  if (each.empty()) return;
  std::vector<RuleLocator::Reach> near;
  for (const RuleLocator::Reach& r : each) {
    if (Near(r)) {
      near.push_back(r);
      continue;
    }
    if (r.stop.size() != 256) return;  // bounded no way: off
    if (far_stop_.empty()) far_stop_.assign(256, true);
    for (size_t c = 0; c < 256; ++c) far_stop_[c] = far_stop_[c] && r.stop[c];
  }
  if (!near.empty()) {
    near_ = ScreenWindow(near);
    if (!near_.on()) return;
  }
  on_ = true;
}

bool LocateWindow::Find(std::string_view text, size_t prefix, size_t suffix, size_t* begin,
                        size_t* end) const {
  const size_t n = text.size();
  if (!on_ || prefix + suffix > n) return false;
  // The screen's zone (match/screen_window.h).
  const size_t zone_begin = prefix >= 4 ? prefix - 4 : 0;
  const size_t zone_end = std::min(n - suffix + 4, n);
  *begin = zone_begin;
  *end = zone_end;
  if (near_.on() && !near_.Find(text, prefix, suffix, begin, end)) return false;
  if (far_stop_.empty()) return true;
  // Back to the last far stop byte before the zone (the character before a
  // match), forward to the first at or after it, plus two bytes ($).
  size_t b = zone_begin;
  while (b > 0 && !far_stop_[static_cast<unsigned char>(text[b - 1])]) {
    if (zone_begin - b >= kMaxWalk) return false;
    --b;
  }
  if (b > 0) --b;
  size_t e = zone_end;
  while (e < n && !far_stop_[static_cast<unsigned char>(text[e])]) {
    if (e - zone_end >= kMaxWalk) return false;
    ++e;
  }
  *begin = std::min(*begin, CharStart(text, b));
  *end = std::max(*end, CharBoundary(text, std::min(e + 2, n)));
  return true;
}

std::vector<RuleLocator::Reach> RuleLocator::LocatedReach() const {
  std::vector<Reach> out;
  if (reach_.size() != located_.size()) return out;
  for (size_t g = 0; g < located_.size(); ++g)
    if (located_[g]) out.push_back(reach_[g]);
  return out;
}

bool RuleLocator::LocateAgain(std::string_view text, const LocateWindow& window,
                              size_t earlier_size, size_t prefix, size_t suffix,
                              RuleWindows* windows, RuleWindows* scratch) const {
  const size_t n1 = text.size();
  if (!active_ || !window.on() || n1 > 0xFFFFFFFFull || earlier_size > 0xFFFFFFFFull ||
      prefix + suffix > std::min(earlier_size, n1) || windows->packs_ != packs_ ||
      windows->located_.size() != located_.size() ||
      windows->regions_.size() != located_.size())
    return false;
  for (size_t g = 0; g < located_.size(); ++g)
    if (located_[g] && !windows->located_[g]) return false;  // gave up on it in E
  size_t wb = 0, we = 0;
  // A window over half the text costs about a whole scan, and more to merge.
  if (!window.Find(text, prefix, suffix, &wb, &we) || we - wb > n1 / 2) return false;
  if (!LocateIn(text, wb, we, scratch)) return false;
  const Edit ed{static_cast<uint32_t>(prefix), static_cast<uint32_t>(earlier_size - suffix),
                static_cast<int64_t>(n1) - static_cast<int64_t>(earlier_size)};
  const size_t max_regions = 4096 + n1 / 512;  // Locate's bound
  std::vector<Region> merged;
  for (size_t g = 0; g < located_.size(); ++g) {
    if (!located_[g]) continue;
    std::vector<Region>& old = windows->regions_[g];
    std::vector<Region>& fresh = scratch->regions_[g];
    if (!scratch->located_[g]) {  // the scan gave up on it: scanned whole
      windows->located_[g] = false;
      std::vector<Region>().swap(old);
      continue;
    }
    if (fresh.empty() && OnlyShifts(old, ed)) {
      for (Region& r : old)
        if (r.begin >= ed.suffix_from)
          r = {static_cast<uint32_t>(r.begin + ed.shift), static_cast<uint32_t>(r.end + ed.shift)};
      continue;
    }
    std::sort(fresh.begin(), fresh.end(),
              [](const Region& a, const Region& b) { return a.begin < b.begin; });
    MergeRule(old, fresh, ed, &merged);
    if (merged.size() > max_regions) {
      windows->located_[g] = false;
      std::vector<Region>().swap(old);
      continue;
    }
    old.assign(merged.begin(), merged.end());
  }
  // The regional rules are scanned afresh, range by range, in every pass.
  ResetRegional(windows);
  return true;
}

}  // namespace suggest::internal
