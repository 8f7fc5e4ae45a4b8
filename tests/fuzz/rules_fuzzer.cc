// Copyright libsuggest authors.
//
// Fuzzes the data-file loaders with arbitrary TOML-ish bytes. The input is
// written to a temporary file named after its `pack = "..."` line (so a
// mutated real pack passes the pack-name check and reaches the rule checks,
// regex compilation and example matching); inputs without one go to the
// loader their tables suggest: [[section]] -> SectionRules,
// [[modifier]] -> AssertionRules, [[map]] -> Mapper, else RulePack.
// Invariants: no crash, no exception, no hang; an error is kind "rule_file"
// with "PATH:LINE:COLUMN: error: " (line within the file), except a regex
// set too large to compile ("PATH: error: ...", ResourceExhausted). A pack
// that loads is then run over a sample note and over the input itself.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "context/assertion.h"
#include "facts/levels.h"
#include "facts/manifest.h"
#include "fuzz_util.h"
#include "map/code_table.h"
#include "map/mapper.h"
#include "match/rule_pack.h"
#include "text/normalize.h"
#include "text/sectionizer.h"

namespace si = suggest::internal;
using suggest::Status;
using suggest::StatusCode;

namespace {

struct Env {
  std::shared_ptr<const si::Normalizer> normalizer;
  std::shared_ptr<const si::CodeTable> table;
  std::string dir;  // private temporary folder of this process
  si::NormalizedText sample;
};

const Env& GetEnv() {
  static const Env* env = [] {
    auto* e = new Env;
    auto n = si::Normalizer::Create();
    FUZZ_CHECK(n.ok(), "%s", n.status().ToString().c_str());
    e->normalizer = *n;
    auto dir = si::CodeTable::DefaultDir(std::string(SUGGEST_MODELS_DIR) + "/icd10cm");
    FUZZ_CHECK(dir.ok(), "%s", dir.status().ToString().c_str());
    auto table = si::CodeTable::Load(*dir);
    FUZZ_CHECK(table.ok(), "%s", table.status().ToString().c_str());
    e->table = *table;
    char tmpl[] = "/tmp/suggest-rules-fuzz-XXXXXX";
    FUZZ_CHECK(mkdtemp(tmpl) != nullptr, "mkdtemp failed");
    e->dir = tmpl;
    // The folder goes when the fuzzer exits normally (-runs, -max_total_time).
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(GetEnv().dir, ec);
    });
    auto s = e->normalizer->Normalize(
        "HISTORY: s/p ACDF C5-6 and L4-5 and L5-S1 posterior spinal fusion, T12 to L2.\n"
        "IMPRESSION: No evidence of ankylosing spondylitis. Solid arthrodesis at L4-L5; "
        "pseudarthrosis at C6-C7 cannot be excluded. Klippel-Feil. Plan: fusion of the "
        "fourth and fifth lumbar vertebrae at the lumbosacral junction.",
        suggest::InvalidUtf8Policy::kError);
    FUZZ_CHECK(s.ok(), "%s", s.status().ToString().c_str());
    e->sample = *std::move(s);
    return e;
  }();
  return *env;
}

// The value of a top-level `pack = "name"` line when it is a safe file stem.
std::string PackName(std::string_view in) {
  for (size_t line = 0; line < in.size();) {
    size_t eol = in.find('\n', line);
    if (eol == std::string_view::npos) eol = in.size();
    std::string_view l = in.substr(line, eol - line);
    line = eol + 1;
    if (l.substr(0, 4) != "pack") continue;
    size_t i = 4;
    while (i < l.size() && l[i] == ' ') ++i;
    if (i >= l.size() || l[i] != '=') continue;
    ++i;
    while (i < l.size() && l[i] == ' ') ++i;
    if (i >= l.size() || l[i] != '"') continue;
    const size_t start = ++i;
    while (i < l.size() &&
           ((l[i] >= 'a' && l[i] <= 'z') || (l[i] >= '0' && l[i] <= '9') || l[i] == '_'))
      ++i;
    if (i < l.size() && l[i] == '"' && i > start && i - start <= 64)
      return std::string(l.substr(start, i - start));
    return {};
  }
  return {};
}

// Lines of the file as a TOML parser counts them (LF; one more after a
// trailing LF, where an "unexpected end of file" points).
uint64_t LineCount(std::string_view in) {
  uint64_t n = 1;
  for (char c : in) n += c == '\n';
  return n;
}

void CheckErrorLine(const Status& s, const std::string& path, std::string_view in,
                    const std::string& m);

// "PATH:LINE:COLUMN: error: MESSAGE" (or, for ResourceExhausted,
// "PATH: error: MESSAGE"), one per line when the file has several errors
// (LoadErrors), the last line perhaps "... and N more errors".
void CheckError(const Status& s, const std::string& path, std::string_view in) {
  FUZZ_CHECK(s.kind() == "rule_file", "kind \"%s\" for: %s", s.kind().c_str(),
             s.message().c_str());
  const std::string& all = s.message();
  for (size_t start = 0; start < all.size();) {
    size_t end = all.find('\n', start);
    if (end == std::string::npos) end = all.size();
    const std::string line = all.substr(start, end - start);
    const bool last = end == all.size();
    start = end + 1;
    if (last && line.rfind("... and ", 0) == 0) break;
    CheckErrorLine(s, path, in, line);
  }
}

void CheckErrorLine(const Status& s, const std::string& path, std::string_view in,
                    const std::string& m) {
  FUZZ_CHECK(m.compare(0, path.size() + 1, path + ":") == 0, "no path in: %s", m.c_str());
  if (s.code() == StatusCode::kResourceExhausted && m.compare(path.size(), 9, ": error: ") == 0)
    return;
  FUZZ_CHECK(s.code() == StatusCode::kInvalidArgument, "code %s for: %s",
             suggest::StatusCodeName(s.code()), m.c_str());
  size_t i = path.size() + 1;
  uint64_t nums[2] = {0, 0};
  for (uint64_t& num : nums) {
    const size_t start = i;
    while (i < m.size() && m[i] >= '0' && m[i] <= '9' && i - start < 12)
      num = num * 10 + static_cast<uint64_t>(m[i++] - '0');
    FUZZ_CHECK(i > start && i < m.size() && m[i] == ':', "no LINE:COLUMN in: %s", m.c_str());
    ++i;
  }
  FUZZ_CHECK(m.compare(i, 8, " error: ") == 0 && m.size() > i + 8, "no ' error: ' in: %s",
             m.c_str());
  FUZZ_CHECK(nums[0] >= 1 && nums[1] >= 1, "line/column not 1-based in: %s", m.c_str());
  FUZZ_CHECK(nums[0] <= LineCount(in), "line %llu past the file's %llu lines: %s",
             static_cast<unsigned long long>(nums[0]),
             static_cast<unsigned long long>(LineCount(in)), m.c_str());
}

void CheckMentions(const si::RulePack& pack, std::string_view text) {
  const auto mentions = pack.FindAll(text, 0, static_cast<uint32_t>(text.size()));
  for (size_t i = 0; i < mentions.size(); ++i) {
    const si::Mention& m = mentions[i];
    FUZZ_CHECK(m.rule < pack.rules().size(), "rule index %u", m.rule);
    FUZZ_CHECK(m.begin <= m.end && m.end <= text.size(), "mention [%u,%u) of %zu", m.begin, m.end,
               text.size());
    for (const auto& g : m.groups)
      FUZZ_CHECK(m.begin <= g.begin && g.begin <= g.end && g.end <= m.end,
                 "group [%u,%u) outside [%u,%u)", g.begin, g.end, m.begin, m.end);
    if (i > 0) {
      const si::Mention& p = mentions[i - 1];
      FUZZ_CHECK(p.begin < m.begin || (p.begin == m.begin && p.rule <= m.rule),
                 "mentions out of order at %zu", i);
    }
  }
  FUZZ_CHECK(mentions.empty() || pack.AnyMatch(text), "FindAll found what AnyMatch did not");
}

void CheckLevels(const si::LevelExtractor& levels, std::string_view text) {
  for (const auto& m : levels.Extract(text, 0, static_cast<uint32_t>(text.size()), "lumbar"))
    FUZZ_CHECK(m.begin <= m.end && m.end <= text.size(), "level [%u,%u) of %zu", m.begin, m.end,
               text.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Env& env = GetEnv();
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  const std::string pack = PackName(in);
  std::string stem = pack;
  if (stem.empty()) {
    stem = in.find("[[section") != std::string_view::npos    ? "sections"
           : in.find("[[modifier") != std::string_view::npos ? "context"
           : in.find("[[map") != std::string_view::npos      ? "map"
           : in.find("[packs]") != std::string_view::npos    ? "manifest"
                                                             : "fuzz";
  }
  const std::string path = env.dir + "/" + stem + ".toml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(in.data(), static_cast<std::streamsize>(in.size()));
    FUZZ_CHECK(out.good(), "cannot write %s", path.c_str());
  }

  if (pack.empty() && stem == "sections") {
    auto r = si::SectionRules::Load(path);
    if (!r.ok()) return CheckError(r.status(), path, in), 0;
    (void)r->KindFor("past surgical history");
  } else if (pack.empty() && stem == "context") {
    // The in-memory entry point must agree with the file one.
    auto r = si::AssertionRules::Parse(in, path);
    auto f = si::AssertionRules::Load(path);
    FUZZ_CHECK(r.ok() == f.ok(), "Parse %s vs Load %s", r.status().ToString().c_str(),
               f.status().ToString().c_str());
    if (!r.ok()) {
      FUZZ_CHECK(r.status().message() == f.status().message(), "%s vs %s",
                 r.status().message().c_str(), f.status().message().c_str());
      return CheckError(r.status(), path, in), 0;
    }
    const std::string_view t = env.sample.text;
    for (const auto& c : r->FindCues(t, 0, static_cast<uint32_t>(t.size())))
      FUZZ_CHECK(c.begin <= c.end && c.end <= t.size(), "cue [%u,%u)", c.begin, c.end);
  } else if (pack.empty() && stem == "manifest") {
    // Pack files are looked for in the shipped models/rules/.
    auto r = si::Manifest::Load(path, std::string(SUGGEST_MODELS_DIR) + "/rules");
    if (!r.ok()) return CheckError(r.status(), path, in), 0;
    FUZZ_CHECK(!r->acquired_ankylosis().empty(), "a manifest without acquired_ankylosis loaded");
    for (const std::string& f : r->PackFiles())
      FUZZ_CHECK(std::filesystem::exists(std::string(SUGGEST_MODELS_DIR) + "/" + f), "%s",
                 f.c_str());
  } else if (pack.empty() && stem == "map") {
    auto r = si::Mapper::Load(path, env.table);
    if (!r.ok()) return CheckError(r.status(), path, in), 0;
    // Load promises that every code a rule can emit is billable.
    for (const auto& rule : (*r)->rules()) {
      std::vector<std::string> codes = {rule.code, rule.multiple, rule.unspecified};
      for (const auto& [region, code] : rule.by_region) codes.push_back(code);
      for (const std::string& c : codes)
        FUZZ_CHECK(c.empty() || env.table->IsBillable(c), "rule \"%s\" emits %s", rule.id.c_str(),
                   c.c_str());
    }
  } else if (pack == "levels") {
    auto r = si::LevelExtractor::Load(path, *env.normalizer, nullptr);
    if (!r.ok()) return CheckError(r.status(), path, in), 0;
    CheckLevels(**r, env.sample.text);
    auto self = env.normalizer->Normalize(in, suggest::InvalidUtf8Policy::kReplace);
    FUZZ_CHECK(self.ok(), "%s", self.status().ToString().c_str());
    CheckLevels(**r, self->text);
  } else {
    auto r = si::RulePack::Load(path, *env.normalizer, nullptr);
    if (!r.ok()) return CheckError(r.status(), path, in), 0;
    FUZZ_CHECK(!pack.empty() && (*r)->name() == pack, "loaded pack \"%s\" from %s",
               (*r)->name().c_str(), path.c_str());
    CheckMentions(**r, env.sample.text);
    auto self = env.normalizer->Normalize(in, suggest::InvalidUtf8Policy::kReplace);
    FUZZ_CHECK(self.ok(), "%s", self.status().ToString().c_str());
    CheckMentions(**r, self->text);
  }
  return 0;
}
