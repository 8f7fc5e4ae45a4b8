// Copyright libsuggest authors.
//
// The `suggest batch` pipeline: N worker threads take turns reading blocks of
// consecutive input records and analyse them (Model is immutable and
// thread-safe); the calling thread writes results strictly in input order,
// one write per batch of ready blocks. At most a fixed window of bytes is in
// flight, so memory stays bounded whatever the input size (batch_runner.cc).

#ifndef LIBSUGGEST_TOOLS_BATCH_RUNNER_H_
#define LIBSUGGEST_TOOLS_BATCH_RUNNER_H_

#include <map>
#include <string>

#include "batch_input.h"
#include "batch_output.h"
#include "suggest/suggest.h"

namespace suggest::tools {

struct BatchConfig {
  InputSpec input;
  std::string output = "-";       // file or "-" for stdout
  std::string output_format;      // "", "jsonl", "csv", "fhir", "omop" ("" = by extension)
  unsigned threads = 0;           // 0 = std::thread::hardware_concurrency()
  bool resume = false;            // continue an interrupted run into `output`
  std::string summary_path;       // JSON summary file ("" = none)
  bool progress = true;           // progress line (TTY) / periodic info lines
  double progress_interval = 5;   // seconds between non-TTY progress lines
  // Flags that change a record (flag name -> value as given), for the run
  // manifest (run_manifest.h); the runner adds the input/output formats and
  // CSV columns.
  std::map<std::string, std::string> run_options;
};

// OpenRecordSource for a command (batch, report --input): on failure logs the
// error, sets *exit_code (kExitUsage for a usage error such as a missing CSV
// column, else kExitIo) and returns null.
std::unique_ptr<RecordSource> OpenInputOrLog(const InputSpec& spec, int* exit_code);

// Runs the batch; returns the CLI exit code (0 ok, 1 some record failed,
// 2 usage, 4 I/O error).
int RunBatchPipeline(const Model& model, const AnalyzeOptions& options,
                     const BatchConfig& config);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_BATCH_RUNNER_H_
