// Copyright libsuggest authors.
#include "jsonl_record.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace suggest::tools {

namespace {

// Bytes a string body can copy as they are: printable ASCII but '"' and '\'.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7f; ++c) t[c] = c != '"' && c != '\\';
  return t;
}();

#ifndef __SSE2__
// True if one of the 8 bytes at p is not kPlain: a high byte, a control
// byte, DEL, '"' or '\\' (SWAR; a byte after a true one may read true too,
// which only ends the fast loop early).
inline bool HasSpecial(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  uint64_t w;
  std::memcpy(&w, p, 8);
  auto less = [&](uint64_t x, uint64_t c) { return (x - kOnes * c) & ~x & kHigh; };
  auto has = [&](uint64_t c) { return less(w ^ (kOnes * c), 1); };
  return ((w & kHigh) | less(w, 0x20) | has('"') | has('\\') | has(0x7f)) != 0;
}
#endif

// The length of the run of kPlain bytes that starts p[0..n): 16 bytes a
// step with SSE2 (part of every x86-64), else 8 (SWAR). The string bodies
// are most of a JSONL file's bytes, and a note's escapes (\n) are ~80 bytes
// apart: this loop was ~4 % of a fast-path `suggest batch` run at 8 bytes a
// step (docs/performance.md).
inline size_t PlainRun(const char* p, size_t n) {
  size_t i = 0;
#ifdef __SSE2__
  const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\'), del = _mm_set1_epi8(0x7f);
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Signed compare: bytes >= 0x80 are negative, so "< 0x20" takes them too.
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, quote)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, del)));
    const int mask = _mm_movemask_epi8(special);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#else
  while (i + 8 <= n && !HasSpecial(p + i)) i += 8;
#endif
  while (i < n && kPlain[static_cast<unsigned char>(p[i])]) ++i;
  return i;
}

// Length of the well-formed UTF-8 sequence (RFC 3629: no overlong form, no
// surrogate, nothing past U+10FFFF) that starts `s` with a byte >= 0x80, or
// 0 if there is none.
size_t Utf8Length(std::string_view s) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return k < s.size() && b(k) >= lo && b(k) <= hi;
  };
  const unsigned c = b(0);
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (i_ >= s_.size() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  bool AtEnd() {
    SkipSpace();
    return i_ == s_.size();
  }
  bool Peek(char c) {
    SkipSpace();
    return i_ < s_.size() && s_[i_] == c;
  }

  // A string after its opening quote, into *out.
  bool String(std::string* out) {
    std::string_view raw;
    if (!RawString(&raw)) return false;
    out->resize(raw.size());
    out->resize(DecodeSimpleJsonString(raw, out->data()));
    return true;
  }

  // A string after its opening quote, not decoded: *raw is its body as
  // written, every escape in it one of the simple ones String() takes.
  bool RawString(std::string_view* raw) {
    const size_t start = i_;
    for (;;) {
      i_ += PlainRun(s_.data() + i_, s_.size() - i_);
      if (i_ >= s_.size()) return false;
      if (static_cast<unsigned char>(s_[i_]) >= 0x80) {
        // Non-ASCII text is copied as it is, if it is well-formed UTF-8:
        // what nlohmann takes (and gives back unchanged); anything else it
        // refuses, and so the line goes to it for the error record.
        const size_t n = Utf8Length(s_.substr(i_));
        if (n == 0) return false;
        i_ += n;
        continue;
      }
      const char c = s_[i_++];
      if (c == '"') {
        *raw = s_.substr(start, i_ - 1 - start);
        return true;
      }
      if (c != '\\' || i_ >= s_.size()) return false;  // a control byte or DEL
      switch (s_[i_++]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          break;
        default: return false;  // \u and anything else: the full parser
      }
    }
  }

  // A JSON integer without exponent or fraction, at most 18 digits (so it
  // fits int64_t), into *out as written.
  bool Integer(std::string* out) {
    SkipSpace();
    const size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    const size_t digits = i_;
    const size_t n = Digits();
    if (n == 0 || n > 18 || (n > 1 && s_[digits] == '0')) return false;
    if (i_ < s_.size() && (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E')) return false;
    // "-0" is an integer 0 to nlohmann, printed "0".
    if (n == 1 && s_[digits] == '0') {
      *out = "0";
      return true;
    }
    out->assign(s_.data() + start, i_ - start);
    return true;
  }

  // Any other member's value, if it is a scalar the grammar allows: a
  // string (as above), a number, true, false or null.
  bool SkipScalar() {
    SkipSpace();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '"') {
      ++i_;
      std::string_view body;  // checked, not decoded: the value is not kept
      return RawString(&body);
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (s_.substr(i_, word.size()) == word) {
        i_ += word.size();
        return true;
      }
    }
    return Number();
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)? of at most 15 characters: a longer one, or
  // one with an exponent, might overflow a double, which nlohmann refuses.
  bool Number() {
    const size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    const size_t first = i_;
    const size_t n = Digits();
    if (n == 0 || (n > 1 && s_[first] == '0')) return false;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (Digits() == 0) return false;
    }
    // An exponent could overflow a double (nlohmann refuses 1e400): decline.
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) return false;
    return i_ - start <= 15;
  }

 private:
  // Skips a run of ASCII digits; returns its length.
  size_t Digits() {
    const size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ - start;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

size_t DecodeSimpleJsonString(std::string_view raw, char* dst) {
  size_t w = 0;
  for (size_t i = 0; i < raw.size();) {
    const void* esc = std::memchr(raw.data() + i, '\\', raw.size() - i);
    const size_t stop = esc ? static_cast<const char*>(esc) - raw.data() : raw.size();
    if (dst + w != raw.data() + i) std::memmove(dst + w, raw.data() + i, stop - i);
    w += stop - i;
    if (stop == raw.size()) break;
    char c = raw[stop + 1];  // the scanner checked: one of the simple escapes
    switch (c) {
      case 'b': c = '\b'; break;
      case 'f': c = '\f'; break;
      case 'n': c = '\n'; break;
      case 'r': c = '\r'; break;
      case 't': c = '\t'; break;
      default: break;  // '"', '\\', '/' stand for themselves
    }
    dst[w++] = c;
    i = stop + 2;
  }
  return w;
}

bool ScanSimpleJsonlRecord(std::string_view line, std::string* id, std::string* text,
                           std::optional<std::string>* setting) {
  std::string_view raw;
  if (!ScanSimpleJsonlRecordRaw(line, id, &raw, setting)) return false;
  // One allocation of the body's size, not a string grown piece by piece.
  text->resize(raw.size());
  text->resize(DecodeSimpleJsonString(raw, text->data()));
  return true;
}

bool ScanSimpleJsonlRecordRaw(std::string_view line, std::string* id, std::string_view* raw_text,
                              std::optional<std::string>* setting) {
  Scanner sc(line);
  if (!sc.Eat('{')) return false;
  if (setting) setting->reset();
  bool have_id = false, have_text = false, have_setting = false;
  std::string key;
  for (bool first = true; !sc.Eat('}'); first = false) {
    if (!first && !sc.Eat(',')) return false;
    if (!sc.Eat('"') || !sc.String(&key) || !sc.Eat(':')) return false;
    if (key == "id") {
      if (have_id) return false;  // nlohmann keeps the last: not worth copying
      have_id = true;
      if (sc.Peek('"')) {
        sc.Eat('"');
        if (!sc.String(id)) return false;
      } else if (!sc.Integer(id)) {
        return false;
      }
    } else if (key == "text") {
      if (have_text) return false;
      have_text = true;
      if (!sc.Eat('"') || !sc.RawString(raw_text)) return false;
    } else if (key == "setting") {
      // Only a string is a setting; anything else is an error record, which
      // the full parser writes.
      if (setting == nullptr || have_setting) return false;
      have_setting = true;
      if (!sc.Eat('"') || !sc.String(&setting->emplace())) return false;
    } else if (key == "date_of_service" || key == "patient_id" || key == "encounter_id") {
      return false;  // input fields: the full parser reads them
    } else if (!sc.SkipScalar()) {
      return false;
    }
  }
  return have_id && have_text && sc.AtEnd();
}

}  // namespace suggest::tools
