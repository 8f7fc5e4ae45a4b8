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

}  // namespace

Status CheckTomlText(std::string_view text, const std::string& path) {
  enum State { kCode, kComment, kBasic, kLiteral, kMlBasic, kMlLiteral } state = kCode;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  toml::source_position pos{1, 1};
  bool after_backslash = false;  // kMlBasic: the previous character was '\'
  bool line_ending = false;      // kMlBasic: skipping white space after "\<LF>"
  CodeScan code;
  auto starts = [&](size_t i, const char* delim) { return text.compare(i, 3, delim) == 0; };
  // toml++ skips a byte order mark.
  for (size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; i < n;) {
    const unsigned char c = p[i];
    size_t len = 1;
    if (c >= 0x80) {
      len = MultiByteLength(p + i, n - i);
      // toml++ stops at invalid UTF-8 before its parser sees the character.
      if (len == 0) return Status();
      const bool bad = state == kCode || (state == kMlBasic && (after_backslash || line_ending));
      if (bad) {
        return TomlError(path, pos,
                         state == kCode ? "unexpected non-ASCII character outside a string"
                         : after_backslash
                             ? "invalid escape sequence in a string"
                             : "non-ASCII text right after a line-ending backslash "
                               "is not supported");
      }
    } else {
      // A line break ends a comment or (as an error) a one-line string, and
      // the code scan sees it.
      if (c == '\n' && (state == kComment || state == kBasic || state == kLiteral)) {
        state = kCode;
      }
      switch (state) {
        case kCode:
          if (code.Step(static_cast<char>(c))) {
            const bool basic = c == '"';
            const bool multi = starts(i, basic ? "\"\"\"" : "'''");
            state = basic ? (multi ? kMlBasic : kBasic) : (multi ? kMlLiteral : kLiteral);
            if (multi) len = 3;
          } else if (c == '#') {
            state = kComment;
          }
          break;
        case kComment:
          break;
        case kBasic:
          if (c == '\\') len = i + 1 < n && p[i + 1] < 0x80 && p[i + 1] != '\n' ? 2 : 1;
          else if (c == '"') state = kCode;
          break;
        case kLiteral:
          if (c == '\'') state = kCode;
          break;
        case kMlBasic: {
          const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
          if (after_backslash) {
            after_backslash = false;
            line_ending = space;
            break;
          }
          if (line_ending && space) break;
          line_ending = false;
          if (c == '\\') {
            after_backslash = true;
          } else if (starts(i, "\"\"\"")) {
            state = kCode;
            len = 3;
          }
          break;
        }
        case kMlLiteral:
          if (starts(i, "'''")) {
            state = kCode;
            len = 3;
          }
          break;
      }
    }
    // Lines and columns as toml++ counts them: columns in code points.
    for (size_t k = 0; k < len; ++k) {
      if (p[i + k] == '\n') {
        ++pos.line;
        pos.column = 1;
      } else if ((p[i + k] & 0xC0) != 0x80) {
        ++pos.column;
      }
    }
    i += len;
  }
  return Status();
}

StatusOr<toml::table> ParseTomlFile(const std::string& path) {
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
  std::string content;
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
