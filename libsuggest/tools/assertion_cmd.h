// Copyright libsuggest authors.
//
// The assertion subcommands of `suggest-dev` (public API only):
//
//   suggest-dev assertion --input FILE.jsonl [--output OUT.jsonl]
//       {"id", "sentence", "concept"} lines in, {"id", "assertion", "cue"}
//       lines out; cue = {"begin", "end", "text", "rule"} (bytes of the
//       sentence) or null.
//   suggest-dev eval-negex [--negex PATH] [--context PATH] [--json]
//       scores the engine on the NegEx kit's dev half (negex_dev.jsonl:
//       Negated vs Affirmed) and on the ConText reference (context_dev.jsonl:
//       negation, temporality, experiencer, hypothetical).

#ifndef LIBSUGGEST_TOOLS_ASSERTION_CMD_H_
#define LIBSUGGEST_TOOLS_ASSERTION_CMD_H_

#include <CLI/CLI.hpp>
#include <string>

#include "cli_common.h"

namespace suggest::tools {

// Registers both subcommands on `app`. Must outlive app.parse() (CLI11
// writes into its members), so keep it where it is built.
class AssertionCommands {
 public:
  // negex_dir: the default folder of negex_dev.jsonl and context_dev.jsonl.
  AssertionCommands(CLI::App* app, const std::string& negex_dir);
  AssertionCommands(const AssertionCommands&) = delete;
  AssertionCommands& operator=(const AssertionCommands&) = delete;

  // True if one of the subcommands was chosen on the command line.
  bool Selected() const;

  // Runs the chosen subcommand; returns the process exit code (kExitOk,
  // kExitNoteFailed: some record failed, kExitModel, kExitIo).
  int Run() const;

 private:
  int RunAssertion() const;
  int RunEval() const;

  CLI::App* assertion_ = nullptr;
  CLI::App* eval_ = nullptr;
  ModelFlags model_;
  std::string section_;
  std::string input_;
  std::string output_ = "-";
  std::string negex_path_;
  std::string context_path_;
  bool json_ = false;
  bool show_errors_ = false;
};

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_ASSERTION_CMD_H_
