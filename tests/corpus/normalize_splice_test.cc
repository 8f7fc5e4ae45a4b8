// Copyright libsuggest authors.
//
// The normalization a live session splices (text/normalize.h
// Normalizer::Splice, issue 16) is the normalization of the whole text:
// every corpus note (the reserved gold notes left out) is edited a few times
// at random places - text typed or deleted, a range replaced by a piece of
// the note, non-ASCII letters, combining marks, dashes, CRLF, tabs, and
// under kReplace invalid bytes - and after each edit the splice of the
// previous step's normalized text must equal Normalize of the new text:
// the text, the offset map's chunks and replaced_bytes. Each step splices
// the previous step's (spliced) result, as a session does. The same edits
// check the screens a session reruns after a splice
// (FactExtractor::CannotMatchAgain) against CannotMatch.

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "context/assertion.h"
#include "facts/facts.h"
#include "facts/levels.h"
#include "testing/corpus.h"
#include "testing/edits.h"
#include "testing/facts.h"
#include "text/normalize.h"
#include "util/utf8.h"

namespace suggest {
namespace {

using testing::Boundary;


TEST(NormalizeSpliceCorpusTest, SplicedEqualsNormalized) {
  const auto all = testing::LoadCorpus();
  if (all.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const auto reserved = testing::ReservedIds();
  auto made = internal::Normalizer::Create();
  ASSERT_TRUE(made.ok());
  const internal::Normalizer& normalizer = **made;
  const auto facts = testing::LoadShippedFacts(normalizer);
  ASSERT_NE(facts, nullptr);
  using Verdict = internal::Prescreen::Verdict;
  size_t screens_settled = 0;  // a screen answered from the earlier memo
  static const char* const kInserts[] = {
      "Spinal fusion. ", "s/p fusion", "a", " ", ".", "\n", "Fusion", "\r\n", "\r", "\t", "C5\xE2\x80\x93" "C6",
      "e\xCC\x81", "\xCC\x81", "Caf\xC3\xA9 ", "\xEF\xAC\x81", "B\xC2\xAD", "\xC2\xA0",
      "\xF0\x9F\x98\x80", "\xE2\x80\x9Cq\xE2\x80\x9D", "\xFF", "\xC3"};
  std::mt19937 rng(16);
  size_t notes = 0, edits = 0, spliced = 0;
  for (const auto& note : all) {
    if (reserved.count(note.id) || note.text.empty()) continue;
    ++notes;
    // Half the notes under each policy; kError notes get valid edits only.
    const auto policy = notes % 2 ? InvalidUtf8Policy::kReplace : InvalidUtf8Policy::kError;
    std::string text = note.text;
    auto nt = normalizer.Normalize(text, policy);
    if (!nt.ok()) continue;  // a note that is not UTF-8 under kError
    internal::FactExtractor::ScreenMemo memo;
    facts->CannotMatch(nt->text, Verdict::kCannotTell, &memo);
    for (int step = 0; step < 6; ++step) {
      const std::string before = text;
      const int what = std::uniform_int_distribution<int>(0, 3)(rng);
      const size_t b = Boundary(rng, text, 0, text.size());
      size_t e = b;
      std::string with;
      if (what == 0) {  // delete one character or a range
        e = Boundary(rng, text, b, std::min(text.size(), b + (step % 2 ? 1 : 60)));
      } else if (what == 1) {  // replace a range with a piece of the note
        e = Boundary(rng, text, b, std::min(text.size(), b + 30));
        const size_t pb = Boundary(rng, note.text, 0, note.text.size());
        const size_t pe = Boundary(rng, note.text, pb, std::min(note.text.size(), pb + 40));
        with = note.text.substr(pb, pe - pb);
      } else {  // type something
        with = kInserts[std::uniform_int_distribution<size_t>(0, std::size(kInserts) - 1)(rng)];
      }
      if (policy == InvalidUtf8Policy::kError && internal::FindInvalidUtf8(with) != internal::kNoError)
        with = "x";
      text.replace(b, e - b, with);
      ++edits;
      internal::SpliceKept kept;
      internal::NormalizedText got = *nt;
      const bool ok =
          normalizer.Splice(before, text, b, before.size() - e, policy, &got, &kept);
      auto want = normalizer.Normalize(text, policy);
      ASSERT_TRUE(want.ok()) << "note " << note.id << " step " << step;
      if (ok) {
        ++spliced;
        ASSERT_EQ(got.text, want->text) << "note " << note.id << " step " << step;
        ASSERT_TRUE(got.map == want->map) << "note " << note.id << " step " << step;
        ASSERT_EQ(got.replaced_bytes, want->replaced_bytes)
            << "note " << note.id << " step " << step;
      } else {
        kept = {};
      }
      // The screens, both verdicts a pass may bring (kMayMatch: Vectorscan
      // already passed the original bytes).
      for (Verdict v : {Verdict::kCannotTell, Verdict::kMayMatch}) {
        internal::FactExtractor::ScreenMemo next;
        const bool again =
            facts->CannotMatchAgain(want->text, v, memo, kept.prefix, kept.suffix, &next);
        ASSERT_EQ(again, facts->CannotMatch(want->text, v))
            << "note " << note.id << " step " << step;
        if (v == Verdict::kCannotTell) {
          screens_settled += (next.vs_match && memo.vs_match && next.vs_end == memo.vs_end &&
                              memo.vs_end + 2 <= kept.prefix);
          memo = next;
        }
      }
      nt = std::move(want);
    }
  }
  ASSERT_GT(notes, 1000u);
  EXPECT_EQ(spliced, edits);  // corpus notes always have a safe cut near an edit
  EXPECT_GT(screens_settled, edits / 40);  // most notes name no fusion: nothing to keep
}

}  // namespace
}  // namespace suggest
