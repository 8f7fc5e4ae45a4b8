// Copyright libsuggest authors.
#include "batch_input.h"

#include <array>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>
#include <vector>

#include "batch_io.h"

namespace suggest::tools {
namespace {

namespace fs = std::filesystem;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

uint64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

// Owns an ifstream for a path, or borrows std::cin for "-".
class Stream {
 public:
  bool Open(const std::string& path) {
    if (path == "-") {
      in_ = &std::cin;
      return true;
    }
    file_.open(path, std::ios::binary);
    in_ = &file_;
    return static_cast<bool>(file_);
  }
  std::istream& in() { return *in_; }

 private:
  std::ifstream file_;
  std::istream* in_ = nullptr;
};

// The longest input record (a JSONL line, a CSV row) kept in memory for a
// note limit: a note of `limit` bytes written as JSON takes at most 6 bytes
// per byte (\u0000), plus room for the id and other keys. A longer record is
// read to its end without being stored and becomes a note_too_large error
// record, so a 16 GB line from a pipe never fills memory (issue 19 item 2).
uint64_t RecordCap(uint64_t max_note_bytes) {
  const uint64_t limit = std::min<uint64_t>(max_note_bytes == 0 ? kMaxNoteBytesCeiling
                                                                : max_note_bytes,
                                            kMaxNoteBytesCeiling);
  return 6 * limit + (64u << 10);
}

Status RecordTooLarge(uint64_t line_no, uint64_t cap) {
  spdlog::warn("line {}: record longer than {} bytes", line_no, cap);
  return Status(StatusCode::kInvalidArgument,
                "line " + std::to_string(line_no) + ": record longer than " +
                    std::to_string(cap) +
                    " bytes (6 x --max-note-bytes + 64 KiB); reading skipped to its end",
                "note_too_large");
}

// One line of `in` into *line without its '\n'; false at the end of input.
// At most `cap` bytes are stored (*too_long set beyond); *bytes = bytes consumed.
bool ReadLineLimited(std::istream& in, uint64_t cap, std::string* line, bool* too_long,
                     uint64_t* bytes) {
  line->clear();
  *too_long = false;
  *bytes = 0;
  char buf[1 << 16];
  bool any = false;
  for (;;) {
    in.getline(buf, sizeof buf);
    const auto got = static_cast<uint64_t>(in.gcount());
    *bytes += got;
    const bool delim = !in.fail() && !in.eof();  // the '\n' was extracted
    const uint64_t chars = delim ? got - 1 : got;
    if (got > 0) any = true;
    if (!*too_long) {
      if (line->size() + chars > cap) {
        *too_long = true;
        line->clear();
        line->shrink_to_fit();
      } else {
        line->append(buf, static_cast<size_t>(chars));
      }
    }
    if (delim) return true;
    if (in.bad()) return any;
    if (in.eof()) {
      in.clear(in.rdstate() & ~std::ios::failbit);  // keep eofbit
      return any;
    }
    in.clear();  // the buffer filled up: the line goes on
  }
}

class JsonlSource : public RecordSource {
 public:
  JsonlSource(std::unique_ptr<Stream> s, uint64_t total, uint64_t max_note_bytes)
      : s_(std::move(s)), total_(total), cap_(RecordCap(max_note_bytes)) {}
  bool Next(BatchRecord* rec, bool skip) override {
    (void)skip;
    std::string line;
    bool too_long = false;
    uint64_t bytes = 0;
    while (ReadLineLimited(s_->in(), cap_, &line, &too_long, &bytes)) {
      ++line_no_;
      consumed_ += bytes;
      if (too_long) {
        rec->id.clear();
        rec->text.clear();
        rec->ClearFields();
        rec->error = RecordTooLarge(line_no_, cap_);
        return true;
      }
      if (ParseJsonlRecord(line, line_no_, rec)) return true;
    }
    return false;
  }
  uint64_t Consumed() const override { return consumed_; }
  uint64_t Total() const override { return total_; }
  bool Failed() const override { return s_->in().bad(); }

 private:
  std::unique_ptr<Stream> s_;
  uint64_t total_;
  uint64_t cap_;
  uint64_t line_no_ = 0;
  uint64_t consumed_ = 0;
};

// RFC 4180: fields separated by ',', records by CRLF or LF, a field in double
// quotes may hold ',', newlines and doubled quotes. A malformed record (a
// quote inside an unquoted field, text after a closing quote, an unterminated
// quote, a wrong field count) is reported and parsing goes on.
class CsvSource : public RecordSource {
 public:
  CsvSource(std::unique_ptr<Stream> s, uint64_t total, uint64_t max_note_bytes)
      : s_(std::move(s)), total_(total), cap_(RecordCap(max_note_bytes)) {}

  // Reads the header; false (with *error) if a column is missing.
  bool ReadHeader(const std::string& id_col, const std::string& text_col,
                  const std::string& setting_col, std::string* error) {
    std::vector<std::string> fields;
    std::string problem;
    uint64_t line = 0;
    bool have_row = false;
    try {
      have_row = ReadRow(&fields, &problem, &line);
    } catch (const std::exception& e) {
      *error = std::string("cannot read CSV input: ") + e.what();
      failed_ = true;
      return false;
    }
    if (!have_row) {
      *error = "CSV input is empty (no header row)";
      return false;
    }
    if (!fields.empty() && fields[0].compare(0, 3, "\xEF\xBB\xBF") == 0) {
      fields[0].erase(0, 3);  // UTF-8 byte order mark
    }
    ncols_ = fields.size();
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i] == id_col && id_idx_ < 0) id_idx_ = static_cast<int>(i);
      if (fields[i] == text_col && text_idx_ < 0) text_idx_ = static_cast<int>(i);
      if (fields[i] == setting_col && setting_idx_ < 0) setting_idx_ = static_cast<int>(i);
      for (size_t f = 0; f < kFieldColumns.size(); ++f)
        if (fields[i] == kFieldColumns[f].first && field_idx_[f] < 0)
          field_idx_[f] = static_cast<int>(i);
    }
    if (id_idx_ < 0 || text_idx_ < 0) {
      *error = "CSV header has no column named \"" + (id_idx_ < 0 ? id_col : text_col) + "\"";
      return false;
    }
    return true;
  }

  bool Next(BatchRecord* rec, bool skip) override {
    (void)skip;
    // libstdc++'s filebuf throws on a read error (EIO); it ends the input
    // like a stream error, with exit code 4.
    try {
      return NextRow(rec);
    } catch (const std::exception& e) {
      spdlog::error("read error on CSV input: {}", e.what());
      failed_ = true;
      return false;
    }
  }
  uint64_t Consumed() const override { return consumed_; }
  uint64_t Total() const override { return total_; }
  bool Failed() const override { return failed_ || s_->in().bad(); }

 private:
  bool NextRow(BatchRecord* rec) {
    std::vector<std::string> fields;
    std::string problem;
    uint64_t line = 0;
    while (ReadRow(&fields, &problem, &line)) {
      if (!row_too_long_ && problem.empty() && fields.size() == 1 && fields[0].empty())
        continue;  // blank line
      ++row_no_;
      rec->error.reset();
      rec->ClearFields();
      rec->id = static_cast<size_t>(id_idx_) < fields.size() ? fields[id_idx_] : "";
      if (row_too_long_) {
        rec->id.clear();  // cut off with the rest of the row
        rec->text.clear();
        rec->error = RecordTooLarge(line, cap_);
        return true;
      }
      if (problem.empty() && fields.size() != ncols_) {
        problem = "has " + std::to_string(fields.size()) + " fields, the header has " +
                  std::to_string(ncols_);
      }
      if (!problem.empty()) {
        BadRecord(rec->id, line, "row " + std::to_string(row_no_) + ": " + problem, rec);
        return true;
      }
      rec->text = std::move(fields[text_idx_]);
      // An empty cell: no setting of its own (the --setting flag applies).
      if (setting_idx_ >= 0 && !fields[setting_idx_].empty())
        SetRecordSetting(fields[setting_idx_], line, rec);
      // The input field columns likewise (Analyze checks the values).
      for (size_t f = 0; f < kFieldColumns.size(); ++f)
        if (field_idx_[f] >= 0 && !fields[field_idx_[f]].empty())
          rec->*kFieldColumns[f].second = std::move(fields[field_idx_[f]]);
      return true;
    }
    return false;
  }

  // Bytes come from `pending_` (the lines after an unterminated quote, read
  // again) before the stream. Every byte of the current row is kept in
  // `raw_` (up to the record cap) so that such lines can be read again.
  int Get() {
    int c;
    if (pending_pos_ < pending_.size()) {
      c = static_cast<unsigned char>(pending_[pending_pos_++]);
    } else {
      c = s_->in().rdbuf()->sbumpc();
      if (c == std::char_traits<char>::eof()) return c;
      ++consumed_;
    }
    if (c == '\n') ++line_;
    if (raw_.size() < cap_) raw_.push_back(static_cast<char>(c));
    return c;
  }
  int Peek() {
    if (pending_pos_ < pending_.size()) return static_cast<unsigned char>(pending_[pending_pos_]);
    return s_->in().rdbuf()->sgetc();
  }

  // An unterminated quote ran to the end of the input: the row is reported,
  // and reading resumes at the line after the one where the quote opened,
  // so the rows after a stray quote are not lost (docs/batch.md). Needs the
  // row's bytes: a row longer than the record cap is only reported.
  bool ResumeAfterUnterminatedQuote() {
    if (raw_.size() >= cap_ || quote_at_ > raw_.size()) return false;
    const size_t nl = raw_.find('\n', quote_at_);
    if (nl == std::string::npos || nl + 1 >= raw_.size()) return false;
    std::string rest = raw_.substr(nl + 1);
    pending_.swap(rest);
    pending_pos_ = 0;
    line_ = quote_line_ + 1;
    return true;
  }

  // One record; false at end of input. *line = the line the record starts on.
  bool ReadRow(std::vector<std::string>* fields, std::string* problem, uint64_t* line) {
    constexpr int kEof = std::char_traits<char>::eof();
    fields->clear();
    problem->clear();
    *line = line_ + 1;
    raw_.clear();
    row_too_long_ = false;
    if (pending_pos_ >= pending_.size() && !pending_.empty()) {
      pending_.clear();
      pending_.shrink_to_fit();
      pending_pos_ = 0;
    }
    if (Peek() == kEof) return false;
    uint64_t row_bytes = 0;
    std::string field;
    bool quoted = false;       // inside quotes
    bool was_quoted = false;   // this field started with a quote
    bool after_quote = false;  // the closing quote was seen
    for (;;) {
      int c = Get();
      if (c == kEof) {
        if (quoted && problem->empty()) {
          *problem = "unterminated quoted field";
          if (ResumeAfterUnterminatedQuote()) {
            *problem += "; reading resumes on the line after the quote";
            // The fields read so far are cut at the quote's line.
            field.clear();
          }
        }
        fields->push_back(std::move(field));
        return true;
      }
      // A row longer than the cap is read to its end without being stored.
      if (++row_bytes > cap_) {
        if (!row_too_long_) {
          row_too_long_ = true;
          field.clear();
          field.shrink_to_fit();
          fields->clear();
        }
        if (quoted) {
          if (c == '"') {
            if (Peek() == '"') Get(); else { quoted = false; after_quote = true; }
          }
          continue;
        }
        if (c == '\n' || (c == '\r' && Peek() == '\n')) {
          if (c == '\r') Get();
          fields->push_back(std::string());
          return true;
        }
        if (c == '"' && !was_quoted) quoted = was_quoted = true;
        if (c == ',') was_quoted = after_quote = false;
        continue;
      }
      if (quoted) {
        if (c == '"') {
          if (Peek() == '"') {
            Get();
            field.push_back('"');
          } else {
            quoted = false;
            after_quote = true;
          }
        } else {
          field.push_back(static_cast<char>(c));
        }
        continue;
      }
      if (c == ',') {
        fields->push_back(std::move(field));
        field.clear();
        was_quoted = after_quote = false;
        continue;
      }
      if (c == '\n' || (c == '\r' && Peek() == '\n')) {
        if (c == '\r') Get();
        fields->push_back(std::move(field));
        return true;
      }
      if (c == '"' && field.empty() && !was_quoted) {
        quoted = was_quoted = true;
        quote_at_ = raw_.size();  // just after the quote
        quote_line_ = line_;      // lines ended before it
        continue;
      }
      if (problem->empty()) {
        if (after_quote) {
          *problem = "text after a closing quote in field " + std::to_string(fields->size() + 1);
        } else if (c == '"') {
          *problem = "quote inside an unquoted field " + std::to_string(fields->size() + 1);
        }
      }
      field.push_back(static_cast<char>(c));
    }
  }

  std::unique_ptr<Stream> s_;
  uint64_t total_;
  uint64_t consumed_ = 0;
  uint64_t line_ = 0;
  uint64_t row_no_ = 0;  // data rows after the header
  uint64_t cap_;
  std::string raw_;            // the current row's bytes (up to cap_)
  std::string pending_;        // bytes to read again before the stream
  size_t pending_pos_ = 0;
  size_t quote_at_ = 0;        // raw_ offset after the last opening quote
  uint64_t quote_line_ = 0;    // line_ when it opened
  bool row_too_long_ = false;
  size_t ncols_ = 0;
  int id_idx_ = -1;
  int text_idx_ = -1;
  int setting_idx_ = -1;  // optional column
  // Optional columns date_of_service, patient_id, encounter_id.
  static constexpr std::array<std::pair<const char*, std::optional<std::string> BatchRecord::*>, 3>
      kFieldColumns = {{{"date_of_service", &BatchRecord::date_of_service},
                        {"patient_id", &BatchRecord::patient_id},
                        {"encounter_id", &BatchRecord::encounter_id}}};
  std::array<int, 3> field_idx_ = {-1, -1, -1};
  bool failed_ = false;
};

// A folder of .txt files, recursively, sorted by relative path.
class DirSource : public RecordSource {
 public:
  DirSource(std::string root, uint64_t max_bytes) : root_(std::move(root)), max_bytes_(max_bytes) {}

  bool Scan(std::string* error) {
    std::error_code ec;
    fs::recursive_directory_iterator it(root_, fs::directory_options::skip_permission_denied,
                                        ec);
    if (ec) {
      *error = "cannot list " + root_ + ": " + ec.message();
      return false;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const fs::directory_entry& e = *it;
      std::error_code dec;
      if (e.is_directory(dec)) continue;  // directories (even named *.txt) are walked
      const std::string name = e.path().filename().string();
      if (!EndsWith(name, ".txt")) continue;
      ids_.push_back(e.path().lexically_relative(root_).generic_string());
    }
    if (ec) {
      *error = "cannot list " + root_ + ": " + ec.message();
      return false;
    }
    std::sort(ids_.begin(), ids_.end());
    return true;
  }

  bool Next(BatchRecord* rec, bool skip) override {
    if (next_ >= ids_.size()) return false;
    rec->id = ids_[next_++];
    rec->text.clear();
    rec->error.reset();
    rec->ClearFields();
    if (skip) return true;
    const fs::path path = fs::path(root_) / rec->id;
    auto read_error = [&](const std::string& why) {
      spdlog::warn("cannot read input file {}: {}", LogSafe(rec->id), why);
      rec->text.clear();
      rec->error =
          Status(StatusCode::kNotFound, "cannot read file " + rec->id + ": " + why, "read_error");
    };
    // Only regular files: a FIFO named *.txt would block the run, a device
    // never end. Sizes are known before reading, so a file over the limit is
    // refused without being loaded.
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec) {
      read_error(ec.message());
      return true;
    }
    if (!fs::is_regular_file(st)) {
      read_error("not a regular file");
      return true;
    }
    const uint64_t size = fs::file_size(path, ec);
    if (!ec && max_bytes_ > 0 && size > max_bytes_) {
      rec->error = NoteTooLarge(size, max_bytes_);
      spdlog::warn("note {} failed: {}", LogSafe(rec->id), rec->error->ToString());  // as if analysed
      return true;
    }
    std::ifstream in(path, std::ios::binary);
    try {
      if (in) rec->text.assign(std::istreambuf_iterator<char>(in), {});
    } catch (const std::exception& e) {  // libstdc++ throws on a read error
      read_error(e.what());
      return true;
    }
    if (!in || in.bad()) {
      read_error("read failed");
    } else if ((rec->error = Utf16Input(rec->text))) {
      rec->text.clear();
      spdlog::warn("note {} failed: {}", LogSafe(rec->id), rec->error->ToString());  // as if analysed
    }
    return true;
  }
  uint64_t Consumed() const override { return next_; }
  uint64_t Total() const override { return ids_.size(); }

 private:
  std::string root_;
  uint64_t max_bytes_;
  std::vector<std::string> ids_;
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<RecordSource> OpenRecordSource(const InputSpec& spec, std::string* error,
                                               bool* usage) {
  *usage = false;
  std::error_code ec;
  if (spec.path != "-" && fs::is_directory(spec.path, ec)) {
    auto dir = std::make_unique<DirSource>(spec.path, spec.max_note_bytes);
    if (!dir->Scan(error)) return nullptr;
    return dir;
  }
  auto stream = std::make_unique<Stream>();
  if (!stream->Open(spec.path)) {
    *error = "cannot open input " + spec.path;
    return nullptr;
  }
  const uint64_t total = spec.path == "-" ? 0 : FileSize(spec.path);
  const bool csv = spec.format == "csv" || (spec.format.empty() && EndsWith(spec.path, ".csv"));
  if (!csv) return std::make_unique<JsonlSource>(std::move(stream), total, spec.max_note_bytes);
  auto src = std::make_unique<CsvSource>(std::move(stream), total, spec.max_note_bytes);
  if (!src->ReadHeader(spec.id_column, spec.text_column, spec.setting_column, error)) {
    *usage = true;
    return nullptr;
  }
  return src;
}

}  // namespace suggest::tools
