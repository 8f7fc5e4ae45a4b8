// Copyright libsuggest authors.
//
// The corpus as the benches read it, and the long notes of the growth rows of
// corpus_bench and growth_bench (real notes laid end to end), so both benches
// measure the same texts.

#ifndef LIBSUGGEST_BENCH_LONG_NOTE_H_
#define LIBSUGGEST_BENCH_LONG_NOTE_H_

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace bench {

struct Note {
  std::string id;
  std::string text;
  bool spine = false;  // its id is in the spine id list
};

// The corpus JSONL (integer or string ids), each note marked spine when its id
// is a line of the spine id file. Empty if the corpus cannot be read.
inline std::vector<Note> LoadCorpus(const std::string& corpus_path,
                                    const std::string& spine_ids_path) {
  std::set<std::string> spine;
  std::ifstream ids(spine_ids_path);
  for (std::string id; std::getline(ids, id);) spine.insert(id);
  std::vector<Note> notes;
  std::ifstream in(corpus_path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    Note n;
    n.id = j.at("id").is_string() ? j.at("id").get<std::string>()
                                   : std::to_string(j.at("id").get<long>());
    n.text = j.at("text").get<std::string>();
    n.spine = spine.count(n.id) > 0;
    notes.push_back(std::move(n));
  }
  return notes;
}

// s cut to at most `size` bytes at a UTF-8 character boundary.
inline std::string Prefix(std::string s, size_t size) {
  if (s.size() <= size) return s;
  while (size > 0 && (static_cast<unsigned char>(s[size]) & 0xC0) == 0x80) --size;
  s.resize(size);
  return s;
}

// Real notes laid end to end (blank line between): corpus[start], then the
// corpus in one fixed shuffled order (again if needed), cut to `size` bytes
// at a UTF-8 character boundary. The corpus is grouped by specialty, so notes
// taken in id order would make a 10 MB note far richer in spine vocabulary
// than a 1 MB one; shuffled, every size past a few notes has the corpus's
// mix, and ns/B compares length alone.
inline std::string LongNote(const std::vector<Note>& corpus, size_t start, uint64_t size) {
  std::vector<size_t> order(corpus.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(7);  // fixed: the same notes in every run
  std::shuffle(order.begin(), order.end(), rng);
  std::string s = corpus[start].text;
  s.reserve(size + 32768);
  for (size_t k = 0; s.size() < size; k = (k + 1) % order.size()) {
    s += "\n\n";
    s += corpus[order[k]].text;
  }
  return Prefix(std::move(s), size);
}

}  // namespace bench

#endif  // LIBSUGGEST_BENCH_LONG_NOTE_H_
