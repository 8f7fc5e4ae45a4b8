// Copyright libsuggest authors.
//
// Level extraction. One RulePack::FindAll pass over the range gives every
// candidate (atoms, list items, bare numbers, ordinals, junctions, region
// words) and every exclusion / context / root cue; everything after that is
// plain C++ over those matches. Most ranges have no level: the pack's Set
// pass rejects them before any capture runs.

#include "facts/levels.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>


#include "match/regex.h"
#include "text/normalize.h"
#include "util/interval_index.h"
#include "util/toml_file.h"

namespace suggest::internal {

namespace {

enum class Kind {
  kLexicon, kAtom, kListItem, kBare, kOrdinal, kJunction, kRegionWord,
  kExclusion, kContext, kRootCue,
};

bool KindFromName(std::string_view name, Kind* kind) {
  static const std::array<std::pair<std::string_view, Kind>, 10> kKinds = {{
      {"level_lexicon", Kind::kLexicon},     {"level_atom", Kind::kAtom},
      {"level_list_item", Kind::kListItem},  {"level_bare", Kind::kBare},
      {"level_ordinal", Kind::kOrdinal},     {"level_junction", Kind::kJunction},
      {"level_region_word", Kind::kRegionWord}, {"level_exclusion", Kind::kExclusion},
      {"level_spine_context", Kind::kContext}, {"level_root_cue", Kind::kRootCue},
  }};
  for (const auto& [n, k] : kKinds) {
    if (n == name) {
      *kind = k;
      return true;
    }
  }
  return false;
}

std::string_view GroupText(const Mention& m, std::string_view name, std::string_view text) {
  for (const Mention::Group& g : m.groups) {
    if (g.name == name) return text.substr(g.begin, g.end - g.begin);
  }
  return {};
}

// A lexicon value: a letter, a vertebra (letter + number) or a number.
struct LexValue {
  std::string letter;  // "C", "T", "L", "S", "O", "Co" or empty
  int num = -1;
};

bool ParseLexValue(std::string_view v, LexValue* out) {
  size_t i = 0;
  while (i < v.size() && ((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z'))) ++i;
  out->letter = std::string(v.substr(0, i));
  out->num = i < v.size() ? ParseInt(v.substr(i)) : -1;
  if (i < v.size() && out->num < 0) return false;
  if (!out->letter.empty() && out->letter != "C" && out->letter != "T" && out->letter != "L" &&
      out->letter != "S" && out->letter != "O" && out->letter != "Co")
    return false;
  return !(out->letter.empty() && out->num < 0);
}

// One level or range inside a mention.
struct Part {
  Vertebra lo;
  Vertebra hi;      // == lo for a single vertebra
  bool range = false;
  bool thru = false;     // "through": spans from the previous part to this one
  bool explicit_letters = false;
};

}  // namespace

struct LevelExtractor::RuleInfo {
  Kind kind = Kind::kAtom;
  Region region = Region::kOccipitoAtlantoAxial;  // region words
  std::string letter;       // region words: letter for bare numbers
  Segment seg;              // junctions
  bool root_before = false;  // root cues
};

// Patterns of the rules that can start a mention, in one RE2::Set: the
// common path (no level, no region word) costs one DFA pass, even when the
// range has doses, dates or spine words that the full pack would flag.
struct LevelExtractor::HeadSet {
  RegexSet set;
};

struct LevelExtractor::Lexicon {
  std::map<std::string, LexValue, std::less<>> values;
  const LexValue* Find(std::string_view key) const {
    auto it = values.find(key);
    return it == values.end() ? nullptr : &it->second;
  }
};

const char* LevelFormName(LevelForm form) {
  switch (form) {
    case LevelForm::kRange: return "range";
    case LevelForm::kSingle: return "single";
    case LevelForm::kList: return "list";
    case LevelForm::kBareNumeric: return "bare_numeric";
    case LevelForm::kOrdinal: return "ordinal";
    case LevelForm::kJunction: return "junction";
    case LevelForm::kRegionWord: return "region_word";
  }
  return "unknown";
}

LevelExtractor::LevelExtractor() = default;
LevelExtractor::~LevelExtractor() = default;

StatusOr<std::shared_ptr<const LevelExtractor>> LevelExtractor::Load(
    const std::string& path, const Normalizer& normalizer, std::vector<std::string>* seen_ids) {
  auto pack = RulePack::Load(path, normalizer, seen_ids);
  if (!pack.ok()) return pack.status();
  return Create(*pack);
}

namespace {

// A levels-contract error in the format of every other data error,
// "PATH:LINE:COLUMN: error: ...", at `rule` (or at the top of the file).
Status PackError(const RulePack& pack, const Rule* rule, const std::string& message) {
  toml::source_position pos{1, 1};
  if (rule != nullptr && rule->line > 0) pos = {rule->line, rule->column};
  return TomlError(pack.path(), pos, message);
}

}  // namespace

StatusOr<std::shared_ptr<const LevelExtractor>> LevelExtractor::Create(
    std::shared_ptr<const RulePack> pack) {
  std::shared_ptr<LevelExtractor> ex(new LevelExtractor());
  ex->lexicon_ = std::make_unique<Lexicon>();
  int lexicons = 0;
  for (const Rule& rule : pack->rules()) {
    const std::string what = "rule \"" + rule.id + "\": ";
    RuleInfo info;
    if (!KindFromName(rule.kind, &info.kind))
      return PackError(*pack, &rule, what + "unknown level kind \"" + rule.kind + "\"");
    auto attr = [&rule](const char* key) -> const std::string* {
      auto it = rule.attributes.find(key);
      return it == rule.attributes.end() ? nullptr : &it->second;
    };
    switch (info.kind) {
      case Kind::kLexicon:
        if (++lexicons > 1)
          return PackError(*pack, &rule, "a levels pack needs exactly one level_lexicon rule");
        for (const auto& [key, value] : rule.attributes) {
          LexValue v;
          if (!ParseLexValue(value, &v))
            return PackError(*pack, &rule,
                             what + "lexicon value \"" + value + "\" of \"" + key +
                                 "\" is not a letter, vertebra or number");
          ex->lexicon_->values[key] = v;
        }
        break;
      case Kind::kRegionWord: {
        const std::string* region = attr("region");
        if (region == nullptr || !ParseRegion(*region, &info.region))
          return PackError(*pack, &rule,
                           what + "attributes.region must be one of the region names");
        if (const std::string* letter = attr("letter")) info.letter = *letter;
        break;
      }
      case Kind::kJunction: {
        const std::string* seg = attr("segment");
        if (seg == nullptr || !Segment::Parse(*seg, &info.seg))
          return PackError(*pack, &rule,
                           what + "attributes.segment must be adjacent vertebrae (L5-S1)");
        break;
      }
      case Kind::kRootCue: {
        const std::string* pos = attr("position");
        if (pos == nullptr || (*pos != "before" && *pos != "after"))
          return PackError(*pack, &rule, what + "attributes.position must be before or after");
        info.root_before = *pos == "before";
        break;
      }
      default:
        break;
    }
    ex->info_.push_back(std::move(info));
  }
  if (lexicons != 1)
    return PackError(*pack, nullptr, "a levels pack needs exactly one level_lexicon rule");
  ex->heads_ = std::make_unique<HeadSet>();
  for (size_t i = 0; i < ex->info_.size(); ++i) {
    const Kind k = ex->info_[i].kind;
    if (k != Kind::kAtom && k != Kind::kBare && k != Kind::kOrdinal && k != Kind::kJunction &&
        k != Kind::kRegionWord)
      continue;
    std::string error;
    if (ex->heads_->set.Add(pack->rules()[i].pattern, &error) < 0)
      return PackError(*pack, &pack->rules()[i],
                       "rule \"" + pack->rules()[i].id + "\": " + error);
  }
  if (!ex->heads_->set.Compile())
    return Status(StatusCode::kResourceExhausted,
                  pack->path() + ": error: level patterns too large", "rule_file");
  ex->pack_ = std::move(pack);
  return std::shared_ptr<const LevelExtractor>(std::move(ex));
}

namespace {

// Everything Extract needs to turn groups into vertebra ranks.
class EndpointParser {
 public:
  EndpointParser(const LevelExtractor::Lexicon& lex, std::string_view text)
      : lex_(lex), text_(text) {}

  // Parses endpoint `i` ("1" or "2") of match `m`. `inherited` is the letter
  // used when the endpoint writes none. Returns the vertebra (invalid if
  // none); sets
  // *explicit_letter when the text named the region.
  Vertebra Endpoint(const Mention& m, char i, std::string_view inherited,
                    bool* explicit_letter) const {
    const std::string r = std::string("r") + i, n = std::string("n") + i,
                      w = std::string("w") + i, o = std::string("o") + i,
                      g = std::string("g") + i;
    *explicit_letter = false;
    if (std::string_view word = GroupText(m, w, text_); !word.empty()) {
      const LexValue* v = lex_.Find(word);
      if (v == nullptr || v->letter.empty()) return Vertebra();
      *explicit_letter = true;
      return Vertebra::Of(v->letter, v->num);
    }
    std::string_view letter_text = GroupText(m, r, text_);
    if (letter_text.empty()) letter_text = GroupText(m, g, text_);
    if (letter_text.empty() && i == '2') letter_text = GroupText(m, "g1", text_);
    int num = -1;
    if (std::string_view digits = GroupText(m, n, text_); !digits.empty()) {
      num = ParseInt(digits);
    } else if (std::string_view ord = GroupText(m, o, text_); !ord.empty()) {
      const LexValue* v = lex_.Find(ord);
      if (v == nullptr) return Vertebra();
      num = v->num;
    } else {
      return Vertebra();
    }
    std::string letter;
    if (!letter_text.empty()) {
      // A letter+number key overrides the letter: "c0" is the occiput.
      if (const LexValue* v = lex_.Find(std::string(letter_text) + std::to_string(num))) {
        *explicit_letter = true;
        return Vertebra::Of(v->letter, v->num);
      }
      const LexValue* v = lex_.Find(letter_text);
      if (v == nullptr || v->letter.empty()) return Vertebra();
      letter = v->letter;
      *explicit_letter = GroupText(m, r, text_).size() > 0 || GroupText(m, g, text_).size() > 0;
    } else {
      letter = std::string(inherited);
    }
    if (letter.empty()) return Vertebra();
    return Vertebra::Of(letter, num);
  }

  // The part a match describes (a single vertebra, a range, or - ordinals
  // with "and" - two singles). `inherited` supplies a missing first letter.
  // Returns false if a level does not exist or the range is impossible.
  bool Parts(const Mention& m, std::string_view inherited, std::vector<Part>* out) const {
    bool explicit1 = false, explicit2 = false;
    const Vertebra a = Endpoint(m, '1', inherited, &explicit1);
    if (!a.valid()) return false;
    const bool has_second = !GroupText(m, "n2", text_).empty() ||
                            !GroupText(m, "o2", text_).empty() ||
                            !GroupText(m, "w2", text_).empty();
    Part p;
    p.thru = !GroupText(m, "thru", text_).empty();
    if (!has_second) {
      p.lo = p.hi = a;
      p.explicit_letters = explicit1;
      out->push_back(p);
      return true;
    }
    Vertebra b = Endpoint(m, '2', a.Letter(), &explicit2);
    if (!explicit2 && b.valid() && b <= a) {
      // "L5-1", "C7-1", "T12-1": a missing letter rolls into the next region.
      const Vertebra next = a.Next(false);
      const int n2 = ParseInt(GroupText(m, "n2", text_));
      b = (n2 == 1 && next.valid() && next.Name().substr(1) == "1") ? next : Vertebra();
    }
    if (!b.valid() || a == b) return false;
    const std::string_view sep = GroupText(m, "sep", text_);
    if (sep == "and" || sep == "or") {  // ordinals: "fourth and fifth lumbar"
      Part q = p;
      p.lo = p.hi = a;
      q.lo = q.hi = b;
      q.thru = false;
      out->push_back(p);
      out->push_back(q);
      return true;
    }
    p.lo = std::min(a, b);
    p.hi = std::max(a, b);
    p.range = true;
    p.explicit_letters = explicit1;
    out->push_back(p);
    return true;
  }

 private:
  const LevelExtractor::Lexicon& lex_;
  std::string_view text_;
};

// True if nothing but spaces lies between `end` and the next ';', '.', ',',
// ')', ':', line end or the end of the text: a list item that stands alone.
bool StandsAlone(std::string_view text, uint32_t end) {
  for (size_t i = end; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == ' ' || ch == '\t') continue;
    return ch == ';' || ch == '.' || ch == ',' || ch == ')' || ch == ':' || ch == '\n' ||
           ch == '\r';
  }
  return true;
}

bool OnlySpacesOrDashes(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '-' || c == '\n'; });
}

// A candidate mention under construction.
struct Candidate {
  uint32_t begin = 0, end = 0;
  size_t match = 0;  // index into the FindAll result
  Kind kind = Kind::kAtom;
  std::vector<Part> parts;
  bool strong = false;  // believable without spine context
  bool nerve_root = false;
  bool keep = true;
};

using RuleInfo = LevelExtractor::RuleInfo;

// One Extract call over a range with at least one match: the matches by
// kind, and the steps that turn them into mentions, in the order Extract
// calls them: Candidates (heads, with the list items chained to them),
// MarkNerveRoots, Trust, ToMention.
class LevelScan {
 public:
  LevelScan(std::string_view text, const std::vector<Mention>& matches,
            const std::vector<RuleInfo>& info, const LevelExtractor::Lexicon& lexicon,
            std::string_view region_hint)
      : text_(text),
        matches_(matches),
        info_(info),
        lexicon_(lexicon),
        region_hint_(region_hint),
        parser_(lexicon, text) {
    for (size_t i = 0; i < matches.size(); ++i) {
      switch (info_[matches[i].rule].kind) {
        case Kind::kExclusion: exclusions_.Add(matches[i].begin, matches[i].end); break;
        case Kind::kContext: contexts_ = true; break;
        case Kind::kListItem: items_.push_back(i); break;
        case Kind::kRootCue:
          roots_.push_back(i);
          root_index_.Add(matches[i].begin, matches[i].end);
          break;
        case Kind::kLexicon: break;
        default: heads_.push_back(i); break;
      }
    }
  }

  // False if no rule can start a mention (no level and no region word).
  bool any_head() const { return !heads_.empty(); }

  // The candidates of the range from `begin`: at each position the longest
  // head, none overlapping a kept one or an exclusion.
  std::vector<Candidate> Candidates(uint32_t begin) {
    std::stable_sort(heads_.begin(), heads_.end(), [&](size_t a, size_t b) {
      const Mention& x = matches_[a];
      const Mention& y = matches_[b];
      if (x.begin != y.begin) return x.begin < y.begin;
      return (x.end - x.begin) > (y.end - y.begin);
    });
    FindLetterWords();
    std::vector<Candidate> cands;
    uint32_t covered = begin;  // end of the last kept candidate (and its list)
    for (size_t h : heads_) {
      const Mention& m = matches_[h];
      const RuleInfo& info = info_[m.rule];
      if (m.begin < covered || Excluded(m.begin, m.end)) continue;
      Candidate c;
      c.begin = m.begin;
      c.end = m.end;
      c.match = h;
      c.kind = info.kind;
      if (info.kind == Kind::kJunction) {
        c.parts.push_back({info.seg.upper, info.seg.lower, true, false, true});
        c.strong = true;
      } else if (info.kind == Kind::kAtom || info.kind == Kind::kBare ||
                 info.kind == Kind::kOrdinal) {
        if (!ReadLevels(m, info.kind, &c, &covered)) continue;
      }
      covered = c.end;
      cands.push_back(std::move(c));
    }
    return cands;
  }

  // Nerve-root cues touching a mention: within 3 bytes of either end, so
  // only the cues near its ends are looked at.
  void MarkNerveRoots(std::vector<Candidate>* cands) const {
    for (Candidate& c : *cands) {
      if (c.kind == Kind::kRegionWord) continue;
      std::vector<size_t> near;
      for (const auto& [lo, hi] :
           {root_index_.Near(c.begin >= 3 ? c.begin - 3 : 0, c.begin),
            root_index_.Near(c.end, static_cast<uint64_t>(c.end) + 3)}) {
        for (size_t k = lo; k < hi; ++k) near.push_back(roots_[k]);
      }
      for (size_t r : near) {
        const Mention& cue = matches_[r];
        if (info_[cue.rule].root_before) {
          if (cue.end <= c.begin && c.begin - cue.end <= 3 &&
              OnlySpacesOrDashes(text_.substr(cue.end, c.begin - cue.end)))
            c.nerve_root = true;
        } else if (cue.begin >= c.end && cue.begin - c.end <= 3 &&
                   OnlySpacesOrDashes(text_.substr(c.end, cue.begin - c.end))) {
          c.nerve_root = true;
        }
      }
    }
  }

  // Trust: strong forms stand alone; the rest need a spine word in the range
  // or a strong level beside them. Region words need context other than
  // themselves, which the context rule never matches.
  void Trust(std::vector<Candidate>* cands) const {
    bool context = contexts_;
    for (const Candidate& c : *cands) context = context || c.strong;
    for (Candidate& c : *cands) {
      if (!c.strong && !context) c.keep = false;
    }
  }

  // The mention a kept candidate makes: its segments, lone vertebrae,
  // regions and form.
  LevelMention ToMention(const Candidate& c, const std::string& rule_id) const {
    const RuleInfo& info = info_[matches_[c.match].rule];
    LevelMention out;
    out.begin = c.begin;
    out.end = c.end;
    out.rule_id = rule_id;
    out.nerve_root = c.nerve_root;
    std::set<Region> region_set;
    if (c.kind == Kind::kRegionWord) {
      out.form = LevelForm::kRegionWord;
      region_set.insert(info.region);
    } else {
      AddAnatomy(c, &out, &region_set);
      out.form = FormOf(c);
    }
    for (Region r : region_set) out.regions.push_back(RegionName(r));
    return out;
  }

 private:
  bool Excluded(uint32_t b, uint32_t e) const { return exclusions_.Overlaps(b, e); }

  // The parts of a level head (atom, bare number, ordinal) and of the list
  // items chained to it. False if it makes no candidate; an impossible atom
  // ("C7-C8", "C9-C10") also hides the pieces inside it (*covered).
  bool ReadLevels(const Mention& m, Kind kind, Candidate* c, uint32_t* covered) const {
    std::string inherited;
    if (kind == Kind::kBare) {
      inherited = BareLetter(m.begin);
      if (inherited.empty()) return false;
    }
    if (!parser_.Parts(m, inherited, &c->parts)) {
      if (kind == Kind::kAtom) *covered = m.end;
      return false;
    }
    if (kind == Kind::kBare) {
      // Bare numbers are only trusted as one disc level: "4-5", "5-1".
      const Part& p = c->parts[0];
      const bool l6 = p.hi.rank() == Vertebra::kL6;
      if (!p.range || p.lo.Next(l6) != p.hi) return false;
    }
    ChainListItems(c);
    if (kind == Kind::kAtom) {
      for (const Part& p : c->parts)
        if (p.range && p.explicit_letters) c->strong = true;
    }
    return true;
  }

  // Chain list items that start exactly where the mention ends (items are
  // in begin order: a binary search, not a scan per link).
  void ChainListItems(Candidate* c) const {
    for (;;) {
      auto it = std::partition_point(items_.begin(), items_.end(),
                                     [&](size_t i) { return matches_[i].begin < c->end; });
      if (it == items_.end() || matches_[*it].begin != c->end ||
          Excluded(matches_[*it].begin, matches_[*it].end))
        break;
      // After a ';' (which also ends clauses) only an item that stands
      // alone continues the list (levels.toml, group clause_sep).
      if (!GroupText(matches_[*it], "clause_sep", text_).empty() &&
          !StandsAlone(text_, matches_[*it].end))
        break;
      std::vector<Part> more;
      if (!parser_.Parts(matches_[*it], c->parts.back().hi.Letter(), &more)) break;
      c->parts.insert(c->parts.end(), more.begin(), more.end());
      c->end = matches_[*it].end;
    }
  }

  // The region words with a letter (for bare numbers), in begin order.
  void FindLetterWords() {
    for (size_t h : heads_) {
      const RuleInfo& info = info_[matches_[h].rule];
      if (info.kind != Kind::kRegionWord || info.letter.empty()) continue;
      if (Excluded(matches_[h].begin, matches_[h].end)) continue;
      letter_words_.push_back(h);
      letter_word_len_ = std::max(letter_word_len_, matches_[h].end - matches_[h].begin);
    }
  }

  // Letter for bare numbers at `at`: the nearest region word with a letter
  // in the range, else the caller's hint. Only the words near `at` are
  // scanned (a scan of all of them per number was quadratic in a long
  // sentence).
  std::string BareLetter(uint32_t at) const {
    std::string best;
    uint32_t best_dist = UINT32_MAX;
    auto dist = [&](size_t h) {
      return matches_[h].begin > at ? matches_[h].begin - at : at - matches_[h].end;
    };
    // The words around `at` bound the minimum distance; a word beginning
    // before at - bound - letter_word_len or after at + bound is farther.
    auto after = std::partition_point(letter_words_.begin(), letter_words_.end(),
                                      [&](size_t h) { return matches_[h].begin <= at; });
    uint32_t bound = UINT32_MAX;
    if (after != letter_words_.end()) bound = std::min(bound, dist(*after));
    if (after != letter_words_.begin()) bound = std::min(bound, dist(*std::prev(after)));
    const uint64_t lo = static_cast<uint64_t>(bound) + letter_word_len_ <= at
                            ? at - bound - letter_word_len_
                            : 0;
    const uint64_t hi = static_cast<uint64_t>(at) + bound;
    for (auto it = std::partition_point(letter_words_.begin(), letter_words_.end(),
                                        [&](size_t h) { return matches_[h].begin < lo; });
         it != letter_words_.end() && matches_[*it].begin <= hi; ++it) {
      const uint32_t d = dist(*it);
      if (d < best_dist) {
        best_dist = d;
        best = info_[matches_[*it].rule].letter;
      }
    }
    if (best.empty() && !region_hint_.empty()) {
      if (const LexValue* v = lexicon_.Find(region_hint_)) best = v->letter;
    }
    return best;
  }

  // Segments, lone vertebrae and their regions of a level candidate.
  static void AddAnatomy(const Candidate& c, LevelMention* out, std::set<Region>* region_set) {
    bool l6 = false;
    for (const Part& p : c.parts)
      l6 = l6 || p.lo.rank() == Vertebra::kL6 || p.hi.rank() == Vertebra::kL6;
    std::set<Segment> segs;
    std::vector<Vertebra> singles;
    for (const Part& p : MergeThrough(c.parts)) {
      if (p.range) {
        for (Vertebra r = p.lo; r.valid() && r < p.hi;) {
          const Vertebra next = r.Next(l6);
          if (!next.valid()) break;
          segs.insert({r, next});
          r = next;
        }
      } else {
        const std::string name = p.lo.Name();
        if (std::find(out->vertebrae.begin(), out->vertebrae.end(), name) == out->vertebrae.end())
          out->vertebrae.push_back(name);
        singles.push_back(p.lo);
      }
    }
    // Consecutive single vertebrae of a list span a segment ("fusion of C5
    // and C6"), except when they name nerve roots.
    if (!c.nerve_root && singles.size() > 1) {
      std::sort(singles.begin(), singles.end());
      for (size_t i = 0; i + 1 < singles.size(); ++i)
        if (singles[i].Next(l6) == singles[i + 1]) segs.insert({singles[i], singles[i + 1]});
    }
    for (const Segment& seg : segs) {
      out->segments.push_back(seg.Name());
      region_set->insert(seg.region());
    }
    // A single vertebra's own region counts only when it is part of no
    // segment: "C2 and C3" is the C2-C3 segment (cervical), not also C2
    // (occipito-atlanto-axial).
    for (Vertebra v : singles) {
      bool in_segment = false;
      for (const Segment& seg : segs) in_segment = in_segment || seg.upper == v || seg.lower == v;
      if (!in_segment) region_set->insert(v.region());
    }
  }

  // "Through" parts merged into the part before them.
  static std::vector<Part> MergeThrough(const std::vector<Part>& in) {
    std::vector<Part> parts;
    for (const Part& p : in) {
      if (p.thru && !parts.empty()) {
        Part& prev = parts.back();
        prev.lo = std::min(prev.lo, p.lo);
        prev.hi = std::max(prev.hi, p.hi);
        prev.range = true;
      } else {
        parts.push_back(p);
      }
    }
    return parts;
  }

  static LevelForm FormOf(const Candidate& c) {
    if (c.kind == Kind::kJunction) return LevelForm::kJunction;
    if (c.kind == Kind::kBare) return LevelForm::kBareNumeric;
    if (c.kind == Kind::kOrdinal) return LevelForm::kOrdinal;
    if (c.parts.size() > 1) return LevelForm::kList;
    return c.parts[0].range ? LevelForm::kRange : LevelForm::kSingle;
  }

  std::string_view text_;
  const std::vector<Mention>& matches_;
  const std::vector<RuleInfo>& info_;
  const LevelExtractor::Lexicon& lexicon_;
  std::string_view region_hint_;
  const EndpointParser parser_;
  // Indexes into matches_ by kind, in begin order (heads_: longest first at
  // each position, once Candidates has sorted them).
  std::vector<size_t> items_, roots_, heads_;
  bool contexts_ = false;  // a spine-context word in the range
  IntervalIndex exclusions_, root_index_;
  std::vector<size_t> letter_words_;  // region words with a letter, by begin
  uint32_t letter_word_len_ = 0;
};

}  // namespace

std::vector<LevelMention> LevelExtractor::Extract(std::string_view text, uint32_t begin,
                                                  uint32_t end,
                                                  std::string_view region_hint,
                                                  ScanReport* report,
                                                  const RuleWindows* windows) const {
  std::vector<LevelMention> result;
  if (begin >= end || end > text.size()) return result;
  const RegexSet::Result screen = heads_->set.Match(text.substr(begin, end - begin));
  if (screen == RegexSet::Result::kNoMatch) return result;  // common path
  if (screen == RegexSet::Result::kFailed && report != nullptr) report->failed = true;
  const std::vector<Mention> matches = pack_->FindAll(text, begin, end, windows, report);
  if (matches.empty()) return result;
  LevelScan scan(text, matches, info_, *lexicon_, region_hint);
  if (!scan.any_head()) return result;  // common path: no level and no region word
  std::vector<Candidate> cands = scan.Candidates(begin);
  if (cands.empty()) return result;
  scan.MarkNerveRoots(&cands);
  scan.Trust(&cands);
  for (const Candidate& c : cands)
    if (c.keep) result.push_back(scan.ToMention(c, pack_->rules()[matches[c.match].rule].id));
  return result;
}

LevelExtractor::PhraseRegions LevelExtractor::RegionsOfPhrase(std::string_view phrase,
                                                              ScanReport* report,
                                                              const RuleWindows* windows) const {
  PhraseRegions out;
  const std::vector<Mention> matches =
      pack_->FindAll(phrase, 0, static_cast<uint32_t>(phrase.size()), windows, report);
  std::set<Region> region_set;
  std::set<Segment> segs;
  // A merged fact's words can be long: interval indexes, not pairwise loops.
  IntervalIndex junctions, exclusions;
  for (const Mention& m : matches) {
    if (info_[m.rule].kind == Kind::kJunction) junctions.Add(m.begin, m.end);
    if (info_[m.rule].kind == Kind::kExclusion) exclusions.Add(m.begin, m.end);
  }
  for (const Mention& m : matches) {
    const RuleInfo& info = info_[m.rule];
    if (exclusions.Overlaps(m.begin, m.end)) continue;
    if (info.kind == Kind::kJunction) {
      segs.insert(info.seg);
      region_set.insert(info.seg.region());
    } else if (info.kind == Kind::kRegionWord) {
      // "lumbosacral junction" is the junction, not the region word inside it.
      if (!junctions.Contains(m.begin, m.end)) region_set.insert(info.region);
    }
  }
  for (Region r : region_set) out.regions.push_back(RegionName(r));
  for (const Segment& seg : segs) out.segments.push_back(seg.Name());
  return out;
}

}  // namespace suggest::internal
