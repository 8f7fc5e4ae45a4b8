// Copyright libsuggest authors.
#include "util/load_errors.h"

#include <algorithm>
#include <cstdlib>

namespace suggest::internal {

bool LoadErrors::Add(const Status& s) {
  if (s.ok()) return false;
  if (total_ == 0) first_ = s;
  const std::string& m = s.message();
  for (size_t start = 0; start <= m.size();) {
    size_t end = m.find('\n', start);
    if (end == std::string::npos) end = m.size();
    std::string_view line(m.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    if (line.rfind("... and ", 0) == 0) continue;  // counted by ErrorCount below
    if (lines_.size() < kMaxLoadErrors) lines_.emplace_back(line);
  }
  total_ += std::max<size_t>(ErrorCount(s), 1);
  return true;
}

Status LoadErrors::ToStatus() const {
  if (total_ == 0) return Status();
  if (total_ == 1) return first_;
  std::string message;
  for (const std::string& line : lines_) message += (message.empty() ? "" : "\n") + line;
  if (total_ > lines_.size()) {
    message += "\n... and " + std::to_string(total_ - lines_.size()) + " more errors";
  }
  return Status(first_.code(), std::move(message), first_.kind());
}

size_t ErrorCount(const Status& s) {
  if (s.ok()) return 0;
  const std::string& m = s.message();
  size_t lines = 0;
  size_t more = 0;
  for (size_t start = 0; start <= m.size();) {
    size_t end = m.find('\n', start);
    if (end == std::string::npos) end = m.size();
    const std::string_view line(m.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    if (line.rfind("... and ", 0) == 0) {
      more += std::strtoull(std::string(line.substr(8)).c_str(), nullptr, 10);
    } else {
      ++lines;
    }
  }
  return std::max<size_t>(lines + more, 1);
}

namespace {

// Levenshtein distance (insert, delete, substitute; a swap of neighbours
// counts 1, as a typist makes it).
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    prev2.swap(prev);
    prev.swap(cur);
  }
  return prev[b.size()];
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::string NearestName(std::string_view value, const std::vector<std::string>& allowed) {
  std::string best;
  size_t best_distance = std::string::npos;
  const std::string v = Lower(value);
  for (const std::string& a : allowed) {
    const size_t d = EditDistance(v, Lower(a));
    if (d < best_distance) {
      best_distance = d;
      best = a;
    }
  }
  if (best.empty() || best == value) return "";
  const size_t longer = std::max(value.size(), best.size());
  return best_distance * 3 <= longer + 1 ? best : "";
}

std::string DidYouMean(std::string_view value, const std::vector<std::string>& allowed) {
  const std::string near = NearestName(value, allowed);
  return near.empty() ? std::string() : "; did you mean '" + near + "'?";
}

std::string AllowedList(std::string_view value, const std::vector<std::string>& allowed) {
  std::string out = " (allowed: ";
  for (size_t i = 0; i < allowed.size(); ++i) out += (i ? ", " : "") + allowed[i];
  return out + ")" + DidYouMean(value, allowed);
}

}  // namespace suggest::internal
