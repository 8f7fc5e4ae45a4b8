// Copyright libsuggest authors.
//
// The header prescreen (text/sectionizer.cc HeaderPrescreen) on every corpus
// note (the reserved gold notes left out): no byte where it turns away a
// candidate the rules take as a header (PrescreenMisses, each byte tried
// with every pair of the scan's flags), and FindSections equal to the
// unscreened scan. Each note is tried as written, with a line break after
// every sentence (own-line headers, line starts everywhere) and in upper
// case (ALL-CAPS runs everywhere, joined headers).

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "testing/corpus.h"
#include "text/normalize.h"
#include "text/sectionizer.h"

namespace suggest {
namespace {

bool SameSections(const std::vector<Section>& a, const std::vector<Section>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || !(a[i].header == b[i].header) || !(a[i].body == b[i].body))
      return false;
  return true;
}

std::string LineAfterSentences(std::string text) {
  for (size_t i = 0; i + 1 < text.size(); ++i)
    if (text[i] == '.' && text[i + 1] == ' ') text[i + 1] = '\n';
  return text;
}

std::string UpperCase(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

TEST(HeaderPrescreenCorpusTest, MissesNoHeaderOfAnyNote) {
  const auto all = testing::LoadCorpus();
  if (all.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const auto reserved = testing::ReservedIds();
  auto rules = internal::SectionRules::Load(std::string(SUGGEST_MODELS_DIR) + "/sections.toml");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const internal::NormalizedText unused;  // FindSections reads bytes only
  size_t notes = 0, headers = 0;
  for (const auto& note : all) {
    if (reserved.count(note.id) || note.text.empty()) continue;
    ++notes;
    for (const std::string& text :
         {note.text, LineAfterSentences(note.text), UpperCase(note.text)}) {
      const std::vector<uint32_t> misses = internal::PrescreenMisses(text, *rules);
      ASSERT_TRUE(misses.empty()) << "note " << note.id << ": a header at byte "
                                  << misses.front() << " missed";
      const std::vector<Section> want = internal::FindSectionsUnscreened(text, *rules);
      ASSERT_TRUE(SameSections(internal::FindSections(text, unused, *rules), want))
          << "note " << note.id;
      headers += want.size();
    }
  }
  ASSERT_GT(notes, 1000u);
  std::printf("header prescreen: %zu notes (x3), %zu sections\n", notes, headers);
}

}  // namespace
}  // namespace suggest
