// Copyright libsuggest authors.
//
// A note's original bytes kept as what its normalized text does not say:
// which ASCII letters were upper case, the few other bytes of the map's
// unchanged chunks that differ, and the original bytes of its change chunks.
// For a 10 MB note of English that is ~1.3 MB instead of 10 MB, so while the
// facts stage runs a caller's note can be released and rebuilt afterwards
// (Model::AnalyzeInPlace; docs/performance.md "Peak RSS of one 10 MB note,
// sixth pass"). Rebuilding gives the same bytes by construction: each byte
// is recorded from a comparison with the original itself.

#ifndef LIBSUGGEST_SRC_TEXT_ORIGINAL_STASH_H_
#define LIBSUGGEST_SRC_TEXT_ORIGINAL_STASH_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/normalize.h"

namespace suggest::internal {

class OriginalStash {
 public:
  // The stash of `original` against `nt`, its normalization (nt must
  // outlive the stash). Nullopt if nt's map does not cover `original`, or
  // if the stash would pass a quarter of the note (many change chunks or
  // differing bytes: text that is not mostly ASCII).
  static std::optional<OriginalStash> Make(std::string_view original,
                                           const NormalizedText& nt);

  size_t size() const { return size_; }
  // original[i], for i < size(). Reads that move forward are O(1) each.
  char At(size_t i) const;
  // The original bytes into *out (replacing its contents).
  void Rebuild(std::string* out) const;
  // The original bytes into *normalized, which must be the normalized text
  // the stash was made against, in its own buffer when it has room (no
  // second copy of a long note); the stash cannot be read after.
  void RebuildInPlace(std::string* normalized) const;

 private:
  explicit OriginalStash(const NormalizedText& nt) : nt_(&nt) {}
  // Index of the map chunk holding original byte i.
  size_t ChunkOf(size_t i) const;
  void ApplyCase(std::string* out) const;

  const NormalizedText* nt_;
  size_t size_ = 0;
  std::vector<uint64_t> upper_;                // bit i: original[i] is nt's byte in upper case
  std::vector<std::pair<uint32_t, char>> odd_;  // other differing bytes, by offset
  std::vector<uint32_t> changed_at_;           // per chunk: offset of its bytes in changed_
  std::string changed_;                        // original bytes of the change chunks
  mutable size_t last_ = 0;                    // chunk of the last At()
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_ORIGINAL_STASH_H_
