// Copyright libsuggest authors.
//
// Facts on MTSamples sentences checked by hand
// (tests/data/facts/corpus_facts.jsonl, format in README.md next to it).
// Each WHOLE note goes through Model::Analyze; the facts whose span lies
// inside the sentence are compared with the expectation (kind, assertion,
// when, segments; modality/finding/detail when the expectation names them).
// Prints a per-sentence agreement table and the overall accuracy.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../../testing/corpus.h"
#include "suggest/suggest.h"
#include "../../testing/model.h"

namespace suggest {
namespace {

using nlohmann::json;

// Sentences with a "known_disagreement" may disagree; every other sentence
// must agree (EXPECT per sentence). 42 sentences from notes that are not
// reserved for evaluation, 3 of them known disagreements (39/42 = 0.929):
// 0.92 leaves no room for a new disagreement beyond those documented, and a
// fix that makes a known one agree prints a note to drop its
// known_disagreement.
constexpr double kMinAccuracy = 0.92;

using ::suggest::testing::TheModel;

std::vector<json> LoadExpectations() {
  std::vector<json> out;
  std::ifstream in(std::string(SUGGEST_TESTDATA_DIR) + "/facts/corpus_facts.jsonl");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

// A string field or a list of acceptable strings.
std::vector<std::string> Alternatives(const json& j, const char* key) {
  if (!j.contains(key)) return {};
  if (j.at(key).is_string()) return {j.at(key).get<std::string>()};
  return j.at(key).get<std::vector<std::string>>();
}

bool Accepts(const std::vector<std::string>& alternatives, const std::string& v) {
  return std::find(alternatives.begin(), alternatives.end(), v) != alternatives.end();
}

// A fusion done before this encounter: "present" (it exists now) and
// "historical" (it was done before) say the same thing once `when` is prior
// (facts.h: present outside the operation's own text -> prior).
std::string CanonicalAssertion(const Fact& f) {
  const std::string a = AssertionName(f.assertion);
  if (f.kind == "fusion_procedure" && f.when == "prior" && a == "present") return "historical";
  return a;
}

bool Matches(const json& e, const Fact& f) {
  if (e.at("kind").get<std::string>() != f.kind) return false;
  std::vector<std::string> assertions = Alternatives(e, "assertion");
  if (!Accepts(assertions, CanonicalAssertion(f)) &&
      !Accepts(assertions, AssertionName(f.assertion)))
    return false;
  if (f.kind == "fusion_procedure") {
    const std::vector<std::string> when = Alternatives(e, "when");
    if (when.empty() ? !f.when.empty() : !Accepts(when, f.when)) return false;
  }
  if (e.at("segments").get<std::vector<std::string>>() != f.segments) return false;
  for (const char* key : {"modality", "finding", "detail"}) {
    if (!e.contains(key)) continue;
    const std::string& got = key == std::string("modality") ? f.modality
                             : key == std::string("finding") ? f.finding
                                                             : f.detail;
    if (e.at(key).get<std::string>() != got) return false;
  }
  return true;
}

std::string Describe(const Fact& f) {
  std::string s = f.kind + "/" + CanonicalAssertion(f);
  if (!f.when.empty()) s += "/" + f.when;
  if (!f.modality.empty()) s += "/" + f.modality;
  if (!f.finding.empty()) s += "/" + f.finding;
  s += "[";
  for (size_t i = 0; i < f.segments.size(); ++i) s += (i ? "," : "") + f.segments[i];
  return s + "]";
}

std::string Describe(const json& e) {
  auto joined = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "|" : "") + v[i];
    return s;
  };
  std::string s = e.at("kind").get<std::string>() + "/" + joined(Alternatives(e, "assertion"));
  if (e.contains("when")) s += "/" + joined(Alternatives(e, "when"));
  for (const char* key : {"modality", "finding"})
    if (e.contains(key)) s += "/" + e.at(key).get<std::string>();
  s += "[";
  const auto segs = e.at("segments").get<std::vector<std::string>>();
  for (size_t i = 0; i < segs.size(); ++i) s += (i ? "," : "") + segs[i];
  return s + "]";
}

struct Outcome {
  bool agree = false;
  bool section_agrees = false;
  std::string got;
  std::string want;
  std::string section;
};

// Every expected fact is matched by some fact of the sentence, and every fact
// is matched by an expected or optional one (duplicates from synonyms, such as
// "pseudoarthrosis and nonfusion", count once).
Outcome Compare(const json& entry, const std::string& text) {
  Outcome out;
  const std::string sentence = entry.at("sentence").get<std::string>();
  const size_t at = text.find(sentence);
  if (at == std::string::npos) {
    out.got = "sentence not found in note";
    return out;
  }
  const uint32_t begin = static_cast<uint32_t>(at);
  const uint32_t end = static_cast<uint32_t>(at + sentence.size());
  auto r = TheModel().Analyze(text);
  if (!r.ok()) {
    out.got = r.status().ToString();
    return out;
  }
  std::vector<const Fact*> facts;
  for (const Fact& f : r->facts)
    if (f.span.begin >= begin && f.span.end <= end) facts.push_back(&f);

  const json& expect = entry.at("expect");
  const json optional = entry.value("optional", json::array());
  bool agree = true;
  for (const json& e : expect) {
    bool found = false;
    for (const Fact* f : facts) found |= Matches(e, *f);
    agree &= found;
  }
  std::set<std::string> got;
  for (const Fact* f : facts) {
    bool wanted = false;
    for (const json& e : expect) wanted |= Matches(e, *f);
    for (const json& e : optional) wanted |= Matches(e, *f);
    agree &= wanted;
    got.insert(Describe(*f));
  }
  out.agree = agree;
  for (const std::string& g : got) out.got += (out.got.empty() ? "" : " ") + g;
  for (const json& e : expect) out.want += (out.want.empty() ? "" : " ") + Describe(e);
  if (out.got.empty()) out.got = "-";
  if (out.want.empty()) out.want = "-";

  for (const Section& s : r->sections)
    if (begin >= s.header.begin && begin < std::max(s.body.end, s.header.end)) out.section = s.kind;
  out.section_agrees = out.section == entry.at("section_kind").get<std::string>();
  return out;
}

TEST(FactsCorpusTest, HandCheckedSentences) {
  const std::vector<json> entries = LoadExpectations();
  ASSERT_GE(entries.size(), 30u) << "tests/data/facts/corpus_facts.jsonl";
  std::map<std::string, std::string> notes;
  for (testing::CorpusNote& n : testing::LoadCorpus()) notes[n.id] = std::move(n.text);
  if (notes.empty()) GTEST_SKIP() << "corpus missing: " << testing::CorpusPath();

  int agree = 0;
  int section_agree = 0;
  int known = 0;
  std::ostringstream table;
  table << "id    | ok    | sect | expected -> got\n";
  for (const json& entry : entries) {
    const std::string id = entry.at("id").get<std::string>();
    ASSERT_TRUE(notes.count(id)) << "note " << id;
    const Outcome o = Compare(entry, notes[id]);
    const bool is_known = entry.contains("known_disagreement");
    known += is_known;
    agree += o.agree;
    section_agree += o.section_agrees;
    char row[16];
    std::snprintf(row, sizeof(row), "%-5s", id.c_str());
    table << row << " | " << (o.agree ? "agree" : is_known ? "KNOWN" : "DIFF ") << " | "
          << (o.section_agrees ? "ok  " : "DIFF") << " | " << o.want << " -> " << o.got;
    if (!o.section_agrees)
      table << "  (section " << entry.at("section_kind").get<std::string>() << " -> "
            << (o.section.empty() ? "none" : o.section) << ")";
    table << "\n";
    if (is_known) {
      if (o.agree)
        std::printf("note %s now agrees: drop its known_disagreement\n", id.c_str());
    } else {
      EXPECT_TRUE(o.agree) << "note " << id << ": " << entry.at("sentence").get<std::string>()
                           << "\n  expected " << o.want << "\n  got      " << o.got
                           << "\n  why: " << entry.at("why").get<std::string>();
    }
  }
  const double accuracy = static_cast<double>(agree) / entries.size();
  std::printf("%s", table.str().c_str());
  std::printf("facts agreement: %d/%zu = %.3f (%d known disagreements); section kind: %d/%zu\n",
              agree, entries.size(), accuracy, known, section_agree, entries.size());
  EXPECT_GE(accuracy, kMinAccuracy);
}

}  // namespace
}  // namespace suggest
