// Copyright libsuggest authors.
//
// `suggest report --html OUT ...`: human-readable HTML pages of results
// (html_report.h renders them). Public C++ API only. Two layouts:
//
//   report --html OUT.html FILE... | -
//       one self-contained page for all the given note files, one <section>
//       per note in argument order, a table of contents when there is more
//       than one; OUT.html "-" writes the page to stdout.
//   report --html OUT_DIR --input BATCH [--format/--id-column/--text-column]
//       BATCH as for `suggest batch` (JSONL, CSV or a folder of .txt); one
//       page per note, OUT_DIR/<name>.html, plus OUT_DIR/index.html linking
//       them in input order. <name> is the id reduced to [A-Za-z0-9._-]
//       (other bytes become '_', a leading '.' or '-' gets a "note_" prefix,
//       at most 100 bytes, "note" if empty); a name already used in this run
//       (compared case-insensitively; "index" is reserved) gets "-2", "-3",
//       ... OUT_DIR is created if missing; existing pages are overwritten.
//
// A note that cannot be analysed (invalid UTF-8 without --repair-utf8, too
// large, empty, a bad batch record, an unreadable file) becomes an error
// section (single page) or an error row in the index (batch; no page) and the
// run goes on. Files are written to a temporary name and renamed, so a page
// is either complete or absent.
//
// Exit codes: 0 every note ok; 1 some note failed; 2 usage (neither or both
// of FILE... and --input, --input with --html -, a missing CSV column);
// 4 I/O (an unreadable note file or input, an unwritable output). The caller
// (suggest_main.cc) loads the model (exit 3).

#ifndef LIBSUGGEST_TOOLS_REPORT_CMD_H_
#define LIBSUGGEST_TOOLS_REPORT_CMD_H_

#include <string>
#include <string_view>
#include <vector>

#include "batch_input.h"
#include "suggest/suggest.h"

namespace suggest::tools {

struct ReportConfig {
  std::string html_out;            // --html: page file ("-" = stdout) or directory
  std::vector<std::string> files;  // single-page mode ("-" = stdin)
  InputSpec input;                 // batch mode when input.path is set
};

// "" if the configuration is usable, else the usage error to report (exit 2).
std::string ReportUsageError(const ReportConfig& config);

// Runs the report (config must pass ReportUsageError); returns the exit code.
int RunReport(const Model& model, const AnalyzeOptions& options, const ReportConfig& config);

// The page file stem for a note id (see above; no uniqueness handling).
std::string ReportFileStem(std::string_view id);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_REPORT_CMD_H_
