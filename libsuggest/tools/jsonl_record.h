// Copyright libsuggest authors.
//
// A scanner for the one record shape `suggest batch` reads by the million:
//   {"id": "..." or 123, "text": "...", "setting": "...", other keys with
//    scalar values}
// in any key order, "setting" optional. It takes strings of ASCII and
// well-formed UTF-8 (RFC 3629, as nlohmann checks it) with the escapes \" \\ \/ \b
// \f \n \r \t, numbers, true, false and null, and declines everything else
// (a \u escape, a control byte or DEL, invalid UTF-8, a nested object or array, a
// repeated "id", "text" or "setting", an id that is not a string or an
// integer of at most 18 digits, a "setting" that is not a string, ...), so
// the caller parses that line with the full JSON parser instead (which also
// reports a bad setting). Whenever it accepts a line, its id, text and
// setting are exactly what nlohmann::json::parse gives (tests/tools/jsonl_record_test.cc checks
// both on every corpus line and on random mutants). Why: full JSON parsing
// was ~40 % of a fast-path batch run (docs/performance.md).

#ifndef LIBSUGGEST_TOOLS_JSONL_RECORD_H_
#define LIBSUGGEST_TOOLS_JSONL_RECORD_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace suggest::tools {

// True if `line` has the shape above; then *id and *text hold the record
// (an integer id in decimal, as written) and *setting the "setting" string,
// or nullopt when the line has none. False leaves them unspecified. With
// setting == nullptr a line with a "setting" key is declined (never
// silently dropped). A line with an input field (date_of_service,
// patient_id, encounter_id) is declined too: the full parser reads those.
bool ScanSimpleJsonlRecord(std::string_view line, std::string* id, std::string* text,
                           std::optional<std::string>* setting = nullptr);

// The same scan, with the text left as written: *raw_text is the body of its
// string (a view into `line`), to be decoded by DecodeSimpleJsonString. The
// batch reader decodes it in the line's own buffer (no second allocation).
bool ScanSimpleJsonlRecordRaw(std::string_view line, std::string* id, std::string_view* raw_text,
                              std::optional<std::string>* setting = nullptr);

// Decodes a string body accepted by ScanSimpleJsonlRecordRaw into dst, which
// has room for raw.size() bytes and may start at raw.data() or before it
// (in place: the decoded text is never longer). Returns its length.
size_t DecodeSimpleJsonString(std::string_view raw, char* dst);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_JSONL_RECORD_H_
