// Copyright libsuggest authors.
//
// Without the text layer, Model::Analyze leaves the sentence split to the
// facts stage, which splits only the sections that hold a concept match
// (facts/facts.h FactExtractor::ExtractSplitting; issue 18: a long note pays
// the splitter where it names a concept). Checked here against Extract over
// the whole note's split: hand-made notes where what decides a fact lies far
// from it (a header, the neighbour sentence, a note-level cue, a modality word
// sections earlier), every corpus note that reaches the facts stage, and
// long notes of corpus notes laid end to end.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "facts/facts.h"
#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "testing/facts.h"
#include "text/normalize.h"
#include "text/sectionizer.h"
#include "text/sentence_splitter.h"
#include "util/disk_cache.h"

namespace suggest {
namespace {

using Stage = testing::ShippedStage;

const Stage& TheStage() { return testing::TheShippedStage(); }

// The facts of `text` as JSON (sections included, sentences not): split by
// the facts stage (`in_facts`), or over the whole note first as the text
// layer does.
std::string FactsJson(const std::string& text, bool in_facts) {
  const Stage& st = TheStage();
  auto nt = st.normalizer->Normalize(text, InvalidUtf8Policy::kReplace);
  if (!nt.ok()) return "error";
  Result r;
  r.sections = internal::FindSections(text, *nt, st.sections);
  internal::ScanReport report;
  if (in_facts) {
    r.facts = st.facts->ExtractSplitting(text, *nt, r.sections, &report);
  } else {
    const auto sentences = internal::SplitSentences(text, *nt, {}, r.sections);
    r.facts = st.facts->Extract(text, *nt, r.sections, sentences, &report);
    for (Fact& f : r.facts) f.sentence = -1;
  }
  r.truncated = report.truncated;
  return ResultToJson(r, text, "n") + (report.failed ? " failed" : "");
}

// Sentences without a concept, many of them, in sections of their own.
std::string Filler(int sections) {
  std::string out;
  for (int i = 0; i < sections; ++i) {
    out += "\nREVIEW OF SYSTEMS:\n";
    for (int j = 0; j < 6; ++j) out += "The patient was seen in clinic today and is doing well. ";
  }
  return out + "\n";
}

TEST(SplitInFactsTest, WhatDecidesAFactFarFromIt) {
  ASSERT_NE(TheStage().facts, nullptr);
  const std::string far = Filler(40);
  // Pairs: the same fact, with and without what decides it far from it.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      // A history header, its body long before the fact (the section kind).
      {"PAST SURGICAL HISTORY:\n" + far.substr(20) + "L4-5 fusion in 2010.",
       "PLAN:\n" + far.substr(20) + "L4-5 fusion in 2010."},
      // The neighbour sentence's level lends spine context ("Solid arthrodesis.").
      {far + "FINDINGS:\nAlignment is normal at L4-L5. Solid arthrodesis.\n" + far,
       far + "FINDINGS:\nAlignment is normal here. Solid arthrodesis.\n" + far},
      // ... only from its own section: the level in the section before.
      {far + "FINDINGS:\nAlignment is normal at L4-L5.\nIMPRESSION:\nSolid arthrodesis.\n" + far,
       far + "FINDINGS:\nAlignment is normal.\nIMPRESSION:\nSolid arthrodesis.\n" + far},
      // The note's spine word far away (needs_spine_context = "note").
      {"Known DISH." + far + "Lumbar spine pain.", "Known DISH." + far + "Knee pain."},
      // An operative title far before (encounter timing cues).
      {"OPERATIVE REPORT\n" + far + "L4-L5 posterior spinal fusion was performed.",
       "CLINIC NOTE\n" + far + "L4-L5 posterior spinal fusion was performed."},
      // A discharge section far after the fact (a note of the stay).
      {"L4-L5 fusion on 2024-03-02." + far + "DISCHARGE DIAGNOSES:\nBack pain.",
       "L4-L5 fusion on 2024-03-02." + far + "ASSESSMENT:\nBack pain."},
      // An imaging report's own section far away, and its exam line.
      {"EXAM: CT LUMBAR SPINE\n" + far + "IMPRESSION:\nThe vertebral bodies are fused. DISH.",
       "EXAM: CT CHEST\n" + far + "IMPRESSION:\nThe vertebral bodies are fused. DISH."},
      // A modality word sentences earlier in the same section.
      {far + "IMPRESSION: MRI lumbar spine reviewed." + std::string(3000, ' ') +
           "Patient seen. Pseudarthrosis at L4-5." + far,
       far + "IMPRESSION: Lumbar spine reviewed." + std::string(3000, ' ') +
           "Patient seen. Pseudarthrosis at L4-5." + far},
      // A modality word beside a finding in one sentence (a sentence of
      // modality words alone is not read for levels: facts.cc
      // OnlyModalityWords; the one above still lends its modality).
      {far + "FINDINGS:\nCT shows pseudarthrosis at L4-5.\n" + far,
       far + "FINDINGS:\nExam shows pseudarthrosis at L4-5.\n" + far},
  };
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [with, without] = pairs[i];
    const std::string a = FactsJson(with, false), b = FactsJson(without, false);
    EXPECT_EQ(FactsJson(with, true), a) << "pair " << i;
    EXPECT_EQ(FactsJson(without, true), b) << "pair " << i << " (without)";
    EXPECT_EQ(a.find("\"facts\":[]"), std::string::npos) << "pair " << i;
    EXPECT_NE(a, b) << "pair " << i;  // the trap has teeth: what lies far away counts
  }
}

TEST(SplitInFactsCorpusTest, EveryNoteAndLongNotes) {
  ASSERT_NE(TheStage().facts, nullptr);
  const auto all = testing::LoadCorpus();
  if (all.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const auto reserved = testing::ReservedIds();
  size_t notes = 0;
  std::string long_note;
  size_t long_notes = 0;
  for (const auto& note : all) {
    if (reserved.count(note.id) || note.text.empty()) continue;
    const std::string want = FactsJson(note.text, false);
    if (want.find("\"facts\":[]") == std::string::npos) ++notes;
    ASSERT_TRUE(FactsJson(note.text, true) == want) << note.id;  // (not the long JSON)
    // Long notes: the notes laid end to end, ~300 KB each (a few).
    long_note += note.text + "\n\n";
    if (long_note.size() >= 300000 && long_notes < 4) {
      ASSERT_TRUE(FactsJson(long_note, true) == FactsJson(long_note, false)) << "long " << long_notes;
      ++long_notes;
      long_note.clear();
    }
  }
  EXPECT_GT(notes, 50u);
  EXPECT_EQ(long_notes, 4u);
}

}  // namespace
}  // namespace suggest
