// Copyright libsuggest authors.
//
// session_bench: the cost of a live session's edit (issue 16), beside a full
// Model::Analyze of the same text (docs/performance.md "Live sessions").
//
//   build/bench/session_bench [--notes N] [--keystrokes K] [--seed S] [--with-facts]
//
// --with-facts: only notes whose Analyze finds a fact (the notes whose every
// keystroke runs the facts stage: the tail of the spine rows), for profiles.
//
// Rows, from one run:
//   edit + Result() / Analyze   corpus notes of 4 KB and more: per note, the
//                               median time of one edit (one character
//                               typed at a random place of the note) plus
//                               Result(), over the median time of Analyze
//                               of the same text; the median and p90 of that
//                               ratio over the notes.
//   per keystroke               corpus notes of at most 10 KB (>= 200
//                               bytes): K keystrokes each (a character typed
//                               at a random place, sometimes a deletion),
//                               Edit + Result() timed one by one; median,
//                               p90, p99, max over all keystrokes.
// Both over spine notes (corpus/spine_ids.txt) and the others. The reserved
// gold notes (gold/reserved_ids.txt) are left out. On both sides the clock
// stops when the call returns: the Result it returned is the caller's, freed
// after (Analyze's always was; a session's is freed the same way since
// 2026-12-06, where before its temporary was freed inside the timed
// expression). Times are wall time of one
// thread (steady_clock); run it on an idle machine, or read the ratio, which
// a busy machine disturbs less than the absolute times.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "long_note.h"
#include "suggest/suggest.h"

namespace {

using Clock = std::chrono::steady_clock;

double Micros(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5));
  return v[i];
}

bool OnBoundary(const std::string& s, size_t i) {
  return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

size_t RandomBoundary(std::mt19937& rng, const std::string& s) {
  size_t i = std::uniform_int_distribution<size_t>(0, s.size())(rng);
  while (i > 0 && !OnBoundary(s, i)) --i;
  return i;
}

struct Group {
  const char* name;
  std::vector<const bench::Note*> notes;
};

}  // namespace

int main(int argc, char** argv) {
  size_t max_notes = 150;
  int keystrokes = 40;
  unsigned seed = 16;
  bool with_facts = false;
  for (int i = 1; i < argc; ++i) {
    auto arg = [&](const char* name) {
      return std::strcmp(argv[i], name) == 0 && i + 1 < argc ? argv[++i] : nullptr;
    };
    if (const char* v = arg("--notes")) {
      max_notes = std::strtoul(v, nullptr, 10);
    } else if (const char* v = arg("--keystrokes")) {
      keystrokes = std::atoi(v);
    } else if (const char* v = arg("--seed")) {
      seed = static_cast<unsigned>(std::strtoul(v, nullptr, 10));
    } else if (std::strcmp(argv[i], "--with-facts") == 0) {
      with_facts = true;
    } else {
      std::fprintf(stderr,
                   "usage: session_bench [--notes N] [--keystrokes K] [--seed S] "
                   "[--with-facts]\n");
      return 2;
    }
  }
  const std::string shared = SUGGEST_SHARED_DIR;
  const auto corpus =
      bench::LoadCorpus(shared + "/corpus/mtsamples.jsonl", shared + "/corpus/spine_ids.txt");
  if (corpus.empty()) {
    std::fprintf(stderr, "session_bench: no corpus under %s\n", shared.c_str());
    return 1;
  }
  std::set<std::string> reserved;
  {
    std::ifstream in(shared + "/gold/reserved_ids.txt");
    for (std::string id; std::getline(in, id);) reserved.insert(id);
  }
  auto model = suggest::Model::Load(SUGGEST_MODELS_DIR, suggest::LoadOptions{0, suggest::DefaultCacheDir()});
  if (!model.ok()) {
    std::fprintf(stderr, "session_bench: %s\n", model.status().ToString().c_str());
    return 3;
  }
  const suggest::AnalyzeOptions opts;  // the defaults: text layer, bytes
  std::mt19937 rng(seed);

  // Notes in a fixed shuffled order, so a cap takes a spread of specialties.
  std::vector<const bench::Note*> order;
  size_t left_out = 0;
  for (const auto& n : corpus) {
    if (reserved.count(n.id)) {
      ++left_out;
      continue;
    }
    if (with_facts) {
      auto r = model->Analyze(n.text, opts);
      if (!r.ok() || r->facts.empty()) continue;
    }
    order.push_back(&n);
  }
  std::shuffle(order.begin(), order.end(), std::mt19937(seed));

  std::printf("session_bench: %zu corpus notes (%zu reserved left out%s), seed %u\n",
              corpus.size(), left_out, with_facts ? ", only notes with facts" : "", seed);
  std::printf("%-30s %-9s %6s %12s %14s %8s %8s\n", "row", "notes", "count", "analyze_us",
              "edit+result_us", "ratio", "p90");

  // Row 1: one edit + Result() against Analyze, notes >= 4 KB.
  for (bool spine : {true, false}) {
    std::vector<double> ratios, analyze_us, edit_us;
    for (const bench::Note* n : order) {
      if (n->spine != spine || n->text.size() < 4096) continue;
      if (ratios.size() >= max_notes) break;
      std::vector<double> a, e;
      for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = Clock::now();
        auto r = model->Analyze(n->text, opts);
        const auto t1 = Clock::now();
        if (!r.ok()) break;
        a.push_back(Micros(t0, t1));
      }
      if (a.empty()) continue;
      suggest::Session s(*model, opts);
      if (!s.Edit(0, 0, n->text).ok() || !s.Result().ok()) continue;
      for (int rep = 0; rep < 5; ++rep) {
        const size_t at = RandomBoundary(rng, s.Text());
        const auto t0 = Clock::now();
        const bool edited = s.Edit(at, at, "e").ok();
        const auto r = s.Result();
        const auto t1 = Clock::now();
        if (!edited || !r.ok()) break;
        e.push_back(Micros(t0, t1));
      }
      if (e.empty()) continue;
      const double am = Percentile(a, 0.5), em = Percentile(e, 0.5);
      analyze_us.push_back(am);
      edit_us.push_back(em);
      ratios.push_back(em / am);
    }
    std::printf("%-30s %-9s %6zu %12.1f %14.1f %8.3f %8.3f\n", "edit+Result()/Analyze >=4KB",
                spine ? "spine" : "other", ratios.size(), Percentile(analyze_us, 0.5),
                Percentile(edit_us, 0.5), Percentile(ratios, 0.5), Percentile(ratios, 0.9));
  }

  // Row 2: per keystroke, notes <= 10 KB.
  std::printf("\n%-30s %-9s %6s %10s %10s %10s %10s\n", "row", "notes", "keys", "median_us",
              "p90_us", "p99_us", "max_us");
  for (bool spine : {true, false}) {
    std::vector<double> keys;
    size_t used = 0;
    for (const bench::Note* n : order) {
      if (n->spine != spine || n->text.size() > 10240 || n->text.size() < 200) continue;
      if (used >= max_notes) break;
      ++used;
      suggest::Session s(*model, opts);
      if (!s.Edit(0, 0, n->text).ok() || !s.Result().ok()) continue;
      for (int k = 0; k < keystrokes; ++k) {
        const std::string& t = s.Text();
        const bool del = k % 5 == 4 && t.size() > 1;
        size_t at = RandomBoundary(rng, t);
        size_t end = at;
        if (del) {
          if (at == t.size()) --at;
          while (at > 0 && !OnBoundary(t, at)) --at;
          end = at + 1;
          while (!OnBoundary(t, end)) ++end;
        }
        const auto t0 = Clock::now();
        const bool edited = s.Edit(at, end, del ? "" : "a").ok();
        const auto r = s.Result();
        const auto t1 = Clock::now();
        if (edited && r.ok()) keys.push_back(Micros(t0, t1));
      }
    }
    std::printf("%-30s %-9s %6zu %10.1f %10.1f %10.1f %10.1f\n", "keystroke <=10KB",
                spine ? "spine" : "other", keys.size(), Percentile(keys, 0.5),
                Percentile(keys, 0.9), Percentile(keys, 0.99), Percentile(keys, 1.0));
  }
  return 0;
}
