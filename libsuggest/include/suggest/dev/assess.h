// Copyright libsuggest authors.
//
// Developer interface: the assertion engine on its own, for evaluating it
// against reference sets (`suggest assertion`, `suggest eval-negex`; see
// docs/api.md "Developer interface"). Not needed to analyse notes, and not
// part of the stable core API: it may change in any release. Documents
// cited as docs/NAME ship as <prefix>/share/doc/libsuggest/NAME.
//
//   #include <suggest/suggest.h>
//   #include <suggest/dev/assess.h>
//
//   auto v = suggest::dev::Assess(*model, "No evidence of fusion.", "fusion");
//   if (v.ok() && v->assertion == suggest::Assertion::kNegated) ...
//
// Thread-safe as Model::Analyze: any number of threads may call it on one
// Model.

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_DEV_ASSESS_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_DEV_ASSESS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "suggest/export.h"
#include "suggest/status.h"
#include "suggest/types.h"

namespace suggest {

class Model;

namespace dev {

// The assertion of one finding in a sentence.
struct AssertionVerdict {
  Assertion assertion = Assertion::kPresent;
  // The cue that decided it (span in the caller's sentence bytes); empty when
  // nothing did (present) or the section did.
  std::optional<Cue> cue;
  // Bit (1 << Assertion) for every category that applied, not only the
  // winner: "no history of X" is negated and historical.
  uint32_t categories = 0;
  bool Has(Assertion a) const { return (categories >> static_cast<int>(a)) & 1u; }
};

// The assertion (models/context.toml cues of `model`) of `finding` (a
// phrase) inside one sentence (UTF-8). The finding is found
// case-insensitively with any run of white space matching its spaces; when
// it occurs more than once, an occurrence written in capitals is preferred
// (the NegEx kit marks the target so), else the first. `section_kind` is a
// sections.toml kind or empty (then a header inside the sentence sets it).
// The same engine decides the assertion of the facts of Model::Analyze.
// Errors: InvalidArgument kind "concept_not_found", "invalid_utf8".
SUGGEST_API StatusOr<AssertionVerdict> Assess(const Model& model, std::string_view sentence,
                                              std::string_view finding,
                                              std::string_view section_kind = {});

}  // namespace dev
}  // namespace suggest

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_DEV_ASSESS_H_
