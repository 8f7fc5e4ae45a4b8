// Copyright libsuggest authors.
#include "assertion_cmd.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "suggest/dev/assess.h"
#include "suggest/suggest.h"

namespace suggest::tools {
namespace {

using nlohmann::json;

// Reads a JSONL file into objects; false on I/O error. Bad lines are logged
// and skipped (the eval files are ours; `assertion` handles them itself).
bool ReadJsonl(const std::string& path, std::vector<json>* rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    spdlog::error("cannot open {}", path);
    return false;
  }
  std::string line;
  uint64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) {
      spdlog::warn("{}:{}: not a JSON object, skipped", path, n);
      continue;
    }
    rows->push_back(std::move(j));
  }
  return !in.bad();
}

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Output records keep the documented key order (id, assertion, cue).
using ordered_json = nlohmann::ordered_json;

ordered_json CueJson(const dev::AssertionVerdict& v, const std::string& sentence) {
  if (!v.cue) return nullptr;
  const Span s = v.cue->span;
  return ordered_json{{"begin", s.begin},
              {"end", s.end},
              {"text", sentence.substr(s.begin, s.size())},
              {"rule", v.cue->rule_id}};
}

// Precision / recall / F1 of one binary class.
struct Binary {
  int tp = 0, fp = 0, fn = 0, tn = 0;
  void Add(bool gold, bool pred) {
    if (gold && pred) ++tp;
    else if (pred) ++fp;
    else if (gold) ++fn;
    else ++tn;
  }
  double P() const { return tp + fp ? static_cast<double>(tp) / (tp + fp) : 0.0; }
  double R() const { return tp + fn ? static_cast<double>(tp) / (tp + fn) : 0.0; }
  double F1() const { return P() + R() > 0 ? 2 * P() * R() / (P() + R()) : 0.0; }
  double Accuracy() const {
    const int n = tp + fp + fn + tn;
    return n ? static_cast<double>(tp + tn) / n : 0.0;
  }
  json ToJson() const {
    return json{{"precision", P()}, {"recall", R()}, {"f1", F1()}, {"accuracy", Accuracy()},
                {"tp", tp}, {"fp", fp}, {"fn", fn}, {"tn", tn}};
  }
  void Print(const char* name) const {
    std::printf("  %-34s P %.3f  R %.3f  F1 %.3f  acc %.4f  (TP %d FP %d FN %d TN %d)\n", name,
                P(), R(), F1(), Accuracy(), tp, fp, fn, tn);
  }
};

// Assess one row; a finding that cannot be located counts as present (the
// kit has a few concepts that run across its sentence split).
dev::AssertionVerdict AssessRow(const Model& model, const json& row, int* not_found) {
  auto v = dev::Assess(model, StringField(row, "sentence"), StringField(row, "concept"));
  if (v.ok()) return *v;
  ++*not_found;
  return dev::AssertionVerdict{};
}

void ShowError(const char* what, const json& row, const char* gold, const dev::AssertionVerdict& v) {
  const std::string sentence = StringField(row, "sentence");
  std::fprintf(stderr, "[%s] id=%s gold=%s pred=%s cue=%s rule=%s\n  concept: %s\n  sentence: %s\n",
               what, row.value("id", json()).dump().c_str(), gold, AssertionName(v.assertion),
               v.cue ? sentence.substr(v.cue->span.begin, v.cue->span.size()).c_str() : "-",
               v.cue ? v.cue->rule_id.c_str() : "-", StringField(row, "concept").c_str(),
               sentence.c_str());
}

}  // namespace

AssertionCommands::AssertionCommands(CLI::App* app, const std::string& negex_dir)
    : negex_path_(negex_dir + "/negex_dev.jsonl"), context_path_(negex_dir + "/context_dev.jsonl") {
  assertion_ = app->add_subcommand(
      "assertion", "assertion of a concept in a sentence, per JSONL record "
                   "{\"id\", \"sentence\", \"concept\"}");
  assertion_->add_option("--input", input_, "input JSONL (- for stdin)")->required();
  assertion_->add_option("--output", output_, "output JSONL (- for stdout)");
  assertion_->add_option("--section", section_,
                         "section kind to assume for every sentence (e.g. plan)");
  AddModelFlags(assertion_, &model_);

  eval_ = app->add_subcommand("eval-negex",
                              "score the assertion engine on the NegEx / ConText dev sets");
  eval_->add_option("--negex", negex_path_, "NegEx rows (default: shared negex_dev.jsonl)");
  eval_->add_option("--context", context_path_,
                    "ConText rows (default: shared context_dev.jsonl)");
  eval_->add_flag("--json", json_, "print the figures as one JSON object");
  eval_->add_flag("--show-errors", show_errors_, "list misclassified rows on stderr");
  AddModelFlags(eval_, &model_);
}

bool AssertionCommands::Selected() const { return assertion_->parsed() || eval_->parsed(); }

int AssertionCommands::Run() const {
  return assertion_->parsed() ? RunAssertion() : RunEval();
}

int AssertionCommands::RunAssertion() const {
  auto model = LoadModel(model_);
  if (!model) return kExitModel;
  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (input_ != "-") {
    in_file.open(input_, std::ios::binary);
    if (!in_file) {
      spdlog::error("cannot open input {}", input_);
      return kExitIo;
    }
    in = &in_file;
  }
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (output_ != "-") {
    out_file.open(output_, std::ios::binary | std::ios::trunc);
    if (!out_file) {
      spdlog::error("cannot open output {}", output_);
      return kExitIo;
    }
    out = &out_file;
  }
  int rc = kExitOk;
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json row = json::parse(line, nullptr, /*allow_exceptions=*/false);
    ordered_json record;
    const auto sentence_it = row.is_object() ? row.find("sentence") : row.end();
    const auto concept_it = row.is_object() ? row.find("concept") : row.end();
    if (!row.is_object() || sentence_it == row.end() || !sentence_it->is_string() ||
        concept_it == row.end() || !concept_it->is_string()) {
      record = {{"id", row.is_object() ? row.value("id", json()) : json()},
                {"assertion", nullptr},
                {"cue", nullptr},
                {"error", {{"kind", "bad_record"},
                           {"message", "line " + std::to_string(line_no) +
                                           ": expected {\"id\", \"sentence\", \"concept\"}"}}}};
      rc = kExitNoteFailed;
    } else {
      const std::string sentence = sentence_it->get<std::string>();
      auto v = dev::Assess(*model, sentence, concept_it->get<std::string>(), section_);
      if (v.ok()) {
        record = {{"id", row.value("id", json())},
                  {"assertion", AssertionName(v->assertion)},
                  {"cue", CueJson(*v, sentence)}};
      } else {
        // Still an answer (present, no cue) so line counts match; the error
        // says why.
        record = {{"id", row.value("id", json())},
                  {"assertion", AssertionName(Assertion::kPresent)},
                  {"cue", nullptr},
                  {"error", {{"kind", v.status().kind()}, {"message", v.status().message()}}}};
        rc = kExitNoteFailed;
      }
    }
    *out << record.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    if (!*out) {
      spdlog::error("write failed at input line {}", line_no);
      return kExitIo;
    }
  }
  out->flush();
  if (!*out || in->bad()) {
    spdlog::error("I/O error");
    return kExitIo;
  }
  return rc;
}

int AssertionCommands::RunEval() const {
  auto model = LoadModel(model_);
  if (!model) return kExitModel;
  std::vector<json> negex_rows, context_rows;
  if (!ReadJsonl(negex_path_, &negex_rows) || !ReadJsonl(context_path_, &context_rows)) {
    return kExitIo;
  }
  // An empty set scores nothing; its zeros would read as a measurement.
  for (const auto& [path, rows] : {std::pair{&negex_path_, &negex_rows},
                                   std::pair{&context_path_, &context_rows}}) {
    if (rows->empty()) {
      spdlog::error("{} holds no rows: nothing to score", *path);
      return kExitIo;
    }
  }

  Binary negex;
  int negex_not_found = 0;
  for (const json& row : negex_rows) {
    const bool gold = StringField(row, "label") == "Negated";
    const dev::AssertionVerdict v = AssessRow(*model, row, &negex_not_found);
    const bool pred = v.assertion == Assertion::kNegated;
    negex.Add(gold, pred);
    if (show_errors_ && gold != pred) ShowError("negex", row, gold ? "negated" : "affirmed", v);
  }

  Binary negation, historical, hypothetical, other;
  int context_not_found = 0;
  for (const json& row : context_rows) {
    const dev::AssertionVerdict v = AssessRow(*model, row, &context_not_found);
    const bool neg_gold = StringField(row, "negation") == "Negated";
    const bool hist_gold = StringField(row, "temporality") == "Historical";
    negation.Add(neg_gold, v.assertion == Assertion::kNegated);
    historical.Add(hist_gold, v.Has(Assertion::kHistorical));
    hypothetical.Add(StringField(row, "temporality") == "Not particular",
                     v.Has(Assertion::kHypothetical));
    other.Add(StringField(row, "experiencer") == "Other", v.Has(Assertion::kFamily));
    const bool hyp_gold = StringField(row, "temporality") == "Not particular";
    if (show_errors_ && hist_gold != v.Has(Assertion::kHistorical)) {
      ShowError("historical", row, hist_gold ? "historical" : "not-historical", v);
    }
    if (show_errors_ && hyp_gold != v.Has(Assertion::kHypothetical)) {
      ShowError("hypothetical", row, hyp_gold ? "hypothetical" : "not-hypothetical", v);
    }
  }

  if (json_) {
    json j = {{"negex", negex.ToJson()},
              {"context",
               {{"negation", negation.ToJson()},
                {"temporality_historical", historical.ToJson()},
                {"temporality_hypothetical", hypothetical.ToJson()},
                {"experiencer_other", other.ToJson()}}}};
    j["negex"]["rows"] = negex_rows.size();
    j["negex"]["concept_not_found"] = negex_not_found;
    j["context"]["rows"] = context_rows.size();
    j["context"]["concept_not_found"] = context_not_found;
    std::cout << j.dump() << '\n';
  } else {
    std::printf("NegEx set (%s): %zu rows, %d concepts not found (scored as affirmed)\n",
                negex_path_.c_str(), negex_rows.size(), negex_not_found);
    negex.Print("Negated vs Affirmed");
    std::printf("ConText set (%s): %zu rows, %d concepts not found\n", context_path_.c_str(),
                context_rows.size(), context_not_found);
    negation.Print("negation: Negated");
    historical.Print("temporality: Historical");
    hypothetical.Print("temporality: Not particular (hyp.)");
    other.Print("experiencer: Other (family)");
  }
  std::cout.flush();
  return std::cout ? kExitOk : kExitIo;
}

}  // namespace suggest::tools
