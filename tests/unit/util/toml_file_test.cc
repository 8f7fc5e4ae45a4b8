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

}  // namespace
}  // namespace suggest::internal
