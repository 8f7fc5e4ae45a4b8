// Copyright libsuggest authors.
//
// `suggest lint [MODELS_DIR]`: loads a models folder as `analyze` would
// (every code set it ships) and prints every error of the load, one
// "PATH:LINE:COLUMN: error: MESSAGE" per line on stdout (at most 50, then
// "... and N more errors"; docs/rules.md "Errors"), then a summary line on
// stderr. Clean: one line "suggest lint: OK: DIR (models VERSION, code sets
// FY...)" on stdout. Public C++ API only.
//
// Exit codes: 0 clean; 1 the folder has errors (all printed), including a
// folder that does not exist; 2 usage (from suggest_main.cc).

#ifndef LIBSUGGEST_TOOLS_LINT_CMD_H_
#define LIBSUGGEST_TOOLS_LINT_CMD_H_

#include <string>

namespace suggest::tools {

int RunLint(const std::string& models_dir);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_LINT_CMD_H_
