// Copyright libsuggest authors.
//
// One JSONL record in, one JSON result line out, for `suggest batch`.

#ifndef LIBSUGGEST_TOOLS_BATCH_IO_H_
#define LIBSUGGEST_TOOLS_BATCH_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "batch_input.h"
#include "suggest/suggest.h"

namespace suggest::tools {

struct BatchStats {
  uint64_t notes = 0;   // records written (ok + error)
  uint64_t errors = 0;  // error records
};

// Parses `line` as {"id": string|number, "text": string} into *rec (an
// error record with kind "bad_record" naming the line if it is not one).
// Returns false for a blank line (no record).
bool ParseJsonlRecord(std::string_view line, uint64_t line_no, BatchRecord* rec);

// Parses `line` as {"id": string|number, "text": string} and returns the
// result JSON, or an error record (kind "bad_record" with the line number,
// or the note's own error). A blank line returns "" and counts nothing.
// Error messages never quote the record's text.
std::string ProcessJsonlLine(const Model& model, const AnalyzeOptions& opts,
                             std::string_view line, uint64_t line_no,
                             BatchStats* stats);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_BATCH_IO_H_
