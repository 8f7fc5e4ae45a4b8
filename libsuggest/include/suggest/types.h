// Copyright libsuggest authors.
//
// Public value types of a libsuggest result. Standard library only.
//
// Documents cited below as docs/NAME are the project's guides; an install
// ships them as <prefix>/share/doc/libsuggest/NAME.
//
// Every Span is a half-open [begin, end) range of UTF-8 *bytes of the
// caller's original input*, whatever normalization happened inside; begin and
// end always fall on code-point boundaries of the original (a byte replaced
// under the repair policy is a 1-byte span). When AnalyzeOptions::offset_unit
// asks for UTF-16 or code-point offsets, the output layer converts these
// numbers; the C++ Result itself always holds bytes.

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_TYPES_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "suggest/export.h"
#include "suggest/options.h"

namespace suggest {

struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  friend bool operator==(const Span& a, const Span& b) {
    return a.begin == b.begin && a.end == b.end;
  }
};

// How a finding is asserted in the note (ConText-style).
enum class Assertion {
  kPresent = 0,       // affirmed for the patient, now
  kNegated = 1,       // "no evidence of fusion", "without ankylosis"
  kPossible = 2,      // "possible", "cannot exclude", "questionable"
  kHypothetical = 3,  // planned / conditional: "plan for", "candidate for", "if"
  kHistorical = 4,    // "s/p", "history of", past surgical history section
  kFamily = 5,        // about a relative: "mother had AS"
};

// "present", "negated", "possible", "hypothetical", "historical", "family".
SUGGEST_API const char* AssertionName(Assertion a);

// "outpatient", "inpatient".
SUGGEST_API const char* SettingName(Setting s);

// The words that decided an assertion, e.g. "no evidence of".
struct Cue {
  Span span;            // original bytes
  std::string rule_id;  // the rule in models/context.toml that matched
};

// A section of the note: a header (possibly empty for text before the first
// header) and the body that follows it up to the next header. Sections are in
// document order and do not overlap.
struct Section {
  std::string kind;  // e.g. "past_surgical_history"; "other" if unknown
  Span header;       // the header words, without the trailing ':'/','
  Span body;         // text after the header up to the next header
};

// A sentence (or header/list item unit) of the note.
struct Sentence {
  Span span;
  int section = -1;  // index into Result::sections, -1 if none
};

// A clinical fact found in the note (docs/api.md "Results").
struct Fact {
  int id = 0;                // index in Result::facts
  // "fusion_procedure", "ankylosis", "ankylosing_spondylitis",
  // "axial_spondyloarthritis" (non-radiographic), "dish", "congenital_fusion",
  // "pseudarthrosis", "imaging_finding".
  std::string kind;
  // fusion_procedure only: "prior" (before this encounter or stay),
  // "performed_this_encounter", "same_stay" (earlier in the same inpatient
  // stay: postoperative day N, a discharge summary), "planned"; empty
  // otherwise.
  std::string when;
  Assertion assertion = Assertion::kPresent;
  bool has_cue = false;
  Cue cue;                   // valid if has_cue
  std::vector<std::string> segments;   // "L4-L5", adjacent pairs, ordered
  std::vector<std::string> regions;    // "lumbar", "lumbosacral", ...
  std::vector<std::string> vertebrae;  // single levels named with the fact
  Span span;                 // the words that state the fact
  std::vector<Span> level_spans;       // where its levels are written
  std::string rule_id;       // the rule that matched
  bool weak = false;         // only a generic word (fusion, fused) matched
  int section = -1;          // index into Result::sections
  int sentence = -1;         // index into Result::sentences
  std::string section_kind;  // kind of that section ("" if none)
  std::string modality;      // imaging_finding: "xray", "ct", "mri" or ""
  std::string finding;       // imaging_finding: "solid_fusion", "hardware", ...
  // kind-specific, e.g. "klippel_feil"; for an ankylosis written as part of
  // a disease (ankylosing spondylitis with fusion of the lumbar spine), the
  // disease's kind ("ankylosing_spondylitis", "dish", "congenital_fusion").
  std::string detail;
  // Stated among the diagnoses at discharge (discharge/final diagnoses, the
  // impression of a discharge summary): where the inpatient setting codes an
  // uncertain diagnosis as if established (Official Guidelines II.H).
  bool at_discharge = false;
};

// Where a suggestion's evidence is written: a fact's words.
struct Evidence {
  Span span;     // original bytes
  int fact = -1; // index into Result::facts
};

// A suggested ICD-10-CM code: valid and billable in Result::code_set.
struct Suggestion {
  std::string code;       // dotted, e.g. "M43.26"
  std::string title;      // the code set's long title
  double score = 0;       // in [0, 1]: strength of the evidence
  int rank = 0;           // 1 = best; by score, ties by specificity then code
  std::string rationale;  // one sentence a coder can read
  std::vector<Evidence> evidence;
};

// A code the rules reached but did not suggest, and why (e.g. Excludes1).
struct Suppressed {
  std::string code;
  std::string reason;
  std::vector<int> facts;
};

// A fact (or several facts stating the same thing) that produced no code,
// and why, in a coder's words (docs/icd-mapping.md "Why not"). Every fact of
// a fusion-family kind that supports no suggestion appears in exactly one
// entry.
struct NotCoded {
  // Machine-readable basis, one of (docs/icd-mapping.md "Why not (not_coded)"):
  //   "performed_this_encounter"  fusion done in this operative encounter
  //   "same_stay"                 fusion done earlier in the same stay
  //   "uncertain"                 possible/probable/... and the setting
  //                               does not code it (IV.H, or II.H outside
  //                               the discharge diagnoses)
  //   "negated", "family", "planned"
  //   "excludes1"                 an Excludes1 note; `code` names the winner
  //   "replaced"                  another code already says it (M96.0 for
  //                               Z98.1, guideline I.C.21.c.3); `code` too
  //   "requires_fusion"           a complication of a fusion not documented
  //   "supporting"                an imaging or weak mention that supports
  //                               no code of its own
  //   "outside_families"          not a code of the families suggested here
  std::string basis;
  std::string reason;    // one sentence a coder can read
  std::string code;      // the code that won (excludes1/replaced), else ""
  std::vector<int> facts;
};

// Something a coder would query the author about.
struct Gap {
  std::string kind;     // "region_unspecified", "cause_unspecified", ...
  std::string message;
  std::vector<int> facts;
};

// One analysed note. Later pipeline stages add facts and suggestions; the
// text layer fills sections and sentences.
struct Result {
  std::string code_set;  // e.g. "ICD-10-CM FY2027"; empty before mapping
  Setting setting = Setting::kOutpatient;  // AnalyzeOptions::setting, echoed
  // AnalyzeOptions::date_of_service, patient_id, encounter_id, echoed ("" =
  // not given).
  std::string date_of_service;
  std::string patient_id;
  std::string encounter_id;
  // Provenance: Model::models_version() of the model that produced it (the
  // engine name and version and the schema version are constants of
  // version.h: SUGGEST_ENGINE_NAME, SUGGEST_VERSION_STRING,
  // SUGGEST_RESULT_SCHEMA_VERSION).
  std::string models_version;
  std::vector<Suggestion> suggestions;
  std::vector<Fact> facts;
  std::vector<Suppressed> suppressed;
  std::vector<Gap> gaps;
  std::vector<NotCoded> not_coded;  // facts that produced no code, and why
  std::vector<Section> sections;
  std::vector<Sentence> sentences;
  uint32_t original_size = 0;  // bytes of the input
  uint32_t replaced_bytes = 0; // invalid bytes replaced (repair policy only)
  // Some rule matched more than 200,000 times in one scan (the whole note, or
  // one sentence) and its further matches were dropped to bound memory: the
  // facts may be incomplete. Pathological input only (docs/rules.md).
  bool truncated = false;
};

}  // namespace suggest

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_TYPES_H_
