// Copyright libsuggest authors.
//
// Fuzzes the record sources of `suggest batch` (JSONL and CSV, issue 19):
// whatever the bytes, reading ends, and nothing is lost or invented. The
// first input byte picks the format (bit 0: CSV) and whether a CSV "setting"
// column is named; the rest is the file, written to a scratch file that the
// source reads like any input.
// Invariants:
//   - Next() ends; Consumed() never passes Total() nor goes back;
//   - JSONL: one record (ok or error) per line that is not blank, in order;
//     an ok record's id and text are what nlohmann::json makes of the line
//     (a second opinion on the fast scanner and on the id rules);
//   - CSV without any quote character: one record (ok or error) per
//     non-empty line after the header.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "batch_input.h"
#include "fuzz_util.h"

namespace {

const std::string& ScratchPath() {
  static const std::string path =
      std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
      "/suggest-batch-input-fuzz." + std::to_string(getpid());
  return path;
}

bool Blank(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// The lines of `s` as the JSONL reader sees them ('\n' ends a line; a last
// line without one still counts).
std::vector<std::string_view> Lines(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const size_t nl = s.find('\n');
    out.push_back(s.substr(0, nl));
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

FUZZ_NO_COVERAGE void CheckJsonlRecord(std::string_view line, const suggest::tools::BatchRecord& r) {
  if (r.error) return;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!j.is_discarded() && j.is_object(), "an ok record from a line that is not a JSON object");
  FUZZ_CHECK(j.contains("text") && j.at("text").is_string() && j.at("text").get<std::string>() == r.text,
             "text differs from the JSON parser's");
  const auto& id = j.at("id");
  if (id.is_string()) {
    FUZZ_CHECK(id.get<std::string>() == r.id, "string id differs");
  } else if (id.is_number_unsigned()) {
    FUZZ_CHECK(std::to_string(id.get<uint64_t>()) == r.id, "integer id \"%s\" differs", r.id.c_str());
  } else if (id.is_number_integer()) {
    FUZZ_CHECK(std::to_string(id.get<int64_t>()) == r.id, "integer id \"%s\" differs", r.id.c_str());
  } else {
    // Beyond 64 bits nlohmann gives a double; the reader keeps the digits.
    FUZZ_CHECK(id.is_number_float() && !r.id.empty() &&
                   r.id.find_first_not_of("-0123456789") == std::string::npos,
               "id \"%s\" from a non-integer JSON id", r.id.c_str());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool csv = data[0] & 1;
  const bool setting_column = data[0] & 2;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  {
    FILE* f = std::fopen(ScratchPath().c_str(), "wb");
    FUZZ_CHECK(f != nullptr, "cannot write %s", ScratchPath().c_str());
    FUZZ_CHECK(std::fwrite(body.data(), 1, body.size(), f) == body.size(), "short write");
    std::fclose(f);
  }
  suggest::tools::InputSpec spec;
  spec.path = ScratchPath();
  spec.format = csv ? "csv" : "jsonl";
  if (!setting_column) spec.setting_column = "";
  std::string error;
  bool usage = false;
  auto src = suggest::tools::OpenRecordSource(spec, &error, &usage);
  if (!src) {
    FUZZ_CHECK(csv && !error.empty(), "JSONL open failed: %s", error.c_str());
    return 0;  // a CSV without the id/text columns: a usage error, fine
  }
  const std::vector<std::string_view> lines = Lines(body);
  std::vector<std::string_view> nonblank;
  for (std::string_view l : lines)
    if (!Blank(l)) nonblank.push_back(l);

  suggest::tools::BatchRecord rec;
  size_t n = 0;
  uint64_t consumed = 0;
  while (src->Next(&rec, /*skip=*/false)) {
    FUZZ_CHECK(n <= lines.size(), "more records (%zu) than lines (%zu)", n + 1, lines.size());
    FUZZ_CHECK(src->Consumed() >= consumed, "Consumed() went back");
    consumed = src->Consumed();
    if (src->Total() != 0) FUZZ_CHECK(consumed <= src->Total(), "Consumed() > Total()");
    if (!csv) {
      FUZZ_CHECK(n < nonblank.size(), "a JSONL record beyond the non-blank lines");
      CheckJsonlRecord(nonblank[n], rec);
    }
    ++n;
  }
  FUZZ_CHECK(!src->Failed(), "read error on a regular file");
  if (!csv) FUZZ_CHECK(n == nonblank.size(), "%zu JSONL records for %zu lines", n, nonblank.size());
  if (csv && body.find('"') == std::string_view::npos && !nonblank.empty()) {
    // The header is the first line (blank lines before it included).
    size_t rows = 0;
    bool header = true;
    for (std::string_view l : lines) {
      if (header) {
        header = false;
        continue;
      }
      if (!l.empty() && l != "\r") ++rows;  // only an empty line is blank in CSV
    }
    FUZZ_CHECK(n == rows, "%zu CSV records for %zu rows", n, rows);
  }
  return 0;
}
