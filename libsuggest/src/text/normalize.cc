// Copyright libsuggest authors.
#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unicode/uvernum.h>

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include "text/markup.h"
#include "text/utf8_repair.h"
#include "util/byte_scan.h"
#include "util/utf8.h"

namespace suggest::internal {
namespace {

constexpr uint64_t kMaxNoteBytes = std::numeric_limits<uint32_t>::max();
// ICU takes int32 lengths; pieces of a few MiB also keep icu::Edits small.
constexpr size_t kMaxIcuPiece = size_t{4} << 20;
// Non-ASCII runs closer than this share one ICU call (saves per-call setup).
constexpr size_t kMergeGap = 64;

// Word-at-a-time helpers: util/byte_scan.h.
using scan::kOnes;
using scan::Load8;
constexpr uint64_t kHighBits = scan::kHigh;

size_t SkipAscii(std::string_view s, size_t i) {
  const size_t n = s.size();
  while (i + 8 <= n && (Load8(s.data() + i) & kHighBits) == 0) i += 8;
  while (i < n && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

size_t SkipNonAscii(std::string_view s, size_t i, size_t limit) {
  while (i < limit && static_cast<unsigned char>(s[i]) >= 0x80) ++i;
  return i;
}

// ASCII NFKC_Casefold: only A-Z change (checked against ICU in the tests).
inline char LowerAscii(char c) {
  const auto u = static_cast<unsigned char>(c);
  return static_cast<char>(u + (static_cast<unsigned>(u - 'A') < 26u ? 32 : 0));
}

// Eight ASCII bytes at once (no byte may have its high bit set): adds 0x20
// to A-Z and, if `tabs`, turns tab into space. No sums carry across bytes
// because every byte is < 0x80.
inline uint64_t LowerAscii8(uint64_t w, bool tabs) {
  const uint64_t ge_a = (w + kOnes * (0x80 - 'A')) & kHighBits;
  const uint64_t gt_z = (w + kOnes * (0x80 - 'Z' - 1)) & kHighBits;
  w |= (ge_a & ~gt_z) >> 2;  // 0x80 >> 2 == 0x20
  if (tabs) {
    const uint64_t x = w ^ (kOnes * '\t');
    const uint64_t is_tab = ~(((x & ~kHighBits) + ~kHighBits) | x) & kHighBits;
    w ^= (is_tab >> 7) * ('\t' ^ ' ');
  }
  return w;
}

// Folds n ASCII bytes from in to out (may be the same buffer).
void LowerAsciiInto(const char* in, size_t n, char* out, bool tabs) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint64_t w = LowerAscii8(Load8(in + i), tabs);
    std::memcpy(out + i, &w, 8);
  }
  for (; i < n; ++i) {
    const char c = LowerAscii(in[i]);
    out[i] = tabs && c == '\t' ? ' ' : c;
  }
}

// Whole-note ASCII path: case folding plus the ASCII part of unification in
// one pass, in place. The map stays identity unless there is a CRLF (2 -> 1).
void NormalizeAscii(std::string_view s, NormalizedText* r) {
  const size_t n = s.size();
  r->text.assign(s);
  char* t = r->text.data();
  const char* cr = static_cast<const char*>(std::memchr(t, '\r', n));
  if (cr == nullptr) {
    LowerAsciiInto(t, n, t, /*tabs=*/true);
    r->map = OffsetMap::Identity(static_cast<uint32_t>(n));
    return;
  }
  size_t crs = 0;  // sizes the map up front: notes with CRLF have millions
  for (const char* p = cr; p != nullptr;
       p = static_cast<const char*>(std::memchr(p + 1, '\r', t + n - p - 1))) {
    ++crs;
  }
  r->map.Reserve(2 * crs + 1);
  size_t w = 0;    // bytes written (compaction never overtakes reading)
  size_t run = 0;  // start of the pending unchanged original run
  size_t i = 0;
  while (i < n) {
    const void* next = std::memchr(t + i, '\r', n - i);
    const size_t stop = next ? static_cast<const char*>(next) - t : n;
    LowerAsciiInto(t + i, stop - i, t + w, /*tabs=*/true);
    w += stop - i;
    i = stop;
    if (i == n) break;
    t[w++] = '\n';
    if (i + 1 < n && t[i + 1] == '\n') {
      r->map.AppendUnchanged(static_cast<uint32_t>(i - run));
      r->map.AppendChange(2, 1);
      i += 2;
      run = i;
    } else {
      ++i;  // lone CR -> LF is 1 -> 1, part of the unchanged run
    }
  }
  r->map.AppendUnchanged(static_cast<uint32_t>(n - run));
  r->text.resize(w);
}

// Replacement for a non-ASCII code point of NFKC_Casefold output, or 0.
char Unified(UChar32 c) {
  switch (c) {
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
      return '-';
    case 0x2018: case 0x2019:
      return '\'';
    case 0x201C: case 0x201D:
      return '"';
    default:
      break;
  }
  return u_charType(c) == U_SPACE_SEPARATOR ? ' ' : 0;
}

// True if the 8 bytes at p hold a tab, a CR or a non-ASCII byte.
inline bool NeedsUnify(const char* p) {
  const uint64_t w = Load8(p);
  return ((w & kHighBits) | scan::HasByte(w, '\t') | scan::HasByte(w, '\r')) != 0;
}

// Second pass over valid NFKC_Casefold output, in place: every replacement
// is at most as long as what it replaces, so writing never overtakes
// reading, and a 50 MB note needs no second buffer.
void UnifyInPlace(std::string* text, OffsetMap* map) {
  char* t = text->data();
  const size_t n = text->size();
  size_t w = 0;    // bytes written
  size_t run = 0;  // start of the pending unchanged run
  size_t i = 0;
  auto keep_run = [&] {
    const size_t len = i - run;
    if (w != run) std::memmove(t + w, t + run, len);
    w += len;
    map->AppendUnchanged(static_cast<uint32_t>(len));
  };
  auto replace = [&](size_t len, char c) {
    keep_run();
    t[w++] = c;
    map->AppendChange(static_cast<uint32_t>(len), 1);
    i += len;
    run = i;
  };
  while (i < n) {
    if (i + 8 <= n && !NeedsUnify(t + i)) {
      i += 8;
      continue;
    }
    const auto b = static_cast<unsigned char>(t[i]);
    if (b < 0x80) {
      if (b == '\t') {
        replace(1, ' ');
      } else if (b == '\r') {
        replace(i + 1 < n && t[i + 1] == '\n' ? 2 : 1, '\n');
      } else {
        ++i;
      }
      continue;
    }
    size_t j = i;
    UChar32 c;
    U8_NEXT_UNSAFE(t, j, c);
    const char rep = Unified(c);
    if (rep != 0) {
      replace(j - i, rep);
    } else {
      i = j;
    }
  }
  keep_run();
  text->resize(w);
}

// Splicing (Normalizer::Splice). Why Normalize(a + b) is Normalize(a)
// followed by Normalize(b) - the texts concatenated, the maps appended with
// the builders (unchanged chunks merge at the join), replaced_bytes added -
// when a cut p between a and b is safe: the two bytes on each side of p are
// ASCII and the byte before p is not CR. Each step of Run is local there:
//   - UTF-8 repair: whether a byte starts a valid sequence is read from it
//     and its continuation bytes; a sequence never holds an ASCII byte, so
//     none crosses p, and a bad byte is one replacement on either side.
//   - NFKC_Casefold (Fold): every ASCII character has a normalization
//     boundary before it (Fold cuts its ICU pieces there already), so ICU's
//     output and its edits for a piece split at p are those of the whole
//     piece: a change edit is one segment between boundaries ("B" U+00AD is
//     one 3 -> 1 edit because U+00AD has no boundary before it), and the
//     ASCII bytes at p-1 and p are segments of their own, their neighbours
//     being ASCII too. Whether a byte goes through ICU or the ASCII path
//     does not change the answer (NormalizeWithIcuOnly, tested).
//   - Unification reads one character at a time, looking one byte ahead
//     only after a CR (CRLF -> LF, 2 -> 1): no CR before p.
//   - The maps are composed with OffsetMap::Then, which groups only change
//     chunks that overlap; at p every map has a chunk border with no
//     deletion or insertion beside it (p's neighbours are ASCII bytes, which
//     are never deleted), so no group crosses p.
// 0 and the end of a text are always safe. ICU pieces of the whole text are
// cut at a character with a boundary before it, or, after half a piece
// (2 MiB) without one, anywhere; a window of at most 1 MiB between safe
// cuts (which are boundaries) cannot hold such a cut.
constexpr size_t kMaxSpliceWindow = size_t{1} << 20;
// Larger notes are normalized whole: below this size neither the repaired
// nor the normalized text can reach the 32-bit limit that Run checks (each
// bad byte grows to three bytes, NFKC_Casefold at most ~11-fold), so Splice
// never has to reproduce its "note_too_large" error.
constexpr size_t kMaxSpliceNote = size_t{128} << 20;

inline bool IsAsciiByte(char c) { return static_cast<unsigned char>(c) < 0x80; }

// See above. Reads s[p-2, p+2) only.
bool SafeCut(std::string_view s, size_t p) {
  const size_t n = s.size();
  if (p == 0 || p >= n) return p <= n;
  if (!IsAsciiByte(s[p - 1]) || !IsAsciiByte(s[p]) || s[p - 1] == '\r') return false;
  return (p < 2 || IsAsciiByte(s[p - 2])) && (p + 1 >= n || IsAsciiByte(s[p + 1]));
}

Status TooLarge(uint64_t size, const char* what) {
  return InvalidArgument(std::string(what) + " is " + std::to_string(size) +
                             " bytes; the limit is 4294967295",
                         "note_too_large");
}

}  // namespace

std::string_view Normalizer::Version() {
  // "markup 1": the markup pass (text/markup.h) changes the view too.
  return "ICU " U_ICU_VERSION ", Unicode " U_UNICODE_VERSION ", markup 1";
}

StatusOr<std::shared_ptr<const Normalizer>> Normalizer::Create() {
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* icu = icu::Normalizer2::getNFKCCasefoldInstance(ec);
  if (U_FAILURE(ec) || icu == nullptr) {
    return Internal(std::string("cannot load ICU NFKC_Casefold data: ") +
                    u_errorName(ec));
  }
  std::shared_ptr<Normalizer> n(new Normalizer());
  n->icu_ = icu;
  return std::shared_ptr<const Normalizer>(std::move(n));
}

std::shared_ptr<const Normalizer> Normalizer::WithLayout(LayoutRules rules) const {
  std::shared_ptr<Normalizer> n(new Normalizer());
  n->icu_ = icu_;
  if (rules.active()) n->layout_ = std::make_shared<const LayoutRules>(std::move(rules));
  return n;
}

bool Normalizer::LayoutMayApply(std::string_view text) const {
  return (layout_ != nullptr && internal::LayoutMayApply(*layout_, text)) ||
         MarkupMayApply(text);
}

StatusOr<NormalizedText> Normalizer::Normalize(std::string_view original,
                                               InvalidUtf8Policy policy) const {
  return Run(original, policy, /*fast=*/true);
}

bool Normalizer::Splice(std::string_view earlier_text, std::string_view text, size_t prefix,
                        size_t suffix, InvalidUtf8Policy policy, NormalizedText* earlier,
                        SpliceKept* kept) const {
  const size_t old_n = earlier_text.size(), n = text.size();
  if (n == 0 || n > kMaxSpliceNote || old_n > kMaxSpliceNote ||
      earlier->map.original_size() != old_n || prefix + suffix > std::min(old_n, n))
    return false;
  // The layout pass reads whole lines and blocks of lines: not local to a
  // few bytes, so such a note is normalized whole.
  if (LayoutMayApply(text) || LayoutMayApply(earlier_text)) return false;
  // The left cut p: the last safe one at or before the edit whose bytes
  // read (p-2 .. p+1) are all in the shared prefix, so it is a safe cut of
  // both texts alike. p = 0 always is.
  size_t p = prefix >= 2 ? prefix - 2 : 0;
  const size_t p_floor = p > kMaxSpliceWindow ? p - kMaxSpliceWindow : 0;
  while (!SafeCut(text, p)) {
    if (p == p_floor) return false;
    --p;
  }
  // The right cut q of the earlier text (q_new of the new one), the same
  // way in the shared suffix; the end always is.
  size_t q = suffix >= 2 ? old_n - suffix + 2 : old_n;
  const size_t q_ceil = std::min(old_n, q + kMaxSpliceWindow);
  while (!SafeCut(earlier_text, q)) {
    if (q == q_ceil) return false;
    ++q;
  }
  const size_t q_new = n - (old_n - q);
  if (q_new - p > kMaxSpliceWindow) return false;
  uint32_t norm_p = 0, norm_q = 0;
  if (!earlier->map.CutAt(static_cast<uint32_t>(p), &norm_p) ||
      !earlier->map.CutAt(static_cast<uint32_t>(q), &norm_q))
    return false;  // not expected at a safe cut; the whole note then
  StatusOr<NormalizedText> window = Run(text.substr(p, q_new - p), policy, /*fast=*/true);
  if (!window.ok()) return false;
  uint32_t replaced_before = 0;  // bad bytes of the earlier window
  if (earlier->replaced_bytes > 0) {
    std::string repaired;
    OffsetMap unused;
    replaced_before = static_cast<uint32_t>(
        RepairUtf8(earlier_text.substr(p, q - p), &repaired, &unused));
  }
  const size_t old_norm_n = earlier->text.size();
  earlier->map =
      earlier->map.Spliced(static_cast<uint32_t>(p), static_cast<uint32_t>(q), window->map);
  earlier->text.replace(norm_p, norm_q - norm_p, window->text);
  earlier->replaced_bytes = earlier->replaced_bytes - replaced_before + window->replaced_bytes;
  kept->prefix = norm_p;
  kept->suffix = old_norm_n - norm_q;
  return true;
}

StatusOr<NormalizedText> Normalizer::NormalizeWithIcuOnly(
    std::string_view original, InvalidUtf8Policy policy) const {
  return Run(original, policy, /*fast=*/false);
}

StatusOr<NormalizedText> Normalizer::Run(std::string_view original,
                                         InvalidUtf8Policy policy,
                                         bool fast) const {
  if (original.size() > kMaxNoteBytes) return TooLarge(original.size(), "note");
  NormalizedText r;
  if (original.empty()) return r;
  if (fast && SkipAscii(original, 0) == original.size()) {
    NormalizeAscii(original, &r);
    Layout(original, &r);
    return r;
  }

  std::string repaired;
  OffsetMap repair_map;
  std::string_view src = original;
  if (policy == InvalidUtf8Policy::kError) {
    Status st = ValidateUtf8(original);
    if (!st.ok()) return st;
  } else if (FindInvalidUtf8(original) != kNoError) {
    const size_t bad = RepairUtf8(original, &repaired, &repair_map);
    // Each bad byte grows to three; offsets must still fit 32 bits.
    if (repaired.size() > kMaxNoteBytes) {
      return TooLarge(repaired.size(), "repaired note");
    }
    r.replaced_bytes = static_cast<uint32_t>(bad);
    src = repaired;
  }

  std::string folded;
  OffsetMap fold_map;
  Status st = Fold(src, fast, &folded, &fold_map);
  if (!st.ok()) return st;
  repaired = std::string();  // free early: notes can be large
  OffsetMap unify_map;
  UnifyInPlace(&folded, &unify_map);
  r.text = std::move(folded);
  // Then() copies when one side is identity; moving skips the copy.
  OffsetMap map = repair_map.IsIdentity() ? std::move(fold_map)
                                          : repair_map.Then(fold_map);
  r.map = unify_map.IsIdentity() ? std::move(map) : map.Then(unify_map);
  Layout(original, &r);
  return r;
}

void Normalizer::Layout(std::string_view original, NormalizedText* r) const {
  // Markup first (text/markup.h): "t12&ndash;<br>l2" is a level broken at a
  // line end only once its characters are read.
  if (MarkupMayApply(r->text, original)) {
    OffsetMap markup_map;
    ApplyMarkup(original, r->map, &r->text, &markup_map);
    if (!markup_map.IsIdentity()) r->map = r->map.Then(markup_map);
  }
  if (layout_ == nullptr || !internal::LayoutMayApply(*layout_, r->text)) return;
  OffsetMap layout_map;
  std::vector<Span> blocks;
  ApplyLayout(*layout_, &r->text, &layout_map, &blocks);
  if (layout_map.IsIdentity()) return;
  for (const Span& b : blocks) r->furniture.push_back(r->map.ToOriginal(b.begin, b.end));
  r->map = r->map.Then(layout_map);
}

Status Normalizer::Fold(std::string_view s, bool fast, std::string* out,
                        OffsetMap* map) const {
  const size_t n = s.size();
  out->reserve(n + n / 16);
  size_t pos = 0;
  while (pos < n) {
    size_t start = pos, end;
    if (!fast) {
      end = PieceEnd(s, pos);
    } else {
      const size_t a = SkipAscii(s, pos);
      // The ASCII character before a non-ASCII run may compose with it
      // (e + U+0301), so it goes to ICU too; every ASCII character has a
      // normalization boundary before it, so cutting there is safe.
      start = a > pos ? a - 1 : a;
      const size_t ascii = (a == n ? n : start) - pos;
      const size_t old_size = out->size();
      out->resize(old_size + ascii);
      LowerAsciiInto(s.data() + pos, ascii, out->data() + old_size,
                     /*tabs=*/false);
      map->AppendUnchanged(static_cast<uint32_t>(ascii));
      if (a == n) break;
      end = a;
      while (true) {
        const size_t limit = std::min(n, start + kMaxIcuPiece);
        end = SkipNonAscii(s, end, limit);
        if (end == limit && end < n) {
          if (static_cast<unsigned char>(s[end]) >= 0x80) {
            end = PieceEnd(s, start);  // long non-ASCII run: cut inside
          }
          break;
        }
        if (end == n) break;
        const size_t next = SkipAscii(s, end);
        if (next == n || next - end > kMergeGap ||
            next - start >= kMaxIcuPiece) {
          break;
        }
        end = next;
      }
    }
    Status st = FoldWithIcu(s.substr(start, end - start), out, map);
    if (!st.ok()) return st;
    if (out->size() > kMaxNoteBytes) return TooLarge(out->size(), "normalized note");
    pos = end;
  }
  return Status::Ok();
}

Status Normalizer::FoldWithIcu(std::string_view s, std::string* out,
                               OffsetMap* map) const {
  const auto* icu = static_cast<const icu::Normalizer2*>(icu_);
  icu::StringByteSink<std::string> sink(out);
  icu::Edits edits;
  UErrorCode ec = U_ZERO_ERROR;
  icu->normalizeUTF8(0, icu::StringPiece(s.data(), static_cast<int32_t>(s.size())),
                     sink, &edits, ec);
  // Fine edits: one chunk per changed character, so a folded letter never
  // merges with its unchanged neighbours.
  icu::Edits::Iterator it = edits.getFineIterator();
  while (U_SUCCESS(ec) && it.next(ec)) {
    if (it.hasChange()) {
      map->AppendChange(static_cast<uint32_t>(it.oldLength()),
                        static_cast<uint32_t>(it.newLength()));
    } else {
      map->AppendUnchanged(static_cast<uint32_t>(it.oldLength()));
    }
  }
  if (U_FAILURE(ec)) {
    return Internal(std::string("ICU normalization failed: ") + u_errorName(ec));
  }
  return Status::Ok();
}

size_t Normalizer::PieceEnd(std::string_view s, size_t start) const {
  const size_t n = s.size();
  if (n - start <= kMaxIcuPiece) return n;
  const auto* icu = static_cast<const icu::Normalizer2*>(icu_);
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t limit = start + kMaxIcuPiece;
  size_t fallback = 0;
  for (size_t j = limit; j > start + kMaxIcuPiece / 2; --j) {
    if ((p[j] & 0xC0) == 0x80) continue;  // not a character start
    if (fallback == 0) fallback = j;
    int32_t k = 0;
    UChar32 c;
    U8_NEXT_UNSAFE(p + j, k, c);
    if (icu->hasBoundaryBefore(c)) return j;
  }
  // Half a piece without a boundary is not text anyone writes; cut at a
  // character start and accept that composition may differ there.
  return fallback;
}

}  // namespace suggest::internal
