// Copyright libsuggest authors.
//
// Record sources for `suggest batch`: JSONL, CSV (RFC 4180) or a folder of
// .txt files. Each source yields records one at a time (bounded memory).

#ifndef LIBSUGGEST_TOOLS_BATCH_INPUT_H_
#define LIBSUGGEST_TOOLS_BATCH_INPUT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "batch_record.h"
#include "suggest/suggest.h"

namespace suggest::tools {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Next record; false at the end of the input. With `skip` set the record is
  // consumed but its text need not be loaded (used by --resume).
  virtual bool Next(BatchRecord* rec, bool skip) = 0;
  // Input bytes (or files) consumed so far and in total; total 0 = unknown.
  virtual uint64_t Consumed() const = 0;
  virtual uint64_t Total() const = 0;
  // True after a read error on the underlying stream (exit code 4).
  virtual bool Failed() const { return false; }
  // False when the next Next() may have to wait for input that has not come
  // yet (a pipe fed slowly): the pipeline then hands over the records it has
  // instead of holding them back for a full block.
  virtual bool MoreBuffered() const { return true; }
  // With `defer` set, Next() may return a record whose parsing is left to
  // Complete() (raw_line_no set), which any thread may call outside the
  // input lock: the batch pipeline keeps reading, the one serial step, short
  // (JSONL: splitting lines only; the JSON is parsed by the worker).
  virtual void DeferParsing(bool defer) { (void)defer; }
  // Finishes a record from Next(); a no-op unless raw_line_no is set.
  // Thread-safe (uses no state of the source).
  virtual void Complete(BatchRecord* rec) const { (void)rec; }
};

struct InputSpec {
  std::string path;      // file, directory, or "-" for stdin
  std::string format;    // "", "jsonl", "csv" ("" = by extension / directory)
  std::string id_column = "id";
  std::string text_column = "text";
  // CSV input: the optional per-record setting column (none if absent).
  std::string setting_column = "setting";
  // Folder input: a file larger than this becomes a note_too_large error
  // record without being read (0 = no limit). AnalyzeOptions::max_note_bytes.
  uint64_t max_note_bytes = 0;
};

// Opens the source; on failure returns null and sets *error (and *usage when
// it is a usage problem such as a missing CSV column rather than an I/O one).
std::unique_ptr<RecordSource> OpenRecordSource(const InputSpec& spec,
                                               std::string* error, bool* usage);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_BATCH_INPUT_H_
