// Copyright libsuggest authors.
//
// The facts stage (facts/facts.h) through the public Model::Analyze on short
// hand-written notes: kinds, when, assertion, segments, linking of levels,
// non-spine lookalikes, and exact spans (also with CRLF and an en dash).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "suggest/suggest.h"
#include "../../testing/edited_models.h"
#include "../../testing/model.h"

namespace suggest {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using ::suggest::testing::TheModel;

Result Analyze(std::string_view note) {
  auto r = TheModel().Analyze(note);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : Result();
}

std::vector<Fact> OfKind(const Result& r, std::string_view kind) {
  std::vector<Fact> out;
  for (const Fact& f : r.facts)
    if (f.kind == kind) out.push_back(f);
  return out;
}

std::string Text(std::string_view note, const Span& s) {
  return std::string(note.substr(s.begin, s.size()));
}

// The single fact of `kind` in the note (fails if there is not exactly one).
Fact Only(const Result& r, std::string_view kind) {
  const std::vector<Fact> f = OfKind(r, kind);
  EXPECT_EQ(f.size(), 1u) << kind;
  return f.empty() ? Fact() : f[0];
}

// The `when` of the note's single fact, analysed with a date of service
// ("" = none) and a setting; "?" unless there is exactly one fact.
std::string WhenOf(const char* note, const char* date_of_service, Setting setting) {
  AnalyzeOptions options;
  options.date_of_service = date_of_service;
  options.setting = setting;
  auto r = TheModel().Analyze(note, options);
  EXPECT_TRUE(r.ok());
  return r.ok() && r->facts.size() == 1 ? r->facts[0].when : std::string("?");
}

// ------------------------------------------------------ fusion: when/assertion

TEST(FactsTest, PastSurgicalHistoryFusionIsPrior) {
  const Result r = Analyze("PAST SURGICAL HISTORY: L4-S1 fusion in 2015.\n");
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_EQ(f.assertion, Assertion::kHistorical);
  EXPECT_EQ(f.when, "prior");
  EXPECT_THAT(f.segments, ElementsAre("L4-L5", "L5-S1"));
  EXPECT_THAT(f.regions, ElementsAre("lumbar", "lumbosacral"));
}

TEST(FactsTest, OperativeProcedureIsPerformedThisEncounter) {
  const std::string note =
      "PREOPERATIVE DIAGNOSIS: C5-C6 disc herniation.\n"
      "PROCEDURE: C5-C6 anterior cervical discectomy and fusion.\n";
  const Result r = Analyze(note);
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_EQ(f.assertion, Assertion::kPresent);
  EXPECT_EQ(f.when, "performed_this_encounter");
  EXPECT_THAT(f.segments, ElementsAre("C5-C6"));
  EXPECT_EQ(Text(note, f.span), "anterior cervical discectomy and fusion");
  // Level spans: the written level, and the region word inside the fact.
  ASSERT_FALSE(f.level_spans.empty());
  EXPECT_EQ(Text(note, f.level_spans[0]), "C5-C6");
}

TEST(FactsTest, PlanDiscussedFusionIsPlanned) {
  const Result r = Analyze("PLAN: We discussed L4-5 fusion.\n");
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_EQ(f.assertion, Assertion::kHypothetical);
  EXPECT_EQ(f.when, "planned");
  EXPECT_THAT(f.segments, ElementsAre("L4-L5"));
  EXPECT_TRUE(f.has_cue);
}

TEST(FactsTest, NoEvidenceOfFusionIsNegated) {
  const std::string note = "IMPRESSION: Lumbar spine. No evidence of fusion at L4-L5.\n";
  const Result r = Analyze(note);
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_EQ(f.assertion, Assertion::kNegated);
  EXPECT_TRUE(f.when.empty());
  ASSERT_TRUE(f.has_cue);
  EXPECT_EQ(Text(note, f.cue.span), "No evidence of");
}

TEST(FactsTest, WithoutFusionIsNegated) {
  const Result r = Analyze("FINDINGS: Disc space narrowing at C5-C6 without fusion.\n");
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_EQ(f.assertion, Assertion::kNegated);
}

TEST(FactsTest, StatusPostInPreoperativeDiagnosisIsPrior) {
  const Result r = Analyze(
      "PREOPERATIVE DIAGNOSIS: Adjacent segment disease above an instrumented fusion from L4 to "
      "S1.\nPROCEDURE: L3-L4 laminectomy.\n");
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_EQ(f.when, "prior");
  EXPECT_THAT(f.segments, ElementsAre("L4-L5", "L5-S1"));
}

TEST(FactsTest, IfNotCandidateForFusionIsPlannedNotNegated) {
  const Result r = Analyze(
      "HISTORY: If the injections do not help, or if not, he might be a candidate for a "
      "lumbar fusion.\n");
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_EQ(f.assertion, Assertion::kHypothetical);
  EXPECT_EQ(f.when, "planned");
}

// ---------------------------------------------------------- other fact kinds

TEST(FactsTest, PossiblePseudoarthrosis) {
  const Result r = Analyze("IMPRESSION: Status post ACDF with possible pseudoarthrosis at C4-C5.\n");
  const Fact p = Only(r, "pseudarthrosis");
  EXPECT_EQ(p.assertion, Assertion::kPossible);
  EXPECT_THAT(p.segments, ElementsAre("C4-C5"));
}

// "Nonunion of L4-5 fusion": the levels go to the nearer fusion word, and
// the complication written as "X of <the fusion>" shares them (M96.0 then
// replaces only that fusion's status). Another word between ("nonunion, and
// the L4-5 fusion") shares nothing.
TEST(FactsTest, ComplicationOfANamedFusionSharesItsLevels) {
  const Result r = Analyze("Assessment: Nonunion of L4-5 fusion.\n");
  const Fact p = Only(r, "pseudarthrosis");
  EXPECT_THAT(p.segments, ElementsAre("L4-L5"));
  EXPECT_THAT(Only(r, "fusion_procedure").segments, ElementsAre("L4-L5"));
  const Result other = Analyze("Assessment: nonunion suspected by the patient; L4-5 fusion 2020.\n");
  for (const Fact& f : OfKind(other, "pseudarthrosis")) EXPECT_THAT(f.segments, IsEmpty());
}

// A bare "fused" (acquired ankylosis: no cause written) at the segments whose
// cause the note names only as uncertain is as uncertain as that cause; a
// bare fusion at other segments stays definite.
TEST(FactsTest, BareFusionOfADoubtedCauseIsUncertain) {
  const Result r = Analyze(
      "EXAMINATION: CT CERVICAL SPINE\n"
      "FINDINGS: C2 and C3 are fused. C5 and C6 are also fused.\n"
      "IMPRESSION: C2-C3 fusion, likely congenital block vertebra.\n");
  EXPECT_EQ(Only(r, "congenital_fusion").assertion, Assertion::kPossible);
  int definite = 0, doubted = 0;
  for (const Fact& f : OfKind(r, "ankylosis")) {
    if (f.segments == std::vector<std::string>{"C5-C6"}) {
      EXPECT_EQ(f.assertion, Assertion::kPresent);
      ++definite;
    } else if (f.detail.empty()) {
      EXPECT_EQ(f.assertion, Assertion::kPossible);
      ++doubted;
    }
  }
  EXPECT_EQ(definite, 1);
  EXPECT_EQ(doubted, 1);
}

TEST(FactsTest, RiskOfPseudoarthrosisIsHypotheticalAndNotImaging) {
  // An MRI named earlier in the note does not make consent text an imaging
  // finding.
  const Result r = Analyze(
      "INDICATIONS: MRI of the cervical spine showed a herniated disc at C5-C6. "
      "There is also the risk of pseudoarthrosis and nonfusion at C5-C6.\n");
  const Fact p = Only(r, "pseudarthrosis");
  EXPECT_EQ(p.assertion, Assertion::kHypothetical);
  EXPECT_THAT(OfKind(r, "imaging_finding"), IsEmpty());
}

TEST(FactsTest, MotherWithAnkylosingSpondylitisIsFamily) {
  const Result r = Analyze("FAMILY HISTORY: Mother has ankylosing spondylitis.\n");
  EXPECT_EQ(Only(r, "ankylosing_spondylitis").assertion, Assertion::kFamily);
  const Result r2 = Analyze("Her mother has ankylosing spondylitis.\n");
  EXPECT_EQ(Only(r2, "ankylosing_spondylitis").assertion, Assertion::kFamily);
}

TEST(FactsTest, AnkylosingSpondylitisWithSite) {
  const Result r = Analyze("ASSESSMENT: Ankylosing spondylitis of the lumbar spine.\n");
  const Fact f = Only(r, "ankylosing_spondylitis");
  EXPECT_EQ(f.assertion, Assertion::kPresent);
  EXPECT_THAT(f.regions, ElementsAre("lumbar"));
}

TEST(FactsTest, KlippelFeil) {
  const Result r = Analyze("PAST MEDICAL HISTORY: Klippel-Feil syndrome.\n");
  const Fact f = Only(r, "congenital_fusion");
  EXPECT_EQ(f.detail, "klippel_feil");
  EXPECT_THAT(OfKind(r, "fusion_procedure"), IsEmpty());
}

TEST(FactsTest, SpontaneousFusionIsAnkylosisNotProcedure) {
  const Result r = Analyze("FINDINGS: There is spontaneous fusion of C5-C6.\n");
  const Fact f = Only(r, "ankylosis");
  EXPECT_THAT(f.segments, ElementsAre("C5-C6"));
  EXPECT_THAT(OfKind(r, "fusion_procedure"), IsEmpty());
}

// ------------------------------------------------------------------- levels

TEST(FactsTest, DecompressionLevelsDoNotGoToFusion) {
  const Result r = Analyze("PROCEDURE: L3-L4 laminectomy and L4-L5 fusion.\n");
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_THAT(f.segments, ElementsAre("L4-L5"));
}

TEST(FactsTest, AcronymInBracketsIsTheSameFusion) {
  const Result r =
      Analyze("PROCEDURE: L4-L5 transforaminal lumbar interbody fusion (TLIF).\n");
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_THAT(f.segments, ElementsAre("L4-L5"));
}

TEST(FactsTest, ArthrodesisWithInterbodyFusionIsOneFact) {
  const Result r = Analyze("PROCEDURE: Arthrodesis with anterior interbody fusion, C5-C6.\n");
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_THAT(f.segments, ElementsAre("C5-C6"));
}

// ------------------------------------------------------- non-spine lookalikes

TEST(FactsTest, AnkleFusionIsNoFact) {
  EXPECT_THAT(Analyze("PAST SURGICAL HISTORY: Right ankle fusion.\n").facts, IsEmpty());
  EXPECT_THAT(Analyze("PROCEDURE: Right subtalar arthrodesis.\n").facts, IsEmpty());
  EXPECT_THAT(Analyze("PROCEDURE: Arthrodesis, right second and third toes with external rod "
                      "fixation.\n")
                  .facts,
              IsEmpty());
  EXPECT_THAT(Analyze("PAST SURGICAL HISTORY: Right thumb arthrodesis, carpal tunnel "
                      "decompression.\n")
                  .facts,
              IsEmpty());
  EXPECT_THAT(Analyze("Foveal flicker fusion occurred at 21.9 Hz.\n").facts, IsEmpty());
}

// The kinds a nonspinal_joint anchor drops are data (anchors.toml `drops`),
// checked at load: missing, or naming no kind of a concept pack, refuses the
// model with the rule's file:line:column.
TEST(FactsTest, NonspinalAnchorWithoutDropsRefusesTheLoad) {
  suggest::testing::EditedModels models;
  const std::string where = models.Edit("rules/anchors.toml",
                                        "attributes = { drops = \"fusion_procedure ankylosis imaging_finding\" }\n",
                                        "");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("anchors.toml:"), HasSubstr("nonspinal_joint_fusion"),
                    HasSubstr("needs drops")));
}

// needs_spine_context takes "yes", "note" or "sentence"; another value
// (which would silently need no context at all) is a load error.
TEST(FactsTest, NeedsSpineContextValueChecked) {
  suggest::testing::EditedModels models;
  const std::string where = models.Edit("rules/fusion.toml",
                                        "needs_spine_context = \"sentence\", acquired_when_bare",
                                        "needs_spine_context = \"sentense\", acquired_when_bare");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("fusion.toml:"), HasSubstr("fusion_acf_acronym"),
                    HasSubstr("needs_spine_context must be"), HasSubstr("sentence")));
}

// names_stay belongs to a same_stay rule and is "yes"; another value is a
// load error.
TEST(FactsTest, NamesStayValueChecked) {
  suggest::testing::EditedModels models;
  const std::string where = models.Edit("rules/timing.toml", "over_background = \"yes\", names_stay = \"yes\"",
                                        "over_background = \"yes\", names_stay = \"true\"");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("timing.toml:"), HasSubstr("encounter_this_admission"),
                    HasSubstr("names_stay belongs to a same_stay rule")));
}

// extends_fusion takes "yes" or "elliptical"; another value is a load error.
TEST(FactsTest, ExtendsFusionValueChecked) {
  suggest::testing::EditedModels models;
  const std::string where = models.Edit("rules/fusion.toml", "\"yes\", extends_fusion = \"elliptical\"",
                                        "\"yes\", extends_fusion = \"eliptical\"");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("fusion.toml:"), HasSubstr("fusion_extension_elliptical"),
                    HasSubstr("extends_fusion must be"), HasSubstr("elliptical")));
}

// extends_fusion = "elliptical": the extension is a fact only after a
// surgical fusion of its own sentence.
TEST(FactsTest, EllipticalExtensionNeedsItsFusion) {
  auto segments = [](std::string_view note) {
    std::vector<std::string> out;
    for (const Fact& f : OfKind(Analyze(note), "fusion_procedure"))
      out.insert(out.end(), f.segments.begin(), f.segments.end());
    return out;
  };
  EXPECT_THAT(segments("PSH: lumbar fusion (L4-5 in 2010, extended up to L3 in 2015)."),
              ElementsAre("L4-L5", "L3-L4"));
  EXPECT_THAT(segments("Lumbar pain extended up to L3 this week."), IsEmpty());
}

// needs_spine_context = "sentence": the acronym counts with a level or spine
// word in its own sentence, not with one in the sentence beside it (where
// "yes" would take it).
TEST(FactsTest, SentenceOnlySpineContext) {
  auto kinds = [](const std::string& note) {
    std::vector<std::string> out;
    for (const Fact& f : Analyze(note).facts) out.push_back(f.rule_id);
    return out;
  };
  EXPECT_THAT(kinds("PSH: ACF C4-5."), ::testing::Contains("fusion_acf_acronym"));
  EXPECT_THAT(kinds("Lives in an ACF. History of L4-5 laminectomy."),
              ::testing::Not(::testing::Contains("fusion_acf_acronym")));
  // The same neighbour licenses a "yes" acronym.
  EXPECT_THAT(kinds("Lives near the PSF. History of L4-5 laminectomy."),
              ::testing::Contains("fusion_spinal_acronym"));
}

// implied_region (a concept rule's site by definition) must name a region.
TEST(FactsTest, ImpliedRegionMustBeARegion) {
  suggest::testing::EditedModels models;
  const std::string where =
      models.Edit("rules/congenital.toml",
                  "explains_fusion = \"yes\", implied_region = \"cervical\" }",
                  "explains_fusion = \"yes\", implied_region = \"neck\" }");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("congenital.toml:"), HasSubstr("congenital_klippel_feil"),
                    HasSubstr("implied_region must be a spinal region")));
}

// denies_region (the regions a note-level denial of spine surgery covers)
// must list region names (words24).
TEST(FactsTest, DeniesRegionMustListRegions) {
  suggest::testing::EditedModels models;
  const std::string where =
      models.Edit("rules/encounter.toml",
                  "denies_region = \"occipito_atlanto_axial cervical cervicothoracic\"",
                  "denies_region = \"occipito_atlanto_axial cervicl cervicothoracic\"");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("encounter.toml:"), HasSubstr("encounter_neck_surgery_denied"),
                    HasSubstr("denies_region must list spinal regions"),
                    HasSubstr("did you mean 'cervical'")));
}

// operation_if_other_day belongs to a service_date rule and takes only "yes"
// (timing26).
TEST(FactsTest, OperationIfOtherDayOtherThanYesRefusesTheLoad) {
  suggest::testing::EditedModels models;
  const std::string where = models.Edit("rules/encounter.toml",
                                        "operation_if_other_day = \"yes\"",
                                        "operation_if_other_day = \"true\"");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("encounter.toml:"), HasSubstr("encounter_dos_abbreviation"),
                    HasSubstr("operation_if_other_day")));
}

TEST(FactsTest, NonspinalAnchorDroppingAnUnknownKindRefusesTheLoad) {
  suggest::testing::EditedModels models;
  models.Edit("rules/anchors.toml", "drops = \"pseudarthrosis imaging_finding\"",
              "drops = \"pseudarthrosis imaging_findings\"");
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  // The first rule with those drops (several anchors share them) is named.
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("anchors.toml:"), HasSubstr("a nonspinal_joint rule needs drops")));
}

// An anchor's explained_by names the disease kinds that take its levels:
// checked at load like drops.
TEST(FactsTest, AnchorExplainedByAnUnknownKindRefusesTheLoad) {
  suggest::testing::EditedModels models;
  const std::string where = models.Edit("rules/anchors.toml", "explained_by = \"dish ",
                                        "explained_by = \"dishh ");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("anchors.toml:"), HasSubstr("anchor_osteophytes"),
                    HasSubstr("explained_by")));
}

// relation takes only "yes", checked at load.
TEST(FactsTest, AnchorRelationOtherThanYesRefusesTheLoad) {
  suggest::testing::EditedModels models;
  const std::string where =
      models.Edit("rules/anchors.toml", "relation = \"yes\"", "relation = \"true\"");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("anchors.toml:"), HasSubstr("anchor_relation"),
                    HasSubstr("relation")));
}

TEST(FactsTest, SameStayWindowOutOfRangeRefusesTheLoad) {
  suggest::testing::EditedModels models;
  const std::string where = models.Edit("rules/timing.toml", "inpatient_same_stay_days = \"7\"",
                                        "inpatient_same_stay_days = \"seven\"");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("timing.toml:"), HasSubstr("encounter_date"),
                    HasSubstr("inpatient_same_stay_days")));
}

// The first rule of timing.toml with record = "stay" gets a misspelt value; which rule that is
// depends on the file's order, so only its family of names is asserted.
TEST(FactsTest, TimingRecordOtherThanStayOrOutpatientRefusesTheLoad) {
  suggest::testing::EditedModels models;
  const std::string where = models.Edit("rules/timing.toml", "{ record = \"stay\"",
                                        "{ record = \"stays\"");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("timing.toml:"), HasSubstr("rule \"encounter_"),
                    HasSubstr("record must be"), HasSubstr("did you mean 'stay'")));
}

// A date written with the fusion is read against the record's date of
// service: the same day, later, and a few days before in an inpatient record
// are not a prior fusion; without a date of service nothing changes.
TEST(FactsTest, DatedFusionAgainstTheDateOfService) {
  const auto when = WhenOf;
  const char* note = "She underwent L4-L5 TLIF on 11/08/2026.";
  EXPECT_EQ(when(note, "2026-11-10", Setting::kInpatient), "same_stay");
  EXPECT_EQ(when(note, "2026-11-10", Setting::kOutpatient), "prior");
  EXPECT_EQ(when(note, "2026-11-30", Setting::kInpatient), "prior");
  EXPECT_EQ(when(note, "2026-11-08", Setting::kOutpatient), "performed_this_encounter");
  EXPECT_EQ(when(note, "2026-11-08", Setting::kInpatient), "same_stay");
  // A date still to come is a plan; an operation told as done ("underwent")
  // cannot be, so its date is read day first when that puts it before
  // (timing18: 11/08 -> 11 August).
  EXPECT_EQ(when("L4-L5 TLIF on 11/08/2026.", "2026-11-01", Setting::kOutpatient), "planned");
  EXPECT_EQ(when(note, "2026-11-01", Setting::kOutpatient), "prior");
  EXPECT_EQ(when(note, "", Setting::kInpatient), "prior");
  // Other ways to write the date; across a month and a year end.
  EXPECT_EQ(when("She underwent L4-L5 TLIF on 2026-12-30.", "2027-01-02", Setting::kInpatient),
            "same_stay");
  EXPECT_EQ(when("She underwent L4-L5 TLIF on Dec 20, 2026.", "2027-01-02", Setting::kInpatient),
            "prior");
  EXPECT_EQ(when("She underwent L4-L5 TLIF on 8 Nov 2026.", "2026-11-12", Setting::kInpatient),
            "same_stay");
}

// The note's operation date (encounter.toml, role operation_date) before the
// date of this encounter makes the note a later record: its "Procedure:"
// line tells a past operation (prior), or this stay's in an inpatient record
// a few days later; the same day it is the operative report. A same-day
// discharge (role after_discharge) makes an outpatient call a later
// encounter, but not in an operative report, which tells its own discharge.
TEST(FactsTest, OperationDateAndSameDayDischargeAgainstTheDateOfService) {
  const auto when = WhenOf;
  const char* dated = "Date of surgery: 01/12/2026. Procedure: L5-S1 anterior lumbar interbody fusion.";
  EXPECT_EQ(when(dated, "2026-04-15", Setting::kOutpatient), "prior");
  EXPECT_EQ(when(dated, "2026-01-12", Setting::kOutpatient), "performed_this_encounter");
  EXPECT_EQ(when(dated, "2026-01-14", Setting::kInpatient), "same_stay");
  EXPECT_EQ(when(dated, "2026-04-15", Setting::kInpatient), "prior");
  // A date of visit in the text stands for the record's date of service.
  EXPECT_EQ(when("Date of visit: 04/15/2026. Date of surgery: 01/12/2026. "
                 "Procedure: L5-S1 anterior lumbar interbody fusion.",
                 "", Setting::kOutpatient),
            "prior");
  const char* call = "Pt had C5-6 ACDF yesterday at the surgery center, discharged home same day.";
  EXPECT_EQ(when(call, "2026-12-02", Setting::kOutpatient), "prior");
  EXPECT_EQ(when(call, "2026-12-02", Setting::kInpatient), "same_stay");
  EXPECT_EQ(when("OPERATIVE REPORT\nProcedure: C5-C6 ACDF. Discharged home the same day.",
                 "2026-12-02", Setting::kOutpatient),
            "performed_this_encounter");
}

// "Performed today" (timing.toml this_day) is the day of this encounter: the
// operation of an operative report or of an outpatient record (which has no
// stay), else earlier in this stay.
TEST(FactsTest, FusionOfThisDayBySetting) {
  auto when = [](const char* note, Setting setting) { return WhenOf(note, "", setting); };
  const char* report = "FLUOROSCOPY, INTRAOPERATIVE\nImages during L3-L4 TLIF performed today.";
  EXPECT_EQ(when(report, Setting::kOutpatient), "performed_this_encounter");
  EXPECT_EQ(when(report, Setting::kInpatient), "performed_this_encounter");
  const char* progress = "Underwent L4-L5 TLIF earlier today. Pain controlled.";
  EXPECT_EQ(when(progress, Setting::kInpatient), "same_stay");
  EXPECT_EQ(when(progress, Setting::kOutpatient), "performed_this_encounter");
}

TEST(FactsTest, ThisDayOnAnotherKindRefusesTheLoad) {
  suggest::testing::EditedModels models;
  const std::string where = models.Edit("rules/timing.toml", "this_day = \"yes\" }",
                                        "this_day = \"today\" }");
  ASSERT_FALSE(where.empty());
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("timing.toml:"), HasSubstr("encounter_this_day"),
                    HasSubstr("this_day")));
}

// A note that denies past spine surgery (encounter.toml spine_surgery_denied)
// negates a bare prior fusion with no level or region; a levelled one stands,
// and a denial of other spine surgery denies nothing.
TEST(FactsTest, DenialOfSpineSurgeryNegatesAnUnplacedPriorFusion) {
  const std::string note = "HISTORY: Chart lists s/p fusion 2016. She has never had back surgery.";
  const Result r = Analyze(note);
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_EQ(f.assertion, Assertion::kNegated);
  EXPECT_EQ(f.when, "");
  ASSERT_TRUE(f.has_cue);
  EXPECT_EQ(f.cue.rule_id, "encounter_spine_surgery_denied");
  EXPECT_EQ(Text(note, f.cue.span), "has never had back surgery");
  const Fact levelled =
      Only(Analyze("HISTORY: s/p L4-L5 fusion 2016. She has never had back surgery."),
           "fusion_procedure");
  EXPECT_EQ(levelled.when, "prior");
  EXPECT_NE(levelled.assertion, Assertion::kNegated);
  const Fact other = Only(Analyze("HISTORY: s/p fusion 2016. No other spine surgery."),
                          "fusion_procedure");
  EXPECT_EQ(other.when, "prior");
}

// A fracture nonunion is not pseudarthrosis of a fusion (M96.0), even when
// a spinal fusion sits in the next sentence; the fusion's own nonunion is.
TEST(FactsTest, FractureNonunionIsNoPseudarthrosis) {
  for (const char* note : {"Nonunion of the distal radius fracture. History of L3-L4 fusion.",
                           "Tibial nonunion, s/p L4-5 fusion."}) {
    auto r = TheModel().Analyze(note);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->facts.size(), 1u) << note;
    EXPECT_EQ(r->facts[0].kind, "fusion_procedure") << note;
  }
  auto r = TheModel().Analyze("Impression: Nonunion of the L4-5 fusion.");
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->facts.empty());
  EXPECT_EQ(r->facts[0].kind, "pseudarthrosis");
}

TEST(FactsTest, InfusionAndEffusionAreNoFact) {
  EXPECT_THAT(Analyze("PLAN: IV infusion of vancomycin.\n").facts, IsEmpty());
  EXPECT_THAT(Analyze("The spinal cord protocol was given as a continuous infusion at L4.\n").facts,
              IsEmpty());
  EXPECT_THAT(Analyze("FINDINGS: Small facet joint effusion at L4-L5.\n").facts, IsEmpty());
}

// ------------------------------------------------------------------ imaging

TEST(FactsTest, CtSolidFusionWithPedicleScrews) {
  const std::string note = "IMPRESSION: CT shows solid fusion at L4-5 with pedicle screws.\n";
  const Result r = Analyze(note);
  bool solid = false;
  for (const Fact& f : OfKind(r, "imaging_finding")) {
    EXPECT_EQ(f.modality, "ct");
    if (f.finding == "solid_fusion") {
      solid = true;
      EXPECT_EQ(Text(note, f.span), "solid fusion");
      EXPECT_THAT(f.segments, ElementsAre("L4-L5"));
      EXPECT_EQ(f.assertion, Assertion::kPresent);
    }
  }
  EXPECT_TRUE(solid);
}

TEST(FactsTest, ReportModalityComesFromItsHeadingNotTheComparison) {
  const Result r = Analyze(
      "FINDINGS: Computerized tomography of the lumbar spine was performed. COMPARISON: "
      "previous MRI.\nIMPRESSION: L5-S1 pedicle screws in good position.\n");
  const Fact f = Only(r, "imaging_finding");
  EXPECT_EQ(f.finding, "hardware");
  EXPECT_EQ(f.modality, "ct");
}

TEST(FactsTest, HardwarePlacedInSurgeryIsNotImaging) {
  const Result r = Analyze("PROCEDURE: Pedicle screws were placed at L4 and L5.\n");
  EXPECT_THAT(OfKind(r, "imaging_finding"), IsEmpty());
}

// -------------------------------------------------------------------- spans

TEST(FactsTest, SpansAreTheFactsWords) {
  const std::string note =
      "HISTORY: The patient is s/p C5-6 ACDF.\n"
      "IMPRESSION: Bony ankylosis of T7-T11.\n";
  const Result r = Analyze(note);
  const Fact f = Only(r, "fusion_procedure");
  EXPECT_EQ(Text(note, f.span), "ACDF");
  ASSERT_TRUE(f.has_cue);
  EXPECT_EQ(Text(note, f.cue.span), "s/p");
  EXPECT_EQ(f.when, "prior");
  const Fact a = Only(r, "ankylosis");
  EXPECT_EQ(Text(note, a.span), "Bony ankylosis");
  EXPECT_THAT(a.segments, ElementsAre("T7-T8", "T8-T9", "T9-T10", "T10-T11"));
  for (const Fact& x : r.facts) {
    EXPECT_LE(x.span.end, note.size());
    EXPECT_LT(x.span.begin, x.span.end);
  }
}

TEST(FactsTest, OffsetsExactWithCrlfAndEnDash) {
  // CRLF line ends and an en dash (3 bytes) inside the level: spans are
  // bytes of this original text, not of the normalized view.
  const std::string note =
      "HISTORY:\r\nPatient is status post L4\xE2\x80\x93L5 fusion.\r\n"
      "PAST SURGICAL HISTORY:\r\nC5\xE2\x80\x93" "6 anterior cervical fusion in 2010.\r\n";
  const Result r = Analyze(note);
  const std::vector<Fact> f = OfKind(r, "fusion_procedure");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(Text(note, f[0].span), "fusion");
  ASSERT_EQ(f[0].level_spans.size(), 1u);
  EXPECT_EQ(Text(note, f[0].level_spans[0]), "L4\xE2\x80\x93L5");
  EXPECT_THAT(f[0].segments, ElementsAre("L4-L5"));
  ASSERT_TRUE(f[0].has_cue);
  EXPECT_EQ(Text(note, f[0].cue.span), "status post");
  EXPECT_EQ(f[0].when, "prior");
  EXPECT_EQ(Text(note, f[1].span), "anterior cervical fusion");
  ASSERT_FALSE(f[1].level_spans.empty());
  EXPECT_EQ(Text(note, f[1].level_spans[0]), "C5\xE2\x80\x93" "6");
  EXPECT_THAT(f[1].segments, ElementsAre("C5-C6"));
  EXPECT_EQ(f[1].assertion, Assertion::kHistorical);
}

}  // namespace
}  // namespace suggest
