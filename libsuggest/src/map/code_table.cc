// Copyright libsuggest authors.

#include "map/code_table.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <utility>

namespace suggest::internal {
namespace {

constexpr char kErrorKind[] = "code_table";

struct Field {
  std::string_view text;
  size_t column = 0;  // 1-based byte column where the field starts
};

std::string JoinPath(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  // Only a regular file (or a link to one): a directory reads as empty, a
  // FIFO or device would block the load or never end.
  const auto type = std::filesystem::status(path, ec).type();
  if (!ec && type != std::filesystem::file_type::regular) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(ss).str();
}

Status CannotRead(const std::string& path) {
  return NotFound(path + ": error: cannot read file");
}

Status LineError(const std::string& path, size_t line, size_t column,
                 const std::string& message) {
  return InvalidArgument(path + ":" + std::to_string(line) + ":" +
                             std::to_string(column) + ": error: " + message,
                         kErrorKind);
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::vector<Field> SplitTabs(std::string_view line) {
  std::vector<Field> fields;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    size_t end = tab == std::string_view::npos ? line.size() : tab;
    fields.push_back({line.substr(start, end - start), start + 1});
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields;
}

using RowFn = std::function<Status(size_t line, const std::vector<Field>&)>;

// Calls `fn` for every data row of a TSV file: skips '#' comments and blank
// lines, requires `header` as the first other line and `header.size()` fields
// on every row. A trailing '\r' is dropped so a file edited on Windows loads.
Status ForEachRow(const std::string& path, std::string_view content,
                  const std::vector<std::string_view>& header, const RowFn& fn) {
  bool seen_header = false;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    std::string_view line = content.substr(
        pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? content.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<Field> fields = SplitTabs(line);
    if (fields.size() != header.size()) {
      size_t column = fields.size() < header.size()
                          ? line.size() + 1
                          : fields[header.size()].column;
      return LineError(path, line_no, column,
                       "expected " + std::to_string(header.size()) +
                           " tab-separated fields, found " +
                           std::to_string(fields.size()));
    }
    if (!seen_header) {
      for (size_t i = 0; i < header.size(); ++i) {
        if (fields[i].text != header[i]) {
          return LineError(path, line_no, fields[i].column,
                           "expected column header " + Quote(header[i]) +
                               ", found " + Quote(fields[i].text));
        }
      }
      seen_header = true;
      continue;
    }
    if (Status s = fn(line_no, fields); !s.ok()) return s;
  }
  if (!seen_header) {
    return InvalidArgument(path + ": error: no column header line", kErrorKind);
  }
  return Status::Ok();
}

bool IsUpperOrDigit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// "Q76.3..Q76.4,Z51" -> refs; false if malformed. Empty target -> no refs.
bool ParseTarget(std::string_view target, std::vector<CodeRef>* refs) {
  if (target.empty()) return true;
  size_t start = 0;
  while (true) {
    size_t comma = target.find(',', start);
    std::string_view item = target.substr(
        start, comma == std::string_view::npos ? std::string_view::npos
                                               : comma - start);
    CodeRef ref;
    size_t dots = item.find("..");
    if (dots == std::string_view::npos) {
      if (!IsDottedIcd10Code(item)) return false;
      ref.lo = std::string(item);
    } else {
      std::string_view lo = item.substr(0, dots);
      std::string_view hi = item.substr(dots + 2);
      // A reversed range would silently cover only its two ends.
      if (!IsDottedIcd10Code(lo) || !IsDottedIcd10Code(hi) || !(lo < hi)) {
        return false;
      }
      ref.lo = std::string(lo);
      ref.hi = std::string(hi);
    }
    refs->push_back(std::move(ref));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return true;
}

std::optional<NoteKind> ParseNoteKind(std::string_view s) {
  if (s == "inclusion") return NoteKind::kInclusion;
  if (s == "excludes1") return NoteKind::kExcludes1;
  if (s == "excludes2") return NoteKind::kExcludes2;
  return std::nullopt;
}

}  // namespace

const char* NoteKindName(NoteKind kind) {
  switch (kind) {
    case NoteKind::kInclusion:
      return "inclusion";
    case NoteKind::kExcludes1:
      return "excludes1";
    case NoteKind::kExcludes2:
      return "excludes2";
  }
  return "?";
}

bool IsDottedIcd10Code(std::string_view code) {
  if (code.size() != 3 && (code.size() < 5 || code.size() > 8)) return false;
  if (!(code[0] >= 'A' && code[0] <= 'Z')) return false;
  if (!(code[1] >= '0' && code[1] <= '9')) return false;
  if (!IsUpperOrDigit(code[2])) return false;
  if (code.size() == 3) return true;
  if (code[3] != '.') return false;
  for (size_t i = 4; i < code.size(); ++i) {
    if (!IsUpperOrDigit(code[i])) return false;
  }
  return true;
}

bool CodeRef::Covers(std::string_view code) const {
  // Codes are hierarchical by string prefix (M45.0 -> M45.0x), and their
  // tabular order is their byte order, so a range is a byte-order interval
  // widened at the top end to the children of `hi`.
  if (code.starts_with(lo)) return true;
  if (hi.empty()) return false;
  return code.starts_with(hi) || (lo < code && code < hi);
}

namespace {

// The folder's own name ("fy2027" of ".../fy2027/"), trailing separator aside.
std::string FolderName(const std::string& dir) {
  const std::filesystem::path normal = std::filesystem::path(dir).lexically_normal();
  std::string folder = normal.filename().string();
  if (folder.empty()) folder = normal.parent_path().filename().string();
  return folder;
}

// One fiscal_year line of MANIFEST: a 4-digit year that agrees with a folder
// named for a year.
StatusOr<int> ParseFiscalYear(const std::string& path, size_t line_no, const Field& value,
                              const std::string& dir) {
  std::string_view v = value.text;
  bool ok = v.size() == 4;
  for (char c : v) ok = ok && c >= '0' && c <= '9';
  if (!ok) {
    return LineError(path, line_no, value.column,
                     "fiscal_year must be a 4-digit year, found " + Quote(v));
  }
  // A table in a folder named for a year must be that year's: a copied
  // MANIFEST would label every result with the wrong code set.
  const std::string folder = FolderName(dir);
  if (folder.size() == 6 && folder.starts_with("fy") &&
      folder.find_first_not_of("0123456789", 2) == std::string::npos && folder.substr(2) != v) {
    return LineError(path, line_no, value.column,
                     "fiscal_year " + std::string(v) + " disagrees with the folder name " +
                         Quote(folder));
  }
  return std::stoi(std::string(v));
}

// MANIFEST: the fiscal year (everything else there is for people). The last
// fiscal_year line counts; 0 reads as none.
StatusOr<int> LoadFiscalYear(const std::string& dir) {
  const std::string path = JoinPath(dir, "MANIFEST");
  std::optional<std::string> manifest = ReadFile(path);
  if (!manifest) return CannotRead(path);
  std::istringstream in(*manifest);
  std::string line;
  size_t line_no = 0;
  int fiscal_year = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<Field> fields = SplitTabs(line);
    if (fields.size() != 2) {
      return LineError(path, line_no, 1,
                       "expected KEY<TAB>VALUE, found " + std::to_string(fields.size()) +
                           " fields");
    }
    if (fields[0].text != "fiscal_year") continue;
    StatusOr<int> year = ParseFiscalYear(path, line_no, fields[1], dir);
    if (!year.ok()) return year.status();
    fiscal_year = *year;
  }
  if (fiscal_year == 0) {
    return InvalidArgument(path + ": error: no fiscal_year line", kErrorKind);
  }
  return fiscal_year;
}

// codes.tsv: one entry per code, in file order, each code once.
Status LoadCodes(const std::string& dir, int fiscal_year, std::vector<CodeEntry>* entries,
                 std::unordered_map<std::string, size_t>* index) {
  const std::string path = JoinPath(dir, "codes.tsv");
  std::optional<std::string> codes = ReadFile(path);
  if (!codes) return CannotRead(path);
  std::unordered_map<std::string, size_t> first_line;  // code -> line
  return ForEachRow(
      path, *codes, {"code", "billable", "short_title", "title"},
      [&](size_t line, const std::vector<Field>& f) -> Status {
        if (!IsDottedIcd10Code(f[0].text)) {
          return LineError(path, line, f[0].column,
                           "malformed code " + Quote(f[0].text) +
                               " (expected a dotted ICD-10-CM code like "
                               "M43.26)");
        }
        std::string code(f[0].text);
        if (auto it = first_line.find(code); it != first_line.end()) {
          return LineError(path, line, f[0].column,
                           "duplicate code " + Quote(code) + " (first on line " +
                               std::to_string(it->second) + ")");
        }
        if (f[1].text != "0" && f[1].text != "1") {
          return LineError(path, line, f[1].column,
                           "billable must be 0 or 1, found " + Quote(f[1].text));
        }
        if (f[2].text.empty()) return LineError(path, line, f[2].column, "empty short_title");
        if (f[3].text.empty()) return LineError(path, line, f[3].column, "empty title");
        first_line.emplace(code, line);
        index->emplace(code, entries->size());
        entries->push_back(CodeEntry{code, f[1].text == "1", std::string(f[3].text),
                                     std::string(f[2].text), fiscal_year});
        return Status::Ok();
      });
}

// One row of notes.tsv, checked against the codes already loaded.
StatusOr<CodeNote> ParseNote(const std::string& path, size_t line, const std::vector<Field>& f,
                             const CodeTable& table) {
  if (!IsDottedIcd10Code(f[0].text)) {
    return LineError(path, line, f[0].column, "malformed code " + Quote(f[0].text));
  }
  // A note must hang on a code of the table, else it would never apply.
  if (table.Find(f[0].text) == nullptr) {
    return LineError(path, line, f[0].column,
                     "note for code " + Quote(f[0].text) + ", which is not in codes.tsv");
  }
  std::optional<NoteKind> kind = ParseNoteKind(f[1].text);
  if (!kind) {
    return LineError(path, line, f[1].column,
                     "unknown note kind " + Quote(f[1].text) +
                         " (expected inclusion, excludes1 or excludes2)");
  }
  if (f[2].text.empty()) return LineError(path, line, f[2].column, "empty note text");
  CodeNote note{std::string(f[0].text), *kind, std::string(f[2].text), std::string(f[3].text),
                {}};
  if (!ParseTarget(f[3].text, &note.refs)) {
    return LineError(path, line, f[3].column,
                     "malformed target " + Quote(f[3].text) +
                         " (expected CODE or CODE..CODE, comma-separated, "
                         "dotted codes, range in order)");
  }
  return note;
}

// notes.tsv: the notes in file order, and for each code the notes on it.
Status LoadNotes(const std::string& dir, const CodeTable& table, std::vector<CodeNote>* notes,
                 std::unordered_map<std::string, std::vector<size_t>>* notes_at) {
  const std::string path = JoinPath(dir, "notes.tsv");
  std::optional<std::string> content = ReadFile(path);
  if (!content) return CannotRead(path);
  return ForEachRow(path, *content, {"code", "note", "text", "target"},
                    [&](size_t line, const std::vector<Field>& f) -> Status {
                      StatusOr<CodeNote> note = ParseNote(path, line, f, table);
                      if (!note.ok()) return note.status();
                      (*notes_at)[note->code].push_back(notes->size());
                      notes->push_back(std::move(*note));
                      return Status::Ok();
                    });
}

}  // namespace

StatusOr<std::shared_ptr<const CodeTable>> CodeTable::Load(const std::string& dir) {
  std::shared_ptr<CodeTable> table(new CodeTable());
  StatusOr<int> fiscal_year = LoadFiscalYear(dir);
  if (!fiscal_year.ok()) return fiscal_year.status();
  table->fiscal_year_ = *fiscal_year;
  if (Status s = LoadCodes(dir, table->fiscal_year_, &table->entries_, &table->index_); !s.ok())
    return s;
  if (Status s = LoadNotes(dir, *table, &table->notes_, &table->notes_at_); !s.ok()) return s;
  return std::shared_ptr<const CodeTable>(std::move(table));
}

StatusOr<std::string> CodeTable::DefaultDir(const std::string& icd10cm_dir) {
  const std::string path = JoinPath(icd10cm_dir, "default");
  std::optional<std::string> content = ReadFile(path);
  if (!content) return CannotRead(path);
  std::string_view name = *content;
  while (!name.empty() && (name.back() == '\n' || name.back() == '\r' ||
                           name.back() == ' ')) {
    name.remove_suffix(1);
  }
  bool ok = name.size() == 6 && name.starts_with("fy");
  for (size_t i = 2; ok && i < name.size(); ++i) {
    ok = name[i] >= '0' && name[i] <= '9';
  }
  if (!ok) {
    return Status(LineError(path, 1, 1,
                            "expected a folder name like fy2027, found " +
                                Quote(name)));
  }
  return JoinPath(icd10cm_dir, std::string(name).c_str());
}

const CodeEntry* CodeTable::Find(std::string_view code) const {
  auto it = index_.find(std::string(code));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

bool CodeTable::IsBillable(std::string_view code) const {
  const CodeEntry* e = Find(code);
  return e != nullptr && e->billable;
}

Status CodeTable::CheckBillable(const std::vector<std::string>& codes,
                                std::string_view who) const {
  for (const std::string& code : codes) {
    const CodeEntry* e = Find(code);
    if (e == nullptr) {
      return Status(StatusCode::kFailedPrecondition,
                    std::string(who) + ": code " + Quote(code) +
                        " does not exist in " + code_set(),
                    kErrorKind);
    }
    if (!e->billable) {
      return Status(StatusCode::kFailedPrecondition,
                    std::string(who) + ": code " + Quote(code) +
                        " is a header in " + code_set() +
                        ", not billable (use one of its subcodes)",
                    kErrorKind);
    }
  }
  return Status::Ok();
}

std::string CodeTable::code_set() const {
  return "ICD-10-CM FY" + std::to_string(fiscal_year_);
}

std::vector<const CodeNote*> CodeTable::NotesAt(std::string_view code) const {
  std::vector<const CodeNote*> out;
  auto it = notes_at_.find(std::string(code));
  if (it == notes_at_.end()) return out;
  for (size_t i : it->second) out.push_back(&notes_[i]);
  return out;
}

const CodeNote* CodeTable::FindOneWay(NoteKind kind, std::string_view a,
                                      std::string_view b) const {
  // a itself, then its shorter dotted prefixes: M43.26, M43.2, M43. Notes sit
  // only at codes of the table, so prefixes outside it simply find nothing.
  std::string_view at = a;
  while (!at.empty()) {
    auto it = notes_at_.find(std::string(at));
    if (it != notes_at_.end()) {
      for (size_t i : it->second) {
        const CodeNote& note = notes_[i];
        if (note.kind != kind) continue;
        for (const CodeRef& ref : note.refs) {
          if (ref.Covers(b)) return &note;
        }
      }
    }
    if (at.size() <= 3) break;
    at.remove_suffix(1);
    if (at.back() == '.') at.remove_suffix(1);
  }
  return nullptr;
}

const CodeNote* CodeTable::FindExcludes(NoteKind kind, std::string_view a,
                                        std::string_view b) const {
  if (const CodeNote* n = FindOneWay(kind, a, b)) return n;
  return FindOneWay(kind, b, a);
}

bool CodeTable::Excludes1(std::string_view a, std::string_view b) const {
  return FindExcludes(NoteKind::kExcludes1, a, b) != nullptr;
}

bool CodeTable::Excludes2(std::string_view a, std::string_view b) const {
  return FindExcludes(NoteKind::kExcludes2, a, b) != nullptr;
}

bool CodeTable::Excludes1From(std::string_view a, std::string_view b) const {
  return FindOneWay(NoteKind::kExcludes1, a, b) != nullptr;
}

bool CodeTable::Excludes2From(std::string_view a, std::string_view b) const {
  return FindOneWay(NoteKind::kExcludes2, a, b) != nullptr;
}

std::string CodeTable::ExcludesNote(std::string_view a,
                                    std::string_view b) const {
  const CodeNote* n = FindExcludes(NoteKind::kExcludes1, a, b);
  if (n == nullptr) n = FindExcludes(NoteKind::kExcludes2, a, b);
  return n == nullptr ? std::string() : n->text;
}

}  // namespace suggest::internal
