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

bool IsLetter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

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
  std::vector<bool> common(128, true);  // stop bytes of every pattern bounded so
  bool by_stops = false;
  for (const RuleLocator::Reach& r : each) {
    if (r.width > 0 && r.width <= kMaxReach) {
      width_ = std::max(width_, r.width);
    } else if (r.nonspace > 0) {
      count_ = std::max(count_, r.nonspace);
    } else {
      bool any = false;
      for (int c = 0; c < 128; ++c) {
        common[c] = common[c] && c < static_cast<int>(r.stop.size()) && r.stop[c] && !IsLetter(c);
        any = any || common[c];
      }
      if (!any) return;  // a pattern bounded none of the ways, or by no common byte: off
      by_stops = true;
    }
  }
  if (by_stops) {
    // The sentence ends that are common stops, else any one of them: a subset
    // of the common stops bounds less tightly, never wrongly.
    for (char c : {'.', ';', '\n'})
      if (common[static_cast<unsigned char>(c)]) stops_ += c;
    for (int c = 0; c < 128 && stops_.empty(); ++c)
      if (common[c]) stops_ += static_cast<char>(c);
  }
  on_ = true;
}

namespace {

// The (k + 1)th byte outside \s from `from` (backward: before it; forward:
// at or after it), or the text's start or end. Eight bytes a step, counted
// by table; the step that passes k is read again byte by byte.
size_t NthNonSpace(std::string_view text, size_t from, uint32_t k, bool forward) {
  static const auto kNotSpace = [] {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = !IsSpace(static_cast<unsigned char>(c));
    return t;
  }();
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  uint32_t count = 0;
  size_t at = from;
  if (forward) {
    for (; at + 8 <= text.size(); at += 8) {
      uint32_t step = 0;
      for (int i = 0; i < 8; ++i) step += kNotSpace[p[at + i]];
      if (count + step > k) break;
      count += step;
    }
    for (; at < text.size(); ++at)
      if (kNotSpace[p[at]] && ++count > k) return at;
    return text.size();
  }
  for (; at >= 8; at -= 8) {
    uint32_t step = 0;
    for (int i = 1; i <= 8; ++i) step += kNotSpace[p[at - i]];
    if (count + step > k) break;
    count += step;
  }
  while (at > 0)
    if (kNotSpace[p[--at]] && ++count > k) return at;
  return 0;
}

}  // namespace

size_t ScreenWindow::Reach(std::string_view text, size_t from, bool forward) const {
  const size_t at = count_ > 0 ? NthNonSpace(text, from, count_, forward) : from;
  // The nearest stop byte from the zone, each of stops_ bounding every
  // pattern bounded by stops: the nearest one is the bound.
  size_t stop = from;
  for (size_t k = 0; k < stops_.size(); ++k) {
    size_t nearest;
    if (forward) {
      const void* p = from < text.size()
                          ? std::memchr(text.data() + from, stops_[k], text.size() - from)
                          : nullptr;
      nearest = p == nullptr ? text.size()
                             : static_cast<size_t>(static_cast<const char*>(p) - text.data());
    } else {
      const std::ptrdiff_t last = LastOf(text, from, stops_[k]);
      nearest = last < 0 ? 0 : static_cast<size_t>(last);
    }
    stop = k == 0 ? nearest : forward ? std::min(stop, nearest) : std::max(stop, nearest);
  }
  return forward ? std::max(at, stop) : std::min(at, stop);
}

bool ScreenWindow::Find(std::string_view text, size_t prefix, size_t suffix, size_t* begin,
                        size_t* end) const {
  if (!on_ || prefix + suffix > text.size()) return false;
  const size_t n = text.size();
  // The zone: every new match holds a byte of it (or, empty, sits in it).
  const size_t zone_begin = prefix >= 4 ? prefix - 4 : 0;
  const size_t zone_end = std::min(n - suffix + 4, n);
  const size_t b = std::min(zone_begin >= 8 + size_t{width_} ? zone_begin - 8 - width_ : 0,
                            Reach(text, zone_begin, /*forward=*/false));
  const size_t e = std::max(std::min(zone_end + 8 + size_t{width_}, n),
                            std::min(Reach(text, zone_end, /*forward=*/true) + 2, n));
  *begin = CharStart(text, b);
  *end = CharBoundary(text, e);
  return true;
}

}  // namespace suggest::internal
