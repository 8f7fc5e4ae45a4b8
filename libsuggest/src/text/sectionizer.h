// Copyright libsuggest authors.
//
// Section detection. Header names -> section kinds are data
// (models/sections.toml), loaded and validated by SectionRules::Load.
// Headers are found in the original text (case matters: ALL-CAPS headers need
// no colon) and looked up by their normalized form.

#ifndef LIBSUGGEST_SRC_TEXT_SECTIONIZER_H_
#define LIBSUGGEST_SRC_TEXT_SECTIONIZER_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "suggest/status.h"
#include "suggest/types.h"
#include "text/normalize.h"

namespace suggest::internal {

// True for the section kinds the code knows (the list in sections.toml's
// header comment); other files that name kinds (context.toml's
// section_defaults) check theirs with it.
bool IsKnownSectionKind(std::string_view kind);

class SectionRules {
 public:
  // Parses a sections TOML file. Errors name "path:line:column: ..." and the
  // offending entry; unknown keys, duplicate headers, unknown kinds are
  // errors.
  static StatusOr<SectionRules> Load(const std::string& path);

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
  };
  Entry Describe(std::string_view normalized_header) const;

 private:
  // Exact entry, else the entry without parenthetical groups; or nullptr.
  const std::string* Lookup(std::string_view normalized_header) const;

  // Transparent hashing: lookups by string_view allocate nothing (the
  // sectionizer asks for a candidate header at many commas of a note).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> kind_by_header_;
  std::unordered_set<std::string, Hash, std::equal_to<>> inherit_;
  std::string other_ = "other";
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

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_SECTIONIZER_H_
