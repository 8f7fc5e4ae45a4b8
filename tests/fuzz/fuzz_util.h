// Copyright libsuggest authors.
//
// Shared by the libFuzzer harnesses: a failed invariant aborts (libFuzzer
// records the input as a crash), and a reference UTF-8 decoder written
// independently of libsuggest/src/text/utf8.cc, so the harnesses check the
// library against a second opinion rather than against itself.

#ifndef LIBSUGGEST_TESTS_FUZZ_FUZZ_UTIL_H_
#define LIBSUGGEST_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

// Not assert(): it must stay on in every build type.
#define FUZZ_CHECK(cond, ...)                                                             \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n  ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                                  \
      std::fputc('\n', stderr);                                                           \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

// For the harnesses' own checking code: without coverage callbacks it runs
// several times faster, and its branches are no news to the fuzzer anyway.
#define FUZZ_NO_COVERAGE __attribute__((no_sanitize("coverage")))

namespace fuzz {

// Length of the strict (RFC 3629) UTF-8 sequence starting at s[i], or 0 if
// none starts there: no overlongs, no surrogates, nothing above U+10FFFF.
FUZZ_NO_COVERAGE inline size_t RefSeqLen(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const size_t avail = s.size() - i;
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (avail < n) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((p[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[k] & 0x3F);
  }
  if (n == 3 && cp < 0x800) return 0;
  if (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return n;
}

// What the library promises about one input, decoded with the repair rule
// (a byte that starts no valid sequence is one unit on its own).
struct RefUtf8 {
  size_t first_bad = static_cast<size_t>(-1);  // -1: valid
  uint32_t bad_bytes = 0;
  std::vector<bool> boundary;    // [0, size]: a unit starts (or the text ends) here
  std::vector<uint32_t> cp_at;   // [0, size]: code points before byte i (at boundaries)
  std::vector<uint32_t> u16_at;  // [0, size]: UTF-16 units before byte i (at boundaries)
  bool valid() const { return first_bad == static_cast<size_t>(-1); }
};

FUZZ_NO_COVERAGE inline RefUtf8 DecodeRef(std::string_view s) {
  RefUtf8 r;
  r.boundary.assign(s.size() + 1, false);
  r.cp_at.assign(s.size() + 1, 0);
  r.u16_at.assign(s.size() + 1, 0);
  uint32_t cp = 0, u16 = 0;
  size_t i = 0;
  while (i < s.size()) {
    r.boundary[i] = true;
    r.cp_at[i] = cp;
    r.u16_at[i] = u16;
    size_t n = RefSeqLen(s, i);
    if (n == 0) {
      if (r.valid()) r.first_bad = i;
      ++r.bad_bytes;
      n = 1;
    }
    // Inside a sequence the counts are those of its start (not a boundary).
    for (size_t k = 1; k < n; ++k) {
      r.cp_at[i + k] = cp;
      r.u16_at[i + k] = u16;
    }
    cp += 1;
    u16 += (n == 4) ? 2 : 1;
    i += n;
  }
  r.boundary[s.size()] = true;
  r.cp_at[s.size()] = cp;
  r.u16_at[s.size()] = u16;
  return r;
}

FUZZ_NO_COVERAGE inline bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = RefSeqLen(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace fuzz

#endif  // LIBSUGGEST_TESTS_FUZZ_FUZZ_UTIL_H_
