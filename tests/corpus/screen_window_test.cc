// Copyright libsuggest authors.
//
// A live session's screen of a note in which Vectorscan met no match scans
// again only a window around each edit (match/screen_window.h,
// FactExtractor::CannotMatchAgain). Checked here against the whole scan:
// every corpus note's normalized text (reserved gold notes left out) that
// Vectorscan rejects is edited a few times, chained as a session chains
// them - concept words typed a character at a time, separators deleted so
// that two halves far apart join into one match, long runs of blanks, pieces
// of the note - and after each edit the session's answer must be
// CannotMatch's, and the memo's "no match anywhere" the whole scan's. First,
// synthetic notes where the new match starts thousands of bytes before the
// edit, or joins two halves across a deleted separator.

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "context/assertion.h"
#include "facts/facts.h"
#include "facts/levels.h"
#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "testing/edits.h"
#include "testing/facts.h"
#include "text/normalize.h"
#include "util/disk_cache.h"

namespace suggest {
namespace {

using Memo = internal::FactExtractor::ScreenMemo;
using Verdict = internal::Prescreen::Verdict;
using testing::Boundary;

std::shared_ptr<const internal::FactExtractor> Load(const internal::Normalizer& n) {
  // The Vectorscan databases from the cache the model tests fill
  // (testing/model.h), else compiled (~6 s).
  internal::DiskCacheScope cache("", /*write=*/false, DefaultCacheDir());
  return testing::LoadShippedFacts(n);
}

// Loaded once for both tests (the load compiles the Vectorscan databases).
const internal::Normalizer& TheNormalizer() {
  static const auto normalizer = internal::Normalizer::Create();
  return **normalizer;
}
std::shared_ptr<const internal::FactExtractor> LoadFacts() {
  static const auto facts = Load(TheNormalizer());
  return facts;
}

// The bytes two texts share at their start and end (not overlapping).
void Shared(const std::string& a, const std::string& b, size_t* prefix, size_t* suffix) {
  const size_t n = std::min(a.size(), b.size());
  size_t p = 0;
  while (p < n && a[p] == b[p]) ++p;
  size_t s = 0;
  while (s < n - p && a[a.size() - 1 - s] == b[b.size() - 1 - s]) ++s;
  *prefix = p;
  *suffix = s;
}

// One step of a session: the answer from the earlier memo must be the whole
// scan's; returns whether it was settled by the window alone.
bool Step(const internal::FactExtractor& fx, const std::string& before, const std::string& text,
          Memo* memo, const std::string& where) {
  size_t p = 0, s = 0;
  Shared(before, text, &p, &s);
  Memo next;
  const bool again = fx.CannotMatchAgain(text, Verdict::kCannotTell, *memo, p, s, &next);
  const bool whole = fx.CannotMatch(text, Verdict::kCannotTell);
  EXPECT_EQ(again, whole) << where;
  EXPECT_EQ(next.vs_none, fx.prescreen().RejectsNormalized(text)) << where;
  const bool windowed = memo->vs_none && next.vs_none;
  *memo = next;
  return windowed;
}

// Matches the edit makes whose start lies far before it: the window must
// reach back to them.
void CheckFarStarts(const internal::FactExtractor& fx) {
  const internal::FactExtractor* facts = &fx;
  const std::string filler = "the patient is seen today. ";
  std::string head;
  for (int i = 0; i < 40; ++i) head += filler;
  struct Case {
    std::string before, after;
  };
  const std::vector<Case> cases = {
      // \s+ runs: the start is thousands of blanks before the edit.
      {head + "harrington" + std::string(3000, ' ') + "xrods here. " + head,
       head + "harrington" + std::string(3000, ' ') + "rods here. " + head},
      {head + "harrington" + std::string(5000, '\n') + "xrods. " + head,
       head + "harrington" + std::string(5000, '\n') + "rods. " + head},
      // A separator deleted between two halves of a match.
      {head + "harrington" + std::string(2000, ' ') + ". rods " + head,
       head + "harrington" + std::string(2000, ' ') + "rods " + head},
      {head + "harrington;" + std::string(2000, '\t') + "rods " + head,
       head + "harrington" + std::string(2000, '\t') + "rods " + head},
      // The "X ..., which is Y" forms (ankylosis_cause_after,
      // congenital_cause_after): no stop byte, '.' and ';' only as their last
      // byte; the start is the sentence's, ~60 bytes before the edit, the
      // end the '.' or ';' just after it, or the text's end.
      {head + "the block at c2 and c3 levels of the neck, which is congenita. " + head,
       head + "the block at c2 and c3 levels of the neck, which is congenital. " + head},
      {head + "the block at c2 and c3 levels of the neck, which is developmenta; and " + head,
       head + "the block at c2 and c3 levels of the neck, which is developmental; and " + head},
      {head + "the block at the c2 and c3 levels (which is congenital x. " + head,
       head + "the block at the c2 and c3 levels (which is congenital. " + head},
      {head + "the block at c2 and c3 levels of the neck, which is congenita.",
       head + "the block at c2 and c3 levels of the neck, which is congenital."},
      {head + "the block at c2 and c3 levels of the neck, which is congenital x",
       head + "the block at c2 and c3 levels of the neck, which is congenital"},
      // A '.' deleted between the two halves of such a form.
      {head + "the block at the c2 and c3. , which is congenital. " + head,
       head + "the block at the c2 and c3 , which is congenital. " + head},
      // The edit at the start and at the end of the text.
      {"xfusion " + head, "fusion " + head},
      {head + "fusio", head + "fusion"},
      {head + "fusionx", head + "fusion"},
      // A word completed by a multi-byte character's removal.
      {head + "fus\xC3\xA9ion " + head, head + "fusion " + head},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    EXPECT_TRUE(facts->prescreen().RejectsNormalized(c.before)) << i;
    Memo memo;
    EXPECT_TRUE(facts->CannotMatch(c.before, Verdict::kCannotTell, &memo));
    EXPECT_TRUE(memo.vs_none);
    Step(*facts, c.before, c.after, &memo, "case " + std::to_string(i));
    EXPECT_FALSE(facts->prescreen().RejectsNormalized(c.after)) << i;
  }
}

TEST(ScreenWindowCorpusTest, WindowedScreenEqualsWholeScan) {
  const auto facts = LoadFacts();
  ASSERT_NE(facts, nullptr);
  if (!facts->prescreen().active()) GTEST_SKIP() << "no Vectorscan";
  ASSERT_TRUE(facts->screen_window().on());  // the shipped rules are all bounded
  CheckFarStarts(*facts);  // in this test: the load is most of its time
  const auto all = testing::LoadCorpus();
  if (all.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const auto reserved = testing::ReservedIds();
  // Words of the concept rules, typed a character at a time, and pieces that
  // join or split matches.
  static const char* const kWords[] = {
      "fusion", "harrington rods", "lumbar fusion", "ankylosing spondylitis", "pseudarthrosis",
      "klippel-feil", "dish", "fused", "acdf", "anterior cervical discectomy and fusion",
      "bridging osteophytes with fusion", "congenital block vertebra", "as of the lumbar spine"};
  static const char* const kPieces[] = {".", ", ", "\n", "   ", " ", "x", "-", "\xC3\xA9",
                                        "                                                  "};
  std::mt19937 rng(1616);
  size_t notes = 0, steps = 0, windowed = 0;
  for (const auto& note : all) {
    if (reserved.count(note.id) || note.text.empty()) continue;
    auto nt = TheNormalizer().Normalize(note.text, InvalidUtf8Policy::kReplace);
    if (!nt.ok() || !facts->prescreen().RejectsNormalized(nt->text)) continue;
    if (++notes > 100) break;  // a few seconds
    std::string text = nt->text;
    Memo memo;
    facts->CannotMatch(text, Verdict::kCannotTell, &memo);
    for (int round = 0; round < 4; ++round) {
      const std::string where = "note " + note.id + " round " + std::to_string(round);
      const int what = std::uniform_int_distribution<int>(0, 2)(rng);
      if (what == 0) {  // type a word, one character at a time
        const std::string word =
            kWords[std::uniform_int_distribution<size_t>(0, std::size(kWords) - 1)(rng)];
        size_t at = Boundary(rng, text, 0, text.size());
        for (char c : " " + word + " ") {
          const std::string before = text;
          text.insert(at++, 1, c);
          windowed += Step(*facts, before, text, &memo, where);
          ++steps;
        }
      } else {  // delete or insert a piece (a separator, blanks, a letter)
        for (int k = 0; k < 6; ++k) {
          const std::string before = text;
          const size_t b = Boundary(rng, text, 0, text.size());
          if (k % 2 == 0 && b < text.size()) {
            text.erase(b, Boundary(rng, text, b + 1, std::min(text.size(), b + 4)) - b);
          } else {
            text.insert(b, kPieces[std::uniform_int_distribution<size_t>(
                               0, std::size(kPieces) - 1)(rng)]);
          }
          windowed += Step(*facts, before, text, &memo, where);
          ++steps;
        }
      }
    }
  }
  ASSERT_GT(notes, 20u);
  EXPECT_GT(windowed, steps / 4);  // the window settles most steps
  std::printf("%zu notes, %zu edits, %zu settled by the window alone\n", notes, steps, windowed);
}

}  // namespace
}  // namespace suggest
