// Copyright libsuggest authors.
//
// A live session's rule locator makes the windows of an edited note from
// those of the note before the edit, scanning only a window around the edit
// (RuleLocator::LocateAgain, match/rule_locator_again.{h,cc}). Checked here
// the way RuleLocatorTest checks Locate: after every edit of a chain (as a
// session chains them, each step from the windows of the one before),
// FindAll of every located pack through the windows must give exactly the
// matches of FindAll without them, over the whole note and over slices;
// and the regions must be sorted and apart. First hand-made chains: edits
// inside and beside a match, matches made and unmade at the edge of the
// window (a start far before the edit, a bound byte deleted), non-ASCII
// bytes in and near matches; then corpus notes that reach the facts stage,
// edited at random.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "facts/facts.h"
#include "match/rule_locator_again.h"
#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "testing/edits.h"
#include "testing/facts.h"
#include "testing/model.h"
#include "text/normalize.h"
#include "util/disk_cache.h"

namespace suggest {
namespace {

using internal::RuleWindows;
using testing::Boundary;

struct Stage {
  std::shared_ptr<const internal::Normalizer> normalizer;
  std::shared_ptr<const internal::FactExtractor> facts;
};

const Stage& TheStage() {
  static const Stage* stage = [] {
    auto* s = new Stage;
    auto n = internal::Normalizer::Create();
    if (n.ok()) s->normalizer = std::move(*n);
    if (s->normalizer != nullptr) {
      // The Vectorscan databases from the cache the model tests fill.
      internal::DiskCacheScope cache("", /*write=*/false, DefaultCacheDir());
      s->facts = testing::LoadShippedFacts(*s->normalizer);
    }
    return s;
  }();
  return *stage;
}

std::string Normalized(const std::string& text) {
  auto nt = TheStage().normalizer->Normalize(text, InvalidUtf8Policy::kReplace);
  return nt.ok() ? nt->text : std::string();
}

std::string Describe(const std::vector<internal::Mention>& ms) {
  std::string s;
  for (const internal::Mention& m : ms) {
    s += std::to_string(m.rule) + "@" + std::to_string(m.begin) + "-" + std::to_string(m.end);
    for (const auto& g : m.groups)
      s += "[" + std::string(g.name) + ":" + std::to_string(g.begin) + "-" +
           std::to_string(g.end) + "]";
    s += " ";
  }
  return s;
}

// The packs the locator covers.
std::vector<const internal::RulePack*> LocatedPacks() {
  std::vector<const internal::RulePack*> packs;
  for (const auto& pack : TheStage().facts->packs()) packs.push_back(pack.get());
  packs.push_back(&TheStage().facts->encounter_pack());
  return packs;
}

// FindAll through `w` equals FindAll without windows on text[b, e), every
// located pack; and each rule's regions are sorted and apart.
void ExpectSameMatches(std::string_view text, const RuleWindows& w, uint32_t b, uint32_t e,
                       const std::string& where) {
  for (const internal::RulePack* pack : LocatedPacks()) {
    ASSERT_TRUE(w.Covers(pack));
    ASSERT_EQ(Describe(pack->FindAll(text, b, e)), Describe(pack->FindAll(text, b, e, &w)))
        << where << ": pack " << pack->name() << " range " << b << "-" << e;
    for (uint32_t r = 0; r < pack->rules().size(); ++r) {
      const auto* regions = w.For(pack, r);
      if (regions == nullptr) continue;
      for (size_t k = 0; k < regions->size(); ++k) {
        ASSERT_LE((*regions)[k].begin, (*regions)[k].end) << where;
        ASSERT_LE((*regions)[k].end, text.size()) << where;
        if (k > 0) ASSERT_LT((*regions)[k - 1].end, (*regions)[k].begin) << where;
      }
    }
  }
}

// The bytes two texts share at their start and end (not overlapping).
void Shared(const std::string& a, const std::string& b, size_t* prefix, size_t* suffix) {
  const size_t n = std::min(a.size(), b.size());
  size_t p = 0;
  while (p < n && a[p] == b[p]) ++p;
  size_t s = 0;
  while (s < n - p && a[a.size() - 1 - s] == b[b.size() - 1 - s]) ++s;
  *prefix = p;
  *suffix = s;
}

// A session's locator: each text's windows from the one before (Locate
// whole where LocateAgain declines), checked after every step.
class Chain {
 public:
  explicit Chain(const std::string& original) : text_(Normalized(original)) {
    EXPECT_TRUE(Locator().Locate(text_, &windows_));
  }

  // The next text of the chain (its original bytes: normalized here).
  void To(const std::string& original, const std::string& where) {
    const std::string next = Normalized(original);
    size_t p = 0, s = 0;
    Shared(text_, next, &p, &s);
    const bool again = Locator().LocateAgain(next, TheStage().facts->locator_window(),
                                             text_.size(), p, s, &windows_, &scratch_);
    if (again) {
      ++again_;
    } else {
      ASSERT_TRUE(Locator().Locate(next, &windows_)) << where;
    }
    text_ = next;
    const auto n = static_cast<uint32_t>(text_.size());
    ExpectSameMatches(text_, windows_, 0, n, where);
    // Slices whose edges fall anywhere, around the edit too.
    for (uint32_t b = 0; b < n; b += 97) ExpectSameMatches(text_, windows_, b, std::min(n, b + 150), where);
    const auto at = static_cast<uint32_t>(std::min<size_t>(p, n));
    for (uint32_t d : {1u, 3u, 9u})
      if (at >= d) ExpectSameMatches(text_, windows_, at - d, std::min(n, at + d), where);
  }

  size_t again() const { return again_; }

 private:
  static const internal::RuleLocator& Locator() { return TheStage().facts->locator(); }
  std::string text_;
  RuleWindows windows_, scratch_;
  size_t again_ = 0;
};

// Types `piece` into `text` at `at` one character at a time, the chain
// checked after each (UTF-8 characters whole).
void TypeIn(Chain* chain, std::string* text, size_t at, const std::string& piece,
            const std::string& where) {
  for (size_t i = 0; i < piece.size();) {
    size_t len = 1;
    while (i + len < piece.size() && !testing::OnBoundary(piece, i + len)) ++len;
    text->insert(at, piece, i, len);
    at += len;
    i += len;
    chain->To(*text, where + " typed " + std::to_string(i));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Replaces `from` (its first occurrence) by `to`, one step.
void Replace(Chain* chain, std::string* text, const std::string& from, const std::string& to,
             const std::string& where) {
  const size_t at = text->find(from);
  ASSERT_NE(at, std::string::npos) << where << ": " << from;
  text->replace(at, from.size(), to);
  chain->To(*text, where);
}

bool Ready() { return TheStage().facts != nullptr && TheStage().facts->locator().active(); }

const std::string kProse =
    "Patient seen in clinic today for follow-up of neck pain and stiffness. She reports "
    "doing well overall and walks daily without assistance. No new numbness or weakness. ";
// Prose around a test's text, so that an edit's window is a small part of
// the note (LocateAgain declines a window over half the text).
const std::string kPadding = kProse + kProse + kProse + kProse;

// Edits inside a located match (destroying it, then restoring it), beside
// it (a word byte that takes away its \b), between two matches (joining
// them), and pure deletions that leave two regions touching.
TEST(LocateAgainTest, EditsInsideAndBesideAMatch) {
  if (!Ready()) GTEST_SKIP() << "locator off";
  std::string text = kPadding + "s/p anterior cervical discectomy and fusion at c5-6. " +
                     kProse + "Fusion fusion at l4-5; solid fusion. " + kProse + kPadding;
  Chain chain(text);
  Replace(&chain, &text, "discectomy", "disectomy", "inside: a byte deleted");
  Replace(&chain, &text, "disectomy", "discectomy", "inside: the byte back");
  Replace(&chain, &text, "and fusion at", "and fusionx at", "beside: a word byte after");
  Replace(&chain, &text, "fusionx", "fusion", "beside: taken away");
  Replace(&chain, &text, "Fusion fusion", "Fusionfusion", "between: blank deleted");
  Replace(&chain, &text, "Fusionfusion", "Fusion fusion", "between: blank back");
  Replace(&chain, &text, "l4-5; solid", "l4-5solid", "between: '; ' deleted");
  Replace(&chain, &text, "solid fusion. ", "", "a whole match deleted");
  Replace(&chain, &text, "at c5-6. ", "at c5-6", "the sentence end deleted");
  TypeIn(&chain, &text, text.find("walks daily"), "prior fusion ", "typed in prose");
  TypeIn(&chain, &text, 0, "ACDF ", "typed at the start");
  TypeIn(&chain, &text, text.size(), "s/p fusion", "typed at the end");
  Replace(&chain, &text, "s/p fusion", "", "deleted at the end");
  EXPECT_GT(chain.again(), 20u);
}

// Matches made and unmade at the window's edge: a start far before the
// edit (a far rule: the encounter cue "post-op day no. 3" holds a '.', so
// only its own stop bytes bound it; the "fusion ..., which is congenital."
// forms, bounded by a last byte; a match across blank runs), and a bound
// byte deleted so that two halves far apart join.
TEST(LocateAgainTest, MatchMadeOrUnmadeAtTheWindowsEdge) {
  if (!Ready()) GTEST_SKIP() << "locator off";
  // After the '.', more non-blank bytes than any near bound counts.
  const std::string digits(60, '7');
  std::string text = kProse + "Post-op   \n\n  day   no. " + kProse + "POD no. " + digits + " " +
                     kProse +
                     "Fusion of c2-c3 noted on the lateral view, which is congenital" + kProse +
                     "Patient seen, this morning on rounds. " + kProse +
                     "Bridging anterior osteophytes; with fusion. " + kProse + "x discharge summary";
  Chain chain(text);
  TypeIn(&chain, &text, text.find("no. ") + 4, "12", "far rule completed");
  Replace(&chain, &text, "no. 12", "no. ", "far rule undone");
  Replace(&chain, &text, "no. ", "no.3", "far rule, digit after the '.'");
  TypeIn(&chain, &text, text.find(digits) + digits.size(), "12", "far rule, its \\d+ grown");
  Replace(&chain, &text, digits + "12", digits.substr(1), "far rule, its \\d+ cut");
  TypeIn(&chain, &text, text.find("congenital") + 10, ".", "last byte typed");
  Replace(&chain, &text, "view, which", "view which", "the comma deleted");
  Replace(&chain, &text, "view which", "view, which", "the comma back");
  Replace(&chain, &text, "seen, this", "seen this", "far rule's stop byte deleted");
  Replace(&chain, &text, "osteophytes; with", "osteophytes with", "a stop between halves deleted");
  Replace(&chain, &text, "osteophytes with", "osteophytes. with", "a stop between halves typed");
  Replace(&chain, &text, "x discharge summary", "\ndischarge summary", "a line start made");
  Replace(&chain, &text, "\ndischarge summary", "discharge summary", "a line start unmade");
  std::string blanks(3000, ' ');
  Replace(&chain, &text, "Fusion of c2-c3", "Fusion" + blanks + "of c2-c3", "blanks inside");
  Replace(&chain, &text, "Fusion" + blanks, "Fusion ", "blanks deleted");
  EXPECT_GT(chain.again(), 10u);
}

// Non-ASCII bytes in and near matches: a text scanned in byte mode but for
// stretches (a few such bytes far from the edit), an edit that puts one
// inside a match or beside it, a window that holds some (UTF-8 mode), and a
// bounded gap filled with two-byte characters (counted by character in
// UTF-8 mode, by byte in byte mode).
TEST(LocateAgainTest, NonAsciiBytesNearMatches) {
  if (!Ready()) GTEST_SKIP() << "locator off";
  std::string gap;
  for (int i = 0; i < 30; ++i) gap += "\xc3\xa9 ";  // 60 characters, 90 bytes
  std::string text = "Temp 37\xc2\xb0" "C. " + kProse + "Solid fusion at L4\xe2\x80\x93L5. " + kProse +
                     "anterior cervical discectomy " + gap + "fusio " + kProse +
                     "DISH\xc2\xae with fused segments. " + kProse + kPadding + "caf\xc3\xa9";
  Chain chain(text);
  Replace(&chain, &text, "Solid fusion", "Solid fusi\xc3\xb3n", "a non-ASCII byte inside");
  Replace(&chain, &text, "fusi\xc3\xb3n", "fusion", "taken out again");
  Replace(&chain, &text, "fusion at L4", "fusion\xc2\xa0" "at L4", "beside: NBSP");
  Replace(&chain, &text, "fusion\xc2\xa0", "fusion\xc3\xa9", "beside: a letter");
  Replace(&chain, &text, "fusion\xc3\xa9", "fusion ", "beside: gone");
  TypeIn(&chain, &text, text.find("fusio ") + 5, "n", "a gap of two-byte characters");
  Replace(&chain, &text, "\xc3\xa9 fusion", "\xc3\xa9 \xc3\xa9 fusion", "the gap widened");
  Replace(&chain, &text, "DISH\xc2\xae", "DISH", "a sign taken away");
  TypeIn(&chain, &text, text.find("with fused"), "\xe2\x80\x99", "typed before a match");
  TypeIn(&chain, &text, text.find("walks daily"), "\xc3\xa9 fused \xc3\xa9", "typed in prose");
  EXPECT_GT(chain.again(), 10u);
}

// Through a session: its locator windows are positional, of the text the
// next pass's normalization is spliced from only if the pass that made that
// text located. Here passes in between skip the facts stage (the concept
// word deleted, the note then moved by an edit far away) or fail, and the
// windows kept from before must not be taken up again; each Result() is
// Analyze's.
TEST(LocateAgainSessionTest, WindowsOfAnOlderPassAreNotTakenUp) {
  if (!Ready()) GTEST_SKIP() << "locator off";
  AnalyzeOptions o;
  Session s(testing::TheModel(), o);
  auto check = [&](const std::string& where) {
    auto got = s.Result();
    auto want = testing::TheModel().Analyze(s.Text(), o);
    ASSERT_EQ(got.ok(), want.ok()) << where;
    if (got.ok())
      ASSERT_EQ(ResultToJson(*got, s.Text(), "n", o), ResultToJson(*want, s.Text(), "n", o))
          << where;
  };
  auto replace = [&](const std::string& from, const std::string& to) {
    const size_t at = s.Text().find(from);
    ASSERT_NE(at, std::string::npos) << from;
    ASSERT_TRUE(s.Edit(at, at + from.size(), to).ok());
  };
  // The operative title is an encounter cue (the fusion is performed this
  // encounter, not prior), not a concept: alone it does not reach the facts
  // stage.
  std::string prose;  // long enough that a window around an edit is a small part
  for (int i = 0; i < 8; ++i) prose += kProse;
  ASSERT_TRUE(s.Edit(0, 0, "OPERATIVE REPORT\n" + prose + "Posterior fusion at L4-5 was done. " +
                               prose + "Fused C2-C3 (congenital).")
                  .ok());
  check("first pass");
  replace("was done", "was done well");
  check("an edit near a match");
  replace("Posterior fusion", "Posterior biopsy");
  replace("Fused C2-C3", "Seen C2-C3");
  check("no concept left: no facts stage");
  // The title moved by a piece of prose, the size kept: windows of the
  // first passes, shifted by the change in size, would miss it.
  const size_t second = s.Text().rfind(prose);  // the one after the fusion
  ASSERT_TRUE(s.Edit(second, second + prose.size(), "").ok());
  ASSERT_TRUE(s.Edit(0, 0, prose).ok());
  check("moved, still no facts stage");
  replace("Posterior biopsy", "Posterior fusion");
  check("the concept back");
  ASSERT_FALSE(s.Edit(0, s.Text().size() + 5, "x").ok());  // refused: unchanged
  replace("Seen C2-C3", "Fused C2-C3");
  check("after a refused edit");
}

// Corpus notes that reach the facts stage, each edited at random a few
// times in a chain: pieces of the note moved, bytes deleted, concept words
// and non-ASCII characters typed.
TEST(LocateAgainCorpusTest, WindowsAfterRandomEdits) {
  if (!Ready()) GTEST_SKIP() << "locator off";
  const auto notes = testing::LoadCorpus();
  if (notes.empty()) GTEST_SKIP() << "corpus missing: " << testing::CorpusPath();
  const auto reserved = testing::ReservedIds();
  const std::vector<std::string> pieces = {
      "fusion", " s/p ACDF C5-6", "; ", ". ", ", which is congenital.", "\xc3\xa9",
      "post-op day no. 2", "\n\n", "fused", " L4-5 ", "\xc2\xb0"};
  std::mt19937 rng(16);
  size_t notes_done = 0, steps = 0, again_total = 0;
  for (const auto& note : notes) {
    if (reserved.count(note.id) || note.text.empty() || note.text.size() > 20000) continue;
    if (TheStage().facts->CannotMatch(Normalized(note.text))) continue;
    if (notes_done == 60) break;
    ++notes_done;
    std::string text = note.text;
    Chain chain(text);
    for (int k = 0; k < 6; ++k) {
      const int kind = std::uniform_int_distribution<int>(0, 2)(rng);
      const size_t at = Boundary(rng, text, 0, text.size());
      if (kind == 0) {
        const std::string& piece = pieces[rng() % pieces.size()];
        text.insert(at, piece);
      } else if (kind == 1) {
        const size_t end = Boundary(rng, text, at, std::min(text.size(), at + 30));
        text.erase(at, end - at);
      } else {
        const size_t from = Boundary(rng, text, 0, text.size());
        const size_t to = Boundary(rng, text, from, std::min(text.size(), from + 60));
        text.insert(at, text.substr(from, to - from));
      }
      chain.To(text, "note " + note.id + " step " + std::to_string(k));
      if (::testing::Test::HasFatalFailure()) return;
      ++steps;
    }
    again_total += chain.again();
  }
  std::printf("%zu notes, %zu edits, %zu located around the edit\n", notes_done, steps,
              again_total);
  EXPECT_GT(again_total, steps / 2);
}

}  // namespace
}  // namespace suggest
