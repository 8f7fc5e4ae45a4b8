// Copyright libsuggest authors.
//
// The header prescreen (text/sectionizer.cc HeaderPrescreen) may only turn
// away candidates the rules reject: on hand-made texts built around the
// headers it could miss (mixed-case multi-word headers, headers known only
// after dropping leading words, parenthetical and slashed ones, imaging
// headers, own-line and joined ones, runs near the 80-byte limit, the text's
// first and last bytes, non-ASCII bytes before and inside), every byte is
// tried as a candidate (PrescreenMisses) and FindSections must equal the
// unscreened scan. tests/corpus/header_prescreen_test.cc does the same on
// every corpus note.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "text/sectionizer.h"
#include "text_test_util.h"

namespace suggest::internal {
namespace {

using testing::DefaultRules;

bool SameSections(const std::vector<Section>& a, const std::vector<Section>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || !(a[i].header == b[i].header) || !(a[i].body == b[i].body))
      return false;
  return true;
}

// The headers (as text) of the unscreened scan, to show that a text holds
// the header it was written for.
std::vector<std::string> Headers(std::string_view text) {
  std::vector<std::string> out;
  for (const Section& s : FindSectionsUnscreened(text, DefaultRules()))
    if (!s.header.empty()) out.emplace_back(text.substr(s.header.begin, s.header.size()));
  return out;
}

void ExpectSound(std::string_view text) {
  const std::vector<uint32_t> misses = PrescreenMisses(text, DefaultRules());
  EXPECT_TRUE(misses.empty()) << "missed a header at byte " << misses.front() << " of \""
                              << text << "\"";
  const NormalizedText unused;
  EXPECT_TRUE(SameSections(FindSections(text, unused, DefaultRules()),
                           FindSectionsUnscreened(text, DefaultRules())))
      << "\"" << text << "\"";
}

struct Case {
  const char* text;
  const char* header;  // a header the rules find in it
};

// Each text holds the header named; the prescreen must let every one through.
const Case kCases[] = {
    {"History of Present Illness: back pain.", "History of Present Illness"},
    {"Pain. History of Present Illness: back pain.", "History of Present Illness"},
    {"seen today, History of Present Illness: back pain.", "History of Present Illness"},
    {"Pain. Pathological Findings: stenosis.", "Pathological Findings"},
    {"Pain. Recent Imaging Findings: stenosis.", "Recent Imaging Findings"},
    {"Pain. Preoperative Diagnosis (es): stenosis.", "Preoperative Diagnosis (es)"},
    {"Exam. Station/Gait: normal.", "Station/Gait"},
    {"Pain. MRI L-spine: stenosis at L4-5.", "MRI L-spine"},
    {"Pain. MRI C-spine, 12/1/92: fusion at C5-6.", "MRI C-spine, 12/1/92"},
    {"Pain.\nImpression\nStenosis.", "Impression"},
    {"Pain.\r\nAssessment and Plan\r\nFusion.", "Assessment and Plan"},
    {"Pain.\nIMPRESSION   \nStenosis.", "IMPRESSION"},
    {"Pain.,PHYSICAL EXAMINATION,VITAL SIGNS: stable.", "PHYSICAL EXAMINATION"},
    {"Pain.,PHYSICAL EXAMINATION,VITAL SIGNS: stable.", "VITAL SIGNS"},
    {"Pain. EARS, NOSE, AND THROAT: clear.", "EARS, NOSE, AND THROAT"},
    {"PLAN: fusion.", "PLAN"},
    {"Plan: fusion.", "Plan"},
    {"Stenosis.\nPlan", "Plan"},
    {"Stenosis. PLAN:", "PLAN"},
    {"Stenosis.\nIMPRESSION", "IMPRESSION"},
    {"\xC3\xA9t\xC3\xA9. Impression: stenosis.", "Impression"},
    {"caf\xC3\xA9\nImpression\nstenosis.", "Impression"},
    {"Pain. \xEF\xBB\xBFImpression: stenosis.", "Impression"},
    {"Pain.\n\xE2\x80\x8B\xC2\xA0PLAN: fusion.", "PLAN"},
    {"Pain. \xC3\x89VALUATION ET PLAN: fusion.", "\xC3\x89VALUATION ET PLAN"},
    {"Pain. \xC3\x89t\xC3\xA9 Social History: none.", "\xC3\x89t\xC3\xA9 Social History"},
    {"Pain. Dr. Smith saw him. IMPRESSION: stenosis.", "IMPRESSION"},
    {"Pain.\tAssessment:\tstenosis.", "Assessment"},
    {"Pain. PREOPERATIVE AND POSTOPERATIVE RADIOGRAPHIC INTERPRETATION CONSIDERATIONS: x",
     "PREOPERATIVE AND POSTOPERATIVE RADIOGRAPHIC INTERPRETATION CONSIDERATIONS"},
};

TEST(HeaderPrescreenTest, LetsEveryHandMadeHeaderThrough) {
  for (const Case& c : kCases) {
    const std::vector<std::string> headers = Headers(c.text);
    EXPECT_NE(std::find(headers.begin(), headers.end(), c.header), headers.end())
        << "\"" << c.text << "\" should hold the header \"" << c.header << "\"";
    ExpectSound(c.text);
  }
}

// Runs of header characters reaching the 80-byte limit of the run scan,
// with ':' at and around it, and multi-byte letters at its edge.
TEST(HeaderPrescreenTest, RunsAtTheLengthLimit) {
  for (int len = 70; len <= 90; ++len) {
    for (const char* fill : {"A", "a", " ", "\xC3\x89", "\xC3\xA9", "\xF0\x9D\x90\x80"}) {
      std::string run = "Findings";
      while (run.size() < static_cast<size_t>(len)) run += fill;
      for (const char* tail : {":", ": x", ":5", "\n", ",", ", X", " ,", "   \n"}) {
        ExpectSound(run + tail);
        ExpectSound("Pain. " + run + tail);
        ExpectSound("x\n" + run + tail);
        ExpectSound("Pain.," + run + tail);
      }
    }
  }
}

// Random texts of the pieces headers are made of and the bytes around them.
TEST(HeaderPrescreenTest, RandomPieces) {
  static const char* const kPieces[] = {
      "History of Present Illness", "HISTORY", "History", "Pathological Findings",
      "Findings", "FINDINGS", "Impression", "IMPRESSION", "Preoperative Diagnosis (es)",
      "Station/Gait", "MRI L-spine", "MRI", "CT", "PHYSICAL EXAMINATION", "VITAL SIGNS",
      "HEENT", "Neuro", "Plan", "PLAN", "Follow-up", "Occupational History", "Dr.", "The",
      "patient", "was seen", "L4-5", "10:30", "HR:83", "e.g.", "1.", ":", ":", ",", ",", ".",
      ". ", ", ", " ", "  ", "\t", "\n", "\n", "\r\n", "/", "(", ")", "-", "&", "'", ";",
      "\xC3\xA9", "\xC3\x89", "\xEF\xBB\xBF", "\xE2\x80\x8B", "\xC2\xA0", "\xE3\x80\x80",
      "\xF0\x9D\x90\x80", "\xFF", "\xC3", "VERY LONG ALL CAPS WORDS GO ON AND ON",
      "a rather long sentence of plain words that goes on for a while"};
  std::mt19937 rng(18);
  std::uniform_int_distribution<size_t> piece(0, std::size(kPieces) - 1);
  std::uniform_int_distribution<int> count(1, 24);
  for (int t = 0; t < 20000; ++t) {
    std::string text;
    for (int k = count(rng); k > 0; --k) text += kPieces[piece(rng)];
    ExpectSound(text);
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace suggest::internal
