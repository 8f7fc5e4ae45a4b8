// Copyright libsuggest authors.
//
// Issue 16 exactness property: corpus notes are typed into a Session in
// random chunks, with inserts, deletes and replacements in the middle, and
// after every few edits Session::Result() must give byte for byte the JSON
// of Model::Analyze on the session's text (or the same error). The notes:
// every one that mentions fusion vocabulary up to a cap (facts, timing,
// mapping), and a spread of the others (sections and sentences only). Seeds
// are fixed, so a failure names its note and step and replays.

#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "testing/edits.h"
#include "testing/model.h"

namespace suggest {
namespace {

// The reserved gold notes (gold/reserved_ids.txt) are never used here.
using testing::ReservedIds;

using testing::Boundary;
using testing::OnBoundary;

// A piece of `note` starting at a boundary, ending at one, at most n bytes.
std::string Piece(std::mt19937& rng, const std::string& note, size_t n) {
  if (note.empty()) return {};
  const size_t b = Boundary(rng, note, 0, note.size());
  const size_t e = Boundary(rng, note, b, std::min(note.size(), b + n));
  return note.substr(b, e - b);
}

std::string Json(StatusOr<Result>& r, const std::string& text, const AnalyzeOptions& o) {
  return r.ok() ? ResultToJson(*r, text, "n", o) : ErrorToJson("n", r.status());
}

struct Stats {
  size_t checks = 0, edits = 0;
};

// Types `note` into a session as a writer would, and checks it.
void TypeAndCheck(const std::string& id, const std::string& note, const AnalyzeOptions& o,
                  uint32_t seed, Stats* stats) {
  std::mt19937 rng(seed);
  Session s(testing::TheModel(), o);
  size_t typed = 0;  // bytes of the note appended so far
  int step = 0;
  // The script's offsets are bytes; the session counts in o.offset_unit.
  auto edit = [&](size_t b, size_t e, const std::string& with) {
    const std::string& t = s.Text();
    const uint32_t ub = ConvertOffset(t, static_cast<uint32_t>(b), o.offset_unit);
    const uint32_t ue = ConvertOffset(t, static_cast<uint32_t>(e), o.offset_unit);
    return s.Edit(ub, ue, with).ok();
  };
  auto check = [&] {
    ++stats->checks;
    auto got = s.Result();
    auto want = testing::TheModel().Analyze(s.Text(), o);
    ASSERT_EQ(Json(got, s.Text(), o), Json(want, s.Text(), o))
        << "note " << id << " seed " << seed << " step " << step;
  };
  while (typed < note.size() || step % 4 != 0) {
    ++step;
    ++stats->edits;
    const int what = std::uniform_int_distribution<int>(0, 9)(rng);
    const std::string& t = s.Text();
    if (what < 6 && typed < note.size()) {
      // Type the next chunk at the end.
      const size_t n = std::uniform_int_distribution<size_t>(1, 120)(rng);
      const size_t e = Boundary(rng, note, typed, std::min(note.size(), typed + n));
      const size_t end = e > typed ? e : std::min(note.size(), typed + n);
      size_t stop = end;
      while (stop < note.size() && !OnBoundary(note, stop)) ++stop;
      ASSERT_TRUE(edit(t.size(), t.size(), note.substr(typed, stop - typed)));
      typed = stop;
    } else if (what < 7) {
      // Insert a piece of the note in the middle.
      const size_t at = Boundary(rng, t, 0, t.size());
      ASSERT_TRUE(edit(at, at, Piece(rng, note, 60)));
    } else if (what < 8) {
      // Delete a range.
      const size_t b = Boundary(rng, t, 0, t.size());
      const size_t e = Boundary(rng, t, b, std::min(t.size(), b + 80));
      ASSERT_TRUE(edit(b, e, ""));
    } else {
      // Replace a range with a piece of the note, or with spine words.
      static const char* const kWords[] = {"fusion", "L4-L5 ", "s/p ", "no ",
                                           "ankylosing spondylitis", "\n\nHISTORY: ",
                                           "IMPRESSION: ", "possible ", "family history of "};
      const size_t b = Boundary(rng, t, 0, t.size());
      const size_t e = Boundary(rng, t, b, std::min(t.size(), b + 40));
      const std::string with =
          what == 8 ? Piece(rng, note, 40)
                    : kWords[std::uniform_int_distribution<size_t>(0, 8)(rng)];
      ASSERT_TRUE(edit(b, e, with));
    }
    if (step % 4 == 0) {
      check();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  // Finally: the note itself, retyped over whatever the edits left.
  ASSERT_TRUE(edit(0, s.Text().size(), note));
  check();
}

TEST(SessionCorpusTest, RandomEditScriptsMatchAnalyze) {
  const auto all = testing::LoadCorpus();
  if (all.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const std::set<std::string> reserved = ReservedIds();
  std::vector<const testing::CorpusNote*> notes;
  size_t spine = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (reserved.count(all[i].id)) continue;
    const std::string& t = all[i].text;
    const bool fusion = t.find("fusion") != std::string::npos ||
                        t.find("ankylos") != std::string::npos ||
                        t.find("fused") != std::string::npos;
    if (fusion && spine < 80 && i % 3 == 0) {
      notes.push_back(&all[i]);
      ++spine;
    } else if (i % 200 == 7) {
      notes.push_back(&all[i]);
    }
  }
  ASSERT_GE(notes.size(), 40u);
  Stats stats;
  for (size_t k = 0; k < notes.size(); ++k) {
    AnalyzeOptions o;
    // Every fourth note without the text layer, every third in UTF-16.
    o.include_text_layer = k % 4 != 3;
    if (k % 3 == 2) o.offset_unit = OffsetUnit::kUtf16;
    if (k % 5 == 4) o.setting = Setting::kInpatient;
    SCOPED_TRACE(notes[k]->id);
    TypeAndCheck(notes[k]->id, notes[k]->text, o, 1000 + static_cast<uint32_t>(k), &stats);
    if (HasFatalFailure()) return;
  }
  std::printf("session property: %zu notes, %zu edits, %zu checks\n", notes.size(), stats.edits,
              stats.checks);
}

// The layout pass (text/layout.h) reads whole lines and blocks of lines, so
// a live session normalizes and splits such a note whole: the same property
// on corpus notes made into fax text, a page furniture block put between
// two words and words broken by a hyphen at a line end ("fu-\nsion").
std::string AsFax(const std::string& note) {
  std::string t = note;
  // Every "fusion" broken as a typesetter would, and one long word too.
  for (size_t at = t.find("fusion"); at != std::string::npos; at = t.find("fusion", at + 8))
    t.replace(at, 6, "fu-\nsion");
  for (size_t i = t.size() / 2, run = 0; i < t.size(); ++i) {
    run = std::isalpha(static_cast<unsigned char>(t[i])) ? run + 1 : 0;
    if (run == 10) {
      t.insert(i - 4, "-\n");
      break;
    }
  }
  // A page header between two words a third of the way in.
  const size_t sp = t.find(' ', t.size() / 3);
  if (sp != std::string::npos)
    t.replace(sp, 1,
              "\n----------------------------------------\nCity Spine   MRN 001234\n"
              "Page 2 of 3\n----------------------------------------\n");
  return t;
}

TEST(SessionCorpusTest, FaxTextMatchesAnalyze) {
  const auto all = testing::LoadCorpus();
  if (all.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const std::set<std::string> reserved = ReservedIds();
  Stats stats;
  size_t taken = 0;
  for (size_t i = 0; i < all.size() && taken < 24; ++i) {
    if (reserved.count(all[i].id) || all[i].text.find("fusion") == std::string::npos) continue;
    if (i % 2 != 0) continue;
    AnalyzeOptions o;
    o.include_text_layer = taken % 3 != 2;
    if (taken % 4 == 1) o.offset_unit = OffsetUnit::kUtf16;
    SCOPED_TRACE(all[i].id);
    TypeAndCheck(all[i].id, AsFax(all[i].text), o, 7000 + static_cast<uint32_t>(taken), &stats);
    if (HasFatalFailure()) return;
    ++taken;
  }
  EXPECT_GE(taken, 10u);
  std::printf("session property, fax text: %zu notes, %zu edits, %zu checks\n", taken,
              stats.edits, stats.checks);
}

}  // namespace
}  // namespace suggest
