// Copyright libsuggest authors.
#include "facts/manifest.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

#include <toml++/toml.h>

#include "suggest/version.h"
#include "util/toml_file.h"

namespace suggest::internal {
namespace {

struct RoleName {
  std::string_view name;
  KindRole role;
  PackSort sort;
};

// The role names of manifest.toml: the only place a role's name meets its
// enum value.
const std::vector<RoleName>& RoleNames() {
  static const std::vector<RoleName> kNames = {
      {"surgical_fusion", KindRole::kSurgicalFusion, PackSort::kConcept},
      {"acquired_ankylosis", KindRole::kAcquiredAnkylosis, PackSort::kConcept},
      {"absorbs_fusion_word", KindRole::kAbsorbsFusionWord, PackSort::kConcept},
      {"documents_cause", KindRole::kDocumentsCause, PackSort::kConcept},
      {"conflict_checked", KindRole::kConflictChecked, PackSort::kConcept},
      {"requires_fusion", KindRole::kRequiresFusion, PackSort::kConcept},
      {"imaging_finding", KindRole::kImagingFinding, PackSort::kConcept},
      {"imaging_modality", KindRole::kImagingModality, PackSort::kConcept},
      {"level_anchor", KindRole::kLevelAnchor, PackSort::kAnchors},
      {"spine_word", KindRole::kSpineWord, PackSort::kAnchors},
      {"nonspinal_joint", KindRole::kNonspinalJoint, PackSort::kAnchors},
      {"exam_region", KindRole::kExamRegion, PackSort::kAnchors},
      {"content_region", KindRole::kContentRegion, PackSort::kAnchors},
      {"levels_field", KindRole::kLevelsField, PackSort::kAnchors},
      {"operative_title", KindRole::kOperativeTitle, PackSort::kNoteCues},
      {"operative_narrative", KindRole::kOperativeNarrative, PackSort::kNoteCues},
      {"written_in_stay", KindRole::kWrittenInStay, PackSort::kNoteCues},
      {"discharge_summary", KindRole::kDischargeSummary, PackSort::kNoteCues},
      {"admission_date", KindRole::kAdmissionDate, PackSort::kNoteCues},
      {"service_date", KindRole::kServiceDate, PackSort::kNoteCues},
      {"after_discharge", KindRole::kAfterDischarge, PackSort::kNoteCues},
      {"operation_date", KindRole::kOperationDate, PackSort::kNoteCues},
      {"denies_spine_surgery", KindRole::kDeniesSpineSurgery, PackSort::kNoteCues},
      {"same_stay", KindRole::kSameStay, PackSort::kSentenceCues},
      {"dated_before", KindRole::kDatedBefore, PackSort::kSentenceCues},
      {"operative_action", KindRole::kOperativeAction, PackSort::kSentenceCues},
      {"surgical_word", KindRole::kSurgicalWord, PackSort::kSentenceCues},
      {"denies_surgery", KindRole::kDeniesSurgery, PackSort::kSentenceCues},
      {"date", KindRole::kDate, PackSort::kSentenceCues},
      {"acquired_cause", KindRole::kAcquiredCause, PackSort::kSentenceCues},
      {"earlier_stay", KindRole::kEarlierStay, PackSort::kSentenceCues},
      {"repairs_complication", KindRole::kRepairsComplication, PackSort::kSentenceCues},
      {"complication_persists", KindRole::kComplicationPersists, PackSort::kSentenceCues},
      {"patient_report", KindRole::kPatientReport, PackSort::kSentenceCues},
      {"opens_correction", KindRole::kOpensCorrection, PackSort::kNoteCues},
      {"retracts_surgery", KindRole::kRetractsSurgery, PackSort::kNoteCues},
      {"replaces_level", KindRole::kReplacesLevel, PackSort::kNoteCues},
      {"day_first_date", KindRole::kDayFirstDate, PackSort::kNoteCues},
      {"month_first_date", KindRole::kMonthFirstDate, PackSort::kNoteCues},
      {"tells_done", KindRole::kTellsDone, PackSort::kSentenceCues},
      {"denies_any_surgery", KindRole::kDeniesAnySurgery, PackSort::kNoteCues},
      {"proposes_operations", KindRole::kProposesOperations, PackSort::kNoteCues},
      {"opens_document", KindRole::kOpensDocument, PackSort::kNoteCues}};
  return kNames;
}

// The finding role names of manifest.toml [findings].
constexpr std::pair<std::string_view, FindingRole> kFindingRoles[] = {
    {"confirms_fusion", FindingRole::kConfirmsFusion},
    {"existing_fusion", FindingRole::kExistingFusion},
    {"hardware", FindingRole::kHardware}};

// [findings]: each imaging finding value with the list of its roles.
std::vector<std::pair<std::string, uint32_t>> ReadFindings(const std::string& path,
                                                           const toml::table& findings,
                                                           LoadErrors* errors) {
  std::vector<std::pair<std::string, uint32_t>> out;
  std::vector<std::string> allowed;
  for (const auto& [name, role] : kFindingRoles) allowed.emplace_back(name);
  for (const auto& [key, value] : findings) {
    const std::string finding(key.str());
    uint32_t bits = 0;
    const toml::array* roles = value.as_array();
    if (roles == nullptr) {
      errors->Add(TomlError(path, value, "findings." + finding + " must be a list of roles"));
      continue;
    }
    for (const toml::node& r : *roles) {
      const auto* name = r.as_string();
      auto it = std::find_if(std::begin(kFindingRoles), std::end(kFindingRoles),
                             [&](const auto& fr) { return name && fr.first == name->get(); });
      if (it == std::end(kFindingRoles)) {
        const std::string got = name ? name->get() : "";
        errors->Add(TomlError(path, r,
                              "findings." + finding + ": unknown role \"" + got + "\"" +
                                  AllowedList(got, allowed)));
        continue;
      }
      bits |= static_cast<uint32_t>(it->second);
    }
    out.emplace_back(finding, bits);
  }
  return out;
}

// A list of lower-case words `key` of `table` (required when the table is
// given): each a non-empty string of letters, digits and '-', so that it can
// equal one word of the text.
void ReadWordList(const std::string& path, const toml::table& table, std::string_view key,
                  std::vector<std::string>* out, LoadErrors* errors) {
  const std::string what = "complication_of_fusion." + std::string(key);
  const toml::node* n = table.get(key);
  const toml::array* arr = n ? n->as_array() : nullptr;
  if (arr == nullptr) {
    errors->Add(TomlError(path, n ? *n : static_cast<const toml::node&>(table),
                          what + " must be a list of words"));
    return;
  }
  for (const toml::node& el : *arr) {
    const std::optional<std::string> w = el.value<std::string>();
    const bool ok = w && !w->empty() && std::all_of(w->begin(), w->end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '/';
    });
    if (!ok) {
      errors->Add(TomlError(path, el, what + ": each entry must be one lower-case word"));
      continue;
    }
    out->push_back(*w);
  }
}

// The [packs] keys, by sort.
constexpr std::string_view kSortKeys[] = {"concepts", "anchors", "note_cues", "sentence_cues"};

std::string_view SortKey(PackSort sort) { return kSortKeys[static_cast<int>(sort)]; }

// A pack name of [packs]: a string naming rules/<name>.toml beside the
// manifest. Reports a missing file with the packs that exist.
Status ReadPackName(const std::string& path, const toml::node& n, const std::string& what,
                    const std::filesystem::path& rules_dir, std::string* out) {
  const auto* s = n.as_string();
  if (s == nullptr) return TomlError(path, n, what + " must be a pack name (a string)");
  *out = s->get();
  std::error_code ec;
  if (out->empty() || out->find('/') != std::string::npos ||
      !std::filesystem::exists(rules_dir / (*out + ".toml"), ec)) {
    std::vector<std::string> present;
    for (const auto& e : std::filesystem::directory_iterator(rules_dir, ec))
      if (e.path().extension() == ".toml") present.push_back(e.path().stem().string());
    std::sort(present.begin(), present.end());
    return TomlError(path, n,
                     what + ": no pack file rules/" + *out + ".toml" +
                         DidYouMean(*out, present));
  }
  return Status();
}

// The error of a missing top-level table `name` (at its key, if it is there
// as something else).
Status MissingTable(const std::string& path, const toml::table& root, const std::string& name) {
  const toml::node* n = root.get(name);
  return TomlError(path, n ? n->source().begin : toml::source_position{1, 1},
                   "missing [" + name + "] table");
}

// Reads the pack names of [packs], each checked for its file and listed once.
class PackReader {
 public:
  PackReader(const std::string& path, const std::filesystem::path& rules_dir, LoadErrors* errors)
      : path_(path), rules_dir_(rules_dir), errors_(errors) {}

  // packs.concepts: a non-empty array of names (a bad name is left out).
  void ReadConcepts(const toml::table& packs, std::vector<std::string>* out) {
    const toml::node* c = packs.get("concepts");
    if (c == nullptr) {
      errors_->Add(TomlError(path_, packs, "[packs]: missing concepts = [...]"));
      return;
    }
    const toml::array* arr = c->as_array();
    if (arr == nullptr || arr->empty()) {
      errors_->Add(
          TomlError(path_, *c, "packs.concepts must be a non-empty array of pack names"));
      return;
    }
    for (const toml::node& el : *arr) {
      std::string name;
      ReadName(el, "packs.concepts", &name);
      if (!name.empty()) out->push_back(name);
    }
  }

  // packs.<key>: one pack name.
  void ReadSingle(const toml::table& packs, const std::string& key, std::string* out) {
    if (const toml::node* n = packs.get(key)) {
      ReadName(*n, "packs." + key, out);
    } else {
      errors_->Add(TomlError(path_, packs, "[packs]: missing " + key + " = \"PACK\""));
    }
  }

 private:
  void ReadName(const toml::node& n, const std::string& what, std::string* out) {
    if (errors_->Add(ReadPackName(path_, n, what, rules_dir_, out))) return;
    if (!seen_.insert(*out).second)
      errors_->Add(TomlError(path_, n, what + ": pack \"" + *out + "\" is listed twice"));
  }

  const std::string& path_;
  const std::filesystem::path& rules_dir_;
  LoadErrors* errors_;
  std::set<std::string> seen_;
};

// The entries of [kinds] in declaration order (toml++ keeps a table's keys
// sorted).
std::vector<std::pair<std::string, const toml::node*>> KindsInFileOrder(const toml::table& kinds) {
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (const auto& [key, value] : kinds) entries.emplace_back(std::string(key.str()), &value);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto pa = a.second->source().begin, pb = b.second->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return entries;
}

// The one kind with acquired_ankylosis, as [kinds] is read.
struct AcquiredAnkylosis {
  const toml::node* first = nullptr;  // where it was first given
  std::string kind;
};

// Reads the roles of one kind of [kinds]: their bits (0 if not an array).
class RoleReader {
 public:
  RoleReader(const std::string& path, LoadErrors* errors, AcquiredAnkylosis* acquired)
      : path_(path), errors_(errors), acquired_(acquired) {
    for (const RoleName& r : RoleNames()) allowed_.emplace_back(r.name);
  }

  uint64_t Read(const std::string& kind, const toml::node& value) {
    const toml::array* roles = value.as_array();
    if (roles == nullptr) {
      errors_->Add(
          TomlError(path_, value, "kinds." + kind + ": roles must be an array of strings"));
      return 0;
    }
    uint64_t bits = 0;
    for (const toml::node& r : *roles) AddRole(kind, r, &bits);
    CheckOneSort(kind, value, bits);
    return bits;
  }

 private:
  void AddRole(const std::string& kind, const toml::node& r, uint64_t* bits) {
    const auto* name = r.as_string();
    if (name == nullptr) {
      errors_->Add(TomlError(path_, r, "kinds." + kind + ": roles must be an array of strings"));
      return;
    }
    auto it = std::find_if(RoleNames().begin(), RoleNames().end(),
                           [&](const RoleName& rn) { return rn.name == name->get(); });
    if (it == RoleNames().end()) {
      errors_->Add(TomlError(path_, r,
                             "kinds." + kind + ": unknown role \"" + name->get() + "\"" +
                                 AllowedList(name->get(), allowed_)));
      return;
    }
    if ((*bits & static_cast<uint64_t>(it->role)) != 0) return;  // listed twice
    *bits |= static_cast<uint64_t>(it->role);
    if (it->role != KindRole::kAcquiredAnkylosis) return;
    if (acquired_->first != nullptr) {
      errors_->Add(TomlError(path_, r,
                             "kinds." + kind + ": role \"acquired_ankylosis\" is already "
                             "given to \"" + acquired_->kind +
                             "\" (exactly one kind has it)"));
    } else {
      acquired_->first = &r;
      acquired_->kind = kind;
    }
  }

  // The roles of one kind act in one sort of pack.
  void CheckOneSort(const std::string& kind, const toml::node& value, uint64_t bits) {
    std::set<int> sorts;
    for (const RoleName& rn : RoleNames())
      if (bits & static_cast<uint64_t>(rn.role)) sorts.insert(static_cast<int>(rn.sort));
    if (sorts.size() > 1)
      errors_->Add(TomlError(path_, value,
                             "kinds." + kind + ": roles of different sorts of pack (the " +
                                 std::string(SortKey(static_cast<PackSort>(*sorts.begin()))) +
                                 " and the " +
                                 std::string(SortKey(static_cast<PackSort>(*sorts.rbegin()))) +
                                 " packs)"));
  }

  const std::string& path_;
  LoadErrors* errors_;
  AcquiredAnkylosis* acquired_;
  std::vector<std::string> allowed_;
};

}  // namespace

StatusOr<Manifest> Manifest::Load(const std::string& path, const std::string& rules_dir_arg) {
  StatusOr<toml::table> parsed = ParseTomlFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  if (Status st = CheckSchemaVersion(path, root, SUGGEST_RULES_SCHEMA_MANIFEST,
                                     SUGGEST_RULES_SCHEMA_MANIFEST);
      !st.ok())
    return st;
  LoadErrors errors;
  errors.Add(
      CheckKnownKeys(path, root,
                     {"schema_version", "packs", "kinds", "findings", "complication_of_fusion"},
                     "manifest"));
  Manifest m;
  m.path_ = path;
  const std::filesystem::path rules_dir =
      rules_dir_arg.empty() ? std::filesystem::path(path).parent_path() / "rules"
                            : std::filesystem::path(rules_dir_arg);

  if (const toml::table* packs = root.get_as<toml::table>("packs")) {
    errors.Add(CheckKnownKeys(path, *packs,
                              {kSortKeys[0], kSortKeys[1], kSortKeys[2], kSortKeys[3]},
                              "[packs]"));
    PackReader reader(path, rules_dir, &errors);
    reader.ReadConcepts(*packs, &m.concepts_);
    std::string* singles[] = {&m.anchors_, &m.note_cues_, &m.sentence_cues_};
    for (int i = 1; i < 4; ++i)
      reader.ReadSingle(*packs, std::string(kSortKeys[i]), singles[i - 1]);
  } else {
    errors.Add(MissingTable(path, root, "packs"));
  }

  const toml::table* kinds = root.get_as<toml::table>("kinds");
  if (kinds == nullptr) {
    errors.Add(MissingTable(path, root, "kinds"));
    return errors.ToStatus();
  }
  AcquiredAnkylosis acquired;
  RoleReader roles(path, &errors, &acquired);
  for (const auto& [kind, value] : KindsInFileOrder(*kinds)) {
    const uint64_t bits = roles.Read(kind, *value);
    m.kinds_.emplace_back(kind, bits);
    m.roles_.emplace(kind, bits);
  }
  m.acquired_ankylosis_ = acquired.kind;
  if (const toml::node* findings = root.get("findings")) {
    if (const toml::table* t = findings->as_table()) {
      for (auto& [finding, bits] : ReadFindings(path, *t, &errors))
        m.findings_.emplace(std::move(finding), bits);
    } else {
      errors.Add(TomlError(path, *findings, "[findings] must be a table"));
    }
  }
  if (const toml::node* words = root.get("complication_of_fusion")) {
    if (const toml::table* t = words->as_table()) {
      errors.Add(CheckKnownKeys(path, *t, {"relation", "filler", "relative", "repair"},
                                 "[complication_of_fusion]"));
      ReadWordList(path, *t, "relation", &m.relation_, &errors);
      ReadWordList(path, *t, "filler", &m.filler_, &errors);
      if (t->get("relative") != nullptr)
        ReadWordList(path, *t, "relative", &m.relative_, &errors);
      if (t->get("repair") != nullptr) ReadWordList(path, *t, "repair", &m.repair_, &errors);
    } else {
      errors.Add(TomlError(path, *words, "[complication_of_fusion] must be a table"));
    }
  }
  if (acquired.first == nullptr)
    errors.Add(TomlError(path, *kinds,
                         "[kinds]: no kind has the role \"acquired_ankylosis\" "
                         "(exactly one must)"));
  if (!errors.ok()) return errors.ToStatus();
  return m;
}

std::vector<std::string> Manifest::PackFiles() const {
  std::vector<std::string> files;
  for (const std::string& name : concepts_) files.push_back("rules/" + name + ".toml");
  for (const std::string* name : {&anchors_, &note_cues_, &sentence_cues_})
    files.push_back("rules/" + *name + ".toml");
  return files;
}

std::vector<std::string> Manifest::Kinds() const {
  std::vector<std::string> out;
  for (const auto& [kind, bits] : kinds_) out.push_back(kind);
  return out;
}

std::vector<std::string> Manifest::KindsWith(KindRole role) const {
  std::vector<std::string> out;
  for (const auto& [kind, bits] : kinds_)
    if (bits & static_cast<uint64_t>(role)) out.push_back(kind);
  return out;
}

Status Manifest::CheckRule(const std::string& path, const Rule& rule, PackSort sort) const {
  // Every error is at the rule's kind: "PATH:LINE:COL: error: rule "ID": ...".
  auto error = [&](const std::string& what) {
    return Status(StatusCode::kInvalidArgument,
                  path + ":" + std::to_string(rule.kind_line) + ":" +
                      std::to_string(rule.kind_column) + ": error: rule \"" + rule.id +
                      "\": " + what,
                  "rule_file");
  };
  const std::string manifest_file = std::filesystem::path(path_).filename().string();
  const std::string kind = "kind \"" + rule.kind + "\" ";
  auto it = roles_.find(rule.kind);
  if (it == roles_.end())
    return error(kind + "is not declared in " + manifest_file + " [kinds]" +
                 DidYouMean(rule.kind, Kinds()));
  for (const RoleName& rn : RoleNames())
    if ((it->second & static_cast<uint64_t>(rn.role)) && rn.sort != sort)
      return error(kind + "has the role \"" + std::string(rn.name) + "\" of the " +
                   std::string(SortKey(rn.sort)) + " packs, but this is one of the " +
                   std::string(SortKey(sort)) + " packs");
  // An imaging finding's value is what the mechanisms read: declared.
  auto finding = rule.attributes.find("finding");
  if ((it->second & static_cast<uint64_t>(KindRole::kImagingFinding)) &&
      finding != rule.attributes.end() && findings_.find(finding->second) == findings_.end()) {
    std::vector<std::string> known;
    for (const auto& [name, bits] : findings_) known.push_back(name);
    std::sort(known.begin(), known.end());
    return error("finding \"" + finding->second + "\" is not declared in " + manifest_file +
                 " [findings]" + DidYouMean(finding->second, known));
  }
  return Status();
}

}  // namespace suggest::internal
