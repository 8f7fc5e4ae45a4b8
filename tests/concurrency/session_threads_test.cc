// Copyright libsuggest authors.
//
// Many Sessions sharing one Model across threads (issue 16 item 4): each
// thread types its own notes into its own sessions, and every result must
// equal the single-threaded Analyze of the same text. Labelled tsan with the
// other concurrency tests: under scripts/test.sh --tsan a data race is a
// ThreadSanitizer report, which fails the test.

#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "testing/model.h"

namespace suggest {
namespace {

// The reserved gold notes (gold/reserved_ids.txt) are never used here.
using testing::ReservedIds;

// A few dozen corpus notes, most with fusion vocabulary, cut to 3 KB so the
// test stays quick under ThreadSanitizer.
std::vector<std::string> SessionNotes() {
  std::vector<std::string> out;
  const auto all = testing::LoadCorpus();
  const std::set<std::string> reserved = ReservedIds();
  for (size_t i = 0; i < all.size() && out.size() < 24; ++i) {
    if (reserved.count(all[i].id)) continue;
    const bool spine = all[i].text.find("fusion") != std::string::npos;
    if (spine || i % 250 == 0) {
      std::string t = all[i].text.substr(0, 3000);
      while (!t.empty() && (static_cast<unsigned char>(t.back()) & 0xC0) == 0x80) t.pop_back();
      if (!t.empty() && static_cast<unsigned char>(t.back()) >= 0xC0) t.pop_back();
      out.push_back(t);
    }
  }
  return out;
}

std::string Json(const StatusOr<Result>& r, std::string_view text, const AnalyzeOptions& o) {
  return r.ok() ? ResultToJson(*r, text, "s", o) : ErrorToJson("s", r.status());
}

TEST(SessionThreadsTest, SessionsOnOneModelAcrossThreads) {
  const std::vector<std::string> notes = SessionNotes();
  if (notes.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const Model& model = testing::TheModel();

  // Each note typed in chunks of 400 bytes; the expected JSON after each.
  constexpr size_t kChunk = 400;
  std::vector<std::vector<std::string>> want(notes.size());
  for (size_t i = 0; i < notes.size(); ++i) {
    for (size_t n = kChunk;; n += kChunk) {
      std::string prefix = notes[i].substr(0, std::min(n, notes[i].size()));
      while (prefix.size() < notes[i].size() &&
             (static_cast<unsigned char>(notes[i][prefix.size()]) & 0xC0) == 0x80)
        prefix += notes[i][prefix.size()];
      want[i].push_back(Json(model.Analyze(prefix, {}), prefix, {}));
      if (prefix.size() >= notes[i].size()) break;
    }
  }

  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      // Every thread types every note, each from its own starting note, with
      // two sessions open at once, edits interleaved.
      struct Typing {
        size_t note;
        Session session;
        size_t done = 0, step = 0;
      };
      for (size_t k = 0; k < notes.size(); k += 2) {
        std::vector<Typing> open;
        open.push_back({(k + t * 5) % notes.size(), Session(model)});
        open.push_back({(k + 1 + t * 5) % notes.size(), Session(model)});
        for (bool busy = true; busy;) {
          busy = false;
          for (Typing& ty : open) {
            const std::string& note = notes[ty.note];
            if (ty.step >= want[ty.note].size()) continue;
            busy = true;
            size_t next = std::min(note.size(), ty.done + kChunk);
            while (next < note.size() && (static_cast<unsigned char>(note[next]) & 0xC0) == 0x80)
              ++next;
            const size_t end = ty.session.Text().size();
            if (!ty.session.Edit(end, end, note.substr(ty.done, next - ty.done)).ok())
              ++mismatches[t];
            ty.done = next;
            if (Json(ty.session.Result(), ty.session.Text(), {}) != want[ty.note][ty.step])
              ++mismatches[t];
            ++ty.step;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace suggest
