// Copyright libsuggest authors.
#include "text/offset_map.h"

#include <algorithm>
#include <cassert>

namespace suggest::internal {

OffsetMap OffsetMap::Identity(uint32_t size) {
  OffsetMap m;
  m.AppendUnchanged(size);
  return m;
}

void OffsetMap::AppendUnchanged(uint32_t len) {
  if (len == 0) return;
  if (!chunks_.empty() && chunks_.back().unchanged) {
    chunks_.back().norm_len += len;
    chunks_.back().orig_len += len;
  } else {
    chunks_.push_back({norm_size_, orig_size_, len, len, true});
  }
  norm_size_ += len;
  orig_size_ += len;
}

void OffsetMap::AppendChange(uint32_t orig_len, uint32_t norm_len) {
  if (orig_len == 0 && norm_len == 0) return;
  // A 1 -> 1 change answers every query exactly like one unchanged byte, so
  // store it as one: case folding of ASCII then keeps the map a single chunk.
  if (orig_len == 1 && norm_len == 1) {
    AppendUnchanged(1);
    return;
  }
  chunks_.push_back({norm_size_, orig_size_, norm_len, orig_len, false});
  norm_size_ += norm_len;
  orig_size_ += orig_len;
}

bool OffsetMap::IsIdentity() const {
  return chunks_.empty() || (chunks_.size() == 1 && chunks_[0].unchanged);
}

const OffsetMap::Chunk& OffsetMap::ChunkAt(uint32_t pos) const {
  assert(pos < norm_size_);
  if (chunks_.size() == 1) return chunks_[0];
  // Last chunk starting at or before pos. Deletions share norm_begin with
  // the chunk after them, so the match always holds byte pos.
  auto it = std::upper_bound(
      chunks_.begin(), chunks_.end(), pos,
      [](uint32_t p, const Chunk& c) { return p < c.norm_begin; });
  return *(it - 1);
}

uint32_t OffsetMap::ToOriginalBegin(uint32_t pos) const {
  if (pos >= norm_size_) return orig_size_;
  const Chunk& c = ChunkAt(pos);
  return c.unchanged ? c.orig_begin + (pos - c.norm_begin) : c.orig_begin;
}

Span OffsetMap::ToOriginal(uint32_t b, uint32_t e) const {
  assert(b <= e && e <= norm_size_);
  e = std::min(e, norm_size_);
  b = std::min(b, e);
  const uint32_t begin = ToOriginalBegin(b);
  if (b == e) return Span{begin, begin};
  const Chunk& c = ChunkAt(e - 1);
  const uint32_t end = c.unchanged ? c.orig_begin + (e - c.norm_begin)
                                   : c.orig_begin + c.orig_len;
  return Span{begin, end};
}

bool OffsetMap::IsBoundary(uint32_t pos) const {
  if (pos == 0 || pos == norm_size_) return true;
  if (pos > norm_size_) return false;
  const Chunk& c = ChunkAt(pos);
  return c.unchanged || pos == c.norm_begin;
}

void OffsetMap::Append(const Chunk& c) {
  if (c.unchanged) {
    AppendUnchanged(c.orig_len);
  } else {
    AppendChange(c.orig_len, c.norm_len);
  }
}

bool OffsetMap::Cut(uint32_t orig, size_t* index, uint32_t* left, uint32_t* normalized) const {
  *left = 0;
  if (orig == 0 || orig >= orig_size_) {
    // The ends: everything is on one side, zero-width chunks included.
    *index = orig == 0 ? 0 : chunks_.size();
    *normalized = orig == 0 ? 0 : norm_size_;
    return orig <= orig_size_;
  }
  // The last chunk starting at or before orig (chunks are in original order
  // too; an insertion shares orig_begin with the chunk after it).
  auto it = std::upper_bound(chunks_.begin(), chunks_.end(), orig,
                             [](uint32_t p, const Chunk& c) { return p < c.orig_begin; });
  const size_t j = static_cast<size_t>(it - chunks_.begin()) - 1;
  const Chunk& c = chunks_[j];
  auto empty_side = [](const Chunk& k) { return k.orig_len == 0 || k.norm_len == 0; };
  if (c.orig_begin < orig) {
    // Inside chunk j: only an unchanged chunk may be split.
    if (!c.unchanged || orig >= c.orig_begin + c.orig_len) return false;
    *index = j;
    *left = orig - c.orig_begin;
    *normalized = c.norm_begin + *left;
    return true;
  }
  if (empty_side(c) || (j > 0 && empty_side(chunks_[j - 1]))) return false;
  *index = j;
  *normalized = c.norm_begin;
  return true;
}

bool OffsetMap::CutAt(uint32_t orig, uint32_t* normalized) const {
  size_t index;
  uint32_t left;
  return Cut(orig, &index, &left, normalized);
}

OffsetMap OffsetMap::Spliced(uint32_t orig_begin, uint32_t orig_end,
                             const OffsetMap& middle) const {
  size_t k0 = 0, k1 = 0;
  uint32_t left0 = 0, left1 = 0, n0 = 0, n1 = 0;
  [[maybe_unused]] const bool ok =
      Cut(orig_begin, &k0, &left0, &n0) && Cut(orig_end, &k1, &left1, &n1);
  assert(ok && orig_begin <= orig_end);
  OffsetMap r;
  r.Reserve(k0 + middle.chunks_.size() + (chunks_.size() - k1) + 2);
  for (size_t i = 0; i < k0; ++i) r.Append(chunks_[i]);
  r.AppendUnchanged(left0);  // the left part of a split unchanged chunk
  for (const Chunk& c : middle.chunks_) r.Append(c);
  size_t from = k1;
  if (left1 > 0) r.AppendUnchanged(chunks_[from++].orig_len - left1);
  for (size_t i = from; i < chunks_.size(); ++i) r.Append(chunks_[i]);
  return r;
}

const OffsetMap::Chunk& OffsetMap::Cursor::ChunkAt(uint32_t pos) {
  assert(pos < map_.norm_size_);
  const std::vector<Chunk>& c = map_.chunks_;
  // The last chunk starting at or before pos, as ChunkAt's upper_bound.
  while (k_ + 1 < c.size() && c[k_ + 1].norm_begin <= pos) ++k_;
  while (k_ > 0 && c[k_].norm_begin > pos) --k_;
  return c[k_];
}

void OffsetMap::Cursor::Seek(uint32_t pos) {
  if (map_.chunks_.empty() || pos >= map_.norm_size_) return;
  k_ = static_cast<size_t>(&map_.ChunkAt(pos) - map_.chunks_.data());
}

uint32_t OffsetMap::Cursor::ToOriginalBegin(uint32_t pos) {
  if (pos >= map_.norm_size_) return map_.orig_size_;
  const Chunk& c = ChunkAt(pos);
  return c.unchanged ? c.orig_begin + (pos - c.norm_begin) : c.orig_begin;
}

Span OffsetMap::Cursor::ToOriginal(uint32_t b, uint32_t e) {
  assert(b <= e && e <= map_.norm_size_);
  e = std::min(e, map_.norm_size_);
  b = std::min(b, e);
  const uint32_t begin = ToOriginalBegin(b);
  if (b == e) return Span{begin, begin};
  const Chunk& c = ChunkAt(e - 1);
  const uint32_t end = c.unchanged ? c.orig_begin + (e - c.norm_begin)
                                   : c.orig_begin + c.orig_len;
  return Span{begin, end};
}

bool OffsetMap::Cursor::IsBoundary(uint32_t pos) {
  if (pos == 0 || pos == map_.norm_size_) return true;
  if (pos > map_.norm_size_) return false;
  const Chunk& c = ChunkAt(pos);
  return c.unchanged || pos == c.norm_begin;
}

// Walks both maps along the shared middle string. Where both are unchanged,
// bytes pass straight through. Otherwise a change chunk starts a group that
// keeps absorbing every chunk (of either map) beginning before the group's
// end, and each absorbed change chunk may push that end further; the group
// becomes one change chunk. Zero-width chunks in the middle string (inner
// deletions, outer insertions) sitting between groups stay separate, inner
// deletions first, so an insertion maps to the point after deleted bytes
// (the same answer ToOriginalBegin of the inner map gives).
OffsetMap OffsetMap::Then(const OffsetMap& outer) const {
  assert(norm_size_ == outer.orig_size_);
  if (outer.IsIdentity()) return *this;
  if (IsIdentity()) return outer;

  const std::vector<Chunk>& in = chunks_;
  const std::vector<Chunk>& out = outer.chunks_;
  OffsetMap r;
  r.chunks_.reserve(std::max(in.size(), out.size()));
  size_t i = 0, o = 0;
  uint32_t i_used = 0;  // middle bytes taken from a partly used unchanged chunk
  uint32_t o_used = 0;

  while (i < in.size() || o < out.size()) {
    if (i < in.size() && in[i].norm_len == 0) {
      r.AppendChange(in[i].orig_len, 0);
      ++i;
      continue;
    }
    if (o < out.size() && out[o].orig_len == 0) {
      r.AppendChange(0, out[o].norm_len);
      ++o;
      continue;
    }
    if (i >= in.size() || o >= out.size()) break;  // sizes did not match

    const Chunk& a = in[i];
    const Chunk& b = out[o];
    if (a.unchanged && b.unchanged) {
      const uint32_t len = std::min(a.norm_len - i_used, b.orig_len - o_used);
      r.AppendUnchanged(len);
      i_used += len;
      if (i_used == a.norm_len) ++i, i_used = 0;
      o_used += len;
      if (o_used == b.orig_len) ++o, o_used = 0;
      continue;
    }

    uint32_t end = a.norm_begin + i_used;
    if (!a.unchanged) end = std::max(end, a.norm_begin + a.norm_len);
    if (!b.unchanged) end = std::max(end, b.orig_begin + b.orig_len);
    uint32_t orig_len = 0, norm_len = 0;
    bool grew = true;
    while (grew) {
      grew = false;
      for (; i < in.size() && in[i].norm_begin + i_used < end; grew = true) {
        const Chunk& c = in[i];
        if (c.unchanged) {
          const uint32_t take =
              std::min(c.norm_len - i_used, end - (c.norm_begin + i_used));
          orig_len += take;
          i_used += take;
          if (i_used == c.norm_len) ++i, i_used = 0;
        } else {
          orig_len += c.orig_len;
          end = std::max(end, c.norm_begin + c.norm_len);
          ++i;
        }
      }
      for (; o < out.size() && out[o].orig_begin + o_used < end; grew = true) {
        const Chunk& c = out[o];
        if (c.unchanged) {
          const uint32_t take =
              std::min(c.orig_len - o_used, end - (c.orig_begin + o_used));
          norm_len += take;
          o_used += take;
          if (o_used == c.orig_len) ++o, o_used = 0;
        } else {
          norm_len += c.norm_len;
          end = std::max(end, c.orig_begin + c.orig_len);
          ++o;
        }
      }
    }
    r.AppendChange(orig_len, norm_len);
  }
  assert(r.orig_size_ == orig_size_ && r.norm_size_ == outer.norm_size_);
  return r;
}

}  // namespace suggest::internal
