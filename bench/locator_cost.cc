// Copyright libsuggest authors.
//
// The price of each rule in the rule locator's whole-note scan
// (RuleLocator::Locate, match/rule_locator.cc): the stage that costs a long
// note most per byte (docs/performance.md "CPU per byte of long notes").
// One database's scan costs about, but not exactly, the sum of its rules'
// (Vectorscan shares literal matchers and engines between them), so each
// rule is measured two ways on the normalized growth note:
//   - `without`: the whole-note database less this rule, its cost taken from
//     the whole database's: what the rule adds to every note byte (its
//     marginal price, the figure to read when a rule is written);
//   - `alone`: a database of this rule only.
// The databases are built as the facts stage builds its own
// (RuleLocator::Build over the located packs), a rule left out by marking it
// regional (scanned only over the units that ask; Locate skips it), so each
// figure is the real Locate: Vectorscan's scan plus the windows of its
// reports.
//
//   build/bench/locator_cost                    # CPU time, 1 MB growth note
//   build/bench/locator_cost --instructions     # the same in instructions
//                                               # (re-runs itself under
//                                               # callgrind: slow, ~10 min,
//                                               # but exact on a busy machine)
//   build/bench/locator_cost --size=10000000 --rules=fusion_named_spinal,...
//   build/bench/locator_cost --note=FILE --models=DIR --top=20
//   build/bench/locator_cost --tails            # the rules Vectorscan scans
//                                               # by their tail (LocatingTail)
//   build/bench/locator_cost --prescreen --size=20000000 [--instructions]
//                                               # the prescreen's rules instead:
//                                               # ScreenOriginal over the
//                                               # non-spine corpus notes
//   build/bench/locator_cost --prescreen --patterns
//                                               # the screen's pattern per rule
//                                               # (pack, id, pattern, exact; tabs)
//
// Columns: the rule's pack (file) and id, its locator mode (W by width, B back
// to a stop byte, S start tracked, R widened, V wide width: rule_locator.h),
// per note byte: the whole database less the database without it (`marginal`)
// and the database of it alone (`alone`), CPU nanoseconds (the minimum of
// --reps scans, after a warm-up scan) or instructions. Rows sorted by
// marginal cost. The whole database's cost heads the table; the marginal
// figures of a busy machine's CPU times swing (the whole database is timed
// again beside each rule, and still they can read below zero): use
// --instructions to rank rules that close.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>
#include <valgrind/valgrind.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "context/assertion.h"
#include "facts/facts.h"
#include "facts/levels.h"
#include "long_note.h"
#include "match/rule_locator.h"
#include "suggest/suggest.h"
#include "text/normalize.h"
#include "util/disk_cache.h"

namespace {

using suggest::internal::AssertionRules;
using suggest::internal::FactExtractor;
using suggest::InvalidUtf8Policy;
using suggest::internal::LevelExtractor;
using suggest::internal::Normalizer;
using suggest::internal::RuleLocator;
using suggest::internal::RulePack;
using suggest::internal::RuleWindows;

struct Config {
  std::string models = SUGGEST_MODELS_DIR;
  std::string corpus = std::string(SUGGEST_SHARED_DIR) + "/corpus/mtsamples.jsonl";
  std::string spine_ids = std::string(SUGGEST_SHARED_DIR) + "/corpus/spine_ids.txt";
  std::string note;  // a file instead of the growth note
  uint64_t size = 1000000;
  int reps = 5;
  int top = 0;  // rows shown, 0 = all
  std::set<std::string> only;  // rule ids measured ("" = every located rule)
  bool instructions = false;   // re-run under callgrind
  bool tails = false;          // list the rules scanned by a tail and stop
  bool prescreen = false;      // price the prescreen's rules instead
  bool patterns = false;       // with --prescreen: list its patterns and stop
  std::string cache;           // databases read from and written to DIR
  bool child = false;          // the run under callgrind
  std::string dump_prefix;     // the child's callgrind output file
};

double ThreadCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// The growth note of corpus_bench --profile=fast@SIZE and growth_bench: real
// notes laid end to end after the first spine note whose first 1 KB states
// a fact.
std::string GrowthNote(const Config& c) {
  const auto corpus = bench::LoadCorpus(c.corpus, c.spine_ids);
  if (corpus.empty()) return "";
  auto model = suggest::Model::Load(c.models);
  if (!model.ok()) return "";
  suggest::AnalyzeOptions fast;
  fast.include_text_layer = false;
  size_t start = 0;
  for (size_t i = 0; i < corpus.size(); ++i) {
    if (!corpus[i].spine) continue;
    const auto r = model->Analyze(bench::Prefix(corpus[i].text, 1000), fast);
    if (r.ok() && !r->facts.empty()) {
      start = i;
      break;
    }
  }
  return bench::LongNote(corpus, start, c.size);
}

struct Loaded {
  std::shared_ptr<const Normalizer> normalizer;
  std::shared_ptr<const FactExtractor> facts;
  std::vector<const RulePack*> packs;  // located, in RuleLocator::Build's order
  std::vector<bool> regional;          // by global rule index, as the facts stage's
};

bool Load(const std::string& models, Loaded* l) {
  auto normalizer = Normalizer::Create();
  if (!normalizer.ok()) return false;
  l->normalizer = *normalizer;
  std::vector<std::string> seen;
  auto context = AssertionRules::Load(models + "/context.toml");
  auto levels = LevelExtractor::Load(models + "/rules/levels.toml", *l->normalizer, &seen);
  if (!context.ok() || !levels.ok()) return false;
  suggest::internal::DiskCacheScope cache("", /*write=*/false, suggest::DefaultCacheDir());
  auto facts = FactExtractor::Load(models, *l->normalizer, *levels,
                                   std::make_shared<const AssertionRules>(std::move(*context)),
                                   &seen);
  if (!facts.ok()) {
    std::fprintf(stderr, "%s\n", facts.status().ToString().c_str());
    return false;
  }
  l->facts = *facts;
  for (const auto& p : l->facts->packs()) l->packs.push_back(p.get());
  l->packs.push_back(&l->facts->encounter_pack());
  for (const RulePack* p : l->packs)
    for (size_t i = 0; i < p->rules().size(); ++i)
      l->regional.push_back(l->facts->locator().Regional(p, i));
  return true;
}

// One measured configuration: a scan over `bytes` bytes of text, per byte.
class Meter {
 public:
  Meter(const Config& c, size_t bytes) : c_(c), bytes_(bytes) {}

  // CPU ns per byte (minimum of reps), or under callgrind a label whose dump
  // the parent reads (0 returned).
  template <typename Scan>
  double Measure(const Scan& scan, const std::string& label) {
    scan();  // warm: scratch, regions
    if (c_.child) {
      CALLGRIND_START_INSTRUMENTATION;
      CALLGRIND_ZERO_STATS;
      scan();
      CALLGRIND_DUMP_STATS_AT(label.c_str());
      CALLGRIND_STOP_INSTRUMENTATION;
      return 0;
    }
    double best = 1e30;
    for (int r = 0; r < c_.reps; ++r) {
      const double t0 = ThreadCpu();
      scan();
      best = std::min(best, ThreadCpu() - t0);
    }
    return best * 1e9 / static_cast<double>(bytes_);
  }

 private:
  const Config& c_;
  size_t bytes_;
};

struct Row {
  std::string pack, id, mode;
  double without = 0, alone = 0;
};

// The table of rules, dearest (marginal) first, at most `top` rows (all if
// top <= 0); `unit` names the figures' unit.
void PrintRows(std::vector<Row>* rows, const char* unit, int decimals, int top) {
  std::sort(rows->begin(), rows->end(),
            [](const Row& a, const Row& b) { return a.without > b.without; });
  std::printf("| pack | rule | mode | marginal (%s) | alone (%s) |\n|---|---|---|---:|---:|\n", unit,
              unit);
  int shown = 0;
  for (const Row& r : *rows) {
    if (top > 0 && shown++ >= top) break;
    std::printf("| %s | %s | %s | %.*f | %.*f |\n", r.pack.c_str(), r.id.c_str(), r.mode.c_str(),
                decimals, r.without, decimals, r.alone);
  }
}

// Instructions per label from the child's callgrind dumps (PREFIX.1, .2 ...:
// "desc: Trigger: Client Request: LABEL" and "totals: N" or "summary: N").
std::map<std::string, double> ReadDumps(const std::string& prefix) {
  std::map<std::string, double> out;
  for (int k = 1;; ++k) {
    std::ifstream in(prefix + "." + std::to_string(k));
    if (!in) break;
    std::string line, label;
    double total = -1;
    while (std::getline(in, line)) {
      const std::string trigger = "desc: Trigger: Client Request: ";
      if (line.rfind(trigger, 0) == 0) label = line.substr(trigger.size());
      if (line.rfind("totals: ", 0) == 0 || line.rfind("summary: ", 0) == 0)
        total = std::strtod(line.c_str() + line.find(' ') + 1, nullptr);
    }
    if (!label.empty() && total >= 0) out[label] = total;
  }
  return out;
}

// Runs `args` (argv[0] looked up in PATH) and waits: true if it exited 0.
// `out` (if given) takes its standard output.
bool Spawn(const std::vector<std::string>& args, const char* out) {
  std::vector<std::string> a = args;
  std::vector<char*> av;
  for (auto& s : a) av.push_back(s.data());
  av.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (out != nullptr)
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out, O_WRONLY | O_TRUNC, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, av[0], &fa, nullptr, av.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return false;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int RunUnderCallgrind(int argc, char** argv, const Config& c) {
  char dir_tmpl[] = "/tmp/locator_cost.XXXXXX";
  if (mkdtemp(dir_tmpl) == nullptr) return 1;
  const std::string dir = dir_tmpl;
  const std::string prefix = dir + "/cg.out";
  // Compiling Vectorscan databases under callgrind is slow: a native run
  // (one scan each) compiles them all into a cache the child reads.
  std::vector<std::string> warm = {argv[0], "--cache=" + dir + "/hs", "--reps=1"};
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--instructions") != 0) warm.push_back(argv[i]);
  if (!Spawn(warm, "/dev/null")) {
    std::fprintf(stderr, "the native run that compiles the databases failed\n");
    return 1;
  }
  std::vector<std::string> args = {"valgrind", "--tool=callgrind", "--instr-atstart=no",
                                   "--dump-instr=no", "--callgrind-out-file=" + prefix,
                                   argv[0], "--child=" + prefix, "--cache=" + dir + "/hs"};
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--instructions") != 0) args.push_back(argv[i]);
  if (!Spawn(args, nullptr)) {
    std::fprintf(stderr, "the run under callgrind failed (dumps in %s)\n", dir.c_str());
    return 1;
  }
  // The child printed its table with zeros and the labels; fill it here.
  const auto counts = ReadDumps(prefix);
  std::ifstream rows(dir + "/rows.tsv");
  std::string line;
  std::vector<Row> out;
  double whole = 0, bytes = 1;
  std::string what = "whole-note database";
  while (std::getline(rows, line)) {
    std::istringstream f(line);
    Row r;
    std::string b;
    std::getline(f, r.pack, '\t');
    std::getline(f, r.id, '\t');
    std::getline(f, r.mode, '\t');
    std::getline(f, b, '\t');
    if (r.pack == "#") {
      if (!r.id.empty()) what = r.id;
      bytes = std::strtod(b.c_str(), nullptr);
      whole = counts.count("whole") ? counts.at("whole") / bytes : 0;
      continue;
    }
    const std::string key = r.pack + "/" + r.id;
    r.without = counts.count("without " + key) ? whole - counts.at("without " + key) / bytes : 0;
    r.alone = counts.count("alone " + key) ? counts.at("alone " + key) / bytes : 0;
    out.push_back(r);
  }
  std::printf("%s: %.2f instructions per byte (%.0f bytes)\n\n", what.c_str(), whole, bytes);
  PrintRows(&out, "instr/B", 2, c.top);
  std::filesystem::remove_all(dir);
  return 0;
}

std::string ModeOf(const RuleLocator& rl, const std::string& id) {
  auto in = [&](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), id) != v.end();
  };
  if (in(rl.width_rule_ids())) return "W";
  if (in(rl.stop_rule_ids())) return "B";
  if (in(rl.widened_rule_ids())) return "R";
  if (in(rl.unlocated_rule_ids())) return "X";
  return "S";
}

bool Parse(int argc, char** argv, Config* c) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    const size_t eq = a.find('=');
    const std::string k = a.substr(0, eq), v = eq == std::string::npos ? "" : a.substr(eq + 1);
    if (k == "--models") {
      c->models = v;
    } else if (k == "--corpus") {
      c->corpus = v;
    } else if (k == "--note") {
      c->note = v;
    } else if (k == "--size") {
      c->size = std::strtoull(v.c_str(), nullptr, 10);
    } else if (k == "--reps") {
      c->reps = std::max(1, std::atoi(v.c_str()));
    } else if (k == "--top") {
      c->top = std::atoi(v.c_str());
    } else if (k == "--rules") {
      std::stringstream s(v);
      for (std::string id; std::getline(s, id, ',');) c->only.insert(id);
    } else if (k == "--tails") {
      c->tails = true;
    } else if (k == "--prescreen") {
      c->prescreen = true;
    } else if (k == "--patterns") {
      c->patterns = true;
    } else if (k == "--cache") {
      c->cache = v;
    } else if (k == "--instructions") {
      c->instructions = true;
    } else if (k == "--child") {
      c->child = true;
      c->dump_prefix = v;
    } else {
      std::fprintf(stderr,
                   "usage: locator_cost [--size=BYTES | --note=FILE] [--models=DIR] "
                   "[--corpus=FILE] [--rules=ID,...] [--reps=N] [--top=N] [--instructions] "
                   "[--tails] [--prescreen [--patterns]] [--cache=DIR]\n");
      return false;
    }
  }
  return true;
}

// The rows of one run: under callgrind written for the parent (which reads
// the counts), else printed. `what` names the whole database measured.
int Report(const Config& c, std::vector<Row>& rows, double whole, size_t bytes,
           const char* what) {
  if (c.child) {
    std::ofstream out(std::filesystem::path(c.dump_prefix).parent_path() / "rows.tsv");
    out << "#\t" << what << "\t\t" << bytes << "\n";
    for (const Row& r : rows) out << r.pack << "\t" << r.id << "\t" << r.mode << "\t\n";
    return 0;
  }
  std::fprintf(stderr, "\n");
  std::printf("%s: %.2f CPU ns per byte (%zu bytes, minimum of %d scans)\n\n", what, whole,
              bytes, c.reps);
  PrintRows(&rows, "ns/B", 3, c.top);
  return 0;
}

// The prescreen's price per rule (--prescreen): ScreenOriginal over the
// corpus notes without spine vocabulary (not in spine_ids.txt: the
// rejection path's notes, corpus_bench's "non-spine"; at most --size bytes),
// with each rule left out (`marginal`) or alone.
int PrescreenCost(const Config& c, const Loaded& l) {
  using suggest::internal::Prescreen;
  std::vector<std::string> notes;
  size_t bytes = 0, rejected = 0;
  for (const auto& n : bench::LoadCorpus(c.corpus, c.spine_ids))
    if (bytes < c.size && !n.spine) {
      bytes += n.text.size();
      rejected += l.facts->prescreen().Rejects(n.text);
      notes.push_back(n.text);
    }
  const auto& rules = l.facts->screen_rules();
  std::vector<std::string> patterns, original, exact;
  for (const auto& r : rules) {
    patterns.push_back(r.rule->pattern);
    original.push_back(r.original);
    exact.push_back(r.exact);
  }
  suggest::internal::DiskCacheScope scope("", /*write=*/false, c.cache);
  Meter meter(c, bytes);
  size_t sink = 0;
  auto screen = [&notes, &sink](const Prescreen& ps) {
    return [&ps, &notes, &sink] {
      for (const std::string& t : notes) sink += ps.Rejects(t);
    };
  };
  const auto shipped = Prescreen::Build(patterns, original, exact);
  if (!shipped->active()) {
    std::fprintf(stderr, "the prescreen is off: %s\n", shipped->inactive_reason().c_str());
    return 1;
  }
  const double whole = meter.Measure(screen(*shipped), "whole");
  std::vector<Row> rows;
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string& id = rules[i].rule->id;
    if (!c.only.empty() && !c.only.count(id)) continue;
    Row r{rules[i].pack->name(), id, "-"};
    auto without = [i](std::vector<std::string> v) {
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
      return v;
    };
    const double whole_here = c.child ? whole : meter.Measure(screen(*shipped), "whole");
    r.without = whole_here - meter.Measure(screen(*Prescreen::Build(without(patterns),
                                                                    without(original),
                                                                    without(exact))),
                                           "without " + r.pack + "/" + id);
    r.alone = meter.Measure(screen(*Prescreen::Build({patterns[i]}, {original[i]}, {exact[i]})),
                            "alone " + r.pack + "/" + id);
    rows.push_back(r);
    if (!c.child) std::fprintf(stderr, ".");
  }
  // sink: each scan's verdicts counted, so that no scan can be left out.
  std::fprintf(stderr, "\n%zu notes (%zu bytes), %zu rejected by the shipped screen (%zu verdicts)",
               notes.size(), bytes, rejected, sink);
  return Report(c, rows, whole, bytes, "prescreen, non-spine corpus notes");
}

}  // namespace

int main(int argc, char** argv) {
  Config c;
  if (!Parse(argc, argv, &c)) return 2;
  if (c.instructions) return RunUnderCallgrind(argc, argv, c);
  if (c.tails) {  // which rules Vectorscan scans by their tail, and the tail
    Loaded l;
    if (!Load(c.models, &l)) return 1;
    for (const RulePack* p : l.packs)
      for (const auto& r : p->rules())
        if (const std::string t = suggest::internal::LocatingTail(r.pattern); !t.empty())
          std::printf("%s\t%s\t%s\n", p->name().c_str(), r.id.c_str(), t.c_str());
    return 0;
  }
  if (c.prescreen) {
    Loaded l;
    if (!Load(c.models, &l)) return 1;
    if (c.patterns) {  // what the screen of original bytes compiles, per rule
      for (const auto& r : l.facts->screen_rules())
        std::printf("%s\t%s\t%s\t%s\n", r.pack->name().c_str(), r.rule->id.c_str(),
                    r.original.c_str(), r.exact.c_str());
      return 0;
    }
    return PrescreenCost(c, l);
  }
  std::string original;
  if (!c.note.empty()) {
    std::ifstream in(c.note, std::ios::binary);
    original.assign(std::istreambuf_iterator<char>(in), {});
  } else {
    original = GrowthNote(c);
  }
  Loaded l;
  if (original.empty() || !Load(c.models, &l)) {
    std::fprintf(stderr, "cannot read the note, the corpus or the models\n");
    return 1;
  }
  auto nt = l.normalizer->Normalize(original, InvalidUtf8Policy::kReplace);
  if (!nt.ok()) return 1;
  const std::string& text = nt->text;
  Meter meter(c, text.size());
  RuleWindows w;
  auto locate = [&text, &w](const RuleLocator& rl) {
    return [&rl, &text, &w] { rl.Locate(text, &w); };
  };
  // Databases are compiled, never read from or written to the cache (a
  // scope without directories), unless --cache names one.
  suggest::internal::DiskCacheScope scope("", /*write=*/false, c.cache);
  const RuleLocator& shipped = l.facts->locator();
  const double whole = meter.Measure(locate(shipped), "whole");
  std::vector<Row> rows;
  size_t g = 0;
  for (const RulePack* p : l.packs) {
    for (size_t i = 0; i < p->rules().size(); ++i, ++g) {
      if (l.regional[g]) continue;  // not in the whole-note scan
      const std::string& id = p->rules()[i].id;
      if (!c.only.empty() && !c.only.count(id)) continue;
      Row r{p->name(), id, ModeOf(shipped, id)};
      std::vector<bool> without = l.regional;
      without[g] = true;
      auto rl = RuleLocator::Build(l.packs, without);
      // The whole database again beside it (CPU time drifts with the load).
      const double whole_here = c.child ? whole : meter.Measure(locate(shipped), "whole");
      r.without = whole_here - meter.Measure(locate(*rl), "without " + r.pack + "/" + id);
      std::vector<bool> alone(l.regional.size(), true);
      alone[g] = false;
      rl = RuleLocator::Build(l.packs, alone);
      r.alone = meter.Measure(locate(*rl), "alone " + r.pack + "/" + id);
      rows.push_back(r);
      if (!c.child) std::fprintf(stderr, ".");
    }
  }
  return Report(c, rows, whole, text.size(), "whole-note database");
}
