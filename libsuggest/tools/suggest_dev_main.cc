// Copyright libsuggest authors.
//
// `suggest-dev`: the developer commands, built beside `suggest` as
// build/suggest-dev and never installed. They score the engine on data of the
// development machine (../shared/gold, ../shared/negex), whose paths are
// compiled in as defaults here (SUGGEST_SHARED_DIR), so that the shipped
// `suggest` holds no path of the build machine. Public API only.
//
//   suggest-dev eval [--gold FILE.jsonl] [--json]
//                                     codes and fused segments against gold
//                                     notes (eval_cmd.h)
//   suggest-dev eval-negex / assertion
//                                     assertion engine (assertion_cmd.h)
//
// Models, cache, logging and exit codes as in `suggest` (cli_common.h).

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <string>

#include "assertion_cmd.h"
#include "cli_common.h"
#include "eval_cmd.h"
#include "suggest/suggest.h"

#ifndef SUGGEST_SHARED_DIR
#define SUGGEST_SHARED_DIR "../shared"
#endif

int main(int argc, char** argv) {
  CLI::App app{"libsuggest " SUGGEST_VERSION_STRING
               ": developer commands (scores on the development sets); not installed"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("suggest-dev ") + SUGGEST_VERSION_STRING);
  app.footer("Guide: docs/evaluation.md and docs/cli.md of the source tree.");
  std::string log_level;
  app.add_option("--log-level", log_level,
                 "trace|debug|info|warn|error|off (default: $SUGGEST_LOG_LEVEL or warn)");

  suggest::tools::AssertionCommands assertion_cmds(&app, SUGGEST_SHARED_DIR "/negex");
  suggest::tools::EvalCommand eval_cmd(&app, SUGGEST_SHARED_DIR "/gold/dev.jsonl");

  if (auto rc = suggest::tools::ParseCommandLine(&app, argc, argv, "suggest-dev")) return *rc;
  suggest::tools::SetUpLogging(log_level);
  suggest::tools::WarnDeprecatedSpellings(app);

  if (assertion_cmds.Selected()) return assertion_cmds.Run();
  if (eval_cmd.Selected()) return eval_cmd.Run();
  return suggest::tools::kExitUsage;  // unreachable: a subcommand is required
}
