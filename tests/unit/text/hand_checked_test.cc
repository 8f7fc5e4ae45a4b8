// Copyright libsuggest authors.
//
// Section and sentence accuracy on corpus notes read and segmented by hand.
// tests/data/hand_checked/sentences.jsonl holds, per note id, the expected
// section kinds in order and, for each section, the opening words of every
// sentence (written from reading the note, not from program output). A
// sentence boundary counts as exact when a predicted sentence starts at the
// same byte as the expected one (the end follows: it is the trimmed text up
// to the next start). A record's optional "change" says what was changed in it
// after it was written (issue 13's discharge_diagnosis and hospital_course
// section kinds).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "text_test_util.h"

namespace suggest::internal {
namespace {

using nlohmann::json;

std::map<int, std::string> LoadCorpus(const std::set<int>& ids) {
  std::map<int, std::string> out;
  std::ifstream in(std::string(SUGGEST_SHARED_DIR) + "/corpus/mtsamples.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line);
    const int id = j.at("id").get<int>();
    if (ids.count(id)) out[id] = j.at("text").get<std::string>();
  }
  return out;
}

// Longest common subsequence length of two kind sequences.
size_t Lcs(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = a[i - 1] == b[j - 1] ? d[i - 1][j - 1] + 1
                                     : std::max(d[i - 1][j], d[i][j - 1]);
    }
  }
  return d[a.size()][b.size()];
}

TEST(HandCheckedTest, SectionsAndSentencesOnCorpusNotes) {
  std::ifstream in(std::string(SUGGEST_TESTDATA_DIR) + "/hand_checked/sentences.jsonl");
  ASSERT_TRUE(in) << "missing hand_checked/sentences.jsonl";
  std::vector<json> recs;
  std::set<int> ids;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    recs.push_back(json::parse(line));
    ids.insert(recs.back().at("id").get<int>());
  }
  ASSERT_GE(recs.size(), 20u);
  const auto corpus = LoadCorpus(ids);
  if (corpus.empty()) GTEST_SKIP() << "corpus not available";

  size_t total_expected = 0, total_predicted = 0, total_exact = 0;
  size_t kinds_expected = 0, kinds_predicted = 0, kinds_matched = 0;
  int notes_all_exact = 0;
  std::printf("%-6s %5s %5s %5s %7s  %s\n", "id", "exp", "pred", "exact", "sectn",
              "note");
  for (const json& r : recs) {
    const int id = r.at("id").get<int>();
    SCOPED_TRACE("note " + std::to_string(id));
    ASSERT_TRUE(corpus.count(id));
    const std::string& text = corpus.at(id);
    auto a = testing::AnalyzeText(text);

    // Expected sentence starts: each opening found in order in the note.
    std::vector<std::string> exp_kinds;
    std::set<uint32_t> exp_starts;
    size_t cursor = 0;
    for (const json& sec : r.at("sections")) {
      exp_kinds.push_back(sec.at("kind").get<std::string>());
      for (const json& opening : sec.at("sentences")) {
        const std::string o = opening.get<std::string>();
        const size_t pos = text.find(o, cursor);
        ASSERT_NE(pos, std::string::npos) << "opening not found: " << o;
        exp_starts.insert(static_cast<uint32_t>(pos));
        cursor = pos + 1;
      }
    }
    std::set<uint32_t> pred_starts;
    for (const Sentence& s : a.sentences) pred_starts.insert(s.span.begin);
    std::vector<std::string> pred_kinds;
    for (const Section& s : a.sections) pred_kinds.push_back(s.kind);

    size_t exact = 0;
    for (uint32_t p : exp_starts) exact += pred_starts.count(p);
    const size_t kinds_ok = Lcs(exp_kinds, pred_kinds);
    total_expected += exp_starts.size();
    total_predicted += pred_starts.size();
    total_exact += exact;
    kinds_expected += exp_kinds.size();
    kinds_predicted += pred_kinds.size();
    kinds_matched += kinds_ok;
    const bool all_exact = exact == exp_starts.size() &&
                           exact == pred_starts.size() && exp_kinds == pred_kinds;
    notes_all_exact += all_exact;
    std::printf("%-6d %5zu %5zu %5zu %3zu/%-3zu  %s%s\n", id, exp_starts.size(),
                pred_starts.size(), exact, kinds_ok, exp_kinds.size(),
                r.value("note", "").c_str(),
                r.contains("known_disagreement") ? "  [known disagreement]" : "");
    if (!all_exact && !r.contains("known_disagreement")) {
      for (uint32_t p : exp_starts) {
        if (!pred_starts.count(p)) {
          ADD_FAILURE() << "missed start: " << text.substr(p, 40);
        }
      }
      for (uint32_t p : pred_starts) {
        if (!exp_starts.count(p)) {
          ADD_FAILURE() << "extra start: " << text.substr(p, 40);
        }
      }
      if (exp_kinds != pred_kinds) {
        std::string e, g;
        for (auto& k : exp_kinds) e += k + " ";
        for (auto& k : pred_kinds) g += k + " ";
        ADD_FAILURE() << "kinds differ\n expected: " << e << "\n      got: " << g;
      }
    }
  }
  const double precision = double(total_exact) / std::max<size_t>(1, total_predicted);
  const double recall = double(total_exact) / std::max<size_t>(1, total_expected);
  const double f1 = 2 * precision * recall / std::max(1e-9, precision + recall);
  const double kp = double(kinds_matched) / std::max<size_t>(1, kinds_predicted);
  const double kr = double(kinds_matched) / std::max<size_t>(1, kinds_expected);
  std::printf("sentence starts: expected %zu, predicted %zu, exact %zu -> "
              "P %.4f R %.4f F1 %.4f\n",
              total_expected, total_predicted, total_exact, precision, recall, f1);
  std::printf("section kinds (in order): expected %zu, predicted %zu, matched %zu "
              "-> P %.4f R %.4f\n",
              kinds_expected, kinds_predicted, kinds_matched, kp, kr);
  std::printf("notes fully exact: %d of %zu\n", notes_all_exact, recs.size());
  EXPECT_GE(recall, 0.95);
  EXPECT_GE(precision, 0.95);
  EXPECT_GE(kr, 0.95);
  EXPECT_GE(kp, 0.95);
}

}  // namespace
}  // namespace suggest::internal
