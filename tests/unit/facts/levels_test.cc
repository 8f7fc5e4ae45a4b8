// Copyright libsuggest authors.
//
// Vertebral level extraction: a hand-written table of level expressions
// (forms and lookalikes) and sentences from the MTSamples corpus checked by
// hand (tests/data/levels/corpus_sentences.jsonl).

#include "facts/levels.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../../testing/corpus.h"  // unit_tests has no tests/ include dir
#include "text/normalize.h"
#include "../../testing/edited_models.h"

namespace suggest::internal {
namespace {

using ::testing::ElementsAreArray;
using Strings = std::vector<std::string>;

class LevelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto n = Normalizer::Create();
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    normalizer_ = new std::shared_ptr<const Normalizer>(*n);
    auto ex = LevelExtractor::Load(std::string(SUGGEST_MODELS_DIR) + "/rules/levels.toml",
                                   **normalizer_, nullptr);
    ASSERT_TRUE(ex.ok()) << ex.status().ToString();
    levels_ = new std::shared_ptr<const LevelExtractor>(*ex);
  }
  static void TearDownTestSuite() {
    delete levels_;
    delete normalizer_;
    levels_ = nullptr;
    normalizer_ = nullptr;
  }

  static std::string Norm(const std::string& s) {
    auto nt = (*normalizer_)->Normalize(s, InvalidUtf8Policy::kError);
    EXPECT_TRUE(nt.ok()) << nt.status().ToString();
    return nt.ok() ? nt->text : std::string();
  }

  // Union over all mentions of a normalized text, sorted.
  struct Found {
    Strings segments, vertebrae, regions;
    std::string debug;
  };
  static Found Run(const std::string& original, const std::string& hint = {}) {
    const std::string text = Norm(original);
    Found f;
    for (const LevelMention& m :
         (*levels_)->Extract(text, 0, static_cast<uint32_t>(text.size()), hint)) {
      f.segments.insert(f.segments.end(), m.segments.begin(), m.segments.end());
      f.vertebrae.insert(f.vertebrae.end(), m.vertebrae.begin(), m.vertebrae.end());
      f.regions.insert(f.regions.end(), m.regions.begin(), m.regions.end());
      f.debug += "[" + text.substr(m.begin, m.end - m.begin) + "|" + LevelFormName(m.form) +
                 "|" + m.rule_id + (m.nerve_root ? "|root" : "") + "] ";
    }
    for (Strings* v : {&f.segments, &f.vertebrae, &f.regions}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    return f;
  }

  static Strings Sorted(Strings v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  static std::shared_ptr<const Normalizer>* normalizer_;
  static std::shared_ptr<const LevelExtractor>* levels_;
};
std::shared_ptr<const Normalizer>* LevelsTest::normalizer_ = nullptr;
std::shared_ptr<const LevelExtractor>* LevelsTest::levels_ = nullptr;

constexpr const char* kOaa = "occipito_atlanto_axial";
constexpr const char* kCerv = "cervical";
constexpr const char* kCT = "cervicothoracic";
constexpr const char* kThor = "thoracic";
constexpr const char* kTL = "thoracolumbar";
constexpr const char* kLumb = "lumbar";
constexpr const char* kLS = "lumbosacral";
constexpr const char* kSac = "sacral_sacrococcygeal";

struct Case {
  const char* text;
  const char* hint;
  Strings segments;
  Strings vertebrae;
  Strings regions;
};

// Expected values were written from the design note (section 3), not from
// the program's output.
const std::vector<Case>& Cases() {
  static const std::vector<Case> kCases = {
      // --- the forms of design.md section 3
      {"C5-C6", "", {"C5-C6"}, {}, {kCerv}},
      {"C5\u20136", "", {"C5-C6"}, {}, {kCerv}},
      {"C5/6", "", {"C5-C6"}, {}, {kCerv}},
      {"C5-6", "", {"C5-C6"}, {}, {kCerv}},
      {"C 5-6", "", {"C5-C6"}, {}, {kCerv}},
      {"C-5 to C-6", "", {"C5-C6"}, {}, {kCerv}},
      {"fusion C5 through C7", "", {"C5-C6", "C6-C7"}, {}, {kCerv}},
      {"C5 thru C7 fusion", "", {"C5-C6", "C6-C7"}, {}, {kCerv}},
      {"fusion of C5, C6 and C7", "", {"C5-C6", "C6-C7"}, {"C5", "C6", "C7"}, {kCerv}},
      {"L4-5 and L5-S1", "", {"L4-L5", "L5-S1"}, {}, {kLumb, kLS}},
      {"L4-S1", "", {"L4-L5", "L5-S1"}, {}, {kLumb, kLS}},
      {"T12-L1", "", {"T12-L1"}, {}, {kTL}},
      {"L5-S1", "", {"L5-S1"}, {}, {kLS}},
      {"C5-6, C6-7", "", {"C5-C6", "C6-C7"}, {}, {kCerv}},
      {"two-level C5-C7 ACDF", "", {"C5-C6", "C6-C7"}, {}, {kCerv}},
      {"disc bulge at the 4-5 level", "lumbar", {"L4-L5"}, {}, {kLumb}},
      {"moderate stenosis at 4-5", "cervical", {"C4-C5"}, {}, {kCerv}},
      {"MRI of the lumbar spine shows a herniation at the 5-1 level", "", {"L5-S1"}, {},
       {kLumb, kLS}},
      {"fracture of the fifth cervical vertebra", "", {}, {"C5"}, {kCerv}},
      {"the fourth and fifth lumbar vertebrae were fused", "", {"L4-L5"}, {"L4", "L5"}, {kLumb}},
      {"fusion across the lumbosacral junction", "", {"L5-S1"}, {}, {kLS}},
      {"L5/S1", "", {"L5-S1"}, {}, {kLS}},
      {"C1-2 fusion", "", {"C1-C2"}, {}, {kOaa}},
      {"fusion from occiput to C2", "", {"O-C1", "C1-C2"}, {}, {kOaa}},
      {"O-C2 fusion", "", {"O-C1", "C1-C2"}, {}, {kOaa}},
      {"C0-C1 instability", "", {"O-C1"}, {}, {kOaa}},
      {"D11-D12 disc", "", {"T11-T12"}, {}, {kThor}},
      {"D12 compression fracture", "", {}, {"T12"}, {kThor}},
      {"L5-L6 disc herniation", "", {"L5-L6"}, {}, {kLumb}},
      {"instrumented fusion L4-L6", "", {"L4-L5", "L5-L6"}, {}, {kLumb}},
      {"L6-S1 transitional segment", "", {"L6-S1"}, {}, {kLS}},
      {"S1-S2 fixation", "", {"S1-S2"}, {}, {kSac}},
      {"fusion extended from L5 to the sacrum", "", {"L5-S1"}, {}, {kLS}},
      {"sacrococcygeal fusion", "", {}, {}, {kSac}},
      {"C5 nerve root", "", {}, {"C5"}, {kCerv}},
      {"L1 compression fracture", "", {}, {"L1"}, {kLumb}},
      {"decompression of the C5 and C6 nerve roots", "", {}, {"C5", "C6"}, {kCerv}},
      {"the exiting nerve roots at T11 and T12 were free", "", {}, {"T11", "T12"}, {kThor}},
      {"pedicle screws at L4 and L5", "", {"L4-L5"}, {"L4", "L5"}, {kLumb}},
      {"pedicle screws were placed in T11 and L1", "", {}, {"T11", "L1"}, {kThor, kLumb}},
      {"C4-5, 5-6, and 6-7", "", {"C4-C5", "C5-C6", "C6-C7"}, {}, {kCerv}},
      {"L3-4 through L5-S1 laminectomy", "", {"L3-L4", "L4-L5", "L5-S1"}, {}, {kLumb, kLS}},
      {"C6-T1 fusion", "", {"C6-C7", "C7-T1"}, {}, {kCerv, kCT}},
      {"L5-1 disc", "", {"L5-S1"}, {}, {kLS}},
      {"fusion at T11 and 12", "", {"T11-T12"}, {"T11", "T12"}, {kThor}},
      {"L4 to the sacrum", "", {"L4-L5", "L5-S1"}, {}, {kLumb, kLS}},
      {"rod from S1 up to the T11 level", "",
       {"T11-T12", "T12-L1", "L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"}, {},
       {kThor, kTL, kLumb, kLS}},
      {"cervical spine", "", {}, {}, {kCerv}},
      {"lumbar fusion", "", {}, {}, {kLumb}},
      {"thoracolumbar junction fracture", "", {"T12-L1"}, {}, {kTL}},
      {"the cervicothoracic junction", "", {"C7-T1"}, {}, {kCT}},
      {"atlantoaxial instability treated with fusion", "", {}, {}, {kOaa}},
      {"C2 vertebral body fracture", "", {}, {"C2"}, {kOaa}},
      {"T1 pedicle screw", "", {}, {"T1"}, {kThor}},
      {"C7-T1", "", {"C7-T1"}, {}, {kCT}},
      {"L2-3, L3-4 and L4-5", "", {"L2-L3", "L3-L4", "L4-L5"}, {}, {kLumb}},
      {"C3-C4, C4-C5, and C5-C6", "", {"C3-C4", "C4-C5", "C5-C6"}, {}, {kCerv}},
      {"stenosis at L4-5 and at L5-S1", "", {"L4-L5", "L5-S1"}, {}, {kLumb, kLS}},
      {"C6 and C7 radiculopathy", "", {}, {"C6", "C7"}, {kCerv}},
      {"disc space at L4/5", "", {"L4-L5"}, {}, {kLumb}},
      {"sixth and seventh cervical vertebrae", "", {"C6-C7"}, {"C6", "C7"}, {kCerv}},
      // The two vertebrae form the L5-S1 segment, so only its region counts
      // (a lone vertebra's region is added only when it is in no segment).
      {"fifth lumbar and first sacral vertebrae", "", {"L5-S1"}, {"L5", "S1"}, {kLS}},
      {"T4-T8 posterior fusion", "", {"T4-T5", "T5-T6", "T6-T7", "T7-T8"}, {}, {kThor}},
      {"C2-3 disc", "", {"C2-C3"}, {}, {kCerv}},
      {"T12-1 disc", "", {"T12-L1"}, {}, {kTL}},
      {"C7-1 level", "", {"C7-T1"}, {}, {kCT}},
      {"at the 4-5 and 5-1 levels", "lumbar", {"L4-L5", "L5-S1"}, {}, {kLumb, kLS}},
      {"S4 to coccyx", "", {"S4-S5", "S5-Co"}, {}, {kSac}},
      {"lateral branches at the S1, S2, and S3 foramina", "", {"S1-S2", "S2-S3"},
       {"S1", "S2", "S3"}, {kSac}},
      {"decreased T1 and increased T2 signal at the C4-6 level", "", {"C4-C5", "C5-C6"}, {},
       {kCerv}},
      // --- impossible levels
      {"C9-C10 disc", "", {}, {}, {}},
      {"T13 vertebra", "", {}, {}, {}},
      {"L7 vertebral body", "", {}, {}, {}},
      {"S6 screw", "", {}, {}, {}},
      {"C8 nerve root", "", {}, {}, {}},
      {"C7-C8 disc", "", {}, {}, {}},
      {"non-adjacent bare numbers at the 3-5 level", "lumbar", {}, {}, {}},
      // --- lookalikes
      {"Lisinopril 5 mg daily", "", {}, {}, {}},
      {"dose l5 mg daily for the disc pain", "", {}, {}, {}},
      {"C3 and C4 complement levels were low", "", {}, {}, {}},
      {"T3, T4, TSH within normal limits", "", {}, {}, {}},
      {"C-peptide was elevated", "", {}, {}, {}},
      {"Follow up on 4/5/2010 at 10:30", "lumbar", {}, {}, {}},
      {"Heart: regular rate and rhythm, S1 S2 normal, no murmurs.", "", {}, {}, {}},
      {"T2-weighted images show disc desiccation", "", {}, {}, {}},
      {"Sagittal T1 images of the lumbar spine", "", {}, {}, {kLumb}},
      {"L1 regular diet", "", {}, {}, {}},
      {"G2P1 at 39 weeks", "", {}, {}, {}},
      {"History of C-section", "", {}, {}, {}},
      {"Breast cancer staged T2 N0 M0", "", {}, {}, {}},
      {"C1 esterase inhibitor deficiency", "", {}, {}, {}},
      {"Class II obesity", "", {}, {}, {}},
      {"CN II-XII intact", "", {}, {}, {}},
      {"GCS 15, strength 4-5/5 at the hips", "lumbar", {}, {}, {}},
      {"There is an S4 at the apex", "", {}, {}, {}},
      {"Heart regular with a normal S1 with normally split S2.", "", {}, {}, {}},
      {"vitamin D3 1000 units daily", "", {}, {}, {}},
      {"D5 1/2 NS at 100 cc per hour", "", {}, {}, {}},
      {"white blood cells 10 to 25, rbc's 2 to 5", "", {}, {}, {}},
      {"Vital Signs: T 98.2, P 70, R 16", "", {}, {}, {}},
      {"The circle-C 8-inch catheter was inserted", "", {}, {}, {}},
      {"cervical os closed, no dilation", "", {}, {}, {}},
      {"lumbar puncture was performed", "", {}, {}, {}},
      {"T1DM on insulin", "", {}, {}, {}},
      {"seen at 4-5 pm yesterday", "lumbar", {}, {}, {}},
      {"back pain for 4-5 weeks", "lumbar", {}, {}, {}},
      {"pT3 N1 adenocarcinoma", "", {}, {}, {}},
      {"free T4 was low", "", {}, {}, {}},
      {"hyperintense on T2 in the disc", "", {}, {}, {}},
      {"isointense on T1 near the disc", "", {}, {}, {}},
      {"Stryker T2 tibial nail with locking screws", "", {}, {}, {}},
      {"the first dorsal compartment was released", "", {}, {}, {}},
      {"D1 has 25% lesion; no restenosis in D2 and D3", "", {}, {}, {}},
  };
  return kCases;
}

TEST_F(LevelsTest, HandWrittenTable) {
  size_t positives = 0;
  for (const Case& c : Cases()) {
    const Found f = Run(c.text, c.hint);
    EXPECT_THAT(f.segments, ElementsAreArray(Sorted(c.segments))) << c.text << "\n  " << f.debug;
    EXPECT_THAT(f.vertebrae, ElementsAreArray(Sorted(c.vertebrae))) << c.text << "\n  " << f.debug;
    EXPECT_THAT(f.regions, ElementsAreArray(Sorted(c.regions))) << c.text << "\n  " << f.debug;
    if (!c.segments.empty() || !c.vertebrae.empty()) ++positives;
  }
  EXPECT_GE(Cases().size(), 60u);
  EXPECT_GE(positives, 50u);
}

TEST_F(LevelsTest, FormsAndSpans) {
  const std::string text = Norm("Pain. Fusion at L4-5 and L5-S1 was solid; C5 nerve root.");
  const auto ms = (*levels_)->Extract(text, 0, static_cast<uint32_t>(text.size()));
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(text.substr(ms[0].begin, ms[0].end - ms[0].begin), "l4-5 and l5-s1");
  EXPECT_EQ(ms[0].form, LevelForm::kList);
  EXPECT_EQ(text.substr(ms[1].begin, ms[1].end - ms[1].begin), "c5");
  EXPECT_EQ(ms[1].form, LevelForm::kSingle);
  EXPECT_TRUE(ms[1].nerve_root);
  EXPECT_FALSE(ms[0].nerve_root);
}

TEST_F(LevelsTest, RespectsRange) {
  const std::string text = Norm("C5-6 disc. Then L4-5 disc.");
  const auto ms = (*levels_)->Extract(text, 11, static_cast<uint32_t>(text.size()));
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_THAT(ms[0].segments, ElementsAreArray(Strings{"L4-L5"}));
  EXPECT_TRUE((*levels_)->Extract(text, 3, 3).empty());
}

TEST_F(LevelsTest, RegionOfSegment) {
  EXPECT_EQ(RegionOfSegment("O-C1"), kOaa);
  EXPECT_EQ(RegionOfSegment("C1-C2"), kOaa);
  EXPECT_EQ(RegionOfSegment("C2-C3"), kCerv);
  EXPECT_EQ(RegionOfSegment("C6-C7"), kCerv);
  EXPECT_EQ(RegionOfSegment("C7-T1"), kCT);
  EXPECT_EQ(RegionOfSegment("T11-T12"), kThor);
  EXPECT_EQ(RegionOfSegment("T12-L1"), kTL);
  EXPECT_EQ(RegionOfSegment("L4-L5"), kLumb);
  EXPECT_EQ(RegionOfSegment("L5-L6"), kLumb);
  EXPECT_EQ(RegionOfSegment("L5-S1"), kLS);
  EXPECT_EQ(RegionOfSegment("L6-S1"), kLS);
  EXPECT_EQ(RegionOfSegment("S1-S2"), kSac);
  EXPECT_EQ(RegionOfSegment("S5-Co"), kSac);
  EXPECT_EQ(RegionOfSegment("C5-C7"), "");  // not adjacent
  EXPECT_EQ(RegionOfSegment("C7-C8"), "");  // C8 is not a vertebra
  EXPECT_EQ(RegionOfSegment("L5"), "");
  EXPECT_EQ(RegionOfVertebra("C2"), kOaa);
  EXPECT_EQ(RegionOfVertebra("C3"), kCerv);
  EXPECT_EQ(RegionOfVertebra("T12"), kThor);
  EXPECT_EQ(RegionOfVertebra("S3"), kSac);
  EXPECT_EQ(RegionOfVertebra("C8"), "");
  // The eight regions of one segment, then the pseudo-region "multiple_sites"
  // of a region word only ("entire spine", "multiple sites"; issue 13),
  // which no segment or vertebra has.
  EXPECT_EQ(AllRegions().size(), 9u);
  EXPECT_EQ(AllRegions().back(), "multiple_sites");
}

TEST_F(LevelsTest, RegionsOfPhrase) {
  auto r = (*levels_)->RegionsOfPhrase("lumbar fusion");
  EXPECT_THAT(r.regions, ElementsAreArray(Strings{kLumb}));
  EXPECT_TRUE(r.segments.empty());
  r = (*levels_)->RegionsOfPhrase("cervical spine");
  EXPECT_THAT(r.regions, ElementsAreArray(Strings{kCerv}));
  r = (*levels_)->RegionsOfPhrase("lumbosacral junction");
  EXPECT_THAT(r.regions, ElementsAreArray(Strings{kLS}));
  EXPECT_THAT(r.segments, ElementsAreArray(Strings{"L5-S1"}));
  r = (*levels_)->RegionsOfPhrase("cervical and thoracolumbar");
  EXPECT_THAT(r.regions, ElementsAreArray(Strings{kCerv, kTL}));
  EXPECT_TRUE((*levels_)->RegionsOfPhrase("cervical lymphadenopathy").regions.empty());
}

TEST_F(LevelsTest, NoSpineTextIsCheap) {
  // The common path: text without levels yields nothing (and the pack's Set
  // pass rejects it before any capture).
  const std::string text = Norm(
      "The patient is a 45-year-old woman with hypertension and diabetes. She takes "
      "metformin 500 mg twice daily. Lungs clear. Abdomen soft.");
  EXPECT_TRUE((*levels_)->Extract(text, 0, static_cast<uint32_t>(text.size())).empty());
}

// Corpus sentences read and annotated by hand. Each line:
//   {"id": note id, "sentence": exact substring of the note,
//    "segments": [...], "vertebrae": [...]}
TEST_F(LevelsTest, CorpusSentencesCheckedByHand) {
  const std::string path = std::string(SUGGEST_TESTDATA_DIR) + "/levels/corpus_sentences.jsonl";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  const std::vector<testing::CorpusNote> corpus = testing::LoadCorpus();
  if (corpus.empty()) GTEST_SKIP() << "corpus missing: " << testing::CorpusPath();
  std::map<std::string, const std::string*> by_id;
  for (const auto& n : corpus) by_id[n.id] = &n.text;

  size_t lines = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++lines;
    const auto j = nlohmann::json::parse(line);
    const std::string id = std::to_string(j.at("id").get<long>());
    const std::string sentence = j.at("sentence").get<std::string>();
    auto it = by_id.find(id);
    ASSERT_NE(it, by_id.end()) << "no corpus note " << id;
    EXPECT_NE(it->second->find(sentence), std::string::npos)
        << "not a substring of note " << id << ": " << sentence;
    const Found f = Run(sentence);
    EXPECT_THAT(f.segments, ElementsAreArray(Sorted(j.at("segments").get<Strings>())))
        << id << ": " << sentence << "\n  " << f.debug;
    EXPECT_THAT(f.vertebrae, ElementsAreArray(Sorted(j.at("vertebrae").get<Strings>())))
        << id << ": " << sentence << "\n  " << f.debug;
  }
  // 23 rows since the sentences of held-out (reserved) notes were removed.
  EXPECT_GE(lines, 20u);
}

// The levels checks made after the pack loads name PATH:LINE:COLUMN like
// every other data error (rules_fuzzer found them saying only "PATH: error:").
// Each file in tests/data/bad_levels/ starts with "# expect: <message>".
TEST_F(LevelsTest, ContractErrorsNameLineAndColumn) {
  int checked = 0;
  for (const auto& [path, want] : suggest::testing::ExpectedErrors("bad_levels")) {
    auto ex = LevelExtractor::Load(path, **normalizer_, nullptr);
    ASSERT_FALSE(ex.ok()) << path;
    EXPECT_EQ(ex.status().kind(), "rule_file");
    EXPECT_EQ(ex.status().message(), want) << path;
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

}  // namespace
}  // namespace suggest::internal
