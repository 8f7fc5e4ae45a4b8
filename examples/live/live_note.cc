// Copyright libsuggest authors.
//
// live_note: a live session (suggest::Session) in one file. Replays a note as
// if it were being typed, a few words per keystroke batch, and prints each
// prompt - a suggested code, or a documentation gap to query - the moment it
// appears (+) or disappears (-):
//
//   live_note NOTE.txt [MODELS_DIR]       replay NOTE.txt word by word
//   live_note - [MODELS_DIR]              type lines on stdin (one edit each)
//
//   @412    + Z98.1  Arthrodesis status
//   @530    + gap region_unspecified: ...
//
// "@N" is the length of the text (bytes) when the prompt changed. At the end
// it checks that the session's result is byte for byte the JSON of
// Model::Analyze of the whole note (exit 1 if not). MODELS_DIR as for
// examples/cpp/analyze_note.cc. Exit status: 0 ok, 1 a failed analysis or a
// difference, 2 usage, 3 models failed to load, 4 the note could not be read.

#include <suggest/suggest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>

#ifndef SUGGEST_EXAMPLE_MODELS_DIR
#define SUGGEST_EXAMPLE_MODELS_DIR ""
#endif

namespace {

// The prompts of a result: key -> the line to print.
std::map<std::string, std::string> Prompts(const suggest::StatusOr<suggest::Result>& r) {
  std::map<std::string, std::string> out;
  if (!r.ok()) return out;  // an empty note: no prompts
  for (const suggest::Suggestion& s : r->suggestions)
    out["code " + s.code] = s.code + "  " + s.title;
  for (const suggest::Gap& g : r->gaps)
    out["gap " + g.kind + g.message] = "gap " + g.kind + ": " + g.message;
  return out;
}

// Prints what appeared and went between two prompt sets.
void PrintDiff(size_t at, const std::map<std::string, std::string>& before,
               const std::map<std::string, std::string>& after) {
  for (const auto& [key, line] : before)
    if (!after.count(key)) std::cout << "@" << at << "\t- " << line << "\n";
  for (const auto& [key, line] : after)
    if (!before.count(key)) std::cout << "@" << at << "\t+ " << line << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: live_note NOTE.txt|- [MODELS_DIR]\n";
    return 2;
  }
  std::string models = argc == 3 ? argv[2] : "";
  if (models.empty()) {
    const char* env = std::getenv("SUGGEST_MODELS");
    models = env && *env ? env : SUGGEST_EXAMPLE_MODELS_DIR;
  }
  auto model = suggest::Model::Load(models);
  if (!model.ok()) {
    std::cerr << "live_note: " << model.status().ToString() << "\n";
    return 3;
  }

  suggest::Session session(*model);
  std::map<std::string, std::string> shown;
  auto type = [&](const std::string& piece) {
    const size_t end = session.Text().size();
    suggest::Status st = session.Edit(end, end, piece);
    if (!st.ok()) {
      std::cerr << "live_note: " << st.ToString() << "\n";
      return false;
    }
    auto next = Prompts(session.Result());
    PrintDiff(session.Text().size(), shown, next);
    shown = std::move(next);
    return true;
  };

  const std::string path = argv[1];
  if (path == "-") {
    for (std::string line; std::getline(std::cin, line);)
      if (!type(line + "\n")) return 1;
  } else {
    std::ifstream in(path, std::ios::binary);
    const std::string note((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
      std::cerr << "live_note: cannot read " << path << "\n";
      return 4;
    }
    // Three words (and the spaces after them) per edit, as dictation arrives.
    size_t at = 0;
    while (at < note.size()) {
      size_t end = at;
      for (int words = 0; words < 3 && end < note.size(); ++words) {
        while (end < note.size() && note[end] != ' ' && note[end] != '\n') ++end;
        while (end < note.size() && (note[end] == ' ' || note[end] == '\n')) ++end;
      }
      if (!type(note.substr(at, end - at))) return 1;
      at = end;
    }
  }

  // The session's answer is Analyze's, byte for byte.
  auto live = session.Result();
  auto whole = model->Analyze(session.Text());
  if (!live.ok() || !whole.ok()) {
    std::cerr << "live_note: " << (live.ok() ? whole : live).status().ToString() << "\n";
    return 1;
  }
  const bool same = suggest::ResultToJson(*live, session.Text(), "n") ==
                    suggest::ResultToJson(*whole, session.Text(), "n");
  std::cout << "final: " << shown.size() << " prompt(s); same as Analyze: "
            << (same ? "yes" : "NO") << "\n";
  return same ? 0 : 1;
}
