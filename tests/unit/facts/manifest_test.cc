// Copyright libsuggest authors.
//
// The manifest (facts/manifest.h, models/manifest.toml): the packs and the
// roles of the kinds. Broken manifests (tests/data/bad_manifest/, "# expect:"
// first line), rule and map files naming an undeclared kind (an edited copy
// of models/), and a kind renamed in data alone.

#include "facts/manifest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "suggest/suggest.h"
#include "../../testing/edited_models.h"
#include "../../testing/model.h"

namespace suggest::internal {
namespace {

using ::testing::HasSubstr;

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "LINE:COL" (1-based) of the first `what` in `text`, `skip` bytes on.
std::string Where(const std::string& text, const std::string& what, size_t skip = 0) {
  size_t p = text.find(what);
  if (p != std::string::npos) p += skip;
  EXPECT_NE(p, std::string::npos) << what;
  const size_t line = 1 + std::count(text.begin(), text.begin() + p, '\n');
  const size_t bol = text.rfind('\n', p);
  return std::to_string(line) + ":" +
         std::to_string(p - (bol == std::string::npos ? 0 : bol + 1) + 1);
}

TEST(ManifestTest, ShippedManifestLoads) {
  auto m = Manifest::Load(std::string(SUGGEST_MODELS_DIR) + "/manifest.toml");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->concept_packs().front(), "fusion");
  EXPECT_EQ(m->PackFiles().size(), m->concept_packs().size() + 3);
  EXPECT_FALSE(m->acquired_ankylosis().empty());
  EXPECT_TRUE(m->Is(m->acquired_ankylosis(), KindRole::kAcquiredAnkylosis));
  EXPECT_FALSE(m->Is("no_such_kind", KindRole::kDate));
  // Every kind a rule of a listed pack uses is declared (Model::Load checks
  // it too); the conflict gaps follow the declaration order.
  EXPECT_FALSE(m->KindsWith(KindRole::kConflictChecked).empty());
}

// Each file in tests/data/bad_manifest/ starts with "# expect: <message>";
// the load must fail with a message starting with it (the pack files are
// looked for in the shipped models/rules/).
TEST(ManifestTest, BrokenFilesGivePreciseErrors) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(SUGGEST_TESTDATA_DIR) + "/bad_manifest")) {
    std::ifstream in(entry.path());
    std::string first;
    std::getline(in, first);
    const std::string prefix = "# expect: ";
    ASSERT_EQ(first.rfind(prefix, 0), 0u) << entry.path();
    const std::string want = first.substr(prefix.size());
    auto m = Manifest::Load(entry.path().string(), std::string(SUGGEST_MODELS_DIR) + "/rules");
    ASSERT_FALSE(m.ok()) << entry.path();
    const std::string& msg = m.status().message();
    EXPECT_EQ(msg.find(entry.path().string() + want.substr(want.find(':'))), 0u)
        << "got:  " << msg << "\nwant: " << want;
    ++checked;
  }
  EXPECT_GE(checked, 8);
}

// A rule whose kind the manifest does not declare fails the load at the
// rule's kind (every such rule), and so does a map rule reading it.
TEST(ManifestTest, UndeclaredKindNamesEachRuleAndMapRule) {
  suggest::testing::EditedModels models;
  models.Edit("manifest.toml", "\ndish = [\"documents_cause\", \"conflict_checked\"]", "");
  const std::string dish = Read(models.dir() / "rules" / "dish.toml");
  const std::string map = Read(models.dir() / "map.toml");
  auto m = Model::Load(models.dir().string(), suggest::testing::CachedLoadOptions());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(m.status().kind(), "rule_file");
  const std::string& msg = m.status().message();
  EXPECT_THAT(msg, HasSubstr((models.dir() / "rules" / "dish.toml").string() + ":" +
                             Where(dish, "\"dish\"\npattern") + ": error: rule \""));
  EXPECT_THAT(msg, HasSubstr("\": kind \"dish\" is not declared in manifest.toml [kinds]"));
  // One error per rule of dish.toml (counted in the file, so that a new
  // DISH rule needs no edit here) and one for the map rule.
  size_t rules = 0;
  for (size_t p = 0; (p = dish.find("kind = \"dish\"", p)) != std::string::npos; ++p) ++rules;
  EXPECT_EQ(static_cast<size_t>(std::count(msg.begin(), msg.end(), '\n') + 1), rules + 1) << msg;
  EXPECT_THAT(msg, HasSubstr((models.dir() / "map.toml").string() + ":" +
                             Where(map, "fact = \"dish\"", 7) + ": error: map \""));
  EXPECT_THAT(msg, HasSubstr(": fact \"dish\" is not a kind declared in manifest.toml [kinds]"));
}

// An imaging finding value a rule uses must be declared in [findings]: the
// error is at the rule, with the near miss; and a declared value's roles are
// what FindingIs answers.
TEST(ManifestTest, UndeclaredFindingNamesTheRule) {
  suggest::testing::EditedModels models;
  models.Edit("rules/imaging.toml", "finding = \"bony_ankylosis\"", "finding = \"bony_ankylosys\"");
  auto m = Model::Load(models.dir().string(), suggest::testing::CachedLoadOptions());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().kind(), "rule_file");
  EXPECT_THAT(m.status().message(),
              HasSubstr("imaging.toml:"));
  EXPECT_THAT(m.status().message(),
              HasSubstr("\": finding \"bony_ankylosys\" is not declared in manifest.toml "
                        "[findings]; did you mean 'bony_ankylosis'?"));

  auto shipped = Manifest::Load(std::string(SUGGEST_MODELS_DIR) + "/manifest.toml");
  ASSERT_TRUE(shipped.ok()) << shipped.status().ToString();
  EXPECT_TRUE(shipped->FindingIs("solid_fusion", FindingRole::kExistingFusion));
  EXPECT_FALSE(shipped->FindingIs("bony_ankylosis", FindingRole::kExistingFusion));
  EXPECT_FALSE(shipped->FindingIs("no_such_finding", FindingRole::kHardware));
}

// A kind whose roles belong to another sort of pack (a sentence cue's
// role on a concept kind) is refused at the rule.
TEST(ManifestTest, KindOfAnotherSortOfPack) {
  suggest::testing::EditedModels models;
  models.Edit("rules/dish.toml", "kinds = [\"dish\"]", "kinds = [\"dish\", \"date\"]");
  const std::string at = models.Edit("rules/dish.toml", "kind = \"dish\"", "kind = \"date\"");
  auto m = Model::Load(models.dir().string(), suggest::testing::CachedLoadOptions());
  ASSERT_FALSE(m.ok());
  const size_t colon = at.find(':');
  const std::string kind_at =
      at.substr(0, colon + 1) + std::to_string(std::stoi(at.substr(colon + 1)) + 7);
  EXPECT_THAT(m.status().message(),
              HasSubstr("dish.toml:" + kind_at + ": error: rule \""));
  EXPECT_THAT(m.status().message(),
              HasSubstr("kind \"date\" has the role \"date\" of the sentence_cues packs, but "
                        "this is one of the concepts packs"));
}

// A concept pack the manifest lists without its file: the error is at the
// manifest's entry, with the near miss.
TEST(ManifestTest, MissingPackFile) {
  suggest::testing::EditedModels models;
  const std::string at = models.Edit("manifest.toml", "\"dish\", \"congenital\"",
                                     "\"dihs\", \"congenital\"");
  auto m = Model::Load(models.dir().string(), suggest::testing::CachedLoadOptions());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(),
            (models.dir() / "manifest.toml").string() + ":" + at +
                ": error: packs.concepts: no pack file rules/dihs.toml; did you mean 'dish'?");
}

// Renaming a kind is data only: the manifest, the rules that emit it and the
// anchors' drops. The results name the new kind and are otherwise the same.
TEST(ManifestTest, KindRenamedInDataAlone) {
  suggest::testing::EditedModels models;
  auto replace_all = [&](const std::string& file, const std::string& from,
                         const std::string& to) {
    std::string text = Read(models.dir() / file);
    int n = 0;
    for (size_t p; (p = text.find(from)) != std::string::npos; ++n)
      text.replace(p, from.size(), to);
    std::ofstream(models.dir() / file, std::ios::binary | std::ios::trunc) << text;
    return n;
  };
  EXPECT_EQ(replace_all("manifest.toml", "imaging_finding = [", "radiology_finding = ["), 1);
  EXPECT_GE(replace_all("rules/imaging.toml", "\"imaging_finding\"", "\"radiology_finding\""), 7);
  // Every drops list that names it, last or not (eight in the shipped models).
  EXPECT_GE(replace_all("rules/anchors.toml", " imaging_finding\"", " radiology_finding\"") +
                replace_all("rules/anchors.toml", " imaging_finding ", " radiology_finding "),
            8);
  auto renamed = Model::Load(models.dir().string(), suggest::testing::CachedLoadOptions());
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  const std::string note =
      "EXAM: CT LUMBAR SPINE\nFINDINGS: Solid fusion at L4-L5 with pedicle screws. Possible "
      "pseudarthrosis at L5-S1.\nIMPRESSION: Bridging bone at L4-L5.\n";
  auto a = suggest::testing::TheModel().Analyze(note);
  auto b = renamed->Analyze(note);
  ASSERT_TRUE(a.ok() && b.ok());
  std::string want = ResultToJson(*a, note, "n");
  std::string got = ResultToJson(*b, note, "n");
  for (std::string* j : {&want, &got}) {
    const size_t v = j->find("\"models_version\":\"");
    ASSERT_NE(v, std::string::npos);
    j->erase(v + 18, j->find('"', v + 18) - (v + 18));
  }
  EXPECT_THAT(want, HasSubstr("\"imaging_finding\""));
  for (size_t p; (p = want.find("\"imaging_finding\"")) != std::string::npos;)
    want.replace(p, 17, "\"radiology_finding\"");
  for (size_t p; (p = want.find("imaging finding")) != std::string::npos;)  // {kind} in texts
    want.replace(p, 15, "radiology finding");
  EXPECT_EQ(got, want);
}

// The words that let a complication name the fusion it is of are data
// ([complication_of_fusion]): "Nonunion of the prior L4-5 fusion" gives the
// nonunion the fusion's level; without "of" among the relation words it
// names no fusion and keeps no level.
TEST(ManifestTest, ComplicationOfFusionWordsAreData) {
  const std::string note = "Impression: Nonunion of the prior L4-5 fusion.\n";
  auto segments_of_nonunion = [&](const Model& model) {
    auto r = model.Analyze(note);
    EXPECT_TRUE(r.ok());
    for (const Fact& f : r->facts)
      if (f.kind == "pseudarthrosis") return f.segments;
    ADD_FAILURE() << "no pseudarthrosis fact";
    return std::vector<std::string>{};
  };
  EXPECT_THAT(segments_of_nonunion(suggest::testing::TheModel()),
              ::testing::ElementsAre("L4-L5"));
  suggest::testing::EditedModels models;
  std::string text = Read(models.dir() / "manifest.toml");
  const std::string from = "relation = [\"of\", ";
  const size_t p = text.find(from);
  ASSERT_NE(p, std::string::npos);
  text.replace(p, from.size(), "relation = [");
  std::ofstream(models.dir() / "manifest.toml", std::ios::binary | std::ios::trunc) << text;
  auto edited = Model::Load(models.dir().string(), suggest::testing::CachedLoadOptions());
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_TRUE(segments_of_nonunion(*edited).empty());
}

}  // namespace
}  // namespace suggest::internal
