// Copyright libsuggest authors.
//
// What every command of the command-line programs shares (the shipped
// `suggest` and the developer binary `suggest-dev`): the exit codes, the
// model flags (--models, --cache-dir, --code-set-year and its deprecated
// spelling --code-set), loading the models with the error a user reads,
// logging set-up and the handling of a command line CLI11 refuses.

#ifndef LIBSUGGEST_TOOLS_CLI_COMMON_H_
#define LIBSUGGEST_TOOLS_CLI_COMMON_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "suggest/suggest.h"

namespace suggest::tools {

// The process exit codes of every command (docs/cli.md, `suggest --help`;
// tests/cli checks them).
enum ExitCode : int {
  kExitOk = 0,          // every note / record ok (lint: the folder is clean)
  kExitNoteFailed = 1,  // some note or record failed; its error record is still
                        // written (lint: the folder has errors)
  kExitUsage = 2,       // usage error: bad option or value, missing CSV column,
                        // --resume into another run's output, a moved command
  kExitModel = 3,       // the models failed to load
  kExitIo = 4,          // I/O error: input unreadable or malformed, output not
                        // writable
};

// The installed models (suggest::FindModelsDir: $SUGGEST_MODELS, else
// relative to this program, so a moved prefix keeps working); "" when none is
// found, which Model::Load reports with every place looked.
std::string DefaultModelsDir();

// How a command finds and loads the models.
struct ModelFlags {
  std::string models_dir = DefaultModelsDir();
  // The library keeps no cache unless asked (LoadOptions::cache_dir); the CLI
  // asks for the per-user one (suggest::DefaultCacheDir: $SUGGEST_CACHE_DIR,
  // else $XDG_CACHE_HOME/libsuggest, else ~/.cache/libsuggest) unless
  // --cache-dir names another or "off".
  std::string cache_dir = DefaultCacheDir();
  int code_set_year = 0;  // 0: the models' default code set

  LoadOptions ToLoadOptions() const;
};

// --models DIR.
void AddModelsOption(CLI::App* app, ModelFlags* flags);
// --cache-dir DIR|off.
void AddCacheDirOption(CLI::App* app, ModelFlags* flags);
// --code-set-year YEAR (LoadOptions::code_set_year, Python code_set_year):
// the code set of notes without a date of service. --code-set is its
// deprecated spelling (until the next release; hidden from --help, a
// warning when used: WarnDeprecatedSpellings).
void AddCodeSetYear(CLI::App* app, ModelFlags* flags);
// All three, in that order.
void AddModelFlags(CLI::App* app, ModelFlags* flags);

// After parsing: a warning for each deprecated spelling used on any
// (sub)command of `app`.
void WarnDeprecatedSpellings(const CLI::App& app);

// Model::Load with the flags; on failure logs the error with a hint naming
// --models / $SUGGEST_MODELS and returns nullopt (the caller exits with
// kExitModel). What the load noticed is logged at debug level (the library
// does not log).
std::optional<Model> LoadModel(const ModelFlags& flags);

// --log-level, else $SUGGEST_LOG_LEVEL, else warn: the console logger
// (console.h).
void SetUpLogging(const std::string& level_flag);

// app.parse with the exit codes of the CLI: nullopt when the command line was
// parsed and the command should run; else the exit code (0 after --help or
// --version, kExitUsage for a usage error, reported as one line naming it
// and a hint `see `PROGRAM COMMAND --help``).
std::optional<int> ParseCommandLine(CLI::App* app, int argc, char** argv, const char* program);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_CLI_COMMON_H_
