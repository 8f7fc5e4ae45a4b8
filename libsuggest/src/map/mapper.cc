// Copyright libsuggest authors.
#include "map/mapper.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "facts/anatomy.h"
#include "facts/manifest.h"
#include "text/sectionizer.h"
#include "suggest/version.h"
#include "util/toml_file.h"

namespace suggest::internal {
namespace {

constexpr int64_t kSchemaVersion = SUGGEST_RULES_SCHEMA_MAP;  // 2: texts, [score]

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

// The texts the mapper writes, by table: every key must be given (and no
// other), so a coder sees and reviews each sentence.
const std::vector<std::string> kNotCodedKeys = {
    "performed_this_encounter", "same_stay", "uncertain", "negated", "family", "planned",
    "excludes1", "replaced", "requires_fusion", "supporting_imaging", "supporting_disease",
    "outside_families"};
const std::vector<std::string> kGapKeys = {
    "fusion_not_documented", "region_unspecified", "imaging_levels_missing",
    "cause_unspecified", "uncertain_diagnosis", "conflicting_statements",
    "hardware_without_fusion"};
const std::vector<std::string> kNoteKeys = {"established_at_discharge"};

Status ReadTexts(const std::string& path, const toml::table& root, const char* name,
                 const std::vector<std::string>& keys, std::map<std::string, std::string>* out) {
  const toml::node* n = root.get(name);
  const toml::table* t = n ? n->as_table() : nullptr;
  if (t == nullptr)
    return TomlError(path, n ? n->source().begin : toml::source_position{1, 1},
                     std::string("missing [") + name + "] table of texts");
  LoadErrors errors;
  for (const auto& [k, v] : *t)
    if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
      errors.Add(TomlError(path, v, std::string("[") + name + "]: unknown key \"" +
                                        std::string(k.str()) + "\"" + AllowedList(k.str(), keys)));
  for (const std::string& k : keys) {
    const auto* v = t->get_as<std::string>(k);
    if (v == nullptr || v->get().empty())
      errors.Add(TomlError(path, *t, std::string("[") + name + "]: missing text \"" + k + "\""));
    else
      (*out)[k] = v->get();
  }
  return errors.ToStatus();
}

std::string ReadString(const toml::table& t, const char* key) {
  const auto* s = t.get_as<std::string>(key);
  return s ? s->get() : std::string();
}

// [score] of map.toml: every number of the scoring (mapper.h), required.
const std::vector<std::string> kScoreKeys = {
    "base",           "established_uncertain", "per_extra_mention", "max_extra_mentions",
    "imaging_confirms", "all_weak",            "unspecified_site",  "junction_first",
    "min",            "max"};

Status ReadScore(const std::string& path, const toml::table& root, const SectionRules* sections,
                 MapScore* out) {
  const toml::node* n = root.get("score");
  const toml::table* t = n ? n->as_table() : nullptr;
  if (t == nullptr)
    return TomlError(path, n ? n->source().begin : toml::source_position{1, 1},
                     "missing [score] table");
  LoadErrors errors;
  for (const auto& [k, v] : *t) {
    if (k.str() == "section_weight") continue;
    if (std::find(kScoreKeys.begin(), kScoreKeys.end(), k.str()) == kScoreKeys.end()) {
      std::vector<std::string> allowed = kScoreKeys;
      allowed.emplace_back("section_weight");
      errors.Add(TomlError(path, v, "[score]: unknown key \"" + std::string(k.str()) + "\"" +
                                        AllowedList(k.str(), allowed)));
    }
  }
  for (const std::string& k : kScoreKeys) {
    const toml::node* v = t->get(k);
    const auto x = v ? v->value<double>() : std::nullopt;
    if (!x)
      errors.Add(TomlError(path, v ? *v : *n, "[score]: " + k + " must be a number"));
    else
      out->values[k] = *x;
  }
  if (const toml::table* w = t->get_as<toml::table>("section_weight")) {
    for (const auto& [k, v] : *w) {
      const auto x = v.value<double>();
      if (!x) {
        errors.Add(TomlError(path, v, "[score.section_weight]: values are numbers"));
      } else if (sections != nullptr && !sections->KnowsKind(k.str())) {
        errors.Add(TomlError(path, v,
                             "[score.section_weight]: unknown section kind \"" +
                                 std::string(k.str()) + "\" (sections.toml [kinds]: " +
                                 sections->KindList() + ")" +
                                 DidYouMean(k.str(), sections->Kinds())));
      } else {
        out->section_weight[std::string(k.str())] = *x;
      }
    }
  }
  return errors.ToStatus();
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
  if (region == "multiple_sites") return "multiple sites";
  return region;
}

// Appends `item` unless `list` holds it already (lists of regions and
// segments in the order first met).
void AddNew(std::vector<std::string>* list, const std::string& item) {
  if (std::find(list->begin(), list->end(), item) == list->end()) list->push_back(item);
}

// "a, b and c"; with semicolons when an item holds " and " itself, so
// "lumbar; sacral and sacrococcygeal" does not read as three regions.
std::string JoinList(const std::vector<std::string>& v) {
  const bool inner_and = std::any_of(v.begin(), v.end(), [](const std::string& item) {
    return item.find(" and ") != std::string::npos;
  });
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += inner_and ? "; " : i + 1 == v.size() ? " and " : ", ";
    out += v[i];
  }
  return out;
}

bool IsFusionFinding(const Fact& f, const Manifest& kinds) {
  return kinds.Is(f.kind, KindRole::kImagingFinding) &&
         kinds.FindingIs(f.finding, FindingRole::kConfirmsFusion);
}

// Every code the rule can emit must exist and be billable in this year.
Status CheckEmittedCodes(const std::string& path, const toml::table& t, const MapRule& r,
                         const CodeTable& table, const std::string& what) {
  std::vector<std::pair<std::string, const toml::node*>> emitted;
  if (!r.code.empty()) emitted.push_back({r.code, t.get("code")});
  for (const auto& [region, code] : r.by_region)
    emitted.push_back({code, t.get_as<toml::table>("by_region")->get(region)});
  if (!r.multiple.empty()) emitted.push_back({r.multiple, t.get("multiple")});
  if (!r.unspecified.empty()) emitted.push_back({r.unspecified, t.get("unspecified")});
  for (const auto& [code, where] : emitted) {
    const CodeEntry* e = table.Find(code);
    if (e == nullptr)
      return TomlError(path, *where, what + ": code " + code + " does not exist in " +
                                         table.code_set());
    if (!e->billable)
      return TomlError(path, *where, what + ": code " + code + " is not billable in " +
                                         table.code_set() + " (a header)");
  }
  return Status();
}

// One [[map]] rule, checked: its first error, or the rule. `ids` holds the
// ids seen so far.
// A fact kind a [[map]] rule names (`fact`, `requires`) must be declared in
// the manifest, when there is one to check against.
Status CheckFactKind(const std::string& path, const toml::table& t, const char* key,
                     const std::string& kind, const Manifest* manifest, const std::string& what) {
  if (manifest == nullptr || kind.empty() || manifest->Knows(kind)) return Status();
  return TomlError(path, *t.get(key),
                   what + ": " + key + " \"" + kind +
                       "\" is not a kind declared in manifest.toml [kinds]" +
                       DidYouMean(kind, manifest->Kinds()));
}

StatusOr<MapRule> ReadMapRule(const std::string& path, const toml::node& node,
                              const CodeTable& table, const Manifest* manifest,
                              std::set<std::string>* ids) {
  const toml::table* t = node.as_table();
  if (t == nullptr) return TomlError(path, node, "[[map]] must be a table");
  MapRule r;
  r.id = ReadString(*t, "id");
  const std::string what = "map \"" + r.id + "\"";
  if (r.id.empty()) return TomlError(path, node, "[[map]] without id");
  if (!ids->insert(r.id).second) return TomlError(path, *t->get("id"), what + ": duplicate id");
  if (Status s = CheckKnownKeys(path, *t,
                                {"id", "fact", "assertion", "when", "detail", "code",
                                 "by_region", "multiple", "unspecified", "requires", "replaces",
                                 "replaces_scope", "replaces_basis", "replaces_reason",
                                 "supersedes", "supersedes_reason", "rationale"},
                                what);
      !s.ok())
    return s;
  r.fact = ReadString(*t, "fact");
  if (r.fact.empty()) return TomlError(path, node, what + ": missing fact");
  if (Status s = CheckFactKind(path, *t, "fact", r.fact, manifest, what); !s.ok()) return s;
  std::vector<std::string> assertions;
  if (Status s = ReadStrings(path, *t, "assertion", what, &assertions); !s.ok()) return s;
  if (assertions.empty()) return TomlError(path, node, what + ": missing assertion list");
  for (const std::string& a : assertions) {
    Assertion value;
    if (!ParseAssertion(a, &value))
      return TomlError(path, *t->get("assertion"), what + ": unknown assertion \"" + a + "\"" +
                           AllowedList(a, {"present", "historical", "negated", "possible",
                                           "hypothetical", "family"}));
    r.assertions.push_back(value);
  }
  if (Status s = ReadStrings(path, *t, "when", what, &r.when); !s.ok()) return s;
  if (Status s = ReadStrings(path, *t, "replaces", what, &r.replaces); !s.ok()) return s;
  if (Status s = ReadStrings(path, *t, "supersedes", what, &r.supersedes); !s.ok()) return s;
  r.supersedes_reason = ReadString(*t, "supersedes_reason");
  if (!r.supersedes.empty() && r.supersedes_reason.empty())
    return TomlError(path, node, what + ": supersedes needs a supersedes_reason");
  r.has_detail = t->contains("detail");
  r.detail = ReadString(*t, "detail");
  r.code = ReadString(*t, "code");
  r.multiple = ReadString(*t, "multiple");
  r.unspecified = ReadString(*t, "unspecified");
  r.requires_kind = ReadString(*t, "requires");
  if (Status s = CheckFactKind(path, *t, "requires", r.requires_kind, manifest, what); !s.ok())
    return s;
  r.replaces_reason = ReadString(*t, "replaces_reason");
  r.replaces_scope = ReadString(*t, "replaces_scope");
  r.replaces_basis = ReadString(*t, "replaces_basis");
  if (r.replaces_basis.empty()) r.replaces_basis = "replaced";
  if (r.replaces_basis != "replaced" && r.replaces_basis != "excludes1")
    return TomlError(path, *t->get("replaces_basis"),
                     what + ": replaces_basis must be \"replaced\" or \"excludes1\"" +
                         DidYouMean(r.replaces_basis, {"replaced", "excludes1"}));
  if (!r.replaces_scope.empty() && r.replaces_scope != "note" && r.replaces_scope != "same_segments")
    return TomlError(path, *t->get("replaces_scope"),
                     what + ": replaces_scope must be \"note\" or \"same_segments\"" +
                         DidYouMean(r.replaces_scope, {"note", "same_segments"}));
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

  if (Status st = CheckEmittedCodes(path, *t, r, table, what); !st.ok()) return st;
  return r;
}

}  // namespace

// Every error of the file is reported (LoadErrors): the top-level keys, each
// table of texts, [score], then each [[map]] rule's first error. Only a file
// that cannot be read as a map file (syntax, schema_version, no [[map]])
// stops early.
StatusOr<std::shared_ptr<const Mapper>> Mapper::Load(const std::string& path,
                                                     std::shared_ptr<const CodeTable> table,
                                                     const SectionRules* sections,
                                                     std::shared_ptr<const Manifest> manifest) {
  auto parsed = ParseTomlFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  LoadErrors errors;
  errors.Add(CheckKnownKeys(path, root,
                            {"schema_version", "map", "not_coded", "gap", "note", "score"},
                            "map file"));
  if (errors.Add(CheckSchemaVersion(path, root, kSchemaVersion, kSchemaVersion)))
    return errors.ToStatus();
  const toml::array* maps = root.get_as<toml::array>("map");
  if (maps == nullptr || maps->empty()) {
    errors.Add(TomlError(path, toml::source_position{1, 1}, "no [[map]] rules"));
    return errors.ToStatus();
  }

  std::shared_ptr<Mapper> mapper(new Mapper());
  mapper->table_ = table;
  // Without a manifest (it failed to load, or a test of map.toml alone) the
  // kinds go unchecked and no kind has a role.
  mapper->kinds_ = manifest != nullptr ? manifest : std::make_shared<const Manifest>();
  errors.Add(ReadTexts(path, root, "not_coded", kNotCodedKeys, &mapper->policy_.not_coded));
  errors.Add(ReadTexts(path, root, "gap", kGapKeys, &mapper->policy_.gap));
  errors.Add(ReadTexts(path, root, "note", kNoteKeys, &mapper->policy_.note));
  errors.Add(ReadScore(path, root, sections, &mapper->score_));
  std::set<std::string> ids;
  for (const toml::node& node : *maps) {
    auto rule = ReadMapRule(path, node, *table, manifest.get(), &ids);
    if (errors.Add(rule.status())) continue;
    mapper->rules_.push_back(std::move(*rule));
  }
  if (!errors.ok()) return errors.ToStatus();
  return std::shared_ptr<const Mapper>(std::move(mapper));
}

// Everything one Map call reads.
struct MapInput {
  std::string_view text;
  const std::vector<Fact>& facts;
  // Per fact: its assertion as the coding rules see it. An uncertain
  // diagnosis documented at discharge counts as present in the inpatient
  // setting (Official Guidelines II.H, III.C); never in the outpatient one
  // (IV.H).
  std::vector<Assertion> assertion;
  std::vector<bool> established;  // possible, coded as established (II.H)
};

// Why a candidate code was dropped: the basis of its facts' not_coded entry.
struct MapDrop {
  std::string basis;  // "excludes1" or "replaced"; empty: kept
  std::string winner;
  std::string reason;
};

namespace {

// The segments a group of statements names, and whether one of them names
// none (so it speaks of the diagnosis anywhere): one set for the group, not
// a loop over every pair of statements (a note can hold thousands).
struct SegmentUnion {
  std::set<std::string_view> segments;
  bool unleveled = false;
  void Add(const Fact& f) {
    unleveled = unleveled || f.segments.empty();
    segments.insert(f.segments.begin(), f.segments.end());
  }
  bool Shares(const std::vector<std::string>& segs) const {
    return std::any_of(segs.begin(), segs.end(),
                       [&](const std::string& x) { return segments.count(x) > 0; });
  }
};

// The diagnoses the note denies, by kind and detail.
class Denied {
 public:
  explicit Denied(const std::vector<Fact>& facts) {
    for (const Fact& g : facts)
      if (g.assertion == Assertion::kNegated) by_kind_[{g.kind, g.detail}].Add(g);
  }
  // Whether the note denies `f`'s diagnosis where `f` stands.
  bool Covers(const Fact& f) const {
    auto it = by_kind_.find({f.kind, f.detail});
    if (it == by_kind_.end()) return false;
    return it->second.unleveled || f.segments.empty() || it->second.Shares(f.segments);
  }

 private:
  std::map<std::pair<std::string_view, std::string_view>, SegmentUnion> by_kind_;
};

MapInput ReadInput(std::string_view text, const Result& result) {
  MapInput in{text, result.facts, {}, {}};
  // II.H codes an uncertain diagnosis as it stands at discharge: one the
  // note rules out ("Admitted with concern for pseudarthrosis ... CT showed
  // solid fusion without pseudarthrosis") is not established.
  std::optional<Denied> denied;
  for (const Fact& f : result.facts) {
    bool est = f.assertion == Assertion::kPossible &&
               result.setting == Setting::kInpatient && f.at_discharge;
    if (est) {
      if (!denied) denied.emplace(result.facts);
      est = !denied->Covers(f);
    }
    in.assertion.push_back(est ? Assertion::kPresent : f.assertion);
    in.established.push_back(est);
  }
  return in;
}

bool CountsFor(const MapInput& in, const Fact& f) {
  const Assertion a = in.assertion[f.id];
  return (a == Assertion::kPresent || a == Assertion::kHistorical) && f.when != "planned";
}

// True if a fact of `kind` counts for coding (present or historical, not
// planned): what a complication's `requires` and the cause gap look for.
bool KindAsserted(const MapInput& in, std::string_view kind) {
  return std::any_of(in.facts.begin(), in.facts.end(),
                     [&](const Fact& f) { return f.kind == kind && CountsFor(in, f); });
}

// Whether the note also states a fact's diagnosis definitely: a fact of the
// same kind and detail that counts, naming the same segments (or either
// naming none). "Consistent with DISH" in the findings and "DISH" in the
// impression: the impression settles it, so there is nothing to confirm.
// (The facts that count are grouped once by kind and detail, not scanned
// again for every uncertain fact: a note can hold thousands.)
class Settled {
 public:
  explicit Settled(const MapInput& in) {
    for (const Fact& g : in.facts)
      if (CountsFor(in, g)) by_kind_[{g.kind, g.detail}].push_back(&g);
  }
  bool Elsewhere(const Fact& f) const {
    auto it = by_kind_.find({f.kind, f.detail});
    if (it == by_kind_.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(), [&](const Fact* g) {
      if (g->id == f.id) return false;
      if (f.segments.empty() || g->segments.empty()) return true;
      return std::all_of(f.segments.begin(), f.segments.end(), [&](const std::string& seg) {
        return std::find(g->segments.begin(), g->segments.end(), seg) != g->segments.end();
      });
    });
  }

 private:
  std::map<std::pair<std::string_view, std::string_view>, std::vector<const Fact*>> by_kind_;
};

std::string Fill(std::string t, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values)
    for (size_t p; (p = t.find(key)) != std::string::npos;) t.replace(p, key.size(), value);
  return t;
}

std::string Quote(std::string_view text, const Fact& f) {
  if (!f.has_cue || f.cue.span.end > text.size()) return "";
  return " (\"" + std::string(text.substr(f.cue.span.begin, f.cue.span.size())) + "\")";
}

// The regions documented for a candidate's facts.
std::set<std::string> RegionsOf(const std::vector<Fact>& facts, const std::vector<int>& ids) {
  std::set<std::string> out;
  for (int id : ids) out.insert(facts[id].regions.begin(), facts[id].regions.end());
  out.erase("multiple_sites");
  return out;
}

// The parts of the column a fact names, by the letters of its segments,
// vertebrae and regions (O, C, T, L, S): "C6-C7" is C, "L5" is L, "L5-S1"
// and "lumbosacral" are L and S. Empty when it names none.
std::set<char> PartsOfColumn(const Fact& f) {
  std::set<char> parts;
  auto add_level = [&](const std::string& s) {
    for (size_t k = 0; k < s.size(); ++k)
      if ((k == 0 || s[k - 1] == '-') && std::strchr("OCTLS", s[k]) != nullptr) parts.insert(s[k]);
  };
  for (const std::string& s : f.segments) add_level(s);
  for (const std::string& v : f.vertebrae) add_level(v);
  static const std::pair<std::string_view, std::string_view> kRegionParts[] = {
      {"occipito_atlanto_axial", "OC"}, {"cervical", "C"},  {"cervicothoracic", "CT"},
      {"thoracic", "T"},                {"thoracolumbar", "TL"}, {"lumbar", "L"},
      {"lumbosacral", "LS"},            {"sacral_sacrococcygeal", "S"}};
  for (const std::string& r : f.regions)
    for (const auto& [name, letters] : kRegionParts)
      if (r == name) parts.insert(letters.begin(), letters.end());
  return parts;
}

// True if `f` is about the same segments as one of `others`: they share a
// segment, or one side names none (then nothing tells them apart).
bool SameSegments(const std::vector<Fact>& facts, const std::vector<int>& others, const Fact& f) {
  for (int id : others) {
    const Fact& o = facts[id];
    if (o.segments.empty() || f.segments.empty()) {
      // Without segments on one side, the part of the column still tells two
      // facts apart: a pseudarthrosis at the L5 screw says nothing of a
      // C6-C7 fusion. A fact naming no part of the column reaches any.
      const std::set<char> po = PartsOfColumn(o), pf = PartsOfColumn(f);
      const bool apart = !po.empty() && !pf.empty() &&
                         std::none_of(po.begin(), po.end(), [&](char ch) { return pf.count(ch); });
      if (apart) continue;
      return true;
    }
    for (const std::string& seg : f.segments)
      if (std::find(o.segments.begin(), o.segments.end(), seg) != o.segments.end()) return true;
  }
  return false;
}

// The facts of `ids` that say where they are (segments or a part of the
// column), or all of them when none does. A code's unlocated mention is
// another mention of the located one ("nonunion at L4-L5 with a broken rod;
// pseudarthrosis"), not a claim on every fusion of the note: the C5-C6 ACDF
// beside it keeps its status (blind round 22D).
std::vector<int> LocatedOrAll(const std::vector<Fact>& facts, const std::vector<int>& ids) {
  std::vector<int> located;
  for (int id : ids)
    if (!facts[id].segments.empty() || !PartsOfColumn(facts[id]).empty()) located.push_back(id);
  return located.empty() ? ids : located;
}

// Splits `ids` into the facts about the same segments as `seeds` and the
// others. A fact taken brings its own segments: "pseudarthrosis at L5-S1
// after the L4-S1 fusion ... solid fusion at L4-L5" is one construct, so the
// L4-L5 mention goes with the L4-S1 one. A fact naming no segment spreads
// nothing (it would reach every other fusion of the note).
void SplitBySegments(const std::vector<Fact>& facts, std::vector<int> seeds,
                     const std::vector<int>& ids, std::vector<int>* same,
                     std::vector<int>* other) {
  std::vector<bool> taken(ids.size(), false);
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t k = 0; k < ids.size(); ++k) {
      if (taken[k] || !SameSegments(facts, seeds, facts[ids[k]])) continue;
      taken[k] = grew = true;
      if (!facts[ids[k]].segments.empty()) seeds.push_back(ids[k]);
    }
  }
  for (size_t k = 0; k < ids.size(); ++k) (taken[k] ? same : other)->push_back(ids[k]);
}

// The evidence of a fact: its words with the levels written next to them
// ("L4-L5 posterior spinal fusion", "fusion at C5-C6"), not the bare word.
Span EvidenceSpan(const Fact& f) {
  constexpr uint32_t kNear = 12;  // bytes between the words and a level
  Span s = f.span;
  for (bool grew = true; grew;) {
    grew = false;
    for (const Span& l : f.level_spans) {
      const bool near = (l.end <= s.begin && s.begin - l.end <= kNear) ||
                        (l.begin >= s.end && l.begin - s.end <= kNear) ||
                        (l.begin < s.end && s.begin < l.end);
      if (!near || (l.begin >= s.begin && l.end <= s.end)) continue;
      s = {std::min(s.begin, l.begin), std::max(s.end, l.end)};
      grew = true;
    }
  }
  return s;
}

// The one region of a contiguous range that ends at a junction, for a family
// with a multiple-sites code (round 18, sites18): "DISH from L4 to S1" is
// lumbosacral (M48.17), "AS with ankylosis T9-L1" thoracolumbar (M45.5), not
// two sites. The range runs along one side of the junction and stops at its
// segment (L5-S1, T12-L1, C7-T1): that side is part of the junction region
// (lumbosacral = lumbar + sacral, as facts.cc RegionWordOfSegments reads a
// junction), so the range names one region. Only when both regions come
// from the segments themselves (no region word of another site) and the
// segments form one unbroken run with the junction at one end; a range across
// the junction into both sides (C4-T4) still names several regions.
std::optional<std::string> JunctionOfRange(const std::vector<Fact>& facts,
                                           const std::vector<int>& ids,
                                           const std::vector<std::string>& regions) {
  if (regions.size() != 2) return std::nullopt;
  static const std::map<std::string, std::pair<std::string, char>> kJunctions = {
      {"C7-T1", {"cervicothoracic", 'C'}}, {"C7-T1 ", {"cervicothoracic", 'T'}},
      {"T12-L1", {"thoracolumbar", 'T'}},  {"T12-L1 ", {"thoracolumbar", 'L'}},
      {"L5-S1", {"lumbosacral", 'L'}},     {"L5-S1 ", {"lumbosacral", 'S'}}};
  std::set<std::string> segs;
  for (int id : ids)
    for (const std::string& s : facts[id].segments) segs.insert(s);
  if (segs.size() < 2) return std::nullopt;
  std::map<std::string, std::string> next;  // upper vertebra -> lower
  std::set<std::string> lowers;
  for (const std::string& s : segs) {
    const size_t dash = s.find('-');
    if (dash == std::string::npos) return std::nullopt;
    next[s.substr(0, dash)] = s.substr(dash + 1);
    lowers.insert(s.substr(dash + 1));
  }
  std::string top;
  for (const auto& [up, low] : next)
    if (!lowers.count(up)) {
      if (!top.empty()) return std::nullopt;  // two runs
      top = up;
    }
  if (top.empty()) return std::nullopt;
  std::vector<std::string> run;
  for (std::string v = top; next.count(v) && run.size() <= segs.size(); v = next[v])
    run.push_back(v + "-" + next[v]);
  if (run.size() != segs.size()) return std::nullopt;
  for (const bool at_top : {true, false}) {
    const std::string& end = at_top ? run.front() : run.back();
    if (!kJunctions.count(end)) continue;
    const std::string& junction = kJunctions.at(end).first;
    // The side the run lies on: above the junction when it ends at the
    // bottom, below when it starts there.
    const char side = kJunctions.at(at_top ? end + " " : end).second;
    const std::string side_region = side == 'C'   ? "cervical"
                                    : side == 'T' ? "thoracic"
                                    : side == 'L' ? "lumbar"
                                                  : "sacral_sacrococcygeal";
    bool one_side = true;
    for (const std::string& s : run)
      if (s != end && (s[0] != side || s.rfind("C1-", 0) == 0 || s.rfind("O-", 0) == 0))
        one_side = false;
    const bool same = (regions[0] == junction && regions[1] == side_region) ||
                      (regions[1] == junction && regions[0] == side_region);
    if (one_side && same) return junction;
  }
  return std::nullopt;
}

}  // namespace

// Step 1: the codes the rules reach, with the facts behind each; region and
// requires gaps on the way.
std::vector<Mapper::Cand> Mapper::Candidates(const MapInput& in, Result* result) const {
  const std::vector<Fact>& facts = in.facts;
  std::vector<Cand> cands;
  for (const MapRule& rule : rules_) {
    std::vector<int> matching;
    for (const Fact& f : facts) {
      if (f.kind != rule.fact) continue;
      if (std::find(rule.assertions.begin(), rule.assertions.end(), in.assertion[f.id]) ==
          rule.assertions.end())
        continue;
      if (!rule.when.empty() &&
          std::find(rule.when.begin(), rule.when.end(), f.when) == rule.when.end())
        continue;
      if (rule.has_detail && f.detail != rule.detail) continue;
      matching.push_back(f.id);
    }
    if (matching.empty()) continue;
    if (!rule.requires_kind.empty() && !KindAsserted(in, rule.requires_kind)) {
      result->gaps.push_back({"fusion_not_documented",
                              Fill(Policy("gap", "fusion_not_documented"),
                                   {{"{kind}", Pretty(rule.fact)},
                                    {"{requires}", Pretty(rule.requires_kind)},
                                    {"{code}", rule.code}}),
                              matching});
      continue;
    }
    if (!rule.code.empty()) {
      cands.push_back({rule.code, &rule, matching, {}, false, 0});
      continue;
    }
    std::vector<std::string> regions;
    bool multiple_sites = false;  // "the entire spine", "multiple sites"
    for (int id : matching)
      for (const std::string& reg : facts[id].regions) {
        multiple_sites = multiple_sites || reg == "multiple_sites";
        if (rule.by_region.count(reg)) AddNew(&regions, reg);
      }
    if (multiple_sites && !rule.multiple.empty()) {
      cands.push_back({rule.multiple, &rule, matching, regions, false, 0});
    } else if (regions.empty()) {
      cands.push_back({rule.unspecified, &rule, matching, {}, true, 0});
      result->gaps.push_back({"region_unspecified",
                              Fill(Policy("gap", "region_unspecified"),
                                   {{"{kind}", Pretty(rule.fact)}, {"{code}", rule.unspecified}}),
                              matching});
    } else if (const std::optional<std::string> junction =
                   rule.multiple.empty() ? std::nullopt : JunctionOfRange(facts, matching, regions);
               junction && rule.by_region.count(*junction)) {
      cands.push_back({rule.by_region.at(*junction), &rule, matching, {*junction}, false, 0});
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
  return cands;
}

// Step 2: scores (mapper.h).
void Mapper::Score(const MapInput& in, std::vector<Cand>* cands) const {
  const std::vector<Fact>& facts = in.facts;
  const bool imaging_confirms = std::any_of(facts.begin(), facts.end(), [&](const Fact& f) {
    return CountsFor(in, f) &&
           (IsFusionFinding(f, *kinds_) ||
            (kinds_->Is(f.kind, KindRole::kImagingFinding) &&
             kinds_->FindingIs(f.finding, FindingRole::kHardware)));
  });
  for (Cand& c : *cands) {
    double best = 0;
    bool all_weak = true;
    for (int id : c.facts) {
      const Fact& f = facts[id];
      double base = score_.Get("base") + score_.Section(f.section_kind);
      if (in.established[id]) base += score_.Get("established_uncertain");  // coded by II.H
      best = std::max(best, base);
      all_weak = all_weak && f.weak;
    }
    double score = best + std::min(score_.Get("max_extra_mentions"),
                                   score_.Get("per_extra_mention") *
                                       (static_cast<double>(c.facts.size()) - 1));
    if (imaging_confirms) score += score_.Get("imaging_confirms");
    if (all_weak) score += score_.Get("all_weak");
    if (c.unspecified) score += score_.Get("unspecified_site");
    // A junction region (cervicothoracic, thoracolumbar, lumbosacral) ranks
    // first among the codes of one range (design.md section 4).
    if (c.regions.size() == 1 && (c.regions[0] == "cervicothoracic" ||
                                  c.regions[0] == "thoracolumbar" || c.regions[0] == "lumbosacral"))
      score += score_.Get("junction_first");
    c.score = std::round(std::clamp(score, score_.Get("min"), score_.Get("max")) * 100) / 100;
  }
}

bool Mapper::Unrelated(const std::vector<Fact>& facts, const Cand& a, const Cand& b) {
  const std::set<std::string> ra = RegionsOf(facts, a.facts), rb = RegionsOf(facts, b.facts);
  if (ra.empty() || rb.empty()) return false;
  for (const std::string& r : ra)
    if (rb.count(r)) return false;
  return true;
}

// Step 3: replacements (M96.0 makes Z98.1 redundant), then Excludes1 from
// the table: the code whose note excludes the other gives way. Returns, per
// candidate, why it was dropped (basis empty: kept).
std::vector<MapDrop> Mapper::Exclude(const std::vector<Fact>& facts, std::vector<Cand>* all,
                                     Result* result) const {
  std::vector<Cand>& cands = *all;
  std::vector<MapDrop> drops(cands.size());
  const size_t n = cands.size();
  for (size_t i = 0; i < n; ++i) {
    for (const std::string& code : cands[i].rule->replaces) {
      for (size_t j = 0; j < n; ++j) {
        if (j == i || !drops[j].basis.empty() || cands[j].code.rfind(code, 0) != 0) continue;
        if (cands[i].rule->replaces_scope == "same_segments") {
          // Only the facts about the same segments are replaced (M96.0 at
          // L4-L5 says nothing of a C5-C6 fusion); the rest keep the code.
          std::vector<int> same, other;
          SplitBySegments(facts, LocatedOrAll(facts, cands[i].facts), cands[j].facts, &same,
                          &other);
          if (same.empty()) continue;
          if (!other.empty()) {
            Cand replaced = cands[j];
            replaced.facts = same;
            cands[j].facts = other;
            cands.push_back(std::move(replaced));
            drops.push_back({});
            const size_t k = cands.size() - 1;
            drops[k] = {cands[i].rule->replaces_basis, cands[i].code, cands[i].rule->replaces_reason};
            result->suppressed.push_back(
                {cands[k].code, cands[i].rule->replaces_reason, cands[k].facts});
            continue;
          }
        }
        drops[j] = {cands[i].rule->replaces_basis, cands[i].code, cands[i].rule->replaces_reason};
        result->suppressed.push_back(
            {cands[j].code, cands[i].rule->replaces_reason, cands[j].facts});
      }
    }
    // A revised diagnosis: the current one stands, the superseded one is
    // not coded ("nr-axSpA, now ankylosing spondylitis"). Only a diagnosis
    // documented as established revises another: "AS versus nr-axSpA" at
    // discharge codes both as if confirmed (II.D), neither revises the other.
    const bool established =
        std::any_of(cands[i].facts.begin(), cands[i].facts.end(),
                    [&](int id) { return facts[id].assertion != Assertion::kPossible; });
    if (!established) continue;
    for (const std::string& code : cands[i].rule->supersedes)
      for (size_t j = 0; j < n; ++j) {
        if (j == i || !drops[j].basis.empty() || cands[j].code.rfind(code, 0) != 0) continue;
        drops[j] = {"replaced", cands[i].code, cands[i].rule->supersedes_reason};
        result->suppressed.push_back(
            {cands[j].code, cands[i].rule->supersedes_reason, cands[j].facts});
      }
  }
  for (size_t i = 0; i < cands.size(); ++i) {
    for (size_t j = 0; j < cands.size(); ++j) {
      if (i == j || !drops[i].basis.empty() || !drops[j].basis.empty()) continue;
      // Note at cands[i] excluding cands[j]: i loses -- unless the two
      // conditions are unrelated, which the sites tell: both documented, in
      // no common region (Official Guidelines I.A.12.a: "Klippel-Feil
      // syndrome" and "degenerative fusion at L4-L5" are both coded).
      if (!table_->Excludes1From(cands[i].code, cands[j].code)) continue;
      if (Unrelated(facts, cands[i], cands[j])) continue;
      const std::string reason = "Excludes1 at " + cands[i].code + " (" +
                                 table_->ExcludesNote(cands[i].code, cands[j].code) +
                                 "): " + cands[j].code + " is documented";
      drops[i] = {"excludes1", cands[j].code, reason};
      result->suppressed.push_back({cands[i].code, reason, cands[i].facts});
    }
  }
  return drops;
}

// Step 4: a suggestion with rationale and evidence for each kept candidate,
// ranked.
void Mapper::Suggest(const MapInput& in, const std::vector<Cand>& cands,
                     const std::vector<MapDrop>& drops, Result* result) const {
  const std::vector<Fact>& facts = in.facts;
  const auto in_text_order = [](const Evidence& a, const Evidence& b) {
    return a.span.begin < b.span.begin;
  };
  for (size_t i = 0; i < cands.size(); ++i) {
    if (!drops[i].basis.empty()) continue;
    const Cand& c = cands[i];
    Suggestion s;
    s.code = c.code;
    const CodeEntry* e = table_->Find(c.code);
    s.title = e ? e->title : std::string();
    s.score = c.score;
    std::vector<std::string> segments, regions = c.regions;
    const Fact* lead = nullptr;
    bool established = false;
    for (int id : c.facts) {
      const Fact& f = facts[id];
      s.evidence.push_back({EvidenceSpan(f), f.id});
      established = established || in.established[id];
      for (const auto& seg : f.segments)
        // A per-region code names only the segments of its region (M43.22
        // of "fusion of C5-C6 and of L3-L4" is at C5-C6).
        if (c.regions.size() != 1 || RegionOfSegment(seg) == c.regions[0]) AddNew(&segments, seg);
      if (c.regions.empty())
        for (const auto& reg : f.regions) AddNew(&regions, reg);
      if (lead == nullptr || score_.Section(f.section_kind) > score_.Section(lead->section_kind))
        lead = &f;
    }
    std::sort(s.evidence.begin(), s.evidence.end(), in_text_order);
    std::vector<std::string> region_titles;
    for (const auto& reg : regions) region_titles.push_back(RegionTitle(reg));
    const std::string_view sk = lead ? std::string_view(lead->section_kind) : std::string_view();
    std::string r = Fill(c.rule->rationale,
                         {{"{segments}", segments.empty() ? "" : " at " + JoinList(segments)},
                          {"{regions}", regions.empty() ? "site not documented"
                                                        : JoinList(region_titles)},
                          {"{section}", sk.empty() || sk == "other" ? "" : " in " + Pretty(sk)},
                          {"{cue}", lead ? Quote(in.text, *lead) : ""}});
    if (established) r += " " + Policy("note", "established_at_discharge");
    if (c.facts.size() > 1) r += " " + std::to_string(c.facts.size()) + " mentions.";
    s.rationale = r;
    // Two rules may give one code (a pseudarthrosis written as such and as
    // "failed fusion"): a code is suggested once, with the evidence of both
    // and the score and rationale of the stronger.
    auto same = std::find_if(result->suggestions.begin(), result->suggestions.end(),
                             [&](const Suggestion& o) { return o.code == s.code; });
    if (same == result->suggestions.end()) {
      result->suggestions.push_back(std::move(s));
      continue;
    }
    if (s.score > same->score) std::swap(*same, s);
    for (const Evidence& ev : s.evidence)
      if (std::none_of(same->evidence.begin(), same->evidence.end(),
                       [&](const Evidence& o) { return o.fact == ev.fact; }))
        same->evidence.push_back(ev);
    std::sort(same->evidence.begin(), same->evidence.end(), in_text_order);
  }
  std::sort(result->suggestions.begin(), result->suggestions.end(),
            [](const Suggestion& a, const Suggestion& b) {
              if (a.score != b.score) return a.score > b.score;
              if (a.code.size() != b.code.size()) return a.code.size() > b.code.size();
              return a.code < b.code;
            });
  for (size_t i = 0; i < result->suggestions.size(); ++i)
    result->suggestions[i].rank = static_cast<int>(i + 1);
}

// Step 5a: the gaps of imaging findings.
void Mapper::ImagingGaps(const MapInput& in, Result* result) const {
  const std::vector<Fact>& facts = in.facts;
  std::vector<int> unleveled, uncaused;
  const bool cause_known = std::any_of(facts.begin(), facts.end(), [&](const Fact& f) {
    return kinds_->Is(f.kind, KindRole::kDocumentsCause) && CountsFor(in, f);
  });
  // Hardware seen on imaging with no fusion (nor any other cause) written
  // anywhere: a plate or screws do not document an arthrodesis (fixation
  // alone is possible), so a coder queries before Z98.1.
  std::vector<int> bare_hardware;
  std::vector<std::string> hardware_segments;
  for (const Fact& f : facts) {
    if (!CountsFor(in, f)) continue;
    if (!cause_known && kinds_->Is(f.kind, KindRole::kImagingFinding) &&
        kinds_->FindingIs(f.finding, FindingRole::kHardware)) {
      bare_hardware.push_back(f.id);
      for (const auto& seg : f.segments) AddNew(&hardware_segments, seg);
    }
    if (!IsFusionFinding(f, *kinds_)) continue;
    if (f.segments.empty()) unleveled.push_back(f.id);
    if (!cause_known) uncaused.push_back(f.id);
  }
  if (!unleveled.empty())
    result->gaps.push_back({"imaging_levels_missing", Policy("gap", "imaging_levels_missing"),
                            unleveled});
  if (!uncaused.empty())
    result->gaps.push_back({"cause_unspecified", Policy("gap", "cause_unspecified"), uncaused});
  if (!bare_hardware.empty())
    result->gaps.push_back(
        {"hardware_without_fusion",
         Fill(Policy("gap", "hardware_without_fusion"),
              {{"{segments}",
                hardware_segments.empty() ? "" : " at " + JoinList(hardware_segments)}}),
         bare_hardware});
}

// Step 5: documentation gaps beyond the mapping itself.
void Mapper::Gaps(const MapInput& in, Result* result) const {
  const std::vector<Fact>& facts = in.facts;
  ImagingGaps(in, result);
  // Each uncertain diagnosis the setting does not code: confirm or rule out,
  // unless the note states it definitely elsewhere.
  std::optional<Settled> settled;
  for (const Fact& f : facts) {
    if (in.assertion[f.id] != Assertion::kPossible ||
        kinds_->Is(f.kind, KindRole::kImagingFinding))
      continue;
    if (!settled) settled.emplace(in);
    if (settled->Elsewhere(f)) continue;
    result->gaps.push_back(
        {"uncertain_diagnosis",
         Fill(Policy("gap", "uncertain_diagnosis"),
              {{"{kind}", Pretty(f.kind)}, {"{cue}", Quote(in.text, f)}}),
         {f.id}});
  }
  // A conflict needs a negated statement; most notes have none, and then
  // the kinds are not listed at all (this runs on every live-session edit).
  if (std::none_of(facts.begin(), facts.end(),
                   [](const Fact& f) { return f.assertion == Assertion::kNegated; }))
    return;
  // In the order of the manifest's [kinds].
  for (const std::string& kind : kinds_->KindsWith(KindRole::kConflictChecked)) {
    std::vector<int> neg, pos;
    for (const Fact& f : facts) {
      if (f.kind != kind || f.when == "planned") continue;
      if (f.assertion == Assertion::kNegated) neg.push_back(f.id);
      if (CountsFor(in, f)) pos.push_back(f.id);
    }
    if (neg.empty() || pos.empty()) continue;
    // Conflict only where both statements are about the same levels (or
    // neither names any), and a denied syndrome only with that syndrome:
    // "Klippel-Feil syndrome not suspected" does not deny the congenital
    // block vertebra beside it ("" = the kind itself, denied whole).
    std::map<std::string_view, SegmentUnion> affirmed;  // by detail; "" = all
    for (int b : pos) {
      affirmed[std::string_view()].Add(facts[b]);
      if (!facts[b].detail.empty()) affirmed[facts[b].detail].Add(facts[b]);
    }
    bool conflict = false;
    for (int a : neg) {
      auto it = affirmed.find(facts[a].detail);
      if (it == affirmed.end()) continue;
      const auto& sa = facts[a].segments;
      conflict = (sa.empty() && it->second.unleveled) || it->second.Shares(sa);
      if (conflict) break;
    }
    if (!conflict) continue;
    std::vector<int> both = neg;
    both.insert(both.end(), pos.begin(), pos.end());
    std::sort(both.begin(), both.end());
    result->gaps.push_back({"conflicting_statements",
                            Fill(Policy("gap", "conflicting_statements"), {{"{kind}", Pretty(kind)}}),
                            both});
  }
}

// Step 6: every fact that supports no suggestion, and why (design.md
// section 4, "Why not").
void Mapper::NotCodedFacts(const MapInput& in, const std::vector<Cand>& cands,
                           const std::vector<MapDrop>& drops, Result* result) const {
  const std::vector<Fact>& facts = in.facts;
  std::vector<bool> coded(facts.size(), false);
  for (const Suggestion& s : result->suggestions)
    for (const Evidence& e : s.evidence) coded[e.fact] = true;
  // A fact behind a dropped candidate only: that drop is its reason.
  std::vector<const MapDrop*> dropped_by(facts.size(), nullptr);
  for (size_t i = 0; i < cands.size(); ++i)
    if (!drops[i].basis.empty())
      for (int id : cands[i].facts)
        if (dropped_by[id] == nullptr) dropped_by[id] = &drops[i];
  const std::string setting = SettingName(result->setting);
  for (const Fact& f : facts) {
    if (coded[f.id]) continue;
    NotCoded n;
    n.facts = {f.id};
    std::map<std::string, std::string> values = {
        {"{kind}", Pretty(f.kind)},
        {"{cue}", Quote(in.text, f)},
        {"{setting}", setting},
        {"{guideline}", result->setting == Setting::kInpatient ? "II.H" : "IV.H"},
        {"{disease}", Pretty(f.detail)}};
    const Assertion a = in.assertion[f.id];
    if (a == Assertion::kNegated) {
      n.basis = "negated";
    } else if (a == Assertion::kFamily) {
      n.basis = "family";
    } else if (a == Assertion::kHypothetical || f.when == "planned") {
      n.basis = "planned";
    } else if (a == Assertion::kPossible) {
      n.basis = "uncertain";
    } else if (f.when == "performed_this_encounter" || f.when == "same_stay") {
      n.basis = f.when;
    } else if (dropped_by[f.id] != nullptr) {
      n.basis = dropped_by[f.id]->basis;
      n.code = dropped_by[f.id]->winner;
      values["{code}"] = n.code;
      values["{why}"] = dropped_by[f.id]->reason;
    } else if (kinds_->Is(f.kind, KindRole::kRequiresFusion)) {
      n.basis = "requires_fusion";
    } else if (kinds_->Is(f.kind, KindRole::kImagingFinding) || !f.detail.empty()) {
      n.basis = "supporting";
    } else {
      n.basis = "outside_families";
    }
    std::string key = n.basis;
    if (n.basis == "supporting")
      key = kinds_->Is(f.kind, KindRole::kImagingFinding) ? "supporting_imaging"
                                                          : "supporting_disease";
    n.reason = Fill(Policy("not_coded", key), values);
    result->not_coded.push_back(std::move(n));
  }
}

const std::string& Mapper::Policy(const char* table, const std::string& key) const {
  static const std::string kEmpty;
  const auto& m = std::string_view(table) == "gap"         ? policy_.gap
                  : std::string_view(table) == "not_coded" ? policy_.not_coded
                                                           : policy_.note;
  auto it = m.find(key);
  return it == m.end() ? kEmpty : it->second;
}

void Mapper::Map(std::string_view text, Result* result) const {
  result->code_set = table_->code_set();
  const MapInput in = ReadInput(text, *result);
  std::vector<Cand> cands = Candidates(in, result);
  Score(in, &cands);
  const std::vector<MapDrop> drops = Exclude(in.facts, &cands, result);
  Suggest(in, cands, drops, result);
  Gaps(in, result);
  NotCodedFacts(in, cands, drops, result);
}

}  // namespace suggest::internal
