// Copyright libsuggest authors.
#include "report_cmd.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

#include "batch_io.h"
#include "batch_runner.h"
#include "cli_common.h"
#include "html_report.h"
#include "safe_file.h"

namespace suggest::tools {
namespace {

namespace fs = std::filesystem;

std::string Escaped(std::string_view s) {
  std::string out;
  html::AppendEscaped(&out, s);
  return out;
}

std::string DisplayId(const std::string& id) { return id.empty() ? "(no id)" : id; }

std::string ErrorText(const Status& st) {
  return (st.kind().empty() ? std::string(StatusCodeName(st.code())) : st.kind()) + ": " +
         st.message();
}

int ExitCode(bool io_failed, bool note_failed) {
  return io_failed ? kExitIo : note_failed ? kExitNoteFailed : kExitOk;
}

// ---- one page for the given files ----------------------------------------

int RunSinglePage(const Model& model, const AnalyzeOptions& options, const ReportConfig& config) {
  std::string toc, body, code_set;
  bool note_failed = false, io_failed = false, any_suggestion = false;
  size_t errors = 0;
  for (size_t k = 0; k < config.files.size(); ++k) {
    const std::string& f = config.files[k];
    html::NoteView view;
    view.id = f == "-" ? "stdin" : f;
    view.anchor = "n" + std::to_string(k);
    std::optional<Status> error;
    std::optional<Result> result;
    // The size limit applies while reading (a FIFO or stdin stops at it).
    std::optional<Status> refused;
    std::string why;
    std::optional<std::string> text = ReadNoteLimited(f, options.max_note_bytes, &refused, &why);
    if (!text) {
      spdlog::error("cannot read {}: {}", f, why);
      error = Status(StatusCode::kNotFound, "cannot read the note file", "read_error");
      io_failed = true;
    } else if (refused) {
      spdlog::warn("note {} failed: {}", LogSafe(view.id), refused->ToString());
      error = *refused;
      note_failed = true;
    } else {
      auto r = model.Analyze(*text, options);
      if (r.ok()) {
        result = std::move(*r);
        if (code_set.empty()) code_set = result->code_set;
        any_suggestion = any_suggestion || !result->suggestions.empty();
      } else {
        spdlog::warn("note {} failed: {}", LogSafe(view.id), r.status().ToString());
        error = r.status();
        note_failed = true;
      }
    }
    if (error) ++errors;
    view.text = text ? std::string_view(*text) : std::string_view();
    view.result = result ? &*result : nullptr;
    view.error = error ? &*error : nullptr;
    html::AppendNoteSection(&body, view);

    toc += "<li><a href=\"#" + view.anchor + "\">" + Escaped(view.id) +
           "</a> <span class=\"off\">" +
           Escaped(result ? "codes: " + html::CodeList(*result) : "error: " + ErrorText(*error)) +
           "</span></li>\n";
  }

  const size_t n = config.files.size();
  std::string page = html::PageStart(
      n == 1 ? "libsuggest report: " + (config.files[0] == "-" ? "stdin" : config.files[0])
             : "libsuggest report: " + std::to_string(n) + " notes");
  if (n > 1) {
    page += "<nav>\n<h2>Notes</h2>\n<ol>\n" + toc + "</ol>\n</nav>\n";
  }
  if (any_suggestion) page += html::ReviewBar(/*all_stored=*/false);
  page += body;
  page += html::PageEnd(code_set, model.models_version());

  if (config.html_out == "-") {
    std::cout.write(page.data(), static_cast<std::streamsize>(page.size()));
    std::cout.flush();
    if (!std::cout) {
      spdlog::error("cannot write output");
      return kExitIo;
    }
  } else if (std::string err; !WriteFileAtomic(config.html_out, page, &err)) {
    spdlog::error("{}", err);
    return kExitIo;
  }
  spdlog::info("report: {} notes, {} errors", n, errors);
  return ExitCode(io_failed, note_failed);
}

// ---- one page per batch record + index.html --------------------------------

struct IndexEntry {
  std::string id;
  std::string file;   // page file name, "" for an error
  std::string codes;  // "M45.6, Z98.1" / "none"
  std::vector<std::pair<std::string, std::string>> suggested;  // code, title
  std::string error;  // "kind: message" for an error
  size_t facts = 0, gaps = 0;
};

std::string UniqueName(const std::string& id, std::set<std::string>* used) {
  const std::string stem = ReportFileStem(id);
  const auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  // Case-insensitive: the pages may be copied to a case-insensitive file system.
  std::string name = stem;
  for (int n = 2; used->count(lower(name)); ++n) name = stem + "-" + std::to_string(n);
  used->insert(lower(name));
  return name + ".html";
}

std::string IndexPage(const std::vector<IndexEntry>& entries, const std::string& input,
                      const std::string& code_set, const std::string& models_version) {
  size_t errors = 0;
  // code -> (title, notes suggesting it)
  std::map<std::string, std::pair<std::string, size_t>> totals;
  for (const IndexEntry& e : entries) {
    errors += e.error.empty() ? 0 : 1;
    for (const auto& [code, title] : e.suggested) {
      auto& t = totals[code];
      t.first = title;
      ++t.second;
    }
  }
  std::string out = html::PageStart("libsuggest report: " + input, /*legend=*/false);
  out += "<p class=\"meta\">" + std::to_string(entries.size()) + " notes \u00B7 " +
         std::to_string(errors) + " errors</p>\n";
  out += "<h2>Codes</h2>\n";
  if (totals.empty()) {
    out += "<p class=\"none\">No code suggested.</p>\n";
  } else {
    out +=
        "<table class=\"codes sortable\">\n<thead><tr><th>Code</th><th>Title</th>"
        "<th>Notes</th></tr></thead>\n<tbody>\n";
    for (const auto& [code, t] : totals) {
      out += "<tr><td class=\"code\"><button type=\"button\" class=\"filter\" data-filter=\"" +
             Escaped(code) + "\" title=\"show the notes with this code\">" + Escaped(code) +
             "</button></td><td>" + Escaped(t.first) + "</td><td class=\"num\">" +
             std::to_string(t.second) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
  }
  out += html::ReviewBar(/*all_stored=*/true);
  out +=
      "<h2>Notes</h2>\n<p><input type=\"search\" id=\"ix-filter\" placeholder=\"filter: id, "
      "code, status, error\" aria-label=\"filter the notes\"> <span id=\"ix-shown\" "
      "class=\"off\"></span></p>\n";
  out +=
      "<table class=\"index sortable\">\n<thead><tr><th>#</th><th>Note</th><th>Status</th>"
      "<th>Suggestions</th><th>Facts</th><th>Gaps</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < entries.size(); ++i) {
    const IndexEntry& e = entries[i];
    out += "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td>";
    if (e.error.empty()) {
      out += "<a href=\"" + e.file + "\">" + Escaped(DisplayId(e.id)) + "</a></td><td>ok</td><td>" +
             Escaped(e.codes) + "</td><td class=\"num\">" + std::to_string(e.facts) +
             "</td><td class=\"num\">" + std::to_string(e.gaps) + "</td></tr>\n";
    } else {
      out += Escaped(DisplayId(e.id)) + "</td><td class=\"error\">error</td><td colspan=\"3\">" +
             Escaped(e.error) + "</td></tr>\n";
    }
  }
  out += "</tbody>\n</table>\n";
  out += html::PageEnd(code_set, models_version);
  return out;
}

int RunBatchPages(const Model& model, const AnalyzeOptions& options, const ReportConfig& config) {
  const fs::path dir(config.html_out);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec)) {
    spdlog::error("cannot create output directory {}", config.html_out);
    return kExitIo;
  }
  int open_rc = kExitOk;
  std::unique_ptr<RecordSource> src = OpenInputOrLog(config.input, &open_rc);
  if (!src) return open_rc;

  std::vector<IndexEntry> entries;
  std::set<std::string> used = {"index"};
  std::string code_set;
  bool note_failed = false;
  BatchRecord rec;
  while (src->Next(&rec, /*skip=*/false)) {
    IndexEntry entry;
    entry.id = rec.id;
    if (rec.error) {
      entry.error = ErrorText(*rec.error);
      note_failed = true;
      entries.push_back(std::move(entry));
      continue;
    }
    const AnalyzeOptions opts = RecordOptions(rec, options);  // the record's own fields win
    auto r = model.Analyze(rec.text, opts);
    if (!r.ok()) {
      spdlog::warn("note {} failed: {}", LogSafe(rec.id), r.status().ToString());
      entry.error = ErrorText(r.status());
      note_failed = true;
      entries.push_back(std::move(entry));
      continue;
    }
    if (code_set.empty()) code_set = r->code_set;
    entry.file = UniqueName(rec.id, &used);
    entry.codes = html::CodeList(*r);
    for (const Suggestion& sg : r->suggestions) entry.suggested.emplace_back(sg.code, sg.title);
    entry.facts = r->facts.size();
    entry.gaps = r->gaps.size();

    html::NoteView view;
    view.id = DisplayId(rec.id);
    view.anchor = "n0";
    view.text = rec.text;
    view.result = &*r;
    std::string page = html::PageStart("libsuggest report: " + view.id);
    page += "<p class=\"meta\"><a href=\"index.html\">\u2190 index</a></p>\n";
    if (!r->suggestions.empty()) page += html::ReviewBar(/*all_stored=*/false);
    html::AppendNoteSection(&page, view);
    page += html::PageEnd(r->code_set, model.models_version());
    const std::string path = (dir / entry.file).string();
    if (std::string err; !WriteFileAtomic(path, page, &err)) {
      spdlog::error("{}", err);
      return kExitIo;
    }
    entries.push_back(std::move(entry));
  }
  const bool io_failed = src->Failed();
  if (io_failed) spdlog::error("error reading {}", config.input.path);

  const std::string index = (dir / "index.html").string();
  if (std::string err;
      !WriteFileAtomic(index,
                       IndexPage(entries, config.input.path, code_set, model.models_version()),
                       &err)) {
    spdlog::error("{}", err);
    return kExitIo;
  }
  size_t errors = 0;
  for (const IndexEntry& e : entries) errors += e.error.empty() ? 0 : 1;
  spdlog::info("report: {} notes, {} errors, pages in {}", entries.size(), errors,
               config.html_out);
  return ExitCode(io_failed, note_failed);
}

}  // namespace

std::string ReportFileStem(std::string_view id) {
  std::string s;
  for (char c : id) {
    if (s.size() >= 100) break;
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    s.push_back(ok ? c : '_');
  }
  if (s.empty()) return "note";
  // No hidden files, no "..", nothing that reads as an option.
  if (s[0] == '.' || s[0] == '-') s = "note_" + s;
  return s;
}

std::string ReportUsageError(const ReportConfig& config) {
  if (config.html_out.empty()) return "report: --html OUT is required";
  const bool batch = !config.input.path.empty();
  if (batch && !config.files.empty())
    return "report: give note files or --input, not both";
  if (!batch && config.files.empty()) return "report: give note files (or -) or --input";
  if (batch && config.html_out == "-")
    return "report: with --input, --html names an output directory (not -)";
  // `report --html n.txt n.txt` must not replace the note with its page
  // (also through a symlink or a hard link).
  for (const std::string& f : config.files) {
    if (SameFile(config.html_out, f))
      return "report: --html " + config.html_out + " is the note file " + f +
             " (refused: it would be overwritten)";
  }
  if (batch && SameFile(config.html_out, config.input.path))
    return "report: --html " + config.html_out + " is the input file " + config.input.path;
  return {};
}

int RunReport(const Model& model, const AnalyzeOptions& options, const ReportConfig& config) {
  return config.input.path.empty() ? RunSinglePage(model, options, config)
                                   : RunBatchPages(model, options, config);
}

}  // namespace suggest::tools
