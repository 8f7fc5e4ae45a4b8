// Copyright libsuggest authors.
#include "batch_io.h"

#include "jsonl_record.h"

#include <errno.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include <algorithm>

#include <nlohmann/json.hpp>

namespace suggest::tools {

void BadRecord(std::string id, uint64_t line_no, const std::string& why, BatchRecord* rec) {
  spdlog::warn("line {}: bad record: {}", line_no, why);
  rec->id = std::move(id);
  rec->text.clear();
  rec->error = Status(StatusCode::kInvalidArgument,
                      "line " + std::to_string(line_no) + ": " + why, "bad_record");
}

std::string LogSafe(std::string_view id) {
  std::string out;
  out.reserve(id.size());
  for (size_t i = 0; i < id.size(); ++i) {
    const auto c = static_cast<unsigned char>(id[i]);
    bool plain = c >= 0x20 && c != 0x7F && c != '\\';
    if (c >= 0x80) {
      // Valid UTF-8 passes, except the C1 controls U+0080-U+009F (C2 80-9F).
      size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
      bool ok = len > 0 && c <= 0xF4 && i + len <= id.size();
      for (size_t k = 1; ok && k < len; ++k)
        ok = (static_cast<unsigned char>(id[i + k]) & 0xC0) == 0x80;
      if (ok && c == 0xC2 && static_cast<unsigned char>(id[i + 1]) < 0xA0) ok = false;
      if (ok) {
        out.append(id.substr(i, len));
        i += len - 1;
        continue;
      }
      plain = false;
    }
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Status NoteTooLarge(uint64_t size, uint64_t max_note_bytes) {
  // As in Model::Analyze: offsets are 32-bit, whatever the option says.
  const uint64_t limit = std::min<uint64_t>(max_note_bytes, 0xFFFFFFFEull);
  return Status(StatusCode::kInvalidArgument,
                "note of " + std::to_string(size) + " bytes exceeds the limit of " +
                    std::to_string(limit) + " bytes",
                "note_too_large");
}

Status NoteTooLargeWhileReading(uint64_t max_note_bytes) {
  const uint64_t limit = std::min<uint64_t>(max_note_bytes, kMaxNoteBytesCeiling);
  return Status(StatusCode::kInvalidArgument,
                "note of more than " + std::to_string(limit) +
                    " bytes (reading stopped there) exceeds the limit of " +
                    std::to_string(limit) + " bytes",
                "note_too_large");
}

std::optional<Status> Utf16Input(std::string_view text) {
  auto refuse = [](const char* order) {
    return Status(StatusCode::kInvalidArgument,
                  std::string("the note looks like UTF-16") + order +
                      ", not UTF-8: convert it (e.g. iconv -f UTF-16 -t UTF-8)",
                  "utf16_input");
  };
  if (text.starts_with("\xFF\xFE")) return refuse("LE (byte order mark)");
  if (text.starts_with("\xFE\xFF")) return refuse("BE (byte order mark)");
  const size_t pairs = std::min<size_t>(text.size(), 4096) / 2;
  if (pairs < 2) return std::nullopt;
  size_t le = 0, be = 0;  // ASCII in UTF-16LE is "c\0", in UTF-16BE "\0c"
  for (size_t i = 0; i < pairs; ++i) {
    const char a = text[2 * i], b = text[2 * i + 1];
    le += a != 0 && b == 0;
    be += a == 0 && b != 0;
  }
  if (10 * le >= 6 * pairs) return refuse("LE without a byte order mark");
  if (10 * be >= 6 * pairs) return refuse("BE without a byte order mark");
  return std::nullopt;
}

std::optional<std::string> ReadNoteLimited(const std::string& path, uint64_t max_bytes,
                                           std::optional<Status>* refused,
                                           std::string* error) {
  refused->reset();
  const uint64_t limit = std::min<uint64_t>(max_bytes, kMaxNoteBytesCeiling);
  const int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::strerror(errno);
    return std::nullopt;
  }
  auto done = [&] {
    if (fd != STDIN_FILENO) ::close(fd);
  };
  struct stat st;
  uint64_t size_hint = 0;  // a regular file's size
  if (::fstat(fd, &st) == 0) {
    if (S_ISREG(st.st_mode)) size_hint = static_cast<uint64_t>(st.st_size);
    if (S_ISDIR(st.st_mode)) {
      *error = std::strerror(EISDIR);
      done();
      return std::nullopt;
    }
    if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > limit) {
      *refused = NoteTooLarge(static_cast<uint64_t>(st.st_size), limit);
      done();
      return std::string();
    }
  }
  std::string out;
  // A regular file is read into a string of its size, not one grown by
  // doubling: a 10 MB note then costs 10 MB, not a 16 MiB buffer plus the
  // 8 MiB one copied into it while it grew (docs/performance.md "Growth to
  // 10 MB and memory per note"). A file that grows meanwhile still reads whole.
  if (size_hint > 0) out.reserve(static_cast<size_t>(size_hint));
  std::vector<char> buf(1 << 16);
  for (;;) {
    // Never more than limit + 1 bytes: one byte past the limit proves it.
    const uint64_t room = limit + 1 - out.size();
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), room));
    const ssize_t n = ::read(fd, buf.data(), want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = std::strerror(errno);
      done();
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf.data(), static_cast<size_t>(n));
    if (out.size() > limit) {
      *refused = NoteTooLargeWhileReading(limit);
      done();
      return std::string();
    }
  }
  done();
  if ((*refused = Utf16Input(out))) return std::string();
  return out;
}

bool ParseSetting(std::string_view name, Setting* out) {
  if (name == "outpatient") {
    *out = Setting::kOutpatient;
    return true;
  }
  if (name == "inpatient") {
    *out = Setting::kInpatient;
    return true;
  }
  return false;
}

Status InvalidSetting(uint64_t line_no, const std::string& got) {
  spdlog::warn("line {}: invalid setting", line_no);  // the value may be anything
  return Status(StatusCode::kInvalidArgument,
                "setting must be \"outpatient\" or \"inpatient\", got " + got,
                "invalid_setting");
}

void SetRecordSetting(std::string_view value, uint64_t line_no, BatchRecord* rec) {
  Setting s;
  if (ParseSetting(value, &s)) {
    rec->setting = s;
    return;
  }
  // Quoted as a JSON string (the same escapes as the output's).
  const std::string got = nlohmann::json(std::string(value))
                              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  rec->text.clear();
  rec->error = InvalidSetting(line_no, got);
}

AnalyzeOptions RecordOptions(const BatchRecord& rec, const AnalyzeOptions& run) {
  AnalyzeOptions opts = run;
  if (rec.setting) opts.setting = *rec.setting;
  if (rec.date_of_service) opts.date_of_service = *rec.date_of_service;
  if (rec.patient_id) opts.patient_id = *rec.patient_id;
  if (rec.encounter_id) opts.encounter_id = *rec.encounter_id;
  return opts;
}

Status InvalidField(uint64_t line_no, const std::string& field, const std::string& got) {
  spdlog::warn("line {}: invalid {}", line_no, field);  // the value may be anything
  return Status(StatusCode::kInvalidArgument, field + " must be a string, got " + got,
                "invalid_" + field);
}

namespace {

// What a non-string "setting" value was, for the error message.
std::string JsonTypeForMessage(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_array()) return "an array";
  return "an object";
}

// The text of the top-level "id" member's number as written in the line
// (the last one, as nlohmann keeps the last of duplicate keys). nlohmann reads
// an integer beyond uint64 as a double; its SAX parser still hands over the
// literal, which is what an id must keep (issue 19 item 7).
class IdLiteralSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::string literal;
  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t& s) override {
    if (depth_ == 1 && id_next_) literal = s;
    return Value();
  }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    Value();
    ++depth_;
    return true;
  }
  bool key(string_t& k) override {
    id_next_ = depth_ == 1 && k == "id";
    if (id_next_) literal.clear();
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    Value();
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool Value() {
    id_next_ = false;
    return true;
  }
  int depth_ = 0;
  bool id_next_ = false;
};

// An integer literal: -?[0-9]+ (JSON has no leading zeros or '+').
bool IsIntegerLiteral(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool ParseJsonlRecordInPlace(std::string* line, uint64_t line_no, BatchRecord* rec) {
  std::string_view v = *line;
  if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
  if (v.find_first_not_of(" \t") == std::string_view::npos) return false;
  std::string_view raw;
  std::optional<std::string> setting;
  if (!ScanSimpleJsonlRecordRaw(v, &rec->id, &raw, &setting))
    return ParseJsonlRecord(v, line_no, rec);
  rec->error.reset();
  rec->ClearFields();
  line->resize(DecodeSimpleJsonString(raw, line->data()));
  rec->text = std::move(*line);
  if (setting) SetRecordSetting(*setting, line_no, rec);
  return true;
}

bool ParseJsonlRecord(std::string_view line, uint64_t line_no, BatchRecord* rec) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return false;
  rec->error.reset();
  rec->ClearFields();
  // The usual {"id", "text"} line, without building a JSON tree.
  std::optional<std::string> setting;
  if (ScanSimpleJsonlRecord(line, &rec->id, &rec->text, &setting)) {
    if (setting) SetRecordSetting(*setting, line_no, rec);
    return true;
  }

  // Anything else: parse without exceptions; a parse error message from the
  // JSON library may quote input, so only its byte position is reported.
  nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    BadRecord("", line_no, "not a JSON object (or invalid JSON / invalid UTF-8)", rec);
    return true;
  }
  std::string id;
  auto id_it = parsed.find("id");
  if (id_it != parsed.end() && id_it->is_string()) {
    id = id_it->get<std::string>();
  } else if (id_it != parsed.end() && id_it->is_number_unsigned()) {
    id = std::to_string(id_it->get<uint64_t>());  // not wrapped to a negative int64
  } else if (id_it != parsed.end() && id_it->is_number_integer()) {
    id = std::to_string(id_it->get<int64_t>());
  } else if (id_it != parsed.end() && id_it->is_number_float() &&
             [&] {
               // Beyond uint64: nlohmann made it a double; keep the digits.
               IdLiteralSax sax;
               nlohmann::json::sax_parse(line, &sax);
               id = sax.literal;
               return IsIntegerLiteral(id);
             }()) {
    // id holds the literal
  } else {
    BadRecord("", line_no, "missing \"id\" (string or integer)", rec);
    return true;
  }
  auto text_it = parsed.find("text");
  if (text_it == parsed.end() || !text_it->is_string()) {
    BadRecord(std::move(id), line_no, "missing \"text\" string", rec);
    return true;
  }
  rec->id = std::move(id);
  rec->text = std::move(text_it->get_ref<std::string&>());
  auto setting_it = parsed.find("setting");
  if (setting_it != parsed.end()) {
    if (setting_it->is_string()) {
      SetRecordSetting(setting_it->get_ref<const std::string&>(), line_no, rec);
    } else {
      rec->text.clear();
      rec->error = InvalidSetting(line_no, JsonTypeForMessage(*setting_it));
    }
  }
  // The input fields: non-empty strings (leave a key out for "none");
  // Analyze checks their values.
  static const std::pair<const char*, std::optional<std::string> BatchRecord::*> kFields[] = {
      {"date_of_service", &BatchRecord::date_of_service},
      {"patient_id", &BatchRecord::patient_id},
      {"encounter_id", &BatchRecord::encounter_id}};
  for (const auto& [name, member] : kFields) {
    if (rec->error) break;
    auto it = parsed.find(name);
    if (it == parsed.end()) continue;
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      rec->text.clear();
      rec->error = InvalidField(line_no, name,
                                it->is_string() ? "an empty string" : JsonTypeForMessage(*it));
      break;
    }
    rec->*member = it->get<std::string>();
  }
  return true;
}

}  // namespace suggest::tools
