// Copyright libsuggest authors.
//
// The `suggest` command-line tool. Uses only the public C++ API.
//
//   suggest analyze FILE|-            JSON result of one note per input
//   suggest batch --input X.jsonl --output Y.jsonl
//                                     one result per input line, in order
//   suggest assertion / eval-negex    assertion engine (assertion_cmd.h)
//
// Exit codes: 0 all notes ok; 1 some note failed (its error record is still
// written); 2 usage error; 3 model failed to load; 4 I/O error (input
// unreadable, output not writable).
//
// Logs go to stderr through spdlog (--log-level or SUGGEST_LOG_LEVEL). Note
// text never appears in a log line at info level or above.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "assertion_cmd.h"
#include "eval_cmd.h"
#include "batch_io.h"
#include "suggest/suggest.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitNoteFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitModel = 3;
constexpr int kExitIo = 4;

std::string DefaultModelsDir() {
  if (const char* env = std::getenv("SUGGEST_MODELS"); env && *env) return env;
  return SUGGEST_DEFAULT_MODELS_DIR;
}

void SetUpLogging(const std::string& level_flag) {
  auto logger = spdlog::stderr_color_mt("suggest");
  spdlog::set_default_logger(logger);
  std::string level = level_flag;
  if (level.empty()) {
    const char* env = std::getenv("SUGGEST_LOG_LEVEL");
    level = env && *env ? env : "warn";
  }
  spdlog::set_level(spdlog::level::from_str(level));
}

// Reads a whole file (or stdin for "-") as bytes.
std::optional<std::string> ReadAll(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Common {
  std::string models_dir = DefaultModelsDir();
  bool repair_utf8 = false;
  std::string offsets = "bytes";
  uint64_t max_note_bytes = 64ull << 20;
  int code_set_year = 0;
  bool text_layer = true;

  suggest::AnalyzeOptions ToOptions() const {
    suggest::AnalyzeOptions o;
    o.invalid_utf8 = repair_utf8 ? suggest::InvalidUtf8Policy::kReplace
                                 : suggest::InvalidUtf8Policy::kError;
    o.max_note_bytes = max_note_bytes;
    o.include_text_layer = text_layer;
    o.offset_unit = offsets == "utf16"        ? suggest::OffsetUnit::kUtf16
                    : offsets == "codepoints" ? suggest::OffsetUnit::kCodePoints
                                              : suggest::OffsetUnit::kBytes;
    return o;
  }
};

void AddCommon(CLI::App* app, Common* c) {
  app->add_option("--models", c->models_dir,
                  "models directory (default: $SUGGEST_MODELS or the source tree's models/)");
  app->add_flag("--repair-utf8", c->repair_utf8,
                "read invalid UTF-8 bytes as U+FFFD instead of failing the note");
  app->add_option("--offsets", c->offsets, "offset unit in the output")
      ->check(CLI::IsMember({"bytes", "utf16", "codepoints"}));
  app->add_option("--max-note-bytes", c->max_note_bytes,
                  "refuse notes larger than this (default 64 MiB)");
  app->add_option("--code-set", c->code_set_year,
                  "ICD-10-CM fiscal year, e.g. 2026 (default: models/icd10cm/default, FY2027)");
}

std::optional<suggest::Model> LoadModel(const Common& c) {
  suggest::LoadOptions load;
  load.code_set_year = c.code_set_year;
  auto model = suggest::Model::Load(c.models_dir, load);
  if (!model.ok()) {
    spdlog::error("cannot load models: {}", model.status().ToString());
    return std::nullopt;
  }
  return std::move(*model);
}

int RunAnalyze(const Common& c, const std::vector<std::string>& files,
               const std::string& id_flag) {
  auto model = LoadModel(c);
  if (!model) return kExitModel;
  const suggest::AnalyzeOptions opts = c.ToOptions();
  int rc = kExitOk;
  for (const std::string& f : files) {
    auto text = ReadAll(f);
    if (!text) {
      spdlog::error("cannot read {}", f);
      return kExitIo;
    }
    const std::string id = !id_flag.empty() ? id_flag : (f == "-" ? "stdin" : f);
    auto result = model->Analyze(*text, opts);
    if (result.ok()) {
      std::cout << suggest::ResultToJson(*result, *text, id, opts) << '\n';
    } else {
      spdlog::warn("note {} failed: {}", id, result.status().ToString());
      std::cout << suggest::ErrorToJson(id, result.status()) << '\n';
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

int RunBatch(const Common& c, const std::string& input, const std::string& output) {
  auto model = LoadModel(c);
  if (!model) return kExitModel;
  const suggest::AnalyzeOptions opts = c.ToOptions();

  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (input != "-") {
    in_file.open(input, std::ios::binary);
    if (!in_file) {
      spdlog::error("cannot open input {}", input);
      return kExitIo;
    }
    in = &in_file;
  }
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (output != "-") {
    out_file.open(output, std::ios::binary | std::ios::trunc);
    if (!out_file) {
      spdlog::error("cannot open output {}", output);
      return kExitIo;
    }
    out = &out_file;
  }

  suggest::tools::BatchStats stats;
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    std::string record = suggest::tools::ProcessJsonlLine(*model, opts, line, line_no, &stats);
    if (record.empty()) continue;  // blank line
    *out << record << '\n';
    if (!*out) {
      spdlog::error("write failed after {} records (disk full?)", stats.notes);
      return kExitIo;
    }
  }
  out->flush();
  if (!*out) {
    spdlog::error("write failed at the end (disk full?)");
    return kExitIo;
  }
  if (in->bad()) {
    spdlog::error("read error on input after line {}", line_no);
    return kExitIo;
  }
  spdlog::info("batch done: {} notes, {} errors", stats.notes, stats.errors);
  return stats.errors > 0 ? kExitNoteFailed : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"libsuggest " SUGGEST_VERSION_STRING
               ": spinal-fusion ICD-10-CM suggestions from clinical notes"};
  app.require_subcommand(1);
  std::string log_level;
  app.add_option("--log-level", log_level,
                 "trace|debug|info|warn|error|off (default: $SUGGEST_LOG_LEVEL or warn)");

  Common common;
  auto* analyze = app.add_subcommand("analyze", "print the JSON result of each note file");
  std::vector<std::string> files;
  std::string id_flag;
  analyze->add_option("files", files, "note files (UTF-8), or - for stdin")->required();
  analyze->add_option("--id", id_flag, "id to report (default: the file name)");
  analyze->add_flag("!--no-text-layer", common.text_layer,
                    "leave sections and sentences out of the output");
  AddCommon(analyze, &common);

  auto* batch = app.add_subcommand("batch", "analyze a JSONL file of {\"id\", \"text\"} records");
  std::string input = "-", output = "-";
  batch->add_option("--input", input, "input JSONL (- for stdin)")->required();
  batch->add_option("--output", output, "output JSONL (- for stdout)");
  bool batch_text_layer = false;
  batch->add_flag("--text-layer", batch_text_layer,
                  "include sections and sentences (off: notes without fusion vocabulary "
                  "take the fast path)");
  AddCommon(batch, &common);

  app.add_subcommand("version", "print the library version");
  suggest::tools::AssertionCommands assertion_cmds(&app, DefaultModelsDir());
  suggest::tools::EvalCommand eval_cmd(&app, DefaultModelsDir(),
                                       std::string(SUGGEST_SHARED_DIR) + "/gold/dev.jsonl");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  SetUpLogging(log_level);

  if (*analyze) return RunAnalyze(common, files, id_flag);
  if (*batch) {
    common.text_layer = batch_text_layer;
    return RunBatch(common, input, output);
  }
  if (assertion_cmds.Selected()) return assertion_cmds.Run();
  if (eval_cmd.Selected()) return eval_cmd.Run();
  std::cout << SUGGEST_VERSION_STRING << '\n';
  return kExitOk;
}
