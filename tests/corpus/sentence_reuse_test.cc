// Copyright libsuggest authors.
//
// The sentence split a live session reuses (text/sentence_splitter.h
// SentenceReuse, issue 16) is the split of the whole text: every corpus note
// (the reserved gold notes left out) is edited a few times at random places -
// a character typed or deleted, a line break, a sentence end, a header, a
// range deleted or replaced - and after each edit SplitSentences with the
// previous text's split must equal SplitSentences from scratch. Each step
// reuses the previous step's (reused) split, as a session does.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "testing/corpus.h"
#include "testing/edits.h"
#include "text/normalize.h"
#include "text/sectionizer.h"
#include "text/sentence_splitter.h"

namespace suggest {
namespace {

using testing::Boundary;

bool SameSentences(const std::vector<Sentence>& a, const std::vector<Sentence>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(a[i].span == b[i].span) || a[i].section != b[i].section) return false;
  return true;
}

TEST(SentenceReuseCorpusTest, ReusedSplitEqualsFullSplit) {
  const auto all = testing::LoadCorpus();
  if (all.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const auto reserved = testing::ReservedIds();
  auto rules = internal::SectionRules::Load(std::string(SUGGEST_MODELS_DIR) + "/sections.toml");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const internal::NormalizedText unused;  // FindSections and the splitter read bytes only
  static const char* const kInserts[] = {"a", " ", ".", "\n", "\n\n", ". The", ",", "C5. ",
                                         "\n\nHISTORY: ", "IMPRESSION:\n", "1.  ", "Dr. "};
  std::mt19937 rng(16);
  size_t notes = 0, edits = 0, reused = 0;
  for (const auto& note : all) {
    if (reserved.count(note.id) || note.text.empty()) continue;
    ++notes;
    std::string text = note.text;
    std::vector<Section> sections = internal::FindSections(text, unused, *rules);
    std::vector<Sentence> sentences = internal::SplitSentences(text, unused, {}, sections);
    for (int step = 0; step < 6; ++step) {
      const std::string before = text;
      const int what = std::uniform_int_distribution<int>(0, 3)(rng);
      const size_t b = Boundary(rng, text, 0, text.size());
      if (what == 0) {  // delete one character or a range
        const size_t e = Boundary(rng, text, b, std::min(text.size(), b + (step % 2 ? 1 : 60)));
        text.erase(b, e - b);
      } else if (what == 1) {  // replace a range with a piece of the note
        const size_t e = Boundary(rng, text, b, std::min(text.size(), b + 30));
        const size_t pb = Boundary(rng, note.text, 0, note.text.size());
        const size_t pe = Boundary(rng, note.text, pb, std::min(note.text.size(), pb + 40));
        text.replace(b, e - b, note.text.substr(pb, pe - pb));
      } else {  // type something
        const size_t k = std::uniform_int_distribution<size_t>(0, std::size(kInserts) - 1)(rng);
        text.insert(b, kInserts[k]);
      }
      ++edits;
      std::vector<Section> next_sections = internal::FindSections(text, unused, *rules);
      internal::SentenceReuse earlier{before, &sections, &sentences};
      std::vector<Sentence> got =
          internal::SplitSentences(text, next_sections, earlier, &reused);
      const std::vector<Sentence> want =
          internal::SplitSentences(text, unused, {}, next_sections);
      ASSERT_TRUE(SameSentences(got, want)) << "note " << note.id << " step " << step;
      sections = std::move(next_sections);
      sentences = std::move(got);
    }
  }
  ASSERT_GT(notes, 1000u);
  EXPECT_GT(reused, edits);  // most edits leave most sections as they were
}

}  // namespace
}  // namespace suggest
