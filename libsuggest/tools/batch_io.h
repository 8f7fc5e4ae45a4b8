// Copyright libsuggest authors.
//
// Parsing one JSONL input record for `suggest batch` (batch_input.h reads
// the file; batch_runner.h analyzes).

#ifndef LIBSUGGEST_TOOLS_BATCH_IO_H_
#define LIBSUGGEST_TOOLS_BATCH_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "batch_input.h"
#include "suggest/suggest.h"

namespace suggest::tools {

// Turns *rec into an error record of kind "bad_record" ("line N: why") and
// logs the line number and reason (never the record's text).
void BadRecord(std::string id, uint64_t line_no, const std::string& why, BatchRecord* rec);

// The error Model::Analyze gives a note of `size` bytes over `max_note_bytes`
// (kind "note_too_large", same message), for notes refused by their file
// size before being read (a folder input file, `suggest analyze FILE`).
Status NoteTooLarge(uint64_t size, uint64_t max_note_bytes);

// "outpatient" / "inpatient" -> *out; false for anything else.
bool ParseSetting(std::string_view name, Setting* out);

// The error record of a record whose setting is not one of the two names
// (kind "invalid_setting"): `got` says what was there, e.g. "\"ward\"" or
// "a number". Logs the line number only.
Status InvalidSetting(uint64_t line_no, const std::string& got);

// A per-record setting value that is a string: *rec gets the setting, or
// becomes an invalid_setting error record.
void SetRecordSetting(std::string_view value, uint64_t line_no, BatchRecord* rec);

// Parses `line` as {"id": string|number, "text": string, "setting": string
// (optional)} into *rec (an error record with kind "bad_record" naming the
// line if it is not one, "invalid_setting" if the setting is not
// "outpatient" or "inpatient"). Returns false for a blank line (no record).
bool ParseJsonlRecord(std::string_view line, uint64_t line_no, BatchRecord* rec);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_BATCH_IO_H_
