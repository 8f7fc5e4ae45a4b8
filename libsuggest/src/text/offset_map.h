// Copyright libsuggest authors.
//
// OffsetMap: maps ranges of a derived ("normalized") string back to byte
// ranges of the string it was derived from ("original").
//
// A map is a sequence of chunks in order. An *unchanged* chunk copies n bytes
// one-to-one; a *change* chunk turns orig_len original bytes into norm_len
// normalized bytes as one indivisible unit (either length may be 0: an
// insertion or a deletion). This is exactly the shape of icu::Edits.
//
// Mapping rule for a normalized range [b, e):
//   begin -> start of the original chunk that produced normalized byte b
//            (inside an unchanged chunk: the exact byte);
//   end   -> end of the original chunk that produced byte e-1.
// So a range that covers part of a change chunk widens to the whole source
// chunk (the choice ICU documents for indexes inside a change edit).
// Deleted original bytes (norm_len 0) that sit between two mapped bytes are
// included in the span; deletions at its edges are not.

#ifndef LIBSUGGEST_SRC_TEXT_OFFSET_MAP_H_
#define LIBSUGGEST_SRC_TEXT_OFFSET_MAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "suggest/types.h"

namespace suggest::internal {

class OffsetMap {
 public:
  OffsetMap() = default;  // maps the empty string to the empty string

  static OffsetMap Identity(uint32_t size);

  // Builders: append chunks in document order. Adjacent unchanged chunks
  // merge. A 1 -> 1 change is stored as one unchanged byte (every query
  // answers the same for both), so ASCII case folding keeps a map identity;
  // a 0 -> 0 change is dropped.
  void AppendUnchanged(uint32_t len);
  void AppendChange(uint32_t orig_len, uint32_t norm_len);
  // Capacity hint for builders that know how many chunks are coming.
  void Reserve(size_t chunks) { chunks_.reserve(chunks); }

  uint32_t original_size() const { return orig_size_; }
  uint32_t normalized_size() const { return norm_size_; }
  bool IsIdentity() const;

  // See the mapping rule above. Requires b <= e <= normalized_size().
  // For b == e returns the empty span at ToOriginalBegin(b).
  Span ToOriginal(uint32_t b, uint32_t e) const;

  // Original offset of the start of the chunk holding normalized byte pos;
  // original_size() for pos == normalized_size().
  uint32_t ToOriginalBegin(uint32_t pos) const;

  // True if a range may begin or end at normalized position pos without
  // cutting a change chunk (0 and normalized_size() are boundaries; every
  // position inside an unchanged chunk is).
  bool IsBoundary(uint32_t pos) const;

  // Composition. *this maps mid -> original; `outer` maps normalized -> mid.
  // Returns the map normalized -> original.
  OffsetMap Then(const OffsetMap& outer) const;

  // Splicing (a live session re-normalizes only around an edit,
  // Normalizer::Splice). A cut at original position `orig` is where the map
  // can be split in two: 0, original_size(), inside an unchanged chunk, or
  // between two chunks neither of which is empty on one side (an insertion
  // or a deletion would belong to either part). True for such a cut, with
  // *normalized the normalized position it falls at.
  bool CutAt(uint32_t orig, uint32_t* normalized) const;
  // This map with the part for original [orig_begin, orig_end) (both cuts,
  // as CutAt accepts) replaced by `middle`. Built with the builders above,
  // so unchanged chunks merge at the joins: the chunk list is the one a
  // builder appending the three parts in order makes.
  OffsetMap Spliced(uint32_t orig_begin, uint32_t orig_end, const OffsetMap& middle) const;

  // The chunks in order, for a reader that walks them (OriginalStash).
  struct ChunkInfo {
    uint32_t norm_begin, orig_begin, norm_len, orig_len;
    bool unchanged;
  };
  size_t chunk_count() const { return chunks_.size(); }
  ChunkInfo chunk(size_t k) const {
    const Chunk& c = chunks_[k];
    return {c.norm_begin, c.orig_begin, c.norm_len, c.orig_len, c.unchanged};
  }

  // Same chunk lists. Equal maps answer every query alike; two adjacent
  // deletions and one merged deletion also do, but compare unequal.
  bool operator==(const OffsetMap& other) const = default;

 private:
  struct Chunk {
    uint32_t norm_begin;
    uint32_t orig_begin;
    uint32_t norm_len;
    uint32_t orig_len;
    bool unchanged;
    bool operator==(const Chunk& other) const = default;
  };
  // Chunk holding normalized byte pos (< normalized_size()); O(log n).
  const Chunk& ChunkAt(uint32_t pos) const;
  // A cut at original `orig` (CutAt): chunk *index starts the right part,
  // of which its first *left bytes (unchanged) still go left.
  bool Cut(uint32_t orig, size_t* index, uint32_t* left, uint32_t* normalized) const;
  void Append(const Chunk& c);

  std::vector<Chunk> chunks_;
  uint32_t orig_size_ = 0;
  uint32_t norm_size_ = 0;
  // implementation may add private members (e.g. lookup index)

 public:
  // The same queries for positions that mostly move forward (tokens in
  // document order): the chunk is found by stepping from the last one
  // instead of a binary search, so a pass over a note is linear in its size
  // however many chunks a long non-ASCII note has. Same answers as the
  // members of the same names. The map must outlive the cursor.
  class Cursor {
   public:
    explicit Cursor(const OffsetMap& map) : map_(map) {}
    // Starts the cursor at `pos` (a binary search), so a reader that begins
    // in the middle does not walk every chunk before it.
    void Seek(uint32_t pos);
    bool IsBoundary(uint32_t pos);
    Span ToOriginal(uint32_t b, uint32_t e);

   private:
    const Chunk& ChunkAt(uint32_t pos);
    uint32_t ToOriginalBegin(uint32_t pos);
    const OffsetMap& map_;
    size_t k_ = 0;  // index of the chunk last returned
  };
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_TEXT_OFFSET_MAP_H_
