// Copyright libsuggest authors.
//
// Library version. The C ABI exposes the same numbers via suggest_version().

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_VERSION_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_VERSION_H_

#define SUGGEST_VERSION_MAJOR 0
#define SUGGEST_VERSION_MINOR 1
#define SUGGEST_VERSION_PATCH 0
#define SUGGEST_VERSION_STRING "0.1.0"

// The engine's name in every result's provenance ("engine").
#define SUGGEST_ENGINE_NAME "libsuggest"

// Version of the JSON result shape ("schema_version" in every result).
#define SUGGEST_RESULT_SCHEMA_VERSION 1

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_VERSION_H_
