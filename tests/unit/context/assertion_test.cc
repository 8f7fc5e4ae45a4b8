// Copyright libsuggest authors.
//
// The assertion engine (context/assertion.h) with the shipped lexicon
// (models/context.toml), its load errors (tests/data/bad_context/), and the
// developer hook dev::Assess (suggest/dev/assess.h).

#include "context/assertion.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "suggest/dev/assess.h"
#include "suggest/suggest.h"
#include "text/sectionizer.h"
#include "../../testing/model.h"
#include "../../testing/edited_models.h"

namespace suggest::internal {
namespace {

const AssertionRules& Rules() {
  static const AssertionRules* rules = [] {
    auto r = AssertionRules::Load(std::string(SUGGEST_MODELS_DIR) + "/context.toml");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new AssertionRules(std::move(*r));
  }();
  return *rules;
}

struct Outcome {
  Assertion assertion;
  std::string cue;  // text of the deciding cue, "" if none
  std::string rule;
  AssertionVerdict verdict;
};

// `sentence` is given already normalized (lower case); `target` is its first
// occurrence.
Outcome AssessIn(const std::string& sentence, const std::string& target,
           std::string_view section = {}) {
  const size_t at = sentence.find(target);
  EXPECT_NE(at, std::string::npos) << target;
  const AssertionVerdict v =
      Assess(Rules(), sentence, 0, static_cast<uint32_t>(sentence.size()),
             static_cast<uint32_t>(at), static_cast<uint32_t>(at + target.size()), section);
  Outcome r{v.assertion, "", v.rule_id, v};
  if (v.has_cue) r.cue = sentence.substr(v.cue_begin, v.cue_end - v.cue_begin);
  return r;
}

TEST(AssertionNameTest, AllNames) {
  EXPECT_STREQ(AssertionName(Assertion::kPresent), "present");
  EXPECT_STREQ(AssertionName(Assertion::kNegated), "negated");
  EXPECT_STREQ(AssertionName(Assertion::kPossible), "possible");
  EXPECT_STREQ(AssertionName(Assertion::kHypothetical), "hypothetical");
  EXPECT_STREQ(AssertionName(Assertion::kHistorical), "historical");
  EXPECT_STREQ(AssertionName(Assertion::kFamily), "family");
}

TEST(AssertionTest, PresentWithoutCue) {
  const Outcome r = AssessIn("solid fusion at c5-6.", "fusion");
  EXPECT_EQ(r.assertion, Assertion::kPresent);
  EXPECT_FALSE(r.verdict.has_cue);
  EXPECT_EQ(r.rule, "");
}

TEST(AssertionTest, Negated) {
  Outcome r = AssessIn("no evidence of fusion at c5-6.", "fusion");
  EXPECT_EQ(r.assertion, Assertion::kNegated);
  EXPECT_EQ(r.cue, "no evidence of");
  EXPECT_EQ(r.rule, "neg_no_evidence");

  EXPECT_EQ(AssessIn("without bony fusion across the disc space.", "bony fusion").assertion,
            Assertion::kNegated);
  EXPECT_EQ(AssessIn("the patient denies neck pain or numbness.", "numbness").assertion,
            Assertion::kNegated);
  EXPECT_EQ(AssessIn("there is no acute fracture.", "acute fracture").assertion,
            Assertion::kNegated);
  // "no acute" runs into the finding "acute distress": still its cue.
  EXPECT_EQ(AssessIn("in no acute distress.", "acute distress").assertion, Assertion::kNegated);
  EXPECT_EQ(AssessIn("skin:  no rashes.", "rashes").assertion, Assertion::kNegated);
}

TEST(AssertionTest, NegatedBackward) {
  Outcome r = AssessIn("pulmonary embolism was ruled out.", "pulmonary embolism");
  EXPECT_EQ(r.assertion, Assertion::kNegated);
  EXPECT_EQ(r.cue, "was ruled out");
  EXPECT_EQ(AssessIn("a fracture is not seen.", "fracture").assertion, Assertion::kNegated);
  EXPECT_EQ(AssessIn("his nausea and vomiting resolved.", "nausea").assertion, Assertion::kNegated);
  EXPECT_EQ(AssessIn("drug allergies: none.", "drug allergies").assertion, Assertion::kNegated);
}

TEST(AssertionTest, Possible) {
  Outcome r = AssessIn("possible pseudarthrosis at l4-5.", "pseudarthrosis");
  EXPECT_EQ(r.assertion, Assertion::kPossible);
  EXPECT_EQ(r.cue, "possible");
  EXPECT_EQ(AssessIn("cannot exclude nonunion at l5-s1.", "nonunion").assertion,
            Assertion::kPossible);
  EXPECT_EQ(AssessIn("questionable lucency around the screws.", "lucency").assertion,
            Assertion::kPossible);
  // The longer "not ruled out" hides the negating "ruled out" inside it.
  r = AssessIn("infection has not been ruled out.", "infection");
  EXPECT_EQ(r.assertion, Assertion::kPossible);
  EXPECT_EQ(r.rule, "poss_not_ruled_out");
}

TEST(AssertionTest, Hypothetical) {
  Outcome r = AssessIn("plan for acdf at c5-6 next month.", "acdf");
  EXPECT_EQ(r.assertion, Assertion::kHypothetical);
  EXPECT_EQ(r.cue, "plan for");
  EXPECT_EQ(AssessIn("he is a candidate for lumbar fusion.", "lumbar fusion").assertion,
            Assertion::kHypothetical);
  EXPECT_EQ(AssessIn("return to the ed if fever or wound drainage.", "wound drainage").assertion,
            Assertion::kHypothetical);
}

TEST(AssertionTest, Historical) {
  Outcome r = AssessIn("s/p acdf at c5-6.", "acdf");
  EXPECT_EQ(r.assertion, Assertion::kHistorical);
  EXPECT_EQ(r.cue, "s/p");
  EXPECT_EQ(AssessIn("history of lumbar fusion.", "lumbar fusion").assertion,
            Assertion::kHistorical);
  EXPECT_EQ(AssessIn("status post posterior spinal fusion.", "posterior spinal fusion").assertion,
            Assertion::kHistorical);
  // The nearest cue of the category is the one reported.
  EXPECT_EQ(AssessIn("s/p c5-6 acdf in 2010.", "acdf").cue, "in 2010");
}

TEST(AssertionTest, Family) {
  Outcome r = AssessIn("his mother had ankylosing spondylitis.", "ankylosing spondylitis");
  EXPECT_EQ(r.assertion, Assertion::kFamily);
  EXPECT_EQ(r.cue, "mother");
}

TEST(AssertionTest, TerminatorEndsScope) {
  EXPECT_EQ(AssessIn("no fracture but there is fusion.", "fusion").assertion, Assertion::kPresent);
  EXPECT_EQ(AssessIn("no fracture but there is fusion.", "fracture").assertion,
            Assertion::kNegated);
  EXPECT_EQ(AssessIn("no stenosis, however solid fusion at l4-5.", "solid fusion").assertion,
            Assertion::kPresent);
  EXPECT_EQ(AssessIn("no hardware failure which would explain the pain.", "pain").assertion,
            Assertion::kPresent);
}

TEST(AssertionTest, PunctuationEndsScope) {
  EXPECT_EQ(AssessIn("no fracture; fusion is solid.", "fusion").assertion, Assertion::kPresent);
  EXPECT_EQ(AssessIn("no fracture.  fusion is solid.", "fusion").assertion, Assertion::kPresent);
}

TEST(AssertionTest, ScopeHasALimit) {
  // default_max_scope is 8 words between cue and finding.
  EXPECT_EQ(AssessIn("no a b c d e f g fusion.", "fusion").assertion, Assertion::kNegated);
  EXPECT_EQ(AssessIn("no a b c d e f g h i j fusion.", "fusion").assertion, Assertion::kPresent);
  // Backward cues do not reach forward, and forward ones not backward.
  EXPECT_EQ(AssessIn("fusion, no fracture.", "fusion").assertion, Assertion::kPresent);
}

// A backward cue that starts before the finding and ends inside it shares
// the finding's first words, so it reaches it: "likely congenital"
// (poss_cause_hedge, backward) hedges "congenital block vertebra". One that
// holds the whole finding keeps its direction.
TEST(AssertionTest, BackwardCueStraddlingTheStartReachesIt) {
  const Outcome o = AssessIn("c2-c3 fusion, likely congenital block vertebra.",
                             "congenital block vertebra");
  EXPECT_EQ(o.assertion, Assertion::kPossible);
  EXPECT_EQ(o.rule, "poss_cause_hedge");
  EXPECT_EQ(AssessIn("c2-c3 fusion, likely congenital block vertebra.", "fusion").assertion,
            Assertion::kPossible);
  // An origin guessed from the finding doubts the operation it names too
  // (poss_origin_hedge, both directions: the reader infers the fusion from the
  // image); a hedged cause of something else leaves the fusion present.
  const Outcome origin = AssessIn("fused c5-c6, likely from prior fusion.", "prior fusion");
  EXPECT_EQ(origin.assertion, Assertion::kPossible);
  EXPECT_EQ(origin.rule, "poss_origin_hedge");
  EXPECT_EQ(AssessIn("neck pain, likely related to prior fusion.", "prior fusion").assertion,
            Assertion::kPresent);
}

TEST(AssertionTest, PseudoTriggersSuppress) {
  EXPECT_EQ(AssessIn("no change in the fusion construct.", "fusion construct").assertion,
            Assertion::kPresent);
  EXPECT_EQ(AssessIn("no interval change of the l4-5 fusion.", "fusion").assertion,
            Assertion::kPresent);
  EXPECT_EQ(AssessIn("gram negative rods in the wound.", "rods").assertion, Assertion::kPresent);
  EXPECT_EQ(AssessIn("not only fusion at c5-6.", "fusion").assertion, Assertion::kPresent);
  EXPECT_EQ(AssessIn("history of present illness: neck pain.", "neck pain").assertion,
            Assertion::kPresent);
  EXPECT_EQ(AssessIn("screws in position without change.", "screws").assertion,
            Assertion::kPresent);
}

TEST(AssertionTest, TriggerInsideAWordDoesNotFire) {
  EXPECT_EQ(AssessIn("nodular fusion mass.", "fusion").assertion, Assertion::kPresent);
  EXPECT_EQ(AssessIn("notable fusion mass.", "fusion").assertion, Assertion::kPresent);
  EXPECT_EQ(AssessIn("nonunion noé fusion.", "fusion").assertion, Assertion::kPresent);
}

TEST(AssertionTest, Precedence) {
  // Negated outranks historical; both axes stay visible.
  Outcome r = AssessIn("no history of spinal fusion.", "spinal fusion");
  EXPECT_EQ(r.assertion, Assertion::kNegated);
  EXPECT_TRUE(r.verdict.Has(Assertion::kNegated));
  EXPECT_TRUE(r.verdict.Has(Assertion::kHistorical));
  // Possible outranks historical.
  EXPECT_EQ(AssessIn("history of possible pseudarthrosis.", "pseudarthrosis").assertion,
            Assertion::kPossible);
  // Family outranks historical.
  EXPECT_EQ(AssessIn("father with history of ankylosing spondylitis.", "ankylosing spondylitis")
                .assertion,
            Assertion::kFamily);
}

TEST(AssertionTest, SectionDefaults) {
  Outcome r = AssessIn("acdf c5-6.", "acdf", "past_surgical_history");
  EXPECT_EQ(r.assertion, Assertion::kHistorical);
  EXPECT_FALSE(r.verdict.has_cue);
  EXPECT_EQ(r.rule, "section:past_surgical_history");
  EXPECT_EQ(AssessIn("hypertension.", "hypertension", "past_medical_history").assertion,
            Assertion::kHistorical);
  EXPECT_EQ(AssessIn("ankylosing spondylitis.", "ankylosing spondylitis", "family_history").assertion,
            Assertion::kFamily);
  EXPECT_EQ(AssessIn("l4-5 tlif.", "tlif", "plan").assertion, Assertion::kHypothetical);
  // An in-sentence cue of a higher category still decides.
  r = AssessIn("no prior spine surgery.", "spine surgery", "past_surgical_history");
  EXPECT_EQ(r.assertion, Assertion::kNegated);
  EXPECT_TRUE(r.verdict.has_cue);
  EXPECT_EQ(AssessIn("no surgery is needed.", "surgery", "plan").assertion, Assertion::kNegated);
  // Other sections add nothing.
  EXPECT_EQ(AssessIn("solid fusion.", "fusion", "impression").assertion, Assertion::kPresent);
}

TEST(AssertionRulesTest, FindCuesLongestWins) {
  const std::string s = "no significant interval change, no fracture.";
  const std::vector<CueMatch> cues = Rules().FindCues(s, 0, static_cast<uint32_t>(s.size()));
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(s.substr(cues[0].begin, cues[0].end - cues[0].begin), "no significant interval change");
  EXPECT_EQ(Rules().modifiers()[cues[0].modifier].category, ModifierCategory::kPseudo);
  EXPECT_EQ(s.substr(cues[1].begin, cues[1].end - cues[1].begin), "no");
}

// A TERMINATE match ends where a cue inside it begins and hides none; it
// still bounds the scopes of the cues before it. A PSEUDO match still hides.
TEST(AssertionRulesTest, BoundaryHidesNoCueInsideIt) {
  auto r = AssertionRules::Parse(
      "schema_version = 1\n"
      "[[modifier]]\nid = \"neg_sans\"\ncategory = \"NEGATED\"\ndirection = \"forward\"\n"
      "phrases = [\"sans\"]\n"
      "[[modifier]]\nid = \"hist_old\"\ncategory = \"HISTORICAL\"\ndirection = \"forward\"\n"
      "phrases = [\"old\"]\n"
      "[[modifier]]\nid = \"term_site\"\ncategory = \"TERMINATE\"\n"
      "pattern = '\\bdamage\\s+above\\s+(?:\\w+\\s+){0,2}?fusion\\b'\n"
      "[[modifier]]\nid = \"pseudo_gold\"\ncategory = \"PSEUDO\"\nphrases = [\"old gold\"]\n",
      "inline.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string s = "sans damage above an old fusion";
  const std::vector<CueMatch> cues = r->FindCues(s, 0, static_cast<uint32_t>(s.size()));
  ASSERT_EQ(cues.size(), 3u);
  EXPECT_EQ(s.substr(cues[1].begin, cues[1].end - cues[1].begin), "damage above an");
  EXPECT_EQ(s.substr(cues[2].begin, cues[2].end - cues[2].begin), "old");
  const uint32_t fusion = static_cast<uint32_t>(s.find("fusion"));
  const AssertionVerdict v = Assess(*r, s, 0, static_cast<uint32_t>(s.size()), fusion, fusion + 6, "");
  EXPECT_EQ(v.assertion, Assertion::kHistorical);  // not negated: the boundary stands
  EXPECT_EQ(v.rule_id, "hist_old");
  EXPECT_EQ(Assess(*r, s, 0, static_cast<uint32_t>(s.size()), 5, 11, "").assertion,
            Assertion::kNegated);
  const std::string g = "sans old gold fusion";
  const std::vector<CueMatch> gc = r->FindCues(g, 0, static_cast<uint32_t>(g.size()));
  ASSERT_EQ(gc.size(), 2u);
  EXPECT_EQ(r->modifiers()[gc[1].modifier].category, ModifierCategory::kPseudo);
}

// governs_list is read only on a POSSIBLE modifier, as a boolean.
TEST(AssertionRulesTest, GovernsListIsAPossibleFlag) {
  auto ok = AssertionRules::Parse(
      "schema_version = 1\n[[modifier]]\nid = \"poss_ddx\"\ncategory = \"POSSIBLE\"\n"
      "direction = \"forward\"\nphrases = [\"ddx\"]\ngoverns_list = true\n",
      "ok.toml");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok->modifiers()[0].governs_list);
  const std::string s = "ddx dish";
  const AssertionVerdict v = Assess(*ok, s, 0, static_cast<uint32_t>(s.size()), 4, 8, "");
  EXPECT_EQ(v.modifier, 0);
  auto bad = AssertionRules::Parse(
      "schema_version = 1\n[[modifier]]\nid = \"neg_no\"\ncategory = \"NEGATED\"\n"
      "direction = \"forward\"\nphrases = [\"no\"]\ngoverns_list = true\n",
      "bad.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("governs_list must be true or false, on a POSSIBLE"),
            std::string::npos)
      << bad.status().ToString();
}

TEST(AssertionRulesTest, ParseMinimal) {
  auto r = AssertionRules::Parse(
      "schema_version = 1\n"
      "[[modifier]]\nid = \"neg_sans\"\ncategory = \"NEGATED\"\ndirection = \"forward\"\n"
      "phrases = [\"sans\"]\nmax_scope = 2\n",
      "inline.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string s = "sans a fusion, sans a b c fusion";
  auto v = Assess(*r, s, 0, static_cast<uint32_t>(s.size()), 7, 13, "");
  EXPECT_EQ(v.assertion, Assertion::kNegated);
  EXPECT_EQ(v.rule_id, "neg_sans");
  v = Assess(*r, s, 0, static_cast<uint32_t>(s.size()), 26, 32, "");
  EXPECT_EQ(v.assertion, Assertion::kPresent);
}

// A cue with ends_other_scopes applies its own category and ends the scopes
// of the cues that would cross it; without the flag, the same cue does not.
TEST(AssertionRulesTest, EndsOtherScopes) {
  auto lexicon = [](const char* flag) {
    return std::string("schema_version = 1\n"
                       "[[modifier]]\nid = \"neg_sans\"\ncategory = \"NEGATED\"\n"
                       "direction = \"forward\"\nphrases = [\"sans\"]\n"
                       "[[modifier]]\nid = \"poss_maybe\"\ncategory = \"POSSIBLE\"\n"
                       "direction = \"forward\"\nphrases = [\"maybe\"]\n") +
           flag;
  };
  const std::string s = "sans damage maybe fusion";
  const uint32_t fusion = static_cast<uint32_t>(s.find("fusion"));
  auto plain = AssertionRules::Parse(lexicon(""), "plain.toml");
  auto ends = AssertionRules::Parse(lexicon("ends_other_scopes = true\n"), "ends.toml");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  ASSERT_TRUE(ends.ok()) << ends.status().ToString();
  // NEGATED outranks POSSIBLE when both reach the finding...
  EXPECT_EQ(Assess(*plain, s, 0, static_cast<uint32_t>(s.size()), fusion, fusion + 6, "").assertion,
            Assertion::kNegated);
  // ...but "sans" does not reach across a cue that ends other scopes.
  auto v = Assess(*ends, s, 0, static_cast<uint32_t>(s.size()), fusion, fusion + 6, "");
  EXPECT_EQ(v.assertion, Assertion::kPossible);
  EXPECT_EQ(v.rule_id, "poss_maybe");
  // Its own words are still negated.
  EXPECT_EQ(Assess(*ends, s, 0, static_cast<uint32_t>(s.size()), 5, 11, "").assertion,
            Assertion::kNegated);
  auto bad = AssertionRules::Parse(lexicon("ends_other_scopes = \"yes\"\n"), "bad.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ends_other_scopes must be true or false"),
            std::string::npos)
      << bad.status().ToString();
}

// The assertion of the first `word` of sentence `s` under rules `r`, in a
// section of kind `section`.
Assertion AssertionAt(const AssertionRules& r, const std::string& s, const char* word,
                      std::string_view section = "") {
  const auto b = static_cast<uint32_t>(s.find(word));
  const auto e = b + static_cast<uint32_t>(std::string_view(word).size());
  return Assess(r, s, 0, static_cast<uint32_t>(s.size()), b, e, section).assertion;
}

// A TERMINATE with shields_from_plan keeps every HYPOTHETICAL cue, before or
// after it, and a HYPOTHETICAL section default away from a finding inside
// it, but not from the operation word that opens it, and not other cues.
TEST(AssertionRulesTest, ShieldsFromPlan) {
  auto lexicon = [](const char* flag) {
    return std::string("schema_version = 1\n"
                       "[section_defaults]\nplan = \"HYPOTHETICAL\"\n"
                       "[[modifier]]\nid = \"hyp_candidate\"\ncategory = \"HYPOTHETICAL\"\n"
                       "direction = \"both\"\nphrases = [\"candidate for\", \"is planned\"]\n"
                       "[[modifier]]\nid = \"poss_maybe\"\ncategory = \"POSSIBLE\"\n"
                       "direction = \"forward\"\nphrases = [\"maybe\"]\n"
                       "[[modifier]]\nid = \"term_treated\"\ncategory = \"TERMINATE\"\n"
                       "pattern = '\\brepair of (?:maybe )?nonunion\\b'\n") +
           flag;
  };
  auto plain = AssertionRules::Parse(lexicon(""), "plain.toml");
  auto shield = AssertionRules::Parse(lexicon("shields_from_plan = true\n"), "shield.toml");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  ASSERT_TRUE(shield.ok()) << shield.status().ToString();
  const std::string before = "candidate for repair of nonunion";
  const std::string after = "repair of nonunion is planned";
  const std::string bare = "repair of nonunion";
  // A plain terminator ends a forward scope over it, not a backward one.
  EXPECT_EQ(AssertionAt(*plain, after, "nonunion"), Assertion::kHypothetical);
  EXPECT_EQ(AssertionAt(*plain, bare, "nonunion", "plan"), Assertion::kHypothetical);
  // The shield: both directions and the section default.
  EXPECT_EQ(AssertionAt(*shield, before, "nonunion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*shield, after, "nonunion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*shield, bare, "nonunion", "plan"), Assertion::kPresent);
  // The operation that opens the match stays planned.
  EXPECT_EQ(AssertionAt(*shield, after, "repair"), Assertion::kHypothetical);
  EXPECT_EQ(AssertionAt(*shield, bare, "repair", "plan"), Assertion::kHypothetical);
  // Other categories still reach: a hedge inside keeps the finding possible.
  EXPECT_EQ(AssertionAt(*shield, "candidate for repair of maybe nonunion", "nonunion"),
            Assertion::kPossible);
  auto bad = AssertionRules::Parse(
      "schema_version = 1\n[[modifier]]\nid = \"hyp_x\"\ncategory = \"HYPOTHETICAL\"\n"
      "direction = \"forward\"\nphrases = [\"x\"]\nshields_from_plan = true\n",
      "bad.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("on a TERMINATE modifier"), std::string::npos)
      << bad.status().ToString();
}

// A TERMINATE with shields_before keeps HYPOTHETICAL cues and the plan
// default away from the finding that ends just before it (blanks and commas
// between), not from one a word or a clause end parts from it.
TEST(AssertionRulesTest, ShieldsBefore) {
  auto lexicon = [](const char* flag) {
    return std::string("schema_version = 1\n"
                       "[section_defaults]\nplan = \"HYPOTHETICAL\"\n"
                       "[[modifier]]\nid = \"hyp_planned\"\ncategory = \"HYPOTHETICAL\"\n"
                       "direction = \"forward\"\nphrases = [\"planned\"]\n"
                       "[[modifier]]\nid = \"term_on_drug\"\ncategory = \"TERMINATE\"\n"
                       "pattern = '\\bon\\s+\\w+mab\\b'\n") +
           flag;
  };
  auto plain = AssertionRules::Parse(lexicon(""), "plain.toml");
  auto shield = AssertionRules::Parse(lexicon("shields_before = true\n"), "shield.toml");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  ASSERT_TRUE(shield.ok()) << shield.status().ToString();
  EXPECT_EQ(AssertionAt(*plain, "axspa, on ixekizumab", "axspa", "plan"), Assertion::kHypothetical);
  EXPECT_EQ(AssertionAt(*shield, "axspa, on ixekizumab", "axspa", "plan"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*shield, "planned axspa on ixekizumab", "axspa"), Assertion::kPresent);
  // A word between, or a clause end: not shielded.
  EXPECT_EQ(AssertionAt(*shield, "axspa soon, on ixekizumab", "axspa", "plan"),
            Assertion::kHypothetical);
  EXPECT_EQ(AssertionAt(*shield, "axspa; on ixekizumab", "axspa", "plan"), Assertion::kHypothetical);
  auto bad = AssertionRules::Parse(
      "schema_version = 1\n[[modifier]]\nid = \"hyp_x\"\ncategory = \"HYPOTHETICAL\"\n"
      "direction = \"forward\"\nphrases = [\"x\"]\nshields_before = true\n",
      "bad.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("on a TERMINATE modifier"), std::string::npos)
      << bad.status().ToString();
}

// A lexicon of a NEGATED cue "denies", a second cue (`second`, one
// [[modifier]] block), a HYPOTHETICAL cue "plan" and a TERMINATE "had" with
// `flag` (the key under test, or nothing).
std::string TerminatorLexicon(const std::string& second, const char* flag) {
  return "schema_version = 1\n"
         "[[modifier]]\nid = \"neg_deny\"\ncategory = \"NEGATED\"\n"
         "direction = \"forward\"\nphrases = [\"denies\"]\n" +
         second +
         "[[modifier]]\nid = \"hyp_plan\"\ncategory = \"HYPOTHETICAL\"\n"
         "direction = \"forward\"\nphrases = [\"plan\"]\n"
         "[[modifier]]\nid = \"term_had\"\ncategory = \"TERMINATE\"\n"
         "phrases = [\"had\"]\n" +
         flag;
}

// One forward [[modifier]] of `category` on `phrase`.
std::string Cue(const char* id, const char* category, const char* phrase) {
  return std::string("[[modifier]]\nid = \"") + id + "\"\ncategory = \"" + category +
         "\"\ndirection = \"forward\"\nphrases = [\"" + phrase + "\"]\n";
}

// TerminatorLexicon(second, ...) parsed without and with `flag = true` on
// its TERMINATE (a test asserts nothing on a lexicon that failed to parse).
void ParseWithoutAndWith(const std::string& second, const std::string& flag,
                         std::optional<AssertionRules>* plain,
                         std::optional<AssertionRules>* flagged) {
  auto p = AssertionRules::Parse(TerminatorLexicon(second, ""), "plain.toml");
  auto f = AssertionRules::Parse(TerminatorLexicon(second, (flag + " = true\n").c_str()),
                                 "flagged.toml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  plain->emplace(std::move(*p));
  flagged->emplace(std::move(*f));
}

// `key` (a TERMINATE-only flag) on a NEGATED modifier is refused.
void ExpectTerminateOnly(const std::string& key) {
  auto bad = AssertionRules::Parse(
      "schema_version = 1\n[[modifier]]\nid = \"neg_x\"\ncategory = \"NEGATED\"\n"
      "direction = \"forward\"\nphrases = [\"x\"]\n" + key + " = true\n",
      "bad.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("on a TERMINATE modifier"), std::string::npos)
      << bad.status().ToString();
}

// A TERMINATE with ends_negation_only ends the scope of NEGATED cues only:
// "denies pain had fusion" affirms the fusion, "mother had fusion" stays the
// mother's, "plan had fusion" the plan's.
TEST(AssertionRulesTest, EndsNegationOnly) {
  std::optional<AssertionRules> plain, only;
  ASSERT_NO_FATAL_FAILURE(
      ParseWithoutAndWith(Cue("fam_mother", "FAMILY", "mother"), "ends_negation_only", &plain, &only));
  EXPECT_EQ(AssertionAt(*only, "denies pain had fusion", "fusion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*only, "denies fusion", "fusion"), Assertion::kNegated);
  EXPECT_EQ(AssertionAt(*only, "mother had fusion", "fusion"), Assertion::kFamily);
  EXPECT_EQ(AssertionAt(*plain, "mother had fusion", "fusion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*only, "plan had fusion", "fusion"), Assertion::kHypothetical);
  ExpectTerminateOnly("ends_negation_only");
}

// A TERMINATE with ends_plan_only ends the scope of HYPOTHETICAL cues only:
// "plan had fusion" no longer reaches the fusion, "possible had fusion" and
// "denies had fusion" still do.
TEST(AssertionRulesTest, EndsPlanOnly) {
  std::optional<AssertionRules> plain, only;
  ASSERT_NO_FATAL_FAILURE(
      ParseWithoutAndWith(Cue("poss_possible", "POSSIBLE", "possible"), "ends_plan_only", &plain, &only));
  EXPECT_EQ(AssertionAt(*only, "plan had fusion", "fusion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*only, "plan fusion", "fusion"), Assertion::kHypothetical);
  EXPECT_EQ(AssertionAt(*only, "possible had fusion", "fusion"), Assertion::kPossible);
  EXPECT_EQ(AssertionAt(*plain, "possible had fusion", "fusion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*only, "denies had fusion", "fusion"), Assertion::kNegated);
  ExpectTerminateOnly("ends_plan_only");
}

// A TERMINATE with ends_history_only ends the scope of HISTORICAL cues only:
// "prior had fusion" no longer reaches the fusion, "plan had fusion" and
// "denies had fusion" still do.
TEST(AssertionRulesTest, EndsHistoryOnly) {
  std::optional<AssertionRules> plain, only;
  ASSERT_NO_FATAL_FAILURE(
      ParseWithoutAndWith(Cue("hist_prior", "HISTORICAL", "prior"), "ends_history_only", &plain, &only));
  EXPECT_EQ(AssertionAt(*only, "prior had fusion", "fusion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*only, "prior fusion", "fusion"), Assertion::kHistorical);
  EXPECT_EQ(AssertionAt(*only, "plan had fusion", "fusion"), Assertion::kHypothetical);
  EXPECT_EQ(AssertionAt(*plain, "plan had fusion", "fusion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*only, "denies had fusion", "fusion"), Assertion::kNegated);
  ExpectTerminateOnly("ends_history_only");
}

// A TERMINATE with spares_family ends the scope of every cue but a FAMILY
// one: "mother had fusion" stays the mother's (the clause goes on with her
// as its subject), "denies pain had fusion" and "plan had fusion" no longer
// reach the fusion (who26).
TEST(AssertionRulesTest, SparesFamily) {
  std::optional<AssertionRules> plain, spares;
  ASSERT_NO_FATAL_FAILURE(
      ParseWithoutAndWith(Cue("fam_mother", "FAMILY", "mother"), "spares_family", &plain, &spares));
  EXPECT_EQ(AssertionAt(*spares, "mother had fusion", "fusion"), Assertion::kFamily);
  EXPECT_EQ(AssertionAt(*plain, "mother had fusion", "fusion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*spares, "denies pain had fusion", "fusion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*spares, "plan had fusion", "fusion"), Assertion::kPresent);
  EXPECT_EQ(AssertionAt(*spares, "plan fusion", "fusion"), Assertion::kHypothetical);
  ExpectTerminateOnly("spares_family");
}

TEST(AssertionRulesTest, MissingFile) {
  auto r = AssertionRules::Load(std::string(SUGGEST_TESTDATA_DIR) + "/bad_context/nope.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), ::testing::HasSubstr("nope.toml"));
}

// Every tests/data/bad_context/*.toml starts with "# expect: MESSAGE", the
// exact error (its path relative to that folder).
TEST(AssertionRulesTest, BadFilesGiveExactErrors) {
  // The shipped section kinds, which [section_defaults] must name.
  auto sections = SectionRules::Load(std::string(SUGGEST_MODELS_DIR) + "/sections.toml");
  ASSERT_TRUE(sections.ok()) << sections.status().ToString();
  int files = 0;
  for (const auto& [path, expected] : suggest::testing::ExpectedErrors("bad_context")) {
    ++files;
    auto r = AssertionRules::Load(path, &*sections);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().message(), expected);
    EXPECT_EQ(r.status().kind(), "rule_file");
  }
  EXPECT_GE(files, 10);
}

TEST(DevAssessTest, MapsCueBackToOriginalBytes) {
  auto model = Model::Load(SUGGEST_MODELS_DIR, suggest::testing::CachedLoadOptions());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  // NBSP inside the cue and an en dash in the level: original bytes differ
  // from the normalized view.
  const std::string sentence = "C5\u2013C6:  No\u00a0evidence of FUSION.";
  auto v = dev::Assess(*model, sentence, "fusion");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->assertion, Assertion::kNegated);
  ASSERT_TRUE(v->cue.has_value());
  EXPECT_EQ(sentence.substr(v->cue->span.begin, v->cue->span.size()), "No\u00a0evidence of");
  EXPECT_EQ(v->cue->rule_id, "neg_no_evidence");

  // Whitespace in the concept may differ; a header in the sentence sets the
  // section.
  v = dev::Assess(*model, "PAST SURGICAL HISTORY:  Anterior   cervical fusion.", "anterior cervical fusion");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->assertion, Assertion::kHistorical);
  EXPECT_FALSE(v->cue.has_value());

  v = dev::Assess(*model, "Solid fusion.", "pseudarthrosis");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().kind(), "concept_not_found");
}

// Model::Assess, deprecated for one release, forwards to dev::Assess.
TEST(DevAssessTest, DeprecatedModelAssessForwards) {
  auto model = Model::Load(SUGGEST_MODELS_DIR, suggest::testing::CachedLoadOptions());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::string sentence = "No evidence of fusion.";
  auto want = dev::Assess(*model, sentence, "fusion");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  StatusOr<suggest::AssertionVerdict> got = model->Assess(sentence, "fusion");
#pragma GCC diagnostic pop
  ASSERT_TRUE(want.ok() && got.ok());
  EXPECT_EQ(got->assertion, want->assertion);
  EXPECT_EQ(got->categories, want->categories);
  ASSERT_TRUE(got->cue.has_value());
  EXPECT_EQ(got->cue->span.begin, want->cue->span.begin);
}

}  // namespace
}  // namespace suggest::internal
