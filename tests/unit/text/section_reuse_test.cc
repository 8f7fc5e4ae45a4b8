// Copyright libsuggest authors.
//
// FindSections with an earlier sectioning (text/sectionizer.h SectionReuse,
// issue 16) is FindSections of the whole text: synthetic notes dense in
// headers, sub-headers, joins, blank runs and invisible characters, edited
// at random with the same pieces, each step reusing the previous step's
// (reused) sections as a live session does. The corpus version is
// tests/corpus/section_reuse_test.cc.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "text/sectionizer.h"
#include "text_test_util.h"

namespace suggest::internal {
namespace {

using testing::DefaultRules;

std::string Describe(std::string_view text, const std::vector<Section>& sections) {
  std::string out;
  for (const Section& s : sections) {
    out += "{" + s.kind + " [" + std::to_string(s.header.begin) + "," +
           std::to_string(s.header.end) + ") '" +
           std::string(text.substr(s.header.begin, s.header.size())) + "' body [" +
           std::to_string(s.body.begin) + "," + std::to_string(s.body.end) + ")}\n";
  }
  return out;
}

bool Same(const std::vector<Section>& a, const std::vector<Section>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || !(a[i].header == b[i].header) || !(a[i].body == b[i].body))
      return false;
  return true;
}

// Pieces the notes are made of and edited with: headers of every rule
// (colon, own line, joined, imaging, sub-headers under enclosing kinds),
// things that look like headers, and the bytes the scan's decisions read.
const std::vector<std::string>& Pieces() {
  static const std::vector<std::string> kPieces = {
      "HISTORY OF PRESENT ILLNESS:", "PHYSICAL EXAMINATION:", "HEENT:", "Neck:", "NEURO:",
      "VITAL SIGNS:", "IMPRESSION:", "PLAN:", "Plan:", "MRI L-spine:", "MRI C-spine, 12/1/92:",
      "CT CERVICAL SPINE", "REVIEW OF SYSTEMS", "HX ,", ".,PHYSICAL EXAMINATION,VITAL SIGNS:",
      "EARS, NOSE, AND THROAT:", "FINDINGS", "Findings:", "Dr. Smith:", "HR: 80", "BP:120/80",
      "10:30", "The patient is a 45-year-old man", " with a C5-6 fusion", "Lungs clear",
      "e.g. this", "no. 5", "1. ", "2.  Item", "(ES)", "PREOPERATIVE DIAGNOSIS (ES):",
      "PAST MEDICAL/SURGICAL HISTORY:", "station/gait/coord:", "Back:", "SPINE:", "ABD,",
      "\n", "\n\n", "\r\n", ",", ", ", ".", ". ", ":", " ", "    ", "\t", ",  ,", " , ",
      "\xC2\xA0", "\xEF\xBB\xBF", "\xE2\x80\x8B", "\xC3\x89TAT:", "a", "A", "Z", "x",
      std::string(100, ' '), std::string(90, 'A') + ":", std::string(70, ' ') + ",X",
      "WORD WORD WORD WORD WORD WORD WORD:", "Allergies:", "MEDICATIONS", "Social history:"};
  return kPieces;
}

std::string Piece(std::mt19937& rng) {
  const auto& p = Pieces();
  return p[std::uniform_int_distribution<size_t>(0, p.size() - 1)(rng)];
}

// A random code-point boundary in [lo, hi].
size_t Boundary(std::mt19937& rng, const std::string& s, size_t lo, size_t hi) {
  size_t i = std::uniform_int_distribution<size_t>(lo, hi)(rng);
  while (i > lo && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

// One random edit of `text`, as a session makes them.
void Edit(std::mt19937& rng, std::string* text) {
  const int what = std::uniform_int_distribution<int>(0, 5)(rng);
  const size_t b = Boundary(rng, *text, 0, text->size());
  if (what == 0) {  // delete a character or a range
    const size_t e = Boundary(rng, *text, b, std::min(text->size(), b + (rng() % 2 ? 1 : 40)));
    text->erase(b, e - b);
  } else if (what == 1) {  // replace a range
    const size_t e = Boundary(rng, *text, b, std::min(text->size(), b + 20));
    text->replace(b, e - b, Piece(rng));
  } else if (what == 2) {  // delete the next ':' (a header goes away)
    const size_t c = text->find(':', b);
    if (c != std::string::npos) text->erase(c, 1);
  } else if (what == 3) {  // flip the case of a letter (ALL-CAPS or not)
    for (size_t i = b; i < text->size(); ++i) {
      char& c = (*text)[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      else continue;
      break;
    }
  } else {  // type something
    text->insert(b, Piece(rng));
  }
}

TEST(SectionReuseTest, ReusedSectionsEqualFullSections) {
  const SectionRules& rules = DefaultRules();
  const NormalizedText unused;  // FindSections reads bytes only
  std::mt19937 rng(1616);
  uint64_t scanned = 0, total = 0;
  for (int note = 0; note < 400; ++note) {
    std::string text;
    const int pieces = std::uniform_int_distribution<int>(0, 80)(rng);
    for (int k = 0; k < pieces; ++k) text += Piece(rng);
    std::vector<Section> sections = FindSections(text, unused, rules);
    for (int step = 0; step < 25; ++step) {
      const std::string before = text;
      Edit(rng, &text);
      std::vector<Section> got = FindSections(text, rules, {before, &sections}, &scanned);
      const std::vector<Section> want = FindSections(text, unused, rules);
      total += text.size();
      ASSERT_TRUE(Same(got, want)) << "note " << note << " step " << step << "\nbefore:\n"
                                   << before << "\nafter:\n"
                                   << text << "\ngot:\n"
                                   << Describe(text, got) << "want:\n"
                                   << Describe(text, want);
      sections = std::move(got);
    }
  }
  EXPECT_LT(scanned, total / 2);  // the scan re-reads a window, not the note
}

// The cases the restart and the resynchronisation have to get right, one by
// one: a header made or unmade by the edit, a sub-header whose enclosing
// section changes, the text start and end, and no earlier sections.
TEST(SectionReuseTest, EditsThatChangeHeaders) {
  const SectionRules& rules = DefaultRules();
  const NormalizedText unused;
  const std::string filler = std::string(300, 'x') + ". ";
  const std::string base = "Intro text. " + filler + "\nHISTORY: " + filler +
                           "\nHEENT: normal. " + filler + "\nNeck: supple. " + filler +
                           "\nPLAN: " + filler + "\nLungs: clear. " + filler;
  struct Case {
    size_t at, erase;
    std::string insert;
  };
  const size_t heent = base.find("\nHEENT");
  const size_t plan = base.find("PLAN");
  const std::vector<Case> cases = {
      {heent, 0, "\nPHYSICAL EXAMINATION:\n"},  // the sub-headers after it change kind
      {heent, 0, "\nIMPRESSION:\n"},
      {plan + 4, 1, ""},                        // "PLAN" loses its colon
      {plan, 1, "p"},                           // "pLAN:" is no header
      {0, 0, "HISTORY:\n"},                     // a header at the start
      {0, 5, ""},
      {base.size(), 0, "\nIMPRESSION:\nfusion"},  // at the end
      {base.size() - 3, 3, ""},
      {heent + 1, 0, ","},
      {base.find("HISTORY") + 7, 0, "\n"},
  };
  for (const Case& c : cases) {
    std::string text = base;
    text.replace(c.at, c.erase, c.insert);
    const std::vector<Section> earlier = FindSections(base, unused, rules);
    uint64_t scanned = 0;
    const std::vector<Section> got = FindSections(text, rules, {base, &earlier}, &scanned);
    const std::vector<Section> want = FindSections(text, unused, rules);
    EXPECT_TRUE(Same(got, want)) << "edit at " << c.at << " '" << c.insert << "'\ngot:\n"
                                 << Describe(text, got) << "want:\n"
                                 << Describe(text, want);
  }
  // A decision before the restart point that reads up to the edit: an
  // ALL-CAPS line whose run of blanks ends at the edited byte is a header
  // alone on its line only while that byte is a line break.
  const std::string caps = "Intro.\nABCDEFGHIJ KLMNOPQRS TUVWXYZAB" + std::string(120, ' ');
  for (const auto& [was, now] : {std::pair{"\nBody text.", "xBody text."},
                                 std::pair{"xBody text.", "\nBody text."}}) {
    const std::string before = caps + was + filler, after = caps + now + filler;
    const std::vector<Section> earlier = FindSections(before, unused, rules);
    const std::vector<Section> got = FindSections(after, rules, {before, &earlier});
    const std::vector<Section> want = FindSections(after, unused, rules);
    EXPECT_TRUE(Same(got, want)) << "got:\n" << Describe(after, got) << "want:\n"
                                 << Describe(after, want);
  }
  // No earlier sections: FindSections.
  const std::vector<Section> got = FindSections(base, rules, {"", nullptr});
  EXPECT_TRUE(Same(got, FindSections(base, unused, rules)));
}

}  // namespace
}  // namespace suggest::internal
