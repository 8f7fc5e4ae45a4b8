// Copyright libsuggest authors.
#include "text/sentence_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text_test_util.h"

namespace suggest::internal {
namespace {

using testing::AnalyzeText;
using testing::SentenceTexts;
using V = std::vector<std::string>;

TEST(SentenceSplitterTest, Basic) {
  EXPECT_EQ(SentenceTexts("The patient is well.  She has no pain."),
            (V{"The patient is well.", "She has no pain."}));
  EXPECT_EQ(SentenceTexts("No terminator at the end"), (V{"No terminator at the end"}));
  EXPECT_TRUE(SentenceTexts("").empty());
  EXPECT_TRUE(SentenceTexts(" ... ").empty());
}

TEST(SentenceSplitterTest, StatusPostAndTitles) {
  EXPECT_EQ(SentenceTexts("The patient is s/p ACDF at C5-6. She is doing well."),
            (V{"The patient is s/p ACDF at C5-6.", "She is doing well."}));
  EXPECT_EQ(SentenceTexts("She was seen by Dr. Smith and Mrs. Jones. He agreed."),
            (V{"She was seen by Dr. Smith and Mrs. Jones.", "He agreed."}));
  // A placeholder name closing a sentence still ends it.
  EXPECT_EQ(SentenceTexts("Referred by Dr. Y.  The patient is known to me."),
            (V{"Referred by Dr. Y.", "The patient is known to me."}));
}

TEST(SentenceSplitterTest, LevelNames) {
  EXPECT_EQ(SentenceTexts("Fusion at C5. The patient tolerated it."),
            (V{"Fusion at C5.", "The patient tolerated it."}));
  EXPECT_EQ(SentenceTexts("Fusion at C5. 6 was not touched."),
            (V{"Fusion at C5. 6 was not touched."}));
  EXPECT_EQ(SentenceTexts("Plate from C4 to T1.,Then closure."),
            (V{"Plate from C4 to T1.", "Then closure."}));
}

TEST(SentenceSplitterTest, Abbreviations) {
  EXPECT_EQ(SentenceTexts("Blood loss was approx. 50 mL. Dr. X closed."),
            (V{"Blood loss was approx. 50 mL.", "Dr. X closed."}));
  EXPECT_EQ(SentenceTexts("Drugs, e.g. NSAIDs, i.e. Motrin vs. Tylenol. Next."),
            (V{"Drugs, e.g. NSAIDs, i.e. Motrin vs. Tylenol.", "Next."}));
  EXPECT_EQ(SentenceTexts("Pain, stiffness, etc. and fatigue. PT, OT, etc. He left."),
            (V{"Pain, stiffness, etc. and fatigue.", "PT, OT, etc.", "He left."}));
  EXPECT_EQ(SentenceTexts("A No. 10 blade was used. Pt. was stable."),
            (V{"A No. 10 blade was used.", "Pt. was stable."}));
  EXPECT_EQ(SentenceTexts("Morphine 50 mg p.o. b.i.d., Synthroid 100 mcg p.o. daily."),
            (V{"Morphine 50 mg p.o. b.i.d., Synthroid 100 mcg p.o. daily."}));
  EXPECT_EQ(SentenceTexts("He was taking p.o. fluids well. Discharged."),
            (V{"He was taking p.o. fluids well.", "Discharged."}));
}

TEST(SentenceSplitterTest, Decimals) {
  EXPECT_EQ(SentenceTexts("He takes 2.5 mg daily. Temp 98.6. No allergies."),
            (V{"He takes 2.5 mg daily.", "Temp 98.6.", "No allergies."}));
  EXPECT_EQ(SentenceTexts("Injected 0.25 - 0.5 cc of contrast. Done."),
            (V{"Injected 0.25 - 0.5 cc of contrast.", "Done."}));
}

TEST(SentenceSplitterTest, NumberedListsCorpusStyle) {
  EXPECT_EQ(SentenceTexts("PLAN:,1.  She will try Zyrtec.  Another option exists.,"
                          "2.  Samples given."),
            (V{"1.  She will try Zyrtec.", "Another option exists.", "2.  Samples given."}));
  // Items without periods, joined by commas.
  EXPECT_EQ(SentenceTexts("DIAGNOSES:,1.  Lumbar stenosis L4-5,2.  Spondylolisthesis,3.  Pain"),
            (V{"1.  Lumbar stenosis L4-5", "2.  Spondylolisthesis", "3.  Pain"}));
  // "1, 2. The" is not a list; an empty item is no sentence.
  EXPECT_EQ(SentenceTexts("Levels 1, 2. The rest.,1.  Diverticulosis.,2.  ,PLAN:  Rest."),
            (V{"Levels 1, 2.", "The rest.", "1.  Diverticulosis.", "Rest."}));
  EXPECT_EQ(SentenceTexts("SUMMARY:,A.  Adenocarcinoma of prostate.,B.  Negative nodes."),
            (V{"A.  Adenocarcinoma of prostate.", "B.  Negative nodes."}));
}

TEST(SentenceSplitterTest, NumberedListsOnLines) {
  EXPECT_EQ(SentenceTexts("PLAN:\n1. Physical therapy\n2. Return in 6 weeks\n- Ice\n"),
            (V{"1. Physical therapy", "2. Return in 6 weeks", "- Ice"}));
}

TEST(SentenceSplitterTest, LineBreaks) {
  EXPECT_EQ(SentenceTexts("The patient underwent fusion at\nC5-6 without complication.\n"
                          "She tolerated it well."),
            (V{"The patient underwent fusion at\nC5-6 without complication.",
               "She tolerated it well."}));
  EXPECT_EQ(SentenceTexts("Pain radiates to the\nleft leg and\nfoot."),
            (V{"Pain radiates to the\nleft leg and\nfoot."}));
  EXPECT_EQ(SentenceTexts("hypertension\n\ndiabetes"), (V{"hypertension", "diabetes"}));
  EXPECT_EQ(SentenceTexts("Lumbar stenosis\nSpondylolisthesis"),
            (V{"Lumbar stenosis", "Spondylolisthesis"}));
  EXPECT_EQ(SentenceTexts("Seen with\r\nDr. Smith today.\r\n\r\nStable."),
            (V{"Seen with\r\nDr. Smith today.", "Stable."}));
}

TEST(SentenceSplitterTest, QuestionExclamationAndClosers) {
  EXPECT_EQ(SentenceTexts("Is there pain? No pain reported! Good."),
            (V{"Is there pain?", "No pain reported!", "Good."}));
  EXPECT_EQ(SentenceTexts("He said \"I am fine.\"  Then he left. (See note.) Next..."
                          " Done."),
            (V{"He said \"I am fine.\"", "Then he left.", "(See note.)", "Next...", "Done."}));
  EXPECT_EQ(SentenceTexts("Rest (as tolerated.) Then walk."),
            (V{"Rest (as tolerated.)", "Then walk."}));
  EXPECT_EQ(SentenceTexts("He said \xE2\x80\x9C" "fine.\xE2\x80\x9D Then left."),
            (V{"He said \xE2\x80\x9C" "fine.\xE2\x80\x9D", "Then left."}));
}

TEST(SentenceSplitterTest, SentencesStayInsideSectionBodies) {
  const std::string text =
      "HISTORY:,  Neck pain.  Seen by Dr. X.,PAST SURGICAL HISTORY:, ACDF C5-6."
      ",PHYSICAL EXAMINATION,VITAL SIGNS:  BP 120/80.,PLAN:,";
  auto a = AnalyzeText(text);
  ASSERT_EQ(a.sections.size(), 5u);
  std::vector<std::pair<int, std::string>> got;
  uint32_t prev = 0;
  for (const Sentence& s : a.sentences) {
    ASSERT_GE(s.section, 0);
    const Section& sec = a.sections[s.section];
    EXPECT_GE(s.span.begin, sec.body.begin);
    EXPECT_LE(s.span.end, sec.body.end);
    EXPECT_FALSE(s.span.empty());
    EXPECT_GE(s.span.begin, prev);
    prev = s.span.end;
    got.push_back({s.section, testing::Text(text, s.span)});
  }
  EXPECT_EQ(got, (std::vector<std::pair<int, std::string>>{
                     {0, "Neck pain."}, {0, "Seen by Dr. X."}, {1, "ACDF C5-6."},
                     {3, "BP 120/80."}}));
}

TEST(SentenceSplitterTest, TrimmedAndNeverEmptyOnCorpusSample) {
  // Cheap property check over a slice of odd inputs.
  for (std::string_view t : {",,,", ".,.,", "1.", "A.  ", "\n\n\n", "?!", "x.\n\n.y",
                             "PLAN:,:,", "a ,b. ,C"}) {
    auto a = AnalyzeText(t);
    for (const Sentence& s : a.sentences) {
      ASSERT_FALSE(s.span.empty()) << t;
      const char first = t[s.span.begin];
      const char last = t[s.span.end - 1];
      EXPECT_NE(first, ' ') << t;
      EXPECT_NE(last, ' ') << t;
      EXPECT_NE(last, '\n') << t;
    }
  }
}

}  // namespace
}  // namespace suggest::internal
