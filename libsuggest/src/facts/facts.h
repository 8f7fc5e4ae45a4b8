// Copyright libsuggest authors.
//
// Facts: turns concept matches (the concept packs of models/manifest.toml:
// fusion, ankylosis, ankylosing_spondylitis, dish, congenital,
// pseudarthrosis, imaging), vertebral levels and assertions into Fact values
// (design.md section 3). What each kind does is its role in the manifest.
//
// Linking policy (docs/rules.md "Facts"):
//  - a fact takes the levels of its own sentence; when a sentence states
//    several facts, each level goes to the nearest fact (by characters);
//  - generic words (fusion, arthrodesis, fused, ankylosis...) marked
//    needs_spine_context count only in a sentence that also names a level,
//    a region word or a spine word (levels.toml level_spine_context);
//  - overlapping matches of one kind merge into one fact;
//  - fusion_procedure.when: hypothetical -> planned; historical -> prior;
//    present in an operative note's procedure text -> performed_this_encounter;
//    present elsewhere -> prior (a fusion that exists was done before).

#ifndef LIBSUGGEST_SRC_FACTS_FACTS_H_
#define LIBSUGGEST_SRC_FACTS_FACTS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "context/assertion.h"
#include "facts/levels.h"
#include "facts/manifest.h"
#include "match/prescreen.h"
#include "match/rule_locator.h"
#include "match/rule_locator_again.h"
#include "match/rule_pack.h"
#include "match/screen_window.h"
#include "suggest/status.h"
#include "suggest/types.h"
#include "text/normalize.h"
#include "text/original_stash.h"
#include "text/sectionizer.h"
#include "text/tokenizer.h"

namespace suggest::internal {

class FactExtractor {
 public:
  // Loads the packs the manifest lists from models_dir/rules/ and keeps the
  // level extractor, assertion rules and section rules it is given (shared,
  // immutable). Without `sections`, models_dir/sections.toml is loaded: the
  // roles of section kinds (background, operative, report ...) steer timing
  // and imaging reports. Without `manifest`, models_dir/manifest.toml is
  // loaded: the packs and the roles of their rules' kinds (every rule's kind
  // must be declared there; Manifest::PackFiles() are the files read).
  static StatusOr<std::shared_ptr<const FactExtractor>> Load(
      const std::string& models_dir, const Normalizer& normalizer,
      std::shared_ptr<const LevelExtractor> levels,
      std::shared_ptr<const AssertionRules> assertion, std::vector<std::string>* seen_ids,
      std::shared_ptr<const SectionRules> sections = nullptr,
      std::shared_ptr<const Manifest> manifest = nullptr);

  // The same load with the level extractor and the assertion rules handed
  // over at its end: the load only keeps them, so Model::Load reads their
  // files on another core meanwhile. `stages` is called once, at the end of
  // a load that succeeded.
  struct Stages {
    std::shared_ptr<const LevelExtractor> levels;
    std::shared_ptr<const AssertionRules> assertion;
  };
  static StatusOr<std::shared_ptr<const FactExtractor>> Load(
      const std::string& models_dir, const Normalizer& normalizer,
      const std::function<Stages()>& stages, std::vector<std::string>* seen_ids,
      std::shared_ptr<const SectionRules> sections, std::shared_ptr<const Manifest> manifest);

  // What the prescreen says of the caller's original bytes (kNoMatch: the
  // note cannot hold a fact, without normalizing it; match/prescreen.h).
  Prescreen::Verdict ScreenOriginal(std::string_view original) const {
    return prescreen_->ScreenOriginal(original);
  }

  // True if no concept pack matches anywhere: the note cannot hold a fact.
  // `original` is ScreenOriginal's verdict on the same note, if it was
  // asked: after kMayMatch the prescreen is not run again on `normalized`.
  bool CannotMatch(std::string_view normalized,
                   Prescreen::Verdict original = Prescreen::Verdict::kCannotTell) const;

  // For a live session (api/session_hook.h): what CannotMatch found in a
  // normalized text, kept for the session's next pass. A screen that found
  // a match says where one ends (Vectorscan), or where one is (RE2).
  struct ScreenMemo {
    bool valid = false;
    size_t size = 0;             // of the normalized text
    bool vs_none = false;        // Vectorscan met no match anywhere
    bool vs_match = false;       // Vectorscan met a match of prefilter rule
    unsigned vs_rule = 0;        // vs_rule ending at vs_end
    size_t vs_end = 0;
    bool re2_match = false;      // a prefilter rule matches [re2_begin, re2_end)
    size_t re2_begin = 0;
    size_t re2_end = 0;
  };
  // CannotMatch(normalized, original), recording what it found in *memo.
  bool CannotMatch(std::string_view normalized, Prescreen::Verdict original,
                   ScreenMemo* memo) const;
  // The same answer, from the memo of an earlier normalized text that
  // shares its first `prefix` and last `suffix` bytes with `normalized`: a
  // match the earlier screens found that lies, with the byte on each side,
  // in those shared bytes is a match of `normalized` too, and settles that
  // screen without a scan; and where Vectorscan met no match at all in the
  // earlier text, only a window around the edit is scanned again
  // (match/screen_window.h). Records this pass's memo in *memo.
  bool CannotMatchAgain(std::string_view normalized, Prescreen::Verdict original,
                        const ScreenMemo& earlier, size_t prefix, size_t suffix,
                        ScreenMemo* memo) const;

  // The two screens behind CannotMatch and ScreenOriginal (for benchmarks
  // and tests).
  const PatternSet& prefilter() const { return *prefilter_; }
  const Prescreen& prescreen() const { return *prescreen_; }
  // The rules behind both screens, in their pattern order, and the pattern
  // each has in the screen of original bytes (Prescreen::Build): for
  // bench/locator_cost's price of each rule in the prescreen.
  struct ScreenRule {
    const RulePack* pack;
    const Rule* rule;
    std::string original;  // its pattern in the screen of original bytes
    std::string exact;     // "" or, when `original` is a cheaper first stage, the second
  };
  const std::vector<ScreenRule>& screen_rules() const { return screen_rules_; }
  const ScreenWindow& screen_window() const { return screen_window_; }
  const LocateWindow& locator_window() const { return locator_window_; }

  // Facts of one note, in document order, ids 0..n-1. `original` is the
  // caller's text that `nt` normalizes (rules may look at its letter case).
  // `report` (if given) records what the scans could not do: some rule had
  // more than kMaxMatchesPerRule matches in one scan (truncated), or a
  // pattern set could not answer (failed: the facts are incomplete and the
  // caller must return an error, not them; match/rule_pack.h).
  // `options` (may be null): the record's date_of_service and setting, which
  // date a fusion written with a date (docs/icd-mapping.md "Timing").
  // `memo` (may be null): a live session's memo of the per-unit scans
  // (UnitMemo below); the same facts with or without it.
  // `released` (may be null): the caller's text has been released
  // (Model::AnalyzeInPlace); `original` is not read, its bytes come from
  // this stash.
  class UnitMemo;
  std::vector<Fact> Extract(std::string_view original, const NormalizedText& nt,
                            const std::vector<Section>& sections,
                            const std::vector<Sentence>& sentences,
                            ScanReport* report = nullptr,
                            const AnalyzeOptions* options = nullptr,
                            UnitMemo* memo = nullptr,
                            const OriginalStash* released = nullptr) const;

  // Extract's facts, without the note's sentences: the pass splits only the
  // sections that hold a concept match, which are all the sentences Extract
  // reads (facts.cc SplitSectionsWithMatches has the argument), so a long
  // note whose concepts are few pays the splitter where they are. For a
  // caller that does not report the sentences (Model::Analyze without the
  // text layer); no live session's memo. Fact::sentence is -1.
  std::vector<Fact> ExtractSplitting(std::string_view original, const NormalizedText& nt,
                                     const std::vector<Section>& sections,
                                     ScanReport* report = nullptr,
                                     const AnalyzeOptions* options = nullptr,
                                     const OriginalStash* released = nullptr) const;

  // For a live session: the rule locator's windows of the latest pass's
  // normalized text, which the next pass makes its own by scanning only
  // around the edit (RuleLocator::LocateAgain). Positional, unlike the
  // unit scans: the session says when they are of the text the pass's
  // normalization was spliced from.
  struct LocatorMemo {
    // In (the session and model.cc set them before a pass): `windows` are
    // of an earlier normalized text of `size` bytes that shares its first
    // `prefix` and last `suffix` bytes with this pass's. Else (false) the
    // pass locates the whole note.
    bool usable = false;
    size_t prefix = 0;
    size_t suffix = 0;
    // In and out.
    size_t size = 0;
    RuleWindows windows;
    RuleWindows scratch;  // LocateAgain's, kept for its allocations
    // Out: the pass located (`windows` and `size` are of its normalized
    // text), and whether only around the edit.
    bool located = false;
    bool again = false;
  };

  // For a live session (api/session_hook.h): the levels and anchor matches
  // of the units (sentences, lines) an earlier Extract read, by the bytes
  // those scans read (facts.cc UnitScans has the argument), so a unit the
  // edit left alone is not scanned again. Made by the session, filled and
  // read by Extract; holds the units of the latest Extract only. Also
  // holds the locator's windows of the latest pass (LocatorMemo).
  class UnitMemo {
   public:
    UnitMemo();
    ~UnitMemo();
    UnitMemo(const UnitMemo&) = delete;
    UnitMemo& operator=(const UnitMemo&) = delete;
    // Scans of the latest pass taken from the memo / done (for tests).
    size_t reused() const;
    size_t scanned() const;
    struct Impl;
    Impl& impl() { return *impl_; }
    LocatorMemo& locator() { return locator_; }

   private:
    std::unique_ptr<Impl> impl_;
    LocatorMemo locator_;
  };

  // Where the note-wide packs' rules can match (match/rule_locator.h).
  const RuleLocator& locator() const { return *locator_; }

  // The packs, in the order they are matched (for tools and tests).
  const std::vector<std::shared_ptr<const RulePack>>& packs() const { return packs_; }
  // encounter.toml, which the locator covers too (for tests).
  const RulePack& encounter_pack() const { return *encounter_; }

  // What Load noticed, one line each, for the caller's debug log (this
  // library does not log): a screen turned off and why, rules the locator
  // scans whole. Rule ids and reasons only, never note text.
  const std::vector<std::string>& load_notes() const { return load_notes_; }

 private:
  // One Extract call: the note's state and its steps (facts.cc).
  class NotePass;
  bool NoMatchNearEdit(std::string_view text, size_t prefix, size_t suffix) const;
  FactExtractor() = default;
  std::vector<std::shared_ptr<const RulePack>> packs_;
  // Every rule that can start a fact (not modality words, anchors or spine
  // context): one pass decides whether a note needs the facts stage.
  std::unique_ptr<const PatternSet> prefilter_;
  std::unique_ptr<const Prescreen> prescreen_;  // the same rules, in Vectorscan
  std::vector<ScreenRule> screen_rules_;
  std::unique_ptr<const RuleLocator> locator_;  // concept packs, anchors, encounter
  // By anchors rule index: the rules the note-wide questions read (spine
  // words, exam and content regions) and those not in the locator's
  // regional database; the others are asked per unit only.
  std::vector<bool> note_wide_anchors_;
  ScreenWindow screen_window_;  // the prescreen's patterns' reach (off if unknown)
  LocateWindow locator_window_;  // the located rules' reach (off if unknown)
  std::shared_ptr<const RulePack> encounter_;      // note-level timing (encounter.toml)
  std::shared_ptr<const RulePack> clause_timing_;  // sentence-level timing (timing.toml)
  std::shared_ptr<const LevelExtractor> levels_;
  std::shared_ptr<const AssertionRules> assertion_;
  std::vector<std::string> load_notes_;
  std::shared_ptr<const SectionRules> sections_;
  std::shared_ptr<const Manifest> manifest_;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_FACTS_FACTS_H_
