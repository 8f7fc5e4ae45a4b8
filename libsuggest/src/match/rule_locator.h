// Copyright libsuggest authors.
//
// One scan of a note that says where each rule of some packs can match, so
// RulePack::FindAll runs RE2 only there (issue 18: cost per byte independent
// of note size and of how many rules match).
//
// The rules' patterns are compiled into one Vectorscan database (UTF-8
// mode, all matches; caseless only where a pattern's case can matter on the
// normalized view: prescreen.h CaseMatters). For every end offset t of a match of
// rule r the scan gives a window [s, t] that holds every match of r ending
// at t, in one of these ways:
//  - by width: a rule whose matches are at most w bytes wide
//    (hs_expression_info; w <= 1,024) takes [t - w, t];
//  - by stop bytes: a rule of unbounded width whose matches cannot hold some
//    ASCII bytes, '.' or a line end among them (read from its pattern: the
//    union of what its atoms match), takes [p, t] with p just after the last
//    such byte before t (at most 4,096 bytes back, else the rule is scanned
//    whole in that note). Windows by width stop there too;
//    Neither needs start tracking, which costs Vectorscan more per byte of
//    every note than the slightly wider windows cost RE2 where rules match;
//  - start tracked (HS_FLAG_SOM_LEFTMOST), the other rules: s is the
//    leftmost start of a match of r ending at t;
//  - widened: a rule Vectorscan cannot track starts for (a bounded gap such
//    as [^.;]{0,60} inside an unbounded pattern makes it too large) is
//    compiled with every X{m,n} made X* (its language holds r's), start
//    tracked: its leftmost start is at or before r's.
// Every RE2 match [a, t) of r is a match to Vectorscan too (same reading of
// \b, \w, classes and '.' on UTF-8 text; Vectorscan is caseless and its \s
// also takes VT, so it can only report more), so it lies in its window.
// Windows of one rule that share a point are merged into regions. A
// leftmost-first match that starts inside a region then ends inside it (its
// own window holds its start, so it was merged into that region), and a
// match found inside a region is a match of the whole range: RE2 run region
// by region, with the whole text as context, finds exactly the matches of
// one run over the range.
//
// An untracked rule whose pattern ends with a tail after its last unbounded
// group loop is scanned by that tail alone (LocatingTail below): the tail
// reports every end of the rule's matches, and the window of an end is the
// rule's own, so the windows still hold every match (docs/performance.md
// "CPU per byte of long notes, eighth pass").
//
// A rule none of these compiles for is located by its width however wide,
// or if unbounded not located: scanned over the whole range as before
// (logged at debug with its id). Which rules take which way is found by
// failed compiles once and kept in the disk cache beside the database
// (locator-plan-*.txt). So is a rule whose regions in one note pass a bound
// proportional to the note (4,096 + one per 512 bytes): it matches nearly
// everywhere, so its regions would cover the note anyway, and the bound
// keeps their memory small.

#ifndef LIBSUGGEST_SRC_MATCH_RULE_LOCATOR_H_
#define LIBSUGGEST_SRC_MATCH_RULE_LOCATOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "match/rule_pack.h"

namespace suggest::internal {

class LocateWindow;

// The ASCII bytes a match of `pattern` can hold only as its last byte (a
// 256-entry table, a superset of the bytes it never holds), read from the
// pattern as its stop bytes are; an empty table if it is not one sequence
// ending in an atom of at most one character, or if these bytes include
// none of the common separators. E.g. a '.' that only a final "[.;,)]"
// can match (the argument is in rule_locator.cc).
std::vector<bool> StopBytesButLast(const std::string& pattern);

// The pattern Vectorscan scans for an untracked rule (by width or stop
// bytes: its window is read from its own reach, never from where the report
// starts), or "" to scan the rule's own: what follows the last top-level
// group repeated without bound ("(?:\s+(?:spinal|lumbar|...))*"), with the
// flag groups before it, if that holds a mandatory atom led by three
// literal letters (a literal word, or a group each of whose alternatives
// begins with one). A rule's pattern is one sequence of atoms, so every
// match of it ends with a match of that tail at the same end, read in the
// same context: the tail reports every end the rule would (and more, which
// only add windows). Vectorscan runs such a loop of common words ("back",
// "spine", "and") as an automaton over every byte of the note; the tail
// starts from its literal ("fusion") instead. E.g. "\b(?:A|B)(?:\s+C)*\s+
// fusion\b" -> "\s+fusion\b". Only the top level is read: "" if it has an
// alternation, or for a construct AtomEnd does not follow.
std::string LocatingTail(const std::string& pattern);

// `pattern` with every counted repeat that has a maximum (X{m,n}, X{m,})
// made X*, else `pattern` itself: a pattern whose matches hold every match
// of the original (assertions included). A screen that asks only whether a
// rule can match needs no more, and Vectorscan's database of a widened
// pattern is smaller (bounded repeats of alternations are unrolled).
std::string WidenedOrSame(const std::string& pattern);

// The head every match of `pattern` starts with: the zero-width atoms that
// lead it ("\b") and its first group, read as LocatingTail reads a pattern
// ("\b(?:failure\s+of\s+segmentation|unsegmented\s+bars?)" of
// "\b(?:...)\b(?:[\s,]+\w+){0,7}?\s+curve"); "" if the pattern has an
// alternation at the top, a construct AtomEnd does not follow, no group
// first, or one that may match zero times ('?', '*', "{0"). For the
// prescreen (rule attribute screen = "head", facts.cc): every match of the
// rule begins with a match of its head.
std::string LeadingHead(const std::string& pattern);

// The one group of `pattern` named `acronym`, of lower-case letters and '|',
// upper-case and case-sensitive, with the "\b" the pattern writes right
// before it (through the groups it opens) and right after it (through the
// groups it closes): "\s*(?P<concept>(?P<acronym>as))\b" -> "(?-i:AS)\b".
// Read as LocatingTail reads a pattern; "" if there is no such group, or
// one a match can do without (beside an alternation of its own level or of
// any group around it, or under a quantifier). For the prescreen (rule
// attribute screen = "acronym", facts.cc): every match of a rule whose facts
// need the acronym in capitals (original_case) holds a match of it on the
// original bytes.
std::string AcronymScreen(const std::string& pattern);

class RuleLocator {
 public:
  // Never fails: without Vectorscan, or if nothing compiles, active() is
  // false and Locate does nothing. `regional` (by global rule index: the
  // packs' rules in order; may be empty): rules asked only over short ranges
  // (a sentence), which the whole-note scan leaves out; a second database
  // of them is scanned only over the ranges asked (LocateRegional).
  static std::unique_ptr<const RuleLocator> Build(const std::vector<const RulePack*>& packs,
                                                  const std::vector<bool>& regional = {});
  ~RuleLocator();
  RuleLocator(const RuleLocator&) = delete;
  RuleLocator& operator=(const RuleLocator&) = delete;

  // Scans `text` (valid UTF-8: the normalized view) once and fills `out`.
  // False (and `out` left covering nothing) if the locator is off or the
  // scan failed; FindAll without windows is then the fallback.
  bool Locate(std::string_view text, RuleWindows* out) const;

  // Regional rules (Build): Locate gives them no regions; this scans
  // text[begin, end) with one character of context each side (and a little
  // more, as LocateAgain's window) in the regional database, so that FindAll
  // over [begin, end) (or a range inside it) with `out` finds exactly the
  // matches of a run without windows: every match inside the range, with
  // its context, is inside the scanned stretch, so its end is reported and
  // its window reaches back over the whole text as Locate's do. Nothing to
  // do if one earlier call covered the range. On a failed scan the regional
  // rules are marked not located (FindAll then runs them whole: the same
  // matches). `out`: Locate's windows of `text`.
  void LocateRegional(std::string_view text, uint32_t begin, uint32_t end,
                      RuleWindows* out) const;
  // True if rule `rule` of `pack` is in the regional database.
  bool Regional(const RulePack* pack, size_t rule) const;

  bool active() const { return active_; }
  // Rules located / not located (for logs, benchmarks and tests).
  size_t located_rules() const { return located_count_; }
  const std::vector<std::string>& unlocated_rule_ids() const { return unlocated_; }
  // Located by their maximum width before each match end (no start
  // tracking in Vectorscan for them).
  const std::vector<std::string>& width_rule_ids() const { return by_width_; }
  // Located by the starts of their widened patterns.
  const std::vector<std::string>& widened_rule_ids() const { return widened_; }
  // Located back to the last byte their matches cannot hold.
  const std::vector<std::string>& stop_rule_ids() const { return by_stops_; }
  const std::string& inactive_reason() const { return inactive_reason_; }

  // How far a match of a rule can reach, read from its pattern (the plan
  // above), for a screen that rescans only around an edit: its maximum
  // width (0 if unbounded), the bytes no match of it holds (StopBytes: an
  // empty table if none worth using) and its most bytes outside its \s+
  // and \s* runs (0 if unbounded). Each is a bound on the matches Vectorscan
  // reports under the locator's flags (caseless, UTF-8). `last`: the bytes
  // a match holds at most as its last byte (StopBytesButLast below; empty
  // if none worth using). False if not known: no Vectorscan, or `pack` is
  // not one of Build's.
  struct Reach {
    uint32_t width = 0;
    std::vector<bool> stop;
    uint32_t nonspace = 0;
    std::vector<bool> last;
  };
  bool ReachOf(const RulePack* pack, size_t rule, Reach* out) const;
  // The reach of every located rule (for a ScreenWindow of them); empty if
  // some reach is not known.
  std::vector<Reach> LocatedReach() const;

  // For a live session (match/rule_locator_again.cc has the argument):
  // `*windows` holds Locate's windows (or this function's) of an earlier
  // text of `earlier_size` bytes that shares its first `prefix` and last
  // `suffix` bytes with `text`; on true they are windows of `text` that give
  // FindAll exactly the matches Locate's would, found by scanning only a
  // window around the edit (`window`: the LocateWindow of LocatedReach(),
  // match/rule_locator_again.h).
  // False (`*windows` then undefined: Locate it whole) if that window is
  // off, too wide to be worth it, or the scan failed; also if the earlier
  // windows gave up on a rule in that note. `scratch`: kept between calls
  // to save allocations.
  bool LocateAgain(std::string_view text, const LocateWindow& window, size_t earlier_size,
                   size_t prefix, size_t suffix, RuleWindows* windows,
                   RuleWindows* scratch) const;

 private:
  RuleLocator();
  // Locate's windows of the matches Vectorscan reports in text[begin, end)
  // scanned alone (on character boundaries), each reaching back over the
  // whole text as Locate's do; one region per window or run of windows
  // that meet, in end order, not sorted. False if off or the scan failed.
  bool LocateIn(std::string_view text, size_t begin, size_t end, RuleWindows* out) const;
  // The regional rules' state of a fresh Locate: located, no regions, no
  // range scanned.
  void ResetRegional(RuleWindows* out) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::pair<const RulePack*, size_t>> packs_;
  std::vector<bool> located_;  // by global rule index: in the whole-note database
  std::vector<bool> regional_;  // by global rule index: in the regional database
  std::vector<Reach> reach_;   // by global rule index; empty if not known
  std::vector<std::string> unlocated_, by_width_, widened_, by_stops_;
  size_t located_count_ = 0;
  std::string inactive_reason_;
  bool active_ = false;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MATCH_RULE_LOCATOR_H_
