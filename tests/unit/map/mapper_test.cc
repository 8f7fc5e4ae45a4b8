// Copyright libsuggest authors.
//
// The mapper (map/mapper.h, models/map.toml) end to end through the public
// Model::Analyze on short hand-written notes: every row of the mapping table
// in docs/icd-mapping.md, Excludes1 suppression (and Excludes2 pairs that
// stay together), one code per region, junction ranking, pseudarthrosis and
// the status code, documentation gaps, the code set year, and the load check
// that refuses a rule naming a code that does not exist or is a header.
//
// Every result also goes through CheckInvariants(): scores in [0, 1], ranks
// 1..n by score, every suggestion billable in the code table of its year,
// never M43.29, every evidence span is its fact's words grown to the levels
// written beside them ("L4-L5 posterior spinal fusion", issue 13).

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "map/code_table.h"
#include "suggest/suggest.h"
#include "../../testing/edited_models.h"
#include "../../testing/model.h"

namespace suggest {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// Loaded once per code set year (0 = models/icd10cm/default).
const Model& ModelForYear(int year) {
  static auto* models = new std::map<int, Model>();
  auto it = models->find(year);
  if (it == models->end()) {
    LoadOptions options;
    options.code_set_year = year;
    auto m = Model::Load(SUGGEST_MODELS_DIR, suggest::testing::CachedLoadOptions(options));
    if (!m.ok()) {
      ADD_FAILURE() << m.status().ToString();
      std::abort();
    }
    it = models->emplace(year, std::move(*m)).first;
  }
  return it->second;
}

const internal::CodeTable& TableForYear(int year) {
  static auto* tables = new std::map<int, std::shared_ptr<const internal::CodeTable>>();
  auto it = tables->find(year);
  if (it == tables->end()) {
    const std::string icd_dir = std::string(SUGGEST_MODELS_DIR) + "/icd10cm";
    std::string dir = icd_dir + "/fy" + std::to_string(year);
    if (year == 0) {
      auto d = internal::CodeTable::DefaultDir(icd_dir);
      if (!d.ok()) {
        ADD_FAILURE() << d.status().ToString();
        std::abort();
      }
      dir = *d;
    }
    auto t = internal::CodeTable::Load(dir);
    if (!t.ok()) {
      ADD_FAILURE() << t.status().ToString();
      std::abort();
    }
    it = tables->emplace(year, *t).first;
  }
  return *it->second;
}

std::string_view Words(std::string_view note, Span span) {
  return note.substr(span.begin, span.size());
}

// Where a suggestion cites a fact (issue 13): the fact's words grown, again
// and again, to each level span of the fact that overlaps them or is written
// within 12 bytes of them, so the evidence is the whole phrase with its
// levels ("L4-L5 posterior spinal fusion", "spontaneous fusion of C5-C6",
// "C5-6 ACDF") rather than the bare concept words.
Span EvidenceSpanOf(const Fact& f) {
  constexpr uint32_t kNear = 12;
  Span s = f.span;
  for (bool grew = true; grew;) {
    grew = false;
    for (const Span& l : f.level_spans) {
      if (l.begin >= s.begin && l.end <= s.end) continue;  // already inside
      const bool near = l.end <= s.begin    ? s.begin - l.end <= kNear
                        : l.begin >= s.end ? l.begin - s.end <= kNear
                                           : true;  // overlaps
      if (!near) continue;
      s = Span{std::min(s.begin, l.begin), std::max(s.end, l.end)};
      grew = true;
    }
  }
  return s;
}

// Properties every result must have, whatever the note.
void CheckInvariants(const Result& r, std::string_view note, int year) {
  const internal::CodeTable& table = TableForYear(year);
  EXPECT_EQ(r.code_set, table.code_set());
  for (size_t i = 0; i < r.suggestions.size(); ++i) {
    const Suggestion& s = r.suggestions[i];
    SCOPED_TRACE(s.code);
    EXPECT_GE(s.score, 0.0);
    EXPECT_LE(s.score, 1.0);
    EXPECT_EQ(s.rank, static_cast<int>(i + 1));
    if (i > 0) EXPECT_LE(s.score, r.suggestions[i - 1].score);
    EXPECT_TRUE(table.IsBillable(s.code)) << "not billable in " << table.code_set();
    EXPECT_NE(s.code, "M43.29");
    const internal::CodeEntry* e = table.Find(s.code);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(s.title, e->title);
    EXPECT_FALSE(s.rationale.empty());
    EXPECT_FALSE(s.evidence.empty());
    for (const Evidence& ev : s.evidence) {
      ASSERT_GE(ev.fact, 0);
      ASSERT_LT(ev.fact, static_cast<int>(r.facts.size()));
      const Fact& f = r.facts[ev.fact];
      EXPECT_LE(ev.span.begin, f.span.begin);
      EXPECT_GE(ev.span.end, f.span.end);
      EXPECT_EQ(ev.span, EvidenceSpanOf(f));
      ASSERT_LE(ev.span.end, note.size());
      EXPECT_LT(ev.span.begin, ev.span.end);
    }
  }
  for (const Suppressed& s : r.suppressed) {
    EXPECT_NE(s.code, "M43.29");
    EXPECT_FALSE(s.reason.empty()) << s.code;
  }
}

Result Analyze(std::string_view note, int year = 0) {
  auto r = ModelForYear(year).Analyze(note);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return Result();
  CheckInvariants(*r, note, year);
  return std::move(*r);
}

// Suggested codes in rank order.
std::vector<std::string> Codes(const Result& r) {
  std::vector<std::string> out;
  for (const Suggestion& s : r.suggestions) out.push_back(s.code);
  return out;
}

std::vector<std::string> SuppressedCodes(const Result& r) {
  std::vector<std::string> out;
  for (const Suppressed& s : r.suppressed) out.push_back(s.code);
  return out;
}

std::vector<std::string> GapKinds(const Result& r) {
  std::vector<std::string> out;
  for (const Gap& g : r.gaps) out.push_back(g.kind);
  return out;
}

const Suggestion* Find(const Result& r, std::string_view code) {
  for (const Suggestion& s : r.suggestions)
    if (s.code == code) return &s;
  return nullptr;
}

const Suppressed* FindSuppressed(const Result& r, std::string_view code) {
  for (const Suppressed& s : r.suppressed)
    if (s.code == code) return &s;
  return nullptr;
}

const Gap* FindGap(const Result& r, std::string_view kind) {
  for (const Gap& g : r.gaps)
    if (g.kind == kind) return &g;
  return nullptr;
}

// The evidence of a suggestion as (byte offset, words) pairs, in text order.
std::vector<std::pair<uint32_t, std::string>> Evidence(const Suggestion& s,
                                                      std::string_view note) {
  std::vector<std::pair<uint32_t, std::string>> out;
  for (const auto& ev : s.evidence)
    out.emplace_back(ev.span.begin, std::string(Words(note, ev.span)));
  return out;
}

// Byte offset of `words` in `note`, searching from the start of `after`
// (which must occur in the note): pins an expected evidence span.
uint32_t At(std::string_view note, std::string_view words, std::string_view after = {}) {
  const size_t from = after.empty() ? 0 : note.find(after);
  EXPECT_NE(from, std::string_view::npos) << after;
  const size_t p = note.find(words, from);
  EXPECT_NE(p, std::string_view::npos) << words;
  return static_cast<uint32_t>(p);
}

bool AnyCodeStartsWith(const Result& r, std::string_view prefix) {
  return std::any_of(r.suggestions.begin(), r.suggestions.end(),
                     [&](const Suggestion& s) { return s.code.rfind(prefix, 0) == 0; });
}

// ---------------------------------------------------------------------------
// Surgical fusion: status, this encounter, planned, negated.

TEST(MapperTest, PriorFusionGivesArthrodesisStatus) {
  const std::string note =
      "HISTORY OF PRESENT ILLNESS: 62-year-old woman with low back pain radiating to the "
      "left leg for three months.\n"
      "PAST SURGICAL HISTORY: L4-L5 posterior spinal fusion in 2015. Cholecystectomy.\n"
      "IMPRESSION: Lumbar radiculopathy. Status post L4-L5 fusion.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("Z98.1"));
  const Suggestion& s = r.suggestions[0];
  EXPECT_EQ(s.rank, 1);
  EXPECT_EQ(s.title, "Arthrodesis status");
  // One suggestion, every prior-fusion mention as evidence, each cited with
  // the levels written beside it.
  EXPECT_THAT(Evidence(s, note),
              ElementsAre(std::pair{At(note, "L4-L5 posterior spinal fusion"),
                                    std::string("L4-L5 posterior spinal fusion")},
                          std::pair{At(note, "L4-L5 fusion.", "Status post"),
                                    std::string("L4-L5 fusion")}));
  EXPECT_THAT(s.rationale, AllOf(HasSubstr("L4-L5"), HasSubstr("arthrodesis status")));
  EXPECT_THAT(r.suppressed, IsEmpty());
  EXPECT_THAT(r.gaps, IsEmpty());
}

TEST(MapperTest, FusionPerformedInThisOperationIsAFactNotACode) {
  const std::string note =
      "PREOPERATIVE DIAGNOSIS: Degenerative spondylolisthesis L4-L5 with stenosis.\n"
      "PROCEDURE: L4-L5 transforaminal lumbar interbody fusion with pedicle screw "
      "instrumentation.\n"
      "DESCRIPTION OF PROCEDURE: The patient was placed prone. The L4-L5 disc space was "
      "prepared and an interbody cage was placed. Posterolateral fusion was performed at "
      "L4-L5 using local autograft.\n";
  const Result r = Analyze(note);
  // Status applies to later encounters; the fusion is reported as a fact.
  EXPECT_THAT(r.suggestions, IsEmpty());
  EXPECT_FALSE(AnyCodeStartsWith(r, "Z98.1"));
  EXPECT_FALSE(AnyCodeStartsWith(r, "M43.2"));
  EXPECT_THAT(r.suppressed, IsEmpty());
  ASSERT_FALSE(r.facts.empty());
  for (const Fact& f : r.facts) {
    EXPECT_EQ(f.kind, "fusion_procedure");
    EXPECT_EQ(f.when, "performed_this_encounter") << Words(note, f.span);
  }
  EXPECT_EQ(Words(note, r.facts[0].span), "transforaminal lumbar interbody fusion");
}

TEST(MapperTest, PlannedFusionCodesNothing) {
  const std::string note =
      "HISTORY OF PRESENT ILLNESS: 58-year-old man with chronic low back pain despite "
      "physical therapy and injections.\n"
      "PLAN: We discussed L5-S1 anterior lumbar interbody fusion. He would like to think "
      "about surgery and will call the office.\n";
  const Result r = Analyze(note);
  EXPECT_THAT(r.suggestions, IsEmpty());
  EXPECT_THAT(r.suppressed, IsEmpty());
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.facts[0].when, "planned");
  EXPECT_EQ(r.facts[0].assertion, Assertion::kHypothetical);
  EXPECT_EQ(Words(note, r.facts[0].span), "anterior lumbar interbody fusion");
}

TEST(MapperTest, NegatedFusionCodesNothing) {
  const std::string note =
      "PAST SURGICAL HISTORY: Appendectomy. No prior spinal fusion.\n"
      "IMPRESSION: Lumbar spondylosis without myelopathy.\n";
  const Result r = Analyze(note);
  EXPECT_THAT(r.suggestions, IsEmpty());
  EXPECT_THAT(r.suppressed, IsEmpty());
  EXPECT_THAT(r.gaps, IsEmpty());
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.facts[0].assertion, Assertion::kNegated);
  EXPECT_EQ(Words(note, r.facts[0].span), "spinal fusion");
}

TEST(MapperTest, OpNoteWithPriorFusionElsewhereGivesStatusForThePriorOnly) {
  const std::string note =
      "PAST SURGICAL HISTORY: Status post C5-6 ACDF in 2010.\n"
      "PREOPERATIVE DIAGNOSIS: Adjacent segment disease C6-C7.\n"
      "PROCEDURE: C6-C7 anterior cervical discectomy and fusion.\n"
      "DESCRIPTION OF PROCEDURE: The prior C5-6 plate was inspected and left in place. A "
      "cage was placed at C6-C7 and fusion was performed.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("Z98.1"));
  // The evidence is the prior ACDF (with its level), not today's C6-C7 fusion.
  EXPECT_THAT(Evidence(r.suggestions[0], note),
              ElementsAre(std::pair{At(note, "C5-6 ACDF"), std::string("C5-6 ACDF")}));
  EXPECT_THAT(r.suggestions[0].rationale, HasSubstr("C5-C6"));
  EXPECT_THAT(r.suggestions[0].rationale, Not(HasSubstr("C6-C7")));
  EXPECT_FALSE(AnyCodeStartsWith(r, "M43.2"));
}

// ---------------------------------------------------------------------------
// Acquired ankylosis: one M43.2x per region.

struct RegionCase {
  const char* levels;
  const char* code;
  const char* title;
};

class AcquiredAnkylosisRegionTest : public ::testing::TestWithParam<RegionCase> {};

TEST_P(AcquiredAnkylosisRegionTest, SpontaneousFusionCodesItsRegion) {
  const RegionCase& c = GetParam();
  const std::string levels = c.levels;
  const std::string note =
      "HISTORY OF PRESENT ILLNESS: 74-year-old man with chronic axial pain and stiffness.\n"
      "IMAGING: CT demonstrates spontaneous fusion of " + levels + ".\n"
      "IMPRESSION: Spontaneous fusion of " + levels + ". No instability.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre(c.code));
  const Suggestion& s = r.suggestions[0];
  EXPECT_EQ(s.title, c.title);
  EXPECT_THAT(Evidence(s, note),
              ElementsAre(std::pair{At(note, "spontaneous fusion of " + levels),
                                    "spontaneous fusion of " + levels},
                          std::pair{At(note, "Spontaneous fusion of " + levels),
                                    "Spontaneous fusion of " + levels}));
  EXPECT_THAT(s.rationale, HasSubstr(levels));
  EXPECT_THAT(r.suppressed, IsEmpty());
  EXPECT_THAT(r.gaps, IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    EveryRegion, AcquiredAnkylosisRegionTest,
    ::testing::Values(
        RegionCase{"C1-C2", "M43.21", "Fusion of spine, occipito-atlanto-axial region"},
        RegionCase{"C3-C4", "M43.22", "Fusion of spine, cervical region"},
        RegionCase{"C7-T1", "M43.23", "Fusion of spine, cervicothoracic region"},
        RegionCase{"T7-T8", "M43.24", "Fusion of spine, thoracic region"},
        RegionCase{"T12-L1", "M43.25", "Fusion of spine, thoracolumbar region"},
        RegionCase{"L3-L4", "M43.26", "Fusion of spine, lumbar region"},
        RegionCase{"L5-S1", "M43.27", "Fusion of spine, lumbosacral region"},
        RegionCase{"S1-S2", "M43.28", "Fusion of spine, sacral and sacrococcygeal region"}),
    [](const ::testing::TestParamInfo<RegionCase>& info) {
      std::string name = info.param.code;
      name.erase(std::remove(name.begin(), name.end(), '.'), name.end());
      return name;
    });

TEST(MapperTest, AnkylosisWithoutRegionGivesM4320AndRegionGap) {
  const std::string note =
      "HISTORY OF PRESENT ILLNESS: 81-year-old man with stiffness of the back.\n"
      "IMPRESSION: Degenerative fusion of the spine. Follow-up in clinic.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("M43.20"));
  EXPECT_THAT(Evidence(r.suggestions[0], note),
              ElementsAre(std::pair{At(note, "Degenerative fusion"),
                                    std::string("Degenerative fusion")}));
  ASSERT_THAT(GapKinds(r), ElementsAre("region_unspecified"));
  EXPECT_THAT(r.gaps[0].facts, ElementsAre(r.suggestions[0].evidence[0].fact));
  EXPECT_THAT(r.gaps[0].message, HasSubstr("M43.20"));
  // The unspecified-site code scores below the same words with a region.
  const Result with_region = Analyze(
      "HISTORY OF PRESENT ILLNESS: 81-year-old man with stiffness of the back.\n"
      "IMPRESSION: Degenerative fusion of L2-L3. Follow-up in clinic.\n");
  ASSERT_THAT(Codes(with_region), ElementsAre("M43.26"));
  EXPECT_LT(r.suggestions[0].score, with_region.suggestions[0].score);
}

TEST(MapperTest, AnkylosisInTwoRegionsGivesOneCodePerRegion) {
  const std::string note =
      "HISTORY OF PRESENT ILLNESS: 74-year-old man with chronic neck and back stiffness.\n"
      "IMAGING: CT of the cervical spine shows spontaneous fusion of C5-C6. Lumbar "
      "radiographs show spontaneous fusion of L3-L4.\n"
      "IMPRESSION: Degenerative changes. Follow-up in six months.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), UnorderedElementsAre("M43.22", "M43.26"));
  const Suggestion* cervical = Find(r, "M43.22");
  const Suggestion* lumbar = Find(r, "M43.26");
  ASSERT_NE(cervical, nullptr);
  ASSERT_NE(lumbar, nullptr);
  // Each code has the words that name its own region, with its levels.
  EXPECT_THAT(Evidence(*cervical, note),
              ElementsAre(std::pair{At(note, "spontaneous fusion of C5-C6"),
                                    std::string("spontaneous fusion of C5-C6")}));
  EXPECT_THAT(Evidence(*lumbar, note),
              ElementsAre(std::pair{At(note, "spontaneous fusion of L3-L4"),
                                    std::string("spontaneous fusion of L3-L4")}));
  EXPECT_THAT(cervical->rationale, AllOf(HasSubstr("C5-C6"), Not(HasSubstr("L3-L4"))));
  EXPECT_THAT(lumbar->rationale, AllOf(HasSubstr("L3-L4"), Not(HasSubstr("C5-C6"))));
  EXPECT_THAT(r.gaps, IsEmpty());
}

TEST(MapperTest, OneSentenceNamingTwoRegionsGivesOneCodePerRegion) {
  const std::string note = "IMPRESSION: Spontaneous fusion of C5-C6 and of L3-L4.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), UnorderedElementsAre("M43.22", "M43.26"));
  // The rationale of each code names only its own segments.
  EXPECT_THAT(Find(r, "M43.22")->rationale, AllOf(HasSubstr("C5-C6"), Not(HasSubstr("L3-L4"))));
  EXPECT_THAT(Find(r, "M43.26")->rationale, AllOf(HasSubstr("L3-L4"), Not(HasSubstr("C5-C6"))));
}

struct JunctionCase {
  const char* phrase;
  std::vector<std::string> ranked;
};

class JunctionRankingTest : public ::testing::TestWithParam<JunctionCase> {};

TEST_P(JunctionRankingTest, JunctionCodeOfARangeRanksFirst) {
  const std::string note = std::string("IMPRESSION: ") + GetParam().phrase + ".\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ::testing::ElementsAreArray(GetParam().ranked));
  // The same words, the whole range, support every code of the range.
  for (const Suggestion& s : r.suggestions)
    EXPECT_THAT(Evidence(s, note), ElementsAre(std::pair{At(note, GetParam().phrase),
                                                         std::string(GetParam().phrase)}))
        << s.code;
  EXPECT_GT(r.suggestions[0].score, r.suggestions[1].score);
}

INSTANTIATE_TEST_SUITE_P(
    Ranges, JunctionRankingTest,
    ::testing::Values(
        JunctionCase{"Spontaneous fusion from L4 to S1", {"M43.27", "M43.26"}},
        JunctionCase{"Spontaneous fusion from C6 to T1", {"M43.23", "M43.22"}},
        JunctionCase{"Spontaneous fusion from T11 to L2", {"M43.25", "M43.24", "M43.26"}}));

TEST(MapperTest, NeverM4329EvenForLongRanges) {
  const std::string note =
      "IMAGING: CT shows spontaneous fusion from C2 to T2 and from T10 to S3.\n"
      "IMPRESSION: Extensive spontaneous fusion of the spine.\n";
  const Result r = Analyze(note);
  EXPECT_THAT(Codes(r), Not(::testing::Contains("M43.29")));
  EXPECT_THAT(SuppressedCodes(r), Not(::testing::Contains("M43.29")));
  EXPECT_TRUE(AnyCodeStartsWith(r, "M43.2"));
}

// ---------------------------------------------------------------------------
// Ankylosing spondylitis: M45.x by site.

struct AsSiteCase {
  const char* site;
  const char* code;
};

class AnkylosingSpondylitisSiteTest : public ::testing::TestWithParam<AsSiteCase> {};

TEST_P(AnkylosingSpondylitisSiteTest, OneRegionGivesItsCode) {
  const std::string note = std::string("PAST MEDICAL HISTORY: Ankylosing spondylitis of the ") +
                           GetParam().site + " spine, on adalimumab.\n"
                           "IMPRESSION: Chronic pain.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre(GetParam().code));
  // The evidence runs to the region word, the level written beside the
  // disease (the level span is the region word alone, without "spine").
  EXPECT_THAT(Evidence(r.suggestions[0], note),
              ElementsAre(std::pair{At(note, "Ankylosing spondylitis"),
                                    std::string("Ankylosing spondylitis of the ") +
                                        GetParam().site}));
  EXPECT_THAT(r.suggestions[0].rationale, HasSubstr(GetParam().site));
  EXPECT_THAT(r.gaps, IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Sites, AnkylosingSpondylitisSiteTest,
                         ::testing::Values(AsSiteCase{"cervical", "M45.2"},
                                           AsSiteCase{"thoracic", "M45.4"},
                                           AsSiteCase{"lumbar", "M45.6"}),
                         [](const ::testing::TestParamInfo<AsSiteCase>& info) {
                           return std::string(info.param.site);
                         });

TEST(MapperTest, AnkylosingSpondylitisMentionWithoutSiteSupportsTheSiteCode) {
  const std::string note =
      "PAST MEDICAL HISTORY: Ankylosing spondylitis of the lumbar spine.\n"
      "IMPRESSION: Ankylosing spondylitis. Chronic low back pain.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("M45.6"));
  // Both mentions are evidence (the first with its region word); the
  // impression one counts.
  EXPECT_THAT(Evidence(r.suggestions[0], note),
              ElementsAre(std::pair{At(note, "Ankylosing spondylitis"),
                                    std::string("Ankylosing spondylitis of the lumbar")},
                          std::pair{At(note, "Ankylosing spondylitis", "IMPRESSION"),
                                    std::string("Ankylosing spondylitis")}));
  EXPECT_THAT(r.suggestions[0].rationale, HasSubstr("impression"));
  EXPECT_THAT(r.gaps, IsEmpty());
}

TEST(MapperTest, AnkylosingSpondylitisOfSeveralRegionsGivesM450) {
  const std::string note =
      "IMPRESSION: Ankylosing spondylitis involving the cervical and lumbar spine.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("M45.0"));
  EXPECT_EQ(r.suggestions[0].title, "Ankylosing spondylitis of multiple sites in spine");
  EXPECT_THAT(r.suggestions[0].rationale, AllOf(HasSubstr("cervical"), HasSubstr("lumbar")));
  EXPECT_THAT(r.gaps, IsEmpty());
}

TEST(MapperTest, AnkylosingSpondylitisWithoutSiteGivesM459AndRegionGap) {
  const std::string note =
      "PAST MEDICAL HISTORY: Ankylosing spondylitis. Hypertension.\n"
      "IMPRESSION: Mechanical back pain.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("M45.9"));
  EXPECT_THAT(Evidence(r.suggestions[0], note),
              ElementsAre(std::pair{At(note, "Ankylosing spondylitis"),
                                    std::string("Ankylosing spondylitis")}));
  ASSERT_THAT(GapKinds(r), ElementsAre("region_unspecified"));
  EXPECT_THAT(r.gaps[0].message, HasSubstr("M45.9"));
  EXPECT_THAT(r.gaps[0].facts, ElementsAre(r.suggestions[0].evidence[0].fact));
}

TEST(MapperTest, FamilyHistoryOfAnkylosingSpondylitisCodesNothing) {
  const std::string note =
      "FAMILY HISTORY: Father had ankylosing spondylitis.\n"
      "IMPRESSION: Mechanical low back pain.\n";
  const Result r = Analyze(note);
  EXPECT_THAT(r.suggestions, IsEmpty());
  EXPECT_THAT(r.suppressed, IsEmpty());
  EXPECT_THAT(r.gaps, IsEmpty());
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.facts[0].assertion, Assertion::kFamily);
}

// ---------------------------------------------------------------------------
// Congenital fusion.

TEST(MapperTest, CongenitalFusionGivesQ7649) {
  const std::string note =
      "IMPRESSION: Congenital fusion of C2-C3. No instability on flexion and extension "
      "views.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("Q76.49"));
  EXPECT_THAT(Evidence(r.suggestions[0], note),
              ElementsAre(std::pair{At(note, "Congenital fusion of C2-C3"),
                                    std::string("Congenital fusion of C2-C3")}));
  EXPECT_THAT(r.suggestions[0].rationale, HasSubstr("C2-C3"));
  EXPECT_FALSE(AnyCodeStartsWith(r, "M43.2"));
}

TEST(MapperTest, KlippelFeilGivesQ761) {
  const std::string note =
      "PAST MEDICAL HISTORY: Klippel-Feil syndrome.\n"
      "IMPRESSION: Neck pain.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("Q76.1"));
  EXPECT_THAT(Evidence(r.suggestions[0], note),
              ElementsAre(std::pair{At(note, "Klippel-Feil"), std::string("Klippel-Feil")}));
  EXPECT_FALSE(AnyCodeStartsWith(r, "Q76.49"));
}

// ---------------------------------------------------------------------------
// Excludes1: never both suggested; Excludes2: may be.

TEST(MapperTest, AnkylosingSpondylitisExplainsTheNotesAcquiredAnkylosis) {
  // Ankylosing spondylitis documented as definite explains the spontaneous
  // fusion of the whole note (explains_fusion = "note"): the fusion is part
  // of the disease, so no M43.2- candidate arises at all (the Excludes1 at
  // M43.2 would drop it anyway), and each fusion says why in not_coded.
  const std::string note =
      "PAST MEDICAL HISTORY: Ankylosing spondylitis of the lumbar spine.\n"
      "IMAGING: CT of the lumbar spine shows spontaneous fusion of L2-L3 and L3-L4.\n"
      "IMPRESSION: Ankylosing spondylitis with spontaneous fusion of L2-L3.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("M45.6"));
  EXPECT_FALSE(AnyCodeStartsWith(r, "M43.2"));
  EXPECT_THAT(SuppressedCodes(r), IsEmpty());
  std::vector<std::string> words;
  for (const NotCoded& n : r.not_coded) {
    ASSERT_EQ(n.facts.size(), 1u);
    const Fact& f = r.facts[n.facts[0]];
    EXPECT_EQ(n.basis, "supporting") << Words(note, f.span);
    EXPECT_EQ(f.kind, "ankylosis");
    EXPECT_EQ(f.detail, "ankylosing_spondylitis");
    EXPECT_THAT(n.reason, HasSubstr("ankylosing spondylitis"));
    words.emplace_back(Words(note, f.span));
  }
  EXPECT_THAT(words, ElementsAre("spontaneous fusion", "spontaneous fusion"));
}

TEST(MapperTest, CongenitalFusionSuppressesAcquiredAnkylosis) {
  const std::string note =
      "IMPRESSION: Congenital fusion of C2-C3. Spontaneous fusion of C5-C6.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("Q76.49"));
  ASSERT_THAT(SuppressedCodes(r), ElementsAre("M43.22"));
  EXPECT_THAT(r.suppressed[0].reason,
              AllOf(HasSubstr("Excludes1"), HasSubstr("congenital fusion of spine (Q76.4)")));
  ASSERT_EQ(r.suppressed[0].facts.size(), 1u);
  EXPECT_EQ(Words(note, r.facts[r.suppressed[0].facts[0]].span), "Spontaneous fusion");
}

TEST(MapperTest, KlippelFeilSuppressesAcquiredAnkylosis) {
  const std::string note =
      "PAST MEDICAL HISTORY: Klippel-Feil syndrome.\n"
      "IMPRESSION: Spontaneous fusion of C5-C6.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("Q76.1"));
  ASSERT_THAT(SuppressedCodes(r), ElementsAre("M43.22"));
  EXPECT_THAT(r.suppressed[0].reason,
              AllOf(HasSubstr("Excludes1"), HasSubstr("Klippel-Feil syndrome (Q76.1)")));
}

TEST(MapperTest, AnkylosingSpondylitisAndPriorSurgicalFusionAreBothCoded) {
  const std::string note =
      "PAST MEDICAL HISTORY: Ankylosing spondylitis of the thoracic spine.\n"
      "PAST SURGICAL HISTORY: T10-L2 posterior spinal fusion in 2018 for a fracture.\n"
      "IMPRESSION: Thoracic back pain.\n";
  const Result r = Analyze(note);
  // Z98.1 is not excluded by M45.
  ASSERT_THAT(Codes(r), UnorderedElementsAre("M45.4", "Z98.1"));
  EXPECT_THAT(r.suppressed, IsEmpty());
  EXPECT_THAT(Evidence(*Find(r, "Z98.1"), note),
              ElementsAre(std::pair{At(note, "T10-L2 posterior spinal fusion"),
                                    std::string("T10-L2 posterior spinal fusion")}));
  EXPECT_THAT(Evidence(*Find(r, "M45.4"), note),
              ElementsAre(std::pair{At(note, "Ankylosing spondylitis"),
                                    std::string("Ankylosing spondylitis of the thoracic")}));
}

TEST(MapperTest, AcquiredAnkylosisAndArthrodesisStatusMayBeCodedTogether) {
  // Excludes2 at M43.2: arthrodesis status (Z98.1).
  const std::string note =
      "PAST SURGICAL HISTORY: L4-L5 posterior spinal fusion in 2012.\n"
      "IMAGING: CT shows spontaneous fusion of C5-C6.\n"
      "IMPRESSION: Spontaneous fusion of C5-C6. History of lumbar fusion.\n";
  const Result r = Analyze(note);
  // Equal scores: the more specific code ranks first.
  ASSERT_THAT(Codes(r), ElementsAre("M43.22", "Z98.1"));
  EXPECT_EQ(r.suggestions[0].score, r.suggestions[1].score);
  EXPECT_THAT(r.suppressed, IsEmpty());
  EXPECT_THAT(Evidence(r.suggestions[1], note),
              ElementsAre(std::pair{At(note, "L4-L5 posterior spinal fusion"),
                                    std::string("L4-L5 posterior spinal fusion")},
                          std::pair{At(note, "lumbar fusion"), std::string("lumbar fusion")}));
}

// ---------------------------------------------------------------------------
// Pseudarthrosis.

TEST(MapperTest, PseudarthrosisAfterFusionGivesM960AndSuppressesStatus) {
  const std::string note =
      "HISTORY OF PRESENT ILLNESS: 66-year-old woman with recurrent low back pain.\n"
      "PAST SURGICAL HISTORY: L4-L5 posterior spinal fusion in 2015.\n"
      "IMPRESSION: Pseudarthrosis at L4-5 after her 2015 L4-5 fusion.\n";
  const Result r = Analyze(note);
  ASSERT_THAT(Codes(r), ElementsAre("M96.0"));
  EXPECT_THAT(Evidence(r.suggestions[0], note),
              ElementsAre(std::pair{At(note, "Pseudarthrosis at L4-5"),
                                    std::string("Pseudarthrosis at L4-5")}));
  EXPECT_THAT(r.suggestions[0].rationale, HasSubstr("L4-L5"));
  ASSERT_THAT(SuppressedCodes(r), ElementsAre("Z98.1"));
  EXPECT_THAT(r.suppressed[0].reason, AllOf(HasSubstr("M96.0"), HasSubstr("I.C.21.c.3")));
  EXPECT_THAT(r.gaps, IsEmpty());
}

TEST(MapperTest, PossiblePseudarthrosisCodesNoComplication) {
  const std::string note =
      "PAST SURGICAL HISTORY: L4-L5 posterior spinal fusion in 2015.\n"
      "IMPRESSION: Low back pain. Possible pseudarthrosis at L4-L5; CT ordered.\n";
  const Result r = Analyze(note);
  // The prior fusion still gives its status code.
  ASSERT_THAT(Codes(r), ElementsAre("Z98.1"));
  EXPECT_THAT(r.suppressed, IsEmpty());
  bool saw = false;
  for (const Fact& f : r.facts) {
    if (f.kind != "pseudarthrosis") continue;
    saw = true;
    EXPECT_EQ(f.assertion, Assertion::kPossible);
  }
  EXPECT_TRUE(saw);
}

TEST(MapperTest, RiskOfPseudarthrosisCodesNothing) {
  const std::string note =
      "PROCEDURE: L4-L5 posterior spinal fusion.\n"
      "INDICATIONS: Risks of surgery including infection, bleeding, adjacent segment "
      "degeneration and pseudarthrosis of the lumbar fusion were discussed, and the patient "
      "wished to proceed.\n";
  const Result r = Analyze(note);
  EXPECT_THAT(r.suggestions, IsEmpty());
  EXPECT_THAT(r.suppressed, IsEmpty());
  EXPECT_THAT(r.gaps, IsEmpty());
  bool saw = false;
  for (const Fact& f : r.facts) {
    if (f.kind != "pseudarthrosis") continue;
    saw = true;
    EXPECT_EQ(f.assertion, Assertion::kHypothetical);
    // The whole phrase: it names the fusion that would fail
    // (pseudarthrosis_after_fusion_phrase).
    EXPECT_EQ(Words(note, f.span), "pseudarthrosis of the lumbar fusion");
  }
  EXPECT_TRUE(saw);
}

TEST(MapperTest, PseudarthrosisWithoutDocumentedFusionIsAGap) {
  const std::string note =
      "HISTORY OF PRESENT ILLNESS: 52-year-old woman with neck pain.\n"
      "IMPRESSION: Pseudarthrosis at C5-C6.\n";
  const Result r = Analyze(note);
  EXPECT_THAT(r.suggestions, IsEmpty());
  ASSERT_THAT(GapKinds(r), ElementsAre("fusion_not_documented"));
  ASSERT_EQ(r.gaps[0].facts.size(), 1u);
  EXPECT_EQ(Words(note, r.facts[r.gaps[0].facts[0]].span), "Pseudarthrosis");
}

// ---------------------------------------------------------------------------
// Other documentation gaps.

TEST(MapperTest, ImagingFusionWithoutLevelsIsAGap) {
  const std::string note =
      "IMAGING: Lumbar radiographs show solid bony fusion across the disc space.\n"
      "IMPRESSION: Low back pain.\n";
  const Result r = Analyze(note);
  const Gap* g = FindGap(r, "imaging_levels_missing");
  ASSERT_NE(g, nullptr);
  ASSERT_EQ(g->facts.size(), 1u);
  EXPECT_EQ(r.facts[g->facts[0]].kind, "imaging_finding");
  EXPECT_EQ(Words(note, r.facts[g->facts[0]].span), "solid bony fusion");
}

TEST(MapperTest, AffirmedAndNegatedFusionOfTheSameLevelsIsAGap) {
  const std::string note =
      "IMAGING: MRI shows no evidence of fusion at L4-L5.\n"
      "IMPRESSION: Solid fusion at L4-L5 on CT.\n";
  const Result r = Analyze(note);
  const Gap* g = FindGap(r, "conflicting_statements");
  ASSERT_NE(g, nullptr);
  std::vector<Assertion> assertions;
  for (int id : g->facts) assertions.push_back(r.facts[id].assertion);
  EXPECT_THAT(assertions, ::testing::Contains(Assertion::kNegated));
  EXPECT_THAT(assertions, ::testing::Contains(Assertion::kPresent));
}

// ---------------------------------------------------------------------------
// Code set year.

TEST(MapperTest, CodeSetFollowsTheLoadedYear) {
  const std::string note =
      "PAST MEDICAL HISTORY: Ankylosing spondylitis. Klippel-Feil syndrome.\n"
      "PAST SURGICAL HISTORY: Status post C5-6 ACDF in 2010.\n"
      "IMPRESSION: Spontaneous fusion of L5-S1.\n";
  const Result r2026 = Analyze(note, 2026);
  const Result r2027 = Analyze(note, 2027);
  const Result rdefault = Analyze(note);
  EXPECT_EQ(r2026.code_set, "ICD-10-CM FY2026");
  EXPECT_EQ(r2027.code_set, "ICD-10-CM FY2027");
  EXPECT_EQ(rdefault.code_set, "ICD-10-CM FY2027");  // models/icd10cm/default
  // FY2027 changed nothing for these families. (The spontaneous L5-S1
  // fusion is read as part of the definite ankylosing spondylitis, which
  // takes its site: M45.7, and no M43.27 candidate.)
  EXPECT_THAT(Codes(r2026), UnorderedElementsAre("M45.7", "Q76.1", "Z98.1"));
  EXPECT_EQ(Codes(r2026), Codes(r2027));
  EXPECT_EQ(SuppressedCodes(r2026), SuppressedCodes(r2027));
  EXPECT_EQ(r2026.not_coded.size(), r2027.not_coded.size());
}

// ---------------------------------------------------------------------------
// The load check: a rule naming a code that does not exist or is a header
// refuses the model, naming map.toml:LINE:COLUMN.

class MapLoadTest : public ::testing::Test {
 protected:
  // Replaces the first `from` in map.toml by `to`; returns "LINE:COL".
  std::string Edit(const std::string& from, const std::string& to) {
    return models_.Edit("map.toml", from, to);
  }
  suggest::testing::EditedModels models_;
  const std::filesystem::path& dir_ = models_.dir();
};

TEST_F(MapLoadTest, UnmodifiedCopyLoads) {
  auto m = Model::Load(dir_.string(), suggest::testing::CachedLoadOptions());
  EXPECT_TRUE(m.ok()) << m.status().ToString();
}

TEST_F(MapLoadTest, NonexistentCodeRefusesTheLoad) {
  const std::string where =
      Edit("\"M43.28\"", "\"M43.29\"");  // sacral_sacrococcygeal of acquired_ankylosis
  auto m = Model::Load(dir_.string(), suggest::testing::CachedLoadOptions());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("map.toml:" + where + ": error:"),
                    HasSubstr("acquired_ankylosis"),
                    HasSubstr("M43.29 does not exist in ICD-10-CM FY2027")));
}

TEST_F(MapLoadTest, HeaderCodeRefusesTheLoad) {
  const std::string where = Edit("unspecified = \"M43.20\"", "unspecified = \"M43.2\"");
  auto m = Model::Load(dir_.string(), suggest::testing::CachedLoadOptions());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  // The column is the value's, after `unspecified = `.
  const size_t colon = where.find(':');
  const std::string value_where =
      where.substr(0, colon) + ":" +
      std::to_string(std::stoi(where.substr(colon + 1)) + std::string("unspecified = ").size());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("map.toml:" + value_where + ": error:"),
                    HasSubstr("M43.2 is not billable"), HasSubstr("header")));
}

TEST_F(MapLoadTest, CodeCheckedAgainstTheRequestedYear) {
  Edit("code = \"Z98.1\"", "code = \"Q76.4\"");
  LoadOptions options;
  options.code_set_year = 2026;
  auto m = Model::Load(dir_.string(), suggest::testing::CachedLoadOptions(options));
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("map.toml:"), HasSubstr("status_prior_fusion"),
                    HasSubstr("Q76.4 is not billable in ICD-10-CM FY2026")));
}

}  // namespace
}  // namespace suggest
