// Copyright libsuggest authors.
//
// The sections a live session reuses (text/sectionizer.h SectionReuse, issue
// 16) are FindSections of the whole text: every corpus note (the reserved
// gold notes left out) is edited at random places - a character typed or
// deleted, a range deleted or replaced by a piece of the note, a header
// typed ("\nIMPRESSION:\n"), a ':' deleted, the case of a header's letter
// changed - and after each edit FindSections with the previous text's
// sections must equal FindSections from scratch. Each step reuses the
// previous step's (reused) sections, as a session does.

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "testing/corpus.h"
#include "testing/edits.h"
#include "text/normalize.h"
#include "text/sectionizer.h"

namespace suggest {
namespace {

using testing::Boundary;

bool SameSections(const std::vector<Section>& a, const std::vector<Section>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || !(a[i].header == b[i].header) || !(a[i].body == b[i].body))
      return false;
  return true;
}

// Changes the case of one letter of a random header of `sections` (an
// ALL-CAPS header stops being one; a capitalized one may stop being a header).
void FlipHeaderCase(std::mt19937& rng, const std::vector<Section>& sections, std::string* text) {
  std::vector<const Section*> headers;
  for (const Section& s : sections)
    if (!s.header.empty()) headers.push_back(&s);
  if (headers.empty()) return;
  const Section& s =
      *headers[std::uniform_int_distribution<size_t>(0, headers.size() - 1)(rng)];
  const size_t at = std::uniform_int_distribution<size_t>(s.header.begin, s.header.end - 1)(rng);
  char& c = (*text)[at];
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

// One random edit of `text` (the note's original text is `note`).
void Edit(std::mt19937& rng, int step, const std::string& note,
          const std::vector<Section>& sections, std::string* text) {
  static const char* const kInserts[] = {"a", " ", ".", "\n", "\n\n", ". The", ",", ":",
                                         "\nIMPRESSION:\n", "\n\nHISTORY: ", "PLAN:",
                                         "HEENT: ", "MRI L-spine: ", "1.  ", "Dr. ",
                                         ",PHYSICAL EXAMINATION:,"};
  const int what = std::uniform_int_distribution<int>(0, 5)(rng);
  const size_t b = Boundary(rng, *text, 0, text->size());
  if (what == 0) {  // delete one character or a range
    const size_t e = Boundary(rng, *text, b, std::min(text->size(), b + (step % 2 ? 1 : 60)));
    text->erase(b, e - b);
  } else if (what == 1) {  // replace a range with a piece of the note
    const size_t e = Boundary(rng, *text, b, std::min(text->size(), b + 30));
    const size_t pb = Boundary(rng, note, 0, note.size());
    const size_t pe = Boundary(rng, note, pb, std::min(note.size(), pb + 40));
    text->replace(b, e - b, note.substr(pb, pe - pb));
  } else if (what == 2) {  // delete a ':' (often a header's)
    const size_t c = text->find(':', b);
    if (c != std::string::npos) text->erase(c, 1);
  } else if (what == 3) {
    FlipHeaderCase(rng, sections, text);
  } else {  // type something
    const size_t k = std::uniform_int_distribution<size_t>(0, std::size(kInserts) - 1)(rng);
    text->insert(b, kInserts[k]);
  }
}

TEST(SectionReuseCorpusTest, ReusedSectionsEqualFullSections) {
  const auto all = testing::LoadCorpus();
  if (all.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const auto reserved = testing::ReservedIds();
  auto rules = internal::SectionRules::Load(std::string(SUGGEST_MODELS_DIR) + "/sections.toml");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const internal::NormalizedText unused;  // FindSections reads bytes only
  std::mt19937 rng(16);
  size_t notes = 0;
  uint64_t scanned = 0, total = 0;
  for (const auto& note : all) {
    if (reserved.count(note.id) || note.text.empty()) continue;
    ++notes;
    std::string text = note.text;
    std::vector<Section> sections = internal::FindSections(text, unused, *rules);
    for (int step = 0; step < 8; ++step) {
      const std::string before = text;
      Edit(rng, step, note.text, sections, &text);
      std::vector<Section> got =
          internal::FindSections(text, *rules, {before, &sections}, &scanned);
      total += text.size();
      const std::vector<Section> want = internal::FindSections(text, unused, *rules);
      ASSERT_TRUE(SameSections(got, want)) << "note " << note.id << " step " << step;
      sections = std::move(got);
    }
  }
  ASSERT_GT(notes, 1000u);
  std::printf("section reuse: %zu notes, %zu edits, header scan read %llu of %llu bytes\n",
              notes, notes * 8, static_cast<unsigned long long>(scanned),
              static_cast<unsigned long long>(total));
  EXPECT_LT(scanned, total / 4);  // a window around each edit, not the note
}

}  // namespace
}  // namespace suggest
