// Copyright libsuggest authors.
//
// A live session's facts stage takes a unit's levels and anchor matches
// from the pass before when the bytes those scans read are unchanged
// (facts/facts.h FactExtractor::UnitMemo, facts.cc UnitScanKey). Checked
// here against Extract without the memo, text after text of one chain, as a
// session chains them: first hand-made notes whose edits change what a unit
// reads just outside its own bytes (the byte before it, the blanks and the
// byte after it) or a note-level input far from the unit (the note's spine
// word, the exam line, a surgery elsewhere, an operative title, a modality
// word earlier in the section, the neighbour sentence's level); then corpus
// notes that reach the facts stage, edited at random.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "facts/facts.h"
#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "testing/edits.h"
#include "testing/facts.h"
#include "text/normalize.h"
#include "text/sectionizer.h"
#include "text/sentence_splitter.h"
#include "util/disk_cache.h"

namespace suggest {
namespace {

using testing::Boundary;

using Stage = testing::ShippedStage;

const Stage& TheStage() { return testing::TheShippedStage(); }

// The facts of `text` as JSON, through `memo` (or none).
std::string FactsJson(const std::string& text, internal::FactExtractor::UnitMemo* memo) {
  const Stage& st = TheStage();
  auto nt = st.normalizer->Normalize(text, InvalidUtf8Policy::kReplace);
  if (!nt.ok()) return "error";
  Result r;
  r.sections = internal::FindSections(text, *nt, st.sections);
  r.sentences = internal::SplitSentences(text, *nt, {}, r.sections);
  internal::ScanReport report;
  r.facts = st.facts->Extract(text, *nt, r.sections, r.sentences, &report, nullptr, memo);
  r.truncated = report.truncated;
  return ResultToJson(r, text, "n") + (report.failed ? " failed" : "");
}

// The facts of `text` whose one sentence is [0, sentence_end) (a unit cut
// where the splitter would not cut, to reach what a unit reads around it).
std::string FactsOfSentence(const std::string& text, uint32_t sentence_begin,
                            uint32_t sentence_end, internal::FactExtractor::UnitMemo* memo) {
  const Stage& st = TheStage();
  auto nt = st.normalizer->Normalize(text, InvalidUtf8Policy::kReplace);
  if (!nt.ok()) return "error";
  Result r;
  r.sentences.push_back({{sentence_begin, sentence_end}, -1});
  r.facts = st.facts->Extract(text, *nt, r.sections, r.sentences, nullptr, nullptr, memo);
  return ResultToJson(r, text, "n");
}

// Each text in turn through one memo, against no memo; returns the facts
// of each text (to show that the edits change them).
std::vector<std::string> Chain(const std::vector<std::string>& texts, size_t* reused) {
  internal::FactExtractor::UnitMemo memo;
  std::vector<std::string> out;
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string want = FactsJson(texts[i], nullptr);
    EXPECT_EQ(FactsJson(texts[i], &memo), want) << "text " << i << ":\n" << texts[i];
    *reused += memo.reused();
    out.push_back(want);
  }
  return out;
}

// A note of several sentences, then `tail` far from them.
std::string Far(const std::string& head, const std::string& tail) {
  std::string filler;
  for (int i = 0; i < 12; ++i) filler += "The patient was seen in clinic today and is doing well. ";
  return head + "\n" + filler + "\n" + tail;
}

TEST(UnitMemoTest, EditsOutsideTheUnitThatChangeItsFacts) {
  ASSERT_NE(TheStage().facts, nullptr);
  size_t reused = 0;
  const std::string unit = "Solid arthrodesis.";
  const std::string level = "Prior fusion at L4-5 and L5-S1";
  // Each chain: the unit's own bytes stay; what it reads around it changes.
  const std::vector<std::vector<std::string>> chains = {
      // The blanks after a unit and the byte after them (StandsAlone).
      {level + "      ;\nNext.", level + "      x\nNext.", level + "      ,\nNext.",
       level + "\t \t   \nNext.", level + "      and more"},
      // The byte before the unit, and the unit at the text's start.
      {"x" + level + ".", level + ".", "\n" + level + ".", "-" + level + ".", "3" + level + "."},
      // The neighbour sentence's spine context ("Solid arthrodesis." borrows it).
      {"FINDINGS: Screws at L4-L5. " + unit, "FINDINGS: Screws at L4-Lx. " + unit,
       "FINDINGS: Screws at L4-L5. " + unit},
      // The note's spine word, far away (needs_spine_context = "note").
      {Far("History of fusion.", "Knee pain."), Far("History of fusion.", "Lumbar spine pain."),
       Far("History of fusion.", "Knee pain.")},
      // The exam line (first line) of an imaging report.
      {"EXAM: CT LUMBAR SPINE\nFINDINGS: " + unit + " DISH.",
       "EXAM: CT CHEST\nFINDINGS: " + unit + " DISH.",
       "EXAM: XR CHEST, 2 VIEWS\nFINDINGS: " + unit + " DISH."},
      // A bare "fused" and a surgery elsewhere; ankylosing spondylitis elsewhere.
      {Far("The C5 and C6 vertebral bodies are fused.", "No surgery."),
       Far("The C5 and C6 vertebral bodies are fused.", "Status post L4-5 spinal fusion."),
       Far("The C5 and C6 vertebral bodies are fused.", "Ankylosing spondylitis."),
       Far("The C5 and C6 vertebral bodies are fused.", "No surgery.")},
      // An operative title far away (encounter timing cues).
      {Far("L4-L5 posterior spinal fusion was performed.", "Follow up in clinic."),
       "OPERATIVE REPORT\n" + Far("L4-L5 posterior spinal fusion was performed.", "Follow up."),
       Far("L4-L5 posterior spinal fusion was performed.", "Follow up in clinic.")},
      // A modality word earlier in the section.
      {"IMPRESSION: MRI lumbar spine reviewed. Patient seen. Hardware intact at L4-5.",
       "IMPRESSION: CT lumbar spine reviewed. Patient seen. Hardware intact at L4-5.",
       "IMPRESSION: Lumbar spine reviewed. Patient seen. Hardware intact at L4-5."},
  };
  size_t changed = 0;
  for (const auto& chain : chains) {
    const auto facts = Chain(chain, &reused);
    for (size_t i = 1; i < facts.size(); ++i) changed += facts[i] != facts[i - 1];
  }
  // The traps have teeth: the facts do change along the chains, and the
  // memo is used.
  EXPECT_GE(changed, 8u);
  EXPECT_GT(reused, 0u);
}

// The bytes just outside a unit that its scans read: the byte before it
// (\b), and the blanks after it and the byte after them (a list item after
// ';' continues a level list only when it stands alone: levels.cc
// StandsAlone). Units cut by hand, where the sentence splitter would not.
TEST(UnitMemoTest, BytesJustOutsideTheUnit) {
  ASSERT_NE(TheStage().facts, nullptr);
  internal::FactExtractor::UnitMemo memo;
  const std::string unit = "Fusion at L3-4; L4-5";
  std::vector<std::string> seen;
  for (const std::string& after : {"   .", "   x", "\t .", "\t y"}) {
    const std::string text = unit + after;
    const uint32_t end = static_cast<uint32_t>(unit.size());
    const std::string want = FactsOfSentence(text, 0, end, nullptr);
    EXPECT_EQ(FactsOfSentence(text, 0, end, &memo), want) << text;
    seen.push_back(want);
  }
  EXPECT_NE(seen[0], seen[1]);  // the trap has teeth
  for (const std::string& before : {"x", " ", "3", "-"}) {
    const std::string text = before + "L4-5 fusion, solid arthrodesis";
    const uint32_t n = static_cast<uint32_t>(text.size());
    const std::string want = FactsOfSentence(text, 1, n, nullptr);
    EXPECT_EQ(FactsOfSentence(text, 1, n, &memo), want) << text;
    seen.push_back(want);
  }
  EXPECT_NE(seen[4], seen[5]);
}

// A unit's assertion cues (SentenceCues) kept by the memo: the unit moved
// by an edit before it (the cue's offsets and the targets' shift with it:
// checked by mutation), and sentences cut by hand whose cue starts or ends
// at the edge, next to a word byte or not (FindCues reads the byte on each
// side of a cue; a unit's range comes from its tokens, so a word byte there
// joins the unit, and the key, which holds both bytes, tells them apart).
TEST(UnitMemoTest, AssertionCuesOfAUnitMovedOrAtItsEdges) {
  ASSERT_NE(TheStage().facts, nullptr);
  size_t reused = 0;
  const std::string unit = "No evidence of fusion at L4-5. Possible pseudarthrosis at C5-6.";
  const auto facts = Chain({"Seen. " + unit, "Seen in clinic today. " + unit, unit,
                            "Seen in clinic today. " + unit + " Knee pain."},
                           &reused);
  EXPECT_NE(facts[0], facts[1]);
  EXPECT_NE(facts[0].find("negated"), std::string::npos);
  EXPECT_GT(reused, 0u);
  internal::FactExtractor::UnitMemo memo;
  std::vector<std::string> seen;
  for (const std::string& before : {" ", "x", " ", "-"}) {
    const std::string text = before + "no fusion at L4-5";
    const auto n = static_cast<uint32_t>(text.size());
    const std::string want = FactsOfSentence(text, 1, n, nullptr);
    EXPECT_EQ(FactsOfSentence(text, 1, n, &memo), want) << text;
    seen.push_back(want);
  }
  EXPECT_NE(seen[0], seen[1]);  // "xno" holds no cue
  for (const std::string& after : {" ", "x", " "}) {
    const std::string text = "fusion at L4-5 ruled out" + after;
    const auto n = static_cast<uint32_t>(text.size() - 1);
    const std::string want = FactsOfSentence(text, 0, n, nullptr);
    EXPECT_EQ(FactsOfSentence(text, 0, n, &memo), want) << text;
    seen.push_back(want);
  }
  EXPECT_NE(seen[4], seen[5]);  // "outx" holds no cue
}

TEST(UnitMemoCorpusTest, MemoEqualsScanAfterRandomEdits) {
  ASSERT_NE(TheStage().facts, nullptr);
  const auto all = testing::LoadCorpus();
  if (all.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const auto reserved = testing::ReservedIds();
  static const char* const kPieces[] = {
      ".", ", ", "\n", "   ", " ", "x", "-", "\xC3\xA9", "L4-5", "spine", "fusion",
      "lumbar", "EXAM: CT CHEST\n", "OPERATIVE REPORT\n", "solid arthrodesis. ", "\t"};
  std::mt19937 rng(1617);
  size_t notes = 0, steps = 0, reused = 0;
  for (const auto& note : all) {
    if (reserved.count(note.id) || note.text.empty()) continue;
    // Notes that reach the facts stage: the ones a memo serves.
    if (FactsJson(note.text, nullptr).find("\"facts\":[]") != std::string::npos) continue;
    ++notes;
    internal::FactExtractor::UnitMemo memo;
    std::string text = note.text;
    FactsJson(text, &memo);  // the session's first pass
    for (int step = 0; step < 6; ++step, ++steps) {
      const int what = std::uniform_int_distribution<int>(0, 2)(rng);
      const size_t b = Boundary(rng, text, 0, text.size());
      if (what == 0) {  // insert a piece
        text.insert(b, kPieces[std::uniform_int_distribution<size_t>(0, 15)(rng)]);
      } else if (what == 1) {  // delete a few bytes
        const size_t e = Boundary(rng, text, b, std::min(text.size(), b + 12));
        text.erase(b, e - b);
      } else {  // move a piece of the note elsewhere (far from the first edit)
        const size_t e = Boundary(rng, text, b, std::min(text.size(), b + 80));
        const std::string piece = text.substr(b, e - b);
        text.insert(Boundary(rng, text, 0, text.size()), piece);
      }
      const std::string want = FactsJson(text, nullptr);
      ASSERT_EQ(FactsJson(text, &memo), want) << "note " << note.id << " step " << step;
      reused += memo.reused();
    }
  }
  std::printf("UnitMemoCorpusTest: %zu notes, %zu edits, %zu scans reused\n", notes, steps,
              reused);
  EXPECT_GT(notes, 50u);
  EXPECT_GT(reused, steps);
}

}  // namespace
}  // namespace suggest
