// Copyright libsuggest authors.
//
// Offset properties over every note of the MTSamples corpus:
//  - every token's original span, normalized again, equals the token's
//    normalized text;
//  - token, sentence and section spans are in bounds, ordered, and never
//    split a UTF-8 sequence of the original;
//  - the same holds for CRLF, NBSP and en-dash variants of each note, which
//    exercise the non-identity offset maps.

#include <gtest/gtest.h>

#include <string>

#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "text/normalize.h"
#include "text/tokenizer.h"
#include "testing/model.h"

namespace suggest {
namespace {

bool IsCodePointBoundary(std::string_view s, uint32_t pos) {
  if (pos == 0 || pos >= s.size()) return pos <= s.size();
  return (static_cast<unsigned char>(s[pos]) & 0xC0) != 0x80;
}

// Variants of a note that change its bytes but not its meaning.
std::string WithCrlf(const std::string& t) {
  std::string out;
  for (char c : t) {
    if (c == '\n') out += '\r';
    out += c;
  }
  // The corpus joins sections with ",": make some real line breaks too.
  std::string r;
  for (size_t i = 0; i < out.size(); ++i) {
    r += out[i];
    if (out[i] == ',' && i + 1 < out.size() && out[i + 1] >= 'A' && out[i + 1] <= 'Z') r += "\r\n";
  }
  return r;
}

std::string WithUnicodeSpacesAndDashes(const std::string& t) {
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '-') {
      out += "\xE2\x80\x93";  // en dash
    } else if (t[i] == ' ' && i % 7 == 0) {
      out += "\xC2\xA0";  // NBSP
    } else if (t[i] >= '0' && t[i] <= '9' && i % 5 == 0) {
      out += "\xEF\xBC";  // full-width digit: U+FF10 + d
      out += static_cast<char>(0x90 + (t[i] - '0'));
    } else {
      out += t[i];
    }
  }
  return out;
}

class CorpusOffsets : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new std::vector<testing::CorpusNote>(testing::LoadCorpus());
    auto m = Model::Load(SUGGEST_MODELS_DIR, suggest::testing::CachedLoadOptions());
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    model_ = new Model(*m);
    auto n = internal::Normalizer::Create();
    ASSERT_TRUE(n.ok());
    normalizer_ = new std::shared_ptr<const internal::Normalizer>(*n);
  }
  static void TearDownTestSuite() {
    delete corpus_;
    delete model_;
    delete normalizer_;
  }

  // Checks all invariants on one text; returns the number of tokens checked.
  static size_t CheckText(const std::string& id, const std::string& text) {
    const auto& normalizer = **normalizer_;
    auto nt = normalizer.Normalize(text, InvalidUtf8Policy::kError);
    EXPECT_TRUE(nt.ok()) << id << ": " << nt.status().ToString();
    if (!nt.ok()) return 0;
    const auto tokens = internal::Tokenize(*nt);
    uint32_t prev_end = 0;
    for (const auto& t : tokens) {
      const std::string_view norm_tok(nt->text.data() + t.norm_begin, t.norm_end - t.norm_begin);
      EXPECT_LE(prev_end, t.span.begin) << id;
      EXPECT_LT(t.span.begin, t.span.end) << id;
      EXPECT_LE(t.span.end, text.size()) << id;
      EXPECT_TRUE(IsCodePointBoundary(text, t.span.begin)) << id << " @" << t.span.begin;
      EXPECT_TRUE(IsCodePointBoundary(text, t.span.end)) << id << " @" << t.span.end;
      auto again = normalizer.Normalize(std::string_view(text).substr(t.span.begin, t.span.size()),
                                        InvalidUtf8Policy::kError);
      EXPECT_TRUE(again.ok());
      if (again.ok() && again->text != norm_tok) {
        ADD_FAILURE() << id << ": token [" << t.span.begin << "," << t.span.end
                      << ") normalizes to '" << again->text << "' but token is '" << norm_tok
                      << "'";
        return tokens.size();  // one report per text is enough
      }
      prev_end = t.span.end;
    }

    auto r = model_->Analyze(text);
    EXPECT_TRUE(r.ok()) << id << ": " << r.status().ToString();
    if (!r.ok()) return tokens.size();
    uint32_t prev = 0;
    for (const auto& s : r->sections) {
      EXPECT_LE(s.header.begin, s.header.end) << id;
      EXPECT_LE(s.header.end, s.body.begin) << id;
      EXPECT_LE(s.body.begin, s.body.end) << id;
      EXPECT_LE(s.body.end, text.size()) << id;
      EXPECT_LE(prev, s.header.begin) << id;
      for (uint32_t p : {s.header.begin, s.header.end, s.body.begin, s.body.end})
        EXPECT_TRUE(IsCodePointBoundary(text, p)) << id << " section @" << p;
      prev = s.body.end;
    }
    prev = 0;
    for (const auto& s : r->sentences) {
      EXPECT_LE(prev, s.span.begin) << id;
      EXPECT_LT(s.span.begin, s.span.end) << id;
      EXPECT_LE(s.span.end, text.size()) << id;
      EXPECT_TRUE(IsCodePointBoundary(text, s.span.begin)) << id;
      EXPECT_TRUE(IsCodePointBoundary(text, s.span.end)) << id;
      if (s.section >= 0) {
        EXPECT_LT(s.section, static_cast<int>(r->sections.size())) << id;
        const auto& sec = r->sections[s.section];
        EXPECT_GE(s.span.begin, sec.body.begin) << id;
        EXPECT_LE(s.span.end, sec.body.end) << id;
      }
      prev = s.span.end;
    }
    return tokens.size();
  }

  static std::vector<testing::CorpusNote>* corpus_;
  static Model* model_;
  static std::shared_ptr<const internal::Normalizer>* normalizer_;
};

std::vector<testing::CorpusNote>* CorpusOffsets::corpus_ = nullptr;
Model* CorpusOffsets::model_ = nullptr;
std::shared_ptr<const internal::Normalizer>* CorpusOffsets::normalizer_ = nullptr;

TEST_F(CorpusOffsets, EveryNoteAsIs) {
  ASSERT_GE(corpus_->size(), 4000u) << "corpus missing at " << testing::CorpusPath();
  size_t tokens = 0;
  for (const auto& n : *corpus_) tokens += CheckText(n.id, n.text);
  EXPECT_GT(tokens, 1000000u);
}

TEST_F(CorpusOffsets, EveryNoteWithCrlf) {
  ASSERT_GE(corpus_->size(), 4000u);
  for (const auto& n : *corpus_) CheckText(n.id + "/crlf", WithCrlf(n.text));
}

TEST_F(CorpusOffsets, EveryNoteWithUnicodeSpacesDashesDigits) {
  ASSERT_GE(corpus_->size(), 4000u);
  for (const auto& n : *corpus_) CheckText(n.id + "/unicode", WithUnicodeSpacesAndDashes(n.text));
}

}  // namespace
}  // namespace suggest
