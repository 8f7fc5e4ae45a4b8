// Copyright libsuggest authors.
//
// A live session: one note that changes edit by edit while it is written
// (a scribe product, an editor), re-analysed after each change.
//
//   suggest::Session session(model);                 // options as for Analyze
//   session.Edit(0, 0, "Status post L4-L5 fusion."); // insert at 0
//   suggest::StatusOr<suggest::Result> r = session.Result();
//   std::string json = suggest::ResultToJson(*r, session.Text(), "note-1",
//                                            session.options());
//   session.Edit(12, 17, "L5-S1");                   // replace [12, 17)
//   r = session.Result();
//   std::string diff = session.Changes();            // what appeared/went
//
// Exactness: after any sequence of edits, Result() is exactly what
// Model::Analyze(Text(), options()) returns - the same Result, the same JSON
// byte for byte, the same error for an empty or invalid note.
//
// Offsets of Edit() are in options().offset_unit: UTF-8 bytes by default,
// UTF-16 code units for editors that count so (Java, JavaScript, .NET),
// code points for Python str. A byte that is not valid UTF-8 (possible only
// under InvalidUtf8Policy::kReplace) counts as one unit, as in the JSON.
//
// Threads: a Session is used from one thread at a time (it is not
// synchronised); any number of sessions, on any threads, may share one
// Model. Nothing throws: errors are Status values.

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_SESSION_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_SESSION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "suggest/export.h"
#include "suggest/options.h"
#include "suggest/status.h"
#include "suggest/types.h"

namespace suggest {

class Model;

class SUGGEST_CLASS_API Session {
 public:
  // An empty session over `model` (copied: copies share the loaded data, so
  // the caller's Model may go away). `options` are those of every Result():
  // the same fields as for Model::Analyze; offset_unit is also the unit of
  // Edit().
  explicit Session(const Model& model, const AnalyzeOptions& options = {});
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Replaces [begin, end) of the current text with `replacement` (UTF-8):
  // begin == end inserts, an empty replacement deletes. Errors
  // (InvalidArgument, Status::kind()), after which the session is unchanged:
  //   "edit_out_of_range"  begin > end, or end past the end of the text;
  //   "edit_splits_character"
  //                        begin or end falls inside a UTF-8 sequence (a
  //                        UTF-16 surrogate pair for kUtf16);
  //   "invalid_utf8"       the replacement is not UTF-8 under the kError
  //                        policy (offset(): its first bad byte, counted
  //                        from the start of the replacement);
  //   "note_too_large"     the text would exceed options().max_note_bytes.
  Status Edit(uint64_t begin, uint64_t end, std::string_view replacement);

  // The analysis of the current text: exactly Model::Analyze(Text(),
  // options()), errors included ("empty_note" for an empty text). Calling
  // it twice without an edit in between does no work the second time.
  StatusOr<suggest::Result> Result();

  // What changed between the two latest Result() calls (from nothing, for
  // the first), as one JSON object (no newline):
  //   {"suggestions": {"added": [...], "removed": [...]},
  //    "gaps": {...}, "not_coded": {...}, "facts": {...}}
  // Each entry is that element as written in the result JSON (offsets in
  // options().offset_unit): added ones from the latest result, removed ones
  // from the one before (their offsets index the text of that time). Two
  // elements are the same when they are equal apart from positions and
  // indices ("begin", "end", "id", "fact", "facts", "rank", "section",
  // "sentence"), so text typed before a suggestion does not report it as
  // changed; an element whose content changed (its score, its evidence
  // text) is removed and added. A Result() that failed counts as empty.
  // "" only if memory ran out.
  std::string Changes() const;

  // The current text (UTF-8 bytes).
  const std::string& Text() const;
  // The options of the session.
  const AnalyzeOptions& options() const;

 private:
  std::string ChangesUnguarded() const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace suggest

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_SESSION_H_
