// Copyright libsuggest authors.
//
// Options for loading a model and analysing a note (docs/NAME: the guides an
// install ships as <prefix>/share/doc/libsuggest/NAME). Plain aggregates
// with defaults (in parentheses):
//
//   AnalyzeOptions
//     invalid_utf8   how to treat input that is not valid UTF-8 (kError):
//                    kError   -> Analyze returns InvalidArgument, kind
//                                "invalid_utf8", offset = first bad byte;
//                    kReplace -> each bad byte reads as U+FFFD in the
//                                normalized view only; spans still point at
//                                the original bytes.
//     max_note_bytes notes larger than this are refused with kind
//                    "note_too_large" (64 MiB). Hard ceiling 4 GiB - 1
//                    (offsets are 32-bit).
//     offset_unit    unit of offsets in JSON output (kBytes). The C++ Result
//                    always holds bytes; see ConvertOffset() in suggest.h.
//     include_text_layer
//                    whether the result carries the text layer (true):
//                    Result::sections, ::sentences and each fact's
//                    section/sentence index. That is all it changes: facts
//                    (with their section_kind), suggestions, gaps and
//                    not_coded are the same either way. With false the
//                    result holds no sections or sentences and facts'
//                    indices are -1; the library then skips the work only
//                    the text layer needs (a note no concept rule can match
//                    is not sectioned or split into sentences), so analysis
//                    is 3 to 4 times faster over the MTSamples corpus.
//                    Every API defaults to true (C suggest_options_new,
//                    Python Model, `suggest analyze`); archive tools choose
//                    false (`suggest batch`, Python suggest.dask); see
//                    docs/api.md "The text layer".
//     setting        the care setting of the encounter (kOutpatient). It
//                    decides how uncertain diagnoses ("possible", "probable",
//                    "consistent with", "A or B") are coded: outpatient
//                    (ICD-10-CM Official Guidelines IV.H) never codes them;
//                    inpatient (II.H, III.C) codes them as if established
//                    when they are documented at discharge (discharge/final
//                    diagnoses, a discharge summary's impression). Echoed in
//                    Result::setting. docs/icd-mapping.md "Setting".
//     date_of_service
//                    the encounter's date, "YYYY-MM-DD" ("" = none). It
//                    chooses the ICD-10-CM code set: the fiscal year that
//                    holds it (FY N runs from (N-1)-10-01 to N-09-30), which
//                    must be one of the years the models ship (FY2026,
//                    FY2027); without it, LoadOptions::code_set_year. Errors
//                    (Analyze, InvalidArgument): kind "invalid_date_of_service"
//                    (not a date in that form), "no_code_set_for_date" (a
//                    year not shipped; the message names the shipped ones).
//                    It also dates a fusion written with a date: the same
//                    day is this encounter, a later day planned, an earlier
//                    one prior (docs/icd-mapping.md "Dates").
//     patient_id, encounter_id
//                    the caller's identifiers of the patient and encounter
//                    ("" = none), echoed in the result (and carried into
//                    FHIR/OMOP output by the CLI). 1 to 256 bytes of UTF-8
//                    without control characters or leading/trailing spaces,
//                    else kind "invalid_patient_id" / "invalid_encounter_id".

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_OPTIONS_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_OPTIONS_H_

#include <cstdint>
#include <string>

namespace suggest {

enum class InvalidUtf8Policy { kError = 0, kReplace = 1 };
enum class OffsetUnit { kBytes = 0, kUtf16 = 1, kCodePoints = 2 };
enum class Setting { kOutpatient = 0, kInpatient = 1 };

struct AnalyzeOptions {
  InvalidUtf8Policy invalid_utf8 = InvalidUtf8Policy::kError;
  uint64_t max_note_bytes = 64ull << 20;
  OffsetUnit offset_unit = OffsetUnit::kBytes;
  bool include_text_layer = true;
  Setting setting = Setting::kOutpatient;
  std::string date_of_service;
  std::string patient_id;
  std::string encounter_id;
};

//   LoadOptions
//     code_set_year  ICD-10-CM fiscal year whose code table to use (0): 0 is
//                    the year named in models/icd10cm/default (the code set
//                    in force, FY2027 since 2026-10-01); 2026 selects
//                    models/icd10cm/fy2026 for notes of earlier dates.
//                    Every year under models/icd10cm/ is loaded (a note's
//                    date_of_service picks among them); this is the one for
//                    notes without a date.
//     cache_dir      a directory where Load may keep what it derives from
//                    the models and would otherwise compute at every load
//                    (today the prescreen's compiled Vectorscan databases,
//                    ~0.8 s to build; entries are named by a key of the
//                    rules, the Vectorscan version and the CPU, so a stale
//                    one is never used). "" (the default): no cache - the
//                    library reads and writes nothing outside the models
//                    directory. DefaultCacheDir() (suggest.h) is the
//                    conventional per-user place, which the `suggest` CLI
//                    and the Python binding pass. Databases precompiled
//                    into <models>/compiled/ (CompileModels, `suggest models
//                    compile`) are read whatever this says. A cache that
//                    cannot be read or written only makes loads slower.
struct LoadOptions {
  int code_set_year = 0;
  std::string cache_dir;
};

}  // namespace suggest

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_OPTIONS_H_
