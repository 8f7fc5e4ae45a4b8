/* Copyright libsuggest authors.
 *
 * analyze_note: the C ABI (suggest_c.h) in one C99 file. Loads the models with
 * models_dir = NULL ($SUGGEST_MODELS, else the models installed beside
 * libsuggest, see docs/c-api.md), analyses one note and prints one line per
 * suggestion, best first:
 *
 *   CODE<TAB>rank=N<TAB>score=S<TAB>"evidence text" | "more evidence"
 *
 * and, on stderr, the models directory used ("models: DIR").
 *
 *   analyze_note NOTE.txt
 *
 * Exit status: 0 ok, 1 the note could not be analysed, 2 usage, 3 models
 * failed to load, 4 the note could not be read or output failed.
 *
 * Build: cc -std=c99 analyze_note.c $(pkg-config --cflags --libs suggest)
 * or find_package(suggest) + suggest::suggest (examples/CMakeLists.txt).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <suggest/suggest_c.h>

/* Reads a whole file into a malloc'd buffer; *len gets its size. NULL if the
 * file cannot be opened or read, or memory runs out. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0;
  int ok = 1;
  if (f == NULL) return NULL;
  for (;;) {
    if (n == cap) {
      size_t new_cap = cap ? cap * 2 : 65536;
      char *p = (char *)realloc(buf, new_cap);
      if (p == NULL) {
        ok = 0;
        break;
      }
      buf = p;
      cap = new_cap;
    }
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break; /* end of file, or an error (ferror below) */
  }
  if (ferror(f)) ok = 0;
  if (fclose(f) != 0) ok = 0;
  if (!ok) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* Prints bytes [begin, end) of the note on one line: control characters (a
 * span may cross a line break) become spaces. */
static void print_span(const char *note, size_t note_len, suggest_span s) {
  size_t k;
  if (s.begin > s.end || s.end > note_len) return; /* never for a byte span */
  for (k = s.begin; k < s.end; ++k) {
    unsigned char c = (unsigned char)note[k];
    putchar(c < 0x20 || c == 0x7f ? ' ' : c);
  }
}

/* Prints a failed call's status and error details; returns `code`. */
static int fail(const char *what, suggest_status st, const suggest_error *err, int code) {
  fprintf(stderr, "%s: %s: %s", what, suggest_status_name(st),
          err ? suggest_error_message(err) : "(no details: out of memory)");
  if (err && suggest_error_kind(err)[0] != '\0')
    fprintf(stderr, " (kind %s)", suggest_error_kind(err));
  if (err && suggest_error_offset(err) >= 0)
    fprintf(stderr, " at byte %lld", (long long)suggest_error_offset(err));
  fputc('\n', stderr);
  return code;
}

int main(int argc, char **argv) {
  suggest_model *model = NULL;
  suggest_options *opts = NULL;
  suggest_result *res = NULL;
  suggest_error *err = NULL;
  suggest_status st;
  char *note = NULL;
  size_t note_len = 0, i, j, count;
  int rc = 0;

  if (argc != 2) {
    fprintf(stderr, "usage: %s NOTE.txt\n", argv[0]);
    return 2;
  }
  /* A header/library mismatch would make every other call suspect. */
  if (suggest_abi_version() != SUGGEST_ABI_VERSION) {
    fprintf(stderr, "libsuggest ABI %u, header ABI %u\n",
            (unsigned)suggest_abi_version(), (unsigned)SUGGEST_ABI_VERSION);
    return 3;
  }

  note = read_file(argv[1], &note_len);
  if (note == NULL) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 4;
  }

  /* NULL models_dir: $SUGGEST_MODELS, else the installed models. */
  st = suggest_model_load(NULL, NULL, &model, &err);
  if (st != SUGGEST_OK) {
    rc = fail("cannot load models", st, err, 3);
    goto done;
  }
  fprintf(stderr, "models: %s\n", suggest_model_dir(model, NULL));

  /* Byte offsets (the default) index `note` directly; sections and sentences
   * are not printed, so skip them. */
  opts = suggest_options_new();
  if (opts == NULL) {
    fprintf(stderr, "out of memory\n");
    rc = 1;
    goto done;
  }
  st = suggest_options_set_include_text_layer(opts, 0);
  if (st != SUGGEST_OK) {
    rc = fail("options", st, NULL, 1);
    goto done;
  }

  st = suggest_analyze(model, note, note_len, opts, &res, &err);
  if (st != SUGGEST_OK) {
    rc = fail(argv[1], st, err, 1);
    goto done;
  }

  count = suggest_result_suggestion_count(res);
  for (i = 0; i < count; ++i) {
    size_t n_evidence = suggest_result_suggestion_evidence_count(res, i);
    printf("%s\trank=%d\tscore=%.2f\t", suggest_result_suggestion_code(res, i, NULL),
           suggest_result_suggestion_rank(res, i), suggest_result_suggestion_score(res, i));
    for (j = 0; j < n_evidence; ++j) {
      if (j > 0) fputs(" | ", stdout);
      putchar('"');
      print_span(note, note_len, suggest_result_suggestion_evidence_span(res, i, j));
      putchar('"');
    }
    putchar('\n');
  }
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "cannot write the output\n");
    rc = 4;
  }

done:
  /* Every _free accepts NULL; strings obtained from res/model/err die here. */
  suggest_result_free(res);
  suggest_options_free(opts);
  suggest_model_free(model);
  suggest_error_free(err);
  free(note);
  return rc;
}
