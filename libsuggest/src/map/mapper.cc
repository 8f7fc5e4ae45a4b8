// Copyright libsuggest authors.
#include "map/mapper.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "facts/levels.h"
#include "util/toml_file.h"

namespace suggest::internal {
namespace {

constexpr int64_t kSchemaVersion = 1;

bool ParseAssertion(std::string_view s, Assertion* a) {
  static const std::pair<const char*, Assertion> kNames[] = {
      {"present", Assertion::kPresent},       {"negated", Assertion::kNegated},
      {"possible", Assertion::kPossible},     {"hypothetical", Assertion::kHypothetical},
      {"historical", Assertion::kHistorical}, {"family", Assertion::kFamily}};
  for (const auto& [name, value] : kNames)
    if (s == name) {
      *a = value;
      return true;
    }
  return false;
}

Status ReadStrings(const std::string& path, const toml::table& t, const char* key,
                   const std::string& what, std::vector<std::string>* out) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return Status();
  const toml::array* arr = n->as_array();
  if (arr == nullptr) return TomlError(path, *n, what + ": " + key + " must be an array of strings");
  for (const toml::node& el : *arr) {
    const auto* s = el.as_string();
    if (s == nullptr) return TomlError(path, el, what + ": " + key + " must hold strings");
    out->push_back(s->get());
  }
  return Status();
}

std::string ReadString(const toml::table& t, const char* key) {
  const auto* s = t.get_as<std::string>(key);
  return s ? s->get() : std::string();
}

// Sections whose statements are diagnoses or direct findings weigh more than
// background history; review of systems weighs least.
double SectionWeight(std::string_view kind) {
  if (kind == "impression" || kind == "postoperative_diagnosis" ||
      kind == "preoperative_diagnosis" || kind == "findings" || kind == "imaging" ||
      kind == "procedure")
    return 0.10;
  if (kind == "past_surgical_history" || kind == "past_medical_history" ||
      kind == "history_of_present_illness" || kind == "indications")
    return 0.05;
  if (kind == "review_of_systems") return -0.10;
  return 0.0;
}

std::string Pretty(std::string_view kind) {
  std::string s(kind);
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

// Region names as a coder reads them in ICD-10-CM titles.
std::string RegionTitle(const std::string& region) {
  if (region == "occipito_atlanto_axial") return "occipito-atlanto-axial";
  if (region == "sacral_sacrococcygeal") return "sacral and sacrococcygeal";
  return region;
}

std::string JoinList(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += i + 1 == v.size() ? " and " : ", ";
    out += v[i];
  }
  return out;
}

bool IsFusionFinding(const Fact& f) {
  return f.kind == "imaging_finding" &&
         (f.finding == "solid_fusion" || f.finding == "bony_ankylosis" ||
          f.finding == "bridging_bone");
}

bool Asserted(const Fact& f) {
  return f.assertion == Assertion::kPresent || f.assertion == Assertion::kHistorical;
}

struct Candidate {
  std::string code;
  const MapRule* rule = nullptr;
  std::vector<int> facts;
  std::vector<std::string> regions;
  bool unspecified = false;
  double score = 0;
};

}  // namespace

StatusOr<std::shared_ptr<const Mapper>> Mapper::Load(const std::string& path,
                                                     std::shared_ptr<const CodeTable> table) {
  auto parsed = ParseTomlFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  if (Status s = CheckKnownKeys(path, root, {"schema_version", "map"}, "map file"); !s.ok())
    return s;
  if (Status s = CheckSchemaVersion(path, root, kSchemaVersion, kSchemaVersion); !s.ok()) return s;
  const toml::array* maps = root.get_as<toml::array>("map");
  if (maps == nullptr || maps->empty())
    return TomlError(path, toml::source_position{1, 1}, "no [[map]] rules");

  std::shared_ptr<Mapper> mapper(new Mapper());
  mapper->table_ = table;
  std::set<std::string> ids;
  for (const toml::node& node : *maps) {
    const toml::table* t = node.as_table();
    if (t == nullptr) return TomlError(path, node, "[[map]] must be a table");
    MapRule r;
    r.id = ReadString(*t, "id");
    const std::string what = "map \"" + r.id + "\"";
    if (r.id.empty()) return TomlError(path, node, "[[map]] without id");
    if (!ids.insert(r.id).second) return TomlError(path, *t->get("id"), what + ": duplicate id");
    if (Status s = CheckKnownKeys(path, *t,
                                  {"id", "fact", "assertion", "when", "detail", "code",
                                   "by_region", "multiple", "unspecified", "requires", "replaces",
                                   "replaces_reason", "rationale"},
                                  what);
        !s.ok())
      return s;
    r.fact = ReadString(*t, "fact");
    if (r.fact.empty()) return TomlError(path, node, what + ": missing fact");
    std::vector<std::string> assertions;
    if (Status s = ReadStrings(path, *t, "assertion", what, &assertions); !s.ok()) return s;
    if (assertions.empty()) return TomlError(path, node, what + ": missing assertion list");
    for (const std::string& a : assertions) {
      Assertion value;
      if (!ParseAssertion(a, &value))
        return TomlError(path, *t->get("assertion"), what + ": unknown assertion \"" + a + "\"");
      r.assertions.push_back(value);
    }
    if (Status s = ReadStrings(path, *t, "when", what, &r.when); !s.ok()) return s;
    if (Status s = ReadStrings(path, *t, "replaces", what, &r.replaces); !s.ok()) return s;
    r.has_detail = t->contains("detail");
    r.detail = ReadString(*t, "detail");
    r.code = ReadString(*t, "code");
    r.multiple = ReadString(*t, "multiple");
    r.unspecified = ReadString(*t, "unspecified");
    r.requires_kind = ReadString(*t, "requires");
    r.replaces_reason = ReadString(*t, "replaces_reason");
    r.rationale = ReadString(*t, "rationale");
    if (const toml::table* br = t->get_as<toml::table>("by_region")) {
      for (const auto& [k, v] : *br) {
        const auto* code = v.as_string();
        if (code == nullptr) return TomlError(path, v, what + ": by_region values are codes");
        r.by_region[std::string(k.str())] = code->get();
      }
    }
    if (r.code.empty() == r.by_region.empty())
      return TomlError(path, node, what + ": needs exactly one of code / by_region");
    if (!r.by_region.empty() && r.unspecified.empty())
      return TomlError(path, node, what + ": by_region needs an unspecified code");
    if (r.rationale.empty()) return TomlError(path, node, what + ": missing rationale");

    // Every code the rule can emit must exist and be billable in this year.
    std::vector<std::pair<std::string, const toml::node*>> emitted;
    if (!r.code.empty()) emitted.push_back({r.code, t->get("code")});
    for (const auto& [region, code] : r.by_region)
      emitted.push_back({code, t->get_as<toml::table>("by_region")->get(region)});
    if (!r.multiple.empty()) emitted.push_back({r.multiple, t->get("multiple")});
    if (!r.unspecified.empty()) emitted.push_back({r.unspecified, t->get("unspecified")});
    for (const auto& [code, where] : emitted) {
      const CodeEntry* e = table->Find(code);
      if (e == nullptr)
        return TomlError(path, *where, what + ": code " + code + " does not exist in " +
                                           table->code_set());
      if (!e->billable)
        return TomlError(path, *where, what + ": code " + code + " is not billable in " +
                                           table->code_set() + " (a header)");
    }
    mapper->rules_.push_back(std::move(r));
  }
  return std::shared_ptr<const Mapper>(std::move(mapper));
}

void Mapper::Map(std::string_view text, Result* result) const {
  const std::vector<Fact>& facts = result->facts;
  result->code_set = table_->code_set();

  auto section_kind = [](const Fact& f) -> std::string_view { return f.section_kind; };
  auto kind_asserted = [&](const std::string& kind) {
    for (const Fact& f : facts)
      if (f.kind == kind && Asserted(f) && f.when != "planned") return true;
    return false;
  };
  const bool imaging_confirms = std::any_of(facts.begin(), facts.end(), [](const Fact& f) {
    return Asserted(f) && (IsFusionFinding(f) || (f.kind == "imaging_finding" && f.finding == "hardware"));
  });

  std::vector<Candidate> cands;
  for (const MapRule& rule : rules_) {
    std::vector<int> matching;
    for (const Fact& f : facts) {
      if (f.kind != rule.fact) continue;
      if (std::find(rule.assertions.begin(), rule.assertions.end(), f.assertion) ==
          rule.assertions.end())
        continue;
      if (!rule.when.empty() &&
          std::find(rule.when.begin(), rule.when.end(), f.when) == rule.when.end())
        continue;
      if (rule.has_detail && f.detail != rule.detail) continue;
      matching.push_back(f.id);
    }
    if (matching.empty()) continue;
    if (!rule.requires_kind.empty() && !kind_asserted(rule.requires_kind)) {
      result->gaps.push_back({"fusion_not_documented",
                              "A " + Pretty(rule.fact) + " is documented but the " +
                                  Pretty(rule.requires_kind) +
                                  " it would follow is not; query whether the patient had one "
                                  "before coding " + rule.code + ".",
                              matching});
      continue;
    }
    if (!rule.code.empty()) {
      cands.push_back({rule.code, &rule, matching, {}, false, 0});
      continue;
    }
    std::vector<std::string> regions;
    for (int id : matching)
      for (const std::string& reg : facts[id].regions)
        if (rule.by_region.count(reg) &&
            std::find(regions.begin(), regions.end(), reg) == regions.end())
          regions.push_back(reg);
    if (regions.empty()) {
      cands.push_back({rule.unspecified, &rule, matching, {}, true, 0});
      result->gaps.push_back({"region_unspecified",
                              Pretty(rule.fact) + " is documented without a spinal region or "
                              "level; " + rule.unspecified +
                                  " (site unspecified) is suggested: query the region.",
                              matching});
    } else if (regions.size() > 1 && !rule.multiple.empty()) {
      cands.push_back({rule.multiple, &rule, matching, regions, false, 0});
    } else {
      for (const std::string& reg : regions) {
        // A mention naming no region ("IMPRESSION: Ankylosing spondylitis.")
        // supports the code when the note documents only one region.
        std::vector<int> per;
        for (int id : matching)
          if (std::find(facts[id].regions.begin(), facts[id].regions.end(), reg) !=
                  facts[id].regions.end() ||
              (regions.size() == 1 && facts[id].regions.empty()))
            per.push_back(id);
        cands.push_back({rule.by_region.at(reg), &rule, per, {reg}, false, 0});
      }
    }
  }

  // Scores.
  for (Candidate& c : cands) {
    double best = 0;
    bool all_weak = true;
    for (int id : c.facts) {
      const Fact& f = facts[id];
      best = std::max(best, 0.80 + SectionWeight(section_kind(f)));
      all_weak = all_weak && f.weak;
    }
    double score = best + std::min(0.09, 0.03 * (static_cast<double>(c.facts.size()) - 1));
    if (imaging_confirms) score += 0.05;
    if (all_weak) score -= 0.10;
    if (c.unspecified) score -= 0.15;
    // A junction region (cervicothoracic, thoracolumbar, lumbosacral) ranks
    // first among the codes of one range (design.md section 4).
    if (c.regions.size() == 1 && (c.regions[0] == "cervicothoracic" ||
                                  c.regions[0] == "thoracolumbar" || c.regions[0] == "lumbosacral"))
      score += 0.01;
    c.score = std::round(std::clamp(score, 0.05, 0.99) * 100) / 100;
  }

  // Replacements (M96.0 makes Z98.1 redundant), then Excludes1 from the
  // table: the code whose note excludes the other gives way.
  std::vector<bool> dropped(cands.size(), false);
  for (size_t i = 0; i < cands.size(); ++i) {
    for (const std::string& code : cands[i].rule->replaces) {
      for (size_t j = 0; j < cands.size(); ++j) {
        if (j == i || dropped[j] || cands[j].code.rfind(code, 0) != 0) continue;
        dropped[j] = true;
        result->suppressed.push_back(
            {cands[j].code, cands[i].rule->replaces_reason, cands[j].facts});
      }
    }
  }
  for (size_t i = 0; i < cands.size(); ++i) {
    for (size_t j = 0; j < cands.size(); ++j) {
      if (i == j || dropped[i] || dropped[j]) continue;
      // Note at cands[i] excluding cands[j]: i loses.
      if (!table_->Excludes1From(cands[i].code, cands[j].code)) continue;
      dropped[i] = true;
      result->suppressed.push_back(
          {cands[i].code,
           "Excludes1 at " + cands[i].code + " (" + table_->ExcludesNote(cands[i].code, cands[j].code) +
               "): " + cands[j].code + " is documented",
           cands[i].facts});
    }
  }

  // Suggestions with rationale and evidence.
  for (size_t i = 0; i < cands.size(); ++i) {
    if (dropped[i]) continue;
    const Candidate& c = cands[i];
    Suggestion s;
    s.code = c.code;
    const CodeEntry* e = table_->Find(c.code);
    s.title = e ? e->title : std::string();
    s.score = c.score;
    std::vector<std::string> segments, regions = c.regions;
    const Fact* lead = nullptr;
    for (int id : c.facts) {
      const Fact& f = facts[id];
      s.evidence.push_back({f.span, f.id});
      for (const auto& seg : f.segments)
        // A per-region code names only the segments of its region (M43.22
        // of "fusion of C5-C6 and of L3-L4" is at C5-C6).
        if ((c.regions.size() != 1 || RegionOfSegment(seg) == c.regions[0]) &&
            std::find(segments.begin(), segments.end(), seg) == segments.end())
          segments.push_back(seg);
      if (c.regions.empty())
        for (const auto& reg : f.regions)
          if (std::find(regions.begin(), regions.end(), reg) == regions.end()) regions.push_back(reg);
      if (lead == nullptr || SectionWeight(section_kind(f)) > SectionWeight(section_kind(*lead)))
        lead = &f;
    }
    std::sort(s.evidence.begin(), s.evidence.end(),
              [](const Evidence& a, const Evidence& b) { return a.span.begin < b.span.begin; });
    std::string r = c.rule->rationale;
    auto fill = [&r](const std::string& key, const std::string& value) {
      for (size_t p; (p = r.find(key)) != std::string::npos;) r.replace(p, key.size(), value);
    };
    fill("{segments}", segments.empty() ? "" : " at " + JoinList(segments));
    std::vector<std::string> region_titles;
    for (const auto& reg : regions) region_titles.push_back(RegionTitle(reg));
    fill("{regions}", regions.empty() ? "site not documented" : JoinList(region_titles));
    const std::string_view sk = lead ? section_kind(*lead) : std::string_view();
    fill("{section}", sk.empty() || sk == "other" ? "" : " in " + Pretty(sk));
    fill("{cue}", lead && lead->has_cue && lead->cue.span.end <= text.size()
                      ? " (\"" + std::string(text.substr(lead->cue.span.begin, lead->cue.span.size())) + "\")"
                      : "");
    if (c.facts.size() > 1) r += " " + std::to_string(c.facts.size()) + " mentions.";
    s.rationale = r;
    result->suggestions.push_back(std::move(s));
  }
  std::sort(result->suggestions.begin(), result->suggestions.end(),
            [](const Suggestion& a, const Suggestion& b) {
              if (a.score != b.score) return a.score > b.score;
              if (a.code.size() != b.code.size()) return a.code.size() > b.code.size();
              return a.code < b.code;
            });
  for (size_t i = 0; i < result->suggestions.size(); ++i)
    result->suggestions[i].rank = static_cast<int>(i + 1);

  // Documentation gaps beyond the mapping itself.
  std::vector<int> unleveled, uncaused;
  const bool cause_known = kind_asserted("fusion_procedure") || kind_asserted("ankylosis") ||
                           kind_asserted("ankylosing_spondylitis") ||
                           kind_asserted("congenital_fusion");
  for (const Fact& f : facts) {
    if (!IsFusionFinding(f) || !Asserted(f)) continue;
    if (f.segments.empty()) unleveled.push_back(f.id);
    if (!cause_known) uncaused.push_back(f.id);
  }
  if (!unleveled.empty())
    result->gaps.push_back({"imaging_levels_missing",
                            "Imaging describes a fusion without naming the levels; query the "
                            "fused segments.",
                            unleveled});
  if (!uncaused.empty())
    result->gaps.push_back({"cause_unspecified",
                            "Imaging shows a fused spine but the note does not say whether it is "
                            "surgical (arthrodesis status), acquired ankylosis, ankylosing "
                            "spondylitis or congenital; query the cause.",
                            uncaused});
  for (const char* kind : {"fusion_procedure", "ankylosis", "ankylosing_spondylitis",
                           "congenital_fusion", "pseudarthrosis"}) {
    std::vector<int> neg, pos;
    for (const Fact& f : facts) {
      if (f.kind != kind || f.when == "planned") continue;
      if (f.assertion == Assertion::kNegated) neg.push_back(f.id);
      if (Asserted(f)) pos.push_back(f.id);
    }
    if (neg.empty() || pos.empty()) continue;
    // Conflict only where both statements are about the same levels (or
    // neither names any).
    // (One set of the affirmed segments, not a loop over every pair: a note
    // can hold thousands of statements.)
    std::set<std::string_view> pos_segments;
    bool pos_unleveled = false;
    for (int b : pos) {
      pos_unleveled = pos_unleveled || facts[b].segments.empty();
      pos_segments.insert(facts[b].segments.begin(), facts[b].segments.end());
    }
    bool conflict = false;
    for (int a : neg) {
      const auto& sa = facts[a].segments;
      if (sa.empty() && pos_unleveled) conflict = true;
      for (const auto& x : sa) conflict = conflict || pos_segments.count(x) > 0;
      if (conflict) break;
    }
    if (!conflict) continue;
    std::vector<int> both = neg;
    both.insert(both.end(), pos.begin(), pos.end());
    std::sort(both.begin(), both.end());
    result->gaps.push_back({"conflicting_statements",
                            "The note both affirms and negates " + Pretty(kind) +
                                " for the same levels; query which is correct.",
                            both});
  }
}

}  // namespace suggest::internal
