// Copyright libsuggest authors.
//
// Helpers shared by the tokenizer / sectionizer / sentence splitter tests.

#ifndef LIBSUGGEST_TESTS_UNIT_TEXT_TEXT_TEST_UTIL_H_
#define LIBSUGGEST_TESTS_UNIT_TEXT_TEXT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/normalize.h"
#include "text/sectionizer.h"
#include "text/sentence_splitter.h"
#include "text/tokenizer.h"

namespace suggest::internal::testing {

inline const Normalizer& SharedNormalizer() {
  static const std::shared_ptr<const Normalizer> n = [] {
    auto r = Normalizer::Create();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : nullptr;
  }();
  return *n;
}

inline NormalizedText Norm(std::string_view s) {
  auto r = SharedNormalizer().Normalize(s, InvalidUtf8Policy::kError);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : NormalizedText{};
}

inline const SectionRules& DefaultRules() {
  static const SectionRules rules = [] {
    auto r = SectionRules::Load(std::string(SUGGEST_MODELS_DIR) +
                                "/sections.toml");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SectionRules();
  }();
  return rules;
}

struct Analyzed {
  NormalizedText nt;
  std::vector<Section> sections;
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;
};

inline Analyzed AnalyzeText(std::string_view text) {
  Analyzed a;
  a.nt = Norm(text);
  a.sections = FindSections(text, a.nt, DefaultRules());
  a.tokens = Tokenize(a.nt);
  a.sentences = SplitSentences(text, a.nt, a.tokens, a.sections);
  return a;
}

inline std::string Text(std::string_view s, Span sp) {
  return std::string(s.substr(sp.begin, sp.size()));
}

inline std::vector<std::string> SentenceTexts(std::string_view text) {
  std::vector<std::string> out;
  for (const Sentence& s : AnalyzeText(text).sentences) {
    out.push_back(Text(text, s.span));
  }
  return out;
}

}  // namespace suggest::internal::testing

#endif  // LIBSUGGEST_TESTS_UNIT_TEXT_TEXT_TEST_UTIL_H_
