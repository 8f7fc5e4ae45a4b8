// Copyright libsuggest authors.
//
// OriginalStash (text/original_stash.h): a note rebuilt from its normalized
// text and its stash is the note, byte for byte, through both rebuilds and
// At(); a stash is refused, never wrong, when it would not be small. Every
// corpus note: tests/corpus/analyze_in_place_test.cc.
#include "text/original_stash.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>


namespace suggest::internal {
namespace {

const Normalizer& TheNormalizer() {
  static const auto n = *Normalizer::Create();
  return *n;
}

// Checks every way back to `original`; false if no stash was made.
bool RoundTrips(const std::string& original,
                InvalidUtf8Policy policy = InvalidUtf8Policy::kError) {
  auto nt = TheNormalizer().Normalize(original, policy);
  EXPECT_TRUE(nt.ok()) << nt.status().ToString();
  if (!nt.ok()) return false;
  auto stash = OriginalStash::Make(original, *nt);
  if (!stash) return false;
  EXPECT_EQ(stash->size(), original.size());
  for (size_t i = 0; i < original.size(); ++i) {
    if (stash->At(i) != original[i]) {
      ADD_FAILURE() << "At(" << i << ")";
      break;
    }
  }
  // Backwards too (LowerOnLine reads back to a line's start).
  for (size_t i = original.size(); i-- > 0;) {
    if (stash->At(i) != original[i]) {
      ADD_FAILURE() << "At(" << i << ") backwards";
      break;
    }
  }
  std::string copy;
  stash->Rebuild(&copy);
  EXPECT_EQ(copy, original);
  stash->RebuildInPlace(&nt->text);
  EXPECT_EQ(nt->text, original);
  return true;
}

std::string Repeat(const std::string& s, size_t bytes) {
  std::string out;
  while (out.size() < bytes) out += s;
  return out;
}

TEST(OriginalStashTest, RebuildsMixedCaseAndCrlf) {
  // Lines of 80 bytes or so, as notes have them (a CRLF line end is a
  // change chunk, as a tab is: with much shorter lines, or tabs on each,
  // the stash would pass a quarter of the note and be refused).
  EXPECT_TRUE(RoundTrips(Repeat("PAST SURGICAL HISTORY: L4-L5 Fusion in 2015, with no Complication.\r\n"
                                "s/p ACDF C5-C6; No hardware failure was seen on the CT scan today.\n\n",
                                20000)));
}

TEST(OriginalStashTest, RebuildsAroundNonAsciiChangeChunks) {
  // Letters that fold to other lengths (ß -> ss, the ligature ﬁ -> fi), a
  // NBSP, curly quotes and dashes, accents: change chunks in a long ASCII note.
  EXPECT_TRUE(RoundTrips(Repeat("The patient\u2019s L4\u2013L5 \uFB01xation, Stra\u00DFe "
                                "caf\u00E9 \u00A0S/P FUSION. Normal text follows here "
                                "for a while to keep the note mostly ASCII: " +
                                    Repeat("History Of Present Illness. ", 2000) + "\n",
                                50000)));
}

TEST(OriginalStashTest, RebuildsRepairedInvalidUtf8) {
  std::string note = Repeat("Fusion at L4-L5 was SOLID. ", 20000);
  note[100] = '\xff';
  note[5000] = '\xc3';
  EXPECT_TRUE(RoundTrips(note, InvalidUtf8Policy::kReplace));
}

TEST(OriginalStashTest, RefusedWhenNotSmall) {
  // Mostly non-ASCII: every character a change chunk.
  EXPECT_FALSE(RoundTrips(Repeat("\u0421\u041F\u041E\u041D\u0414\u0418\u041B\u0418\u0422 ",
                                 100000)));
}

}  // namespace
}  // namespace suggest::internal
