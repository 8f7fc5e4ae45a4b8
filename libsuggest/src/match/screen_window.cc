// Copyright libsuggest authors.
//
// ScreenWindow (match/screen_window.h): the argument is in the header.

#include "match/screen_window.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace suggest::internal {

namespace {

// Vectorscan's \s (no UCP): RE2's and VT.
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// The start of the UTF-8 character holding byte i (at most 3 bytes back).
size_t CharStart(std::string_view text, size_t i) {
  for (int k = 0; k < 3 && i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; ++k)
    --i;
  return i;
}

// The first character boundary at or after i (or the text's end).
size_t CharBoundary(std::string_view text, size_t i) {
  for (int k = 0;
       k < 3 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; ++k)
    ++i;
  return std::min(i, text.size());
}

// The last c in text[0, to), or -1 (memrchr where there is one).
std::ptrdiff_t LastOf(std::string_view text, size_t to, char c) {
#if defined(__GLIBC__)
  const void* p = memrchr(text.data(), c, to);
  return p == nullptr ? -1 : static_cast<const char*>(p) - text.data();
#else
  while (to > 0)
    if (text[--to] == c) return static_cast<std::ptrdiff_t>(to);
  return -1;
#endif
}

}  // namespace

ScreenWindow::ScreenWindow(const std::vector<RuleLocator::Reach>& each) {
  for (const RuleLocator::Reach& r : each) {
    Bound bound;
    if (r.width > 0 && r.width <= kMaxReach) bound.width = r.width;
    bound.nonspace = r.nonspace;
    for (int k = 0; kEnds[k] != '\0'; ++k) {
      const auto c = static_cast<unsigned char>(kEnds[k]);
      if (c < r.stop.size() && r.stop[c]) {
        bound.stops |= 1 << k;
      } else if (c < r.last.size() && r.last[c]) {
        bound.lasts |= 1 << k;
      }
    }
    if (bound.width == 0 && bound.nonspace == 0 && bound.stops == 0 && bound.lasts == 0)
      return;  // a pattern bounded none of the ways: off
    if (std::find(bounds_.begin(), bounds_.end(), bound) == bounds_.end())
      bounds_.push_back(bound);
  }
  // A bound that each way of another bounds at least as tightly is never
  // the farthest: drop it (the shipped rules leave four).
  auto covers = [](const Bound& a, const Bound& b) {  // a's nearest <= b's
    return (b.width == 0 || (a.width > 0 && a.width <= b.width)) &&
           (b.nonspace == 0 || (a.nonspace > 0 && a.nonspace <= b.nonspace)) &&
           (b.stops & ~a.stops) == 0 && (b.lasts & ~(a.stops | a.lasts)) == 0;
  };
  std::vector<Bound> kept;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    bool covered = false;
    for (size_t j = 0; j < bounds_.size() && !covered; ++j)
      covered = j != i && covers(bounds_[i], bounds_[j]) &&
                (!covers(bounds_[j], bounds_[i]) || j < i);  // of two alike, keep one
    if (!covered) kept.push_back(bounds_[i]);
  }
  bounds_ = std::move(kept);
  std::stable_sort(bounds_.begin(), bounds_.end(),
                   [](const Bound& a, const Bound& b) { return a.nonspace < b.nonspace; });
  on_ = true;
}

namespace {

// The (k + 1)th byte outside \s from `from` (backward: before it; forward:
// at or after it), for growing k: one walk outward that goes on where the
// last query stopped (it holds the count of such bytes it has passed).
// Eight bytes a step, counted by table; the step that passes k is read
// again byte by byte.
class NonSpaceWalk {
 public:
  NonSpaceWalk(std::string_view text, size_t from, bool forward)
      : p_(reinterpret_cast<const unsigned char*>(text.data())), at_(from), forward_(forward) {}

  // That byte for k (no smaller than the previous query's), or `limit` if
  // the walk reaches `limit` (forward: above it; backward: below it) first.
  size_t Reach(uint32_t k, size_t limit) {
    static const auto kNotSpace = [] {
      std::array<uint8_t, 256> t{};
      for (int c = 0; c < 256; ++c) t[c] = !IsSpace(static_cast<unsigned char>(c));
      return t;
    }();
    if (forward_) {
      for (; at_ + 8 <= limit; at_ += 8) {
        uint32_t step = 0;
        for (int i = 0; i < 8; ++i) step += kNotSpace[p_[at_ + i]];
        if (count_ + step > k) break;
        count_ += step;
      }
      for (; at_ < limit; ++at_)
        if (kNotSpace[p_[at_]] && count_ + 1 > k) return at_;
        else count_ += kNotSpace[p_[at_]];
      return limit;
    }
    for (; at_ >= limit + 8; at_ -= 8) {
      uint32_t step = 0;
      for (int i = 1; i <= 8; ++i) step += kNotSpace[p_[at_ - i]];
      if (count_ + step > k) break;
      count_ += step;
    }
    for (; at_ > limit; --at_)
      if (kNotSpace[p_[at_ - 1]] && count_ + 1 > k) return at_ - 1;
      else count_ += kNotSpace[p_[at_ - 1]];
    return limit;
  }

 private:
  const unsigned char* p_;
  size_t at_;           // forward: [from, at_) passed; backward: [at_, from)
  uint32_t count_ = 0;  // bytes outside \s passed
  bool forward_;
};

}  // namespace

namespace {

// The nearest byte of a mask of kEnds from `from`, each byte's position
// searched once (memchr, memrchr) and only as far as it can matter: for
// both bytes, ';' only up to the '.' found. Forward: at or after `from`, or
// the text's end; backward: before it, or 0.
class NearestEnd {
 public:
  NearestEnd(std::string_view text, size_t from, bool forward)
      : text_(text), from_(from), forward_(forward) {}

  size_t Of(uint8_t mask) {
    if (mask == 3) {
      const size_t dot = Of(1);
      if (known_[1]) return forward_ ? std::min(dot, at_[1]) : std::max(dot, at_[1]);
      if (!either_known_) {
        either_ = Search(';', dot);
        either_known_ = true;
      }
      return either_;
    }
    const int k = mask == 1 ? 0 : 1;
    if (!known_[k]) {
      at_[k] = Search(k == 0 ? '.' : ';', forward_ ? text_.size() : 0);
      known_[k] = true;
    }
    return at_[k];
  }

 private:
  // The nearest c between from_ and `limit`, else `limit`.
  size_t Search(char c, size_t limit) const {
    if (forward_) {
      if (from_ >= limit) return limit;
      const void* p = std::memchr(text_.data() + from_, c, limit - from_);
      return p == nullptr ? limit : static_cast<const char*>(p) - text_.data();
    }
    if (limit >= from_) return limit;
    const std::ptrdiff_t last = LastOf(text_.substr(limit), from_ - limit, c);
    return last < 0 ? limit : limit + static_cast<size_t>(last);
  }

  std::string_view text_;
  size_t from_;
  bool forward_;
  size_t at_[2] = {0, 0};
  bool known_[2] = {false, false};
  size_t either_ = 0;
  bool either_known_ = false;
};

}  // namespace

// Each pattern's bound is the nearest of its ways (each holds on its own);
// the window needs the farthest of these over the patterns. A non-space
// walk is taken only for a pattern whose other ways reach past the window
// found so far (the nearest of its ways can then matter).
size_t ScreenWindow::Farthest(std::string_view text, size_t from, bool forward) const {
  NearestEnd ends(text, from, forward);
  NonSpaceWalk walk(text, from, forward);  // queried by growing k (bounds_'s order)
  const size_t n = text.size();
  size_t far = from;
  for (const Bound& b : bounds_) {
    if (forward) {
      size_t e = n;
      if (b.width > 0) e = std::min(e, from + b.width + 6);  // with Find's +2: 8 past
      if (b.stops != 0) e = std::min(e, ends.Of(b.stops));
      if (b.lasts != 0) e = std::min(e, ends.Of(b.lasts) + 1);
      if (b.nonspace > 0 && e > far) e = walk.Reach(b.nonspace, e);
      far = std::max(far, e);
    } else {
      size_t s = 0;
      if (b.width > 0) s = from >= 8 + size_t{b.width} ? from - 8 - b.width : 0;
      if (b.stops != 0) s = std::max(s, ends.Of(b.stops));
      if (b.lasts != 0) s = std::max(s, ends.Of(b.lasts));
      if (b.nonspace > 0 && s < far) s = walk.Reach(b.nonspace, s);
      far = std::min(far, s);
    }
  }
  return far;
}

bool ScreenWindow::Find(std::string_view text, size_t prefix, size_t suffix, size_t* begin,
                        size_t* end) const {
  if (!on_ || prefix + suffix > text.size()) return false;
  const size_t n = text.size();
  // The zone: every new match holds a byte of it (or, empty, sits in it).
  const size_t zone_begin = prefix >= 4 ? prefix - 4 : 0;
  const size_t zone_end = std::min(n - suffix + 4, n);
  *begin = CharStart(text, Farthest(text, zone_begin, /*forward=*/false));
  *end = CharBoundary(text, std::min(Farthest(text, zone_end, /*forward=*/true) + 2, n));
  return true;
}

}  // namespace suggest::internal
