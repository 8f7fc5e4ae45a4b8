// Copyright libsuggest authors.
//
// The run manifest of `suggest batch --output FILE`: FILE.manifest.json,
// written beside the output when a run starts. It names what decides the
// output — the input (its size and a fingerprint of its content), the options
// that change a record, the engine and models versions — so that `--resume`
// can refuse to append to an output written by another run (exit 2, naming
// what differs) instead of leaving a mixed file (issue 17 item 4; the Dask
// runner's _manifest.json does the same for its output directory).

#ifndef LIBSUGGEST_TOOLS_RUN_MANIFEST_H_
#define LIBSUGGEST_TOOLS_RUN_MANIFEST_H_

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "batch_input.h"

namespace suggest::tools {

// OUTPUT.manifest.json.
std::string ManifestPath(const std::string& output);

// The manifest of this run. `options`: flag name -> value as given (e.g.
// "--setting" -> "outpatient"). The input: a file's size and fingerprint
// (FNV-1a over its first and last 16 MiB), a folder's file list (relative
// paths and sizes of the .txt files), or stdin (not checkable).
nlohmann::json BuildRunManifest(const InputSpec& input,
                                const std::map<std::string, std::string>& options,
                                const std::string& models_version);

// "" when `now` may resume into an output written under `old`, else what
// differs, e.g. "the input differs (size 120 bytes, this run's 96)" or
// "options differ: --setting was outpatient, this run's is inpatient".
std::string ManifestDifference(const nlohmann::json& old, const nlohmann::json& now);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_RUN_MANIFEST_H_
