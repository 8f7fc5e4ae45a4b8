// Copyright libsuggest authors.
//
// RuleLocator + FindAll with windows gives exactly the matches of FindAll
// without them (match/rule_locator.h): every pack the facts stage locates,
// on every corpus note (normalized), over the whole note and over slices of
// it, and on hand-made traps (matches at region edges, lazy and bounded
// gaps, multi-line anchors, empty notes). And the per-rule match cap.
#include "match/rule_locator.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "../../testing/corpus.h"
#include "facts/facts.h"
#include "suggest/suggest.h"
#include "util/disk_cache.h"

namespace suggest::internal {
namespace {

struct Loaded {
  std::shared_ptr<const Normalizer> normalizer;
  std::shared_ptr<const LevelExtractor> levels;
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
    l.levels = *levels;
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

std::string Describe(const std::vector<Mention>& ms) {
  std::string s;
  for (const Mention& m : ms) {
    s += std::to_string(m.rule) + "@" + std::to_string(m.begin) + "-" + std::to_string(m.end);
    for (const auto& g : m.groups)
      s += "[" + std::string(g.name) + ":" + std::to_string(g.begin) + "-" +
           std::to_string(g.end) + "]";
    s += " ";
  }
  return s;
}

// FindAll with and without windows agree on text[b, e) for every pack.
void ExpectSame(std::string_view text, const RuleWindows& w, uint32_t b, uint32_t e) {
  std::vector<const RulePack*> packs;
  for (const auto& pack : Load().facts->packs()) packs.push_back(pack.get());
  packs.push_back(&Load().levels->pack());
  for (const RulePack* pack : packs) {
    const auto plain = pack->FindAll(text, b, e);
    const auto windowed = pack->FindAll(text, b, e, &w);
    ASSERT_EQ(Describe(plain), Describe(windowed))
        << "pack " << pack->name() << " range " << b << "-" << e;
  }
}

void CheckText(std::string_view original) {
  auto nt = Load().normalizer->Normalize(original, InvalidUtf8Policy::kReplace);
  ASSERT_TRUE(nt.ok());
  const std::string& text = nt->text;
  RuleWindows w;
  ASSERT_TRUE(Load().facts->locator().Locate(text, &w));
  const auto n = static_cast<uint32_t>(text.size());
  ExpectSame(text, w, 0, n);
  // Slices whose edges fall anywhere, matches included.
  for (uint32_t step : {331u, 1013u})
    for (uint32_t b = 0; b < n; b += step) ExpectSame(text, w, b, std::min(n, b + 2 * step));
}

// The regional rules (anchors.toml's, asked per unit only: not in the
// whole-note scan) found by LocateRegional over units give FindAll over each
// unit exactly the matches of a run without windows. `units`: ranges in any
// order (they may overlap or touch); each is scanned, then checked, and all
// of them again at the end (regions from later units must not spoil them).
void CheckRegional(std::string_view text, const std::vector<std::pair<uint32_t, uint32_t>>& units) {
  const RuleLocator& rl = Load().facts->locator();
  const RulePack& anchors = *Load().facts->packs().back();
  RuleWindows w;
  ASSERT_TRUE(rl.Locate(text, &w));
  auto same = [&](uint32_t b, uint32_t e) {
    ASSERT_TRUE(w.RegionalCovers(b, e)) << b << "-" << e;
    ASSERT_EQ(Describe(anchors.FindAll(text, b, e)), Describe(anchors.FindAll(text, b, e, &w)))
        << "unit " << b << "-" << e << " of " << text.size();
  };
  for (const auto& [b, e] : units) {
    rl.LocateRegional(text, b, e, &w);
    same(b, e);
  }
  for (const auto& [b, e] : units) same(b, e);
}

// Units as the facts stage asks them: pieces ending after ". " or a line
// end, the first at the note's start and the last at its end; and every
// piece with its neighbour (a unit's neighbour sentences are read too).
std::vector<std::pair<uint32_t, uint32_t>> Units(std::string_view text) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  uint32_t b = 0;
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && !(text[i] == '.' && i + 1 < text.size() && text[i + 1] == ' '))
      continue;
    out.emplace_back(b, i + 1);
    b = i + 1;
  }
  out.emplace_back(b, static_cast<uint32_t>(text.size()));
  const size_t pieces = out.size();
  for (size_t k = 0; k + 1 < pieces; k += 3) out.emplace_back(out[k].first, out[k + 1].second);
  return out;
}

// What Vectorscan scans for a rule with an unbounded group loop before its
// last literal (rule_locator.h LocatingTail): the tail after the loop.
TEST(RuleLocatorTest, LocatingTailReadFromThePattern) {
  if (StopBytesButLast("x[.]").empty()) GTEST_SKIP() << "no Vectorscan";
  EXPECT_EQ(LocatingTail(R"(\b(?:a|b)(?:\s+(?:c|d))*\s+fusions?\b)"), R"(\s+fusions?\b)");
  // Flag groups before the loop are kept; the last loop is the one cut.
  EXPECT_EQ(LocatingTail(R"((?m)^(?:x\s)+y(?:\s+z)+\s*(?:abc|(?:defg|hij)k)\b)"),
            R"((?m)\s*(?:abc|(?:defg|hij)k)\b)");
  EXPECT_EQ(LocatingTail(R"((?:ab\s)+(?:bridging|flowing)\s+x)"), R"((?:bridging|flowing)\s+x)");
  // Nothing to cut: no unbounded group loop, or no literal after it that
  // every match holds (optional, too short, a class, an alternative without
  // three letters), an alternation at the top, constructs not read.
  for (const char* p :
       {R"(\bspinal\s+fusion\b)", R"(\b(?:a\s)*\s+(?:fusion)?\b)", R"((?:a\s)*ab\b)",
        R"((?:a\s)*[a-z]+\b)", R"((?:a\s)+(?:fusion|ab)\b)", R"((?:a\s)+fusion|spine)",
        R"((?:a\s)+\Qfusion\E)", R"(\s+fusion\b)",
        R"((?:a\s){1,3}fusion)"})
    EXPECT_EQ(LocatingTail(p), "") << p;
  EXPECT_EQ(LocatingTail(R"((?:a\s){2,}fusion)"), "fusion");
}

// Rules scanned by their tail (the located packs' rules that have one) give
// FindAll the matches of a run without windows on texts where the tail's
// words stand alone, inside other words, after the loop's words and far
// from them, in and beside non-ASCII bytes.
// The head every match starts with (rule_locator.h LeadingHead), for the
// prescreen's screen = "head".
TEST(RuleLocatorTest, LeadingHeadReadFromThePattern) {
  if (StopBytesButLast("x[.]").empty()) GTEST_SKIP() << "no Vectorscan";
  EXPECT_EQ(LeadingHead(R"(\b(?:failure\s+of|unsegmented\s+bars?)\b(?:[\s,]+\w+){0,7}?\s+curve)"),
            R"(\b(?:failure\s+of|unsegmented\s+bars?))");
  EXPECT_EQ(LeadingHead(R"((?P<x>a[)(|]b)+c)"), R"((?P<x>a[)(|]b))");
  EXPECT_EQ(LeadingHead(R"((?:a\)|b)c)"), R"((?:a\)|b))");
  // None: an optional group, a top-level alternative, no leading group.
  EXPECT_EQ(LeadingHead(R"(\b(?:a|b)?c)"), "");
  EXPECT_EQ(LeadingHead(R"((?:a|b)*c)"), "");
  EXPECT_EQ(LeadingHead(R"((?:a){0,2}c)"), "");
  EXPECT_EQ(LeadingHead(R"((?:a)c|d)"), "");
  EXPECT_EQ(LeadingHead(R"(\bab(?:c))"), "");
  EXPECT_EQ(LeadingHead(R"((?:a)c)"), R"((?:a))");
  EXPECT_EQ(LeadingHead(R"((?i)(?:a)c)"), "");  // a flag group first: not read
  // A named group without ':' in it is a group, not flags.
  EXPECT_EQ(LeadingHead(R"(\b(?P<x>ab)c)"), R"(\b(?P<x>ab))");
}

// The acronym a rule holds in every match (rule_locator.h AcronymScreen),
// for the prescreen's screen = "acronym".
TEST(RuleLocatorTest, AcronymScreenKeepsOnlyTheBoundariesThePatternWrites) {
  if (StopBytesButLast("x[.]").empty()) GTEST_SKIP() << "no Vectorscan";
  // Through the groups that open before and close after the acronym.
  EXPECT_EQ(AcronymScreen(R"(\s*(?P<concept>(?P<acronym>as))\b)"), R"((?-i:AS)\b)");
  EXPECT_EQ(AcronymScreen(R"(\b(?P<concept>(?P<acronym>as|kfs))\s+of)"), R"(\b(?-i:AS|KFS))");
  EXPECT_EQ(AcronymScreen(R"(\b(?:known\s+)?(?P<acronym>as)\b)"), R"((?-i:AS)\b)");
  EXPECT_EQ(AcronymScreen(R"(x[(|)](?P<acronym>as)y)"), "(?-i:AS)");
  // A match can do without the group: no screen.
  EXPECT_EQ(AcronymScreen(R"(\b(?:dish|(?P<acronym>as))\b)"), "");
  EXPECT_EQ(AcronymScreen(R"(\b(?:x(?P<acronym>as))?\b)"), "");
  EXPECT_EQ(AcronymScreen(R"(\b(?P<acronym>as)?y)"), "");
  EXPECT_EQ(AcronymScreen(R"(\b(?P<acronym>as)\b|dish)"), "");
  // Not letters, two groups, unbalanced: no screen.
  EXPECT_EQ(AcronymScreen(R"(\b(?P<acronym>a[sz])\b)"), "");
  EXPECT_EQ(AcronymScreen(R"((?P<acronym>as) (?P<acronym>kfs))"), "");
  EXPECT_EQ(AcronymScreen(R"(((?P<acronym>as))"), "");
}

TEST(RuleLocatorTest, TailsOnTraps) {
  if (!Load().facts->locator().active()) GTEST_SKIP() << "locator off";
  size_t tails = 0;
  for (const auto& pack : Load().facts->packs())
    for (const Rule& r : pack->rules()) tails += LocatingTail(r.pattern).empty() ? 0 : 1;
  EXPECT_GT(tails, 0u);
  for (const char* t :
       {"s/p posterior lumbar interbody fusion L4-5. Confusion. fusion",
        "Anterior cervical spine decompression and fusion, lumbar and bone graft arthrodesis",
        "back fusion\nneck\nfusion; spine spine spinal fusions. Spinal fusion",
        "bridging anterior osteophytes and flowing ossification; syndesmophytes",
        "lumbar \xc2\xb0 fusion, thoracolumbar\xc3\xa9 arthrodesis and spine  fusion",
        "scoliosis with hemivertebra; scoliotic curve", "fusion", " spinal fusion"})
    CheckText(t);
}

TEST(RuleLocatorTest, RegionalRulesAreTheAnchorsAskedPerUnit) {
  const RuleLocator& rl = Load().facts->locator();
  if (!rl.active()) GTEST_SKIP() << rl.inactive_reason();
  const RulePack& anchors = *Load().facts->packs().back();
  size_t regional = 0;
  for (size_t i = 0; i < anchors.rules().size(); ++i) {
    const std::string& kind = anchors.rules()[i].kind;
    // normal_region and disease_site (no role) are read over the whole note
    // only on demand, after LocateRegional(0, size) (facts.cc NotCalledNormal,
    // DiseaseSites): regional too. levels_field is asked per sentence
    // (facts.cc BorrowLevelsOfFieldLine). not_documentation (another party's
    // coding, a word quoted as a word: cdi24) drops facts per unit, as
    // nonspinal_joint does.
    EXPECT_EQ(rl.Regional(&anchors, i), kind == "anchor" || kind == "nonspinal_joint" ||
                                            kind == "normal_region" || kind == "disease_site" ||
                                            kind == "levels_field" || kind == "not_documentation")
        << anchors.rules()[i].id;
    regional += rl.Regional(&anchors, i) ? 1 : 0;
  }
  EXPECT_GT(regional, 0u);
  for (const auto& pack : Load().facts->packs())
    if (pack.get() != &anchors)
      for (size_t i = 0; i < pack->rules().size(); ++i) EXPECT_FALSE(rl.Regional(pack.get(), i));
}

TEST(RuleLocatorTest, RegionalScanOnTraps) {
  if (!Load().facts->locator().active()) GTEST_SKIP() << "locator off";
  using U = std::vector<std::pair<uint32_t, uint32_t>>;
  // A unit that begins or ends exactly at a match's first or last byte, or
  // one byte inside it; units at the note's start and end; windows that
  // reach back before their unit (no stop byte for a while).
  const std::string t1 = "hip fusion and laminectomy with stenosis; left ankle arthrodesis";
  const auto n1 = static_cast<uint32_t>(t1.size());
  CheckRegional(t1, U{{0, 10}, {0, 3}, {4, 10}, {15, 26}, {16, 26}, {15, 25}, {42, n1},
                      {47, n1}, {n1, n1}, {0, 0}, {0, n1}});
  // Non-ASCII bytes beside and inside the units (the UTF-8 database).
  const std::string t2 =
      "\xc2\xb0hip fusion\xc3\xa9 s/p laminectomy\xe2\x80\x99 and fused pet/ct images. "
      "Fracture nonunion of the radius\xc2\xb5";
  const auto n2 = static_cast<uint32_t>(t2.size());
  CheckRegional(t2, U{{0, 12}, {2, 12}, {2, 14}, {14, 33}, {33, 60}, {60, n2}, {0, n2}});
  // Every split point of a short text with several regional matches.
  const std::string t3 = "L4-5 laminectomy, fused ribs\nsubtalar joint fusion. osteophytes";
  const auto n3 = static_cast<uint32_t>(t3.size());
  U cuts;
  for (uint32_t k = 0; k <= n3; ++k) cuts.insert(cuts.end(), {{0, k}, {k, n3}});
  CheckRegional(t3, cuts);
  for (const std::string& t : {t1, t2, t3}) CheckRegional(t, Units(t));
}

TEST(RuleLocatorTest, RegionalScanOnEveryCorpusNote) {
  if (!Load().facts->locator().active()) GTEST_SKIP() << "locator off";
  const auto notes = testing::LoadCorpus();
  if (notes.empty()) GTEST_SKIP() << "corpus missing: " << testing::CorpusPath();
  for (const auto& n : notes) {
    auto nt = Load().normalizer->Normalize(n.text, InvalidUtf8Policy::kReplace);
    ASSERT_TRUE(nt.ok());
    CheckRegional(nt->text, Units(nt->text));
    if (::testing::Test::HasFatalFailure()) {
      ADD_FAILURE() << "note " << n.id;
      return;
    }
  }
}

TEST(RuleLocatorTest, LocatesTheShippedRules) {
  const RuleLocator& rl = Load().facts->locator();
  if (!rl.active()) GTEST_SKIP() << rl.inactive_reason();
  EXPECT_GT(rl.located_rules(), 0u);
  // Every shipped rule is located, most without start tracking.
  EXPECT_TRUE(rl.unlocated_rule_ids().empty());
  for (const std::string& id : rl.unlocated_rule_ids()) std::printf("not located: %s\n", id.c_str());
  EXPECT_GT(rl.stop_rule_ids().size(), rl.located_rules() / 2);
}

TEST(RuleLocatorTest, SameMatchesOnEveryCorpusNote) {
  if (!Load().facts->locator().active()) GTEST_SKIP() << "locator off";
  const auto notes = testing::LoadCorpus();
  if (notes.empty()) GTEST_SKIP() << "corpus missing: " << testing::CorpusPath();
  for (const auto& n : notes) {
    CheckText(n.text);
    if (::testing::Test::HasFatalFailure()) {
      ADD_FAILURE() << "note " << n.id;
      return;
    }
  }
}

// A text with a few non-ASCII bytes is scanned in byte mode but for the
// stretches around them (UTF-8 mode): matches holding such a byte, or next
// to one, at a stretch's edges, and far from them; and a text with so many
// that the whole of it is scanned in UTF-8 mode. (Part of the traps' test:
// a test of its own would load the model again, ~30 s of CI.)
void CheckAroundNonAsciiBytes() {
  std::string prose;
  for (int i = 0; i < 20; ++i)
    prose += "Solid fusion at L4-5 with bridging bone. Anterior cervical discectomy and fusion "
             "C5-6; ankylosing spondylitis of the lumbar spine. ";
  const std::string traps[] = {
      prose + "spinal fusi\xc3\xb3n at L4\xe2\x80\x93L5 \xc2\xb0" "fusion\xc2\xb0 " + prose,
      "\xc2\xb5" + prose + "bridging osteophytes\xe2\x80\x99 fusion. DISH\xc2\xae " + prose +
          "\xc3\xa9",
      prose + "Bridging   anterior\n\n\xc3\xa9 osteophytes with   fusion\xc2\xa0" "ankylosis",
      [] {
        std::string many;
        for (int i = 0; i < 100; ++i) many += "fusion \xc3\xa9 at L4-5, fused\xc2\xb0. ";
        return many;
      }(),
  };
  for (const std::string& t : traps) {
    CheckText(t);
    if (::testing::Test::HasFatalFailure()) {
      ADD_FAILURE() << "trap of " << t.size() << " bytes";
      return;
    }
  }
}

TEST(RuleLocatorTest, SameMatchesOnTraps) {
  if (!Load().facts->locator().active()) GTEST_SKIP() << "locator off";
  for (const char* t : {
           "",
           "fusion",
           "s/p ACDF C5-6. Fusion fusion fusionfusion fusion.",
           "anterior cervical discectomy and fusion at C5-6; anterior cervical discectomy x fusion",
           "Bridging osteophytes with fusion of the anterior longitudinal ligament. bridging bone",
           "DISCHARGE SUMMARY\nDate of discharge: 01/02/2020\nPOD #3. PACU. post-op day two",
           "Date of admission: 1/2/2020. Admitted on 12/31/19. DOS: 3/4/2021",
           "congenital   block vertebrae congenitally fused fused fused C2 C3",
           "spine spinal spinous laminectomy ankle fusion hip arthrodesis",
           "op note\n\n\nwe then placed the cage. incision was made. prepped and draped",
           "fusion\tmass\r\nis solid. Fusion at L4-5 appears solid; Solidly fused",
           "C5-6 C5-C6 L4-5 L4-L5-S1 T12-L1 4-5 at the 4-5 level L5-S1 C3 through C7 lumbosacral",
           "L4-L4-L4-L4-L4-L4- C2/3, C3/4 and C4/5; levels C5, C6, and C7; S1 nerve root; L5 root",
           // Rules windowed back to a byte they cannot hold, widened ones,
           // and the same in UTF-8 (the other database).
           "Fused C2-C3 (congenital). Fusion at C5-6, which is degenerative in nature.",
           "Bridging   anterior\n\nosteophytes with   fusion. Ankylosis caused by large  flowing "
           "syndesmophytes; hemivertebra at T8 with  severe   scoliosis.",
           "Anterior   lumbar\ninterbody   fusion and posterior spinal fusion; x-ray; pa and lateral",
           "Bridging osteophytes \xc3\xa9 with fusion. Fused C2-C3 (congenital). D\xc3\xa9j\xc3\xa0 "
           "anterior lumbar interbody fusion; ankylosing spondylitis (Bechterew's); hip fusion",
           "fusion, which is degenerative,fusion,spontaneous,fusion fused",
       }) {
    CheckText(t);
    if (::testing::Test::HasFatalFailure()) {
      ADD_FAILURE() << "trap: " << t;
      return;
    }
  }
  CheckAroundNonAsciiBytes();
}

TEST(RuleLocatorTest, MatchesPerRuleAreCapped) {
  std::string text = "s/p fusion ";
  for (int i = 0; i < 210000; ++i) text += "fusion ";
  const RulePack& fusion = *Load().facts->packs()[0];
  ScanReport report;
  const auto ms = fusion.FindAll(text, 0, static_cast<uint32_t>(text.size()), nullptr, &report);
  EXPECT_TRUE(report.truncated);
  EXPECT_FALSE(report.failed);
  size_t per_rule[64] = {};
  for (const Mention& m : ms) ASSERT_LE(++per_rule[m.rule], kMaxMatchesPerRule);
  ScanReport small;
  fusion.FindAll("s/p fusion", 0, 10, nullptr, &small);
  EXPECT_FALSE(small.truncated);
}

}  // namespace
}  // namespace suggest::internal
