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

// The rule files of models/ (docs/rules.md). SUGGEST_RULES_SCHEMA_VERSION is
// the format of the folder as a whole: it goes up whenever one of the files
// below changes its schema_version or a file joins it (2: sections.toml 2
// with [kinds] and roles, map.toml 2 with the text and score tables; 3:
// manifest.toml, the packs and the kinds of their rules). The loaders accept
// exactly these `schema_version` values; a file with another one fails the
// load ("schema_version N not supported").
#define SUGGEST_RULES_SCHEMA_VERSION 3
#define SUGGEST_RULES_SCHEMA_PACK 1      // models/rules/*.toml
#define SUGGEST_RULES_SCHEMA_CONTEXT 1   // models/context.toml
#define SUGGEST_RULES_SCHEMA_SECTIONS 2  // models/sections.toml
#define SUGGEST_RULES_SCHEMA_MAP 2       // models/map.toml
#define SUGGEST_RULES_SCHEMA_MANIFEST 1  // models/manifest.toml

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_VERSION_H_
