// Copyright libsuggest authors.
//
// A screen on the caller's original bytes that runs before normalization and
// rejects most notes that name no fusion concept, at close to memory speed.
//
// How it stays exact. The screen compiles the prefilter's own patterns into
// Vectorscan databases and scans the original bytes case-insensitively.
// It only answers for notes of plain ASCII without tab or CR (or that once
// their curly quotes and dashes are spelled in ASCII, AsciiQuotesAndDashes),
// whose normalized text is exactly their lowercase (normalize.h: in ASCII only A-Z
// change, besides tab -> space and CR -> LF). On such text the two engines
// agree on whether a pattern matches anywhere: \b, \w and classes mean the
// same in ASCII, lazy quantifiers change which match is reported, not
// whether one exists, and Vectorscan's \s also takes VT (a superset, so it
// can only say "maybe" more often). Any other note gets "cannot tell" and
// takes the normal path, where RejectsNormalized runs the same screen on the
// normalized text before the RE2::Set. If Vectorscan cannot compile some
// pattern (a rule file may use a construct it lacks), the screen is off.
//
// Without Vectorscan (the build option SUGGEST_WITH_VECTORSCAN off, or libhs
// not found) the screen is built but never rejects; results are the same,
// only slower on notes without spine vocabulary.

#ifndef LIBSUGGEST_SRC_MATCH_PRESCREEN_H_
#define LIBSUGGEST_SRC_MATCH_PRESCREEN_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#if SUGGEST_HAVE_VECTORSCAN
#include <hs/hs.h>
#endif

namespace suggest::internal {

class Prescreen {
 public:
  // `patterns` are RE2 patterns (UTF-8, matched against normalized text).
  // An empty list gives a screen that rejects every note it can judge.
  // Never fails: a pattern Vectorscan cannot compile turns the screen off
  // (active() false, reason in inactive_reason()).
  // `original` (empty, or one per pattern) replaces a pattern in the screen
  // of original bytes only (ScreenOriginal): the caller's promise is that
  // wherever patterns[i] matches the lowercase of an ASCII note in a way that
  // can make a fact, original[i] matches the note (caselessly, unless the
  // pattern says otherwise): e.g. UpperAcronym's, for a rule that keeps only
  // acronyms written in capitals.
  // `exact` (empty, or one per pattern) makes the screen of original bytes
  // two-staged: where exact[i] is not empty, original[i] is only a cheaper
  // pattern that every match of exact[i] also matches (a rule's acronym, its
  // tail or head: match/rule_locator.h), and a note that only such patterns match is scanned again
  // with the exact ones before the screen says kMayMatch. The verdicts are
  // those of a screen of exact[i] (original[i] where exact[i] is empty); the
  // cheap patterns only make the scan of most notes faster.
  static std::unique_ptr<const Prescreen> Build(const std::vector<std::string>& patterns,
                                                const std::vector<std::string>& original = {},
                                                const std::vector<std::string>& exact = {});
  ~Prescreen();
  Prescreen(const Prescreen&) = delete;
  Prescreen& operator=(const Prescreen&) = delete;

  // What the screen can say of a note from its original bytes. A note whose
  // only other characters are curly quotes and dashes (AsciiQuotesAndDashes)
  // is judged by its ASCII spelling, which is what the normalizer makes of
  // them (text/normalize.cc Unified), if it is at most 256 KiB long (the
  // spelling is a copy).
  enum class Verdict {
    kNoMatch,     // ASCII without tab or CR, and no pattern matches
    kMayMatch,    // ASCII without tab or CR, and some pattern may match
    kCannotTell,  // other bytes, or the screen is off
  };
  // Thread-safe (each thread keeps its own Vectorscan scratch space).
  Verdict ScreenOriginal(std::string_view original) const;
  // ScreenOriginal(original) == kNoMatch.
  bool Rejects(std::string_view original) const {
    return ScreenOriginal(original) == Verdict::kNoMatch;
  }

  // True only if no pattern can match `normalized`, which must be valid
  // UTF-8 (the normalizer's output). Same engine, no ASCII condition: on
  // any UTF-8 text Vectorscan (UTF8 mode, no UCP) reads the patterns as RE2
  // does, or more loosely (\s also takes VT; caseless). After kMayMatch
  // from ScreenOriginal it would only say the same again.
  bool RejectsNormalized(std::string_view normalized) const;
  // The same, and when it does not reject because a pattern matched, the
  // first match met: pattern `pattern` (the index in Build's list) has a
  // match ending at byte `end`. For a live session's screens.
  struct FirstMatch {
    bool found = false;
    unsigned pattern = 0;
    size_t end = 0;
  };
  bool RejectsNormalized(std::string_view normalized, FirstMatch* first) const;

  // False if this build or this pattern list cannot reject anything.
  bool active() const { return active_; }
  // Why the screen is off ("" when active), for logs and benchmarks.
  const std::string& inactive_reason() const { return inactive_reason_; }

 private:
  Prescreen();
  // True if no pattern matches `text` (ASCII or UTF-8 database).
  bool Scan(std::string_view text, bool utf8, FirstMatch* first = nullptr) const;
  // The screen of original bytes: true if no pattern matches `text`, the
  // cheap patterns of a two-staged screen confirmed by the exact ones.
  bool ScanOriginal(std::string_view text) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string inactive_reason_;
  bool active_ = false;
  bool empty_ = false;
};

// `original` with U+2010..U+2015 as '-', U+2018/U+2019 as '\'' and
// U+201C/U+201D as '"' into *out: the normalizer's spelling of them, so that
// the lowercase of *out is the normalized note. False (and *out unusable) if
// the note holds any other non-ASCII byte, a tab or a CR. Most notes of the
// corpus that are not plain ASCII differ from it only by such quotes.
bool AsciiQuotesAndDashes(std::string_view original, std::string* out);

// `pattern` with each group named `acronym` that holds only lower-case
// letters and '|' ("(?P<acronym>as)") made case-sensitive and upper-case
// ("(?P<acronym>(?-i:AS))"); without such a group, the whole pattern if it
// is only lower-case letters, '|', "\b" and "(?:...)" ("\bdish\b" ->
// "(?-i:\bDISH\b)"); any other pattern unchanged. For the screen of
// original bytes of a rule whose facts need the acronym (or the match) in
// capitals (original_case, facts.cc CaseAllows): the English word "as" then
// costs the screen nothing.
std::string UpperAcronym(std::string_view pattern);

// False if `pattern`, compiled without HS_FLAG_CASELESS, matches exactly
// what it matches with it on text without upper-case letters (what
// NFKC_Casefold leaves: the normalized view): no ASCII capital outside an
// escape or a group name, no hex escape of one, no Unicode property (\p,
// \P), no quoted run (\Q) and no [:upper:]. The databases of normalized
// text drop the flag for such patterns: in UTF-8 mode Vectorscan folds each
// literal letter over Unicode (k: U+212A, s: U+017F), which the folded text
// never holds, at a third of the database and of its compile time.
bool CaseMatters(std::string_view pattern);

#if SUGGEST_HAVE_VECTORSCAN
// Compiles `patterns` with `flags` into a block-mode Vectorscan database, or
// reads the same database back from the disk cache (util/disk_cache.h).
// nullptr on failure: *error says why and *bad_pattern (if given) which
// pattern (-1 if none in particular). Shared by the prescreen and
// match/rule_locator.h.
hs_database_t* CompileOrLoad(const std::vector<std::string>& patterns, unsigned flags,
                             std::string* error, int* bad_pattern = nullptr);
// The same with flags per pattern.
hs_database_t* CompileOrLoad(const std::vector<std::string>& patterns,
                             const std::vector<unsigned>& flags, std::string* error,
                             int* bad_pattern = nullptr);
// Frees a database CompileOrLoad returned (read back ones live in memory of
// their own, not hs_free_database's).
void FreeDatabase(hs_database_t* db);
#endif

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MATCH_PRESCREEN_H_
