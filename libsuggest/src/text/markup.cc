// Copyright libsuggest authors.

#include "text/markup.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>

namespace suggest::internal {
namespace {

bool IsLowerAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Named character references a clinical export writes, by their lower-case
// name (the view is case folded), and the text the normalized view has for
// the character (dashes '-', spaces ' ', straight quotes).
struct Named {
  const char* name;
  const char* text;
};
constexpr Named kNamed[] = {
    {"amp", "&"},        {"apos", "'"},       {"bdquo", "\""},     {"bull", "\xe2\x80\xa2"},
    {"dash", "-"},       {"deg", "\xc2\xb0"}, {"emsp", " "},       {"ensp", " "},
    {"gt", ">"},         {"hairsp", " "},     {"hellip", "..."},   {"horbar", "-"},
    {"hyphen", "-"},     {"ldquo", "\""},     {"lsquo", "'"},      {"lt", "<"},
    {"mdash", "-"},      {"middot", "\xc2\xb7"}, {"minus", "-"},   {"nbsp", " "},
    {"ndash", "-"},      {"numsp", " "},      {"plusmn", "\xc2\xb1"}, {"prime", "'"},
    {"quot", "\""},      {"rdquo", "\""},     {"rsquo", "'"},      {"sbquo", "'"},
    {"shy", ""},         {"thinsp", " "},     {"times", "\xc3\x97"}, {"zwj", ""},
    {"zwnj", ""},        {"zwsp", ""},
};

const char* NamedText(std::string_view name) {
  for (const Named& n : kNamed)
    if (name == n.name) return n.text;
  return nullptr;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The text the normalized view has for code point cp (normalize.h's
// unification: dashes, spaces, quotes; ASCII in lower case); nullopt for
// one that is no character (NUL, a surrogate, beyond U+10FFFF).
// A dash the normalized view writes '-' (normalize.h's unification).
bool IsDashCodePoint(uint32_t cp) {
  return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63 ||
         cp == 0xFF0D;
}

std::optional<std::string> CodePointText(uint32_t cp) {
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return std::nullopt;
  if (IsDashCodePoint(cp)) return "-";
  if (cp == 0x09 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
      cp == 0x205F || cp == 0x3000)
    return " ";
  if (cp == 0x0A || cp == 0x0D) return "\n";
  if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x2032) return "'";
  if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x2033) return "\"";
  if (cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) || cp == 0xFEFF) return "";
  if (cp == 0x2026) return "...";
  std::string s;
  if (cp < 0x80) {
    s.push_back(Lower(static_cast<char>(cp)));
  } else {
    AppendUtf8(cp, &s);
  }
  return s;
}

// Windows-1252 byte b (an RTF "\'hh" escape) as the view writes it.
std::optional<std::string> Cp1252Text(uint32_t b) {
  switch (b) {
    case 0x85: return "...";
    case 0x91: case 0x92: return "'";
    case 0x93: case 0x94: return "\"";
    case 0x95: return "\xe2\x80\xa2";
    case 0x96: case 0x97: return "-";
    default: break;
  }
  if (b < 0x80 || b >= 0xA0) {
    // Latin-1 letters in lower case, as case folding writes them.
    if (b >= 0xC0 && b <= 0xDE && b != 0xD7) b += 0x20;
    return CodePointText(b);
  }
  return std::nullopt;
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A character reference at t[i] == '&': its length and text.
bool Entity(std::string_view t, size_t i, size_t* len, std::string* text) {
  size_t j = i + 1;
  if (j < t.size() && t[j] == '#') {
    ++j;
    const bool hex = j < t.size() && t[j] == 'x';
    if (hex) ++j;
    uint32_t cp = 0;
    size_t digits = 0;
    for (; j < t.size() && digits < 7; ++j, ++digits) {
      const int v = hex ? HexValue(t[j]) : (IsDigit(t[j]) ? t[j] - '0' : -1);
      if (v < 0) break;
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
    }
    if (digits == 0 || j >= t.size() || t[j] != ';') return false;
    const std::optional<std::string> s = CodePointText(cp);
    if (!s) return false;
    *len = j + 1 - i;
    *text = *s;
    return true;
  }
  size_t e = j;
  while (e < t.size() && e - j < 8 && (IsLowerAlpha(t[e]) || IsDigit(t[e]))) ++e;
  if (e == j || e >= t.size() || t[e] != ';') return false;
  const char* named = NamedText(t.substr(j, e - j));
  if (named == nullptr) return false;
  // "&amp;ndash;": an export that escaped the '&' of a reference once more.
  if (std::strcmp(named, "&") == 0) {
    size_t inner_len;
    std::string inner;
    if (Entity(t, e, &inner_len, &inner)) {
      *len = e + inner_len - i;
      *text = inner;
      return true;
    }
  }
  *len = e + 1 - i;
  *text = named;
  return true;
}

constexpr const char* kBlockTags[] = {"br", "p", "div", "li", "ul", "ol", "tr", "table", "tbody",
                                      "thead", "tfoot", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
                                      "blockquote", "pre", "dl", "dt", "dd", "section", "article",
                                      "header", "footer", "caption"};
constexpr const char* kCellTags[] = {"td", "th"};
constexpr const char* kInlineTags[] = {"b", "i", "u", "em", "strong", "span", "font", "small",
                                       "big", "s", "strike", "a", "abbr", "code", "tt", "sup",
                                       "sub", "mark", "ins", "del", "html", "body", "head"};

template <size_t N>
bool In(const char* const (&list)[N], std::string_view name) {
  return std::any_of(std::begin(list), std::end(list),
                     [&](const char* s) { return name == s; });
}

// A formatting tag at t[i] == '<': its length and text.
bool Tag(std::string_view t, size_t i, size_t* len, std::string* text) {
  // A footnote mark in superscript goes whole: "fusion<sup>1</sup>".
  if (t.compare(i, 5, "<sup>") == 0) {
    size_t j = i + 5;
    while (j < t.size() && j - i - 5 < 3 && (IsDigit(t[j]) || t[j] == '*' || t[j] == ',')) ++j;
    if (j > i + 5 && t.compare(j, 6, "</sup>") == 0) {
      *len = j + 6 - i;
      text->clear();
      return true;
    }
  }
  size_t j = i + 1;
  if (j < t.size() && t[j] == '/') ++j;
  const size_t name_begin = j;
  while (j < t.size() && j - name_begin < 10 && (IsLowerAlpha(t[j]) || IsDigit(t[j]))) ++j;
  if (j == name_begin || !IsLowerAlpha(t[name_begin])) return false;
  const std::string_view name = t.substr(name_begin, j - name_begin);
  const char* kind = In(kBlockTags, name) ? "\n" : In(kCellTags, name) ? " " : In(kInlineTags, name) ? "" : nullptr;
  if (kind == nullptr) return false;
  // Attributes up to the closing '>' (bounded; none holds '<' or a line break).
  if (j < t.size() && t[j] == ' ') {
    const size_t limit = std::min(t.size(), j + 300);
    while (j < limit && t[j] != '>' && t[j] != '<' && t[j] != '\n') ++j;
  }
  if (j < t.size() && t[j] == '/') ++j;
  if (j >= t.size() || t[j] != '>') return false;
  *len = j + 1 - i;
  *text = kind;
  return true;
}

// "\uN" with its fallback '?' (anywhere), or in an RTF document any control
// word, control symbol or "\'hh" at t[i] == '\\'.
bool RtfEscape(std::string_view t, size_t i, bool rtf, size_t* len, std::string* text) {
  size_t j = i + 1;
  if (j >= t.size()) return false;
  if (t[j] == 'u' && j + 1 < t.size() && (IsDigit(t[j + 1]) || t[j + 1] == '-')) {
    size_t k = j + 1;
    const bool negative = t[k] == '-';
    if (negative) ++k;
    int64_t n = 0;
    const size_t digits_begin = k;
    while (k < t.size() && k - digits_begin < 6 && IsDigit(t[k])) n = n * 10 + (t[k++] - '0');
    if (k == digits_begin) return false;
    if (negative) n = 65536 - n;  // RTF writes code points above 32767 as negative
    const bool fallback = k < t.size() && t[k] == '?';
    if (!fallback && !rtf) return false;
    const std::optional<std::string> s = CodePointText(static_cast<uint32_t>(n));
    if (!s) return false;
    *len = k + (fallback ? 1 : 0) - i;
    *text = *s;
    return true;
  }
  if (!rtf) return false;
  const char c = t[j];
  if (c == '\\' || c == '{' || c == '}') {
    *len = 2;
    *text = std::string(1, c);
    return true;
  }
  if (c == '~' || c == '-' || c == '_' || c == '*') {
    *len = 2;
    *text = c == '~' ? " " : c == '_' ? "-" : "";
    return true;
  }
  if (c == '\'' && j + 2 < t.size() && HexValue(t[j + 1]) >= 0 && HexValue(t[j + 2]) >= 0) {
    const std::optional<std::string> s =
        Cp1252Text(static_cast<uint32_t>(HexValue(t[j + 1]) * 16 + HexValue(t[j + 2])));
    if (!s) return false;
    *len = 4;
    *text = *s;
    return true;
  }
  size_t k = j;
  while (k < t.size() && k - j < 32 && IsLowerAlpha(t[k])) ++k;
  if (k == j) return false;
  const std::string_view word = t.substr(j, k - j);
  if (k < t.size() && t[k] == '-') ++k;
  while (k < t.size() && IsDigit(t[k])) ++k;
  if (k < t.size() && t[k] == ' ') ++k;  // the delimiting space is part of it
  *len = k - i;
  if (word == "par" || word == "line" || word == "sect" || word == "page") {
    *text = "\n";
  } else if (word == "tab" || word == "cell") {
    *text = " ";
  } else if (word == "endash" || word == "emdash") {
    *text = "-";
  } else if (word == "lquote" || word == "rquote") {
    *text = "'";
  } else if (word == "ldblquote" || word == "rdblquote") {
    *text = "\"";
  } else if (word == "bullet") {
    *text = "\xe2\x80\xa2";
  } else {
    text->clear();
  }
  return true;
}

// UTF-8 punctuation read as Windows-1252 and encoded again, as the
// normalized view has it ("â€“" -> "â€-" after dash unification).
struct Mojibake {
  std::string_view seen;
  const char* text;
};
const Mojibake kMojibake[] = {
    {"\xc3\xa2\xe2\x82\xac\"", "-"},             // en and em dash (cp1252 0x93 / 0x94: curly quotes)
    {"\xc3\xa2\xe2\x82\xactm", "'"},             // right single quote (NFKC of the trade mark)
    {"\xc3\xa2\xe2\x82\xac \xcc\x83", "'"},      // left single quote (NFKC of small tilde)
    {"\xc3\xa2\xe2\x82\xac\xc5\x93", "\""},      // left double quote
    {"\xc3\xa2\xe2\x82\xac\xc2\x9d", "\""},      // right double quote
    {"\xc3\xa2\xe2\x82\xac\xc2\xa2", "\xe2\x80\xa2"},  // bullet
    {"\xc3\xa2\xe2\x82\xac\xc2\xa6", "..."},     // ellipsis
    {"\xc3\xa2\xc2\xb0", "\xc2\xb0"},            // degree sign
    {"\xc3\xa2 ", " "},                          // no-break space
};

bool MojibakeAt(std::string_view t, size_t i, size_t* len, std::string* text) {
  for (const Mojibake& m : kMojibake)
    if (t.compare(i, m.seen.size(), m.seen) == 0) {
      *len = m.seen.size();
      *text = m.text;
      return true;
    }
  return false;
}

bool IsSuperscriptDigit(std::string_view s) {
  if (s.size() == 2) return s[0] == '\xc2' && (s[1] == '\xb9' || s[1] == '\xb2' || s[1] == '\xb3');
  return s.size() == 3 && s[0] == '\xe2' && s[1] == '\x81' &&
         (s[2] == '\xb0' || (s[2] >= '\xb4' && s[2] <= '\xb9'));
}

// Whether original bytes `s` are superscript digits only.
bool AllSuperscriptDigits(std::string_view s) {
  if (s.empty()) return false;
  for (size_t k = 0; k < s.size();) {
    const size_t n = static_cast<unsigned char>(s[k]) == 0xC2 ? 2 : 3;
    if (k + n > s.size() || !IsSuperscriptDigit(s.substr(k, n))) return false;
    k += n;
  }
  return true;
}

// Whether `at` holds at some position of `text` that holds byte `b`: the
// positions are found with memchr, so a note is read at memchr speed.
template <typename At>
bool AnyAt(std::string_view text, char b, At at) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char* p = static_cast<const char*>(std::memchr(text.data() + i, b, text.size() - i));
    if (p == nullptr) return false;
    i = static_cast<size_t>(p - text.data());
    if (at(i)) return true;
  }
  return false;
}

bool HasSuperscriptDigit(std::string_view s) {
  return AnyAt(s, '\xc2', [&](size_t k) { return IsSuperscriptDigit(s.substr(k, 2)); }) ||
         AnyAt(s, '\xe2', [&](size_t k) { return IsSuperscriptDigit(s.substr(k, 3)); });
}

}  // namespace

bool MarkupMayApply(std::string_view text) {
  const size_t n = text.size();
  // A lower-case copy of the few bytes a reference or tag may span: only
  // after an '&' or '<' that a letter (or '#', '/') follows ("H&P" and
  // "<5 mm" are settled without one).
  auto opens = [&](size_t i, size_t span, char also, auto parse) {
    if (i + 1 >= n || !(IsLowerAlpha(Lower(text[i + 1])) || text[i + 1] == also)) return false;
    std::string window(text.substr(i, span));
    for (char& c : window) c = Lower(c);
    size_t len;
    std::string unused;
    return parse(window, size_t{0}, &len, &unused);
  };
  if (AnyAt(text, '&', [&](size_t i) { return opens(i, 24, '#', Entity); })) return true;
  if (AnyAt(text, '<', [&](size_t i) { return opens(i, 320, '/', Tag); })) return true;
  if (AnyAt(text, '\\', [&](size_t i) {
        return (i + 2 < n && Lower(text[i + 1]) == 'u' &&
                (IsDigit(text[i + 2]) || text[i + 2] == '-')) ||
               (i > 0 && text[i - 1] == '{' && i + 4 < n && Lower(text[i + 1]) == 'r' &&
                Lower(text[i + 2]) == 't' && Lower(text[i + 3]) == 'f');
      }))
    return true;
  // Mojibake: the lead byte of "Â" / "â" before the rest of a sequence.
  if (AnyAt(text, '\xc3', [&](size_t i) {
        const std::string_view rest = text.substr(i, 5);
        return rest.rfind("\xc3\xa2\xe2\x82\xac", 0) == 0 || rest.rfind("\xc3\x82\xc2", 0) == 0 ||
               rest.rfind("\xc3\xa2\xc2\xb0", 0) == 0 || rest.rfind("\xc3\xa2 ", 0) == 0;
      }))
    return true;
  return HasSuperscriptDigit(text);
}

bool MarkupMayApply(std::string_view normalized, std::string_view original) {
  return MarkupMayApply(normalized) || HasSuperscriptDigit(original);
}

bool EndsWithDash(std::string_view text) {
  const size_t n = text.size();
  if (n >= 3 && (static_cast<unsigned char>(text[n - 3]) & 0xF0) == 0xE0) {
    const uint32_t cp = ((static_cast<unsigned char>(text[n - 3]) & 0x0Fu) << 12) |
                        ((static_cast<unsigned char>(text[n - 2]) & 0x3Fu) << 6) |
                        (static_cast<unsigned char>(text[n - 1]) & 0x3Fu);
    if (IsDashCodePoint(cp)) return true;
  }
  // A reference ends the text: the last '&' of its last 24 bytes opens it.
  const size_t amp = text.rfind('&');
  if (amp == std::string_view::npos || n - amp > 24) return false;
  std::string window(text.substr(amp));
  for (char& c : window) c = Lower(c);
  size_t len;
  std::string with;
  return Entity(window, 0, &len, &with) && len == window.size() && with == "-";
}

void ApplyMarkup(std::string_view original, const OffsetMap& to_original, std::string* text,
                 OffsetMap* map) {
  const std::string_view t = *text;
  const size_t n = t.size();
  *map = OffsetMap::Identity(static_cast<uint32_t>(n));
  const size_t lead = t.find_first_not_of(" \n");
  const bool rtf = lead != std::string_view::npos && t.compare(lead, 5, "{\\rtf") == 0;
  const bool superscripts = HasSuperscriptDigit(original);
  std::string out;
  OffsetMap built;
  size_t run = 0;  // start of the bytes copied unchanged
  bool changed = false;
  auto edit = [&](size_t i, size_t len, const std::string& with) {
    out.append(t, run, i - run);
    built.AppendUnchanged(static_cast<uint32_t>(i - run));
    out += with;
    built.AppendChange(static_cast<uint32_t>(len), static_cast<uint32_t>(with.size()));
    run = i + len;
    changed = true;
  };
  std::string with;
  size_t len = 0;
  for (size_t i = 0; i < n;) {
    const char c = t[i];
    bool hit = false;
    if (c == '&') {
      hit = Entity(t, i, &len, &with);
    } else if (c == '<') {
      hit = Tag(t, i, &len, &with);
    } else if (c == '\\') {
      hit = RtfEscape(t, i, rtf, &len, &with);
    } else if (rtf && (c == '{' || c == '}')) {
      hit = true;
      len = 1;
      with.clear();
    } else if (c == '\xc3') {
      hit = MojibakeAt(t, i, &len, &with);
    } else if (superscripts && IsDigit(c) && i > 0 &&
               (IsLowerAlpha(t[i - 1]) || t[i - 1] == ')' || t[i - 1] == '.')) {
      // A digit whose original bytes are superscripts only, after a word.
      auto superscript = [&](size_t k) {
        const Span o =
            to_original.ToOriginal(static_cast<uint32_t>(k), static_cast<uint32_t>(k + 1));
        return o.end > o.begin + 1 && AllSuperscriptDigits(original.substr(o.begin, o.size()));
      };
      if (superscript(i)) {
        size_t e = i + 1;
        while (e < n && IsDigit(t[e]) && superscript(e)) ++e;
        hit = true;
        len = e - i;
        with.clear();
      }
    }
    if (hit) {
      edit(i, len, with);
      i += len;
    } else {
      ++i;
    }
  }
  if (!changed) return;
  out.append(t, run, n - run);
  built.AppendUnchanged(static_cast<uint32_t>(n - run));
  *text = std::move(out);
  *map = std::move(built);
}

}  // namespace suggest::internal
