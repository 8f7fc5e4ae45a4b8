// Copyright libsuggest authors.
#include "batch_output.h"

#include "interop_output.h"
#include "safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <spdlog/fmt/fmt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

namespace suggest::tools {

void AppendRfc4180Field(std::string* out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

namespace {

namespace fs = std::filesystem;

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF. A cell
// that a spreadsheet would run as a formula (starting with = + - @, TAB or
// CR: an id or a message from the input) gets a leading apostrophe, which
// spreadsheets show as text (OWASP "CSV injection"; issue 19 item 10).
void AppendCsvField(std::string* out, std::string_view v) {
  std::string guarded;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' ||
                     v[0] == '\r')) {
    guarded = "'" + std::string(v);
    v = guarded;
  }
  AppendRfc4180Field(out, v);
}

void AppendCsvRow(std::string* out, const std::vector<std::string_view>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out->push_back(',');
    AppendCsvField(out, fields[i]);
  }
  out->push_back('\n');
}

constexpr size_t kRankColumn = 5;

}  // namespace

const std::string& CsvHeader() {
  static const std::string h =
      "id,status,code,title,score,rank,rationale,evidence,error_kind,error_message,"
      "evidence_text\n";
  return h;
}

OutputFormat ChooseOutputFormat(const std::string& name, const std::string& output) {
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "fhir") return OutputFormat::kFhir;
  if (name == "omop") return OutputFormat::kOmop;
  if (name.empty() && output.size() >= 4 && output.compare(output.size() - 4, 4, ".csv") == 0)
    return OutputFormat::kCsv;
  return OutputFormat::kJsonl;
}

const char* OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kCsv: return "csv";
    case OutputFormat::kFhir: return "fhir";
    case OutputFormat::kOmop: return "omop";
    case OutputFormat::kJsonl: break;
  }
  return "jsonl";
}

const std::string* OutputHeader(OutputFormat format) {
  if (format == OutputFormat::kCsv) return &CsvHeader();
  if (format == OutputFormat::kOmop) return &OmopHeader();
  return nullptr;
}

Status CheckRecordForFormat(OutputFormat format, std::string_view id) {
  return format == OutputFormat::kOmop ? CheckOmopNoteId(id) : Status();
}

std::string FormatResult(OutputFormat format, const Result& result, std::string_view text,
                         std::string_view id, const AnalyzeOptions& options) {
  if (format == OutputFormat::kFhir) {
    std::string line = FhirBundle(result, text, id, options);
    line.push_back('\n');
    return line;
  }
  if (format == OutputFormat::kOmop) return OmopRows(result, text, id, options);
  if (format == OutputFormat::kJsonl) {
    std::string line = ResultToJson(result, text, id, options);
    line.push_back('\n');
    return line;
  }
  std::string out;
  if (result.suggestions.empty()) {
    AppendCsvRow(&out, {id, "ok", "", "", "", "", "", "", "", "", ""});
    return out;
  }
  for (const Suggestion& s : result.suggestions) {
    std::string evidence;
    std::string evidence_text;  // the spans' text, " | " between spans
    for (const Evidence& e : s.evidence) {
      if (e.span.begin <= e.span.end && e.span.end <= text.size()) {
        if (!evidence_text.empty()) evidence_text += " | ";
        for (char c : text.substr(e.span.begin, e.span.end - e.span.begin))
          evidence_text.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
      }
      uint32_t b = e.span.begin, en = e.span.end;
      if (options.offset_unit != OffsetUnit::kBytes) {
        b = ConvertOffset(text, b, options.offset_unit);
        en = ConvertOffset(text, en, options.offset_unit);
      }
      if (!evidence.empty()) evidence.push_back(';');
      evidence += fmt::format("{}-{}", b, en);
    }
    const std::string score = fmt::format("{}", s.score);
    const std::string rank = std::to_string(s.rank);
    AppendCsvRow(&out, {id, "ok", s.code, s.title, score, rank, s.rationale, evidence, "", "",
                        evidence_text});
  }
  return out;
}

std::string FormatError(OutputFormat format, std::string_view id, const Status& status) {
  if (format == OutputFormat::kOmop) return std::string();
  if (format == OutputFormat::kJsonl || format == OutputFormat::kFhir) {
    std::string line = ErrorToJson(id, status);
    line.push_back('\n');
    return line;
  }
  std::string out;
  AppendCsvRow(&out,
               {id, "error", "", "", "", "", "", "", status.kind(), status.message(), ""});
  return out;
}

namespace {

// The JSON string that starts right after `key` at the start of `head` or
// (with anywhere) at its first occurrence; nullopt if there is none.
std::optional<std::string> StringAfter(std::string_view head, std::string_view key,
                                       bool anywhere) {
  const size_t at = anywhere ? head.find(key) : (head.starts_with(key) ? 0 : head.npos);
  if (at == head.npos) return std::nullopt;
  const size_t open = at + key.size() - 1;  // key ends with the opening quote
  size_t i = open + 1;
  while (i < head.size() && head[i] != '"') i += head[i] == '\\' ? 2 : 1;
  if (i >= head.size()) return std::nullopt;
  const auto j = nlohmann::json::parse(head.substr(open, i - open + 1), nullptr,
                                       /*allow_exceptions=*/false);
  if (!j.is_string()) return std::nullopt;
  return j.get<std::string>();
}

// The record id of one output line, from its start: {"id":"..." is how every
// result and error record begins; a FHIR Bundle names it as the identifier of
// its first entry, the note's DocumentReference. nullopt for anything else.
std::optional<std::string> OutputLineId(std::string_view head) {
  if (head.starts_with("{\"resourceType\":\"Bundle\""))
    return StringAfter(head, "\"identifier\":[{\"value\":\"", /*anywhere=*/true);
  return StringAfter(head, "{\"id\":\"", /*anywhere=*/false);
}

}  // namespace

std::string CsvIdCell(std::string_view id) {
  std::string cell;
  AppendCsvField(&cell, id);
  return cell;
}

bool PrepareResume(const std::string& path, OutputFormat format, uint64_t* done,
                   bool* has_header, std::string* error, const ResumeCheck& check,
                   bool* refused) {
  *done = 0;
  *has_header = false;
  if (refused) *refused = false;
  std::vector<std::string> ids;  // of the records kept
  // The id cell of CSV notes, the start of JSONL lines: enough for any id.
  constexpr size_t kHeadCap = 1 << 16;
  std::string head;
  std::error_code ec;
  if (!fs::exists(path, ec)) return true;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read existing output " + path;
    return false;
  }
  uint64_t pos = 0;
  uint64_t keep = 0;  // bytes to keep
  std::vector<char> buf(1 << 16);
  if (format == OutputFormat::kJsonl || format == OutputFormat::kFhir) {
    uint64_t lines = 0;
    bool bad_line = false;
    while (in.read(buf.data(), buf.size()) || in.gcount() > 0) {
      const auto n = static_cast<size_t>(in.gcount());
      for (size_t i = 0; i < n; ++i) {
        if (buf[i] == '\n') {
          ++lines;
          keep = pos + i + 1;
          if (check) {
            std::optional<std::string> id = OutputLineId(head);
            bad_line = bad_line || !id;
            ids.push_back(id ? std::move(*id) : std::string());
          }
          head.clear();
        } else if (check && head.size() < kHeadCap) {
          head.push_back(buf[i]);
        }
      }
      pos += n;
    }
    *done = lines;
    if (bad_line) {
      *error = path + " is not the output of suggest batch (a line without a record id); "
                      "refusing to resume into it";
      if (refused) *refused = true;
      return false;
    }
  } else {
    // Walk CSV records: a record ends at a newline outside quotes.
    bool quoted = false;
    size_t field = 0;
    std::string rank;
    uint64_t record_start = 0;
    uint64_t records = 0;       // complete records including the header
    uint64_t notes = 0;         // notes started in complete records
    uint64_t last_note_start = 0;
    uint64_t header_end = 0;
    while (in.read(buf.data(), buf.size()) || in.gcount() > 0) {
      const auto n = static_cast<size_t>(in.gcount());
      for (size_t i = 0; i < n; ++i) {
        const char c = buf[i];
        if (field == 0 && check && head.size() < kHeadCap) head.push_back(c);
        if (c == '"') {
          quoted = !quoted;  // a doubled quote toggles twice
          continue;
        }
        if (quoted) {
          if (field == kRankColumn) rank.push_back(c);
          continue;
        }
        if (c == ',') {
          if (field == 0 && check) head.pop_back();  // the comma ends the id cell
          ++field;
        } else if (c == '\n') {
          const uint64_t end = pos + i + 1;
          if (records == 0) header_end = end;
          if (records > 0) {
            if (!rank.empty() && rank.back() == '\r') rank.pop_back();
            if (rank.empty() || rank == "1") {
              ++notes;
              last_note_start = record_start;
              if (check) ids.push_back(head);
            }
          }
          head.clear();
          ++records;
          record_start = end;
          field = 0;
          rank.clear();
        } else if (field == kRankColumn) {
          rank.push_back(c);
        }
      }
      pos += n;
    }
    if (records > 0) {
      // Rows of another column layout (an older suggest) must not be mixed in.
      std::ifstream h(path, std::ios::binary);
      std::string header(header_end, '\0');
      h.read(header.data(), static_cast<std::streamsize>(header.size()));
      if (header != CsvHeader()) {
        if (!header.empty() && header.back() == '\n') header.pop_back();
        *error = path + " has other CSV columns (" + header.substr(0, 200) +
                 ") than this suggest writes; refusing to resume into it: use a new --output";
        if (refused) *refused = true;
        return false;
      }
    }
    if (records == 0) {
      keep = 0;  // no complete header: start over
    } else if (notes == 0) {
      *has_header = true;
      keep = header_end;
    } else {
      *has_header = true;
      keep = last_note_start;  // redo the last note: its rows may be incomplete
      *done = notes - 1;
      if (!ids.empty()) ids.pop_back();
    }
  }
  in.close();
  if (check) {
    ids.resize(std::min<uint64_t>(ids.size(), *done));
    std::string why;
    if (!check(ids, &why)) {
      *error = why;
      if (refused) *refused = true;
      return false;
    }
  }
  if (keep != pos) {
    fs::resize_file(path, keep, ec);
    if (ec) {
      *error = "cannot truncate " + path + ": " + ec.message();
      return false;
    }
  }
  return true;
}

OutputSink::~OutputSink() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

bool OutputSink::Open(const std::string& path, bool append, std::string* error) {
  path_ = path;
  if (path == "-") {
    fd_ = STDOUT_FILENO;
    owned_ = false;
    return true;
  }
  // No symlink to a regular file, no hard-linked file (safe_file.h).
  fd_ = OpenOutputFile(path, append, error);
  if (fd_ < 0) return false;
  owned_ = true;
  struct stat st;
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    regular_ = true;
    committed_ = static_cast<uint64_t>(st.st_size);
  }
  return true;
}

bool OutputSink::Write(std::string_view data, const std::vector<size_t>& ends, size_t* whole,
                       std::string* error) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      *error = "cannot write output " + path_ + ": " + std::strerror(err);
      // Keep the records written whole; cut off a torn one.
      const auto kept = std::upper_bound(ends.begin(), ends.end(), done) - ends.begin();
      const size_t keep = kept > 0 ? ends[kept - 1] : 0;
      *whole = static_cast<size_t>(kept);
      if (keep < done) {
        if (!regular_) {
          *error += " (the output ends in a partial record)";
        } else if (::ftruncate(fd_, static_cast<off_t>(committed_ + keep)) != 0) {
          *error += fmt::format(" (and cannot cut it back to {} bytes: {})", committed_ + keep,
                                std::strerror(errno));
        }
      }
      committed_ += keep;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  committed_ += data.size();
  *whole = ends.size();
  return true;
}

bool OutputSink::Close(std::string* error) {
  if (fd_ < 0) return true;
  const int fd = fd_;
  fd_ = -1;
  // Data written to a file may only fail to reach it at close (NFS, quotas).
  if (owned_ && ::close(fd) != 0) {
    *error = "cannot write output " + path_ + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace suggest::tools
