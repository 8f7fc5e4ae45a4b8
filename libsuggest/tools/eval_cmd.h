// Copyright libsuggest authors.
//
// `suggest-dev eval --gold FILE.jsonl [--json]`: scores the engine on hand-checked
// notes (format: ../shared/gold/README.md) and lists every disagreement with
// its note id. Public API only.
//
// Each gold record is analysed in its own care setting: an optional
// "setting" key, "outpatient" (default) or "inpatient"; any other value makes
// the gold file malformed (exit 4).
// Codes: micro precision/recall/F1 over the annotated families (M43.2-, Z98.1,
// Q76.-, M45.- with M45.A-, M48.1-, M96.0). A predicted code listed in codes_optional is neither
// rewarded nor penalized; codes outside the families are ignored.
// Fused segments: micro P/R/F1 of the union, per note, of the segments of
// facts of kind fusion_procedure, ankylosis, congenital_fusion,
// pseudarthrosis and fusion-type imaging findings whose assertion is neither
// negated nor family.

#ifndef LIBSUGGEST_TOOLS_EVAL_CMD_H_
#define LIBSUGGEST_TOOLS_EVAL_CMD_H_

#include <CLI/CLI.hpp>
#include <string>

#include "cli_common.h"

namespace suggest::tools {

class EvalCommand {
 public:
  EvalCommand(CLI::App* app, std::string default_gold);
  EvalCommand(const EvalCommand&) = delete;
  EvalCommand& operator=(const EvalCommand&) = delete;

  bool Selected() const;
  // kExitOk, kExitModel (models failed to load), kExitIo (gold file
  // unreadable / malformed / empty).
  int Run() const;

 private:
  CLI::App* cmd_ = nullptr;
  ModelFlags model_;
  std::string gold_;
  bool json_ = false;
  bool quiet_ = false;
};

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_EVAL_CMD_H_
