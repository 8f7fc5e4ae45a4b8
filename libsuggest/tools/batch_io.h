// Copyright libsuggest authors.
//
// Parsing one JSONL input record for `suggest batch` (batch_input.h reads
// the file; batch_runner.h analyzes).

#ifndef LIBSUGGEST_TOOLS_BATCH_IO_H_
#define LIBSUGGEST_TOOLS_BATCH_IO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "batch_record.h"
#include "suggest/suggest.h"

namespace suggest::tools {

// Turns *rec into an error record of kind "bad_record" ("line N: why") and
// logs the line number and reason (never the record's text).
void BadRecord(std::string id, uint64_t line_no, const std::string& why, BatchRecord* rec);

// An id (or file name) as a log line may show it: a control character,
// DEL, a backslash, a C1 control or an invalid byte becomes \xHH, so an id
// cannot forge log lines or send terminal escapes (issue 19 item 10).
std::string LogSafe(std::string_view id);

// The error Model::Analyze gives a note of `size` bytes over `max_note_bytes`
// (kind "note_too_large", same message), for notes refused by their file
// size before being read (a folder input file, `suggest analyze FILE`).
Status NoteTooLarge(uint64_t size, uint64_t max_note_bytes);

// The same error for a note read from a stream (a pipe, a FIFO, stdin, a
// device) that went past the limit while it was read: only a lower bound of
// its size is known ("note of more than N bytes exceeds ...").
Status NoteTooLargeWhileReading(uint64_t max_note_bytes);

// The ceiling of --max-note-bytes: offsets are 32-bit (docs/cli.md).
constexpr uint64_t kMaxNoteBytesCeiling = 0xFFFFFFFEull;

// Reads one note file ("-" = stdin) with the limit applied while reading:
// a regular file over max_bytes is refused by its size without being read;
// any other file (pipe, FIFO, character device such as /dev/zero, stdin) is
// read until max_bytes + 1 bytes, then reading stops. Returns the text, or
// an empty string with *refused set (kind note_too_large, or utf16_input:
// see Utf16Input), or nullopt with *error naming why the file cannot be read.
std::optional<std::string> ReadNoteLimited(const std::string& path, uint64_t max_bytes,
                                           std::optional<Status>* refused,
                                           std::string* error);

// Note files are UTF-8. A UTF-16 file with a byte order mark would fail as
// invalid UTF-8 at byte 0, but one without a mark is valid UTF-8 (ASCII and
// NUL bytes) in which nothing can match: a silent "no codes". So a file that
// starts with a UTF-16 mark, or whose first 4 KiB hold a NUL byte in the same
// half of at least 60% of the 2-byte pairs, is refused (kind utf16_input,
// naming the byte order) rather than analysed. Returns nullopt for anything
// else, including text with a few stray NULs.
std::optional<Status> Utf16Input(std::string_view text);

// "outpatient" / "inpatient" -> *out; false for anything else.
bool ParseSetting(std::string_view name, Setting* out);

// The error record of a record whose setting is not one of the two names
// (kind "invalid_setting"): `got` says what was there, e.g. "\"ward\"" or
// "a number". Logs the line number only.
Status InvalidSetting(uint64_t line_no, const std::string& got);

// A per-record setting value that is a string: *rec gets the setting, or
// becomes an invalid_setting error record.
void SetRecordSetting(std::string_view value, uint64_t line_no, BatchRecord* rec);

// A record's input field (date_of_service, patient_id, encounter_id) that
// is not a string: the error record of kind "invalid_<field>", `got` saying
// what was there ("a number", "null", ...).
Status InvalidField(uint64_t line_no, const std::string& field, const std::string& got);

// Parses `line` as {"id": string|number, "text": string, "setting": string
// (optional), "date_of_service", "patient_id", "encounter_id": string
// (optional)} into *rec (an error record with kind "bad_record" naming the
// line if it is not one, "invalid_setting" if the setting is not
// "outpatient" or "inpatient"). Returns false for a blank line (no record).
bool ParseJsonlRecord(std::string_view line, uint64_t line_no, BatchRecord* rec);

// The same, for a line the caller gives up (*line is left unspecified): the
// usual record's text is decoded in the line's own buffer, which becomes
// rec->text, so a record costs no second allocation of its size.
bool ParseJsonlRecordInPlace(std::string* line, uint64_t line_no, BatchRecord* rec);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_BATCH_IO_H_
