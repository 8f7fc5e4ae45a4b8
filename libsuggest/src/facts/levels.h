// Copyright libsuggest authors.
//
// Vertebral levels: finds level expressions in the normalized view of a note
// and turns them into vertebrae, adjacent segments and ICD-10-CM regions
// (design.md section 3). The wording lives in models/rules/levels.toml; this
// module holds range expansion, list chaining and the trust policy, over the
// anatomy of facts/anatomy.h (which vertebrae exist, what is adjacent,
// regions). docs/rules.md ("Levels") explains the split.
//
//   auto levels = LevelExtractor::Load(models + "/rules/levels.toml", *normalizer, nullptr);
//   for (const LevelMention& m : (*levels)->Extract(nt.text, s.begin, s.end, "lumbar")) ...
//
// Names used in the output:
//   vertebrae  "O" (occiput, also written C0), "C1".."C7", "T1".."T12" (D1..D12
//              are T), "L1".."L5", "L6" (only when the text writes L6),
//              "S1".."S5", "Co" (coccyx). C8 is a nerve root, not a vertebra:
//              an expression naming C8 yields nothing.
//   segments   two adjacent vertebrae, cranial first: "O-C1", "C5-C6",
//              "C7-T1", "T12-L1", "L5-S1", "L5-L6", "L6-S1", "S1-S2", "S5-Co".
//   regions    occipito_atlanto_axial, cervical, cervicothoracic, thoracic,
//              thoracolumbar, lumbar, lumbosacral, sacral_sacrococcygeal.

#ifndef LIBSUGGEST_SRC_FACTS_LEVELS_H_
#define LIBSUGGEST_SRC_FACTS_LEVELS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "facts/anatomy.h"  // Vertebra, Segment, Region, AllRegions, RegionOfSegment
#include "match/rule_pack.h"
#include "suggest/status.h"

namespace suggest::internal {

class Normalizer;

// Which surface form produced a mention (for debugging and for consumers that
// trust some forms more than others).
enum class LevelForm : uint8_t {
  kRange,        // C5-C6, C5-6, C5/6, C 5-6, C-5 to C-6, C5 through C7, O-C2, L4 to the sacrum
  kSingle,       // C5, L-1, D12
  kList,         // L4-5 and L5-S1; C5, C6 and C7; C4-5, 5-6 and 6-7; L3-4 through L5-S1
  kBareNumeric,  // at the 4-5 level (letter from a region word or the hint)
  kOrdinal,      // fifth cervical; fourth and fifth lumbar
  kJunction,     // lumbosacral junction
  kRegionWord,   // lumbar, cervical spine (a region without levels)
};
const char* LevelFormName(LevelForm form);

struct LevelMention {
  uint32_t begin = 0;  // normalized byte range of the whole expression
  uint32_t end = 0;
  LevelForm form = LevelForm::kSingle;
  // Adjacent pairs, cranial to caudal, no duplicates. Ranges are expanded
  // (L4-S1 -> L4-L5, L5-S1). Single vertebrae of a list that are consecutive
  // also form segments ("C5, C6 and C7" -> C5-C6, C6-C7) unless the mention
  // names nerve roots.
  std::vector<std::string> segments;
  // Vertebrae named on their own (not as an end of a range), in text order:
  // "C5 nerve root" -> C5; "C5, C6 and C7" -> C5, C6, C7.
  std::vector<std::string> vertebrae;
  // Regions of the segments, of the lone vertebrae, or of the region word,
  // cranial to caudal, no duplicates.
  std::vector<std::string> regions;
  // A nerve-root cue touches the mention ("C5 nerve root", "roots at T11").
  bool nerve_root = false;
  // Id of the rule that started the mention.
  std::string rule_id;
};

class LevelExtractor {
 public:
  // Loads models/rules/levels.toml through RulePack::Load and checks the
  // level-specific contract (one lexicon, known region names, parseable
  // lexicon values and junction segments).
  static StatusOr<std::shared_ptr<const LevelExtractor>> Load(const std::string& path,
                                                              const Normalizer& normalizer,
                                                              std::vector<std::string>* seen_ids);
  static StatusOr<std::shared_ptr<const LevelExtractor>> Create(
      std::shared_ptr<const RulePack> pack);

  // Level mentions in text[begin, end) of a normalized view, ordered by
  // begin. `region_hint` ("lumbar", "cervical", ...) supplies the letter for
  // bare numbers ("at the 4-5 level") when no region word is in the range.
  // Thread-safe. `report` (if given) records what the scan could not do: a
  // level rule with more than kMaxMatchesPerRule matches in the range, a
  // pattern set that could not answer (rule_pack.h).
  std::vector<LevelMention> Extract(std::string_view text, uint32_t begin, uint32_t end,
                                    std::string_view region_hint = {},
                                    ScanReport* report = nullptr,
                                    const RuleWindows* windows = nullptr) const;

  // Regions and junction segments named by a (normalized) phrase, without
  // requiring spine context: "lumbar fusion" -> {lumbar}, "cervical spine" ->
  // {cervical}, "lumbosacral junction" -> {lumbosacral} + segment L5-S1.
  struct PhraseRegions {
    std::vector<std::string> regions;
    std::vector<std::string> segments;
  };
  // `windows` (optional) must have been located on `phrase` itself.
  PhraseRegions RegionsOfPhrase(std::string_view phrase, ScanReport* report = nullptr,
                                const RuleWindows* windows = nullptr) const;

  const RulePack& pack() const { return *pack_; }

  // Opaque per-rule data and lexicon; public only so levels.cc helpers can
  // name them.
  struct RuleInfo;
  struct Lexicon;
  struct HeadSet;

  ~LevelExtractor();
  LevelExtractor(const LevelExtractor&) = delete;
  LevelExtractor& operator=(const LevelExtractor&) = delete;

 private:
  LevelExtractor();
  std::shared_ptr<const RulePack> pack_;
  std::vector<RuleInfo> info_;  // by rule index
  std::unique_ptr<Lexicon> lexicon_;
  std::unique_ptr<HeadSet> heads_;  // prefilter: rules that can start a mention
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_FACTS_LEVELS_H_
