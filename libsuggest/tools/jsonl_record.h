// Copyright libsuggest authors.
//
// A scanner for the one record shape `suggest batch` reads by the million:
//   {"id": "..." or 123, "text": "...", other keys with scalar values}
// in any key order. It takes ASCII strings with the escapes \" \\ \/ \b
// \f \n \r \t, numbers, true, false and null, and declines everything else
// (a \u escape, a non-ASCII or control byte, a nested object or array, a
// repeated "id" or "text", an id that is not a string or an integer of at
// most 18 digits, ...), so the caller parses that line with the full JSON
// parser instead. Whenever it accepts a line, its id and text are exactly
// what nlohmann::json::parse gives (tests/tools/jsonl_record_test.cc checks
// both on every corpus line and on random mutants). Why: full JSON parsing
// was ~40 % of a fast-path batch run (docs/performance.md).

#ifndef LIBSUGGEST_TOOLS_JSONL_RECORD_H_
#define LIBSUGGEST_TOOLS_JSONL_RECORD_H_

#include <string>
#include <string_view>

namespace suggest::tools {

// True if `line` has the shape above; then *id and *text hold the record
// (an integer id in decimal, as written). False leaves them unspecified.
bool ScanSimpleJsonlRecord(std::string_view line, std::string* id, std::string* text);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_JSONL_RECORD_H_
