// Copyright libsuggest authors.
//
// Model::AnalyzeInPlace: a note long enough to be released while its facts
// stage runs (corpus notes laid end to end, 2 MB, as written and with CRLF
// line ends and curly quotes, which make the normalized text differ from
// the note) gives the JSON of Analyze, with and without the text layer, and
// the note comes back byte for byte.

#include <gtest/gtest.h>

#include <string>

#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "testing/model.h"

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

}  // namespace
}  // namespace suggest
