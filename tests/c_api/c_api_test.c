/* Copyright libsuggest authors.
 *
 * Tests of the C ABI (suggest_c.h), written in C99: every function and every
 * error path, JSON identical to the CLI's, a model shared by two threads.
 *
 *   c_api_test CLI_PATH
 *
 * CLI_PATH is the `suggest` executable of the same build: its `analyze`
 * output is the expected JSON. SUGGEST_MODELS_DIR and SUGGEST_EXAMPLES_DIR
 * are compile-time definitions.
 */

#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <suggest/suggest_c.h>

#ifndef SUGGEST_MODELS_DIR
#error "SUGGEST_MODELS_DIR must be defined"
#endif
#ifndef SUGGEST_EXAMPLES_DIR
#error "SUGGEST_EXAMPLES_DIR must be defined"
#endif

static int g_failures = 0;
static int g_checks = 0;
static const char *g_cli = NULL;

#define CHECK(cond)                                                  \
  do {                                                               \
    ++g_checks;                                                      \
    if (!(cond)) {                                                   \
      ++g_failures;                                                  \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
              #cond);                                                \
    }                                                                \
  } while (0)

#define CHECK_STR(a, b)                                                  \
  do {                                                                   \
    const char *a_ = (a);                                                \
    const char *b_ = (b);                                                \
    ++g_checks;                                                          \
    if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {               \
      ++g_failures;                                                      \
      fprintf(stderr, "%s:%d: CHECK_STR failed: %s == %s\n  got: %s\n  want: %s\n", \
              __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)",            \
              b_ ? b_ : "(null)");                                       \
    }                                                                    \
  } while (0)

/* ------------------------------------------------------------ helpers */

/* Reads a whole file; *len gets its size. Caller frees. NULL on error. */
static char *ReadFile(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0;
  if (f == NULL) return NULL;
  for (;;) {
    size_t got;
    if (n + 4096 + 1 > cap) {
      char *nb;
      cap = (n + 4096 + 1) * 2;
      nb = (char *)realloc(buf, cap);
      if (nb == NULL) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
    }
    got = fread(buf + n, 1, 4096, f);
    n += got;
    if (got < 4096) break;
  }
  fclose(f);
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

static int WriteFile(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (f == NULL) return 0;
  if (fwrite(data, 1, len, f) != len) {
    fclose(f);
    return 0;
  }
  return fclose(f) == 0;
}

/* Runs a shell command and returns its stdout without the trailing newline
 * (caller frees), or NULL if it failed. */
static char *RunCommand(const char *cmd) {
  FILE *p = popen(cmd, "r");
  char *buf = NULL;
  size_t cap = 0, n = 0;
  int rc;
  if (p == NULL) return NULL;
  for (;;) {
    size_t got;
    if (n + 4096 + 1 > cap) {
      char *nb;
      cap = (n + 4096 + 1) * 2;
      nb = (char *)realloc(buf, cap);
      if (nb == NULL) break;
      buf = nb;
    }
    got = fread(buf + n, 1, 4096, p);
    n += got;
    if (got == 0) break;
  }
  rc = pclose(p);
  if (buf == NULL) return NULL;
  buf[n] = '\0';
  while (n > 0 && buf[n - 1] == '\n') buf[--n] = '\0';
  if (rc != 0) {
    fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
    free(buf);
    return NULL;
  }
  return buf;
}

/* The CLI's JSON for a note file, with --id c_api and extra flags. */
static char *CliJson(const char *note_path, const char *flags) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "'%s' analyze --models '%s' --id c_api %s '%s' 2>/dev/null", g_cli,
           SUGGEST_MODELS_DIR, flags, note_path);
  return RunCommand(cmd);
}

/* Our JSON with "id":"" replaced by "id":"c_api" (caller frees). */
static char *WithId(const char *json) {
  static const char kPrefix[] = "{\"id\":\"\"";
  size_t n;
  char *out;
  if (json == NULL || strncmp(json, kPrefix, strlen(kPrefix)) != 0) return NULL;
  n = strlen(json);
  out = (char *)malloc(n + 16);
  if (out == NULL) return NULL;
  strcpy(out, "{\"id\":\"c_api\"");
  strcat(out, json + strlen(kPrefix));
  return out;
}

static int StartsWith(const char *s, const char *prefix) {
  return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Options with the per-user cache (as the CLI), so that a load does not
 * compile the prescreen again (~40 s under ASan). Only TestDefaultModelsDir's
 * "no env" load checks the library's own default (no cache, NULL options);
 * the other successful loads use these. NULL if out of memory. */
static suggest_options *CachedOptions(void) {
  suggest_options *opts = suggest_options_new();
  if (opts != NULL && suggest_options_set_default_cache_dir(opts) != SUGGEST_OK) {
    suggest_options_free(opts);
    return NULL;
  }
  return opts;
}

/* The shared models, cached. */
static suggest_model *LoadDefaultModel(void) {
  suggest_model *model = NULL;
  suggest_error *err = NULL;
  suggest_options *opts = CachedOptions();
  if (opts == NULL) return NULL;
  suggest_status st = suggest_model_load(SUGGEST_MODELS_DIR, opts, &model, &err);
  suggest_options_free(opts);
  if (st != SUGGEST_OK) {
    fprintf(stderr, "cannot load models: %s\n", suggest_error_message(err));
    suggest_error_free(err);
    return NULL;
  }
  return model;
}

/* ------------------------------------------------------------ tests */

static void TestVersionAndStatusNames(void) {
  CHECK_STR(suggest_version(), SUGGEST_VERSION_STRING);
  CHECK(suggest_version_number() == (uint32_t)SUGGEST_VERSION_NUMBER);
  CHECK(suggest_version_number() ==
        (uint32_t)(SUGGEST_VERSION_MAJOR * 1000000 +
                   SUGGEST_VERSION_MINOR * 1000 + SUGGEST_VERSION_PATCH));
  CHECK(suggest_abi_version() == SUGGEST_ABI_VERSION);

  /* Pinned values. */
  CHECK(SUGGEST_OK == 0);
  CHECK(SUGGEST_ERR_CANCELLED == 1);
  CHECK(SUGGEST_ERR_UNKNOWN == 2);
  CHECK(SUGGEST_ERR_INVALID_ARGUMENT == 3);
  CHECK(SUGGEST_ERR_NOT_FOUND == 5);
  CHECK(SUGGEST_ERR_RESOURCE_EXHAUSTED == 8);
  CHECK(SUGGEST_ERR_FAILED_PRECONDITION == 9);
  CHECK(SUGGEST_ERR_OUT_OF_RANGE == 11);
  CHECK(SUGGEST_ERR_UNIMPLEMENTED == 12);
  CHECK(SUGGEST_ERR_INTERNAL == 13);
  CHECK(SUGGEST_ERR_DATA_LOSS == 15);
  CHECK(SUGGEST_OFFSETS_BYTES == 0 && SUGGEST_OFFSETS_UTF16 == 1 &&
        SUGGEST_OFFSETS_CODEPOINTS == 2);
  CHECK(SUGGEST_SETTING_OUTPATIENT == 0 && SUGGEST_SETTING_INPATIENT == 1);
  CHECK(sizeof(suggest_span) == 8);

  CHECK_STR(suggest_status_name(SUGGEST_OK), "ok");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_CANCELLED), "cancelled");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_UNKNOWN), "unknown");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_INVALID_ARGUMENT), "invalid_argument");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_NOT_FOUND), "not_found");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_RESOURCE_EXHAUSTED), "resource_exhausted");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_FAILED_PRECONDITION), "failed_precondition");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_OUT_OF_RANGE), "out_of_range");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_UNIMPLEMENTED), "unimplemented");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_INTERNAL), "internal");
  CHECK_STR(suggest_status_name(SUGGEST_ERR_DATA_LOSS), "data_loss");
  CHECK_STR(suggest_status_name((suggest_status)4), "unrecognized");
  CHECK_STR(suggest_status_name((suggest_status)-1), "unrecognized");
  CHECK_STR(suggest_status_name((suggest_status)1000), "unrecognized");
}

static void TestOptions(void) {
  suggest_options *opts = suggest_options_new();
  CHECK(opts != NULL);
  CHECK(suggest_options_set_offset_units(opts, SUGGEST_OFFSETS_UTF16) == SUGGEST_OK);
  CHECK(suggest_options_set_offset_units(opts, SUGGEST_OFFSETS_CODEPOINTS) == SUGGEST_OK);
  CHECK(suggest_options_set_offset_units(opts, SUGGEST_OFFSETS_BYTES) == SUGGEST_OK);
  CHECK(suggest_options_set_offset_units(opts, (suggest_offset_units)3) ==
        SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_invalid_utf8(opts, SUGGEST_INVALID_UTF8_REPAIR) == SUGGEST_OK);
  CHECK(suggest_options_set_invalid_utf8(opts, SUGGEST_INVALID_UTF8_ERROR) == SUGGEST_OK);
  CHECK(suggest_options_set_invalid_utf8(opts, (suggest_invalid_utf8)7) ==
        SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_max_note_bytes(opts, 1000) == SUGGEST_OK);
  CHECK(suggest_options_set_include_text_layer(opts, 0) == SUGGEST_OK);
  CHECK(suggest_options_set_include_text_layer(opts, 1) == SUGGEST_OK);
  CHECK(suggest_options_set_setting(opts, SUGGEST_SETTING_INPATIENT) == SUGGEST_OK);
  CHECK(suggest_options_set_setting(opts, SUGGEST_SETTING_OUTPATIENT) == SUGGEST_OK);
  CHECK(suggest_options_set_setting(opts, (suggest_setting)2) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_setting(opts, (suggest_setting)-1) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_code_set_year(opts, 2026) == SUGGEST_OK);
  CHECK(suggest_options_set_code_set_year(opts, 0) == SUGGEST_OK);
  CHECK(suggest_options_set_code_set_year(opts, -1) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_cache_dir(opts, "/tmp/suggest-c-api-cache") == SUGGEST_OK);
  CHECK(suggest_options_set_cache_dir(opts, NULL) == SUGGEST_OK);
  CHECK(suggest_options_set_cache_dir(opts, "") == SUGGEST_OK);
  CHECK(suggest_options_set_default_cache_dir(opts) == SUGGEST_OK);

  /* NULL options. */
  CHECK(suggest_options_set_offset_units(NULL, SUGGEST_OFFSETS_UTF16) ==
        SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_invalid_utf8(NULL, SUGGEST_INVALID_UTF8_REPAIR) ==
        SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_max_note_bytes(NULL, 1) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_include_text_layer(NULL, 1) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_code_set_year(NULL, 2026) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_cache_dir(NULL, "/tmp") == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_default_cache_dir(NULL) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_setting(NULL, SUGGEST_SETTING_INPATIENT) ==
        SUGGEST_ERR_INVALID_ARGUMENT);
  suggest_options_free(opts);
}

static void TestNullFreesAndAccessors(void) {
  size_t len = 99;
  suggest_span span;
  suggest_options_free(NULL);
  suggest_model_free(NULL);
  suggest_result_free(NULL);
  suggest_error_free(NULL);

  CHECK(suggest_error_status(NULL) == SUGGEST_OK);
  CHECK_STR(suggest_error_message(NULL), "");
  CHECK_STR(suggest_error_kind(NULL), "");
  CHECK(suggest_error_offset(NULL) == -1);

  CHECK(suggest_model_dir(NULL, &len) == NULL && len == 0);
  CHECK(suggest_model_dir(NULL, NULL) == NULL);

  len = 99;
  CHECK(suggest_result_json(NULL, &len) == NULL && len == 0);
  CHECK(suggest_result_json(NULL, NULL) == NULL);
  CHECK(suggest_result_offset_units(NULL) == SUGGEST_OFFSETS_BYTES);
  len = 99;
  CHECK(suggest_result_code_set(NULL, &len) == NULL && len == 0);
  CHECK(suggest_result_fact_count(NULL) == 0);
  CHECK(suggest_result_suggestion_count(NULL) == 0);
  len = 99;
  CHECK(suggest_result_suggestion_code(NULL, 0, &len) == NULL && len == 0);
  CHECK(suggest_result_suggestion_title(NULL, 0, NULL) == NULL);
  CHECK(suggest_result_suggestion_rationale(NULL, 0, NULL) == NULL);
  CHECK(suggest_result_suggestion_score(NULL, 0) == 0.0);
  CHECK(suggest_result_suggestion_rank(NULL, 0) == 0);
  CHECK(suggest_result_suggestion_evidence_count(NULL, 0) == 0);
  span = suggest_result_suggestion_evidence_span(NULL, 0, 0);
  CHECK(span.begin == 0 && span.end == 0);
  CHECK(suggest_result_suggestion_evidence_rule_id(NULL, 0, 0, NULL) == NULL);
}

static void TestLoadErrors(void) {
  suggest_model *model = (suggest_model *)&g_checks; /* must be reset */
  suggest_error *err = NULL;
  suggest_status st;
  suggest_options *opts;

  /* out NULL. */
  st = suggest_model_load(SUGGEST_MODELS_DIR, NULL, NULL, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(err != NULL);
  CHECK(suggest_error_status(err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "null_argument");
  CHECK(strstr(suggest_error_message(err), "out") != NULL);
  suggest_error_free(err);
  CHECK(suggest_model_load(SUGGEST_MODELS_DIR, NULL, NULL, NULL) ==
        SUGGEST_ERR_INVALID_ARGUMENT);

  /* Missing directory: NOT_FOUND, *out reset, message names the dir. */
  err = NULL;
  st = suggest_model_load("/nonexistent/suggest-models", NULL, &model, &err);
  CHECK(st == SUGGEST_ERR_NOT_FOUND);
  CHECK(model == NULL);
  CHECK(suggest_error_status(err) == SUGGEST_ERR_NOT_FOUND);
  CHECK(strstr(suggest_error_message(err), "/nonexistent/suggest-models") != NULL);
  CHECK(suggest_error_offset(err) == -1);
  suggest_error_free(err);
  /* err NULL is allowed. */
  CHECK(suggest_model_load("/nonexistent/suggest-models", NULL, &model, NULL) ==
        SUGGEST_ERR_NOT_FOUND);
  CHECK(model == NULL);

  /* A code set year the models have no table for fails the load. */
  opts = CachedOptions();
  CHECK(suggest_options_set_code_set_year(opts, 1999) == SUGGEST_OK);
  st = suggest_model_load(SUGGEST_MODELS_DIR, opts, &model, &err);
  CHECK(st != SUGGEST_OK);
  CHECK(model == NULL);
  CHECK(err != NULL && strlen(suggest_error_message(err)) > 0);
  suggest_error_free(err);
  /* ...and an existing one loads. */
  CHECK(suggest_options_set_code_set_year(opts, 2026) == SUGGEST_OK);
  st = suggest_model_load(SUGGEST_MODELS_DIR, opts, &model, &err);
  CHECK(st == SUGGEST_OK);
  CHECK(err == NULL);
  if (st == SUGGEST_OK) {
    static const char kNote[] = "Status post L4-L5 posterior spinal fusion.";
    suggest_result *res = NULL;
    CHECK(suggest_analyze(model, kNote, strlen(kNote), NULL, &res, NULL) == SUGGEST_OK);
    CHECK(strstr(suggest_result_code_set(res, NULL), "2026") != NULL);
    suggest_result_free(res);
  }
  suggest_model_free(model);
  suggest_options_free(opts);
}

static void TestBrokenModelsDir(void) {
  char dir[] = "/tmp/suggest-c-api-XXXXXX";
  char cmd[1024], path[1024];
  static const char kBroken[] = "schema_version = 1\n[[rule]\nid = \"x\"\n";
  static const char kBadRegex[] =
      "schema_version = 1\n"
      "[[rule]]\n"
      "id       = \"x\"\n"
      "pattern  = '(unclosed'\n";
  suggest_model *model = NULL;
  suggest_error *err = NULL;
  suggest_status st;
  const char *msg;

  if (mkdtemp(dir) == NULL) {
    CHECK(!"mkdtemp failed");
    return;
  }
  snprintf(cmd, sizeof cmd, "cp -r '%s' '%s/models'", SUGGEST_MODELS_DIR, dir);
  CHECK(system(cmd) == 0);
  snprintf(path, sizeof path, "%s/models", dir);

  /* The copy loads. */
  {
    suggest_options *opts = CachedOptions();
    st = suggest_model_load(path, opts, &model, &err);
    CHECK(st == SUGGEST_OK);
    suggest_model_free(model);
    suggest_error_free(err);
    suggest_options_free(opts);
  }

  /* TOML syntax error on line 2. */
  snprintf(path, sizeof path, "%s/models/rules/levels.toml", dir);
  CHECK(WriteFile(path, kBroken, strlen(kBroken)));
  snprintf(path, sizeof path, "%s/models", dir);
  st = suggest_model_load(path, NULL, &model, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(model == NULL);
  CHECK(suggest_error_status(err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "rule_file");
  msg = suggest_error_message(err);
  {
    /* "…/rules/levels.toml:2:<column>: error: …" */
    const char *at = strstr(msg, "rules/levels.toml:2:");
    CHECK(at != NULL);
    if (at != NULL) {
      at += strlen("rules/levels.toml:2:");
      CHECK(*at >= '0' && *at <= '9');
      while (*at >= '0' && *at <= '9') ++at;
      CHECK(StartsWith(at, ": error:"));
    } else {
      fprintf(stderr, "  message: %s\n", msg);
    }
  }
  suggest_error_free(err);

  /* A bad regex: the location points into the file too. */
  snprintf(path, sizeof path, "%s/models/rules/fusion.toml", dir);
  CHECK(WriteFile(path, kBadRegex, strlen(kBadRegex)));
  snprintf(path, sizeof path, "%s/models/rules/levels.toml", dir);
  {
    char src[2200];
    snprintf(src, sizeof src, "cp '%s/rules/levels.toml' '%s'", SUGGEST_MODELS_DIR, path);
    CHECK(system(src) == 0);
  }
  snprintf(path, sizeof path, "%s/models", dir);
  st = suggest_model_load(path, NULL, &model, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(model == NULL);
  msg = suggest_error_message(err);
  CHECK(strstr(msg, "rules/fusion.toml:") != NULL);
  if (strstr(msg, "rules/fusion.toml:") == NULL) fprintf(stderr, "  message: %s\n", msg);
  suggest_error_free(err);

  /* An unsupported schema_version is broken rule data (the header's
   * promise): INVALID_ARGUMENT, kind "rule_file", with file:line:column.
   * levels.toml loads before the (still broken) fusion.toml. */
  snprintf(cmd, sizeof cmd,
           "sed -i 's/^schema_version = .*/schema_version = 99/' '%s/models/rules/levels.toml'",
           dir);
  CHECK(system(cmd) == 0);
  st = suggest_model_load(path, NULL, &model, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(model == NULL);
  CHECK(suggest_error_status(err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "rule_file");
  msg = suggest_error_message(err);
  CHECK(strstr(msg, "rules/levels.toml:") != NULL &&
        strstr(msg, ": error: schema_version 99 not supported (") != NULL);
  if (strstr(msg, "schema_version 99 not supported") == NULL) fprintf(stderr, "  message: %s\n", msg);
  suggest_error_free(err);

  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
}

static void TestDefaultModelsDir(void) {
  suggest_model *model = NULL;
  suggest_error *err = NULL;
  suggest_status st;
  size_t len = 0;
  const char *dir;
  char *saved = getenv("SUGGEST_MODELS") ? strdup(getenv("SUGGEST_MODELS")) : NULL;
  suggest_options *cached = CachedOptions();

  /* SUGGEST_MODELS is used for NULL. */
  CHECK(setenv("SUGGEST_MODELS", "/nonexistent/from-env", 1) == 0);
  st = suggest_model_load(NULL, NULL, &model, &err);
  CHECK(st == SUGGEST_ERR_NOT_FOUND);
  CHECK(strstr(suggest_error_message(err), "/nonexistent/from-env") != NULL);
  suggest_error_free(err);

  CHECK(setenv("SUGGEST_MODELS", SUGGEST_MODELS_DIR, 1) == 0);
  st = suggest_model_load(NULL, cached, &model, &err);
  CHECK(st == SUGGEST_OK);
  dir = suggest_model_dir(model, &len);
  CHECK_STR(dir, SUGGEST_MODELS_DIR);
  CHECK(dir != NULL && len == strlen(dir));
  suggest_model_free(model);

  /* No env: the models beside the library. The build tree's libsuggest.so
   * has no ../share/suggest/models, but the suggest-models link to the
   * source tree's models beside it (no path is compiled into the library). */
  CHECK(unsetenv("SUGGEST_MODELS") == 0);
  st = suggest_model_load(NULL, NULL, &model, &err);
  CHECK(st == SUGGEST_OK);
  if (st != SUGGEST_OK) fprintf(stderr, "  %s\n", suggest_error_message(err));
  suggest_error_free(err);
  {
    char beside[4096];
    const char *slash = strrchr(SUGGEST_SHARED_LIBRARY, '/');
    int n = (int)(slash - SUGGEST_SHARED_LIBRARY);
    snprintf(beside, sizeof beside, "%.*s/suggest-models", n, SUGGEST_SHARED_LIBRARY);
    CHECK_STR(suggest_model_dir(model, NULL), beside);
  }
  suggest_model_free(model);

  /* An empty SUGGEST_MODELS counts as unset. */
  CHECK(setenv("SUGGEST_MODELS", "", 1) == 0);
  st = suggest_model_load(NULL, cached, &model, NULL);
  CHECK(st == SUGGEST_OK);
  suggest_model_free(model);

  suggest_options_free(cached);
  if (saved) {
    setenv("SUGGEST_MODELS", saved, 1);
    free(saved);
  } else {
    unsetenv("SUGGEST_MODELS");
  }
}

/* Mode `c_api_test --print-default-dir`: prints the directory
 * suggest_model_load(NULL, ...) picks (SUGGEST_MODELS unset). */
static int PrintDefaultDir(void) {
  suggest_model *model = NULL;
  suggest_error *err = NULL;
  suggest_options *opts = CachedOptions();
  suggest_status st;
  unsetenv("SUGGEST_MODELS");
  st = suggest_model_load(NULL, opts, &model, &err);
  suggest_options_free(opts);
  if (st != SUGGEST_OK) {
    printf("error: %s\n", suggest_error_message(err));
    suggest_error_free(err);
    return 1;
  }
  printf("%s\n", suggest_model_dir(model, NULL));
  suggest_model_free(model);
  return 0;
}

/* Relocatable install: copies of this program in PREFIX/bin and of the shared
 * library in PREFIX/lib find PREFIX/share/suggest/models (dladdr on the code
 * holding the library; LD_LIBRARY_PATH overrides the build tree's RUNPATH). */
static void TestModelsBesideLibrary(void) {
  char dir[] = "/tmp/suggest-c-api-XXXXXX";
  char cmd[4096], want[1100];
  char *got;
  if (mkdtemp(dir) == NULL) {
    CHECK(!"mkdtemp failed");
    return;
  }
  snprintf(cmd, sizeof cmd,
           "mkdir -p '%s/bin' '%s/lib' '%s/share/suggest' && "
           "cp /proc/%ld/exe '%s/bin/c_api_test' && cp '%s' '%s/lib/' && "
           "cp -r '%s' '%s/share/suggest/models'",
           dir, dir, dir, (long)getpid(), dir, SUGGEST_SHARED_LIBRARY, dir,
           SUGGEST_MODELS_DIR, dir);
  CHECK(system(cmd) == 0);
  snprintf(cmd, sizeof cmd, "LD_LIBRARY_PATH='%s/lib' '%s/bin/c_api_test' --print-default-dir",
           dir, dir);
  got = RunCommand(cmd);
  snprintf(want, sizeof want, "%s/share/suggest/models", dir);
  CHECK_STR(got, want);
  free(got);
  /* Run with a relative argv[0] as well. */
  snprintf(cmd, sizeof cmd, "cd '%s' && LD_LIBRARY_PATH=lib ./bin/c_api_test --print-default-dir",
           dir);
  got = RunCommand(cmd);
  CHECK_STR(got, want);
  free(got);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
}

static void TestAnalyzeErrors(const suggest_model *model) {
  static const char kNote[] = "Status post L4-L5 posterior spinal fusion.";
  static const char kBadUtf8[] = "Status post \xff L4-L5 fusion.";
  suggest_result *res = (suggest_result *)&g_checks; /* must be reset */
  suggest_error *err = NULL;
  suggest_options *opts = suggest_options_new();
  suggest_status st;

  /* NULL model / out / text. */
  st = suggest_analyze(NULL, kNote, strlen(kNote), NULL, &res, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);
  CHECK_STR(suggest_error_kind(err), "null_argument");
  CHECK(strstr(suggest_error_message(err), "model") != NULL);
  suggest_error_free(err);

  st = suggest_analyze(model, kNote, strlen(kNote), NULL, NULL, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "null_argument");
  suggest_error_free(err);

  st = suggest_analyze(model, NULL, 5, NULL, &res, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);
  CHECK_STR(suggest_error_kind(err), "null_argument");
  CHECK(strstr(suggest_error_message(err), "text") != NULL);
  suggest_error_free(err);

  CHECK(suggest_analyze(NULL, NULL, 0, NULL, NULL, NULL) == SUGGEST_ERR_INVALID_ARGUMENT);

  /* Empty note: NULL with len 0, and "" with len 0. */
  st = suggest_analyze(model, NULL, 0, NULL, &res, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);
  CHECK_STR(suggest_error_kind(err), "empty_note");
  suggest_error_free(err);
  st = suggest_analyze(model, "", 0, opts, &res, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "empty_note");
  suggest_error_free(err);

  /* Too large under the max-size option. */
  CHECK(suggest_options_set_max_note_bytes(opts, 10) == SUGGEST_OK);
  st = suggest_analyze(model, kNote, strlen(kNote), opts, &res, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);
  CHECK_STR(suggest_error_kind(err), "note_too_large");
  {
    /* The same message as `suggest analyze --max-note-bytes` (docs/cli.md). */
    char want[128];
    snprintf(want, sizeof want, "note of %zu bytes exceeds the limit of 10 bytes", strlen(kNote));
    CHECK_STR(suggest_error_message(err), want);
  }
  suggest_error_free(err);
  CHECK(suggest_options_set_max_note_bytes(opts, strlen(kNote)) == SUGGEST_OK);
  st = suggest_analyze(model, kNote, strlen(kNote), opts, &res, &err);
  CHECK(st == SUGGEST_OK); /* exactly the limit is fine */
  CHECK(err == NULL);
  suggest_result_free(res);
  CHECK(suggest_options_set_max_note_bytes(opts, 1u << 20) == SUGGEST_OK);

  /* Invalid UTF-8: status, kind, offset of the first bad byte. */
  st = suggest_analyze(model, kBadUtf8, strlen(kBadUtf8), opts, &res, &err);
  CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);
  CHECK(suggest_error_status(err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "invalid_utf8");
  CHECK(suggest_error_offset(err) == 12);
  CHECK(strlen(suggest_error_message(err)) > 0);
  suggest_error_free(err);
  /* Truncated sequence at the very end, and err NULL. */
  CHECK(suggest_analyze(model, "fusion \xe2\x80", 9, opts, &res, NULL) ==
        SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);

  /* Repair: OK, spans still in original bytes. */
  CHECK(suggest_options_set_invalid_utf8(opts, SUGGEST_INVALID_UTF8_REPAIR) == SUGGEST_OK);
  st = suggest_analyze(model, kBadUtf8, strlen(kBadUtf8), opts, &res, &err);
  CHECK(st == SUGGEST_OK);
  CHECK(err == NULL);
  if (st == SUGGEST_OK) {
    size_t len = 0;
    const char *json = suggest_result_json(res, &len);
    CHECK(json != NULL && len == strlen(json) && len > 0);
    CHECK(suggest_result_suggestion_count(res) >= 1);
    if (suggest_result_suggestion_count(res) >= 1 &&
        suggest_result_suggestion_evidence_count(res, 0) >= 1) {
      suggest_span s = suggest_result_suggestion_evidence_span(res, 0, 0);
      CHECK(s.end <= strlen(kBadUtf8) && s.begin < s.end);
    }
  }
  suggest_result_free(res);

  /* NUL bytes inside the note are text, not a terminator. */
  {
    static const char kWithNul[] = "Note\0 Status post L4-L5 posterior spinal fusion.";
    st = suggest_analyze(model, kWithNul, sizeof kWithNul - 1, NULL, &res, &err);
    CHECK(st == SUGGEST_OK);
    if (st == SUGGEST_OK) CHECK(suggest_result_suggestion_count(res) >= 1);
    suggest_result_free(res);
    suggest_error_free(err);
  }
  suggest_options_free(opts);
}

/* Checks every typed accessor of a result of `note` and its bounds. */
static void CheckAccessors(const suggest_result *res, const char *note, size_t note_len) {
  size_t n = suggest_result_suggestion_count(res);
  size_t i, len = 99;
  const char *s;
  suggest_span span;

  CHECK(n >= 1);
  CHECK(suggest_result_fact_count(res) >= 1);
  s = suggest_result_code_set(res, &len);
  CHECK(StartsWith(s, "ICD-10-CM"));
  CHECK(s != NULL && len == strlen(s));

  for (i = 0; i < n; ++i) {
    size_t j, ne;
    double score = suggest_result_suggestion_score(res, i);
    s = suggest_result_suggestion_code(res, i, &len);
    CHECK(s != NULL && len == strlen(s) && len >= 3);
    CHECK(s != NULL && s[3] == '.'); /* dotted */
    s = suggest_result_suggestion_title(res, i, &len);
    CHECK(s != NULL && len == strlen(s) && len > 0);
    s = suggest_result_suggestion_rationale(res, i, &len);
    CHECK(s != NULL && len == strlen(s) && len > 0);
    CHECK(suggest_result_suggestion_code(res, i, NULL) != NULL);
    CHECK(score > 0.0 && score <= 1.0);
    CHECK(suggest_result_suggestion_rank(res, i) == (int)i + 1);
    ne = suggest_result_suggestion_evidence_count(res, i);
    CHECK(ne >= 1);
    for (j = 0; j < ne; ++j) {
      span = suggest_result_suggestion_evidence_span(res, i, j);
      CHECK(span.begin < span.end && span.end <= note_len);
      s = suggest_result_suggestion_evidence_rule_id(res, i, j, &len);
      CHECK(s != NULL && len == strlen(s) && len > 0);
    }
    /* Evidence index out of range. */
    span = suggest_result_suggestion_evidence_span(res, i, ne);
    CHECK(span.begin == 0 && span.end == 0);
    len = 99;
    CHECK(suggest_result_suggestion_evidence_rule_id(res, i, ne, &len) == NULL && len == 0);
  }
  (void)note;

  /* Suggestion index out of range. */
  len = 99;
  CHECK(suggest_result_suggestion_code(res, n, &len) == NULL && len == 0);
  len = 99;
  CHECK(suggest_result_suggestion_title(res, n, &len) == NULL && len == 0);
  len = 99;
  CHECK(suggest_result_suggestion_rationale(res, (size_t)-1, &len) == NULL && len == 0);
  CHECK(suggest_result_suggestion_score(res, n) == 0.0);
  CHECK(suggest_result_suggestion_rank(res, n) == 0);
  CHECK(suggest_result_suggestion_evidence_count(res, n) == 0);
  span = suggest_result_suggestion_evidence_span(res, n, 0);
  CHECK(span.begin == 0 && span.end == 0);
  CHECK(suggest_result_suggestion_evidence_rule_id(res, n, 0, NULL) == NULL);
}

static void TestExampleNoteMatchesCli(const suggest_model *model) {
  /* The first one goes through every typed accessor. */
  static const char *kNotes[] = {"clinic_followup_crlf.txt", "rheumatology_as.txt",
                                 "radiology_ct.txt", "op_note_acdf.txt"};
  size_t k;
  for (k = 0; k < sizeof kNotes / sizeof kNotes[0]; ++k) {
    char path[1024];
    size_t note_len = 0, len = 0;
    char *note, *expected, *got;
    const char *json, *again;
    suggest_result *res = NULL;
    suggest_error *err = NULL;
    suggest_status st;

    snprintf(path, sizeof path, "%s/%s", SUGGEST_EXAMPLES_DIR, kNotes[k]);
    note = ReadFile(path, &note_len);
    CHECK(note != NULL);
    if (note == NULL) continue;
    st = suggest_analyze(model, note, note_len, NULL, &res, &err);
    CHECK(st == SUGGEST_OK);
    if (st != SUGGEST_OK) {
      fprintf(stderr, "  %s: %s\n", kNotes[k], suggest_error_message(err));
      suggest_error_free(err);
      free(note);
      continue;
    }
    CHECK(suggest_result_offset_units(res) == SUGGEST_OFFSETS_BYTES);
    if (k == 0) CheckAccessors(res, note, note_len);

    json = suggest_result_json(res, &len);
    CHECK(json != NULL && len == strlen(json));
    CHECK(StartsWith(json, "{\"id\":\"\",\"status\":\"ok\""));
    again = suggest_result_json(res, NULL);
    CHECK(again == json); /* built once, cached */

    expected = CliJson(path, "");
    got = WithId(json);
    CHECK(expected != NULL && got != NULL);
    /* With its id set, the result's own JSON is the CLI's (set after the
     * first suggest_result_json: the JSON is rebuilt). */
    CHECK(suggest_result_set_id(res, "c_api", 5, &err) == SUGGEST_OK && err == NULL);
    json = suggest_result_json(res, &len);
    CHECK(json != NULL && len == strlen(json));
    CHECK(expected != NULL && json != NULL && strcmp(expected, json) == 0);
    CHECK(suggest_result_json(res, NULL) == json); /* cached again */
    if (expected != NULL && got != NULL) {
      CHECK(strcmp(expected, got) == 0);
      if (strcmp(expected, got) != 0)
        fprintf(stderr, "  %s\n  cli: %s\n  c:   %s\n", kNotes[k], expected, got);
    }
    /* Typed accessors agree with the JSON. */
    if (suggest_result_suggestion_count(res) > 0) {
      char key[128];
      snprintf(key, sizeof key, "\"code\":\"%s\"", suggest_result_suggestion_code(res, 0, NULL));
      CHECK(strstr(json, key) != NULL);
    }
    free(expected);
    free(got);
    suggest_result_free(res);
    free(note);
  }
}

/* suggest_result_set_id: the id as written by the JSON writer (escaped,
 * NUL bytes kept, bad UTF-8 replaced), set before the first JSON; errors. */
static void TestResultSetId(const suggest_model *model) {
  static const char kNote[] = "Lumbar spinal stenosis L4-L5.";
  static const char kId[] = "a\"b\0c\xc3\xa9\xff";
  suggest_result *res = NULL;
  suggest_error *err = NULL;
  const char *json;
  size_t len = 0;
  CHECK(suggest_analyze(model, kNote, strlen(kNote), NULL, &res, &err) == SUGGEST_OK);
  if (res == NULL) {
    suggest_error_free(err);
    return;
  }
  CHECK(suggest_result_set_id(res, kId, sizeof kId - 1, &err) == SUGGEST_OK && err == NULL);
  json = suggest_result_json(res, &len);
  CHECK(StartsWith(json, "{\"id\":\"a\\\"b\\u0000c\xc3\xa9\xef\xbf\xbd\",\"status\":\"ok\""));
  if (!StartsWith(json, "{\"id\":\"a\\\"b\\u0000c\xc3\xa9\xef\xbf\xbd\",")) fprintf(stderr, "  %.40s\n", json);
  /* Back to "" (NULL with len 0 is allowed). */
  CHECK(suggest_result_set_id(res, NULL, 0, NULL) == SUGGEST_OK);
  CHECK(StartsWith(suggest_result_json(res, NULL), "{\"id\":\"\",\"status\":\"ok\""));
  /* Errors leave the id as it was. */
  CHECK(suggest_result_set_id(res, NULL, 3, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "null_argument");
  suggest_error_free(err);
  err = NULL;
  CHECK(StartsWith(suggest_result_json(res, NULL), "{\"id\":\"\","));
  CHECK(suggest_result_set_id(NULL, "x", 1, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "null_argument");
  suggest_error_free(err);
  CHECK(suggest_result_set_id(NULL, "x", 1, NULL) == SUGGEST_ERR_INVALID_ARGUMENT);
  suggest_result_free(res);
}

/* The setting option is echoed in the JSON, which always lists not_coded
 * (empty or not), and is what `suggest analyze --setting` prints; a rejected
 * value leaves the options unchanged. */
static void TestSetting(const suggest_model *model) {
  static const char kNote[] = "History: s/p L4-L5 posterior spinal fusion in 2019.\n";
  const int settings[] = {SUGGEST_SETTING_OUTPATIENT, SUGGEST_SETTING_INPATIENT};
  const char *names[] = {"outpatient", "inpatient"};
  char dir[] = "/tmp/suggest-c-api-XXXXXX";
  char path[1024], cmd[1100];
  int k;
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/setting.txt", dir);
  CHECK(WriteFile(path, kNote, strlen(kNote)));
  for (k = 0; k < 2; ++k) {
    suggest_options *opts = suggest_options_new();
    suggest_result *res = NULL;
    const char *json;
    char key[64], flags[64];
    char *expected, *got;
    CHECK(opts != NULL);
    if (opts == NULL) return;
    CHECK(suggest_options_set_setting(opts, (suggest_setting)settings[k]) == SUGGEST_OK);
    CHECK(suggest_options_set_setting(opts, (suggest_setting)5) == SUGGEST_ERR_INVALID_ARGUMENT);
    CHECK(suggest_analyze(model, kNote, strlen(kNote), opts, &res, NULL) == SUGGEST_OK);
    json = suggest_result_json(res, NULL);
    CHECK(json != NULL);
    if (json != NULL) {
      snprintf(key, sizeof key, "\"setting\":\"%s\"", names[k]);
      CHECK(strstr(json, key) != NULL);
      CHECK(strstr(json, "\"not_coded\":[") != NULL);
    }
    snprintf(flags, sizeof flags, "--setting %s", names[k]);
    expected = CliJson(path, flags);
    got = WithId(json);
    CHECK(expected != NULL && got != NULL && strcmp(expected, got) == 0);
    free(expected);
    free(got);
    suggest_result_free(res);
    suggest_options_free(opts);
  }
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
}

/* Issue 15: input fields (date of service -> code set, patient and encounter
 * ids echoed; bad values name the field) and provenance, equal to what the
 * CLI prints with the same flags. */
static void TestInputFieldsAndProvenance(const suggest_model *model) {
  static const char kNote[] = "History: s/p L4-L5 posterior spinal fusion in 2019.\n";
  char dir[] = "/tmp/suggest-c-api-XXXXXX";
  char path[1024], cmd[1100], want[128];
  suggest_options *opts = suggest_options_new();
  suggest_result *res = NULL;
  suggest_error *err = NULL;
  const char *json, *prov, *version, *model_version;
  char *expected, *got;
  size_t len = 0;
  CHECK(opts != NULL);
  if (opts == NULL) return;
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/fields.txt", dir);
  CHECK(WriteFile(path, kNote, strlen(kNote)));
  CHECK(suggest_options_set_date_of_service(NULL, "2026-09-15") == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_options_set_date_of_service(opts, "2026-09-15") == SUGGEST_OK);
  CHECK(suggest_options_set_patient_id(opts, "P-1") == SUGGEST_OK);
  CHECK(suggest_options_set_encounter_id(opts, "E-1") == SUGGEST_OK);
  CHECK(suggest_analyze(model, kNote, strlen(kNote), opts, &res, &err) == SUGGEST_OK);
  CHECK(strcmp(suggest_result_code_set(res, NULL), "ICD-10-CM FY2026") == 0);
  json = suggest_result_json(res, NULL);
  CHECK(json != NULL && strstr(json, "\"date_of_service\":\"2026-09-15\",\"patient_id\":\"P-1\","
                                     "\"encounter_id\":\"E-1\"") != NULL);
  expected = CliJson(path, "--date-of-service 2026-09-15 --patient-id P-1 --encounter-id E-1");
  got = WithId(json);
  CHECK(expected != NULL && got != NULL && strcmp(expected, got) == 0);
  free(expected);
  free(got);
  /* Provenance: the models version of the model, and the JSON object. */
  model_version = suggest_model_models_version(model, &len);
  CHECK(model_version != NULL && len == 16);
  version = suggest_result_models_version(res, &len);
  CHECK(version != NULL && len == 16 && strcmp(version, model_version) == 0);
  CHECK(suggest_model_models_version(NULL, &len) == NULL && len == 0);
  CHECK(suggest_result_models_version(NULL, &len) == NULL && len == 0);
  CHECK(suggest_result_provenance_json(NULL, &len) == NULL && len == 0);
  prov = suggest_result_provenance_json(res, &len);
  snprintf(want, sizeof want, "\"models_version\":\"%s\",\"code_set\":\"ICD-10-CM FY2026\"}",
           model_version ? model_version : "");
  CHECK(prov != NULL && len == strlen(prov));
  CHECK(StartsWith(prov, "{\"schema_version\":1,\"engine\":{\"name\":\"libsuggest\","
                         "\"version\":\"" SUGGEST_VERSION_STRING "\"},"));
  CHECK(prov != NULL && strstr(prov, want) != NULL);
  CHECK(json != NULL && strstr(json, "\"schema_version\":1,\"engine\":") != NULL);
  suggest_result_free(res);
  res = NULL;
  /* Bad values: errors whose kind names the field. */
  CHECK(suggest_options_set_date_of_service(opts, "2026-02-30") == SUGGEST_OK);
  CHECK(suggest_analyze(model, kNote, strlen(kNote), opts, &res, &err) ==
        SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL && err != NULL && strcmp(suggest_error_kind(err), "invalid_date_of_service") == 0);
  suggest_error_free(err);
  err = NULL;
  CHECK(suggest_options_set_date_of_service(opts, "2020-01-01") == SUGGEST_OK);
  CHECK(suggest_analyze(model, kNote, strlen(kNote), opts, &res, &err) ==
        SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(err != NULL && strcmp(suggest_error_kind(err), "no_code_set_for_date") == 0);
  CHECK(err != NULL && strstr(suggest_error_message(err), "FY2026") != NULL &&
        strstr(suggest_error_message(err), "FY2027") != NULL);
  suggest_error_free(err);
  err = NULL;
  CHECK(suggest_options_set_date_of_service(opts, NULL) == SUGGEST_OK); /* none again */
  CHECK(suggest_options_set_patient_id(opts, "P\x01") == SUGGEST_OK);
  CHECK(suggest_analyze(model, kNote, strlen(kNote), opts, &res, &err) ==
        SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(err != NULL && strcmp(suggest_error_kind(err), "invalid_patient_id") == 0);
  suggest_error_free(err);
  err = NULL;
  CHECK(suggest_options_set_patient_id(opts, "") == SUGGEST_OK);
  CHECK(suggest_options_set_encounter_id(opts, NULL) == SUGGEST_OK);
  CHECK(suggest_analyze(model, kNote, strlen(kNote), opts, &res, &err) == SUGGEST_OK);
  CHECK(strcmp(suggest_result_code_set(res, NULL), "ICD-10-CM FY2027") == 0);
  json = suggest_result_json(res, NULL);
  CHECK(json != NULL && strstr(json, "patient_id") == NULL && strstr(json, "date_of_service") == NULL);
  suggest_result_free(res);
  suggest_options_free(opts);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
}

static void TestUtf16Offsets(const suggest_model *model) {
  /* U+1F600 (4 bytes, 2 UTF-16 units, 1 code point) and U+2013 EN DASH
   * (3 bytes, 1 unit, 1 code point) before the evidence. */
  static const char kNote[] =
      "Patient doing well \xf0\x9f\x98\x80 today.\n"
      "History: s/p L4\xe2\x80\x93L5 posterior spinal fusion in 2019.\n";
  suggest_options *opts = suggest_options_new();
  suggest_result *bytes = NULL, *u16 = NULL, *cps = NULL;
  suggest_error *err = NULL;
  size_t n, i, j;
  const size_t len = strlen(kNote);
  const uint32_t emoji_at = 19; /* byte offset of the emoji */
  const uint32_t dash_at = (uint32_t)(strstr(kNote, "\xe2\x80\x93") - kNote);

  CHECK(suggest_analyze(model, kNote, len, opts, &bytes, &err) == SUGGEST_OK);
  CHECK(suggest_options_set_offset_units(opts, SUGGEST_OFFSETS_UTF16) == SUGGEST_OK);
  CHECK(suggest_analyze(model, kNote, len, opts, &u16, &err) == SUGGEST_OK);
  CHECK(suggest_options_set_offset_units(opts, SUGGEST_OFFSETS_CODEPOINTS) == SUGGEST_OK);
  CHECK(suggest_analyze(model, kNote, len, opts, &cps, &err) == SUGGEST_OK);
  suggest_error_free(err);
  CHECK(suggest_result_offset_units(u16) == SUGGEST_OFFSETS_UTF16);
  CHECK(suggest_result_offset_units(cps) == SUGGEST_OFFSETS_CODEPOINTS);

  n = suggest_result_suggestion_count(bytes);
  CHECK(n >= 1);
  CHECK(suggest_result_suggestion_count(u16) == n);
  for (i = 0; i < n; ++i) {
    size_t ne = suggest_result_suggestion_evidence_count(bytes, i);
    CHECK(ne >= 1 && suggest_result_suggestion_evidence_count(u16, i) == ne);
    for (j = 0; j < ne; ++j) {
      suggest_span b = suggest_result_suggestion_evidence_span(bytes, i, j);
      suggest_span w = suggest_result_suggestion_evidence_span(u16, i, j);
      suggest_span c = suggest_result_suggestion_evidence_span(cps, i, j);
      /* Expected shift: emoji 4 bytes -> 2 units / 1 cp; dash 3 -> 1 / 1. */
      uint32_t b16 = b.begin - (b.begin > emoji_at ? 2 : 0) - (b.begin > dash_at ? 2 : 0);
      uint32_t e16 = b.end - (b.end > emoji_at ? 2 : 0) - (b.end > dash_at ? 2 : 0);
      uint32_t bcp = b.begin - (b.begin > emoji_at ? 3 : 0) - (b.begin > dash_at ? 2 : 0);
      uint32_t ecp = b.end - (b.end > emoji_at ? 3 : 0) - (b.end > dash_at ? 2 : 0);
      CHECK(b.begin > emoji_at); /* the evidence is after the emoji */
      CHECK(w.begin == b16 && w.end == e16);
      CHECK(c.begin == bcp && c.end == ecp);
      if (w.begin != b16 || w.end != e16)
        fprintf(stderr, "  bytes [%u,%u) utf16 [%u,%u) want [%u,%u)\n", b.begin, b.end,
                w.begin, w.end, b16, e16);
    }
  }

  /* The JSON equals the CLI's with --offsets utf16. */
  {
    char dir[] = "/tmp/suggest-c-api-XXXXXX";
    char path[1024], cmd[1100];
    if (mkdtemp(dir) != NULL) {
      char *expected, *got;
      snprintf(path, sizeof path, "%s/emoji.txt", dir);
      CHECK(WriteFile(path, kNote, len));
      expected = CliJson(path, "--offsets utf16");
      got = WithId(suggest_result_json(u16, NULL));
      CHECK(expected != NULL && got != NULL && strcmp(expected, got) == 0);
      CHECK(got != NULL && strstr(got, "\"offset_unit\":\"utf16\"") != NULL);
      if (expected && got && strcmp(expected, got) != 0)
        fprintf(stderr, "  cli: %s\n  c:   %s\n", expected, got);
      free(expected);
      free(got);
      snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
      CHECK(system(cmd) == 0);
    } else {
      CHECK(!"mkdtemp failed");
    }
  }
  suggest_result_free(bytes);
  suggest_result_free(u16);
  suggest_result_free(cps);
  suggest_options_free(opts);
}

/* ------------------------------------------------------------ threads */

struct ThreadArg {
  const suggest_model *model;
  const suggest_options *opts;
  const char *note;
  size_t note_len;
  const char *expected_json;
  int iterations;
  int mismatches;
};

static void *AnalyzeLoop(void *p) {
  struct ThreadArg *a = (struct ThreadArg *)p;
  int k;
  for (k = 0; k < a->iterations; ++k) {
    suggest_result *res = NULL;
    suggest_error *err = NULL;
    if (suggest_analyze(a->model, a->note, a->note_len, a->opts, &res, &err) != SUGGEST_OK) {
      ++a->mismatches;
    } else {
      const char *json = suggest_result_json(res, NULL);
      if (json == NULL || strcmp(json, a->expected_json) != 0) ++a->mismatches;
    }
    suggest_result_free(res);
    suggest_error_free(err);
  }
  return NULL;
}

static void TestSharedModelTwoThreads(const suggest_model *model) {
  char path[1024];
  size_t note_len = 0;
  char *note;
  suggest_options *opts = suggest_options_new();
  suggest_result *ref = NULL;
  pthread_t threads[2];
  struct ThreadArg args[2];
  int t;

  snprintf(path, sizeof path, "%s/%s", SUGGEST_EXAMPLES_DIR, "clinic_followup_crlf.txt");
  note = ReadFile(path, &note_len);
  CHECK(note != NULL);
  if (note == NULL) return;
  CHECK(suggest_options_set_offset_units(opts, SUGGEST_OFFSETS_UTF16) == SUGGEST_OK);
  CHECK(suggest_analyze(model, note, note_len, opts, &ref, NULL) == SUGGEST_OK);
  for (t = 0; t < 2; ++t) {
    args[t].model = model;
    args[t].opts = opts; /* shared read-only */
    args[t].note = note;
    args[t].note_len = note_len;
    args[t].expected_json = suggest_result_json(ref, NULL);
    args[t].iterations = 25;
    args[t].mismatches = 0;
    CHECK(pthread_create(&threads[t], NULL, AnalyzeLoop, &args[t]) == 0);
  }
  for (t = 0; t < 2; ++t) {
    CHECK(pthread_join(threads[t], NULL) == 0);
    CHECK(args[t].mismatches == 0);
  }
  suggest_result_free(ref);
  suggest_options_free(opts);
  free(note);
}

/* ------------------------------------------------------------ sessions */

/* A live session (issue 16): typed edit by edit, each result the JSON
 * suggest_analyze gives for the same text; bad edits fail with their kind
 * and leave the text unchanged; changes JSON lists what appeared. */
static void TestSession(suggest_model *model) {
  static const char *const kPieces[] = {"Status post ", "L4-L5 fusion.", " Seen today."};
  suggest_session *session = NULL;
  suggest_error *err = NULL;
  suggest_result *res = NULL, *ref = NULL;
  suggest_options *opts = suggest_options_new();
  const char *text;
  const char *changes;
  size_t len = 0, i;

  CHECK(suggest_session_new(NULL, NULL, &session, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(session == NULL);
  CHECK_STR(suggest_error_kind(err), "null_argument");
  suggest_error_free(err);
  CHECK(suggest_session_new(model, NULL, NULL, NULL) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_session_edit(NULL, 0, 0, "x", 1, NULL) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_session_result(NULL, &res, NULL) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(suggest_session_changes_json(NULL, &len) == NULL && len == 0);
  CHECK(suggest_session_text(NULL, &len) == NULL && len == 0);
  suggest_session_free(NULL);

  CHECK(opts != NULL);
  CHECK(suggest_options_set_offset_units(opts, SUGGEST_OFFSETS_UTF16) == SUGGEST_OK);
  CHECK(suggest_session_new(model, opts, &session, &err) == SUGGEST_OK);
  CHECK(session != NULL && err == NULL);
  if (session == NULL) {
    suggest_options_free(opts);
    return;
  }
  /* Empty: the empty_note error of suggest_analyze. */
  CHECK(suggest_session_result(session, &res, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);
  CHECK_STR(suggest_error_kind(err), "empty_note");
  suggest_error_free(err);

  for (i = 0; i < 3; ++i) {
    suggest_session_text(session, &len);
    CHECK(suggest_session_edit(session, len, len, kPieces[i], strlen(kPieces[i]), &err) ==
          SUGGEST_OK);
    CHECK(suggest_session_result(session, &res, &err) == SUGGEST_OK);
    text = suggest_session_text(session, &len);
    CHECK(suggest_analyze(model, text, len, opts, &ref, &err) == SUGGEST_OK);
    CHECK_STR(suggest_result_json(res, NULL), suggest_result_json(ref, NULL));
    if (i == 1) {
      CHECK(suggest_result_suggestion_count(res) > 0);
      changes = suggest_session_changes_json(session, &len);
      CHECK(changes != NULL && len == strlen(changes));
      CHECK(changes != NULL && strstr(changes, "\"suggestions\":{\"added\":[{\"code\":") != NULL);
    }
    suggest_result_free(res);
    suggest_result_free(ref);
    res = ref = NULL;
  }
  CHECK_STR(suggest_session_text(session, NULL), "Status post L4-L5 fusion. Seen today.");

  /* Bad edits: the text stays. */
  CHECK(suggest_session_edit(session, 5, 4, "x", 1, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "edit_out_of_range");
  suggest_error_free(err);
  CHECK(suggest_session_edit(session, 0, 99, "", 0, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "edit_out_of_range");
  suggest_error_free(err);
  CHECK(suggest_session_edit(session, 0, 0, "\xC3", 1, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "invalid_utf8");
  suggest_error_free(err);
  CHECK(suggest_session_edit(session, 0, 0, NULL, 3, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "null_argument");
  suggest_error_free(err);
  /* U+1D400 is two UTF-16 units: offset 1 splits it. */
  CHECK(suggest_session_edit(session, 0, 0, "\xF0\x9D\x90\x80", 4, &err) == SUGGEST_OK);
  CHECK(suggest_session_edit(session, 1, 1, "x", 1, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "edit_splits_character");
  suggest_error_free(err);
  CHECK(suggest_session_edit(session, 0, 2, NULL, 0, &err) == SUGGEST_OK);
  CHECK_STR(suggest_session_text(session, NULL), "Status post L4-L5 fusion. Seen today.");

  /* Too large for the options' limit. */
  suggest_session_free(session);
  session = NULL;
  CHECK(suggest_options_set_max_note_bytes(opts, 8) == SUGGEST_OK);
  CHECK(suggest_session_new(model, opts, &session, NULL) == SUGGEST_OK);
  CHECK(suggest_session_edit(session, 0, 0, "12345678", 8, NULL) == SUGGEST_OK);
  CHECK(suggest_session_edit(session, 8, 8, "9", 1, &err) == SUGGEST_ERR_INVALID_ARGUMENT);
  CHECK_STR(suggest_error_kind(err), "note_too_large");
  suggest_error_free(err);
  CHECK_STR(suggest_session_text(session, NULL), "12345678");
  suggest_session_free(session);
  suggest_options_free(opts);
}

int main(int argc, char **argv) {
  suggest_model *model;
  if (argc == 2 && strcmp(argv[1], "--print-default-dir") == 0) return PrintDefaultDir();
  if (argc < 2) {
    fprintf(stderr, "usage: %s PATH_TO_SUGGEST_CLI\n", argv[0]);
    return 2;
  }
  g_cli = argv[1];

  TestVersionAndStatusNames();
  TestOptions();
  TestNullFreesAndAccessors();
  TestLoadErrors();
  TestBrokenModelsDir();
  TestDefaultModelsDir();
  TestModelsBesideLibrary();

  model = LoadDefaultModel();
  CHECK(model != NULL);
  if (model != NULL) {
    TestAnalyzeErrors(model);
    TestExampleNoteMatchesCli(model);
    TestResultSetId(model);
    TestUtf16Offsets(model);
    TestSetting(model);
    TestInputFieldsAndProvenance(model);
    TestSharedModelTwoThreads(model);
    TestSession(model);
    suggest_model_free(model);
  }

  printf("c_api_test: %d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
