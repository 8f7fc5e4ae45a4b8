// Copyright libsuggest authors.
#include "util/toml_file.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace suggest::internal {

Status TomlError(const std::string& path, const toml::source_position& where,
                 std::string_view message) {
  // One error is one line (LoadErrors joins them with '\n'): a line break
  // quoted from the file (an example, a key) is written as \n.
  std::string text;
  for (char c : message) text += c == '\n' ? "\\n" : c == '\r' ? "\\r" : std::string(1, c);
  return Status(StatusCode::kInvalidArgument,
                path + ":" + std::to_string(where.line) + ":" +
                    std::to_string(where.column) + ": error: " + text,
                "rule_file");
}

namespace {

// Length of the valid UTF-8 sequence at p[0] (non-ASCII lead), or 0.
size_t MultiByteLength(const unsigned char* p, size_t avail) {
  const size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
  if (n == 0 || n > avail || p[0] > 0xF4) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((p[k] & 0xC0) != 0x80) return 0;
  return n;
}

// Where the scan is in the code (outside strings and comments), as toml++ 3.3
// reads it. A quote opens a string only in a key or where a value starts: in
// a bare value (number, date, boolean, or junk) toml++ scans on through
// quotes, '=', '[' and '{' up to a value terminator (white space, ']', '}',
// ',', '#'), so what follows a bare value character without white space is
// still code (`1"`, `1979-05-27["`, `1979-05-27="`). After a value only
// white space, a separator, a closing bracket or a comment is TOML; anything
// else may still belong to it (a date-time's time after a space), so it
// counts as a bare value too.
class CodeScan {
 public:
  // Consumes the code character c; true when c is a quote that opens a
  // string here.
  bool Step(char c) {
    if (slot_ == kBare) {
      if (!IsValueTerminator(c)) return false;
      slot_ = kAfterValue;
    }
    switch (c) {
      case '\n':
        if (nesting_.empty()) slot_ = kKey;  // a new key/value pair or header
        return false;
      case ' ': case '\t': case '\v': case '\f': case '\r': case '#':
        return false;
      case ',':
        if (!nesting_.empty()) slot_ = nesting_.back() == '[' ? kValue : kKey;
        return false;
      case ']': case '}':
        // A table header's ']' (top level) closes nothing.
        if (!nesting_.empty()) {
          nesting_.pop_back();
          slot_ = kAfterValue;
        }
        return false;
      case '[': case '{':
        if (slot_ == kValue) {
          nesting_.push_back(c);
          if (c == '{') slot_ = kKey;
        } else if (slot_ == kAfterValue) {
          slot_ = kBare;
        }  // in a key: a table header's '[' (or an error toml++ stops at)
        return false;
      case '"': case '\'':
        if (slot_ == kAfterValue) {
          slot_ = kBare;
          return false;
        }
        if (slot_ == kValue) slot_ = kAfterValue;  // the string is the value
        return true;
      case '=':
        slot_ = slot_ == kKey ? kValue : kBare;
        return false;
      default:  // in a key: a bare key character or '.'; else a bare value
        if (slot_ != kKey) slot_ = kBare;
        return false;
    }
  }

 private:
  enum Slot { kKey, kValue, kBare, kAfterValue };

  // toml++'s is_value_terminator for ASCII characters.
  static bool IsValueTerminator(char c) {
    return std::string_view(" \t\n\v\f\r]},#").find(c) != std::string_view::npos;
  }

  Slot slot_ = kKey;
  std::string nesting_;  // open arrays '[' and inline tables '{', innermost last
};

// Where the scan is in the file (code, a comment, or one of the four string
// forms), fed one ASCII character at a time; non-ASCII characters only ask
// whether they may stand here.
class TextScan {
 public:
  // The error for a non-ASCII character here, or nullptr if it may stand.
  const char* NonAsciiProblem() const {
    if (state_ == kCode) return "unexpected non-ASCII character outside a string";
    if (state_ != kMlBasic) return nullptr;
    if (after_backslash_) return "invalid escape sequence in a string";
    if (line_ending_) {
      return "non-ASCII text right after a line-ending backslash is not supported";
    }
    return nullptr;
  }

  // Consumes the ASCII character text[i] (with what it opens or closes);
  // returns how many bytes that took.
  size_t StepAscii(std::string_view text, size_t i) {
    const char c = text[i];
    // A line break ends a comment or (as an error) a one-line string, and
    // the code scan sees it.
    if (c == '\n' && (state_ == kComment || state_ == kBasic || state_ == kLiteral)) {
      state_ = kCode;
    }
    switch (state_) {
      case kCode:
        return StepCode(text, i);
      case kComment:
        return 1;
      case kBasic:
        if (c == '\\') return SkipsEscaped(text, i + 1) ? 2 : 1;
        if (c == '"') state_ = kCode;
        return 1;
      case kLiteral:
        if (c == '\'') state_ = kCode;
        return 1;
      case kMlBasic:
        return StepMultiLineBasic(text, i);
      case kMlLiteral:
        return CloseAt(text, i, "'''");
    }
    return 1;
  }

 private:
  enum State { kCode, kComment, kBasic, kLiteral, kMlBasic, kMlLiteral };

  static bool Starts(std::string_view text, size_t i, const char* delim) {
    return text.compare(i, 3, delim) == 0;
  }

  // A one-line basic string's escape takes the next character along unless
  // it is a line break (an error toml++ reports) or non-ASCII (checked alone).
  static bool SkipsEscaped(std::string_view text, size_t next) {
    return next < text.size() && static_cast<unsigned char>(text[next]) < 0x80 &&
           text[next] != '\n';
  }

  size_t StepCode(std::string_view text, size_t i) {
    const char c = text[i];
    if (code_.Step(c)) {
      const bool basic = c == '"';
      const bool multi = Starts(text, i, basic ? "\"\"\"" : "'''");
      state_ = basic ? (multi ? kMlBasic : kBasic) : (multi ? kMlLiteral : kLiteral);
      return multi ? 3 : 1;
    }
    if (c == '#') state_ = kComment;
    return 1;
  }

  size_t StepMultiLineBasic(std::string_view text, size_t i) {
    const char c = text[i];
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (after_backslash_) {
      after_backslash_ = false;
      line_ending_ = space;
      return 1;
    }
    if (line_ending_ && space) return 1;
    line_ending_ = false;
    if (c == '\\') {
      after_backslash_ = true;
      return 1;
    }
    return CloseAt(text, i, "\"\"\"");
  }

  // At a multi-line string's closing delimiter: back to code, 3 bytes.
  size_t CloseAt(std::string_view text, size_t i, const char* delim) {
    if (!Starts(text, i, delim)) return 1;
    state_ = kCode;
    return 3;
  }

  State state_ = kCode;
  bool after_backslash_ = false;  // kMlBasic: the previous character was '\'
  bool line_ending_ = false;      // kMlBasic: skipping white space after "\<LF>"
  CodeScan code_;
};

// Lines and columns as toml++ counts them: columns in code points.
void AdvancePosition(const unsigned char* bytes, size_t len, toml::source_position* pos) {
  for (size_t k = 0; k < len; ++k) {
    if (bytes[k] == '\n') {
      ++pos->line;
      pos->column = 1;
    } else if ((bytes[k] & 0xC0) != 0x80) {
      ++pos->column;
    }
  }
}

}  // namespace

Status CheckTomlText(std::string_view text, const std::string& path) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  toml::source_position pos{1, 1};
  TextScan scan;
  // toml++ skips a byte order mark.
  for (size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; i < n;) {
    size_t len = 1;
    if (p[i] >= 0x80) {
      len = MultiByteLength(p + i, n - i);
      // toml++ stops at invalid UTF-8 before its parser sees the character.
      if (len == 0) return Status();
      if (const char* problem = scan.NonAsciiProblem()) return TomlError(path, pos, problem);
    } else {
      len = scan.StepAscii(text, i);
    }
    AdvancePosition(p + i, len, &pos);
    i += len;
  }
  return Status();
}

StatusOr<toml::table> ParseTomlFile(const std::string& path) {
  std::string text;
  return ParseTomlFile(path, &text);
}

StatusOr<toml::table> ParseTomlFile(const std::string& path, std::string* text) {
  // A directory opens like a file and reads as empty (or throws), and a FIFO
  // or device blocks or never ends: only a regular file (or a link to one)
  // is read.
  std::error_code ec;
  const auto type = std::filesystem::status(path, ec).type();
  if (type == std::filesystem::file_type::directory) {
    return NotFound(path + ": error: cannot read file: it is a directory");
  }
  if (!ec && type != std::filesystem::file_type::regular) {
    return NotFound(path + ": error: cannot read file: not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": error: cannot read file");
  std::string& content = *text;
  content.clear();
  try {  // libstdc++'s filebuf throws on a read error
    content.assign(std::istreambuf_iterator<char>(in), {});
  } catch (const std::exception&) {
    return NotFound(path + ": error: cannot read file: read error");
  }
  if (Status s = CheckTomlText(content, path); !s.ok()) return s;
  try {
    return toml::parse(content, path);
  } catch (const toml::parse_error& e) {
    return TomlError(path, e.source().begin, e.description());
  }
}

Status CheckKnownKeys(const std::string& path, const toml::table& table,
                      std::initializer_list<std::string_view> allowed,
                      std::string_view what) {
  LoadErrors errors;
  for (const auto& [key, node] : table) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key.str() == a;
    if (!known) {
      const toml::source_position pos = key.source().begin.line ? key.source().begin
                                                                : node.source().begin;
      const std::vector<std::string> names(allowed.begin(), allowed.end());
      errors.Add(TomlError(path, pos,
                           std::string(what) + ": unknown key \"" + std::string(key.str()) +
                               "\"" + AllowedList(key.str(), names)));
    }
  }
  return errors.ToStatus();
}

Status CheckSchemaVersion(const std::string& path, const toml::table& root,
                          int64_t min_version, int64_t max_version) {
  const toml::node* v = root.get("schema_version");
  if (v == nullptr) {
    return TomlError(path, toml::source_position{1, 1}, "missing schema_version");
  }
  const auto* i = v->as_integer();
  if (i == nullptr) return TomlError(path, *v, "schema_version must be an integer");
  if (i->get() < min_version || i->get() > max_version) {
    return TomlError(path, *v,
                     "schema_version " + std::to_string(i->get()) + " not supported (" +
                         std::to_string(min_version) + ".." + std::to_string(max_version) + ")");
  }
  return Status();
}

}  // namespace suggest::internal
