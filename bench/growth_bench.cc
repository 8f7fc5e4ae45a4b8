// Copyright libsuggest authors.
//
// Cost and memory of one long note (issue 18 items 2 and 3): the
// docs/performance.md "Growth to 10 MB" table in one run.
//
//   build/bench/growth_bench              # 10 KB ... 10 MB, ~1 min on an idle core
//   build/bench/growth_bench --max=1000000
//   build/bench/growth_bench --max=10000000 --write=note.txt   # the note alone
//
// For each size N, one note of N bytes made of real notes laid end to end (the
// first a note whose first 1 KB states a fact, then the corpus in a fixed
// shuffled order: the construction of corpus_bench's growth section), and:
//   - CPU time per byte (this thread's CPU clock, median of --reps passes) of
//     Model::Analyze + ResultToJson, fast path (include_text_layer = false,
//     the `suggest batch` default) and with the text layer; MB/s/core = MB
//     per CPU-second;
//   - the same N bytes cut into 10 KB notes (at UTF-8 boundaries), fast path
//     and text layer: the cost of the same text as small notes, and the
//     ratios (most 10 KB pieces are turned away by the prescreen on the fast
//     path, before normalization; a long note that states any fact cannot
//     be, so the text-layer ratio isolates the cost of length itself);
//   - peak RSS (/usr/bin/time's %M, as `/usr/bin/time -v` reports it) of a
//     fresh `suggest analyze` process on the note written to a file, with
//     and without the text layer (model load and reading the file included).
//
// A separate program from corpus_bench so the two can change independently.

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "long_note.h"
#include "suggest/suggest.h"

namespace {

using bench::LongNote;
using bench::Prefix;

using bench::Note;

double ThreadCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// The note cut into pieces of at most `piece` bytes at UTF-8 boundaries.
std::vector<std::string> Pieces(const std::string& s, size_t piece) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < s.size()) {
    size_t end = std::min(s.size(), at + piece);
    while (end < s.size() && end > at && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
      --end;
    out.push_back(s.substr(at, end - at));
    at = end;
  }
  return out;
}

// CPU seconds of one pass of Analyze + ResultToJson over `notes`, median of
// `reps` after one warm-up pass.
double CpuPass(const suggest::Model& model, const std::vector<std::string>& notes,
               const suggest::AnalyzeOptions& opts, int reps, size_t* facts) {
  std::vector<double> v;
  for (int r = -1; r < reps; ++r) {
    size_t sink = 0, nfacts = 0;
    const double t0 = ThreadCpu();
    for (const std::string& n : notes) {
      auto res = model.Analyze(n, opts);
      if (!res.ok()) {
        std::fprintf(stderr, "analyze failed: %s\n", res.status().ToString().c_str());
        std::exit(1);
      }
      nfacts += res->facts.size();
      sink += suggest::ResultToJson(*res, n, "g", opts).size();
    }
    const double dt = ThreadCpu() - t0;
    if (sink == 0) std::fprintf(stderr, "(empty)\n");
    if (r >= 0) v.push_back(dt);
    *facts = nfacts;
  }
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Peak RSS in MiB of `args` run as a fresh process, as /usr/bin/time -v
// reports it (Debian package `time`); -1 without it. Not wait4's ru_maxrss of
// our own child: Linux carries the parent's high-water mark across fork and
// exec (and vfork), so the corpus this process holds would count.
double ChildPeakMiB(const std::vector<std::string>& args, const std::string& out_file) {
  if (access("/usr/bin/time", X_OK) != 0) return -1;
  std::vector<std::string> full = {"/usr/bin/time", "-f", "%M", "-o", out_file};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (const std::string& a : full) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  std::ifstream in(out_file);
  long kb = -1;
  in >> kb;
  std::remove(out_file.c_str());
  return kb < 0 ? -1 : kb / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus_path = std::string(SUGGEST_SHARED_DIR) + "/corpus/mtsamples.jsonl";
  std::string spine_path = std::string(SUGGEST_SHARED_DIR) + "/corpus/spine_ids.txt";
  std::string models = SUGGEST_MODELS_DIR;
  std::string cli = SUGGEST_CLI_PATH;
  uint64_t max = 10'000'000;
  int reps = 3;
  std::string write_path;  // --write=PATH: write the note of --max bytes and stop
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto val = [&](const char* k) -> const char* {
      const size_t n = std::strlen(k);
      return a.compare(0, n, k) == 0 ? a.c_str() + n : nullptr;
    };
    if (const char* v = val("--max=")) {
      max = std::strtoull(v, nullptr, 10);
    } else if (const char* v = val("--reps=")) {
      reps = std::max(1, std::atoi(v));
    } else if (const char* v = val("--corpus=")) {
      corpus_path = v;
    } else if (const char* v = val("--models=")) {
      models = v;
    } else if (const char* v = val("--write=")) {
      write_path = v;
    } else {
      std::fprintf(stderr,
                   "usage: growth_bench [--max=BYTES] [--reps=N] [--corpus=JSONL] "
                   "[--models=DIR] [--write=PATH]\n");
      return 2;
    }
  }
  const std::vector<Note> corpus = bench::LoadCorpus(corpus_path, spine_path);
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus at %s\n", corpus_path.c_str());
    return 1;
  }
  auto model = suggest::Model::Load(models, suggest::LoadOptions{0, suggest::DefaultCacheDir()});
  if (!model.ok()) {
    std::fprintf(stderr, "%s\n", model.status().ToString().c_str());
    return 3;
  }
  suggest::AnalyzeOptions fast, full;
  fast.include_text_layer = false;
  size_t start = 0;
  for (size_t i = 0; i < corpus.size(); ++i) {
    if (!corpus[i].spine) continue;
    const auto r = model->Analyze(Prefix(corpus[i].text, 1000), fast);
    if (r.ok() && !r->facts.empty()) {
      start = i;
      break;
    }
  }
  if (!write_path.empty()) {  // the note of --max bytes only, for /usr/bin/time -v
    std::ofstream out(write_path, std::ios::binary);
    out << LongNote(corpus, start, max);
    return out ? 0 : 1;
  }
  char host[256] = "?";
  gethostname(host, sizeof host);
  std::string load = "?";
  {
    std::ifstream la("/proc/loadavg");
    std::getline(la, load);
  }
  std::printf("growth_bench: corpus %s (%zu notes), note id %s first; %d reps (median), CPU time "
              "of this thread; load average at start: %s\n\n",
              corpus_path.c_str(), corpus.size(), corpus[start].id.c_str(), reps, load.c_str());
  std::printf("| note size | facts | fast path MB/s/core | as 10 KB notes MB/s/core | one note / "
              "10 KB notes (CPU per byte) | text layer MB/s/core | as 10 KB notes, text layer | "
              "one note / 10 KB notes, text layer | peak RSS, `suggest analyze "
              "--no-text-layer` | peak RSS, `suggest analyze` |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  const std::string tmp = (std::filesystem::temp_directory_path() /
                           ("growth_bench." + std::to_string(getpid()) + ".txt"))
                              .string();
  for (uint64_t size = 10'000; size <= max; size *= 10) {
    const std::string note = LongNote(corpus, start, size);
    const double mb = note.size() / 1e6;
    size_t facts = 0, facts_small = 0, facts_full = 0;
    const double one = CpuPass(*model, {note}, fast, reps, &facts);
    const double small = CpuPass(*model, Pieces(note, 10'000), fast, reps, &facts_small);
    const double text = CpuPass(*model, {note}, full, reps, &facts_full);
    const double text_small = CpuPass(*model, Pieces(note, 10'000), full, reps, &facts_small);
    {
      std::ofstream out(tmp, std::ios::binary);
      out << note;
    }
    const double rss_fast = ChildPeakMiB({cli, "analyze", "--no-text-layer", tmp}, tmp + ".rss");
    const double rss_full = ChildPeakMiB({cli, "analyze", tmp}, tmp + ".rss");
    std::printf("| %s | %zu | %.1f | %.1f | x%.2f | %.1f | %.1f | x%.2f | %.1f MiB | %.1f MiB |\n",
                size >= 1'000'000 ? (std::to_string(size / 1'000'000) + " MB").c_str()
                                  : (std::to_string(size / 1'000) + " KB").c_str(),
                facts, mb / one, mb / small, one / small, mb / text, mb / text_small,
                text / text_small, rss_fast, rss_full);
    std::fflush(stdout);
  }
  std::remove(tmp.c_str());
  {
    std::ifstream la("/proc/loadavg");
    std::getline(la, load);
  }
  std::printf("\nload average at end: %s\n", load.c_str());
  return 0;
}
