// Copyright libsuggest authors.
#include "util/utf8.h"

#include <cstdint>
#include <cstring>

namespace suggest::internal {
namespace {

inline bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

}  // namespace

size_t Utf8SequenceLength(const unsigned char* p, size_t avail,
                          const char** reason) {
  const char* why = nullptr;
  const unsigned b0 = p[0];
  if (b0 < 0x80) return 1;
  size_t need = 0;
  // Bounds of the second byte; narrowed for the lead bytes where RFC 3629
  // forbids part of the continuation range (overlongs, surrogates, >10FFFF).
  unsigned lo = 0x80, hi = 0xBF;
  if (b0 < 0xC0) {
    why = "unexpected continuation byte";
  } else if (b0 < 0xC2) {
    why = "overlong encoding";
  } else if (b0 < 0xE0) {
    need = 2;
  } else if (b0 < 0xF0) {
    need = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 < 0xF5) {
    need = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    why = "invalid lead byte";
  }
  if (need != 0) {
    if (avail < 2) {
      why = "truncated sequence";
    } else if (p[1] < lo || p[1] > hi) {
      if (!IsContinuation(p[1])) {
        why = "truncated sequence";
      } else if (b0 == 0xED) {
        why = "surrogate code point";
      } else if (b0 == 0xF4) {
        why = "code point above U+10FFFF";
      } else {
        why = "overlong encoding";
      }
    } else {
      for (size_t k = 2; k < need; ++k) {
        if (avail <= k || !IsContinuation(p[k])) {
          why = "truncated sequence";
          break;
        }
      }
    }
  }
  if (why == nullptr) return need;
  if (reason != nullptr) *reason = why;
  return 0;
}

size_t FindInvalidUtf8(std::string_view s, std::string* reason) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (true) {
    i = SkipAscii(p, i, n);
    if (i >= n) return kNoError;
    const char* why = nullptr;
    const size_t len = Utf8SequenceLength(p + i, n - i, &why);
    if (len == 0) {
      if (reason != nullptr) *reason = why;
      return i;
    }
    i += len;
  }
}

Status ValidateUtf8(std::string_view s) {
  std::string reason;
  const size_t at = FindInvalidUtf8(s, &reason);
  if (at == kNoError) return Status::Ok();
  return InvalidArgument(
      "invalid UTF-8 at byte " + std::to_string(at) + ": " + reason,
      "invalid_utf8", static_cast<int64_t>(at));
}

}  // namespace suggest::internal
