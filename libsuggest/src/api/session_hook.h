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

#include "suggest/types.h"
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
