// Copyright libsuggest authors.

#include "text/original_stash.h"

#include <algorithm>
#include <cstring>

namespace suggest::internal {

std::optional<OriginalStash> OriginalStash::Make(std::string_view original,
                                                 const NormalizedText& nt) {
  const OffsetMap& map = nt.map;
  const size_t n = original.size();
  if (map.original_size() != n || map.normalized_size() != nt.text.size()) return std::nullopt;
  // Worth it only if much smaller than the note: at most a quarter of it
  // (the case bits are an eighth; a CRLF note adds a change chunk a line).
  const size_t budget = n / 4;
  auto cost = [&](const OriginalStash& st) {
    return st.upper_.size() * 8 + st.changed_at_.size() * 4 + st.changed_.size() +
           st.odd_.size() * sizeof(st.odd_[0]);
  };
  if (n / 8 + map.chunk_count() * 4 > budget) return std::nullopt;
  OriginalStash s(nt);
  s.size_ = n;
  s.upper_.assign((n + 63) / 64, 0);
  s.changed_at_.resize(map.chunk_count());
  uint32_t expect = 0;
  for (size_t k = 0; k < map.chunk_count(); ++k) {
    const OffsetMap::ChunkInfo c = map.chunk(k);
    if (c.orig_begin != expect) return std::nullopt;
    expect += c.orig_len;
    s.changed_at_[k] = static_cast<uint32_t>(s.changed_.size());
    if (!c.unchanged) {
      s.changed_.append(original.substr(c.orig_begin, c.orig_len));
      if (cost(s) > budget) return std::nullopt;
      continue;
    }
    if (c.norm_len != c.orig_len) return std::nullopt;
    const char* o = original.data() + c.orig_begin;
    const char* m = nt.text.data() + c.norm_begin;
    for (uint32_t i = 0; i < c.orig_len;) {
      if (i + 8 <= c.orig_len && std::memcmp(o + i, m + i, 8) == 0) {  // most words
        i += 8;
        continue;
      }
      const uint32_t stop = std::min<uint32_t>(i + 8, c.orig_len);
      for (; i < stop; ++i) {
        if (o[i] == m[i]) continue;
        const size_t at = c.orig_begin + i;
        if (o[i] >= 'A' && o[i] <= 'Z' && m[i] == o[i] + ('a' - 'A')) {
          s.upper_[at / 64] |= uint64_t{1} << (at % 64);
        } else {
          s.odd_.emplace_back(static_cast<uint32_t>(at), o[i]);
          if (cost(s) > budget) return std::nullopt;
        }
      }
    }
  }
  if (expect != n) return std::nullopt;
  return s;
}

size_t OriginalStash::ChunkOf(size_t i) const {
  const OffsetMap& map = nt_->map;
  auto holds = [&](size_t k) {
    const OffsetMap::ChunkInfo c = map.chunk(k);
    return c.orig_begin <= i && i < size_t{c.orig_begin} + c.orig_len;
  };
  if (holds(last_)) return last_;
  if (last_ > 0 && holds(last_ - 1)) return --last_;  // a reader stepping back
  for (size_t k = last_ + 1; k < map.chunk_count() && k <= last_ + 2; ++k)
    if (holds(k)) return last_ = k;
  // The last chunk that begins at or before i (a zero-length insertion
  // shares its begin with the chunk after it, so that one is found).
  size_t lo = 0, hi = map.chunk_count();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (map.chunk(mid).orig_begin <= i) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  size_t k = lo - 1;
  while (k > 0 && map.chunk(k).orig_len == 0) --k;
  return last_ = k;
}

char OriginalStash::At(size_t i) const {
  const size_t k = ChunkOf(i);
  const OffsetMap::ChunkInfo c = nt_->map.chunk(k);
  if (!c.unchanged) return changed_[changed_at_[k] + (i - c.orig_begin)];
  const char m = nt_->text[c.norm_begin + (i - c.orig_begin)];
  if (upper_[i / 64] >> (i % 64) & 1) return static_cast<char>(m - ('a' - 'A'));
  if (!odd_.empty()) {
    auto it = std::lower_bound(odd_.begin(), odd_.end(), std::make_pair(static_cast<uint32_t>(i), '\0'),
                               [](const auto& a, const auto& b) { return a.first < b.first; });
    if (it != odd_.end() && it->first == i) return it->second;
  }
  return m;
}

void OriginalStash::Rebuild(std::string* out) const {
  out->resize(size_);
  const OffsetMap& map = nt_->map;
  for (size_t k = 0; k < map.chunk_count(); ++k) {
    const OffsetMap::ChunkInfo c = map.chunk(k);
    if (c.orig_len == 0) continue;
    const char* from = c.unchanged ? nt_->text.data() + c.norm_begin : changed_.data() + changed_at_[k];
    std::memcpy(out->data() + c.orig_begin, from, c.orig_len);
  }
  ApplyCase(out);
}

// Each unchanged chunk moves by its shift (original - normalized offset):
// those moving left, in text order, then those moving right, backwards, so
// none overwrites bytes not yet moved; the change chunks' bytes last, into
// the gaps (they read nothing of the buffer).
void OriginalStash::RebuildInPlace(std::string* normalized) const {
  if (normalized != &nt_->text || size_ > normalized->capacity()) {
    std::string out;
    Rebuild(&out);
    *normalized = std::move(out);
    return;
  }
  const OffsetMap& map = nt_->map;
  const size_t chunks = map.chunk_count();
  if (size_ > normalized->size()) normalized->resize(size_);  // no reallocation: capacity
  char* data = normalized->data();
  auto move = [&](size_t k) {
    const OffsetMap::ChunkInfo c = map.chunk(k);
    if (c.unchanged && c.orig_len > 0) std::memmove(data + c.orig_begin, data + c.norm_begin, c.orig_len);
  };
  for (size_t k = 0; k < chunks; ++k)
    if (map.chunk(k).orig_begin <= map.chunk(k).norm_begin) move(k);
  for (size_t k = chunks; k-- > 0;)
    if (map.chunk(k).orig_begin > map.chunk(k).norm_begin) move(k);
  for (size_t k = 0; k < chunks; ++k) {
    const OffsetMap::ChunkInfo c = map.chunk(k);
    if (!c.unchanged && c.orig_len > 0)
      std::memcpy(data + c.orig_begin, changed_.data() + changed_at_[k], c.orig_len);
  }
  normalized->resize(size_);
  ApplyCase(normalized);
}

void OriginalStash::ApplyCase(std::string* out) const {
  for (size_t w = 0; w < upper_.size(); ++w) {
    for (uint64_t bits = upper_[w]; bits != 0; bits &= bits - 1) {
      const size_t i = w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
      (*out)[i] = static_cast<char>((*out)[i] - ('a' - 'A'));
    }
  }
  for (const auto& [at, byte] : odd_) (*out)[at] = byte;
}

}  // namespace suggest::internal
