// Copyright libsuggest authors.
//
// suggest::Session (suggest/session.h): a note edited in place and analysed
// after each change, with exactly Model::Analyze's answer.
//
// Result() analyses the session's current text with Model::Analyze and keeps
// the answer until the next edit. Around that call it hands the pipeline the
// text layer of its previous pass (api/session_hook.h): the normalized text
// is spliced (only a window around the bytes edited since is normalized
// again: text/normalize.h Normalizer::Splice); the screens settle what a
// match they found before, away from the edit, still proves, and in a note
// where Vectorscan met no match only a window around the edit is screened
// again (facts/facts.h CannotMatchAgain, match/screen_window.h); the
// sections are found again only around the edit - from a point before it
// where the header scan's state is known to the first point after it where
// the scan is back in the earlier state - and taken from the earlier pass
// elsewhere (text/sectionizer.h); the sentences of every section whose body
// bytes are unchanged are reused instead of split again
// (text/sentence_splitter.h); the facts stage takes a unit's levels and
// anchor matches from the pass before when the bytes those scans read are
// unchanged (facts/facts.h UnitMemo), and the rule locator's windows from the
// pass before, scanning again only around the edit, when that pass made the
// normalized text this one is spliced from (RuleLocator::LocateAgain). Each
// says why that is the same answer. Every other stage runs as in Analyze, so
// the result is Analyze's; the property tests tests/corpus/session_test.cc,
// normalize_splice_test.cc, screen_window_test.cc, section_reuse_test.cc,
// sentence_reuse_test.cc and locate_again_test.cc and the session_fuzzer
// check it.
// Changes() diffs the coded parts of the two latest results.

#include "suggest/session.h"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "api/session_hook.h"
#include "suggest/suggest.h"
#include "util/utf8.h"

namespace suggest {

namespace {

// Ordered: elements keep the key order of the result JSON.
using Json = nlohmann::ordered_json;

// One Result() answer and the text it indexes (shared, not copied: the
// cached answer, the snapshots of Changes() and the reused text layer hold
// the same objects).
struct Snapshot {
  std::shared_ptr<const suggest::Result> result;  // null if Result() failed
  std::shared_ptr<const std::string> text;
};

// True when `offset` (< text.size()) lies inside a valid multi-byte UTF-8
// sequence, i.e. after its first byte. A byte that starts no valid sequence
// is a unit of its own (the repair policy), as in the offset converter.
bool InsideSequence(std::string_view text, size_t offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t back = 1; back <= 3 && back <= offset; ++back) {
    const size_t start = offset - back;
    if ((p[start] & 0xC0) == 0x80) continue;  // a continuation byte
    const size_t len = internal::Utf8SequenceLength(p + start, text.size() - start);
    return len > back;
  }
  return false;
}

// Converts the unit offsets [begin, end) into bytes of `text`.
Status ToBytes(std::string_view text, uint64_t begin, uint64_t end, OffsetUnit unit,
               size_t* byte_begin, size_t* byte_end) {
  if (begin > end) {
    return InvalidArgument("edit [" + std::to_string(begin) + ", " + std::to_string(end) +
                               "): begin is after end",
                           "edit_out_of_range");
  }
  auto splits = [&](uint64_t at) {
    return InvalidArgument("edit offset " + std::to_string(at) +
                               " falls inside a character",
                           "edit_splits_character");
  };
  auto out_of_range = [&](uint64_t length) {
    return InvalidArgument("edit [" + std::to_string(begin) + ", " + std::to_string(end) +
                               ") is past the end of the text (" + std::to_string(length) +
                               ")",
                           "edit_out_of_range");
  };
  if (unit == OffsetUnit::kBytes) {
    if (end > text.size()) return out_of_range(text.size());
    for (uint64_t at : {begin, end})
      if (at < text.size() && InsideSequence(text, at)) return splits(at);
    *byte_begin = begin;
    *byte_end = end;
    return Status();
  }
  // Walk the units from the start: an edit costs one pass over the text.
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  uint64_t count = 0;
  size_t i = 0;
  std::optional<size_t> b, e;
  while (true) {
    if (!b && count == begin) b = i;
    if (!e && count == end) e = i;
    if (e) break;
    if (!b && count > begin) return splits(begin);
    if (count > end) return splits(end);
    if (i >= n) return out_of_range(count);
    if (p[i] < 0x80) {
      ++i;
      ++count;
      continue;
    }
    const size_t len = internal::Utf8SequenceLength(p + i, n - i);
    i += len == 0 ? 1 : len;
    count += unit == OffsetUnit::kUtf16 && len == 4 ? 2 : 1;
  }
  *byte_begin = *b;
  *byte_end = *e;
  return Status();
}

// The positions and indices of a JSON element, left out when elements of
// two results are compared.
bool IsPositional(const std::string& key) {
  static const char* const kKeys[] = {"begin", "end",     "id",      "fact",
                                      "facts", "rank",    "section", "sentence"};
  return std::any_of(std::begin(kKeys), std::end(kKeys),
                     [&](const char* k) { return key == k; });
}

Json WithoutPositions(const Json& j) {
  if (j.is_object()) {
    Json out = Json::object();
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!IsPositional(it.key())) out[it.key()] = WithoutPositions(it.value());
    return out;
  }
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& e : j) out.push_back(WithoutPositions(e));
    return out;
  }
  return j;
}

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The result JSON of a snapshot (coded parts only), parsed; an empty object
// for a failed Result().
Json CodedJson(const Snapshot& s, const AnalyzeOptions& options) {
  if (s.result == nullptr) return Json::object();
  AnalyzeOptions o = options;
  o.include_text_layer = false;  // sections and sentences are not written
  return Json::parse(ResultToJson(*s.result, *s.text, "", o), nullptr,
                     /*allow_exceptions=*/false);
}

}  // namespace

struct Session::Impl {
  Impl(const Model& m, const AnalyzeOptions& o) : model(m), options(o) {}
  Model model;
  AnalyzeOptions options;
  std::string text;
  // Whether `latest` answers `text` (no edit since), and its error if it
  // failed.
  bool fresh = false;
  Status error;
  // The two latest Result() answers, for Changes().
  Snapshot previous, latest;
  // The latest text layer found (sections and sentences) and its text, for
  // the next pass to reuse: views into a Result when the options keep the
  // text layer in it, else the session's own copy.
  std::shared_ptr<const std::string> layer_text;
  std::shared_ptr<const std::vector<Section>> layer_sections;
  std::shared_ptr<const std::vector<Sentence>> layer_sentences;
  // The latest normalized text and the text it normalizes, for the next
  // pass to splice (text/normalize.h Normalizer::Splice), with the bytes
  // the current text still shares with that text at its start and end.
  std::shared_ptr<const std::string> normalized_of;  // null for none
  internal::NormalizedText normalized;
  internal::FactExtractor::ScreenMemo screen;  // what the screens found in it
  size_t same_prefix = 0;
  size_t same_suffix = 0;
  // The facts stage's scans of the latest pass's units, by the bytes they
  // read (facts/facts.h UnitMemo): valid for any later text. Its locator
  // windows are positional: of `normalized` only when `locator_current`
  // (the pass that made `normalized` located them).
  internal::FactExtractor::UnitMemo facts_memo;
  bool locator_current = false;
};

Session::Session(const Model& model, const AnalyzeOptions& options)
    : impl_(new Impl(model, options)) {}
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

const std::string& Session::Text() const { return impl_->text; }
const AnalyzeOptions& Session::options() const { return impl_->options; }

Status Session::Edit(uint64_t begin, uint64_t end, std::string_view replacement) {
  try {
    Impl& s = *impl_;
    size_t b = 0, e = 0;
    if (Status st = ToBytes(s.text, begin, end, s.options.offset_unit, &b, &e); !st.ok())
      return st;
    if (s.options.invalid_utf8 == InvalidUtf8Policy::kError) {
      std::string reason;
      const size_t bad = internal::FindInvalidUtf8(replacement, &reason);
      if (bad != internal::kNoError) {
        return InvalidArgument("edit replacement is not valid UTF-8 at its byte " +
                                   std::to_string(bad) + ": " + reason,
                               "invalid_utf8", static_cast<int64_t>(bad));
      }
    }
    const uint64_t limit = std::min<uint64_t>(s.options.max_note_bytes, 0xFFFFFFFEull);
    const uint64_t size = uint64_t{s.text.size()} - (e - b) + replacement.size();
    if (size > limit) {
      return InvalidArgument("the edit would make the note " + std::to_string(size) +
                                 " bytes, above the limit of " + std::to_string(limit) +
                                 " bytes",
                             "note_too_large");
    }
    if (e == b && replacement.empty()) return Status();
    s.text.replace(b, e - b, replacement);  // strong guarantee: unchanged on bad_alloc
    s.fresh = false;
    // Bytes before b and after e are as they were.
    s.same_prefix = std::min(s.same_prefix, b);
    s.same_suffix = std::min(s.same_suffix, s.text.size() - (b + replacement.size()));
    return Status();
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kResourceExhausted, "out of memory while editing the note",
                  "resource_exhausted");
  } catch (...) {
    return Status(StatusCode::kInternal, "unexpected error while editing the note",
                  "internal");
  }
}

StatusOr<suggest::Result> Session::Result() {
  try {
    Impl& s = *impl_;
    if (!s.fresh) {
      internal::SessionHook hook;
      hook.facts_memo = &s.facts_memo;
      if (s.layer_sections != nullptr) {
        hook.earlier.text = *s.layer_text;
        hook.earlier.sections = s.layer_sections.get();
        hook.earlier.sentences = s.layer_sentences.get();
        // The bytes kept at both ends since that text, when it is also the
        // one the edits were tracked from (not compared again).
        if (s.layer_text == s.normalized_of) {
          const size_t common = std::min(s.layer_text->size(), s.text.size());
          hook.earlier.same_prefix = std::min(s.same_prefix, common);
          hook.earlier.same_suffix =
              std::min(s.same_suffix, common - hook.earlier.same_prefix);
        }
      }
      if (s.normalized_of != nullptr) {
        hook.normalized_in = true;
        hook.normalized_of = *s.normalized_of;
        const size_t common = std::min(s.normalized_of->size(), s.text.size());
        hook.same_prefix = std::min(s.same_prefix, common);
        hook.same_suffix = std::min(s.same_suffix, common - hook.same_prefix);
        hook.normalized = std::move(s.normalized);
        hook.screen_in = s.screen;
        s.normalized_of = nullptr;  // taken (kept again below if the pass normalized)
      }
      internal::FactExtractor::LocatorMemo& located = s.facts_memo.locator();
      located.usable = hook.normalized_in && s.locator_current;
      located.located = false;
      s.locator_current = false;  // until this pass says otherwise
      StatusOr<suggest::Result> r = [&] {
        internal::SessionHookScope scope(&hook);
        return s.model.Analyze(s.text, s.options);
      }();
      Snapshot next;
      if (r.ok()) {
        next.text = std::make_shared<const std::string>(s.text);
        next.result = std::make_shared<const suggest::Result>(std::move(*r));
        if (hook.text_layer) {
          // This pass's text layer is the one to reuse next time.
          s.layer_text = next.text;
          if (s.options.include_text_layer) {
            s.layer_sections = std::shared_ptr<const std::vector<Section>>(
                next.result, &next.result->sections);
            s.layer_sentences = std::shared_ptr<const std::vector<Sentence>>(
                next.result, &next.result->sentences);
          } else {
            s.layer_sections =
                std::make_shared<const std::vector<Section>>(std::move(hook.sections));
            s.layer_sentences =
                std::make_shared<const std::vector<Sentence>>(std::move(hook.sentences));
          }
        }
        if (hook.normalized_out) {
          s.normalized_of = next.text;
          s.normalized = std::move(hook.normalized);
          s.screen = hook.screen_out;
          s.same_prefix = s.same_suffix = s.text.size();  // no edit since
          s.locator_current = located.located;  // of this normalized text
        }
        s.error = Status();
      } else {
        s.error = r.status();
      }
      s.previous = std::move(s.latest);
      s.latest = std::move(next);
      s.fresh = true;
    } else {
      // No edit since the last call: nothing changed.
      s.previous = s.latest;
    }
    if (s.latest.result == nullptr) return s.error;
    return *s.latest.result;
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kResourceExhausted, "out of memory while analysing the note",
                  "resource_exhausted");
  } catch (...) {
    return Status(StatusCode::kInternal, "unexpected error while analysing the note",
                  "internal");
  }
}

std::string Session::Changes() const {
  try {
    return ChangesUnguarded();
  } catch (...) {
    return std::string();  // out of memory
  }
}

std::string Session::ChangesUnguarded() const {
  const Impl& s = *impl_;
  const Json before = CodedJson(s.previous, s.options);
  const Json after = CodedJson(s.latest, s.options);
  Json out = Json::object();
  for (const char* list : {"suggestions", "gaps", "not_coded", "facts"}) {
    static const Json kEmpty = Json::array();
    const Json& old_items = before.is_object() && before.contains(list) ? before[list] : kEmpty;
    const Json& new_items = after.is_object() && after.contains(list) ? after[list] : kEmpty;
    // A multiset difference on the elements without their positions.
    std::map<std::string, int> count;
    std::vector<std::string> old_keys, new_keys;
    for (const Json& e : old_items) old_keys.push_back(Dump(WithoutPositions(e)));
    for (const Json& e : new_items) new_keys.push_back(Dump(WithoutPositions(e)));
    for (const std::string& k : old_keys) ++count[k];
    Json added = Json::array(), removed = Json::array();
    for (size_t i = 0; i < new_keys.size(); ++i) {
      auto it = count.find(new_keys[i]);
      if (it != count.end() && it->second > 0) {
        --it->second;  // present before and after
      } else {
        added.push_back(new_items[i]);
      }
    }
    for (size_t i = 0; i < old_keys.size(); ++i) {
      auto it = count.find(old_keys[i]);
      if (it != count.end() && it->second > 0) {
        --it->second;  // present before only
        removed.push_back(old_items[i]);
      }
    }
    out[list] = Json{{"added", std::move(added)}, {"removed", std::move(removed)}};
  }
  return Dump(out);
}

}  // namespace suggest
