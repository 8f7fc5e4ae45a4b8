// Copyright libsuggest authors.
//
// What a live session (api/session.cc) hands Model::Analyze and gets back,
// without a public interface: the session sets a hook for its thread around
// its call of Model::Analyze (SessionHookScope), and the pipeline of
// model.cc reads it. A hook changes how work is done, never the answer:
// Analyze returns the same Result with or without one.

#ifndef LIBSUGGEST_SRC_API_SESSION_HOOK_H_
#define LIBSUGGEST_SRC_API_SESSION_HOOK_H_

#include <cstddef>
#include <vector>

#include "facts/facts.h"
#include "suggest/types.h"
#include "text/normalize.h"
#include "text/sentence_splitter.h"

namespace suggest::internal {

struct SessionHook {
  // In: an earlier text of the session with its sections and sentences
  // (text/sentence_splitter.h SentenceReuse); sections == nullptr for none.
  SentenceReuse earlier;

  // Out, set by the pass: whether it found sections and sentences
  // (every pass with the text layer, and the notes that reach the facts
  // stage), and, when the options leave the text layer out of the Result,
  // those sections and sentences (moved here instead of dropped).
  bool text_layer = false;
  std::vector<Section> sections;
  std::vector<Sentence> sentences;
  size_t sections_reused = 0;  // sections whose sentences were reused

  // Normalization (text/normalize.h Normalizer::Splice). In, when
  // `normalized_in`: `normalized` is the normalization of `normalized_of`,
  // an earlier text of the session, which shares its first `same_prefix`
  // and last `same_suffix` bytes with the text analysed. Out: when
  // `normalized_out`, `normalized` is this pass's normalized text (moved
  // here; the pass may have taken the earlier one in any case).
  bool normalized_in = false;
  std::string_view normalized_of;
  size_t same_prefix = 0;
  size_t same_suffix = 0;
  NormalizedText normalized;
  bool normalized_out = false;
  // What the splice kept of the earlier normalized text (prefix and suffix
  // both 0 when it normalized the whole text).
  SpliceKept normalized_kept;

  // The screens (facts/facts.h CannotMatchAgain). In: what they found in the
  // earlier normalized text (valid only with `normalized_in`). Out: what
  // they found in this pass's (valid only with `normalized_out`).
  FactExtractor::ScreenMemo screen_in;
  FactExtractor::ScreenMemo screen_out;

  // In and out: the session's memo of the facts stage's per-unit scans
  // (facts/facts.h FactExtractor::UnitMemo), or null.
  FactExtractor::UnitMemo* facts_memo = nullptr;
};

// The hook of the calling thread, or nullptr.
SessionHook* CurrentSessionHook();

// Sets the calling thread's hook for its lifetime.
class SessionHookScope {
 public:
  explicit SessionHookScope(SessionHook* hook);
  ~SessionHookScope();
  SessionHookScope(const SessionHookScope&) = delete;
  SessionHookScope& operator=(const SessionHookScope&) = delete;

 private:
  SessionHook* previous_;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_API_SESSION_HOOK_H_
