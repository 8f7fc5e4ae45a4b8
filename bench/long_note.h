// Copyright libsuggest authors.
//
// Long notes for the growth rows of corpus_bench and growth_bench: real notes
// laid end to end, so both benches measure the same texts.

#ifndef LIBSUGGEST_BENCH_LONG_NOTE_H_
#define LIBSUGGEST_BENCH_LONG_NOTE_H_

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace bench {

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
// mix, and ns/B compares length alone. Note: anything with a `text` string.
template <class Note>
std::string LongNote(const std::vector<Note>& corpus, size_t start, uint64_t size) {
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
