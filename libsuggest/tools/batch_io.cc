// Copyright libsuggest authors.
#include "batch_io.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

namespace suggest::tools {
namespace {

std::string BadRecord(std::string_view id, uint64_t line_no, const std::string& why,
                      BatchStats* stats) {
  ++stats->errors;
  spdlog::warn("line {}: bad record: {}", line_no, why);
  return ErrorToJson(id, Status(StatusCode::kInvalidArgument,
                                "line " + std::to_string(line_no) + ": " + why,
                                "bad_record"));
}

}  // namespace

std::string ProcessJsonlLine(const Model& model, const AnalyzeOptions& opts,
                             std::string_view line, uint64_t line_no,
                             BatchStats* stats) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return "";
  ++stats->notes;

  // Parse without exceptions; a parse error message from the JSON library may
  // quote input, so only its byte position is reported.
  nlohmann::json rec = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (rec.is_discarded() || !rec.is_object()) {
    return BadRecord("", line_no, "not a JSON object (or invalid JSON / invalid UTF-8)",
                     stats);
  }
  std::string id;
  auto id_it = rec.find("id");
  if (id_it != rec.end() && id_it->is_string()) {
    id = id_it->get<std::string>();
  } else if (id_it != rec.end() && id_it->is_number_integer()) {
    id = std::to_string(id_it->get<int64_t>());
  } else {
    return BadRecord("", line_no, "missing \"id\" (string or integer)", stats);
  }
  auto text_it = rec.find("text");
  if (text_it == rec.end() || !text_it->is_string()) {
    return BadRecord(id, line_no, "missing \"text\" string", stats);
  }
  const std::string& text = text_it->get_ref<const std::string&>();
  auto result = model.Analyze(text, opts);
  if (!result.ok()) {
    ++stats->errors;
    spdlog::warn("note {} (line {}) failed: {}", id, line_no, result.status().ToString());
    return ErrorToJson(id, result.status());
  }
  return ResultToJson(*result, text, id, opts);
}

}  // namespace suggest::tools
