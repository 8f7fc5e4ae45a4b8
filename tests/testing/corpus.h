// Copyright libsuggest authors.
//
// Test helper: loads ../shared/corpus/mtsamples.jsonl (id, text).

#ifndef LIBSUGGEST_TESTS_TESTING_CORPUS_H_
#define LIBSUGGEST_TESTS_TESTING_CORPUS_H_

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace suggest::testing {

struct CorpusNote {
  std::string id;
  std::string text;
};

inline std::string CorpusPath() {
  return std::string(SUGGEST_SHARED_DIR) + "/corpus/mtsamples.jsonl";
}

// Empty if the corpus file is missing (callers GTEST_SKIP or fail as fits).
inline std::vector<CorpusNote> LoadCorpus() {
  std::vector<CorpusNote> notes;
  std::ifstream in(CorpusPath());
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    notes.push_back({std::to_string(j.at("id").get<long>()), j.at("text").get<std::string>()});
  }
  return notes;
}

// Ids of the notes reserved for evaluation (gold/reserved_ids.txt): tests
// that pick corpus notes skip them.
inline std::set<std::string> ReservedIds() {
  std::set<std::string> ids;
  std::ifstream in(std::string(SUGGEST_SHARED_DIR) + "/gold/reserved_ids.txt");
  for (std::string id; std::getline(in, id);) ids.insert(id);
  return ids;
}

}  // namespace suggest::testing

#endif  // LIBSUGGEST_TESTS_TESTING_CORPUS_H_
