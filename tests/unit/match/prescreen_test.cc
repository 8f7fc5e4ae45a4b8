// Copyright libsuggest authors.
//
// The prescreen may only ever say "cannot match" when the RE2 prefilter on
// the normalized text says so too: checked on every corpus note, on case,
// tab, CR and non-ASCII variants, and on word-boundary traps.
#include "match/prescreen.h"

#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>

#include <re2/re2.h>

#include "../../testing/corpus.h"
#include "facts/facts.h"
#include "suggest/suggest.h"
#include "util/disk_cache.h"

namespace suggest::internal {
namespace {

struct Loaded {
  std::shared_ptr<const Normalizer> normalizer;
  std::shared_ptr<const FactExtractor> facts;
};

const Loaded& Load() {
  static const Loaded loaded = [] {
    Loaded l;
    l.normalizer = *Normalizer::Create();
    std::vector<std::string> seen;
    const std::string models = SUGGEST_MODELS_DIR;
    auto context = AssertionRules::Load(models + "/context.toml");
    auto levels = LevelExtractor::Load(models + "/rules/levels.toml", *l.normalizer, &seen);
    EXPECT_TRUE(context.ok() && levels.ok());
    // The Vectorscan databases from the cache the model tests fill (one
    // compile per test process was ~45 s under ASan).
    DiskCacheScope cache("", /*write=*/false, DefaultCacheDir());
    auto facts = FactExtractor::Load(models, *l.normalizer, *levels,
                                     std::make_shared<const AssertionRules>(std::move(*context)),
                                     &seen);
    EXPECT_TRUE(facts.ok()) << facts.status().ToString();
    l.facts = *facts;
    return l;
  }();
  return loaded;
}

// What the RE2 prefilter says of a note's normalized text.
bool Re2CanMatch(std::string_view original) {
  auto nt = Load().normalizer->Normalize(original, InvalidUtf8Policy::kReplace);
  EXPECT_TRUE(nt.ok());
  return Load().facts->prefilter().AnyMatch(nt->text);
}

// The facts the whole path finds in `original` (the text layer asked: no
// screen of original bytes).
size_t FullPathFacts(std::string_view original) {
  static const auto model = [] {
    DiskCacheScope cache("", /*write=*/false, DefaultCacheDir());
    return Model::Load(SUGGEST_MODELS_DIR);
  }();
  EXPECT_TRUE(model.ok());
  AnalyzeOptions full;
  full.include_text_layer = true;
  auto r = model->Analyze(original, full);
  EXPECT_TRUE(r.ok());
  return r.ok() ? r->facts.size() : 0;
}

// Checks the one-sided contract on `text` and returns Rejects(text): the
// screen of original bytes rejects only notes no rule matches, or (for a
// rule that keeps only acronyms in capitals: UpperAcronym) notes that give
// no fact.
bool CheckedRejects(std::string_view text) {
  const Prescreen& screen = Load().facts->prescreen();
  const bool rejects = screen.Rejects(text);
  const bool can_match = Re2CanMatch(text);
  if (rejects && can_match)
    EXPECT_EQ(FullPathFacts(text), 0u) << "prescreen rejected a note with facts: " << text;
  auto nt = Load().normalizer->Normalize(text, InvalidUtf8Policy::kReplace);
  EXPECT_FALSE(screen.RejectsNormalized(nt->text) && can_match)
      << "normalized-text screen rejected a note the rules match: " << text;
  return rejects;
}

bool ActiveOrSkip() { return Load().facts->prescreen().active(); }

TEST(PrescreenTest, NeverRejectsACorpusNoteTheRulesMatch) {
  if (!ActiveOrSkip()) GTEST_SKIP() << Load().facts->prescreen().inactive_reason();
  const auto notes = testing::LoadCorpus();
  if (notes.empty()) GTEST_SKIP() << "corpus missing: " << testing::CorpusPath();
  size_t rejected = 0, rules_reject = 0;
  for (const auto& n : notes) {
    rejected += CheckedRejects(n.text);
    rules_reject += !Re2CanMatch(n.text);
  }
  // The screen must also earn its keep: it settles nearly every note the
  // rules reject (all but the non-ASCII ones, which it leaves alone).
  EXPECT_GE(rejected, rules_reject * 95 / 100) << rejected << " of " << rules_reject;
}

TEST(PrescreenTest, CaseAndWordBoundaries) {
  if (!ActiveOrSkip()) GTEST_SKIP() << Load().facts->prescreen().inactive_reason();
  EXPECT_FALSE(CheckedRejects("Status post ACDF at C5-C6."));
  EXPECT_FALSE(CheckedRejects("PRIOR LUMBAR FUSION"));
  EXPECT_FALSE(CheckedRejects("Klippel-Feil syndrome"));
  // "fusion" inside other words is no fusion: both engines reject.
  EXPECT_TRUE(CheckedRejects("Saline infusion; patient confused; transfusion of 2 units."));
  EXPECT_TRUE(CheckedRejects("Unfused epiphyses."));
  EXPECT_TRUE(CheckedRejects("Denies chest pain. Lungs clear."));
}

TEST(PrescreenTest, AcronymsKeptOnlyInCapitalsAreScreenedInCapitals) {
  if (!ActiveOrSkip()) GTEST_SKIP() << Load().facts->prescreen().inactive_reason();
  // "AS" is ankylosing spondylitis only in capitals on a line that is not
  // all capitals (ankylosing_spondylitis.toml original_case): the English
  // "as" lets no note through; "AS" does.
  EXPECT_FALSE(CheckedRejects("Known AS of the lumbar spine, on adalimumab."));
  EXPECT_TRUE(CheckedRejects("Pain as of the lumbar spine region, treated as before."));
  EXPECT_TRUE(Re2CanMatch("Pain as of the lumbar spine region, treated as before."))
      << "the rules must match the lowercase word, or this test checks nothing";
  EXPECT_FALSE(CheckedRejects("History of DISH."));
  EXPECT_TRUE(CheckedRejects("She washed the dish."));
  // The normalized-text screen knows no case: it still lets "as" through.
  auto nt = Load().normalizer->Normalize("Pain as of the lumbar spine region.",
                                         InvalidUtf8Policy::kReplace);
  EXPECT_FALSE(Load().facts->prescreen().RejectsNormalized(nt->text));
}

TEST(PrescreenTest, UpperAcronymRewritesOnlyLetterAcronyms) {
  EXPECT_EQ(UpperAcronym(R"(\b(?P<acronym>as)\s+of\b)"), R"(\b(?P<acronym>(?-i:AS))\s+of\b)");
  EXPECT_EQ(UpperAcronym(R"((?P<acronym>as|kfs)\b)"), R"((?P<acronym>(?-i:AS|KFS))\b)");
  EXPECT_EQ(UpperAcronym(R"(\bdish\b)"), R"((?-i:\bDISH\b))");
  EXPECT_EQ(UpperAcronym(R"(\b(?:dish|kfs)\b)"), R"((?-i:\b(?:DISH|KFS)\b))");
  // Anything else in the group or the pattern: unchanged (never narrower
  // than the rule).
  EXPECT_EQ(UpperAcronym(R"((?P<acronym>a[sz])\b)"), R"((?P<acronym>a[sz])\b)");
  EXPECT_EQ(UpperAcronym(R"(\bdish\s+soap)"), R"(\bdish\s+soap)");
  EXPECT_EQ(UpperAcronym(R"(\Bdish)"), R"(\Bdish)");
  EXPECT_EQ(UpperAcronym("(?P<acronym>as"), "(?P<acronym>as");
}

// The databases of normalized text drop HS_FLAG_CASELESS for patterns whose
// case cannot matter there (CaseMatters); a capital anywhere the pattern
// reads text keeps it.
TEST(PrescreenTest, CaseMattersOnlyForCapitalsThePatternReads) {
  EXPECT_FALSE(CaseMatters(R"(\bfusion\b)"));
  EXPECT_FALSE(CaseMatters(R"(\b(?P<acronym>as)\s+of\b)"));      // a group's name
  EXPECT_FALSE(CaseMatters(R"(\S+\s\W\D\B[a-z]\x27d\x{2013})"));  // escapes
  EXPECT_TRUE(CaseMatters(R"(\b(?P<acronym>(?-i:AS))\b)"));
  EXPECT_TRUE(CaseMatters(R"(\bL4\b)"));
  EXPECT_TRUE(CaseMatters(R"(\x41S)"));   // 'A' in hex
  EXPECT_TRUE(CaseMatters(R"(\x{4c}4)"));  // 'L'
  EXPECT_TRUE(CaseMatters(R"(\p{Lu})"));
  EXPECT_TRUE(CaseMatters(R"(\Qas\E)"));
  EXPECT_TRUE(CaseMatters(R"([[:upper:]]s)"));
  EXPECT_TRUE(CaseMatters(R"((?P<acronym)"));  // an unclosed name: be safe
}

// Why that is safe: the normalized view holds no letter that a caseless
// match of an ASCII letter could take but a case-sensitive one not (capitals,
// the Kelvin sign, the long s, ligatures, full-width letters, dotted I).
TEST(PrescreenTest, NormalizedTextLeavesNoCaseToFold) {
  for (const char* note : {"KYPHOSIS and FUSION", "\u212Aypho\u017Fi\u017F fu\u017Fion",
                           "\uFB01xed \uFF26\uFF35\uFF33\uFF29\uFF2F\uFF2E", "\u0130liac FUS\u0130ON"}) {
    auto nt = Load().normalizer->Normalize(note, InvalidUtf8Policy::kError);
    ASSERT_TRUE(nt.ok());
    for (char c : nt->text) EXPECT_FALSE(c >= 'A' && c <= 'Z') << note;
    for (const char* word : {"kyphosis", "fusion", "fixed"}) {
      RE2 caseless(std::string("(?i)") + word), exact(word);
      EXPECT_EQ(RE2::PartialMatch(nt->text, caseless), RE2::PartialMatch(nt->text, exact))
          << note << " / " << word;
    }
  }
}

// The screen reads curly quotes and dashes as the normalizer spells them:
// if the normalizer changed its mind, the screen would judge another text.
TEST(PrescreenTest, QuotesAndDashesSpelledAsTheNormalizerSpellsThem) {
  for (const char* cp : {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015",
                         "\u2018", "\u2019", "\u201C", "\u201D"}) {
    const std::string note = std::string("Pt\u2019s L4") + cp + "5 Fusion x";
    std::string folded;
    ASSERT_TRUE(AsciiQuotesAndDashes(note, &folded)) << cp;
    auto nt = Load().normalizer->Normalize(note, InvalidUtf8Policy::kError);
    ASSERT_TRUE(nt.ok());
    std::string lower = folded;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(lower, nt->text) << cp;
  }
  std::string out;
  EXPECT_FALSE(AsciiQuotesAndDashes("caf\u00e9", &out));
  EXPECT_FALSE(AsciiQuotesAndDashes("a\u2019\tb", &out));
  EXPECT_FALSE(AsciiQuotesAndDashes("a\u2020b", &out));  // a dagger: not a dash
  EXPECT_FALSE(AsciiQuotesAndDashes("a\xE2\x80", &out));  // cut short
}

TEST(PrescreenTest, NotesWithCurlyQuotesAreJudgedByTheirAsciiSpelling) {
  if (!ActiveOrSkip()) GTEST_SKIP() << Load().facts->prescreen().inactive_reason();
  const Prescreen& screen = Load().facts->prescreen();
  EXPECT_EQ(screen.ScreenOriginal("Patient\u2019s chest pain \u2013 resolved."),
            Prescreen::Verdict::kNoMatch);
  EXPECT_TRUE(CheckedRejects("Patient\u2019s chest pain \u2013 resolved."));
  EXPECT_FALSE(CheckedRejects("Patient\u2019s L4\u2013L5 \u201cfusion\u201d in 2019."));
  EXPECT_FALSE(CheckedRejects("Known AS \u2014 on adalimumab."));
}

TEST(PrescreenTest, TwoStagesGiveTheVerdictsOfTheExactPatterns) {
  // "(?-i:AS)\b" stands for a rule that needs "rule out" before the acronym:
  // a note with only "HAS" or "AS" passes the first stage, and the second
  // turns it away; "rule out AS" passes both.
  const std::vector<std::string> patterns = {R"(\brule\s+out\s+(?P<acronym>as)\b)",
                                             R"(\bfusion\b)"};
  const std::vector<std::string> original = {"(?-i:AS)\\b", R"(\bfusion\b)"};
  const std::vector<std::string> exact = {R"(\brule\s+out\s+(?P<acronym>(?-i:AS))\b)", ""};
  auto staged = Prescreen::Build(patterns, original, exact);
  if (!staged->active()) GTEST_SKIP() << staged->inactive_reason();
  EXPECT_TRUE(staged->Rejects("HE HAS PAIN. AS BEFORE."));
  EXPECT_TRUE(staged->Rejects("rule out as before"));
  EXPECT_FALSE(staged->Rejects("Rule out AS."));
  EXPECT_FALSE(staged->Rejects("HE HAS PAIN. Prior fusion."));
  EXPECT_FALSE(staged->Rejects("Prior fusion."));
  EXPECT_TRUE(staged->Rejects("Denies chest pain."));
}

TEST(PrescreenTest, LeavesNotesItCannotJudgeToTheNormalPath) {
  if (!ActiveOrSkip()) GTEST_SKIP() << Load().facts->prescreen().inactive_reason();
  // Tab and CR change under normalization; non-ASCII may fold into ASCII.
  EXPECT_FALSE(CheckedRejects("Denies chest pain.\tLungs clear."));
  EXPECT_FALSE(CheckedRejects("Denies chest pain.\r\nLungs clear."));
  EXPECT_FALSE(CheckedRejects("Lungs clear \xC2\xB1 wheeze."));
  // Full-width "FUSION" folds to "fusion": only the normalized screen may
  // judge it, and it must not reject.
  EXPECT_FALSE(CheckedRejects("Lumbar \xEF\xBC\xA6\xEF\xBC\xB5\xEF\xBC\xB3\xEF\xBC\xA9"
                              "\xEF\xBC\xAF\xEF\xBC\xAE."));
  // A bounded gap counts code points in both engines: 30 two-byte letters
  // between "bridging osteophytes" and "fusion" are within {0,40}.
  std::string gap = "bridging osteophytes ";
  for (int i = 0; i < 30; ++i) gap += "\xC3\xA9";
  gap += " fusion";
  EXPECT_FALSE(CheckedRejects(gap));
}

TEST(PrescreenTest, FindsTabCrAndNonAsciiAtEveryPosition) {
  // The ASCII check reads 32, then 8, then single bytes: every position of
  // a 100-byte note, in each of its loops, must see the byte.
  auto screen = Prescreen::Build({});
  const std::string plain(100, 'a');
  EXPECT_TRUE(screen->Rejects(plain));
  for (const char bad : {'\t', '\r', '\x80', '\xff'}) {
    for (size_t at = 0; at < plain.size(); ++at) {
      std::string note = plain;
      note[at] = bad;
      EXPECT_FALSE(screen->Rejects(note)) << "byte " << int(bad) << " at " << at;
    }
  }
}

TEST(PrescreenTest, EmptyPatternListRejectsEveryNoteItCanJudge) {
  auto screen = Prescreen::Build({});
  EXPECT_TRUE(screen->active());
  EXPECT_TRUE(screen->Rejects("spinal fusion"));
  EXPECT_FALSE(screen->Rejects("fusi\xC3\xB3n"));
}

TEST(PrescreenTest, PatternVectorscanCannotCompileTurnsItOff) {
  // (?U) is RE2 syntax that Vectorscan lacks.
  auto screen = Prescreen::Build({"\\bfusion\\b", "(?U)arthrodes[a-z]+"});
  EXPECT_FALSE(screen->active());
  EXPECT_FALSE(screen->Rejects("nothing to see"));
  EXPECT_FALSE(screen->RejectsNormalized("nothing to see"));
}

TEST(PrescreenTest, SeveralScreensShareAThreadScratch) {
  // A second, larger database used on the same thread after the first.
  auto small = Prescreen::Build({"\\bfusion\\b"});
  auto large = Prescreen::Build({"\\bfusion\\b", "\\b(?:alpha|beta|gamma)[^.;]{0,80}?\\bdelta\\b",
                                 "\\bklippel-? ?feil\\b"});
  if (!small->active()) GTEST_SKIP() << small->inactive_reason();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(small->Rejects("no match here"));
    EXPECT_FALSE(small->Rejects("a fusion"));
    EXPECT_TRUE(large->Rejects("no match here"));
    EXPECT_FALSE(large->Rejects("beta, then delta"));
  }
}

}  // namespace
}  // namespace suggest::internal
