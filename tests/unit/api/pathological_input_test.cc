// Copyright libsuggest authors.
//
// Pathological notes (issue 7): each completes, without a crash, with the
// output one would expect. Their cost per byte is measured, not timed here:
// bench/limits_bench.cc and docs/performance.md ("Pathological inputs").

#include <gtest/gtest.h>

#include <string>

#include "../../testing/corpus.h"  // unit_tests has no tests/ include dir
#include "../../testing/model.h"
#include "suggest/suggest.h"

namespace suggest {
namespace {

using testing::TheModel;

std::string Repeat(const std::string& unit, size_t times) {
  std::string s;
  s.reserve(unit.size() * times);
  for (size_t i = 0; i < times; ++i) s += unit;
  return s;
}

// Analyzes with the text layer and checks the invariants every result keeps:
// spans inside the note and in order, JSON produced.
Result Analyze(const std::string& note) {
  AnalyzeOptions opts;
  opts.max_note_bytes = 64ull << 20;
  auto r = TheModel().Analyze(note, opts);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return Result();
  uint32_t prev = 0;
  for (const Sentence& s : r->sentences) {
    EXPECT_LE(s.span.begin, s.span.end);
    EXPECT_LE(s.span.end, note.size());
    EXPECT_GE(s.span.begin, prev);
    prev = s.span.end;
  }
  for (const Fact& f : r->facts) {
    EXPECT_LE(f.span.end, note.size());
    for (const Span& l : f.level_spans) EXPECT_LE(l.end, note.size());
  }
  const std::string json = ResultToJson(*r, note, "x", opts);
  EXPECT_EQ(json.rfind("{\"id\":\"x\",\"status\":\"ok\"", 0), 0u);
  return std::move(*r);
}

TEST(PathologicalInputTest, HundredThousandDashes) {
  const Result r = Analyze(std::string(100000, '-'));
  EXPECT_TRUE(r.facts.empty());
  EXPECT_TRUE(r.suggestions.empty());
}

TEST(PathologicalInputTest, MillionDigits) {
  const Result r = Analyze(std::string(1000000, '7'));
  EXPECT_TRUE(r.facts.empty());
  EXPECT_TRUE(r.suggestions.empty());
  ASSERT_EQ(r.sentences.size(), 1u);  // one "word" of digits
  EXPECT_EQ(r.sentences[0].span.end, 1000000u);
}

TEST(PathologicalInputTest, HundredThousandLevelsInOneSentence) {
  // "Fusion of C1-C2, C1-C2, ..., C1-C2." : one list of 10^5 + 1 levels.
  const std::string note = "Fusion of " + Repeat("C1-C2, ", 100000) + "C1-C2.";
  const Result r = Analyze(note);
  ASSERT_EQ(r.facts.size(), 1u);
  const Fact& f = r.facts[0];
  EXPECT_EQ(f.kind, "fusion_procedure");
  EXPECT_EQ(f.segments, std::vector<std::string>{"C1-C2"});
  ASSERT_EQ(f.level_spans.size(), 1u);  // one list mention
  EXPECT_EQ(f.level_spans[0].begin, 10u);
  EXPECT_EQ(f.level_spans[0].end, note.size() - 1);
  ASSERT_FALSE(r.suggestions.empty());
  EXPECT_EQ(r.suggestions[0].code, "Z98.1");
}

TEST(PathologicalInputTest, LevelsRotatingThroughTheSpine) {
  // 3 * 30000 levels of one list naming four segments.
  const std::string note = "Fusion of " + Repeat("C3-C4, C4-C5, C5-C6, ", 30000) + "C6-C7.";
  const Result r = Analyze(note);
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.facts[0].segments,
            (std::vector<std::string>{"C3-C4", "C4-C5", "C5-C6", "C6-C7"}));
}

TEST(PathologicalInputTest, TenMegabytesWithoutANewline) {
  std::string note;
  for (const auto& n : testing::LoadCorpus()) {
    note += n.text;
    note += ' ';
    if (note.size() > (10u << 20)) break;
  }
  if (note.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  for (char& c : note) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  const Result r = Analyze(note);
  EXPECT_GT(r.sentences.size(), 10000u);
  EXPECT_FALSE(r.facts.empty());  // the spine notes are in there
}

TEST(PathologicalInputTest, MillionNewlines) {
  const Result r = Analyze(std::string(1000000, '\n'));
  EXPECT_TRUE(r.sections.empty());
  EXPECT_TRUE(r.sentences.empty());
  EXPECT_TRUE(r.facts.empty());
}

TEST(PathologicalInputTest, RepeatedSectionHeaders) {
  const Result r = Analyze(Repeat("HISTORY:\n", 100000));
  ASSERT_EQ(r.sections.size(), 100000u);
  for (const Section& s : r.sections) ASSERT_EQ(s.kind, "history_of_present_illness");
  EXPECT_TRUE(r.facts.empty());
}

TEST(PathologicalInputTest, RepeatedSectionsWithFacts) {
  const Result r = Analyze(Repeat("PAST SURGICAL HISTORY: L4-L5 fusion.\n", 20000));
  EXPECT_EQ(r.sections.size(), 20000u);
  ASSERT_EQ(r.facts.size(), 20000u);
  for (const Fact& f : r.facts) {
    ASSERT_EQ(f.assertion, Assertion::kHistorical);
    ASSERT_EQ(f.segments, std::vector<std::string>{"L4-L5"});
  }
  ASSERT_FALSE(r.suggestions.empty());
  EXPECT_EQ(r.suggestions[0].code, "Z98.1");
  EXPECT_EQ(r.suggestions[0].evidence.size(), 20000u);
}

TEST(PathologicalInputTest, ManyNegatedFactsInOneSentence) {
  const Result r = Analyze(Repeat("no lumbar fusion, ", 20000) + "done.");
  ASSERT_EQ(r.facts.size(), 20000u);
  for (size_t i = 0; i < r.facts.size(); ++i) {
    ASSERT_EQ(r.facts[i].assertion, Assertion::kNegated) << i;
  }
  EXPECT_TRUE(r.suggestions.empty());
}

TEST(PathologicalInputTest, HeadersOnOneLine) {
  const Result r = Analyze(Repeat("FUSION:,", 100000));
  EXPECT_EQ(r.sections.size(), 100000u);
}

TEST(PathologicalInputTest, OneTenMegabyteWord) {
  const Result r = Analyze(std::string(10u << 20, 'x'));
  EXPECT_EQ(r.sentences.size(), 1u);
  EXPECT_TRUE(r.facts.empty());
}

}  // namespace
}  // namespace suggest
