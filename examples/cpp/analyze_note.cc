// Copyright libsuggest authors.
//
// analyze_note: the C++ API in one file. Loads the models, analyses one note
// and prints one line per suggestion, best first:
//
//   CODE<TAB>rank=N<TAB>score=S<TAB>"evidence text" | "more evidence"
//
//   analyze_note NOTE.txt [MODELS_DIR]
//
// MODELS_DIR defaults to $SUGGEST_MODELS, else SUGGEST_EXAMPLE_MODELS_DIR
// (suggest_MODELS_DIR of find_package(suggest)) when built with it, else the
// models installed with the library (suggest::Model::Load() finds them). Exit status: 0 ok, 1 the note could not be
// analysed, 2 usage, 3 models failed to load, 4 the note could not be read.
//
// Build: find_package(suggest) + target_link_libraries(app PRIVATE suggest::suggest)
// (examples/CMakeLists.txt), or c++ -std=c++17 analyze_note.cc $(pkg-config --cflags --libs suggest).

#include <suggest/suggest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#ifndef SUGGEST_EXAMPLE_MODELS_DIR
#define SUGGEST_EXAMPLE_MODELS_DIR ""
#endif

namespace {

// Evidence text on one output line: control characters (a span may cross a
// line break) become spaces.
std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: " << argv[0] << " NOTE.txt [MODELS_DIR]\n";
    return 2;
  }
  std::string models_dir = SUGGEST_EXAMPLE_MODELS_DIR;
  if (const char* env = std::getenv("SUGGEST_MODELS"); env && *env) models_dir = env;
  if (argc == 3) models_dir = argv[2];

  // The note as bytes: offsets in the result are bytes of exactly this buffer.
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 4;
  }
  // istream::read reports read errors (e.g. a directory) as badbit; an
  // istreambuf_iterator would let libstdc++'s exception escape.
  std::string note;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0)
    note.append(buf, static_cast<size_t>(in.gcount()));
  if (in.bad()) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 4;
  }

  // Errors are values: Load and Analyze return StatusOr and never throw.
  // Load once; a Model is immutable and may be shared by any number of threads.
  // Load() with no directory: the installed models, found beside the library.
  // The library writes nothing to disk unless asked: keep the compiled
  // models between runs in the per-user cache, as the `suggest` CLI does.
  suggest::LoadOptions load;
  load.cache_dir = suggest::DefaultCacheDir();
  suggest::StatusOr<suggest::Model> model =
      models_dir.empty() ? suggest::Model::Load(load) : suggest::Model::Load(models_dir, load);
  if (!model.ok()) {
    std::cerr << "cannot load models: " << model.status().ToString() << "\n";
    return 3;
  }

  suggest::AnalyzeOptions options;
  options.include_text_layer = false;  // sections/sentences are not printed here
  suggest::StatusOr<suggest::Result> result = model->Analyze(note, options);
  if (!result.ok()) {
    const suggest::Status& s = result.status();
    std::cerr << argv[1] << ": " << s.ToString();
    if (!s.kind().empty()) std::cerr << " (kind " << s.kind() << ")";
    if (s.offset() >= 0) std::cerr << " at byte " << s.offset();
    std::cerr << "\n";
    return 1;
  }

  for (const suggest::Suggestion& sug : result->suggestions) {
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", sug.score);
    std::cout << sug.code << "\trank=" << sug.rank << "\tscore=" << score << "\t";
    for (size_t j = 0; j < sug.evidence.size(); ++j) {
      const suggest::Span& span = sug.evidence[j].span;  // bytes of `note`
      if (j > 0) std::cout << " | ";
      std::cout << '"' << OneLine(std::string_view(note).substr(span.begin, span.size()))
                << '"';
    }
    std::cout << "\n";
  }
  std::cout.flush();
  return std::cout ? 0 : 4;
}
