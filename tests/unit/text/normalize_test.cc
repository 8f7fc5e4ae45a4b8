// Copyright libsuggest authors.
#include "text/normalize.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

#include "util/utf8.h"

namespace suggest::internal {
namespace {

using Policy = InvalidUtf8Policy;

class NormalizeTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto n = Normalizer::Create();
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    normalizer_ = new std::shared_ptr<const Normalizer>(*n);
  }
  static void TearDownTestSuite() {
    delete normalizer_;
    normalizer_ = nullptr;
  }

  // Normalizes through both entry points and checks they agree exactly.
  static NormalizedText Norm(std::string_view s, Policy p = Policy::kError) {
    auto fast = (*normalizer_)->Normalize(s, p);
    EXPECT_TRUE(fast.ok()) << fast.status().ToString();
    if (!fast.ok()) return {};
    auto icu = (*normalizer_)->NormalizeWithIcuOnly(s, p);
    EXPECT_TRUE(icu.ok()) << icu.status().ToString();
    if (icu.ok()) {
      EXPECT_EQ(fast->text, icu->text) << testing::PrintToString(s);
      EXPECT_TRUE(fast->map == icu->map) << testing::PrintToString(s);
      EXPECT_EQ(fast->replaced_bytes, icu->replaced_bytes);
    }
    EXPECT_EQ(fast->map.original_size(), s.size());
    EXPECT_EQ(fast->map.normalized_size(), fast->text.size());
    EXPECT_EQ(FindInvalidUtf8(fast->text), kNoError);
    return *std::move(fast);
  }

  // Original span of the first occurrence of `needle` in the normalized text.
  static Span Orig(const NormalizedText& nt, std::string_view needle) {
    const size_t at = nt.text.find(needle);
    EXPECT_NE(at, std::string::npos) << needle;
    if (at == std::string::npos) return {};
    return nt.map.ToOriginal(static_cast<uint32_t>(at),
                             static_cast<uint32_t>(at + needle.size()));
  }

  static std::shared_ptr<const Normalizer>* normalizer_;
};

std::shared_ptr<const Normalizer>* NormalizeTest::normalizer_ = nullptr;

TEST_F(NormalizeTest, EnDashBecomesHyphenMappedToThreeBytes) {
  NormalizedText nt = Norm("C5\xE2\x80\x93" "C6");
  EXPECT_EQ(nt.text, "c5-c6");
  EXPECT_EQ(Orig(nt, "-"), (Span{2, 5}));
  EXPECT_EQ(Orig(nt, "c5"), (Span{0, 2}));
  EXPECT_EQ(Orig(nt, "c6"), (Span{5, 7}));
  EXPECT_EQ(Orig(nt, "c5-c6"), (Span{0, 7}));
  EXPECT_TRUE(nt.map.IsBoundary(2));
  EXPECT_TRUE(nt.map.IsBoundary(3));
}

TEST_F(NormalizeTest, AllDashesAndQuotes) {
  // U+2010..U+2015, U+2212, U+FE58, U+FE63, U+FF0D; each 3 bytes.
  const std::string dashes =
      "\xE2\x80\x90\xE2\x80\x91\xE2\x80\x92\xE2\x80\x93\xE2\x80\x94"
      "\xE2\x80\x95\xE2\x88\x92\xEF\xB9\x98\xEF\xB9\xA3\xEF\xBC\x8D";
  NormalizedText nt = Norm(dashes);
  EXPECT_EQ(nt.text, "----------");
  for (uint32_t k = 0; k < 10; ++k) {
    EXPECT_EQ(nt.map.ToOriginal(k, k + 1), (Span{3 * k, 3 * k + 3})) << k;
  }
  nt = Norm("\xE2\x80\x98x\xE2\x80\x99 \xE2\x80\x9CY\xE2\x80\x9D");
  EXPECT_EQ(nt.text, "'x' \"y\"");
  EXPECT_EQ(Orig(nt, "\"y"), (Span{8, 12}));
}

TEST_F(NormalizeTest, SpaceLikes) {
  NormalizedText nt = Norm("a\xC2\xA0" "b");  // NBSP
  EXPECT_EQ(nt.text, "a b");
  EXPECT_EQ(Orig(nt, " "), (Span{1, 3}));
  EXPECT_EQ(Orig(nt, "b"), (Span{3, 4}));
  // Ogham space (the Zs NFKC leaves alone), ideographic space, tab.
  nt = Norm("a\xE1\x9A\x80" "b\xE3\x80\x80" "c\td");
  EXPECT_EQ(nt.text, "a b c d");
  EXPECT_EQ(nt.map.ToOriginal(1, 2), (Span{1, 4}));
  EXPECT_EQ(nt.map.ToOriginal(3, 4), (Span{5, 8}));
  EXPECT_EQ(nt.map.ToOriginal(5, 6), (Span{9, 10}));
  // U+FEFF and U+200B are default-ignorable: NFKC_Casefold deletes them.
  nt = Norm("\xEF\xBB\xBFx\xE2\x80\x8By");
  EXPECT_EQ(nt.text, "xy");
  EXPECT_EQ(Orig(nt, "x"), (Span{3, 4}));
  EXPECT_EQ(Orig(nt, "xy"), (Span{3, 8}));
}

TEST_F(NormalizeTest, LineEnds) {
  NormalizedText nt = Norm("a\r\nb\rc\nd\r");
  EXPECT_EQ(nt.text, "a\nb\nc\nd\n");
  EXPECT_EQ(nt.map.ToOriginal(1, 2), (Span{1, 3}));  // CRLF
  EXPECT_EQ(nt.map.ToOriginal(2, 3), (Span{3, 4}));  // b
  EXPECT_EQ(nt.map.ToOriginal(3, 4), (Span{4, 5}));  // lone CR
  EXPECT_EQ(nt.map.ToOriginal(7, 8), (Span{8, 9}));  // final lone CR
  // Same through the non-ASCII path.
  nt = Norm("\xC3\xA9\r\n\r\n\xC3\xA9");
  EXPECT_EQ(nt.text, "\xC3\xA9\n\n\xC3\xA9");
  EXPECT_EQ(nt.map.ToOriginal(2, 3), (Span{2, 4}));
  EXPECT_EQ(nt.map.ToOriginal(3, 4), (Span{4, 6}));
  EXPECT_EQ(nt.map.ToOriginal(4, 6), (Span{6, 8}));
}

TEST_F(NormalizeTest, CombiningAccentComposesAsOneChunk) {
  NormalizedText nt = Norm("e\xCC\x81t");
  EXPECT_EQ(nt.text, "\xC3\xA9t");
  EXPECT_EQ(nt.map.ToOriginal(0, 2), (Span{0, 3}));
  EXPECT_EQ(nt.map.ToOriginal(0, 1), (Span{0, 3}));  // widened
  EXPECT_FALSE(nt.map.IsBoundary(1));
  EXPECT_EQ(Orig(nt, "t"), (Span{3, 4}));
  // Upper-case precomposed letter folds in place.
  nt = Norm("\xC3\x89" "COLE");
  EXPECT_EQ(nt.text, "\xC3\xA9" "cole");
  EXPECT_EQ(Orig(nt, "cole"), (Span{2, 6}));
}

TEST_F(NormalizeTest, FullWidthLigatureFraction) {
  NormalizedText nt = Norm("\xEF\xBC\xAC\xEF\xBC\x94");  // full-width L4
  EXPECT_EQ(nt.text, "l4");
  EXPECT_EQ(Orig(nt, "l"), (Span{0, 3}));
  EXPECT_EQ(Orig(nt, "4"), (Span{3, 6}));

  nt = Norm("\xEF\xAC\x81ne");  // U+FB01 ligature fi
  EXPECT_EQ(nt.text, "fine");
  EXPECT_EQ(Orig(nt, "fi"), (Span{0, 3}));
  EXPECT_EQ(Orig(nt, "f"), (Span{0, 3}));
  EXPECT_FALSE(nt.map.IsBoundary(1));
  EXPECT_EQ(Orig(nt, "ne"), (Span{3, 5}));

  nt = Norm("x \xC2\xBD");  // U+00BD vulgar fraction one half
  EXPECT_EQ(nt.text, "x 1\xE2\x81\x84" "2");
  EXPECT_EQ(Orig(nt, "1"), (Span{2, 4}));
  EXPECT_EQ(Orig(nt, "2"), (Span{2, 4}));
  EXPECT_EQ(nt.map.ToOriginal(2, 7), (Span{2, 4}));
}

TEST_F(NormalizeTest, SoftHyphenIsDeleted) {
  NormalizedText nt = Norm("ab\xC2\xAD" "cd");
  EXPECT_EQ(nt.text, "abcd");
  EXPECT_EQ(Orig(nt, "b"), (Span{1, 2}));
  EXPECT_EQ(Orig(nt, "c"), (Span{4, 5}));
  EXPECT_EQ(Orig(nt, "bc"), (Span{1, 5}));
  // ICU reports a folded letter and the deletion after it as one edit.
  nt = Norm("AB\xC2\xAD" "CD");
  EXPECT_EQ(nt.text, "abcd");
  EXPECT_EQ(Orig(nt, "a"), (Span{0, 1}));
  EXPECT_EQ(Orig(nt, "b"), (Span{1, 4}));
  EXPECT_EQ(Orig(nt, "c"), (Span{4, 5}));
}

TEST_F(NormalizeTest, EmojiNulAndEmpty) {
  NormalizedText nt = Norm("x\xF0\x9F\x98\x80Y");
  EXPECT_EQ(nt.text, "x\xF0\x9F\x98\x80y");
  EXPECT_TRUE(nt.map.IsIdentity());
  EXPECT_EQ(Orig(nt, "y"), (Span{5, 6}));

  nt = Norm(std::string("a\0B", 3));
  EXPECT_EQ(nt.text, std::string("a\0b", 3));
  EXPECT_TRUE(nt.map.IsIdentity());
  nt = Norm(std::string("\xC3\xA9\0", 3));
  EXPECT_EQ(nt.text, std::string("\xC3\xA9\0", 3));

  nt = Norm("");
  EXPECT_EQ(nt.text, "");
  EXPECT_EQ(nt.map.original_size(), 0u);
  EXPECT_EQ(nt.map.ToOriginal(0, 0), (Span{0, 0}));
}

TEST_F(NormalizeTest, AsciiCaseFoldKeepsIdentityMap) {
  NormalizedText nt = Norm("HISTORY OF PRESENT ILLNESS:\tPt is a 45 Y/O male.");
  EXPECT_EQ(nt.text, "history of present illness: pt is a 45 y/o male.");
  EXPECT_TRUE(nt.map.IsIdentity());
}

TEST_F(NormalizeTest, RefusesNotesOver4GiB) {
  const std::string small = "abc";
  // Only the size is looked at before refusing, so no 4 GiB buffer needed.
  const std::string_view huge(small.data(), size_t{1} << 32);
  for (Policy p : {Policy::kError, Policy::kReplace}) {
    auto r = (*normalizer_)->Normalize(huge, p);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().kind(), "note_too_large");
  }
}

TEST_F(NormalizeTest, InvalidUtf8ErrorPolicyReportsOffset) {
  struct Case {
    std::string text;
    int64_t offset;
  };
  const Case cases[] = {
      {"abc\xE2\x82", 3},           // truncated at end
      {"x \xC0\xAF", 2},            // overlong
      {"\xC3\xA9\xED\xA0\x80", 2},  // surrogate
      {"ab\x80" "c", 2},            // lone continuation byte
      {"abcd\xF5", 4},              // F5 never appears
  };
  for (const Case& c : cases) {
    for (bool icu_only : {false, true}) {
      auto r = icu_only ? (*normalizer_)->NormalizeWithIcuOnly(c.text, Policy::kError)
                        : (*normalizer_)->Normalize(c.text, Policy::kError);
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(r.status().kind(), "invalid_utf8");
      EXPECT_EQ(r.status().offset(), c.offset) << testing::PrintToString(c.text);
      EXPECT_NE(r.status().message().find(
                    "at byte " + std::to_string(c.offset) + ":"),
                std::string::npos);
    }
  }
}

TEST_F(NormalizeTest, InvalidUtf8ReplacePolicyMapsEachBadByte) {
  NormalizedText nt = Norm("A\xC0\xAF" "B\xE2\x80\x93\xFF", Policy::kReplace);
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(nt.text, "a" + fffd + fffd + "b-" + fffd);
  EXPECT_EQ(nt.replaced_bytes, 3u);
  EXPECT_EQ(nt.map.ToOriginal(1, 4), (Span{1, 2}));
  EXPECT_EQ(nt.map.ToOriginal(4, 7), (Span{2, 3}));
  EXPECT_EQ(nt.map.ToOriginal(7, 8), (Span{3, 4}));    // b
  EXPECT_EQ(nt.map.ToOriginal(8, 9), (Span{4, 7}));    // -
  EXPECT_EQ(nt.map.ToOriginal(9, 12), (Span{7, 8}));   // last FFFD
  EXPECT_EQ(nt.map.ToOriginal(5, 6), (Span{2, 3}));    // inside an FFFD

  nt = Norm("ab\xE2\x82", Policy::kReplace);  // truncated at end
  EXPECT_EQ(nt.text, "ab" + fffd + fffd);
  EXPECT_EQ(nt.map.ToOriginal(2, 5), (Span{2, 3}));
  EXPECT_EQ(nt.map.ToOriginal(5, 8), (Span{3, 4}));

  nt = Norm("valid", Policy::kReplace);
  EXPECT_EQ(nt.replaced_bytes, 0u);
  EXPECT_TRUE(nt.map.IsIdentity());
}

TEST_F(NormalizeTest, AsciiFastPathEqualsIcu) {
  std::string all;
  for (int c = 0; c < 128; ++c) all.push_back(static_cast<char>(c));
  Norm(all);  // Norm() compares both paths
  std::mt19937 rng(99);
  const char alphabet[] = "aZq \t\r\n\r\n.,-0A\0";
  for (int iter = 0; iter < 300; ++iter) {
    std::string s;
    const int len = rng() % 80;
    for (int k = 0; k < len; ++k) s.push_back(alphabet[rng() % (sizeof(alphabet) - 1)]);
    Norm(s);
    if (HasFailure()) return;
  }
}

TEST_F(NormalizeTest, MixedTextFastPathsEqualIcu) {
  std::mt19937 rng(1234);
  const std::string pieces[] = {
      "a", "E", " ", "\t", "\r\n", "\r", "\xC3\xA9", "\xC3\x89", "e\xCC\x81",
      "\xCC\x81", "\xEF\xAC\x81", "\xE2\x80\x93", "\xC2\xA0", "\xC2\xAD",
      "\xEF\xBC\xAC", "\xC2\xBD", "\xF0\x9F\x98\x80", "\xE2\x80\x9C",
      "\xEF\xBB\xBF", "\xE1\x9A\x80", "Long ASCII Run Of Words To Skip. "};
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s;
    const int len = rng() % 30;
    for (int k = 0; k < len; ++k) s += pieces[rng() % std::size(pieces)];
    Norm(s);
    Norm(s + "\xFF" + s, Policy::kReplace);
    if (HasFailure()) return;
  }
}

// Non-ASCII runs longer than one ICU piece are cut at a normalization
// boundary: never between a base letter and its combining mark.
TEST_F(NormalizeTest, LongNonAsciiRunsAreCutAtBoundaries) {
  std::string s;
  std::string want;
  for (int k = 0; k < 1200000; ++k) {
    s += "\xD0\xB8\xCC\x86";  // Cyrillic i + combining breve
    want += "\xD0\xB9";       // composed short i
  }
  NormalizedText nt = Norm(s);
  EXPECT_EQ(nt.text, want);
  EXPECT_EQ(nt.map.ToOriginal(2 * 1000000, 2 * 1000000 + 2),
            (Span{4 * 1000000, 4 * 1000000 + 4}));
  // Same with ASCII letters as the bases.
  s.clear();
  want.clear();
  for (int k = 0; k < 1500000; ++k) {
    s += "e\xCC\x81";
    want += "\xC3\xA9";
  }
  nt = Norm(s);
  EXPECT_EQ(nt.text, want);
}

TEST_F(NormalizeTest, FiftyMegabyteNotes) {
  const std::string line =
      "HISTORY: Pt s/p C5-C6 ANTERIOR cervical discectomy and fusion; "
      "denies fever.\r\n";  // 78 bytes -> 77 normalized
  const size_t lines = (50u << 20) / line.size() + 1;
  std::string note;
  note.reserve(lines * line.size());
  for (size_t k = 0; k < lines; ++k) note += line;
  ASSERT_GE(note.size(), 50u << 20);

  auto t0 = std::chrono::steady_clock::now();
  auto r = (*normalizer_)->Normalize(note, Policy::kError);
  auto t1 = std::chrono::steady_clock::now();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text.size(), note.size() - lines);
  const size_t last = r->text.rfind("fusion");
  EXPECT_EQ(r->map.ToOriginal(last, last + 6),
            (Span{static_cast<uint32_t>(note.rfind("fusion")),
                  static_cast<uint32_t>(note.rfind("fusion") + 6)}));
  EXPECT_EQ(r->map.ToOriginal(r->text.size() - 1, r->text.size()),
            (Span{static_cast<uint32_t>(note.size() - 2),
                  static_cast<uint32_t>(note.size())}));

  // Mostly ASCII with a few non-ASCII characters per line: the hybrid path.
  std::string line2 = line;
  line2.replace(line2.find("C5-C6") + 2, 1, "\xE2\x80\x93");
  line2 += std::string(120, 'x') + " \xC2\xBD\n";
  std::string note2;
  note2.reserve(50u << 20);
  while (note2.size() < (50u << 20)) note2 += line2;
  auto t2 = std::chrono::steady_clock::now();
  auto r2 = (*normalizer_)->Normalize(note2, Policy::kError);
  auto t3 = std::chrono::steady_clock::now();
  ASSERT_TRUE(r2.ok());
  const size_t n2 = note2.size() / line2.size();
  // Per line: dash 3 -> 1, CRLF 2 -> 1, one half 2 -> 5.
  EXPECT_EQ(r2->text.size(), n2 * (line2.size() - 2 - 1 + 3));
  const size_t dash = r2->text.rfind("c5-c6") + 2;
  const uint32_t odash = static_cast<uint32_t>(note2.rfind("C5\xE2\x80\x93") + 2);
  EXPECT_EQ(r2->map.ToOriginal(dash, dash + 1), (Span{odash, odash + 3}));
  RecordProperty("ascii_ms", std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count()));
  RecordProperty("mixed_ms", std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(t3 - t2).count()));
  std::printf("50 MB ASCII: %lld ms, 50 MB mixed: %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count()),
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(t3 - t2).count()));
}

TEST_F(NormalizeTest, MixedTextAcrossIcuPiecesEqualsIcuOnly) {
  // Longer than one ICU piece, so both paths cut it; Norm() compares them.
  std::string s;
  while (s.size() < (10u << 20)) {
    s += "Pain \xC2\xBD better \xE2\x80\x94 ";
    s += "e\xCC\x81\xCC\xA3 AB\xC2\xAD" "CD\r\n";
  }
  NormalizedText nt = Norm(s);
  EXPECT_FALSE(nt.text.empty());
}

// Normalizer::Splice (live sessions): after random chained edits of mixed
// text - CRLF, tabs, combining marks, deletions, ligatures, dashes, invalid
// bytes under kReplace - the spliced normalization is exactly Normalize of
// the new text (text, chunk list, replaced_bytes).
TEST_F(NormalizeTest, SpliceEqualsNormalizeAfterRandomEdits) {
  std::mt19937 rng(16);
  const std::string pieces[] = {
      "a", "E", " ", "\t", "\r\n", "\r", "\n", "\xC3\xA9", "\xC3\x89", "e\xCC\x81",
      "\xCC\x81", "\xEF\xAC\x81", "\xE2\x80\x93", "\xC2\xA0", "\xC2\xAD", "B\xC2\xAD",
      "\xEF\xBC\xAC", "\xC2\xBD", "\xF0\x9F\x98\x80", "\xE2\x80\x9C", "\xEF\xBB\xBF",
      "\xE1\x9A\x80", "Fusion at L4-L5. ", "\xFF", "\xC3", "\xE2\x80"};
  const Normalizer& n = **normalizer_;
  size_t spliced = 0, edits = 0;
  for (Policy policy : {Policy::kReplace, Policy::kError}) {
    for (int note = 0; note < 300; ++note) {
      auto piece = [&] {
        for (;;) {
          const std::string& p = pieces[rng() % std::size(pieces)];
          if (policy == Policy::kReplace || FindInvalidUtf8(p) == kNoError) return p;
        }
      };
      std::string text;
      for (int k = rng() % 60; k >= 0; --k) text += piece();
      auto nt = n.Normalize(text, policy);
      ASSERT_TRUE(nt.ok());
      for (int step = 0; step < 20; ++step) {
        // Any bytes: a cut is never placed inside a sequence, valid or not.
        auto boundary = [&](size_t lo) { return lo + rng() % (text.size() - lo + 1); };
        const size_t b = boundary(0);
        const size_t e = rng() % 3 == 0 ? b : boundary(b);
        std::string with;
        for (int k = rng() % 4; k > 0; --k) with += piece();
        const std::string before = text;
        text.replace(b, e - b, with);
        if (policy == Policy::kError && FindInvalidUtf8(text) != kNoError) {
          text = before;  // a session refuses such an edit
          continue;
        }
        ++edits;
        const size_t tail = before.size() - e;
        SpliceKept kept;
        NormalizedText got = *nt;
        const bool ok = n.Splice(before, text, b, tail, policy, &got, &kept);
        auto want = n.Normalize(text, policy);
        ASSERT_TRUE(want.ok());
        if (ok) {
          ++spliced;
          ASSERT_EQ(got.text, want->text) << testing::PrintToString(text);
          ASSERT_TRUE(got.map == want->map) << testing::PrintToString(text);
          ASSERT_EQ(got.replaced_bytes, want->replaced_bytes) << testing::PrintToString(text);
          ASSERT_LE(kept.prefix + kept.suffix, got.text.size());
          ASSERT_EQ(got.text.compare(0, kept.prefix, nt->text, 0, kept.prefix), 0);
          ASSERT_EQ(got.text.compare(got.text.size() - kept.suffix, kept.suffix, nt->text,
                                     nt->text.size() - kept.suffix, kept.suffix),
                    0);
        }
        nt = std::move(want);
      }
    }
  }
  EXPECT_GT(spliced, edits / 2);
}

// A cut inside a change chunk, or beside a deletion, is refused; a cut
// inside an unchanged chunk splits it.
TEST_F(NormalizeTest, OffsetMapCutsAndSplices) {
  OffsetMap m;
  m.AppendUnchanged(4);
  m.AppendChange(3, 1);
  m.AppendChange(2, 0);
  m.AppendUnchanged(5);
  uint32_t at = 0;
  EXPECT_TRUE(m.CutAt(2, &at));
  EXPECT_EQ(at, 2u);
  EXPECT_TRUE(m.CutAt(4, &at));
  EXPECT_EQ(at, 4u);
  EXPECT_FALSE(m.CutAt(5, &at));  // inside the 3 -> 1 change
  EXPECT_FALSE(m.CutAt(7, &at));  // between the change and the deletion
  EXPECT_FALSE(m.CutAt(9, &at));  // after the deletion
  EXPECT_TRUE(m.CutAt(10, &at));
  EXPECT_EQ(at, 6u);
  EXPECT_TRUE(m.CutAt(14, &at));
  EXPECT_EQ(at, 10u);
  OffsetMap mid;
  mid.AppendUnchanged(2);
  OffsetMap want;
  want.AppendUnchanged(7);  // 2 kept, 2 new, the last 3 of the tail: one chunk
  EXPECT_TRUE(m.Spliced(2, 11, mid) == want);
}

}  // namespace
}  // namespace suggest::internal
