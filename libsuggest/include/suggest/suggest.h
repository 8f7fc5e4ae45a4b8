// Copyright libsuggest authors.
//
// libsuggest: reads a free-text clinical note and suggests spinal-fusion
// ICD-10-CM codes with the evidence for each. Guide: docs/api.md.
//
// Documents cited below as docs/NAME are the project's guides; an install
// ships them as <prefix>/share/doc/libsuggest/NAME.
//
// Quick tour:
//
//   #include <suggest/suggest.h>
//
//   suggest::StatusOr<suggest::Model> model = suggest::Model::Load("models");
//   if (!model.ok()) { /* model.status().message() says file:line:col */ }
//
//   suggest::StatusOr<suggest::Result> r = model->Analyze(note_bytes);
//   if (!r.ok()) { /* r.status().kind() == "invalid_utf8", offset() ... */ }
//   for (const suggest::Sentence& s : r->sentences)
//     use(note_bytes.substr(s.span.begin, s.span.size()));
//
//   std::string json = suggest::ResultToJson(*r, note_bytes, "note-1");
//
// Threading: a Model is immutable after Load; copies share the same loaded
// data and any number of threads may call Analyze on it concurrently.
// Nothing in the library throws; errors are Status values.

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_SUGGEST_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_SUGGEST_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Deprecated: only for Model::Assess below; removed with it in the next
// release. Include <suggest/dev/assess.h> yourself for dev::Assess.
#include "suggest/dev/assess.h"
#include "suggest/export.h"
#include "suggest/options.h"
#include "suggest/status.h"
#include "suggest/types.h"
#include "suggest/version.h"

namespace suggest {

namespace internal {
struct ModelImpl;
}

// Deprecated name of dev::AssertionVerdict (suggest/dev/assess.h), kept
// for one release.
using AssertionVerdict [[deprecated("use suggest::dev::AssertionVerdict (suggest/dev/assess.h)")]] =
    dev::AssertionVerdict;

class SUGGEST_CLASS_API Model {
 public:
  // Loads and validates every data file of a models directory (see
  // docs/rules.md). Any broken file fails the whole load with a message
  // naming "file:line:column": one line per error, of every file (at most
  // 50, then "... and N more errors"; docs/rules.md "Errors"), with the
  // code and kind of the first. The load runs on the calling thread and one
  // more, which it joins before returning (context.toml and levels.toml are
  // read while the packs load; without a thread, one after the other); the
  // errors are those of a serial load, in file order. Errors:
  //   NotFound          the directory, one of its files, or the code table
  //                     of options.code_set_year is missing;
  //   InvalidArgument   broken data: kind "rule_file" (a TOML file: syntax,
  //                     a bad key or value, a bad regex, a code that is not
  //                     billable, a missing or unsupported schema_version -
  //                     "schema_version N not supported (MIN..MAX)") or
  //                     "code_table" (an icd10cm/ table);
  //   ResourceExhausted the patterns of a rule pack or of the level rules
  //                     (kind "rule_file", message "PATH: error: ... too
  //                     large ..."), or of the prefilter set, do not fit the
  //                     regex memory budget;
  //   Internal          ICU data unavailable.
  static StatusOr<Model> Load(const std::string& models_dir,
                              const LoadOptions& options = {});
  // Loads the installed models: the directory FindModelsDir() names. When
  // none is found, NotFound lists every place looked.
  static StatusOr<Model> Load(const LoadOptions& options = {});

  // Analyzes one note given as UTF-8 bytes (may contain NUL). The text is not
  // retained. Errors (Status::kind() in quotes):
  //   InvalidArgument
  //     "empty_note"     zero bytes;
  //     "note_too_large" more than options.max_note_bytes;
  //     "invalid_utf8"   not UTF-8 under the kError policy; offset() is the
  //                      first bad byte;
  //     "invalid_date_of_service", "no_code_set_for_date",
  //     "invalid_patient_id", "invalid_encounter_id": a bad input field
  //                      (options.h);
  //   ResourceExhausted "resource_exhausted": out of memory on this note, or
  //                    its pattern matching passed the regex memory budget
  //                    (no result rather than an incomplete one);
  //   Internal "internal": a bug (an unexpected exception inside).
  StatusOr<Result> Analyze(std::string_view text,
                           const AnalyzeOptions& options = {}) const;
  // Analyze(*note, options), the same result, for a caller that lends its
  // buffer for the call: while the facts stage runs, a long note's bytes
  // may be released (kept as what its normalized text does not say) and
  // put back after, so the note is held once, not twice (a 10 MB note peaks
  // ~8 MiB lower). *note holds the same bytes on return, possibly in
  // another buffer; only if memory runs out while they are released may it
  // come back empty, with a "resource_exhausted" error.
  StatusOr<Result> AnalyzeInPlace(std::string* note,
                                  const AnalyzeOptions& options = {}) const;

  // Deprecated, removed in the next release: the developer hook
  // suggest::dev::Assess(model, ...) (suggest/dev/assess.h), which this
  // calls.
  [[deprecated("use suggest::dev::Assess(model, ...) from suggest/dev/assess.h")]]
  StatusOr<dev::AssertionVerdict> Assess(std::string_view sentence, std::string_view finding,
                                         std::string_view section_kind = {}) const {
    return dev::Assess(*this, sentence, finding, section_kind);
  }

  // The models directory this model was loaded from.
  const std::string& models_dir() const;

  // The models version: the first 16 hex digits of a SHA-256 over the data
  // files this model loaded (sections, assertion cues, rule packs, map rules,
  // every code table), each as its path relative to the models directory,
  // its size and its bytes, with CRLF read as LF, in path order. It depends
  // on the files' contents only, so the same models give the same version on
  // any machine or checkout (docs/interop.md "Provenance").
  const std::string& models_version() const;

  // The ICD-10-CM fiscal years loaded (every models/icd10cm/fy<YEAR>), in
  // increasing order, and the one used for notes without a date of service.
  const std::vector<int>& code_set_years() const;
  int default_code_set_year() const;

  // What the load noticed, one line each, for the caller's debug log (the
  // library itself never logs or prints): the compiled databases found in
  // models_dir/compiled/ and used, or not found and ignored (CompileModels),
  // a screen turned off and why, rules scanned whole, and "model loaded from
  // DIR" last. Paths, rule ids and reasons only; no note text. The `suggest`
  // CLI logs them at debug level (--log-level debug).
  const std::vector<std::string>& load_notes() const;

 private:
  friend StatusOr<dev::AssertionVerdict> dev::Assess(const Model&, std::string_view,
                                                     std::string_view, std::string_view);
  explicit Model(std::shared_ptr<const internal::ModelImpl> impl)
      : impl_(std::move(impl)) {}
  std::shared_ptr<const internal::ModelImpl> impl_;
};

// The models directory of Model::Load() (and of the C ABI's
// suggest_model_load(NULL, ...)), the first of:
//   1. $SUGGEST_MODELS, if set and not empty (used as given, even if wrong);
//   2. relative to the file that holds this library's code (libsuggest.so,
//      or the program libsuggest.a is linked into), with the path as loaded,
//      then with symlinks resolved: <its dir>/../share/suggest/models (the
//      install layout seen from <prefix>/lib, or lib/<multiarch> and bin/ as
//      configured), then <its dir>/suggest-models (a directory or a symlink;
//      the build tree places one beside its libsuggest.so and programs).
// No absolute path is compiled in: a moved prefix finds its own models.
// Errors: NotFound, whose message lists every place looked.
SUGGEST_API StatusOr<std::string> FindModelsDir();

// Compiles what loading `models_dir` would otherwise compile at every load
// or keep in a cache (LoadOptions::cache_dir; today the prescreen's
// Vectorscan databases, ~0.8 s to compile) and writes it to
// `models_dir`/compiled/, where every later Load looks first: a read-only
// install or a container then loads in milliseconds with no cache at all.
// Entries already in options.cache_dir are copied from there, new ones are
// stored there too. An entry is named by the key of the rules, the
// Vectorscan version and the CPU it was compiled for, so one left over from
// other rules or another machine is never used (Load notes that it found
// none in Model::load_notes() and falls back to its cache_dir, if any, or
// to compiling). Entries of earlier compiles are removed. Returns the paths
// of the entries the models need, all present afterwards (none in a build
// without Vectorscan). Errors: those of Load, Internal (kind "write_error")
// when the directory cannot be written.
SUGGEST_API StatusOr<std::vector<std::string>> CompileModels(
    const std::string& models_dir, const LoadOptions& options = {});
// The same, and appends to *notes (if not null) what it did, one line each,
// for the caller's debug log: the load's Model::load_notes(), then each
// compiled database written or found up to date ("compiled database PATH
// written" / "... used").
SUGGEST_API StatusOr<std::vector<std::string>> CompileModels(
    const std::string& models_dir, const LoadOptions& options,
    std::vector<std::string>* notes);

// The conventional per-user cache directory, for LoadOptions::cache_dir:
// $SUGGEST_CACHE_DIR if set ("" or "off": none), else
// $XDG_CACHE_HOME/libsuggest (an absolute XDG_CACHE_HOME), else
// $HOME/.cache/libsuggest; "" when none applies. The `suggest` CLI and the
// Python binding load with it; the library uses a cache only when the
// caller passes one.
SUGGEST_API std::string DefaultCacheDir();

// The JSON document of one analysed note (shape: docs/result.schema.json; one
// line, no trailing newline). `text` must be the same bytes given to Analyze:
// evidence "text" fields are sliced from it. Offsets are converted to
// options.offset_unit.
SUGGEST_API std::string ResultToJson(const Result& result, std::string_view text,
                         std::string_view id,
                         const AnalyzeOptions& options = {});

// The same bytes handed to `sink` in pieces of about 1 MiB as they are
// written (the pieces end between values; concatenated, they are the string
// above), so a large result - the text layer of a long note is about three
// times the note - is never held whole. `suggest analyze` prints this way.
SUGGEST_API void ResultToJson(const Result& result, std::string_view text, std::string_view id,
                              const AnalyzeOptions& options,
                              const std::function<void(std::string_view)>& sink);

// The provenance of a result as one JSON object (no newline):
// {"schema_version": 1, "engine": {"name": "libsuggest", "version": "0.1.0"},
//  "models_version": "...", "code_set": "ICD-10-CM FY2027"} - the same
// values as the result's JSON (docs/interop.md "Provenance").
SUGGEST_API std::string ProvenanceToJson(const Result& result);

// The JSON error record for a note that could not be analysed:
// {"id": ..., "status": "error", "error": {"kind", "message", "offset"}}.
// "offset" is present only when status.offset() >= 0.
SUGGEST_API std::string ErrorToJson(std::string_view id, const Status& status);

// Converts a byte offset of `text` into `unit` (UTF-16 code units or code
// points). For many conversions over one text prefer ResultToJson, which
// builds its lookup table once.
SUGGEST_API uint32_t ConvertOffset(std::string_view text, uint32_t byte_offset,
                       OffsetUnit unit);

}  // namespace suggest

// Live sessions: a note re-analysed edit by edit (suggest::Session).
#include "suggest/session.h"

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_SUGGEST_H_
