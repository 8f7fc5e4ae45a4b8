// Copyright libsuggest authors.
//
// The `suggest` command-line tool. Uses only the public C++ API.
//
//   suggest analyze FILE|-            JSON result of one note per input
//                                     (--setting outpatient|inpatient)
//   suggest batch --input X --output Y
//                                     JSONL/CSV/folder in, JSONL/CSV out, in
//                                     input order (batch_runner.h)
//   suggest eval / eval-negex / assertion
//                                     moved to the developer binary
//                                     suggest-dev (suggest_dev_main.cc): a
//                                     one-line hint, exit 2
//   suggest report --html OUT ...     HTML pages of results (report_cmd.h)
//   suggest models compile            precompile the models' Vectorscan
//                                     databases into <models>/compiled/
//   suggest lint [MODELS_DIR]         every error of a models folder
//                                     (lint_cmd.h: exit 0 clean, 1 errors)
//
// Exit codes (cli_common.h, ExitCode): 0 all notes ok; 1 some note failed
// (its error record is still written); 2 usage error; 3 model failed to load;
// 4 I/O error (input unreadable, output not writable).
//
// Logs go to stderr through spdlog (--log-level or SUGGEST_LOG_LEVEL). Note
// text never appears in a log line at info level or above.

#include <csignal>
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli_common.h"
#include "batch_io.h"
#include "batch_output.h"
#include "interop_output.h"
#include "batch_runner.h"
#include "report_cmd.h"
#include "lint_cmd.h"
#include "console.h"
#include "suggest/suggest.h"

namespace {

using suggest::tools::kExitIo;
using suggest::tools::kExitModel;
using suggest::tools::kExitNoteFailed;
using suggest::tools::kExitOk;
using suggest::tools::kExitUsage;

constexpr const char* kHelpFooter = R"(Examples:
  suggest analyze note.txt                          JSON result of one note
  suggest batch --input notes.jsonl --output out.jsonl
  suggest batch --input notes.csv --id-column note_id --output out.csv
  suggest batch --input notes.jsonl --output out.jsonl --resume
                                                    continue a killed run (refused,
                                                    exit 2, if input/options/models differ)
  suggest report --html out/ --input notes.jsonl    review pages + out/index.html
  suggest COMMAND --help                            the options of one command

Exit codes:
  0  every note ok
  1  some note failed (its error record is still written)
  2  usage error (bad option, missing CSV column, --resume into another run's output)
  3  models failed to load
  4  I/O error (input unreadable, output not writable)

Guide: docs/cli.md of the source tree.)";

struct Common {
  suggest::tools::ModelFlags model;  // --models, --cache-dir, --code-set-year
  bool repair_utf8 = false;
  std::string offsets = "bytes";
  uint64_t max_note_bytes = 64ull << 20;
  bool text_layer = true;
  std::string setting = "outpatient";
  std::string date_of_service, patient_id, encounter_id;  // analyze, report FILE

  suggest::AnalyzeOptions ToOptions() const {
    suggest::AnalyzeOptions o;
    o.invalid_utf8 = repair_utf8 ? suggest::InvalidUtf8Policy::kReplace
                                 : suggest::InvalidUtf8Policy::kError;
    o.max_note_bytes = max_note_bytes;
    o.include_text_layer = text_layer;
    o.offset_unit = offsets == "utf16"        ? suggest::OffsetUnit::kUtf16
                    : offsets == "codepoints" ? suggest::OffsetUnit::kCodePoints
                                              : suggest::OffsetUnit::kBytes;
    o.setting = setting == "inpatient" ? suggest::Setting::kInpatient
                                       : suggest::Setting::kOutpatient;
    o.date_of_service = date_of_service;
    o.patient_id = patient_id;
    o.encounter_id = encounter_id;
    return o;
  }
};

// `report` has no --offsets: its pages always show byte offsets.
void AddCommon(CLI::App* app, Common* c, bool with_offsets = true) {
  suggest::tools::AddModelsOption(app, &c->model);
  suggest::tools::AddCacheDirOption(app, &c->model);
  app->add_flag("--repair-utf8", c->repair_utf8,
                "read invalid UTF-8 bytes as U+FFFD instead of failing the note");
  if (with_offsets)
    app->add_option("--offsets", c->offsets, "offset unit in the output")
        ->check(CLI::IsMember({"bytes", "utf16", "codepoints"}));
  // 1 .. 4 GiB - 2 (offsets are 32-bit): "-1" or a larger value is a usage
  // error (exit 2), not "unlimited".
  app->add_option("--max-note-bytes", c->max_note_bytes,
                  "refuse notes larger than this (default 64 MiB, at most 4294967294)")
      ->check(CLI::Range(int64_t{1}, static_cast<int64_t>(suggest::tools::kMaxNoteBytesCeiling)));
  suggest::tools::AddCodeSetYear(app, &c->model);
  app->add_option("--setting", c->setting,
                  "care setting: outpatient (default) or inpatient; decides how uncertain "
                  "diagnoses are coded (a batch record's own \"setting\" wins)")
      ->check(CLI::IsMember({"outpatient", "inpatient"}));
}

// The input fields of a note (analyze; report of note files). A value the
// library refuses makes that note an error record naming the field.
void AddInputFields(CLI::App* app, Common* c) {
  app->add_option("--date-of-service", c->date_of_service,
                  "date of the encounter, YYYY-MM-DD: chooses the ICD-10-CM code set "
                  "(FY2026 from 2025-10-01, FY2027 from 2026-10-01)");
  app->add_option("--patient-id", c->patient_id, "the patient's identifier (echoed; FHIR subject)");
  app->add_option("--encounter-id", c->encounter_id,
                  "the encounter's identifier (echoed; FHIR encounter)");
}

// The flags of a batch run that change its records, for the run manifest
// (--resume refuses an output written with other values).
std::map<std::string, std::string> RunOptions(const Common& c, bool fhir_include_text) {
  return {{"--offsets", c.offsets},
          {"--repair-utf8", c.repair_utf8 ? "true" : "false"},
          {"--max-note-bytes", std::to_string(c.max_note_bytes)},
          {"--code-set", c.model.code_set_year ? std::to_string(c.model.code_set_year) : "(default)"},
          {"--setting", c.setting},
          {"--text-layer", c.text_layer ? "true" : "false"},
          {"--fhir-include-text", fhir_include_text ? "true" : "false"}};
}

// --format / --output-format fhir|omop: the run's interop options
// (interop_output.h); false with a logged error when --omop-concepts cannot
// be read.
bool SetUpInterop(bool fhir_include_text, const std::string& omop_concepts) {
  suggest::tools::InteropOptions io;
  io.fhir_include_text = fhir_include_text;
  suggest::tools::SetRunTime(&io);
  if (!omop_concepts.empty()) {
    std::string error;
    if (!suggest::tools::LoadOmopConcepts(omop_concepts, &io.omop_concepts, &error)) {
      spdlog::error("{}", error);
      return false;
    }
  }
  suggest::tools::SetInteropOptions(std::move(io));
  return true;
}

// Prints the output of an analysed note. JSON is streamed in pieces as it
// is written (ResultToJson with a sink): the text layer of a 10 MB note is a
// 30 MB line, which held whole was a third of the process's peak memory
// (docs/performance.md "Peak RSS of one 10 MB note, fourth pass"). The other
// formats are built whole. If writing fails for lack of memory, *result
// becomes the error to print instead; a streamed line already begun is ended
// first, so the error record stands on a line of its own.
void PrintResult(suggest::tools::OutputFormat format, std::string_view text,
                 const std::string& id, const suggest::AnalyzeOptions& opts,
                 suggest::StatusOr<suggest::Result>* result) {
  bool begun = false;
  try {
    if (format == suggest::tools::OutputFormat::kJsonl) {
      suggest::ResultToJson(**result, text, id, opts, [&](std::string_view piece) {
        begun = true;
        std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      });
      std::cout << '\n';
    } else {
      std::cout << suggest::tools::FormatResult(format, **result, text, id, opts);
    }
    return;
  } catch (const std::bad_alloc&) {
    *result = suggest::Status(suggest::StatusCode::kResourceExhausted,
                              "out of memory while writing the result", "resource_exhausted");
  } catch (const std::length_error& e) {
    *result = suggest::Status(suggest::StatusCode::kInternal, e.what(), "internal");
  }
  if (begun) std::cout << '\n';
}

// The model is left to the process's exit, not freed piece by piece: after
// a batch its thousands of RE2 objects (and their DFA caches) took ~13 M
// instructions to free, serial, after the last record, and after one short
// note ~3 % of the process (docs/performance.md). A reference from a global:
// still reachable, so no leak report. Volatile, or the optimizer drops the
// unread store and LeakSanitizer reports it. Once per process.
void KeepToExit(const suggest::Model& model) {
  [[maybe_unused]] static const suggest::Model* volatile kept = nullptr;
  kept = new suggest::Model(model);
}

int RunAnalyze(const Common& c, const std::vector<std::string>& files,
               const std::string& id_flag, const std::string& format) {
  // Output past a file-size limit (ulimit -f) fails as a write error,
  // reported below (exit 4), instead of SIGXFSZ killing the process.
  std::signal(SIGXFSZ, SIG_IGN);
#ifdef __GLIBC__
  // One note at a time, so one malloc arena: the model load's threads
  // (rule files compiled side by side) would each leave an arena of their
  // own, partly used, for the life of the process (about 1.3 MiB of peak
  // RSS on a 10 MB note; docs/performance.md). Not `batch`: its workers
  // allocate per note, side by side.
  mallopt(M_ARENA_MAX, 1);
  // A fixed mmap threshold (glibc's default, 128 KiB, made fixed): glibc
  // raises its own after each large block freed (a long note's arrays), and
  // blocks under the raised threshold then stay in the heap once freed: a
  // 10 MB note peaked 0.2-1 MiB higher (docs/performance.md). Lower values
  // cut a little more and cost the 10 MB note ~25 % more time in page faults.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  auto model = suggest::tools::LoadModel(c.model);
  if (!model) return kExitModel;
  KeepToExit(*model);
#ifdef __GLIBC__
  // The load's transient memory (rule files parsed, databases compiled or
  // read) goes back to the system before the first note, so a long note's
  // peak is the loaded model plus the note's own working set
  // (docs/performance.md "Peak RSS").
  malloc_trim(0);
#endif
  const suggest::AnalyzeOptions opts = c.ToOptions();
  using suggest::tools::OutputFormat;
  const OutputFormat out_format = format == "fhir"   ? OutputFormat::kFhir
                                  : format == "omop" ? OutputFormat::kOmop
                                                     : OutputFormat::kJsonl;
  if (out_format == OutputFormat::kOmop) std::cout << suggest::tools::OmopHeader();
  int rc = kExitOk;
  for (const std::string& f : files) {
    std::string error;
    std::optional<suggest::Status> refused;
    // The limit applies while reading: /dev/zero, a pipe or stdin stop at it.
    auto text = suggest::tools::ReadNoteLimited(f, opts.max_note_bytes, &refused, &error);
    if (!text) {
      spdlog::error("cannot read {}: {}", f, error);
      return kExitIo;
    }
    const std::string id = !id_flag.empty() ? id_flag : (f == "-" ? "stdin" : f);
    auto result = refused ? suggest::StatusOr<suggest::Result>(*refused)
                  : suggest::tools::CheckRecordForFormat(out_format, id).ok()
                      ? model->AnalyzeInPlace(&*text, opts)
                      : suggest::StatusOr<suggest::Result>(
                            suggest::tools::CheckRecordForFormat(out_format, id));
    if (result.ok()) PrintResult(out_format, *text, id, opts, &result);
    if (!result.ok()) {
      spdlog::warn("note {} failed: {}", suggest::tools::LogSafe(id), result.status().ToString());
      std::cout << suggest::tools::FormatError(out_format, id, result.status());
      rc = kExitNoteFailed;
    }
  }
  std::cout.flush();
  if (!std::cout) {
    spdlog::error("cannot write output");
    return kExitIo;
  }
  return rc;
}

int RunBatch(const Common& c, suggest::tools::BatchConfig config) {
  auto model = suggest::tools::LoadModel(c.model);
  if (!model) return kExitModel;
  KeepToExit(*model);
  config.input.max_note_bytes = c.max_note_bytes;
  return suggest::tools::RunBatchPipeline(*model, c.ToOptions(), config);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"libsuggest " SUGGEST_VERSION_STRING
               ": spinal-fusion ICD-10-CM suggestions from clinical notes"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("suggest ") + SUGGEST_VERSION_STRING);
  app.footer(kHelpFooter);
  std::string log_level;
  app.add_option("--log-level", log_level,
                 "trace|debug|info|warn|error|off (default: $SUGGEST_LOG_LEVEL or warn)");

  Common common;
  auto* analyze = app.add_subcommand("analyze", "print the JSON result of each note file");
  std::vector<std::string> files;
  std::string id_flag;
  analyze->add_option("files", files, "note files (UTF-8), or - for stdin")->required();
  analyze->add_option("--id", id_flag, "id to report (default: the file name)");
  // The text layer (AnalyzeOptions::include_text_layer): what the output
  // holds, nothing else; facts and codes are the same either way. Both
  // commands take both spellings; analyze (one note, read by people)
  // includes it by default, batch (archives) leaves it out.
  analyze->add_flag("--text-layer,!--no-text-layer", common.text_layer,
                    "include sections and sentences in the output (default; --no-text-layer: "
                    "leave them out)");
  std::string analyze_format = "json";
  analyze->add_option("--format", analyze_format,
                      "output: json (default), fhir (one FHIR R4 Bundle per note), omop "
                      "(OMOP CDM v5.4 NOTE_NLP CSV; the id must be an integer)")
      ->check(CLI::IsMember({"json", "fhir", "omop"}));
  bool fhir_include_text = false;
  std::string omop_concepts;
  for (CLI::App* sub : {analyze}) {
    sub->add_flag("--fhir-include-text", fhir_include_text,
                  "FHIR: put the note text (and evidence text) into the Bundle");
    sub->add_option("--omop-concepts", omop_concepts,
                    "OMOP: a vocabulary CONCEPT.csv to look up ICD10CM source concept ids");
  }
  AddCommon(analyze, &common);
  AddInputFields(analyze, &common);

  auto* batch = app.add_subcommand(
      "batch", "analyze JSONL / CSV records or a folder of .txt notes, in input order");
  suggest::tools::BatchConfig bc;
  batch->add_option("--input", bc.input.path,
                    "input JSONL or CSV file (- for stdin), or a folder of .txt files")
      ->required();
  batch->add_option("--output", bc.output, "output JSONL or CSV (- for stdout)");
  batch->add_option("--format", bc.input.format,
                    "input format jsonl|csv (default: by extension); fhir|omop here mean "
                    "--output-format")
      ->check(CLI::IsMember({"jsonl", "csv", "fhir", "omop"}));
  batch->add_option("--output-format", bc.output_format,
                    "output format jsonl|csv|fhir|omop (default: by extension)")
      ->check(CLI::IsMember({"jsonl", "csv", "fhir", "omop"}));
  batch->add_flag("--fhir-include-text", fhir_include_text,
                  "FHIR: put the note text (and evidence text) into the Bundles");
  batch->add_option("--omop-concepts", omop_concepts,
                    "OMOP: a vocabulary CONCEPT.csv to look up ICD10CM source concept ids");
  batch->add_option("--id-column", bc.input.id_column, "CSV input: id column (default id)");
  batch->add_option("--text-column", bc.input.text_column,
                    "CSV input: text column (default text)");
  batch->add_option("--threads", bc.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  batch->add_flag("--resume", bc.resume,
                  "continue an interrupted run: skip the records already in --output, append");
  batch->add_option("--summary", bc.summary_path, "also write the end summary as JSON here");
  batch->add_option("--progress-interval", bc.progress_interval,
                    "seconds between progress log lines when stderr is not a terminal "
                    "(default 5; shown at the default log level)");
  batch->add_flag("!--no-progress", bc.progress, "no progress line / periodic progress logs");
  bool batch_text_layer = false;
  batch->add_flag("--text-layer,!--no-text-layer", batch_text_layer,
                  "include sections and sentences in the output (default for batch: "
                  "--no-text-layer, 3 to 4 times faster; facts and codes are the same)");
  AddCommon(batch, &common);

  auto* report = app.add_subcommand(
      "report", "write HTML pages: note text with highlighted facts and evidence, suggestions");
  suggest::tools::ReportConfig rep;
  report->add_option("--html", rep.html_out,
                     "output page (- for stdout), or with --input an output directory")
      ->required();
  report->add_option("files", rep.files, "note files (UTF-8), or - for stdin: one page");
  report->add_option("--input", rep.input.path,
                     "JSONL or CSV file, or a folder of .txt: one page per note + index.html");
  report->add_option("--format", rep.input.format, "input format (default: by extension)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  report->add_option("--id-column", rep.input.id_column, "CSV input: id column (default id)");
  report->add_option("--text-column", rep.input.text_column,
                     "CSV input: text column (default text)");
  AddCommon(report, &common, /*with_offsets=*/false);
  AddInputFields(report, &common);

  auto* models = app.add_subcommand("models", "work on a models directory");
  models->require_subcommand(1);
  auto* models_compile = models->add_subcommand(
      "compile",
      "write the compiled Vectorscan databases to <models>/compiled/, found first at every "
      "load (read-only installs, containers: no cache directory, no compile at start)");
  suggest::tools::ModelFlags compile_flags;
  suggest::tools::AddModelsOption(models_compile, &compile_flags);
  suggest::tools::AddCodeSetYear(models_compile, &compile_flags);
  suggest::tools::AddCacheDirOption(models_compile, &compile_flags);

  auto* lint = app.add_subcommand(
      "lint", "load a models folder and print every error of it (exit 0 clean, 1 errors)");
  std::string lint_dir = suggest::tools::DefaultModelsDir();
  lint->add_option("MODELS_DIR", lint_dir, "models directory (default: as --models)");

  app.add_subcommand("version", "print the library version");
  // The developer commands live in suggest-dev (not installed; their defaults
  // name data of the build machine). Hidden here, taking any arguments, so
  // that `suggest eval ...` says where they went instead of "unknown command".
  std::vector<CLI::App*> moved;
  for (const char* name : {"eval", "eval-negex", "assertion"}) {
    CLI::App* sub = app.add_subcommand(name, "moved to suggest-dev");
    sub->group("")->allow_extras()->set_help_flag();
    moved.push_back(sub);
  }

  if (auto rc = suggest::tools::ParseCommandLine(&app, argc, argv, "suggest")) return *rc;
  for (const CLI::App* sub : moved) {
    if (sub->parsed()) {
      std::fprintf(stderr,
                   "suggest: error: `%s` is a developer command: run `suggest-dev %s` (built "
                   "beside suggest, not installed)\n",
                   sub->get_name().c_str(), sub->get_name().c_str());
      return kExitUsage;
    }
  }
  suggest::tools::SetUpLogging(log_level);
  suggest::tools::WarnDeprecatedSpellings(app);

  if ((*analyze || *batch) && !SetUpInterop(fhir_include_text, omop_concepts)) return kExitUsage;
  if (*analyze) return RunAnalyze(common, files, id_flag, analyze_format);
  if (*batch) {
    if (bc.input.format == "fhir" || bc.input.format == "omop") {
      if (!bc.output_format.empty() && bc.output_format != bc.input.format) {
        spdlog::error("--format {} and --output-format {} disagree", bc.input.format,
                      bc.output_format);
        return kExitUsage;
      }
      bc.output_format = bc.input.format;  // an output format: the input is by extension
      bc.input.format.clear();
    }
    common.text_layer = batch_text_layer;
    bc.run_options = RunOptions(common, fhir_include_text);
    return RunBatch(common, bc);
  }
  if (*report) {
    if (std::string err = suggest::tools::ReportUsageError(rep); !err.empty()) {
      spdlog::error("{}", err);
      return kExitUsage;
    }
    rep.input.max_note_bytes = common.max_note_bytes;  // folder files, record caps
    auto model = suggest::tools::LoadModel(common.model);  // text layer on: section headers are shown
    if (!model) return kExitModel;
    return suggest::tools::RunReport(*model, common.ToOptions(), rep);
  }
  if (*models_compile) {
    std::vector<std::string> notes;
    auto written =
        suggest::CompileModels(compile_flags.models_dir, compile_flags.ToLoadOptions(), &notes);
    for (const std::string& note : notes) spdlog::debug("{}", note);
    if (!written.ok()) {
      spdlog::error("models compile: {}", written.status().ToString());
      return written.status().kind() == "write_error" ? kExitIo : kExitModel;
    }
    for (const std::string& path : *written) std::cout << path << '\n';
    if (written->empty()) spdlog::warn("models compile: nothing to compile (built without Vectorscan)");
    return kExitOk;
  }
  if (*lint) return suggest::tools::RunLint(lint_dir);
  std::cout << SUGGEST_VERSION_STRING << '\n';
  return kExitOk;
}
