// Copyright libsuggest authors.
//
// Output records of `suggest batch`: JSONL (one result line per note) or CSV
// (one row per suggestion), and the --resume scan of an existing output.

#ifndef LIBSUGGEST_TOOLS_BATCH_OUTPUT_H_
#define LIBSUGGEST_TOOLS_BATCH_OUTPUT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "suggest/suggest.h"

namespace suggest::tools {

// kFhir: one FHIR R4 Bundle per line (NDJSON; error records stay JSON
// lines). kOmop: OMOP CDM v5.4 NOTE_NLP rows (interop_output.h).
enum class OutputFormat { kJsonl, kCsv, kFhir, kOmop };

// --output-format NAME ("" = by the output's extension: .csv is CSV, else
// JSONL).
OutputFormat ChooseOutputFormat(const std::string& name, const std::string& output);

// "jsonl", "csv", "fhir" or "omop".
const char* OutputFormatName(OutputFormat format);

// The header line the format starts with, or null (JSONL, FHIR).
const std::string* OutputHeader(OutputFormat format);

// OK if the record's id suits the format (OMOP: an integer note_id), else
// the error for its error record.
Status CheckRecordForFormat(OutputFormat format, std::string_view id);

// Appends `field` as an RFC 4180 CSV field: in double quotes, quotes doubled,
// when it holds a comma, quote, CR or LF; else as it is. No spreadsheet
// guard (the batch CSV adds one; OMOP rows, for a database loader, do not).
void AppendRfc4180Field(std::string* out, std::string_view field);

// The CSV header line (with its newline):
// id,status,code,title,score,rank,rationale,evidence,error_kind,error_message,
// evidence_text (appended last, so readers of the older columns keep working)
const std::string& CsvHeader();

// The output of one analysed note, ending in a newline. JSONL: ResultToJson.
// CSV: one row per suggestion (rank 1 first), or one row with an empty code
// when there are none. Evidence is "begin-end" pairs joined by ';' in
// options.offset_unit.
std::string FormatResult(OutputFormat format, const Result& result, std::string_view text,
                         std::string_view id, const AnalyzeOptions& options);

// The output of a note that failed (ErrorToJson, or a CSV row with
// status=error, error_kind and error_message). FHIR: the JSON error line.
// OMOP: nothing (NOTE_NLP has no place for it; the run logs the id and kind,
// counts it in the summary and exits 1).
std::string FormatError(OutputFormat format, std::string_view id, const Status& status);

// --resume: scans the existing output at `path`, truncates an incomplete tail
// and sets *done to the number of input records already written. JSONL: the
// complete lines (a last line without its newline is cut). CSV: the notes
// before the last one (whose rows may be incomplete; it is cut and redone); a
// note starts at a row with rank 1 or an empty rank. *has_header is set when
// a CSV header is present. A missing file means done = 0. False on I/O error.
//
// Before anything is truncated, `check` (if set) is called with the record
// ids of the records kept, as written (JSONL: the decoded "id"; CSV: the id
// cell as it stands in the file, see CsvIdCell); if it returns false,
// nothing is changed, *error is its reason and *refused is set: the output
// was not written from this input (issue 19 item 10).
using ResumeCheck = std::function<bool(const std::vector<std::string>& ids, std::string* why)>;
bool PrepareResume(const std::string& path, OutputFormat format, uint64_t* done,
                   bool* has_header, std::string* error, const ResumeCheck& check = nullptr,
                   bool* refused = nullptr);

// An id as the CSV writer puts it in the id cell (formula guard, quoting).
std::string CsvIdCell(std::string_view id);

// The output file (or stdout) of `suggest batch`. Records go out with
// write(2), a batch at a time, and every error is checked. When a write fails
// (disk full, EFBIG under a file-size limit) a regular file is cut back to the
// end of the last record written whole, so it never ends in a torn record and
// --resume continues from there.
class OutputSink {
 public:
  OutputSink() = default;
  ~OutputSink();
  OutputSink(const OutputSink&) = delete;
  OutputSink& operator=(const OutputSink&) = delete;

  // "-" = stdout. `append` keeps the existing content (--resume), else the
  // file is truncated. False with *error ("cannot open output PATH: why").
  bool Open(const std::string& path, bool append, std::string* error);
  // Writes `data`, whole records ending at the offsets `ends` (ascending, the
  // last one data.size()). *whole = how many records are in the output
  // whole afterwards: all of them, or on failure (false, *error set) those
  // before the cut.
  bool Write(std::string_view data, const std::vector<size_t>& ends, size_t* whole,
             std::string* error);
  // One record.
  bool Write(std::string_view data, std::string* error) {
    size_t whole = 0;
    return Write(data, {data.size()}, &whole, error);
  }
  // Closes the file (stdout is only checked); false with *error on failure.
  bool Close(std::string* error);

 private:
  std::string path_;
  int fd_ = -1;
  bool owned_ = false;    // fd_ is ours to close (not stdout)
  bool regular_ = false;  // a regular file: can be cut back on failure
  uint64_t committed_ = 0;  // file size after the last whole write
};

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_BATCH_OUTPUT_H_
