// Copyright libsuggest authors.
//
// The manifest of the rule packs (models/manifest.toml, docs/rules.md "The
// manifest"): which packs the facts stage reads, and every kind their rules
// may use with its roles. Kind names are data; the C++ asks a kind's role
// (Is), never its name. Only manifest.cc maps role names to KindRole.

#ifndef LIBSUGGEST_SRC_FACTS_MANIFEST_H_
#define LIBSUGGEST_SRC_FACTS_MANIFEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "match/rule_pack.h"
#include "suggest/status.h"

namespace suggest::internal {

// What the mechanisms of facts/ and map/ do with a kind (models/manifest.toml
// header comment lists what each does). Bits: a kind may have several.
enum class KindRole : uint64_t {
  // Concept kinds (facts).
  kSurgicalFusion = 1u << 0,     // "surgical_fusion": an operation, gets `when`
  kAcquiredAnkylosis = 1u << 1,  // "acquired_ankylosis": what a bare fusion becomes (one kind)
  kAbsorbsFusionWord = 1u << 2,  // "absorbs_fusion_word": "failed fusion" is this diagnosis
  kDocumentsCause = 1u << 3,     // "documents_cause": an imaging fusion's cause is known
  kConflictChecked = 1u << 4,    // "conflict_checked": negated vs affirmed -> a gap
  kRequiresFusion = 1u << 5,     // "requires_fusion": not_coded requires_fusion
  kImagingFinding = 1u << 6,     // "imaging_finding"
  kImagingModality = 1u << 7,    // "imaging_modality": a modality word, not a fact
  // The anchors pack.
  kLevelAnchor = 1u << 8,     // "level_anchor": competes with facts for levels
  kSpineWord = 1u << 9,       // "spine_word": spine context
  kNonspinalJoint = 1u << 10,  // "nonspinal_joint": drops the kinds of its `drops`
  kExamRegion = 1u << 11,     // "exam_region": the exam line's region
  kContentRegion = 1u << 12,  // "content_region": a report's content's region
  // The note cues pack.
  kOperativeTitle = 1u << 13,      // "operative_title"
  kOperativeNarrative = 1u << 14,  // "operative_narrative": `min` of them
  kWrittenInStay = 1u << 15,       // "written_in_stay"
  kDischargeSummary = 1u << 16,    // "discharge_summary"
  kAdmissionDate = 1u << 17,       // "admission_date"
  kServiceDate = 1u << 18,         // "service_date"
  // The sentence cues pack.
  kSameStay = 1u << 19,         // "same_stay"
  kDatedBefore = 1u << 20,      // "dated_before"
  kOperativeAction = 1u << 21,  // "operative_action"
  kSurgicalWord = 1u << 22,     // "surgical_word"
  kDeniesSurgery = 1u << 23,    // "denies_surgery"
  kDate = 1u << 24,             // "date"
  kAcquiredCause = 1u << 25,    // "acquired_cause"
  kEarlierStay = 1u << 26,      // "earlier_stay"
  // The note cues pack, again (bits in order of addition).
  kAfterDischarge = 1u << 27,  // "after_discharge": an outpatient visit after the stay
  kOperationDate = 1u << 28,   // "operation_date": the date of the note's operation
  kDeniesSpineSurgery = 1u << 29,  // "denies_spine_surgery": the note denies past spine surgery
  // The sentence cues pack, again.
  kRepairsComplication = 1u << 30,   // "repairs_complication": a complication repaired before
  kComplicationPersists = 1u << 31,  // "complication_persists": it is there all the same
  kPatientReport = 1ull << 32,  // "patient_report": the fusion told as the patient's account
  // The note cues pack, again (amend16).
  kOpensCorrection = 1ull << 33,  // "opens_correction": a later statement corrects the note
  kRetractsSurgery = 1ull << 34,  // "retracts_surgery": inside a correction, no surgery was done
  kReplacesLevel = 1ull << 35,    // "replaces_level": inside a correction, "L5-S1, not L4-L5"
  // Dates written day first (timing18): the note cues pack, then the sentence cues.
  kDayFirstDate = 1ull << 36,    // "day_first_date": a date only a day-first reading makes valid
  kMonthFirstDate = 1ull << 37,  // "month_first_date": a date only a month-first reading makes valid
  kTellsDone = 1ull << 38,       // "tells_done": the sentence tells its operation as done
  kDeniesAnySurgery = 1ull << 39,  // "denies_any_surgery": the note denies any past surgery
  // The anchors pack, again (ocr20).
  kLevelsField = 1ull << 40,  // "levels_field": a form's levels field for the item before it
  // The note cues pack, again (who21).
  kProposesOperations = 1ull << 41,  // "proposes_operations": a payer request's title
  // The note cues pack, again (dates24).
  kOpensDocument = 1ull << 42,  // "opens_document": a pasted document's dated title
};

// What a mechanism does with an imaging finding: the roles of a value of an
// imaging_finding rule's `finding` attribute, declared in manifest.toml
// [findings] (names in quotes).
enum class FindingRole : uint32_t {
  kConfirmsFusion = 1u << 0,  // "confirms_fusion": the image shows a fused segment
  kExistingFusion = 1u << 1,  // "existing_fusion": the fusion it names was done before
  kHardware = 1u << 2,        // "hardware": fusion hardware, so surgery was done
};

// The sorts of listed packs; a kind's roles must belong to its pack's sort.
enum class PackSort { kConcept, kAnchors, kNoteCues, kSentenceCues };

class Manifest {
 public:
  // Parses models/manifest.toml (schema_version 1). Every error of the file
  // is reported (util/load_errors.h): unknown keys, a missing [packs] entry,
  // a pack without its file rules/<name>.toml beside the manifest, a pack
  // listed twice, an unknown role (the allowed ones listed, "did you mean"),
  // not exactly one acquired_ankylosis kind, an unknown role of a finding in
  // [findings] (optional table). The pack files are looked for
  // in `rules_dir`, by default the folder rules/ beside the manifest.
  static StatusOr<Manifest> Load(const std::string& path, const std::string& rules_dir = "");

  const std::string& path() const { return path_; }
  const std::vector<std::string>& concept_packs() const { return concepts_; }
  const std::string& anchors_pack() const { return anchors_; }
  const std::string& note_cues_pack() const { return note_cues_; }
  const std::string& sentence_cues_pack() const { return sentence_cues_; }
  // The pack files, relative to the models folder ("rules/fusion.toml"):
  // the concept packs in order, then anchors, note cues, sentence cues.
  std::vector<std::string> PackFiles() const;

  bool Knows(std::string_view kind) const { return roles_.find(kind) != roles_.end(); }
  // True if `kind` is declared with `role`; false for an unknown kind.
  bool Is(std::string_view kind, KindRole role) const {
    auto it = roles_.find(kind);
    return it != roles_.end() && (it->second & static_cast<uint64_t>(role)) != 0;
  }
  // The declared kinds, in the order of [kinds].
  std::vector<std::string> Kinds() const;
  // The kinds with `role`, in the order of [kinds].
  std::vector<std::string> KindsWith(KindRole role) const;
  // True if the imaging finding value `finding` is declared with `role`.
  bool FindingIs(std::string_view finding, FindingRole role) const {
    auto it = findings_.find(finding);
    return it != findings_.end() && (it->second & static_cast<uint32_t>(role)) != 0;
  }
  // The one kind with acquired_ankylosis (the loader requires exactly one).
  const std::string& acquired_ankylosis() const { return acquired_ankylosis_; }
  // [complication_of_fusion] (optional table): the words that may stand
  // between a complication and the fusion it names ("nonunion of the L4-5
  // fusion"): `relation` first, then only `filler` words and levels. Both
  // lower case; empty when the table is absent (no complication names one).
  const std::vector<std::string>& complication_relation() const { return relation_; }
  const std::vector<std::string>& complication_filler() const { return filler_; }
  // Words that tell the repair of a complication written just before a
  // fusion ("L4-L5 pseudarthrosis s/p revision fusion"): the fusion is that
  // repair, of the complication's levels ([complication_of_fusion] repair).
  const std::vector<std::string>& complication_repair() const { return repair_; }
  // `relative` (optional): the relative pronouns that open a clause about the
  // fusion written just before ("an L4-5 fusion which has failed to fuse").
  const std::vector<std::string>& complication_relative() const { return relative_; }

  // The load error of `rule` (of the pack file `path`, of sort `sort`) whose
  // kind is not declared, or has a role of another sort of pack, or that is
  // an imaging finding whose `finding` value [findings] does not declare; OK
  // if fine.
  Status CheckRule(const std::string& path, const Rule& rule, PackSort sort) const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::string path_;
  std::vector<std::string> concepts_;
  std::string anchors_, note_cues_, sentence_cues_;
  std::vector<std::pair<std::string, uint64_t>> kinds_;  // in declaration order
  std::unordered_map<std::string, uint64_t, Hash, std::equal_to<>> roles_;
  std::string acquired_ankylosis_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> findings_;  // [findings]
  std::vector<std::string> relation_, filler_, relative_, repair_;  // [complication_of_fusion]
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_FACTS_MANIFEST_H_
