// Copyright libsuggest authors.
//
// Model::AnalyzeInPlace: a note long enough to be released while its facts
// stage runs (corpus notes laid end to end, 2 MB, as written and with CRLF
// line ends and curly quotes, which make the normalized text differ from
// the note) gives the JSON of Analyze, with and without the text layer, and
// the note comes back byte for byte. And OriginalStash rebuilds every corpus
// note and all of them laid end to end.

#include <gtest/gtest.h>

#include <string>

#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "testing/model.h"
#include "text/normalize.h"
#include "text/original_stash.h"

namespace suggest {
namespace {

std::string LongNote(bool variant) {
  const auto corpus = testing::LoadCorpus();
  const auto reserved = testing::ReservedIds();
  std::string out;
  for (const auto& n : corpus) {
    if (reserved.count(n.id)) continue;
    for (char c : n.text) {
      if (variant && c == '\n') {
        out += "\r\n";
      } else if (variant && c == '\'') {
        out += "\u2019";
      } else {
        out += c;
      }
    }
    out += "\n\n";
    if (out.size() > (2u << 20)) break;
  }
  return out;
}

TEST(AnalyzeInPlaceTest, SameResultAndTheNoteComesBack) {
  if (testing::LoadCorpus().empty()) GTEST_SKIP() << "no corpus";
  const Model& model = testing::TheModel();
  for (bool variant : {false, true}) {
    const std::string note = LongNote(variant);
    for (bool layer : {false, true}) {
      AnalyzeOptions options;
      options.include_text_layer = layer;
      auto expected = model.Analyze(note, options);
      ASSERT_TRUE(expected.ok()) << expected.status().ToString();
      ASSERT_FALSE(expected->facts.empty());
      std::string lent = note;
      auto got = model.AnalyzeInPlace(&lent, options);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      EXPECT_TRUE(lent == note) << "variant " << variant << " layer " << layer;
      EXPECT_EQ(ResultToJson(*got, lent, "n", options), ResultToJson(*expected, note, "n", options))
          << "variant " << variant << " layer " << layer;
    }
  }
}

// The stash of `original` rebuilds it (both ways); false if none was made.
bool StashRoundTrips(const std::string& original) {
  static const auto normalizer = *internal::Normalizer::Create();
  auto nt = normalizer->Normalize(original, InvalidUtf8Policy::kError);
  EXPECT_TRUE(nt.ok()) << nt.status().ToString();
  if (!nt.ok()) return false;
  auto stash = internal::OriginalStash::Make(original, *nt);
  if (!stash) return false;
  for (size_t i = 0; i < original.size(); i += 7) {
    if (stash->At(i) != original[i]) {
      ADD_FAILURE() << "At(" << i << ")";
      break;
    }
  }
  std::string copy;
  stash->Rebuild(&copy);
  EXPECT_TRUE(copy == original);
  stash->RebuildInPlace(&nt->text);
  EXPECT_TRUE(nt->text == original);
  return true;
}

TEST(OriginalStashCorpusTest, RebuildsEveryNoteAndAllOfThem) {
  const auto corpus = testing::LoadCorpus();
  if (corpus.empty()) GTEST_SKIP() << "no corpus";
  std::string all;
  size_t made = 0;
  for (const auto& note : corpus) {
    made += StashRoundTrips(note.text);
    all += note.text + "\n\n";
  }
  EXPECT_GT(made, corpus.size() / 2);
  EXPECT_TRUE(StashRoundTrips(all));
  EXPECT_TRUE(StashRoundTrips(LongNote(true)));  // CRLF and curly quotes
}

}  // namespace
}  // namespace suggest
