// Copyright libsuggest authors.
//
// HTML rendering for `suggest report --html` (report_cmd.h runs the command).
// Public C++ API only. Everything here is pure string building: no I/O.
//
// Contract of the generated markup (relied on by tests/cli/report_html.sh):
//   - Pages are self-contained HTML5: <!DOCTYPE html>, <meta charset="utf-8">,
//     inline CSS, no external resource, and one inline script (review_script.h:
//     accept / reject / comment per suggestion, JSON / CSV export, the index's
//     filter and sort) allowed by a Content-Security-Policy meta element
//     through its SHA-256; no other script can run on the page.
//   - Output is always valid UTF-8. Note bytes are copied as-is except:
//     & < > " become character references; an invalid UTF-8 byte (only seen
//     with --repair-utf8) becomes U+FFFD, one per byte, as the library reads
//     it; C0 controls other than TAB LF FF CR become their Control Pictures
//     symbol (U+2400 + c; DEL U+2421), C1 controls and non-characters
//     U+FFFD: HTML5 forbids them in a document. Invisible format characters
//     (bidi controls U+202A-202E, U+2066-2069, U+200E/F, U+061C; zero-width
//     U+200B-200D, U+2060-2064, U+FEFF; soft hyphen; tags; other Cf and
//     fillers, html_report.cc IsInvisibleFormat) become a visible marker
//     "\u27E8U+202E\u27E9", so no note can reorder or hide text on the page;
//     every highlight is also isolated (CSS unicode-bidi: isolate). CR is kept
//     (a browser's DOM folds CR LF into LF; the HTML source keeps the bytes).
//   - A note is one <section class="note" id=P data-id=ID> (P = anchor
//     prefix); its text is one <div class="text"> whose text content is the
//     note. Highlighted spans are <mark> elements (a section header alone is
//     a <span class="sec">) carrying data-b / data-e = the span's byte offsets
//     in the note; a span that crosses another is split into pieces that all
//     carry the same data-b / data-e, and the first piece carries the id.
//     Fact and evidence spans win over cue / level / section spans (they are
//     the ones kept whole when two cross).
//   - Span boundaries are clamped to the note and moved back to the start of
//     a UTF-8 sequence, so a sequence is never split; work is linear in the
//     note size (plus spans x nesting depth).

#ifndef LIBSUGGEST_TOOLS_HTML_REPORT_H_
#define LIBSUGGEST_TOOLS_HTML_REPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "suggest/suggest.h"

namespace suggest::tools::html {

// Appends `bytes` as HTML text (also safe inside a double-quoted attribute),
// with the substitutions described above.
void AppendEscaped(std::string* out, std::string_view bytes);

// One highlighted span of a note.
struct Highlight {
  Span span;            // bytes of the note
  std::string classes;  // class attribute (space separated, already safe)
  std::string title;    // tooltip, plain text (escaped when written)
  std::string anchor;   // id of the first piece; "" for none
  int priority = 0;     // lower is kept whole when two spans cross
  bool mark = true;     // <mark>, else <span>
};

// Appends `text` with every highlight as an element (nested where spans
// nest, split into pieces where they cross; see the contract above).
void AppendHighlightedText(std::string* out, std::string_view text,
                           std::vector<Highlight> highlights);

// One note to render: a result or the error that stopped it.
struct NoteView {
  std::string id;
  std::string anchor;              // anchor prefix, e.g. "n3"; unique on the page
  std::string_view text;           // the analysed bytes (unused for an error)
  const Result* result = nullptr;  // set when the note was analysed
  const Status* error = nullptr;   // set when it was not
};

// Appends the <section> of one note: header (with the care setting),
// suggestions (with links to their evidence), the facts not coded and why
// (<table class="not-coded">: fact ids linked to their text, basis, reason,
// code), highlighted note text, facts, suppressed codes, gaps.
void AppendNoteSection(std::string* out, const NoteView& note);

// The page before the notes: doctype, head with the style sheet, <body>,
// <h1>title</h1> and the highlight legend. `title` is plain text.
std::string PageStart(std::string_view title, bool legend = true);

// The page after the notes: footer (generator, version, code set) and the
// closing tags. `code_set` "" when no note was analysed.
// The footer names the engine, its version, the result schema version and
// the models version (Model::models_version()): the provenance of the page.
std::string PageEnd(std::string_view code_set, std::string_view models_version);

// The review toolbar: decided count, Export JSON / CSV (and Clear). On a
// note page it covers the page's suggestions; `all_stored` (the index) exports
// every decision this browser keeps.
std::string ReviewBar(bool all_stored);

// The codes of a result as "M45.6, Z98.1" (rank order), or "none".
std::string CodeList(const Result& result);

}  // namespace suggest::tools::html

#endif  // LIBSUGGEST_TOOLS_HTML_REPORT_H_
