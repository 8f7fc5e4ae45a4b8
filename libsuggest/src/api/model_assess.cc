// Copyright libsuggest authors.
//
// dev::Assess (suggest/dev/assess.h): the assertion engine on one
// caller-given sentence and concept (used by `suggest assertion` / `suggest
// eval-negex`). The same engine (context/assertion.h) serves the facts of
// Analyze.

#include <string>
#include <vector>

#include "api/model_impl.h"
#include "context/assertion.h"
#include "suggest/dev/assess.h"
#include "suggest/suggest.h"
#include "text/sectionizer.h"

namespace suggest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsWordChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// Words of the (normalized) concept.
std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !IsSpace(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// End of a match of `words` at `pos` (any white-space run between words), or
// npos.
size_t MatchAt(std::string_view text, size_t pos, const std::vector<std::string_view>& words) {
  for (size_t w = 0; w < words.size(); ++w) {
    if (w > 0) {
      const size_t ws = pos;
      while (pos < text.size() && IsSpace(text[pos])) ++pos;
      if (pos == ws) return std::string_view::npos;
    }
    if (text.substr(pos, words[w].size()) != words[w]) return std::string_view::npos;
    pos += words[w].size();
  }
  return pos;
}

bool HasLowerAscii(std::string_view s) {
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return true;
  }
  return false;
}

}  // namespace

namespace dev {

StatusOr<AssertionVerdict> Assess(const Model& model, std::string_view sentence,
                                  std::string_view finding, std::string_view section_kind) {
  const internal::ModelImpl* impl_ = model.impl_.get();
  auto nt = impl_->normalizer->Normalize(sentence, InvalidUtf8Policy::kError);
  if (!nt.ok()) return nt.status();
  auto nc = impl_->normalizer->Normalize(finding, InvalidUtf8Policy::kError);
  if (!nc.ok()) return nc.status();
  const std::vector<std::string_view> words = SplitWords(nc->text);
  if (words.empty()) return InvalidArgument("empty finding", "concept_not_found");

  // Candidates ranked: whole-word match first, then not a header, then
  // written in capitals (the NegEx kit upper-cases the target inside a
  // mixed-case sentence); the first of equals.
  const std::string_view text = nt->text;
  const bool sentence_has_lower = HasLowerAscii(sentence);
  int best_score = -1;
  uint32_t tb = 0, te = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const size_t end = MatchAt(text, pos, words);
    if (end == std::string_view::npos) continue;
    const bool whole_word =
        (pos == 0 || !IsWordChar(text[pos - 1]) || !IsWordChar(text[pos])) &&
        (end == text.size() || !IsWordChar(text[end]) || !IsWordChar(text[end - 1]));
    const Span orig = nt->map.ToOriginal(static_cast<uint32_t>(pos), static_cast<uint32_t>(end));
    const bool capitals =
        sentence_has_lower && !HasLowerAscii(sentence.substr(orig.begin, orig.size()));
    // A word right before ':' is a header ("ALLERGIES: no known allergies"),
    // rarely the finding meant.
    size_t after = end;
    while (after < text.size() && text[after] == ' ') ++after;
    const bool header = after < text.size() && text[after] == ':';
    const int score = (whole_word ? 4 : 0) + (header ? 0 : 2) + (capitals ? 1 : 0);
    if (score > best_score) {
      best_score = score;
      tb = static_cast<uint32_t>(pos);
      te = static_cast<uint32_t>(end);
    }
  }
  if (best_score < 0) {
    return InvalidArgument("finding not found in the sentence", "concept_not_found");
  }

  // No section given: a header inside the sentence itself ("PAST MEDICAL
  // HISTORY:  Hypertension, ...") sets it, found by the note sectionizer.
  std::string found_kind;
  if (section_kind.empty()) {
    const uint32_t target_orig = nt->map.ToOriginalBegin(tb);
    for (const Section& sec : internal::FindSections(sentence, *nt, *impl_->sections)) {
      if (!sec.header.empty() && sec.body.begin <= target_orig && target_orig < sec.body.end) {
        found_kind = sec.kind;
      }
    }
    section_kind = found_kind;
  }
  const internal::AssertionVerdict v =
      internal::Assess(*impl_->context, text, 0, static_cast<uint32_t>(text.size()), tb, te,
                       section_kind);
  AssertionVerdict out;
  out.assertion = v.assertion;
  out.categories = v.categories;
  if (v.has_cue) {
    Cue cue;
    cue.span = nt->map.ToOriginal(v.cue_begin, v.cue_end);
    cue.rule_id = v.rule_id;
    out.cue = std::move(cue);
  }
  return out;
}

}  // namespace dev
}  // namespace suggest
