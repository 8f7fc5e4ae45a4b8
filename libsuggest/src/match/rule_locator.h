// Copyright libsuggest authors.
//
// One scan of a note that says where each rule of some packs can match, so
// RulePack::FindAll runs RE2 only there (issue 18: cost per byte independent
// of note size and of how many rules match).
//
// The rules' patterns are compiled into one Vectorscan database with
// HS_FLAG_SOM_LEFTMOST: a scan reports, for every end offset t of a match of
// rule r, the leftmost start s of a match of r ending at t. Every RE2 match
// [a, t) of r is a match to Vectorscan too (same reading of \b, \w, classes
// and '.' on UTF-8 text; Vectorscan is caseless and its \s also takes VT, so
// it can only report more), so it lies in the closed window [s, t]. Windows
// of one rule that share a point are merged into regions. A leftmost-first
// match that starts inside a region then ends inside it (its own window holds
// its start, so it was merged into that region), and a match found inside a
// region is a match of the whole range: RE2 run region by region, with the
// whole text as context, finds exactly the matches of one run over the range.
//
// A rule Vectorscan cannot compile with start-of-match tracking (bounded
// gaps such as [^.;:]{0,80}? make the pattern too large for it) is compiled
// without, and its window is [t - w, t] with w its maximum match width in
// bytes (hs_expression_info), which holds every match ending at t. If its
// width is unbounded, or it does not compile at all, it is not located:
// scanned over the whole range as before (logged at debug with its id).
// Which rules take which way is found by failed compiles once and kept in
// the disk cache beside the database (locator-plan-*.txt). So is a rule whose regions in one note pass a bound proportional to
// the note (4,096 + one per 512 bytes): it matches nearly everywhere, so its
// regions would cover the note anyway, and the bound keeps their memory small.

#ifndef LIBSUGGEST_SRC_MATCH_RULE_LOCATOR_H_
#define LIBSUGGEST_SRC_MATCH_RULE_LOCATOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "match/rule_pack.h"

namespace suggest::internal {

class RuleLocator {
 public:
  // Never fails: without Vectorscan, or if nothing compiles, active() is
  // false and Locate does nothing.
  static std::unique_ptr<const RuleLocator> Build(const std::vector<const RulePack*>& packs);
  ~RuleLocator();
  RuleLocator(const RuleLocator&) = delete;
  RuleLocator& operator=(const RuleLocator&) = delete;

  // Scans `text` (valid UTF-8: the normalized view) once and fills `out`.
  // False (and `out` left covering nothing) if the locator is off or the
  // scan failed; FindAll without windows is then the fallback.
  bool Locate(std::string_view text, RuleWindows* out) const;

  bool active() const { return active_; }
  // Rules located / not located (for logs, benchmarks and tests).
  size_t located_rules() const { return located_count_; }
  const std::vector<std::string>& unlocated_rule_ids() const { return unlocated_; }
  // Located by their maximum width before each match end (no start
  // tracking in Vectorscan for them).
  const std::vector<std::string>& width_rule_ids() const { return by_width_; }
  const std::string& inactive_reason() const { return inactive_reason_; }

 private:
  RuleLocator();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::pair<const RulePack*, size_t>> packs_;
  std::vector<bool> located_;  // by global rule index
  std::vector<std::string> unlocated_, by_width_;
  size_t located_count_ = 0;
  std::string inactive_reason_;
  bool active_ = false;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MATCH_RULE_LOCATOR_H_
