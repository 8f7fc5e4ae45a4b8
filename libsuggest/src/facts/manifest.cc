// Copyright libsuggest authors.
#include "facts/manifest.h"

#include <algorithm>
#include <filesystem>
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
      {"operative_title", KindRole::kOperativeTitle, PackSort::kNoteCues},
      {"operative_narrative", KindRole::kOperativeNarrative, PackSort::kNoteCues},
      {"written_in_stay", KindRole::kWrittenInStay, PackSort::kNoteCues},
      {"discharge_summary", KindRole::kDischargeSummary, PackSort::kNoteCues},
      {"admission_date", KindRole::kAdmissionDate, PackSort::kNoteCues},
      {"service_date", KindRole::kServiceDate, PackSort::kNoteCues},
      {"same_stay", KindRole::kSameStay, PackSort::kSentenceCues},
      {"dated_before", KindRole::kDatedBefore, PackSort::kSentenceCues},
      {"operative_action", KindRole::kOperativeAction, PackSort::kSentenceCues},
      {"surgical_word", KindRole::kSurgicalWord, PackSort::kSentenceCues},
      {"denies_surgery", KindRole::kDeniesSurgery, PackSort::kSentenceCues},
      {"date", KindRole::kDate, PackSort::kSentenceCues}};
  return kNames;
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
  errors.Add(CheckKnownKeys(path, root, {"schema_version", "packs", "kinds"}, "manifest"));
  Manifest m;
  m.path_ = path;
  const std::filesystem::path rules_dir =
      rules_dir_arg.empty() ? std::filesystem::path(path).parent_path() / "rules"
                            : std::filesystem::path(rules_dir_arg);

  // [packs]
  const toml::table* packs = root.get_as<toml::table>("packs");
  if (packs == nullptr) {
    errors.Add(TomlError(path, root.get("packs") ? root.get("packs")->source().begin
                                                 : toml::source_position{1, 1},
                         "missing [packs] table"));
  } else {
    errors.Add(CheckKnownKeys(path, *packs,
                              {kSortKeys[0], kSortKeys[1], kSortKeys[2], kSortKeys[3]},
                              "[packs]"));
    std::set<std::string> seen;
    auto add_name = [&](const toml::node& n, const std::string& what, std::string* out) {
      if (errors.Add(ReadPackName(path, n, what, rules_dir, out))) return;
      if (!seen.insert(*out).second)
        errors.Add(TomlError(path, n, what + ": pack \"" + *out + "\" is listed twice"));
    };
    if (const toml::node* c = packs->get("concepts")) {
      const toml::array* arr = c->as_array();
      if (arr == nullptr || arr->empty()) {
        errors.Add(TomlError(path, *c, "packs.concepts must be a non-empty array of pack names"));
      } else {
        for (const toml::node& el : *arr) {
          std::string name;
          add_name(el, "packs.concepts", &name);
          if (!name.empty()) m.concepts_.push_back(name);
        }
      }
    } else {
      errors.Add(TomlError(path, *packs, "[packs]: missing concepts = [...]"));
    }
    std::string* singles[] = {&m.anchors_, &m.note_cues_, &m.sentence_cues_};
    for (int i = 1; i < 4; ++i) {
      const std::string key(kSortKeys[i]);
      if (const toml::node* n = packs->get(key)) {
        add_name(*n, "packs." + key, singles[i - 1]);
      } else {
        errors.Add(TomlError(path, *packs, "[packs]: missing " + key + " = \"PACK\""));
      }
    }
  }

  // [kinds], in declaration order (toml++ keeps a table's keys sorted).
  const toml::table* kinds = root.get_as<toml::table>("kinds");
  if (kinds == nullptr) {
    errors.Add(TomlError(path, root.get("kinds") ? root.get("kinds")->source().begin
                                                 : toml::source_position{1, 1},
                         "missing [kinds] table"));
    return errors.ToStatus();
  }
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (const auto& [key, value] : *kinds) entries.emplace_back(std::string(key.str()), &value);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto pa = a.second->source().begin, pb = b.second->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  std::vector<std::string> allowed;
  for (const RoleName& r : RoleNames()) allowed.emplace_back(r.name);
  const toml::node* first_acquired = nullptr;
  for (const auto& [kind, value] : entries) {
    uint32_t bits = 0;
    const toml::array* roles = value->as_array();
    if (roles == nullptr) {
      errors.Add(TomlError(path, *value, "kinds." + kind + ": roles must be an array of strings"));
    } else {
      for (const toml::node& r : *roles) {
        const auto* name = r.as_string();
        if (name == nullptr) {
          errors.Add(TomlError(path, r, "kinds." + kind + ": roles must be an array of strings"));
          continue;
        }
        auto it = std::find_if(RoleNames().begin(), RoleNames().end(),
                               [&](const RoleName& rn) { return rn.name == name->get(); });
        if (it == RoleNames().end()) {
          errors.Add(TomlError(path, r,
                               "kinds." + kind + ": unknown role \"" + name->get() + "\"" +
                                   AllowedList(name->get(), allowed)));
          continue;
        }
        if ((bits & static_cast<uint32_t>(it->role)) != 0) continue;  // listed twice
        bits |= static_cast<uint32_t>(it->role);
        if (it->role == KindRole::kAcquiredAnkylosis) {
          if (first_acquired != nullptr) {
            errors.Add(TomlError(path, r,
                                 "kinds." + kind + ": role \"acquired_ankylosis\" is already "
                                 "given to \"" + m.acquired_ankylosis_ +
                                 "\" (exactly one kind has it)"));
          } else {
            first_acquired = &r;
            m.acquired_ankylosis_ = kind;
          }
        }
      }
      // The roles of one kind act in one sort of pack.
      std::set<int> sorts;
      for (const RoleName& rn : RoleNames())
        if (bits & static_cast<uint32_t>(rn.role)) sorts.insert(static_cast<int>(rn.sort));
      if (sorts.size() > 1)
        errors.Add(TomlError(path, *value,
                             "kinds." + kind + ": roles of different sorts of pack (the " +
                                 std::string(SortKey(static_cast<PackSort>(*sorts.begin()))) +
                                 " and the " +
                                 std::string(SortKey(static_cast<PackSort>(*sorts.rbegin()))) +
                                 " packs)"));
    }
    m.kinds_.emplace_back(kind, bits);
    m.roles_.emplace(kind, bits);
  }
  if (first_acquired == nullptr)
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
    if (bits & static_cast<uint32_t>(role)) out.push_back(kind);
  return out;
}

Status Manifest::CheckRule(const std::string& path, const Rule& rule, PackSort sort) const {
  const std::string where = path + ":" + std::to_string(rule.kind_line) + ":" +
                            std::to_string(rule.kind_column) + ": error: rule \"" + rule.id +
                            "\": kind \"" + rule.kind + "\" ";
  auto it = roles_.find(rule.kind);
  if (it == roles_.end()) {
    return Status(StatusCode::kInvalidArgument,
                  where + "is not declared in " +
                      std::filesystem::path(path_).filename().string() +
                      " [kinds]" + DidYouMean(rule.kind, Kinds()),
                  "rule_file");
  }
  for (const RoleName& rn : RoleNames())
    if ((it->second & static_cast<uint32_t>(rn.role)) && rn.sort != sort)
      return Status(StatusCode::kInvalidArgument,
                    where + "has the role \"" + std::string(rn.name) + "\" of the " +
                        std::string(SortKey(rn.sort)) + " packs, but this is one of the " +
                        std::string(SortKey(sort)) + " packs",
                    "rule_file");
  return Status();
}

}  // namespace suggest::internal
