// Copyright libsuggest authors.
//
// Fuzzes suggest::Session with random edit scripts and compares it with
// Model::Analyze (issue 16). The input is a script:
//   byte 0       options: bits 0-1 offset unit (0/3 bytes, 1 UTF-16,
//                2 code points), bit 2 invalid UTF-8 repaired (else an
//                error), bit 3 text layer off, bits 4-7 max note size
//                (0 = default, else 16 * value bytes);
//   then ops     [flags][begin][end][len][len bytes of replacement]:
//                begin/end are unit offsets (modulo the text's length + 3, so
//                some fall past the end); flags bit 0 asks for a check after
//                the op, bits 1-2 = 3 swap begin and end.
// Invariants: an edit that fails leaves the text as it was, and fails only
// for the documented kinds; an edit that succeeds changes the text exactly as
// a splice of the converted byte offsets; Result() is byte for byte the JSON
// of Analyze(Text()) (or the same error); Changes() is a JSON object with
// the four lists.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "suggest/suggest.h"

namespace {

const suggest::Model& TheModel() {
  static const suggest::Model* model = [] {
    auto m = suggest::Model::Load(SUGGEST_MODELS_DIR);
    FUZZ_CHECK(m.ok(), "%s", m.status().ToString().c_str());
    return new suggest::Model(*std::move(m));
  }();
  return *model;
}

std::string Json(const suggest::StatusOr<suggest::Result>& r, std::string_view text,
                 const suggest::AnalyzeOptions& o) {
  return r.ok() ? suggest::ResultToJson(*r, text, "f", o) : suggest::ErrorToJson("f", r.status());
}

// Units in `text` (reference decoder: a bad byte is one unit).
FUZZ_NO_COVERAGE size_t UnitLength(const fuzz::RefUtf8& ref, size_t bytes,
                                   suggest::OffsetUnit unit) {
  switch (unit) {
    case suggest::OffsetUnit::kUtf16:
      return ref.u16_at[bytes];
    case suggest::OffsetUnit::kCodePoints:
      return ref.cp_at[bytes];
    case suggest::OffsetUnit::kBytes:
      break;
  }
  return bytes;
}

// The byte offset of unit offset `u`, if one starts exactly there.
FUZZ_NO_COVERAGE std::optional<size_t> ByteOf(const fuzz::RefUtf8& ref, size_t size, size_t u,
                                              suggest::OffsetUnit unit) {
  for (size_t b = 0; b <= size; ++b)
    if (ref.boundary[b] && UnitLength(ref, b, unit) == u) return b;
  return std::nullopt;
}

void Check(suggest::Session& s, const suggest::AnalyzeOptions& o) {
  auto got = s.Result();
  auto want = TheModel().Analyze(s.Text(), o);
  FUZZ_CHECK(Json(got, s.Text(), o) == Json(want, s.Text(), o),
             "session result differs from Analyze (%s / %s)", got.status().ToString().c_str(),
             want.status().ToString().c_str());
  const auto c = nlohmann::json::parse(s.Changes(), nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(c.is_object() && c.size() == 4, "Changes() is not the four lists");
  for (const char* list : {"suggestions", "gaps", "not_coded", "facts"})
    FUZZ_CHECK(c.contains(list) && c[list].at("added").is_array() &&
                   c[list].at("removed").is_array(),
               "Changes(): %s", list);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TheModel();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  suggest::AnalyzeOptions o;
  const int unit = flags & 3;
  o.offset_unit = unit == 1   ? suggest::OffsetUnit::kUtf16
                  : unit == 2 ? suggest::OffsetUnit::kCodePoints
                              : suggest::OffsetUnit::kBytes;
  o.invalid_utf8 =
      flags & 4 ? suggest::InvalidUtf8Policy::kReplace : suggest::InvalidUtf8Policy::kError;
  o.include_text_layer = (flags & 8) == 0;
  if (flags >> 4) o.max_note_bytes = 16u * (flags >> 4);
  suggest::Session s(TheModel(), o);

  size_t i = 1;
  bool checked = false;
  while (i + 4 <= size) {
    const uint8_t op = data[i];
    const std::string before = s.Text();
    const fuzz::RefUtf8 ref = fuzz::DecodeRef(before);
    const size_t units = UnitLength(ref, before.size(), o.offset_unit);
    size_t begin = data[i + 1] % (units + 3), end = data[i + 2] % (units + 3);
    if (((op >> 1) & 3) != 3 && begin > end) std::swap(begin, end);
    const size_t len = std::min<size_t>(data[i + 3], size - (i + 4));
    const std::string_view with(reinterpret_cast<const char*>(data) + i + 4, len);
    i += 4 + len;

    const suggest::Status st = s.Edit(begin, end, with);
    const auto b = ByteOf(ref, before.size(), begin, o.offset_unit);
    const auto e = ByteOf(ref, before.size(), end, o.offset_unit);
    if (st.ok()) {
      FUZZ_CHECK(b && e && *b <= *e, "edit [%zu,%zu) accepted at no boundary", begin, end);
      std::string want = before;
      want.replace(*b, *e - *b, with);
      FUZZ_CHECK(s.Text() == want, "edit [%zu,%zu) spliced wrong", begin, end);
    } else {
      FUZZ_CHECK(s.Text() == before, "failed edit (%s) changed the text",
                 st.ToString().c_str());
      const std::string& k = st.kind();
      FUZZ_CHECK(k == "edit_out_of_range" || k == "edit_splits_character" ||
                     k == "invalid_utf8" || k == "note_too_large",
                 "edit error kind %s", k.c_str());
      if (begin <= end && b && e)
        FUZZ_CHECK(k == "invalid_utf8" || k == "note_too_large",
                   "good offsets [%zu,%zu) refused: %s", begin, end, st.ToString().c_str());
    }
    if (op & 1) {
      Check(s, o);
      checked = true;
    }
  }
  if (!checked) Check(s, o);
  return 0;
}
