// Copyright libsuggest authors.
//
// Assertion engine (ConText-style): decides whether a finding inside a
// sentence is present, negated, possible, hypothetical, historical or about a
// family member, and which cue decided it.
//
// The cue lexicon is data (models/context.toml, documented in docs/rules.md,
// "Assertion rules"). All triggers of the pack are compiled into one RE2::Set
// so a single pass over a sentence tells which modifiers can fire; only those
// are then run with RE2::Match to get their spans.
//
// Everything here works on the *normalized* view (casefolded, dashes unified,
// CRLF -> LF, see text/normalize.h); offsets are normalized byte offsets.

#ifndef LIBSUGGEST_SRC_CONTEXT_ASSERTION_H_
#define LIBSUGGEST_SRC_CONTEXT_ASSERTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "suggest/status.h"
#include "suggest/types.h"

namespace suggest::internal {

class SectionRules;

enum class ModifierCategory {
  kNegated,
  kPossible,
  kHypothetical,
  kHistorical,
  kFamily,
  kPseudo,     // looks like a trigger but is not ("no change", "not only")
  kTerminate,  // ends the scope of other triggers ("but", "however")
};

enum class ScopeDirection { kForward, kBackward, kBoth };

// One [[modifier]] table of the lexicon.
struct Modifier {
  std::string id;
  ModifierCategory category = ModifierCategory::kNegated;
  ScopeDirection direction = ScopeDirection::kForward;
  int max_scope = 8;  // words; the file's default_max_scope if not set
  // A HISTORICAL cue that puts its finding before this encounter or stay
  // ("history of", "previous", "in 2015"), unlike "s/p" ("POD 2 s/p
  // fusion" is the same stay). Read by the facts stage's timing.
  bool dates_before_encounter = false;
  // The cue starts a clause of its own (", consistent with X"): the scope of
  // any other cue that would cross it ends there, as at a TERMINATE cue.
  bool ends_other_scopes = false;
  // A POSSIBLE cue that heads a list ("differential includes DISH and
  // ankylosing spondylitis"): it qualifies every finding of the list, so the
  // facts stage does not narrow it to the finding beside it.
  bool governs_list = false;
  // A TERMINATE match that holds the finding as the object of a treatment
  // ("candidate for revision of L5-S1 pseudarthrosis"): the plan is the
  // treatment's, and the disease it treats exists, so no HYPOTHETICAL cue
  // and no HYPOTHETICAL section default reaches a finding inside it.
  bool shields_from_plan = false;
  // The same for the finding just before the match, with no word between
  // (only blanks and commas): a condition followed by the treatment it is on
  // ("nr-axSpA, on ixekizumab") is there now, in a plan too.
  bool shields_before = false;
  // A HYPOTHETICAL cue of a statement about no patient in particular
  // ("revision for nonunion has a good success rate in published series"):
  // it reaches a finding a shields_from_plan / shields_before terminator
  // holds, since the treatment it names is no plan of this patient either.
  bool pierces_shield = false;
  // A TERMINATE match that ends only the scope of NEGATED cues: a clause
  // opened with no subject in a run-on dictation ("denies fever chills had
  // ACDF C5 6 in 2018"), where a relative's or a plan's cue still reaches
  // ("mother had a fusion").
  bool ends_negation_only = false;
  // A TERMINATE match that ends only the scope of HYPOTHETICAL cues: a
  // complication of a dated fusion ("L4-L5 pseudarthrosis after 2023 TLIF")
  // is no plan's object, but a hedge before it ("Probable L4-L5
  // pseudarthrosis ...") still reaches it.
  bool ends_plan_only = false;
  // A TERMINATE match that ends only the scope of HISTORICAL cues: the next
  // item of an operative list after an earlier implant ("Removal of prior
  // C5-7 plate, ACDF C4-5") is today's, while a denial or a hedge before the
  // list still reaches every item of it.
  bool ends_history_only = false;
  // A TERMINATE match that ends the scope of every cue but a FAMILY one: a
  // clause that goes on with the same subject ("Pt's husband is primary
  // caregiver but had a cervical fusion in Sept"): what the relative or
  // companion had is still theirs, while a denial or a plan before it does
  // not reach across.
  bool spares_family = false;
  // A POSSIBLE cue by which the provider declines the diagnosis ("clinically
  // undetermined", "unable to determine whether"): no uncertain diagnosis
  // that II.H codes at discharge as if established, so it is never coded.
  bool no_diagnosis = false;
  // A HYPOTHETICAL cue of a statement about a condition in general
  // ("pseudarthrosis after fusion is coded M96.0"): the facts stage lets it
  // reach only a finding that names no level ("her L4-5 fusion is coded Z98.1"
  // is this patient's).
  bool generic_only = false;
  uint32_t line = 0;  // line in the TOML file, for messages
};

// A trigger occurrence in a sentence (normalized offsets).
struct CueMatch {
  uint32_t begin = 0;
  uint32_t end = 0;
  int modifier = -1;  // index into AssertionRules::modifiers()
};

struct AssertionVerdict {
  Assertion assertion = Assertion::kPresent;
  bool has_cue = false;       // false: present, or decided by the section
  uint32_t cue_begin = 0;     // normalized offsets of the deciding cue
  uint32_t cue_end = 0;
  int modifier = -1;          // index of the deciding cue's modifier, -1 if none
  std::string rule_id;        // modifier id, or "section:<kind>" when the
                              // section decided; empty when present
  // Bit (1 << Assertion) for every category with a cue in scope (or set by
  // the section). `assertion` is the highest-precedence one; the others keep
  // ConText's separate axes readable ("no history of X" is negated *and*
  // historical).
  uint32_t categories = 0;
  bool Has(Assertion a) const {
    return (categories >> static_cast<int>(a)) & 1u;
  }
};

class AssertionRules {
 public:
  // Loads and validates a lexicon file. Any error fails the whole load:
  // NotFound for a missing file, otherwise InvalidArgument (kind
  // "rule_file") "PATH:LINE:COLUMN: error: modifier "ID": MESSAGE".
  // `sections` (the models' section rules; Model::Load gives them) checks
  // that [section_defaults] names declared section kinds; without it the
  // kinds are not checked.
  static StatusOr<AssertionRules> Load(const std::string& path,
                                       const SectionRules* sections = nullptr);

  // Same from TOML text; `path` only names the source in messages.
  static StatusOr<AssertionRules> Parse(std::string_view toml_text,
                                        const std::string& path,
                                        const SectionRules* sections = nullptr);

  AssertionRules();
  ~AssertionRules();
  AssertionRules(AssertionRules&&) noexcept;
  AssertionRules& operator=(AssertionRules&&) noexcept;
  AssertionRules(const AssertionRules&) = delete;
  AssertionRules& operator=(const AssertionRules&) = delete;

  const std::vector<Modifier>& modifiers() const { return modifiers_; }

  // dates_before_encounter of the modifier with this id (false if none).
  bool DatesBeforeEncounter(std::string_view id) const;

  // The assertion a section kind gives every fact written in it
  // ([section_defaults] of the context file: "past_surgical_history" ->
  // historical, "family_history" -> family, "plan" -> hypothetical,
  // "differential_diagnosis" -> possible). False for a kind without one.
  // A cue of higher precedence in the sentence still wins.
  bool SectionDefault(std::string_view section_kind, Assertion* out) const;

  // Every trigger occurrence in text[begin, end), after overlap resolution:
  // where matches overlap the longest wins (ties: earliest, then the
  // modifier listed first), so "no change" (pseudo) hides "no" and "not
  // ruled out" (possible) hides "ruled out". Sorted by position. Pseudo
  // matches are kept (callers ignore them); they exist to hide others.
  // A TERMINATE match does not hide a cue that starts inside it: it is cut
  // to end where that cue begins (it bounds scopes by where it starts).
  // *failed (if given) is set when the trigger set could not answer (RE2's
  // memory budget): the cues are then missing, and the caller must not
  // take "no cue" for an answer.
  std::vector<CueMatch> FindCues(std::string_view text, uint32_t begin, uint32_t end,
                                 bool* failed = nullptr) const;

 private:
  struct Compiled;
  struct Loader;  // builds the rules from the parsed TOML (the TOML library stays in the .cc)
  bool EndBefore(std::string_view text, const CueMatch& inner, CueMatch* boundary) const;
  std::vector<Modifier> modifiers_;
  std::vector<std::pair<std::string, Assertion>> section_defaults_;
  std::unique_ptr<Compiled> compiled_;
};

// Assertion of the finding text[target_begin, target_end) inside the
// sentence text[sentence_begin, sentence_end). `text` is the normalized note
// (or a normalized sentence with sentence_begin = 0). `section_kind` is a
// sections.toml kind ("past_surgical_history", "family_history", "plan"...)
// or empty.
//
// Precedence when several categories apply: negated > possible >
// hypothetical > family > historical > present; among cues of the winning
// category the nearest to the target wins. A section default (past
// medical/surgical history -> historical, family history -> family, plan ->
// hypothetical) joins the candidates with no cue, so an in-sentence cue of a
// higher category (negation in a PSH list) still decides.
AssertionVerdict Assess(const AssertionRules& rules, std::string_view text,
                        uint32_t sentence_begin, uint32_t sentence_end,
                        uint32_t target_begin, uint32_t target_end,
                        std::string_view section_kind);

// The same for many findings of one sentence: the cues and word index of the
// sentence are built once. (Assess per finding rescans the whole sentence,
// which is quadratic in a sentence with many findings.) Each Assess looks only
// at the cues within the longest max_scope of the target; the verdicts equal
// those of the free function.
class SentenceCues {
 public:
  SentenceCues(const AssertionRules& rules, std::string_view text,
               uint32_t sentence_begin, uint32_t sentence_end);
  // The cues of a sentence starting at `sentence_begin` whose bytes, with
  // the byte before it and the byte at its end (or that there is none), are
  // those `same` was built from: they are `same`'s, shifted. FindCues reads
  // only these bytes (RE2 over the sentence alone, then the bytes on either
  // side of a match), and the word and stop index only the sentence's; no
  // text is kept. For a live session's memo (facts/facts.cc).
  SentenceCues(const SentenceCues& same, uint32_t sentence_begin);
  ~SentenceCues();
  SentenceCues(const SentenceCues&) = delete;
  SentenceCues& operator=(const SentenceCues&) = delete;

  // `skip_categories` (bits 1 << Assertion) leaves cues of those categories
  // out, as if they were not there: the verdict once a hedge is found not to
  // reach ("possible pseudarthrosis after prior fusion": the fusion keeps
  // "prior").
  AssertionVerdict Assess(uint32_t target_begin, uint32_t target_end,
                          std::string_view section_kind, uint32_t skip_categories = 0) const;

  // True if the sentence's cues could not be found (RE2's memory budget):
  // its verdicts are not to be trusted.
  bool failed() const;

 private:
  struct State;
  std::shared_ptr<const State> state_;  // in the offsets it was built at
  uint32_t begin_ = 0;                  // this sentence's start
};

// "negated", "possible", ..., "pseudo", "terminate" (the TOML spelling, in
// lower case).
const char* ModifierCategoryName(ModifierCategory c);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_CONTEXT_ASSERTION_H_
