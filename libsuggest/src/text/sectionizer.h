// Copyright libsuggest authors.
//
// Section detection. Header names -> section kinds are data
// (models/sections.toml), loaded and validated by SectionRules::Load.
// Headers are found in the original text (case matters: ALL-CAPS headers need
// no colon) and looked up by their normalized form.

#ifndef LIBSUGGEST_SRC_TEXT_SECTIONIZER_H_
#define LIBSUGGEST_SRC_TEXT_SECTIONIZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "suggest/status.h"
#include "suggest/types.h"
#include "text/normalize.h"

namespace suggest::internal {

// What a section kind means to the stages after the sectionizer: the roles
// a kind declares in sections.toml's [kinds] table. The mechanisms that read
// them are in facts.cc (timing, imaging reports) and here (sub-headers); which
// kinds have which role is data.
enum class SectionRole : uint32_t {
  kBackground = 1u << 0,        // "background": the past, the patient's background
  kOperative = 1u << 1,         // "operative": the note is an operative report
  kWrittenInStay = 1u << 2,     // "written_in_stay": the note was written during a stay
  kDischarge = 1u << 3,         // "discharge": diagnoses at discharge; a discharge summary
  kDischargeSummaryDiagnosis = 1u << 4,  // "discharge_summary_diagnosis"
  kReport = 1u << 5,            // "report": an imaging report's own section
  kReportSummary = 1u << 6,     // "report_summary": a report's summary (impression)
  kImaging = 1u << 7,           // "imaging": findings here are imaging findings
  kEnclosesSubheaders = 1u << 8,  // "encloses_subheaders"
  kCuesFirst = 1u << 9,         // "cues_first": a cue decides over the default
  kOrderingReason = 1u << 10,   // "ordering_reason": why a study was ordered
  kReportBody = 1u << 11,       // "report_body": in a report, part of its body
  kCurrentInStay = 1u << 12,    // "current_in_stay": in a note of the stay, the stay itself
};

// The role names of sections.toml, in declaration order (for error messages
// and docs/rules.md).
const std::vector<std::pair<std::string_view, SectionRole>>& SectionRoleNames();

class SectionRules {
 public:
  // Parses a sections TOML file (schema_version 2): the [kinds] table (every
  // section kind with its roles) and the [[section]] header tables. Errors
  // name "path:line:column: ..." and the offending entry; unknown keys,
  // duplicate headers, kinds not declared in [kinds], unknown roles (the
  // allowed ones are listed) are errors.
  static StatusOr<SectionRules> Load(const std::string& path);

  // True for a kind declared in [kinds]; other files that name kinds
  // (context.toml's section_defaults, map.toml's section weights) check
  // theirs with it.
  bool KnowsKind(std::string_view kind) const;

  // The declared kinds, sorted (for error messages): as a list, and joined
  // with ", ".
  std::vector<std::string> Kinds() const;
  std::string KindList() const;

  // True if `kind` declares `role`; false for an unknown kind.
  bool Has(std::string_view kind, SectionRole role) const;

  // Kind for a header whose text is already normalized (casefolded, single
  // spaces, no trailing ':'), or "other" if no rule knows it.
  const std::string& KindFor(std::string_view normalized_header) const;

  // True if a rule lists the header (with or without a trailing "(es)"-style
  // parenthetical).
  bool Knows(std::string_view normalized_header) const;

  // True for sub-headers (`inherit = true`, e.g. "heent") that take the kind
  // of the enclosing section.
  bool Inherits(std::string_view normalized_header) const;

  // The three answers above from one lookup (FindSections asks all of them
  // for every header).
  struct Entry {
    bool known = false;
    bool inherits = false;
    const std::string* kind = nullptr;  // never null
    bool colon_only = false;  // counts only before a ':' (colon_only = true)
  };
  Entry Describe(std::string_view normalized_header) const;

  // The layout pass's rules ([layout]; text/layout.h): the model's
  // normalizer runs with them (Normalizer::WithLayout).
  const LayoutRules& layout() const { return layout_; }

 private:
  // What one listed header says: its kind and whether it is a sub-header.
  struct Listed {
    std::string kind;
    bool inherit = false;
    bool colon_only = false;
  };

  // Exact entry, else the entry without parenthetical groups; or nullptr.
  const Listed* Lookup(std::string_view normalized_header) const;

  // Transparent hashing: lookups by string_view allocate nothing (the
  // sectionizer asks for a candidate header at many commas of a note).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Listed headers; one lookup answers Describe (FindSections asks it for
  // every header).
  std::unordered_map<std::string, Listed, Hash, std::equal_to<>> by_header_;
  // Headers that count only written whole (whole_only): never found by
  // dropping the leading words of a longer header.
  std::unordered_set<std::string, Hash, std::equal_to<>> whole_only_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> roles_by_kind_;
  std::string other_ = "other";
  LayoutRules layout_;
};

// Lookup form of a header: case-folded, runs of spaces collapsed to one,
// trailing ':' ',' and spaces removed.
std::string NormalizeHeader(std::string_view header);

// Splits the note into sections in document order. Text before the first
// header forms a section with an empty header and kind "other" (omitted if
// it holds only whitespace/punctuation). Header spans exclude the ':'; body
// spans are trimmed of whitespace and of the corpus join punctuation
// (",", ":") at both ends, so they may be empty. Sub-headers (inherit = true
// in the rules) open their own section with the enclosing section's kind.
std::vector<Section> FindSections(std::string_view original,
                                  const NormalizedText& nt,
                                  const SectionRules& rules);

// FindSections with every header candidate decided by the rules, without
// the prescreen that turns most of them away first (sectionizer.cc
// HeaderPrescreen): the same sections, more slowly. For tests.
std::vector<Section> FindSectionsUnscreened(std::string_view original,
                                            const SectionRules& rules);

// The positions s of `text` where the prescreen turns away a header
// candidate (with any of the scan's two flags: line start, after a sentence)
// that the rules would take: none if it is sound on `text`. For tests; every
// byte is tried, state-free (no earlier header).
std::vector<uint32_t> PrescreenMisses(std::string_view text, const SectionRules& rules);

// An earlier sectioning, for a live session (api/session.cc) that sections a
// note again after an edit: `text` is an earlier version of the note and
// `sections` its FindSections.
struct SectionReuse {
  std::string_view text;
  const std::vector<Section>* sections = nullptr;
  // Bytes the caller knows `text` and the new text share at their start and
  // end (a live session tracks its edits; 0 if not known): only the bytes
  // between are compared to find the edit. The answer does not depend on
  // them as long as the bytes are indeed shared.
  size_t same_prefix = 0;
  size_t same_suffix = 0;
};

// FindSections, the same answer, reusing the earlier sections around the
// edit (the bytes between the common prefix and the common suffix of the two
// texts). The header scan carries one state from trigger to trigger (the body
// start of the last header) and the sections one more (the enclosing
// section's kind), and each header decision reads a bounded window of bytes
// plus runs of blanks and commas (sectionizer.cc, HeaderScan). So the scan
// re-starts about 128 bytes before the edit, at a point where the earlier
// scan's state is known and no earlier decision read as far as the edit,
// and stops at the first trigger after the edit where its state and the
// enclosing kind are those of the earlier scan (shifted by the change in
// length); the sections before and after are the earlier ones (shifted).
// Without earlier sections, or when they cannot be FindSections of `text`,
// it is FindSections. `scanned` (if given) is increased by the bytes the
// header scan read anew.
std::vector<Section> FindSections(std::string_view original, const SectionRules& rules,
                                  const SectionReuse& earlier, uint64_t* scanned = nullptr);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_SECTIONIZER_H_
