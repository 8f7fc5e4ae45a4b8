// Copyright libsuggest authors.
//
// The mapper (map/mapper.h, models/map.toml): what only C++ can check.
//
// What the mapper suggests for a note (codes, rank order, evidence words,
// rationale, Excludes1 suppression, gaps, the facts behind them) is written
// as coder-readable cases in tests/cases/*.cases, run by
// tests/cases/run_cases.py (ctest cases.suite); the notes that used to be
// here are tests/cases/mapping.cases. What stays here no case can express:
//   - invariants of every result, whatever the note (scores in [0, 1], ranks
//     1..n by score, every code billable in the code table of its year with
//     that table's title, never M43.29, every evidence span the fact's words
//     grown to the levels written beside them), checked on the note of every
//     case of the suite;
//   - score arithmetic: the unspecified-site code scores below the same words
//     with a region, a junction code strictly above the other codes of its
//     range, and equal scores ranked by specificity (a case sees only the
//     order);
//   - the code set year a load selects (FY2026, FY2027, the default);
//   - the load check of map.toml: a rule naming a code that does not exist,
//     or is a header, refuses the model with map.toml:LINE:COLUMN.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
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

// The code table whose code_set() is `code_set` ("ICD-10-CM FY2027").
const internal::CodeTable& TableFor(const std::string& code_set) {
  static auto* tables = new std::map<std::string, std::shared_ptr<const internal::CodeTable>>();
  auto it = tables->find(code_set);
  if (it == tables->end()) {
    const std::string year = code_set.substr(code_set.rfind("FY") + 2);
    auto t = internal::CodeTable::Load(std::string(SUGGEST_MODELS_DIR) + "/icd10cm/fy" + year);
    if (!t.ok()) {
      ADD_FAILURE() << t.status().ToString();
      std::abort();
    }
    EXPECT_EQ((*t)->code_set(), code_set);
    it = tables->emplace(code_set, *t).first;
  }
  return *it->second;
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
void CheckInvariants(const Result& r, std::string_view note) {
  const internal::CodeTable& table = TableFor(r.code_set);
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

Result Analyze(std::string_view note, int year = 0, const AnalyzeOptions& options = {}) {
  auto r = ModelForYear(year).Analyze(note, options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return Result();
  CheckInvariants(*r, note);
  return std::move(*r);
}

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

// The note of every case of tests/cases/*.cases with its @setting and
// @date_of_service (format: tests/cases/README.md; the runner checks the
// rest of the format).
struct CaseNote {
  std::string where;
  std::string text;
  AnalyzeOptions options;
};

std::vector<CaseNote> CaseNotes() {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(SUGGEST_TESTDATA_DIR) / ".." / "cases"))
    if (e.path().extension() == ".cases") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<CaseNote> out;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::string line;
    int lineno = 0;
    CaseNote* open = nullptr;  // the case whose note is being read
    bool in_note = false;
    while (std::getline(in, line)) {
      ++lineno;
      if (line.rfind("=== ", 0) == 0) {
        out.push_back({file.filename().string() + ":" + std::to_string(lineno), "", {}});
        open = &out.back();
        in_note = false;
        continue;
      }
      if (open == nullptr) continue;
      if (!in_note && line.rfind("@setting: ", 0) == 0) {
        open->options.setting = line.substr(10) == "inpatient" ? Setting::kInpatient
                                                                : Setting::kOutpatient;
      } else if (!in_note && line.rfind("@date_of_service: ", 0) == 0) {
        open->options.date_of_service = line.substr(18);
      } else if (line == "---") {
        open = nullptr;
      } else {
        if (in_note) open->text += '\n';
        open->text += line;
        in_note = true;
      }
    }
  }
  return out;
}

TEST(MapperInvariantsTest, EveryCaseNote) {
  const std::vector<CaseNote> notes = CaseNotes();
  ASSERT_GE(notes.size(), 700u);
  for (const CaseNote& n : notes) {
    SCOPED_TRACE(n.where);
    ASSERT_FALSE(n.text.empty());
    auto r = ModelForYear(0).Analyze(n.text, n.options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    CheckInvariants(*r, n.text);
  }
}

// ---------------------------------------------------------------------------
// Score arithmetic (docs/icd-mapping.md "Scores"): what the rank order of a
// case cannot show.

TEST(MapperScoreTest, UnspecifiedRegionScoresBelowAStatedRegion) {
  const Result unspecified = Analyze(
      "HISTORY OF PRESENT ILLNESS: 81-year-old man with stiffness of the back.\n"
      "IMPRESSION: Degenerative fusion of the spine. Follow-up in clinic.\n");
  const Result with_region = Analyze(
      "HISTORY OF PRESENT ILLNESS: 81-year-old man with stiffness of the back.\n"
      "IMPRESSION: Degenerative fusion of L2-L3. Follow-up in clinic.\n");
  ASSERT_THAT(Codes(unspecified), ElementsAre("M43.20"));
  ASSERT_THAT(Codes(with_region), ElementsAre("M43.26"));
  EXPECT_LT(unspecified.suggestions[0].score, with_region.suggestions[0].score);
}

TEST(MapperScoreTest, JunctionCodeOfARangeScoresAboveTheOthers) {
  for (const char* phrase : {"Spontaneous fusion from L4 to S1", "Spontaneous fusion from C6 to T1",
                             "Spontaneous fusion from T11 to L2"}) {
    SCOPED_TRACE(phrase);
    const Result r = Analyze(std::string("IMPRESSION: ") + phrase + ".\n");
    ASSERT_GE(r.suggestions.size(), 2u);
    EXPECT_GT(r.suggestions[0].score, r.suggestions[1].score);
  }
}

TEST(MapperScoreTest, EqualScoresRankTheMoreSpecificCodeFirst) {
  const Result r = Analyze(
      "PAST SURGICAL HISTORY: L4-L5 posterior spinal fusion in 2012.\n"
      "IMAGING: CT shows spontaneous fusion of C5-C6.\n"
      "IMPRESSION: Spontaneous fusion of C5-C6. History of lumbar fusion.\n");
  ASSERT_THAT(Codes(r), ElementsAre("M43.22", "Z98.1"));
  EXPECT_EQ(r.suggestions[0].score, r.suggestions[1].score);
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
};

TEST_F(MapLoadTest, UnmodifiedCopyLoads) {
  auto m = models_.Load();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
}

TEST_F(MapLoadTest, NonexistentCodeRefusesTheLoad) {
  const std::string where =
      Edit("\"M43.28\"", "\"M43.29\"");  // sacral_sacrococcygeal of acquired_ankylosis
  auto m = models_.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("map.toml:" + where + ": error:"),
                    HasSubstr("acquired_ankylosis"),
                    HasSubstr("M43.29 does not exist in ICD-10-CM FY2027")));
}

TEST_F(MapLoadTest, HeaderCodeRefusesTheLoad) {
  const std::string where = Edit("unspecified = \"M43.20\"", "unspecified = \"M43.2\"");
  auto m = models_.Load();
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
  auto m = models_.Load(options);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("map.toml:"), HasSubstr("status_prior_fusion"),
                    HasSubstr("Q76.4 is not billable in ICD-10-CM FY2026")));
}

// A revised diagnosis names why its codes are dropped: supersedes without
// supersedes_reason refuses the load.
TEST_F(MapLoadTest, SupersedesWithoutItsReasonRefusesTheLoad) {
  Edit("supersedes_reason = ", "# supersedes_reason = ");
  auto m = models_.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("map.toml:"), HasSubstr("ankylosing_spondylitis"),
                    HasSubstr("supersedes needs a supersedes_reason")));
}

}  // namespace
}  // namespace suggest
