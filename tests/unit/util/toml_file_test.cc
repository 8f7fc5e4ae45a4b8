// Copyright libsuggest authors.
//
// CheckTomlText: the guard in front of toml++ 3.3, whose whitespace test hits
// __builtin_unreachable on many non-ASCII characters (found by
// tests/fuzz/rules_fuzzer: "Strümpel = 1" in a rules file was undefined
// behaviour). Valid TOML with non-ASCII text in strings and comments passes.

#include "util/toml_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace suggest::internal {
namespace {

TEST(CheckTomlText, AcceptsNonAsciiInStringsAndComments) {
  for (const char* ok : {
           "a = \"\xC3\xA9\"\n",                      // basic string
           "# \xC3\xA9 \xC2\xA7 comment\nb = 1\n",    // comment
           "\"\xC3\xA9\" = 1\n",                      // quoted key
           "c = '\xC3\xBC'\n",                        // literal string
           "d = '''\n\xC3\xA9\n'''\n",                // multi-line literal
           "e = \"\"\"x \xC3\xA9\\n\"\"\"\n",          // multi-line basic
           "f = \"\"\"\\\n   x \xC3\xA9\"\"\"\n",     // after a line-ending backslash
           "g = \"\"\"a\\\"\"\"\"\n# \xC3\xA9\n",     // escaped quote, then a comment
           "\xEF\xBB\xBFh = 1\n",                     // byte order mark
           "i = \"a\xFF\"\n",                          // invalid UTF-8: left to toml++
           "j = [\"x\",\"\xC3\xA9\"]\nk = {a=\"\xC3\xA9\"}\n",  // strings in arrays, tables
           "[ \"\xC3\xA9\" . \"b\" ]\nl.\"\xC3\xA9\" = 1\n",      // quoted keys in headers
           // A quote right after '=' or a separator opens a string, glued or not.
           "k=\"\xC3\xA9\"\nk2 ='\xC3\xA9'\na.b=\"\xC3\xA9\"\n",
           "m=[1,\"\xC3\xA9\"]\nn = [ [1], \"\xC3\xA9\", ]\no = [\n 1,\n \"\xC3\xA9\",\n]\n",
           "p = {a=1,b=\"\xC3\xA9\"}\nq = [{a=\"\xC3\xA9\"}, {b='\xC3\xA9'}]\n",
           "r = []\ns = {}\nt = \"\xC3\xA9\"\n",  // empty array and table, then a value
           "u = 1979-05-27T07:32:00Z # \xC3\xA9\nv = 1979-05-27 07:32:00 # \xC3\xA9\n",
           "w = [1979-05-27, \"\xC3\xA9\"]\nx = true\ny = \"\xC3\xA9\"\n",
           "[a]\nb=\"\xC3\xA9\"\n[[c]]\nd=\"\xC3\xA9\"\n",
           "e = \"\"\"a\"\"\"\"\nf = \"\xC3\xA9\"\n",  // a quote inside the closing delimiter
           "g = \"a\\\"\" # \xC3\xA9\nh = 'x' # \xC3\xA9\n",  // escaped quote; after a string
       }) {
    EXPECT_TRUE(CheckTomlText(ok, "f.toml").ok()) << ok;
  }
}

TEST(CheckTomlText, RejectsWhatToml33CannotParseSafely) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"schema_version = 1\nStr\xC3\xBCmpel = 1\n",
                "f.toml:2:4: error: unexpected non-ASCII character outside a string"},
           Case{"\xC3\xA9 = 1\n",
                "f.toml:1:1: error: unexpected non-ASCII character outside a string"},
           Case{"a = 1\xC2\xB0\n",
                "f.toml:1:6: error: unexpected non-ASCII character outside a string"},
           // toml++ scans a bare value on through quotes (rules_fuzzer, long run).
           Case{"x = 1\"\xC6\x8F\"\n",
                "f.toml:1:7: error: unexpected non-ASCII character outside a string"},
           Case{"x = 1zz\"a\"\"w\xC6\x8F\"\n",
                "f.toml:1:13: error: unexpected non-ASCII character outside a string"},
           // ... and through a '[' right after it (rules_fuzzer, 2026-12-03).
           Case{"kind = 1979-05-27[\"\xD2\x91o\"]\n",
                "f.toml:1:20: error: unexpected non-ASCII character outside a string"},
           Case{"k = a{\"\xD2\x91\"}\n",
                "f.toml:1:8: error: unexpected non-ASCII character outside a string"},
           // ... and through an '=' right after it (rules_fuzzer, CI, 2026-12-05).
           Case{"kind = 1979-05-27=\"\xD2\x91o\"\n",
                "f.toml:1:20: error: unexpected non-ASCII character outside a string"},
           Case{"x = [1=\"\xD2\x91\"]\n",
                "f.toml:1:9: error: unexpected non-ASCII character outside a string"},
           Case{"x = {a = 1=\"\xD2\x91\"}\n",
                "f.toml:1:13: error: unexpected non-ASCII character outside a string"},
           // A date-time's time after a space is still the value.
           Case{"x = 1979-05-27 07:32:00=\"\xD2\x91\"\n",
                "f.toml:1:26: error: unexpected non-ASCII character outside a string"},
           Case{"x = \"\"\"\\\xC3\xA9\"\"\"\n",
                "f.toml:1:9: error: invalid escape sequence in a string"},
           // toml++ issue #190.
           Case{"s = \"\"\"\\\n\xC2\xA7\"\"\"\n",
                "f.toml:2:1: error: non-ASCII text right after a line-ending backslash is "
                "not supported"},
           Case{"s = \"\"\"\\  \xC2\xA7\"\"\"\n",
                "f.toml:1:11: error: non-ASCII text right after a line-ending backslash is "
                "not supported"},
       }) {
    const Status s = CheckTomlText(c.text, "f.toml");
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_EQ(s.message(), c.message);
    EXPECT_EQ(s.kind(), "rule_file");
  }
}

TEST(CheckTomlText, ParseTomlFileUsesIt) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "suggest_toml_file_test.toml").string();
  std::ofstream(path) << "schema_version = 1\nStr\xC3\xBCmpel = 1\n";
  auto parsed = ParseTomlFile(path);
  std::remove(path.c_str());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            path + ":2:4: error: unexpected non-ASCII character outside a string");
}

// Every input that once crashed tests/fuzz/rules_fuzzer (found_* in its
// corpus) goes through ParseTomlFile here too, so the ordinary and the
// sanitizer builds replay them (scripts/test.sh --sanitize: UBSan).
TEST(CheckTomlText, FuzzFindsParseWithoutUndefinedBehaviour) {
  const std::filesystem::path corpus =
      std::filesystem::path(SUGGEST_TESTDATA_DIR) / ".." / "fuzz" / "corpus" / "rules_fuzzer";
  int found = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().filename().string().rfind("found_", 0) != 0) continue;
    ++found;
    auto parsed = ParseTomlFile(entry.path().string());
    ASSERT_FALSE(parsed.ok()) << entry.path();
    EXPECT_EQ(parsed.status().kind(), "rule_file") << parsed.status().message();
  }
  EXPECT_GE(found, 2);
  // The CI find of 2026-12-05: a bare date glued to '=' and a quote.
  auto parsed = ParseTomlFile((corpus / "found_date_then_equals_quote.toml").string());
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find(
                ":2:21: error: unexpected non-ASCII character outside a string"),
            std::string::npos)
      << parsed.status().message();
}

}  // namespace
}  // namespace suggest::internal
