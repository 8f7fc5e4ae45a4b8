// Copyright libsuggest authors.
//
// Fuzzes the text layer's foundation: UTF-8 validation and repair, the
// normalizer under both invalid-UTF-8 policies, the offset map it returns,
// the tokenizer's spans and the unit converter (docs/offsets.md). Every
// check compares with fuzz_util.h's independent decoder or with a second
// path through the library (ICU-only normalization, repair-then-normalize).

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "text/normalize.h"
#include "text/offset_map.h"
#include "text/tokenizer.h"
#include "text/utf8_repair.h"
#include "util/offset_units.h"
#include "util/utf8.h"

using suggest::InvalidUtf8Policy;
using suggest::OffsetUnit;
using suggest::Span;
using suggest::StatusCode;
using suggest::internal::FindInvalidUtf8;
using suggest::internal::kNoError;
using suggest::internal::NormalizedText;
using suggest::internal::Normalizer;
using suggest::internal::OffsetConverter;
using suggest::internal::OffsetMap;

namespace {

const Normalizer& GetNormalizer() {
  static const std::shared_ptr<const Normalizer> n = [] {
    auto created = Normalizer::Create();
    FUZZ_CHECK(created.ok(), "%s", created.status().ToString().c_str());
    return *created;
  }();
  return *n;
}

// Every invariant of a map from `norm` back to `orig` (offset_map.h). Map
// queries are what this harness spends its time on, so texts of more than
// 96 code points are checked at a sample of them (both ends, and evenly in
// between): the fuzzer gains more from more inputs than from every position.
FUZZ_NO_COVERAGE void CheckMap(const OffsetMap& map, std::string_view norm, std::string_view orig,
                               const fuzz::RefUtf8& ref) {
  const uint32_t n = static_cast<uint32_t>(norm.size());
  const uint32_t len = static_cast<uint32_t>(orig.size());
  FUZZ_CHECK(map.original_size() == len, "%u vs %u", map.original_size(), len);
  FUZZ_CHECK(map.normalized_size() == n, "%u vs %u", map.normalized_size(), n);
  FUZZ_CHECK(map.IsBoundary(0) && map.IsBoundary(n), "ends must be boundaries");
  FUZZ_CHECK(map.ToOriginalBegin(n) == len, "end maps to %u, not %u", map.ToOriginalBegin(n), len);

  // Normalized code-point starts (norm is valid UTF-8), sampled.
  std::vector<uint32_t> all;
  for (uint32_t p = 0; p < n;) {
    const size_t l = fuzz::RefSeqLen(norm, p);
    FUZZ_CHECK(l > 0, "normalized text invalid at %u", p);
    all.push_back(p);
    p += static_cast<uint32_t>(l);
  }
  const size_t stride = all.size() <= 96 ? 1 : all.size() / 64;
  std::vector<uint32_t> cps;  // sampled starts that are map boundaries, then n
  for (size_t i = 0; i < all.size(); ++i) {
    if ((i < 16 || i + 16 >= all.size() || i % stride == 0) && map.IsBoundary(all[i]))
      cps.push_back(all[i]);
  }
  cps.push_back(n);

  // The span of one normalized byte: in bounds.
  const auto unit = [&](uint32_t b) {
    const Span s = map.ToOriginal(b, b + 1);
    FUZZ_CHECK(s.begin <= s.end && s.end <= len, "byte %u maps to [%u,%u) of %u", b, s.begin, s.end,
               len);
    return s;
  };
  // At each boundary: ToOriginalBegin is monotone, on an original code-point
  // boundary, and ranges between boundaries follow the mapping rule
  //   ToOriginal(b, e) = [start of b's chunk, end of (e-1)'s chunk).
  uint32_t prev = 0;
  Span prev_unit{0, 0};
  for (size_t i = 0; i < cps.size(); ++i) {
    const uint32_t b = cps[i];
    const uint32_t ob = map.ToOriginalBegin(b);
    FUZZ_CHECK(ob <= len && ob >= prev, "ToOriginalBegin(%u) = %u (previous %u, size %u)", b, ob,
               prev, len);
    prev = ob;
    FUZZ_CHECK(ref.boundary[ob], "boundary %u maps inside an original character (%u)", b, ob);
    const Span empty = map.ToOriginal(b, b);
    FUZZ_CHECK(empty.begin == ob && empty.end == ob, "empty range %u maps to [%u,%u)", b,
               empty.begin, empty.end);
    if (b == n) break;
    const Span first = unit(b);
    FUZZ_CHECK(first.begin == ob, "ToOriginalBegin(%u) = %u, span begins at %u", b, ob,
               first.begin);
    FUZZ_CHECK(first.begin >= prev_unit.begin && first.end >= prev_unit.end,
               "byte spans not monotone at %u", b);
    prev_unit = first;
    for (size_t j : {i + 1, i == 0 ? cps.size() - 1 : 0}) {
      if (j <= i || j >= cps.size()) continue;
      const uint32_t e = cps[j];
      const Span s = map.ToOriginal(b, e);
      const Span last = unit(e - 1);
      FUZZ_CHECK(ref.boundary[s.begin] && ref.boundary[s.end],
                 "[%u,%u) -> [%u,%u) cuts an original character", b, e, s.begin, s.end);
      FUZZ_CHECK(s.begin == first.begin && s.end == last.end,
                 "[%u,%u) -> [%u,%u), expected [%u,%u)", b, e, s.begin, s.end, first.begin,
                 last.end);
    }
  }
}

// Original offsets converted to UTF-16 / code points (docs/offsets.md). Each
// Convert() decodes up to one 64-byte block, so long inputs are sampled:
// around every block edge (where a sequence may straddle) and every 17th byte.
FUZZ_NO_COVERAGE void CheckUnits(std::string_view orig, const fuzz::RefUtf8& ref) {
  const OffsetConverter conv(orig);
  const bool all = orig.size() <= 128;
  for (uint32_t b = 0; b <= orig.size(); ++b) {
    if (!ref.boundary[b]) continue;
    if (!all && ((b + 4) & 63) >= 8 && b % 17 != 0 && b != orig.size()) continue;
    const uint32_t u16 = conv.Convert(b, OffsetUnit::kUtf16);
    const uint32_t cp = conv.Convert(b, OffsetUnit::kCodePoints);
    FUZZ_CHECK(u16 == ref.u16_at[b] && cp == ref.cp_at[b],
               "offset %u: utf16 %u (want %u), codepoints %u (want %u)", b, u16, ref.u16_at[b], cp,
               ref.cp_at[b]);
    FUZZ_CHECK(conv.Convert(b, OffsetUnit::kBytes) == b, "bytes must be identity");
  }
}

// Tokens: in bounds, ordered, on boundaries, and (docs/offsets.md) their
// original span normalized again gives the token's normalized text. That
// re-normalization is sampled (8 tokens) so each input stays fast.
FUZZ_NO_COVERAGE void CheckTokens(const NormalizedText& nt, std::string_view orig,
                                  const fuzz::RefUtf8& ref, InvalidUtf8Policy policy) {
  const auto tokens = suggest::internal::Tokenize(nt);
  const size_t step = tokens.size() / 8 + 1;
  uint32_t prev_end = 0, prev_norm_end = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    FUZZ_CHECK(t.span.begin < t.span.end || t.norm_begin < t.norm_end, "empty token %zu", i);
    FUZZ_CHECK(t.span.begin <= t.span.end && t.span.end <= orig.size(), "token %zu [%u,%u)", i,
               t.span.begin, t.span.end);
    FUZZ_CHECK(t.norm_begin <= t.norm_end && t.norm_end <= nt.text.size(), "token %zu norm", i);
    FUZZ_CHECK(t.span.begin >= prev_end && t.norm_begin >= prev_norm_end,
               "token %zu overlaps the previous one", i);
    prev_end = t.span.end;
    prev_norm_end = t.norm_end;
    FUZZ_CHECK(ref.boundary[t.span.begin] && ref.boundary[t.span.end],
               "token %zu [%u,%u) cuts a character", i, t.span.begin, t.span.end);
    FUZZ_CHECK(nt.map.IsBoundary(t.norm_begin) && nt.map.IsBoundary(t.norm_end),
               "token %zu cuts a change chunk", i);
    const Span s = nt.map.ToOriginal(t.norm_begin, t.norm_end);
    FUZZ_CHECK(s == t.span, "token %zu span [%u,%u) != map [%u,%u)", i, t.span.begin, t.span.end,
               s.begin, s.end);
    if (i % step != 0) continue;
    auto again = GetNormalizer().Normalize(orig.substr(t.span.begin, t.span.size()), policy);
    FUZZ_CHECK(again.ok(), "token %zu: %s", i, again.status().ToString().c_str());
    const std::string_view want(nt.text.data() + t.norm_begin, t.norm_end - t.norm_begin);
    FUZZ_CHECK(again->text == want, "token %zu [%u,%u) renormalizes to %zu bytes, not %zu", i,
               t.span.begin, t.span.end, again->text.size(), want.size());
  }
}

FUZZ_NO_COVERAGE void CheckNormalized(const NormalizedText& nt, std::string_view orig,
                                      const fuzz::RefUtf8& ref) {
  FUZZ_CHECK(fuzz::IsValidUtf8(nt.text), "normalized text is not valid UTF-8");
  FUZZ_CHECK(nt.replaced_bytes == ref.bad_bytes, "replaced %u bytes, expected %u",
             nt.replaced_bytes, ref.bad_bytes);
  CheckMap(nt.map, nt.text, orig, ref);
}

FUZZ_NO_COVERAGE void CheckSameResult(const NormalizedText& a, const NormalizedText& b,
                                      const char* what) {
  FUZZ_CHECK(a.text == b.text, "%s: texts differ (%zu vs %zu bytes)", what, a.text.size(),
             b.text.size());
  FUZZ_CHECK(a.map == b.map, "%s: maps differ", what);
  FUZZ_CHECK(a.replaced_bytes == b.replaced_bytes, "%s: replaced_bytes differ", what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const Normalizer& normalizer = GetNormalizer();
  const fuzz::RefUtf8 ref = fuzz::DecodeRef(in);

  // Validator and sequence decoder agree with the reference.
  const size_t bad = FindInvalidUtf8(in);
  FUZZ_CHECK(bad == (ref.valid() ? kNoError : ref.first_bad), "first bad byte %zu vs %zu", bad,
             ref.first_bad);
  const suggest::Status v = suggest::internal::ValidateUtf8(in);
  FUZZ_CHECK(v.ok() == ref.valid(), "ValidateUtf8: %s", v.ToString().c_str());
  if (!v.ok()) {
    FUZZ_CHECK(v.kind() == "invalid_utf8" && v.offset() == static_cast<int64_t>(ref.first_bad),
               "ValidateUtf8 kind %s offset %lld", v.kind().c_str(),
               static_cast<long long>(v.offset()));
  }
  for (size_t i = 0; i < size; ++i) {
    const size_t l = suggest::internal::Utf8SequenceLength(data + i, size - i);
    FUZZ_CHECK(l == fuzz::RefSeqLen(in, i), "sequence length at %zu: %zu vs %zu", i, l,
               fuzz::RefSeqLen(in, i));
  }

  // Repair alone.
  std::string repaired;
  OffsetMap repair_map;
  const size_t replaced = suggest::internal::RepairUtf8(in, &repaired, &repair_map);
  FUZZ_CHECK(replaced == ref.bad_bytes, "RepairUtf8 replaced %zu, expected %u", replaced,
             ref.bad_bytes);
  FUZZ_CHECK(fuzz::IsValidUtf8(repaired), "repaired text is not valid UTF-8");
  if (ref.valid()) {
    FUZZ_CHECK(repaired == in && repair_map.IsIdentity(), "valid input changed by repair");
  } else {
    CheckMap(repair_map, repaired, in, ref);
  }
  CheckUnits(in, ref);

  // Error policy: fails exactly on invalid input, at the first bad byte.
  auto strict = normalizer.Normalize(in, InvalidUtf8Policy::kError);
  if (!ref.valid()) {
    FUZZ_CHECK(!strict.ok(), "invalid UTF-8 accepted under kError");
    const suggest::Status& s = strict.status();
    FUZZ_CHECK(s.code() == StatusCode::kInvalidArgument && s.kind() == "invalid_utf8" &&
                   s.offset() == static_cast<int64_t>(ref.first_bad),
               "%s (kind %s, offset %lld, want %zu)", s.ToString().c_str(), s.kind().c_str(),
               static_cast<long long>(s.offset()), ref.first_bad);
  } else {
    FUZZ_CHECK(strict.ok(), "%s", strict.status().ToString().c_str());
  }

  // Repair policy: always succeeds; the fast path equals the ICU-only path,
  // and equals the error policy on valid input.
  auto lenient = normalizer.Normalize(in, InvalidUtf8Policy::kReplace);
  FUZZ_CHECK(lenient.ok(), "%s", lenient.status().ToString().c_str());
  CheckNormalized(*lenient, in, ref);
  auto icu = normalizer.NormalizeWithIcuOnly(in, InvalidUtf8Policy::kReplace);
  FUZZ_CHECK(icu.ok(), "%s", icu.status().ToString().c_str());
  CheckSameResult(*lenient, *icu, "fast vs ICU-only");
  if (ref.valid()) {
    CheckSameResult(*lenient, *strict, "kReplace vs kError on valid input");
  } else {
    // Repairing first and normalizing the result names the same text, and
    // composing the two maps answers like the combined one, byte by byte.
    auto two_step = normalizer.Normalize(repaired, InvalidUtf8Policy::kError);
    FUZZ_CHECK(two_step.ok(), "%s", two_step.status().ToString().c_str());
    FUZZ_CHECK(two_step->text == lenient->text, "repair-then-normalize differs");
    const OffsetMap composed = repair_map.Then(two_step->map);
    FUZZ_CHECK(
        composed.original_size() == size && composed.normalized_size() == two_step->text.size(),
        "composed map sizes");
    for (uint32_t b = 0; b < lenient->text.size(); ++b) {
      const Span x = composed.ToOriginal(b, b + 1), y = lenient->map.ToOriginal(b, b + 1);
      FUZZ_CHECK(x == y, "byte %u: composed [%u,%u) vs normalizer [%u,%u)", b, x.begin, x.end,
                 y.begin, y.end);
    }
  }
  CheckTokens(*lenient, in, ref, InvalidUtf8Policy::kReplace);
  return 0;
}
