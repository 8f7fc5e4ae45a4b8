/* Copyright libsuggest authors.
 *
 * libsuggest C ABI: the stable, C99 interface to the library, for C programs
 * and for other languages through their FFI (Python ctypes/cffi, Java
 * Panama/JNA, Go cgo, Rust, .NET). Guide: docs/c-api.md. Documents cited as
 * docs/NAME are the project's guides; an install ships them as
 * <prefix>/share/doc/libsuggest/NAME.
 *
 *   #include <suggest/suggest_c.h>      cc ... $(pkg-config --cflags --libs suggest)
 *
 *   suggest_model *model = NULL;
 *   suggest_error *err = NULL;
 *   if (suggest_model_load(NULL, NULL, &model, &err) != SUGGEST_OK) {
 *     fprintf(stderr, "%s\n", suggest_error_message(err));
 *     suggest_error_free(err);
 *     return 1;
 *   }
 *   suggest_result *res = NULL;
 *   if (suggest_analyze(model, note, note_len, NULL, &res, &err) == SUGGEST_OK) {
 *     size_t len;
 *     puts(suggest_result_json(res, &len));
 *   }
 *   suggest_result_free(res);
 *   suggest_error_free(err);
 *   suggest_model_free(model);
 *
 * General rules (they hold for every function below unless its comment says
 * otherwise):
 *
 *   Opaque handles. suggest_model, suggest_options, suggest_result and
 *   suggest_error are only ever used through pointers. Everything the library
 *   allocates is freed by the library's own _free function (never the
 *   caller's free()). Every _free accepts NULL and must be called at most once
 *   per object.
 *
 *   Strings. Every `const char *` returned is owned by the object it came
 *   from, valid until that object's _free, NUL-terminated, and - where the
 *   function has a `size_t *len` parameter - its byte length (without the
 *   NUL) is also stored in *len (len may be NULL). All text is UTF-8. No
 *   function returns a string the caller must free.
 *
 *   Errors. Fallible functions return a suggest_status (SUGGEST_OK = 0) and
 *   take an optional `suggest_error **err`: when err is not NULL, *err is set
 *   to NULL on entry and, on failure, to a new error object the caller frees
 *   with suggest_error_free (it stays NULL if even that allocation failed).
 *   Out-parameters (`**out`) are set to NULL on entry and only set on
 *   SUGGEST_OK. There is no global or thread-local "last error", no global
 *   init, and no global mutable state; the library never prints.
 *   No C++ exception crosses this interface: out of memory is reported as
 *   SUGGEST_ERR_RESOURCE_EXHAUSTED, any other unexpected failure as
 *   SUGGEST_ERR_INTERNAL.
 *
 *   Index accessors. Accessors taking an index return NULL / 0 / an empty
 *   span (and store 0 in *len) when the result is NULL or the index is out of
 *   range; they never crash on a bad index.
 *
 *   Threads:
 *     suggest_model   immutable after load: share it across threads; any
 *                     number of threads may call suggest_analyze on it
 *                     concurrently. Free it once no call uses it any more.
 *     suggest_options concurrent reads (passing it to load/analyze from many
 *                     threads) are safe; setters must not race with any other
 *                     use of the same options object.
 *     suggest_session one thread at a time (no call on it may race with
 *                     another); many sessions, on any threads, may share
 *                     one model. A session keeps its own reference to the
 *                     loaded data: the model may be freed before it.
 *     suggest_result, suggest_error
 *                     single owner. Their const accessors (including
 *                     suggest_result_json) may be called from several threads
 *                     at once, but _free must not race with any other call
 *                     on the object. A result does not refer to the model or
 *                     the options it came from: it may outlive both.
 *   Every call may be made from any OS thread (cgo moves goroutines between
 *   threads freely).
 */

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_SUGGEST_C_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_SUGGEST_C_H_

#include <stddef.h>
#include <stdint.h>

#include "suggest/export.h"
#include "suggest/version.h" /* SUGGEST_VERSION_MAJOR/MINOR/PATCH/STRING */

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this C ABI. Incremented only on an incompatible change (a
 * removed or changed function, a changed enum value); the shared library's
 * SONAME carries it. Additions keep it. */
#define SUGGEST_ABI_VERSION 1

/* MAJOR * 1000000 + MINOR * 1000 + PATCH, e.g. 1002003 for "1.2.3". */
#define SUGGEST_VERSION_NUMBER                                   \
  (SUGGEST_VERSION_MAJOR * 1000000 + SUGGEST_VERSION_MINOR * 1000 + \
   SUGGEST_VERSION_PATCH)

/* ------------------------------------------------------------------------ */
/* Types                                                                     */

/* A loaded models directory. Immutable; thread-safe (see above). */
typedef struct suggest_model suggest_model;
/* Load/analyze options. Concurrent reads OK, writes need exclusive use. */
typedef struct suggest_options suggest_options;
/* One analysed note. Single owner. */
typedef struct suggest_result suggest_result;
/* A failure: status, message, kind, offset. Single owner. */
typedef struct suggest_error suggest_error;
/* A live session: one note edited in place and re-analysed. Single owner,
 * one thread at a time. */
typedef struct suggest_session suggest_session;

/* A half-open range [begin, end) of the note, in the offset unit chosen with
 * suggest_options_set_offset_units (bytes by default). Frozen forever. */
typedef struct suggest_span {
  uint32_t begin, end;
} suggest_span;

/* Status codes. The values are pinned (the canonical absl/gRPC numbers, the
 * same as suggest::StatusCode in C++) and will never change. Numbers not
 * listed are unused. */
typedef enum suggest_status {
  SUGGEST_OK = 0,
  SUGGEST_ERR_CANCELLED = 1,
  SUGGEST_ERR_UNKNOWN = 2,
  SUGGEST_ERR_INVALID_ARGUMENT = 3, /* bad argument, bad note, bad rule data */
  SUGGEST_ERR_NOT_FOUND = 5,        /* models directory or file missing */
  SUGGEST_ERR_RESOURCE_EXHAUSTED = 8, /* out of memory, regex memory */
  SUGGEST_ERR_FAILED_PRECONDITION = 9, /* not returned by this version (an
                                          unsupported schema_version is
                                          SUGGEST_ERR_INVALID_ARGUMENT) */
  SUGGEST_ERR_OUT_OF_RANGE = 11,
  SUGGEST_ERR_UNIMPLEMENTED = 12,
  SUGGEST_ERR_INTERNAL = 13, /* a bug: an invariant broke */
  SUGGEST_ERR_DATA_LOSS = 15
} suggest_status;

/* Unit of the offsets in spans and in the JSON. */
typedef enum suggest_offset_units {
  SUGGEST_OFFSETS_BYTES = 0,      /* UTF-8 bytes: C, C++, Go, Rust */
  SUGGEST_OFFSETS_UTF16 = 1,      /* UTF-16 code units: Java, JS, C#, Qt */
  SUGGEST_OFFSETS_CODEPOINTS = 2  /* Unicode code points: Python str */
} suggest_offset_units;

/* What suggest_analyze does with input that is not valid UTF-8. */
typedef enum suggest_invalid_utf8 {
  /* Fail with SUGGEST_ERR_INVALID_ARGUMENT, kind "invalid_utf8", offset =
   * byte offset of the first bad byte. */
  SUGGEST_INVALID_UTF8_ERROR = 0,
  /* Read each bad byte as U+FFFD; spans still point at the original bytes
   * (a replaced byte counts as one code point / one UTF-16 unit). */
  SUGGEST_INVALID_UTF8_REPAIR = 1
} suggest_invalid_utf8;

/* Care setting of the encounter: decides how uncertain diagnoses
 * ("possible", "probable", "consistent with", "A or B") are coded.
 * Outpatient (ICD-10-CM Official Guidelines IV.H) never codes them;
 * inpatient (II.H, III.C) codes them as if established when documented at
 * discharge. Every result echoes it in the JSON ("setting"). */
typedef enum suggest_setting {
  SUGGEST_SETTING_OUTPATIENT = 0, /* default */
  SUGGEST_SETTING_INPATIENT = 1
} suggest_setting;

/* ------------------------------------------------------------------------ */
/* Version and status names. Thread-safe; strings are static.               */

/* "MAJOR.MINOR.PATCH" of the library actually linked (static string). */
SUGGEST_API const char *suggest_version(void);
/* SUGGEST_VERSION_NUMBER of the library actually linked. */
SUGGEST_API uint32_t suggest_version_number(void);
/* SUGGEST_ABI_VERSION of the library actually linked: compare it with the
 * macro to detect a header/library mismatch. */
SUGGEST_API uint32_t suggest_abi_version(void);
/* Lower-case name of a status ("ok", "invalid_argument", "not_found", ...);
 * "unrecognized" for a value not in suggest_status. Static string, never
 * NULL. */
SUGGEST_API const char *suggest_status_name(suggest_status status);

/* ------------------------------------------------------------------------ */
/* Options. A NULL options pointer anywhere means "all defaults".            */

/* New options with the defaults: offsets in bytes, invalid UTF-8 is an
 * error, max note size 64 MiB, text layer on, outpatient setting, code set
 * year 0 (the default code set of the models directory), no cache
 * directory. NULL if out of memory. Free with suggest_options_free. */
SUGGEST_API suggest_options *suggest_options_new(void);
/* Frees options (NULL OK). Objects loaded/analysed with them are not
 * affected. */
SUGGEST_API void suggest_options_free(suggest_options *opts);

/* Setters: SUGGEST_OK, or SUGGEST_ERR_INVALID_ARGUMENT when opts is NULL or
 * the value is out of its domain (then opts is unchanged). Not thread-safe
 * with respect to other uses of the same opts. */

/* Unit of offsets in result spans and the JSON (analyze option). */
SUGGEST_API suggest_status suggest_options_set_offset_units(
    suggest_options *opts, suggest_offset_units units);
/* Invalid UTF-8 policy (analyze option). */
SUGGEST_API suggest_status suggest_options_set_invalid_utf8(
    suggest_options *opts, suggest_invalid_utf8 policy);
/* Notes larger than max_bytes fail with kind "note_too_large" (analyze
 * option; default 64 MiB; the engine's hard ceiling is 4 GiB - 1 since
 * offsets are 32-bit). */
SUGGEST_API suggest_status suggest_options_set_max_note_bytes(
    suggest_options *opts, uint64_t max_bytes);
/* Whether results carry the text layer (analyze option): non-zero
 * (default) = the JSON's "sections" and "sentences" and each fact's
 * "section"/"sentence" index; zero = none of them (indices -1). Nothing
 * else changes: facts, suggestions, gaps and not_coded are the same. Zero
 * is also faster (the library skips work only the text layer needs), which
 * is why archive tools (`suggest batch`) choose it. C++
 * AnalyzeOptions::include_text_layer. */
SUGGEST_API suggest_status suggest_options_set_include_text_layer(
    suggest_options *opts, int include);
/* Care setting of the note (analyze option; default
 * SUGGEST_SETTING_OUTPATIENT): how uncertain diagnoses are coded (see
 * suggest_setting). The result JSON echoes it as "setting" and lists the
 * facts that produced no code, and why, in "not_coded". */
SUGGEST_API suggest_status suggest_options_set_setting(suggest_options *opts,
                                                       suggest_setting setting);
/* ICD-10-CM fiscal year of the code table, e.g. 2026; 0 (default) = the
 * models directory's default. Applies at suggest_model_load only; a year
 * the models directory has no table for fails the load. Negative values are
 * rejected. */
SUGGEST_API suggest_status suggest_options_set_code_set_year(
    suggest_options *opts, int year);

/* The directory where suggest_model_load may keep what it derives from the
 * models and would otherwise compute at every load (load option; the
 * prescreen's compiled databases, ~0.8 s to build): C++
 * suggest::LoadOptions::cache_dir. NULL or "" (the default): no cache, the
 * library reads and writes nothing outside the models directory. The string
 * is copied. Databases precompiled into <models>/compiled/ (`suggest models
 * compile`) are read whatever this says. Added after 0.1.0 (before it the
 * library always used the per-user cache below). */
SUGGEST_API suggest_status suggest_options_set_cache_dir(suggest_options *opts,
                                                         const char *dir);
/* Sets the cache directory (as above) to the conventional per-user one, as
 * the `suggest` CLI and the Python binding do: $SUGGEST_CACHE_DIR if set
 * ("" or "off": no cache), else $XDG_CACHE_HOME/libsuggest, else
 * $HOME/.cache/libsuggest (C++ suggest::DefaultCacheDir()), read from the
 * environment at this call; no cache when none applies. Added after 0.1.0. */
SUGGEST_API suggest_status suggest_options_set_default_cache_dir(
    suggest_options *opts);

/* Input fields of a note (analyze options; NULL or "" = not given). The
 * string is copied. Values are checked by suggest_analyze, which fails with
 * SUGGEST_ERR_INVALID_ARGUMENT and a kind naming the field:
 *   date_of_service  "YYYY-MM-DD"; chooses the ICD-10-CM code set by fiscal
 *                    year (2025-10-01..2026-09-30 FY2026, from 2026-10-01
 *                    FY2027); kinds "invalid_date_of_service" (not such a
 *                    date) and "no_code_set_for_date" (a year the models do
 *                    not ship; the message names the shipped ones). Without
 *                    it, the code set year of the model applies.
 *   patient_id, encounter_id
 *                    the caller's identifiers, echoed in the result JSON; 1
 *                    to 256 bytes of UTF-8 without control characters or
 *                    leading/trailing spaces; kinds "invalid_patient_id",
 *                    "invalid_encounter_id". */
SUGGEST_API suggest_status suggest_options_set_date_of_service(
    suggest_options *opts, const char *date);
SUGGEST_API suggest_status suggest_options_set_patient_id(
    suggest_options *opts, const char *patient_id);
SUGGEST_API suggest_status suggest_options_set_encounter_id(
    suggest_options *opts, const char *encounter_id);

/* ------------------------------------------------------------------------ */
/* Model                                                                     */

/* Loads and validates every data file of a models directory.
 *
 * models_dir: the directory (UTF-8 path). NULL (or "") means the installed
 *   models, found as the C++ suggest::FindModelsDir() finds them:
 *   1. the environment variable SUGGEST_MODELS, if set and non-empty;
 *   2. the models installed beside the library:
 *      <directory of the file containing libsuggest>/../share/suggest/models
 *      (found with dladdr, so an installed prefix can be moved; for a static
 *      library that file is the executable), if that directory exists;
 *   3. <that directory>/suggest-models (the build tree places one there).
 *   No absolute path is compiled into the library. When none exists the
 *   error (SUGGEST_ERR_NOT_FOUND) lists every place looked.
 * opts: read for the code set year and the cache directory; NULL =
 *   defaults (no cache). Not retained.
 * out:  receives the model on SUGGEST_OK (free with suggest_model_free).
 * err:  optional (see "Errors" above).
 *
 * Errors (the codes of C++ suggest::Model::Load, suggest.h):
 *   SUGGEST_ERR_INVALID_ARGUMENT  out NULL (kind "null_argument"); or broken
 *     data, the message naming "file:line:column": kind "rule_file" (a TOML
 *     file, including a missing or unsupported schema_version: "schema_version
 *     N not supported (MIN..MAX)") or "code_table" (an icd10cm/ table);
 *   SUGGEST_ERR_NOT_FOUND  missing directory or file, or no code table for
 *     the code set year;
 *   SUGGEST_ERR_RESOURCE_EXHAUSTED  out of memory; or the patterns of a
 *     rule pack or of the level rules (kind "rule_file"), or of the
 *     prefilter set, do not fit the regex memory budget;
 *   SUGGEST_ERR_INTERNAL  ICU data unavailable, or a bug.
 * Thread-safe (loads share nothing). */
SUGGEST_API suggest_status suggest_model_load(const char *models_dir,
                                              const suggest_options *opts,
                                              suggest_model **out,
                                              suggest_error **err);
/* Frees a model (NULL OK). Must not race with calls using it; results
 * already produced stay valid. */
SUGGEST_API void suggest_model_free(suggest_model *model);
/* The directory the model was loaded from (after NULL resolution); owned by
 * the model. NULL if model is NULL. Thread-safe. */
SUGGEST_API const char *suggest_model_dir(const suggest_model *model,
                                          size_t *len);

/* The models version: 16 hex digits of a SHA-256 over the data files the
 * model loaded (rule packs, map rules, code tables; docs/interop.md
 * "Provenance"): equal for equal models on any machine. Owned by the model;
 * NULL if model is NULL. */
SUGGEST_API const char *suggest_model_models_version(const suggest_model *model,
                                                     size_t *len);

/* ------------------------------------------------------------------------ */
/* Analysis                                                                  */

/* Analyzes one note.
 *
 * model: a loaded model (shared across threads is fine).
 * text, len: the note as UTF-8 bytes; it may contain NUL bytes and need not
 *   be NUL-terminated. text may be NULL only when len is 0. The bytes are
 *   copied into the result (evidence text is sliced from the copy); the
 *   caller's buffer is not retained.
 * opts: offset units, invalid-UTF-8 policy, max note size, text layer,
 *   setting; NULL = defaults. Not retained.
 * out: receives the result on SUGGEST_OK (free with suggest_result_free).
 * err: optional.
 *
 * Errors (SUGGEST_ERR_INVALID_ARGUMENT unless said, with suggest_error_kind):
 *   "null_argument"   model or out is NULL, or text is NULL with len > 0;
 *   "empty_note"      len is 0;
 *   "note_too_large"  len is above the max note size;
 *   "invalid_utf8"    not UTF-8 under the error policy; suggest_error_offset
 *                     is the byte offset of the first bad byte;
 *   "invalid_date_of_service", "no_code_set_for_date", "invalid_patient_id",
 *   "invalid_encounter_id"  a bad input field (see the options above);
 *   "resource_exhausted"  SUGGEST_ERR_RESOURCE_EXHAUSTED: out of memory on
 *                     this note, or its pattern matching passed the regex
 *                     memory budget (no result rather than an incomplete
 *                     one);
 *   "internal"        SUGGEST_ERR_INTERNAL: a bug.
 * Thread-safe for a shared model and shared options. */
SUGGEST_API suggest_status suggest_analyze(const suggest_model *model,
                                           const char *text, size_t len,
                                           const suggest_options *opts,
                                           suggest_result **out,
                                           suggest_error **err);

/* ------------------------------------------------------------------------ */
/* Live session: a note written edit by edit (docs/c-api.md "Sessions").     */

/* A new session with an empty text.
 *
 * model: a loaded model (not retained: the session holds its own reference
 *   to the loaded data). opts: the analyze options of every result, copied
 *   (NULL = defaults); its offset unit is also the unit of the edit
 *   offsets. out: receives the session (free with suggest_session_free).
 * Errors: SUGGEST_ERR_INVALID_ARGUMENT kind "null_argument" (model or out
 * NULL), SUGGEST_ERR_RESOURCE_EXHAUSTED. */
SUGGEST_API suggest_status suggest_session_new(const suggest_model *model,
                                               const suggest_options *opts,
                                               suggest_session **out,
                                               suggest_error **err);

/* Replaces [begin, end) of the session's text (in the session's offset
 * unit) with text[0, len) (UTF-8; text may be NULL when len is 0): begin ==
 * end inserts, len == 0 deletes. On error the text is unchanged. Errors (all
 * SUGGEST_ERR_INVALID_ARGUMENT, with suggest_error_kind):
 *   "null_argument"          session NULL, or text NULL with len > 0;
 *   "edit_out_of_range"      begin > end, or end past the end of the text;
 *   "edit_splits_character"  begin or end inside a UTF-8 sequence (inside
 *                            a surrogate pair for UTF-16 units);
 *   "invalid_utf8"           text is not UTF-8 under the error policy
 *                            (offset: its first bad byte, from text[0]);
 *   "note_too_large"         the text would pass the max note size;
 * and SUGGEST_ERR_RESOURCE_EXHAUSTED kind "resource_exhausted" (out of
 * memory). */
SUGGEST_API suggest_status suggest_session_edit(suggest_session *session,
                                                size_t begin, size_t end,
                                                const char *text, size_t len,
                                                suggest_error **err);

/* The analysis of the session's current text: byte for byte what
 * suggest_analyze gives for that text with the session's options (the
 * same JSON; the same error, e.g. kind "empty_note" for an empty text).
 * out: a new result, independent of the session (free it with
 * suggest_result_free). A second call without an edit in between reuses
 * the previous analysis. */
SUGGEST_API suggest_status suggest_session_result(suggest_session *session,
                                                  suggest_result **out,
                                                  suggest_error **err);

/* What changed between the two latest suggest_session_result calls, as one
 * JSON object: {"suggestions":{"added":[...],"removed":[...]},"gaps":{...},
 * "not_coded":{...},"facts":{...}} (shape in docs/c-api.md "Sessions").
 * Owned by the session, valid until the next call on it. NULL (and *len =
 * 0) if session is NULL or out of memory. */
SUGGEST_API const char *suggest_session_changes_json(suggest_session *session,
                                                     size_t *len);

/* The session's current text (UTF-8 bytes, NUL-terminated; it may hold NUL
 * bytes: use *len). Owned by the session, valid until the next edit or
 * _free. NULL if session is NULL. */
SUGGEST_API const char *suggest_session_text(const suggest_session *session,
                                             size_t *len);

/* Frees a session (NULL OK). Results it returned stay valid. */
SUGGEST_API void suggest_session_free(suggest_session *session);

/* ------------------------------------------------------------------------ */
/* Result                                                                    */

/* The result as one line of JSON - byte for byte what `suggest analyze
 * --id ID` prints for the note (shape: docs/result.schema.json), with
 * ID the result's id (suggest_result_set_id; "" until set) and offsets in
 * the chosen unit. Built on first call, then cached; owned by the result.
 * NULL (and *len = 0) if result is NULL or out of memory. */
SUGGEST_API const char *suggest_result_json(const suggest_result *result,
                                            size_t *len);
/* Sets the caller's id of the note, written as the "id" of
 * suggest_result_json (as C++ suggest::ResultToJson's id argument): id[0,
 * len) as UTF-8 bytes (it may hold NUL bytes; a byte that is not UTF-8 is
 * written as U+FFFD; id may be NULL when len is 0). Call it before
 * suggest_result_json; calling it afterwards rebuilds the JSON, and strings
 * earlier returned by suggest_result_json become invalid. Not thread-safe:
 * it must not race with any other call on the result.
 * Errors: SUGGEST_ERR_INVALID_ARGUMENT kind "null_argument" (result NULL,
 * or id NULL with len > 0), SUGGEST_ERR_RESOURCE_EXHAUSTED (then the id and
 * the JSON are unchanged). Added after 0.1.0. */
SUGGEST_API suggest_status suggest_result_set_id(suggest_result *result,
                                                 const char *id, size_t len,
                                                 suggest_error **err);
/* Frees a result and every string obtained from it (NULL OK). */
SUGGEST_API void suggest_result_free(suggest_result *result);

/* Offset unit of this result's spans (the one in the analyze options). */
SUGGEST_API suggest_offset_units suggest_result_offset_units(
    const suggest_result *result);
/* Code set the codes come from, e.g. "ICD-10-CM FY2027" ("" if none). */
SUGGEST_API const char *suggest_result_code_set(const suggest_result *result,
                                                size_t *len);
/* Models version of the model that produced the result (as
 * suggest_model_models_version). Owned by the result. */
SUGGEST_API const char *suggest_result_models_version(
    const suggest_result *result, size_t *len);
/* The result's provenance as one JSON object:
 * {"schema_version":1,"engine":{"name":"libsuggest","version":"0.1.0"},
 *  "models_version":"...","code_set":"ICD-10-CM FY2027"} (the same values
 * as in suggest_result_json). Built on first call; owned by the result.
 * NULL if result is NULL or out of memory. */
SUGGEST_API const char *suggest_result_provenance_json(
    const suggest_result *result, size_t *len);
/* Number of clinical facts found (see the JSON for their details). */
SUGGEST_API size_t suggest_result_fact_count(const suggest_result *result);

/* Suggestions, best first (index 0 has rank 1). */
SUGGEST_API size_t suggest_result_suggestion_count(
    const suggest_result *result);
/* Dotted ICD-10-CM code, e.g. "M43.26". */
SUGGEST_API const char *suggest_result_suggestion_code(
    const suggest_result *result, size_t i, size_t *len);
/* The code set's long title of the code. */
SUGGEST_API const char *suggest_result_suggestion_title(
    const suggest_result *result, size_t i, size_t *len);
/* Strength of the evidence in [0, 1]; 0.0 when out of range. */
SUGGEST_API double suggest_result_suggestion_score(
    const suggest_result *result, size_t i);
/* 1 = best; 0 when out of range. */
SUGGEST_API int suggest_result_suggestion_rank(const suggest_result *result,
                                               size_t i);
/* One sentence a coder can read. */
SUGGEST_API const char *suggest_result_suggestion_rationale(
    const suggest_result *result, size_t i, size_t *len);
/* Number of evidence spans of suggestion i (0 when out of range). */
SUGGEST_API size_t suggest_result_suggestion_evidence_count(
    const suggest_result *result, size_t i);
/* Evidence j of suggestion i: where in the note, in the offset unit of
 * suggest_result_offset_units. {0, 0} when out of range. */
SUGGEST_API suggest_span suggest_result_suggestion_evidence_span(
    const suggest_result *result, size_t i, size_t j);
/* Id of the rule (models/rules) that found evidence j of suggestion i. */
SUGGEST_API const char *suggest_result_suggestion_evidence_rule_id(
    const suggest_result *result, size_t i, size_t j, size_t *len);

/* ------------------------------------------------------------------------ */
/* Error. Accessors accept NULL (then: SUGGEST_OK, "", "", -1).              */

/* The status the failing call returned. */
SUGGEST_API suggest_status suggest_error_status(const suggest_error *err);
/* Human-readable message; for broken model data it starts with
 * "file:line:column: error:". Owned by err. */
SUGGEST_API const char *suggest_error_message(const suggest_error *err);
/* Stable machine-readable kind, "" if none: "invalid_utf8", "empty_note",
 * "note_too_large", "rule_file", "null_argument", ... Owned by err. */
SUGGEST_API const char *suggest_error_kind(const suggest_error *err);
/* Byte offset into the note the error refers to (e.g. the first invalid
 * UTF-8 byte), or -1 if none. Always bytes, whatever the offset unit. */
SUGGEST_API int64_t suggest_error_offset(const suggest_error *err);
/* Frees an error (NULL OK). */
SUGGEST_API void suggest_error_free(suggest_error *err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LIBSUGGEST_INCLUDE_SUGGEST_SUGGEST_C_H_ */
