// Copyright libsuggest authors.
//
// The EHR and research formats of `suggest analyze` / `suggest batch`
// (docs/interop.md):
//
//   FHIR R4   one Bundle (type collection) per note: a DocumentReference for
//             the note, a Condition per suggestion (ICD-10-CM coding,
//             verificationStatus unconfirmed, evidence spans in the
//             derivation-reference extension, rationale in Condition.note),
//             a Device naming the engine and models version, and a
//             Provenance tying them together.
//   OMOP      CDM v5.4 NOTE_NLP rows (CSV with the CDM's columns in order),
//             one per fact mention.
//
// Both read a Result and never the model, so they run in the batch workers
// like the JSON writer.

#ifndef LIBSUGGEST_TOOLS_INTEROP_OUTPUT_H_
#define LIBSUGGEST_TOOLS_INTEROP_OUTPUT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "suggest/suggest.h"

namespace suggest::tools {

// What the run adds to every note's FHIR/OMOP output. Set once with
// SetInteropOptions before any note is formatted; only read afterwards
// (by every worker thread).
struct InteropOptions {
  // FHIR: put the note text in DocumentReference.content.attachment.data and
  // the evidence text in the derivation-reference extensions.
  bool fhir_include_text = false;
  // OMOP: ICD10CM concept_code -> concept_id, from --omop-concepts.
  std::unordered_map<std::string, int64_t> omop_concepts;
  // When the run happened (UTC; SOURCE_DATE_EPOCH when set, for output that
  // is the same on every run): Provenance.recorded, nlp_date, nlp_datetime.
  std::string run_instant;   // 2026-12-04T16:49:10Z
  std::string run_date;      // 2026-12-04
  std::string run_datetime;  // 2026-12-04 16:49:10
};

// The run time: SOURCE_DATE_EPOCH (seconds since 1970, UTC) when set to a
// number, else now.
void SetRunTime(InteropOptions* o);
void SetInteropOptions(InteropOptions o);
const InteropOptions& GetInteropOptions();

// Reads an OMOP vocabulary CONCEPT.csv (Athena export: tab-separated, header
// concept_id, concept_name, domain_id, vocabulary_id, ..., concept_code, ...;
// commas are accepted too) and keeps the ICD10CM rows. False with *error
// naming the file and line.
bool LoadOmopConcepts(const std::string& path,
                      std::unordered_map<std::string, int64_t>* concepts, std::string* error);

// One Bundle as one JSON line (no newline).
std::string FhirBundle(const Result& result, std::string_view text, std::string_view id,
                       const AnalyzeOptions& options);

// The NOTE_NLP header line (with its newline).
const std::string& OmopHeader();

// OK if `id` can be a NOTE_NLP note_id: a decimal integer from 0 to
// kMaxOmopNoteId (note_nlp_id = note_id * 10000 + fact number), else
// InvalidArgument kind "invalid_note_id".
constexpr int64_t kMaxOmopNoteId = 922337203685476;
Status CheckOmopNoteId(std::string_view id);

// The NOTE_NLP rows of one note (one per fact, with newlines; "" for a note
// without facts). The id must pass CheckOmopNoteId. Throws
// std::length_error for a note of more than 9999 facts (the note_nlp_id
// scheme), which the batch runner turns into the note's error record.
std::string OmopRows(const Result& result, std::string_view text, std::string_view id,
                     const AnalyzeOptions& options);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_INTEROP_OUTPUT_H_
