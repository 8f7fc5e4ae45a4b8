// Copyright libsuggest authors.
#include "eval_cmd.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "facts/manifest.h"  // the kinds' roles (the developer tool links the static library)
#include "suggest/suggest.h"

namespace suggest::tools {
namespace {

bool InFamilies(const std::string& code) {
  // M45. includes M45.A (non-radiographic axial spondyloarthritis).
  for (const char* p : {"M43.2", "Z98.1", "Q76.", "M45.", "M48.1", "M96.0"})
    if (code.rfind(p, 0) == 0) return true;
  return false;
}

// The facts whose segments are fused, by the roles of models/manifest.toml:
// an operation, a diagnosis that a fusion word names (acquired, congenital,
// failed fusion), an image that shows a fused segment.
bool CountsAsFused(const Fact& f, const internal::Manifest& manifest) {
  if (f.assertion == Assertion::kNegated || f.assertion == Assertion::kFamily) return false;
  if (manifest.Is(f.kind, internal::KindRole::kImagingFinding))
    return manifest.FindingIs(f.finding, internal::FindingRole::kConfirmsFusion);
  return manifest.Is(f.kind, internal::KindRole::kSurgicalFusion) ||
         manifest.Is(f.kind, internal::KindRole::kAbsorbsFusionWord);
}

struct Prf {
  long tp = 0, fp = 0, fn = 0;
  double P() const { return tp + fp ? double(tp) / (tp + fp) : 1.0; }
  double R() const { return tp + fn ? double(tp) / (tp + fn) : 1.0; }
  double F1() const { return P() + R() > 0 ? 2 * P() * R() / (P() + R()) : 0.0; }
  nlohmann::ordered_json Json() const {
    return {{"tp", tp}, {"fp", fp}, {"fn", fn}, {"precision", P()}, {"recall", R()}, {"f1", F1()}};
  }
};

std::set<std::string> StringSet(const nlohmann::json& j, const char* key) {
  std::set<std::string> out;
  if (j.contains(key))
    for (const auto& v : j.at(key)) out.insert(v.get<std::string>());
  return out;
}

std::string Join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : " ") + x;
  return out.empty() ? "-" : out;
}

}  // namespace

EvalCommand::EvalCommand(CLI::App* app, std::string default_gold)
    : gold_(std::move(default_gold)) {
  cmd_ = app->add_subcommand("eval", "score codes and fused segments against gold notes");
  cmd_->add_option("--gold", gold_, "gold JSONL (default: ../shared/gold/dev.jsonl)");
  AddModelFlags(cmd_, &model_);
  cmd_->add_flag("--json", json_, "print the figures as one JSON object");
  cmd_->add_flag("--quiet", quiet_, "do not list disagreements");
}

bool EvalCommand::Selected() const { return cmd_->parsed(); }

int EvalCommand::Run() const {
  auto model = LoadModel(model_);
  if (!model) return kExitModel;
  auto manifest = internal::Manifest::Load(model->models_dir() + "/manifest.toml");
  if (!manifest.ok()) {
    spdlog::error("{}", manifest.status().ToString());
    return kExitModel;
  }
  std::ifstream in(gold_);
  if (!in) {
    spdlog::error("cannot read gold file {}", gold_);
    return kExitIo;
  }
  Prf codes, segments;
  long notes = 0;
  std::string line;
  std::vector<std::string> disagreements;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json g = nlohmann::json::parse(line, nullptr, false);
    if (g.is_discarded() || !g.contains("text") || !g.contains("id")) {
      spdlog::error("gold line {} is malformed", notes + 1);
      return kExitIo;
    }
    ++notes;
    const std::string id = g["id"].is_string() ? g["id"].get<std::string>() : g["id"].dump();
    const std::string text = g["text"].get<std::string>();
    // The gold record's care setting (outpatient when absent).
    AnalyzeOptions options;
    if (g.contains("setting")) {
      const auto& s = g["setting"];
      if (!s.is_string() || (s != "outpatient" && s != "inpatient")) {
        spdlog::error("gold line {}: setting must be \"outpatient\" or \"inpatient\"", notes);
        return kExitIo;
      }
      options.setting = s == "inpatient" ? Setting::kInpatient : Setting::kOutpatient;
    }
    auto r = model->Analyze(text, options);
    std::set<std::string> got_codes, got_segments;
    if (r.ok()) {
      for (const Suggestion& s : r->suggestions)
        if (InFamilies(s.code)) got_codes.insert(s.code);
      for (const Fact& f : r->facts)
        if (CountsAsFused(f, *manifest)) got_segments.insert(f.segments.begin(), f.segments.end());
    } else {
      disagreements.push_back(id + ": analyze failed: " + r.status().ToString());
    }
    const auto req = StringSet(g, "codes_required");
    const auto opt = StringSet(g, "codes_optional");
    const auto seg = StringSet(g, "fused_segments");
    std::set<std::string> fp_codes, fn_codes, fp_seg, fn_seg;
    for (const auto& c : got_codes) {
      if (req.count(c)) ++codes.tp;
      else if (!opt.count(c)) { ++codes.fp; fp_codes.insert(c); }
    }
    for (const auto& c : req)
      if (!got_codes.count(c)) { ++codes.fn; fn_codes.insert(c); }
    for (const auto& s : got_segments) {
      if (seg.count(s)) ++segments.tp;
      else { ++segments.fp; fp_seg.insert(s); }
    }
    for (const auto& s : seg)
      if (!got_segments.count(s)) { ++segments.fn; fn_seg.insert(s); }
    if (!fp_codes.empty() || !fn_codes.empty())
      disagreements.push_back(id + ": codes extra [" + Join(fp_codes) + "] missing [" +
                              Join(fn_codes) + "]");
    if (!fp_seg.empty() || !fn_seg.empty())
      disagreements.push_back(id + ": segments extra [" + Join(fp_seg) + "] missing [" +
                              Join(fn_seg) + "]");
  }
  // No note scored is no evidence: precision and recall of nothing would
  // print as perfect scores.
  if (notes == 0) {
    spdlog::error("gold file {} holds no notes: nothing to score", gold_);
    return kExitIo;
  }
  if (json_) {
    nlohmann::ordered_json j;
    j["gold"] = gold_;
    j["notes"] = notes;
    j["codes"] = codes.Json();
    j["segments"] = segments.Json();
    j["disagreements"] = disagreements;
    std::cout << j.dump(2) << '\n';
    return kExitOk;
  }
  std::printf("gold: %s (%ld notes)\n", gold_.c_str(), notes);
  std::printf("codes     P %.3f  R %.3f  F1 %.3f  (tp %ld fp %ld fn %ld)\n", codes.P(), codes.R(),
              codes.F1(), codes.tp, codes.fp, codes.fn);
  std::printf("segments  P %.3f  R %.3f  F1 %.3f  (tp %ld fp %ld fn %ld)\n", segments.P(),
              segments.R(), segments.F1(), segments.tp, segments.fp, segments.fn);
  if (!quiet_) {
    std::printf("disagreements (%zu):\n", disagreements.size());
    for (const auto& d : disagreements) std::printf("  %s\n", d.c_str());
  }
  return kExitOk;
}

}  // namespace suggest::tools
