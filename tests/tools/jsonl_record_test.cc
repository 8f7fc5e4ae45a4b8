// Copyright libsuggest authors.
//
// ScanSimpleJsonlRecord against nlohmann::json::parse, the parser it stands
// in for: whenever the scanner accepts a line, id and text must be what
// nlohmann reads (the batch fallback turns an integer id into decimal).
#include "jsonl_record.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace suggest::tools {
namespace {

// What the batch reader's nlohmann path takes from `line`, or false if it
// would make an error record (a setting that is not a string included).
bool Reference(const std::string& line, std::string* id, std::string* text,
               std::optional<std::string>* setting) {
  setting->reset();
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  auto i = j.find("id");
  if (i == j.end()) return false;
  if (i->is_string()) *id = i->get<std::string>();
  else if (i->is_number_integer()) *id = std::to_string(i->get<int64_t>());
  else return false;
  auto t = j.find("text");
  if (t == j.end() || !t->is_string()) return false;
  *text = t->get<std::string>();
  auto st = j.find("setting");
  if (st != j.end()) {
    if (!st->is_string()) return false;
    *setting = st->get<std::string>();
  }
  return true;
}

// Checks one line; returns whether the scanner accepted it.
bool Check(const std::string& line) {
  std::string id, text, ref_id, ref_text;
  std::optional<std::string> setting, ref_setting;
  const bool fast = ScanSimpleJsonlRecord(line, &id, &text, &setting);
  if (!fast) return false;
  EXPECT_TRUE(Reference(line, &ref_id, &ref_text, &ref_setting))
      << "scanner accepted what nlohmann refuses: " << line.substr(0, 200);
  EXPECT_EQ(id, ref_id) << line.substr(0, 200);
  EXPECT_EQ(text, ref_text) << line.substr(0, 200);
  EXPECT_EQ(setting, ref_setting) << line.substr(0, 200);
  // The batch reader's way: the raw body, decoded in the line's own buffer.
  std::string buf = line, raw_id;
  std::string_view raw;
  std::optional<std::string> raw_setting;
  EXPECT_TRUE(ScanSimpleJsonlRecordRaw(buf, &raw_id, &raw, &raw_setting));
  buf.resize(DecodeSimpleJsonString(raw, buf.data()));
  EXPECT_EQ(buf, ref_text) << line.substr(0, 200);
  EXPECT_EQ(raw_id, ref_id) << line.substr(0, 200);
  EXPECT_EQ(raw_setting, ref_setting) << line.substr(0, 200);
  return true;
}

TEST(JsonlRecordTest, AcceptsTheUsualShapes) {
  EXPECT_TRUE(Check(R"({"id": "a1", "text": "Status post ACDF."})"));
  EXPECT_TRUE(Check(R"({"text":"x","id":42})"));
  EXPECT_TRUE(Check(R"(  { "id" : -7 , "text" : "tab\there \"q\" back\\slash \/ \b\f\n\r" }  )"));
  EXPECT_TRUE(Check(R"({"id": -0, "text": ""})"));
  EXPECT_TRUE(Check(R"({"id": 123456789012345678, "text": "18 digits"})"));
  EXPECT_TRUE(Check(R"({"id": 3, "specialty": " Surgery", "n": -1.5, "ok": true, "x": null, "text": "t"})"));
  EXPECT_TRUE(Check(R"({"id": "a", "setting": "inpatient", "text": "t"})"));
  EXPECT_TRUE(Check(R"({"setting":"ward","id":1,"text":"t"})"));  // checked by the caller
  std::string id, text;
  std::optional<std::string> setting = "stale";
  ASSERT_TRUE(ScanSimpleJsonlRecord(R"({"id": "a", "text": "t"})", &id, &text, &setting));
  EXPECT_EQ(setting, std::nullopt);
  ASSERT_TRUE(ScanSimpleJsonlRecord(R"({"id": "a", "setting": "outpatient", "text": "t"})", &id,
                                    &text, &setting));
  EXPECT_EQ(setting, "outpatient");
}

// A "setting" is never skipped as metadata: without a place to put it, or
// when it is not a plain string, the line goes to the full parser.
TEST(JsonlRecordTest, DeclinesSettingsItCannotReturn) {
  std::string id, text;
  std::optional<std::string> setting;
  EXPECT_FALSE(ScanSimpleJsonlRecord(R"({"id": "a", "setting": "inpatient", "text": "t"})", &id,
                                     &text));
  for (const char* line : {
           R"({"id": "a", "setting": 1, "text": "t"})",
           R"({"id": "a", "setting": null, "text": "t"})",
           R"({"id": "a", "setting": true, "text": "t"})",
           R"({"id": "a", "setting": "inpatient", "setting": "outpatient", "text": "t"})",
           R"({"id": "a", "setting": "in\u0070atient", "text": "t"})",
       }) {
    EXPECT_FALSE(ScanSimpleJsonlRecord(line, &id, &text, &setting)) << line;
  }
}

TEST(JsonlRecordTest, DeclinesEverythingElse) {
  for (const char* line : {
           R"({"id": "a", "text": "caf\u00e9"})",     // \u escape
           "{\"id\": \"a\", \"text\": \"caf\xC3\"}",  // invalid UTF-8
           "{\"id\": \"a\", \"text\": \"a\tb\"}",        // raw control byte
           R"({"id": "a", "text": "x", "meta": {}})",   // a nested value
           R"({"id": "a", "text": "x", "meta": [1]})",
           R"({"id": "a", "text": "x", "meta": 01})",   // invalid number elsewhere
           R"({"id": "a", "text": "x", "meta": "\u00e9"})",
           R"({"id": "a", "text": "x", "meta": nul})",
           R"({"id": "a", "text": "x", "v": 1e400})",  // overflows a double
           R"({"id": "a", "text": "x", "v": 1e2})",    // any exponent: the full parser
           R"({"id": "a", "text": "x", "v": 10000000000000000000000000000})",
           R"({"id": "a", "id": "b", "text": "x"})",    // repeated key
           R"({"id": 1.0, "text": "x"})",               // not an integer
           R"({"id": 1e3, "text": "x"})",
           R"({"id": 007, "text": "x"})",               // leading zero (invalid JSON)
           R"({"id": 1234567890123456789, "text": "x"})",  // 19 digits
           R"({"id": true, "text": "x"})",
           R"({"id": "a", "text": 5})",
           R"({"id": "a"})",
           R"({"id": "a", "text": "x"} trailing)",
           R"({"id": "a", "text": "x")",
           R"({"id": "a", "text": "x\q"})",             // bad escape
           R"(["id", "text"])",
           ""}) {
    std::string id, text;
    EXPECT_FALSE(ScanSimpleJsonlRecord(line, &id, &text)) << line;
  }
}

TEST(JsonlRecordTest, TakesWellFormedUtf8Only) {
  // Accepted, and read as nlohmann reads them (Check compares).
  for (const char* body : {"\xc3\xa9", "\xe2\x80\x93", "\xe0\xa0\x80", "\xed\x9f\xbf",
                           "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf"}) {
    EXPECT_TRUE(Check(std::string(R"({"id": "a", "text": "x)") + body + "y\"}")) << body;
  }
  // Overlong forms, surrogates, past U+10FFFF, stray or missing continuation
  // bytes: nlohmann refuses them, so the scanner must decline.
  for (const char* body : {"\xc0\xaf", "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80",
                           "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                           "\x80", "\xbf", "\xc3", "\xe2\x80", "\xf0\x9f\x98", "\xff"}) {
    std::string id, text;
    EXPECT_FALSE(ScanSimpleJsonlRecord(std::string(R"({"id": "a", "text": "x)") + body + "\"}",
                                       &id, &text))
        << body;
  }
}

TEST(JsonlRecordTest, EveryCorpusLineAsNlohmannReadsIt) {
  std::ifstream in(std::string(SUGGEST_SHARED_DIR) + "/corpus/mtsamples.jsonl");
  if (!in) GTEST_SKIP() << "corpus missing";
  std::string line;
  size_t lines = 0, fast = 0;
  while (std::getline(in, line)) {
    ++lines;
    fast += Check(line);
  }
  EXPECT_GT(lines, 4000u);
  // The corpus is the common case the scanner exists for.
  EXPECT_GT(fast, lines * 9 / 10) << fast << " of " << lines;
}

TEST(JsonlRecordTest, MutantsNeverDisagree) {
  // Random edits of real-looking records (deleted, repeated and replaced
  // bytes from a JSON-heavy alphabet): the scanner may decline any of them,
  // but what it accepts must read exactly as nlohmann reads it.
  const std::vector<std::string> seeds = {
      R"({"id": "n1", "text": "L4-5 fusion.\nNo \"new\" findings \\ here."})",
      R"({"text": "Klippel-Feil", "id": 31})",
      R"({"id":-12,"text":"a\/b\t\r\n\b\f"})",
      R"({"id": 3, "k": "v\"w", "n": -1.5e+3, "t": true, "f": false, "z": null, "text": "t"})",
      R"({"setting": "inpatient", "id": "s1", "text": "x", "n": 2})",
      // Runs longer than the scanner's 16-byte step, so edits put special
      // bytes at every position of a step (in the text and in a skipped value).
      R"({"id": 7, "text": "Anterior cervical discectomy and fusion at C5-C6 and C6-C7 with )"
      R"(an anterior plate, no complications", "k": "a skipped value of more than 16 bytes"})",
      "{\"id\": \"\xc3\xa9" "1\", \"text\": \"C5\xe2\x80\x93" "C6 \xf0\x9f\x98\x80 \xed\x9f\xbf\xef\xbf\xbd\"}"};
  const std::string alphabet =
      "{}[]\":,\\/ -0123456789.eEtnrbfuidx\t\r\n\x7f\xc3\xa9\xe2\x80\x93\xf0\x9f\xed\xa0\xc0\xf4\x90\xbf";
  std::mt19937 rng(12345);
  size_t accepted = 0;
  for (int n = 0; n < 200000; ++n) {
    std::string s = seeds[rng() % seeds.size()];
    const int edits = 1 + rng() % 3;
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0: s.erase(at, 1); break;
        case 1: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: s[at] = alphabet[rng() % alphabet.size()]; break;
      }
    }
    accepted += Check(s);
  }
  EXPECT_GT(accepted, 1000u);  // the comparison was exercised
}

}  // namespace
}  // namespace suggest::tools
