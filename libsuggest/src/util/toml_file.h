// Copyright libsuggest authors.
//
// Shared helpers for the TOML data files in models/: parse with precise
// locations, and report every data error in the one GNU-style format editors
// can jump to:  PATH:LINE:COLUMN: error: MESSAGE
// toml++ throws on parse errors; these helpers turn that into Status values.

#ifndef LIBSUGGEST_SRC_UTIL_TOML_FILE_H_
#define LIBSUGGEST_SRC_UTIL_TOML_FILE_H_

#include <initializer_list>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "suggest/status.h"
#include "util/load_errors.h"

namespace suggest::internal {

// InvalidArgument(kind "rule_file") "PATH:LINE:COLUMN: error: MESSAGE", on
// one line (a line break in MESSAGE is written \n).
Status TomlError(const std::string& path, const toml::source_position& where,
                 std::string_view message);
inline Status TomlError(const std::string& path, const toml::node& node,
                        std::string_view message) {
  return TomlError(path, node.source().begin, message);
}

// Reads and parses a TOML file. NotFound if it cannot be read; a syntax
// error gives TomlError at the parser's location.
StatusOr<toml::table> ParseTomlFile(const std::string& path);
// The same, and the file's bytes into *text (a loader's CheckedFile key).
StatusOr<toml::table> ParseTomlFile(const std::string& path, std::string* text);

// Call before toml::parse(text): rejects the non-ASCII text toml++ 3.3 (Debian
// 12) cannot look at without undefined behaviour (its whitespace test
// is_non_ascii_horizontal_whitespace reaches __builtin_unreachable for most
// code points; marzer/tomlplusplus issues #190 and #295, fixed upstream by
// pull request #305): a non-ASCII character outside strings and comments
// (never valid TOML; a quote, '=', '[' or '{' glued to a bare value, as in
// `1"`, `1979-05-27="` or `1979-05-27["`, opens nothing here, as toml++ scans
// the value on through it), right after a backslash in a multi-line basic
// string (an invalid escape) or first after a line-ending backslash (valid TOML, but
// refused here). TomlError at that character, else OK. ParseTomlFile calls it.
Status CheckTomlText(std::string_view text, const std::string& path);

// Reports every key of `table` not in `allowed` (one error each, with the
// allowed keys and a "did you mean"), naming `what` (e.g. `rule "level_range"`).
Status CheckKnownKeys(const std::string& path, const toml::table& table,
                      std::initializer_list<std::string_view> allowed,
                      std::string_view what);

// Checks `schema_version` at the top of a file: present, an integer, and in
// [min_version, max_version].
Status CheckSchemaVersion(const std::string& path, const toml::table& root,
                          int64_t min_version, int64_t max_version);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_UTIL_TOML_FILE_H_
