// Copyright libsuggest authors.
//
// One input record of `suggest batch`, shared by the record sources
// (batch_input.h) and the record parser (batch_io.h), so neither header
// includes the other.

#ifndef LIBSUGGEST_TOOLS_BATCH_RECORD_H_
#define LIBSUGGEST_TOOLS_BATCH_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>

#include "suggest/suggest.h"

namespace suggest::tools {

// One input record: an id and a note, or an error (a bad record / an
// unreadable file) that becomes an error record in the output.
struct BatchRecord {
  std::string id;
  std::string text;
  std::optional<Status> error;  // set: write ErrorToJson(id, *error)
  // The record's own care setting (JSONL "setting", CSV column "setting");
  // unset: the --setting flag applies.
  std::optional<Setting> setting;
  // The record's input fields (JSONL keys / CSV columns of the same names;
  // unset: none). Their values are checked by Model::Analyze.
  std::optional<std::string> date_of_service;
  std::optional<std::string> patient_id;
  std::optional<std::string> encounter_id;
  // Set (the line number) when `text` still holds the raw input line, to be
  // parsed by RecordSource::Complete (RecordSource::DeferParsing).
  uint64_t raw_line_no = 0;

  // Forgets the optional fields of the previous record.
  void ClearFields() {
    setting.reset();
    date_of_service.reset();
    patient_id.reset();
    encounter_id.reset();
  }
};

// The analyse options of one record: `run` (the command line's) with the
// record's own fields put in.
AnalyzeOptions RecordOptions(const BatchRecord& rec, const AnalyzeOptions& run);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_BATCH_RECORD_H_
