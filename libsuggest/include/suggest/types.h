// Copyright libsuggest authors.
//
// Public value types of a libsuggest result. Standard library only.
//
// Every Span is a half-open [begin, end) range of UTF-8 *bytes of the
// caller's original input*, whatever normalization happened inside; begin and
// end always fall on code-point boundaries of the original (a byte replaced
// under the repair policy is a 1-byte span). When AnalyzeOptions::offset_unit
// asks for UTF-16 or code-point offsets, the output layer converts these
// numbers; the C++ Result itself always holds bytes.

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_TYPES_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace suggest {

struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  friend bool operator==(const Span& a, const Span& b) {
    return a.begin == b.begin && a.end == b.end;
  }
};

// A section of the note: a header (possibly empty for text before the first
// header) and the body that follows it up to the next header. Sections are in
// document order and do not overlap.
struct Section {
  std::string kind;  // e.g. "past_surgical_history"; "other" if unknown
  Span header;       // the header words, without the trailing ':'/','
  Span body;         // text after the header up to the next header
};

// A sentence (or header/list item unit) of the note.
struct Sentence {
  Span span;
  int section = -1;  // index into Result::sections, -1 if none
};

// One analysed note. Later pipeline stages add facts and suggestions; the
// text layer fills sections and sentences.
struct Result {
  std::vector<Section> sections;
  std::vector<Sentence> sentences;
  uint32_t original_size = 0;  // bytes of the input
  uint32_t replaced_bytes = 0; // invalid bytes replaced (repair policy only)
};

}  // namespace suggest

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_TYPES_H_
