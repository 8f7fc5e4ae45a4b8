// Copyright libsuggest authors.
#include "batch_io.h"

#include "jsonl_record.h"

#include <spdlog/spdlog.h>

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

Status NoteTooLarge(uint64_t size, uint64_t max_note_bytes) {
  // As in Model::Analyze: offsets are 32-bit, whatever the option says.
  const uint64_t limit = std::min<uint64_t>(max_note_bytes, 0xFFFFFFFEull);
  return Status(StatusCode::kInvalidArgument,
                "note of " + std::to_string(size) + " bytes exceeds the limit of " +
                    std::to_string(limit) + " bytes",
                "note_too_large");
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

namespace {

// What a non-string "setting" value was, for the error message.
std::string JsonTypeForMessage(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_array()) return "an array";
  return "an object";
}

}  // namespace

bool ParseJsonlRecord(std::string_view line, uint64_t line_no, BatchRecord* rec) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return false;
  rec->error.reset();
  rec->setting.reset();
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
  } else if (id_it != parsed.end() && id_it->is_number_integer()) {
    id = std::to_string(id_it->get<int64_t>());
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
  return true;
}

}  // namespace suggest::tools
