// Copyright libsuggest authors.
#include "batch_runner.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <new>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "batch_io.h"
#include "cli_common.h"
#include "console.h"
#include "run_manifest.h"
#include "safe_file.h"

namespace suggest::tools {
namespace {

using Clock = std::chrono::steady_clock;


struct Done {
  std::string out;         // formatted output, ends in '\n'
  std::string error_kind;  // empty if ok
  std::vector<std::string> codes;
};

struct Totals {
  uint64_t notes = 0;
  uint64_t errors = 0;
  std::map<std::string, uint64_t> codes;
  std::map<std::string, uint64_t> error_kinds;
};

std::string FormatDuration(double s) {
  const auto t = static_cast<uint64_t>(s + 0.5);
  if (t >= 3600) return fmt::format("{}h{:02}m", t / 3600, t / 60 % 60);
  if (t >= 60) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}s", t);
}

// Progress on stderr: one updating line on a terminal (console.h: a log
// line clears it and draws it again below), else a line `suggest: batch
// progress: ...` every `interval` seconds, at the default log level, so a
// nohup or cron run shows that it is alive (issue 17 item 4). Counts only,
// never note text. Off with --no-progress or --log-level error|off.
class Progress {
 public:
  Progress(bool enabled, double interval)
      : enabled_(enabled && spdlog::get_level() <= spdlog::level::warn),
        tty_(StderrIsTty()), interval_(interval), tty_interval_(TtyInterval()) {}

  void Update(uint64_t done, uint64_t read, uint64_t consumed, uint64_t total, bool final) {
    if (!enabled_) return;
    const auto now = Clock::now();
    const double since_last = std::chrono::duration<double>(now - last_).count();
    if (!final && since_last < (tty_ ? tty_interval_ : interval_)) return;
    if (final && !tty_) return;  // the summary follows
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? done / elapsed : 0;
    std::string line = fmt::format("{} notes, {:.1f} notes/s", done, rate);
    if (total > 0 && consumed > 0 && read > 0) {
      const double frac = std::min(1.0, static_cast<double>(consumed) / total);
      const double est_notes = read / frac;
      line += fmt::format(", {:.0f}%", 100 * frac);
      if (rate > 0 && !final) {
        line += ", ETA " + FormatDuration(std::max(0.0, est_notes - done) / rate);
      }
    }
    if (tty_) {
      SetStatusLine("batch: " + line);
      if (final) EndStatusLine();
    } else {
      PrintLine(fmt::format("suggest: batch progress: {} (elapsed {})", line,
                            FormatDuration(elapsed)));
    }
  }

 private:
  bool enabled_;
  // Seconds between redraws on a terminal: 0.2, or SUGGEST_TTY_PROGRESS_INTERVAL
  // (a test hook: 0 redraws at every update, so a test of how warnings and
  // the progress line interleave does not depend on the machine's speed).
  static double TtyInterval() {
    const char* env = std::getenv("SUGGEST_TTY_PROGRESS_INTERVAL");
    if (env == nullptr || *env == '\0') return 0.2;
    char* end = nullptr;
    const double v = std::strtod(env, &end);
    return (end != nullptr && *end == '\0' && v >= 0) ? v : 0.2;
  }

  bool tty_;
  double interval_;
  double tty_interval_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = Clock::now();
};

// The pipeline (issue 18 item 1). There is no reader thread: each of the N
// worker threads takes the input in turn, reads a *block* of consecutive
// records under the input lock, analyses the whole block without any lock,
// and hands the block's results over in one go. The calling thread writes
// the blocks strictly in order, each batch of ready blocks in one write.
// So a lock and a wake-up are paid per block (up to kBlockRecords records or
// kBlockBytes of text), not per record, and N threads use N cores: reading
// and JSON parsing are part of a worker's turn, not a separate thread that
// competes with the workers for the cores (`--threads 1` is one core).
// The ordered window is counted in bytes (input text while a block is read
// or analysed, its output once done): a reader waits while `window_` bytes
// are in flight, so memory is bounded whatever the input and record sizes.
class Pipeline {
 public:
  // Records and text bytes per block. A block ends early when the input has
  // no complete record buffered (a pipe fed slowly): what was read is not
  // held back waiting for more input.
  static constexpr size_t kBlockRecords = 256;
  static constexpr uint64_t kBlockBytes = 1u << 20;
  // Bytes counted per record besides its text and id (Done, vectors, ids).
  static constexpr uint64_t kRecordOverhead = 256;

  Pipeline(const Model& model, const AnalyzeOptions& opts, OutputFormat format,
           RecordSource* src, unsigned threads, uint64_t skip)
      : model_(model), opts_(opts), format_(format), src_(src), threads_(threads),
        skip_(skip), window_(std::max<uint64_t>(16ull << 20, (8ull << 20) * threads)) {}

  void Start() {
    src_->DeferParsing(true);
    for (unsigned i = 0; i < threads_; ++i) workers_.emplace_back([this] { WorkLoop(); });
  }

  // Next results in input order: every block ready after the last one
  // taken (empty = none yet, or the end of input). Waits at most `timeout`;
  // *more = false once every record has been returned.
  std::vector<Done> NextBatch(std::chrono::milliseconds timeout, bool* more) {
    std::vector<Done> batch;
    std::unique_lock<std::mutex> lock(mu_);
    cv_done_.wait_for(lock, timeout, [this] {
      return done_.count(next_write_) || (input_done_ && blocks_ == next_write_);
    });
    uint64_t freed = 0;
    for (auto it = done_.find(next_write_); it != done_.end(); it = done_.find(next_write_)) {
      DoneBlock& b = it->second;
      if (batch.empty()) {
        batch = std::move(b.done);
      } else {
        batch.insert(batch.end(), std::make_move_iterator(b.done.begin()),
                     std::make_move_iterator(b.done.end()));
      }
      freed += b.bytes;
      done_.erase(it);
      ++next_write_;
    }
    *more = !(input_done_ && blocks_ == next_write_);
    if (freed > 0) {
      inflight_ -= freed;
      cv_space_.notify_all();
    }
    return batch;
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      abort_ = true;
    }
    cv_space_.notify_all();
  }

  void Join() {
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  uint64_t Read() {
    std::lock_guard<std::mutex> lock(mu_);
    return records_read_;
  }
  uint64_t Consumed() const { return consumed_.load(); }
  uint64_t Skipped() const { return skipped_.load(); }

 private:
  struct Block {
    uint64_t seq = 0;
    uint64_t bytes = 0;
    std::vector<BatchRecord> recs;
  };
  struct DoneBlock {
    uint64_t bytes = 0;  // output bytes (+ overhead) held until written
    std::vector<Done> done;
  };

  static uint64_t Bytes(const BatchRecord& r) {
    return r.text.size() + r.id.size() + kRecordOverhead;
  }

  // Under in_mu_: the next block, or false at the end of input (or abort).
  bool ReadBlock(Block* b) {
    if (!skipped_done_) {
      skipped_done_ = true;
      BatchRecord rec;
      for (uint64_t i = 0; i < skip_; ++i) {
        if (!src_->Next(&rec, /*skip=*/true)) {
          input_eof_ = true;
          break;
        }
        skipped_.store(i + 1);
        consumed_.store(src_->Consumed());
      }
    }
    if (input_eof_) return false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_space_.wait(lock, [this] { return abort_ || inflight_ < window_; });
      if (abort_) return false;
    }
    b->recs.reserve(kBlockRecords);
    while (b->recs.size() < kBlockRecords && b->bytes < kBlockBytes) {
      if (!b->recs.empty() && !src_->MoreBuffered()) break;
      BatchRecord rec;
      if (!src_->Next(&rec, /*skip=*/false)) {
        input_eof_ = true;
        break;
      }
      b->bytes += Bytes(rec);
      b->recs.push_back(std::move(rec));
    }
    consumed_.store(src_->Consumed());
    return !b->recs.empty();
  }

  void WorkLoop() {
    for (;;) {
      Block b;
      bool got = false;
      {
        std::lock_guard<std::mutex> in_lock(in_mu_);
        got = ReadBlock(&b);
        std::lock_guard<std::mutex> lock(mu_);
        if (got) {
          b.seq = blocks_++;
          records_read_ += b.recs.size();
          inflight_ += b.bytes;
        }
        if (input_eof_ && !input_done_) {
          input_done_ = true;
          cv_done_.notify_all();  // the writer may be waiting for the end
        }
      }
      if (!got) return;
      DoneBlock d;
      d.done.reserve(b.recs.size());
      uint64_t out_bytes = 0;
      for (BatchRecord& rec : b.recs) {
        try {
          src_->Complete(&rec);  // JSONL: the line is parsed here, outside the input lock
        } catch (const std::bad_alloc&) {
          rec.raw_line_no = 0;
          rec.text.clear();
          rec.error = Status(StatusCode::kResourceExhausted,
                             "out of memory while reading a record", "resource_exhausted");
        }
        d.done.push_back(Process(rec));
        out_bytes += d.done.back().out.size() + kRecordOverhead;
        rec = BatchRecord();  // the note's memory goes back now
      }
      d.bytes = out_bytes;
      std::lock_guard<std::mutex> lock(mu_);
      // From now on the block holds its output, no longer its input.
      inflight_ = inflight_ - b.bytes + out_bytes;
      const bool next = b.seq == next_write_;
      done_.emplace(b.seq, std::move(d));
      if (next) cv_done_.notify_all();
    }
  }

  // Never throws: an allocation failure (or any exception) while one note is
  // analysed or formatted becomes that note's error record and the run goes
  // on with the next (issue 19 item 3).
  Done Process(const BatchRecord& rec) {
    try {
      return ProcessUnguarded(rec);
    } catch (const std::bad_alloc&) {
      return Failed(rec, Status(StatusCode::kResourceExhausted,
                                "out of memory while processing a note of " +
                                    std::to_string(rec.text.size()) + " bytes",
                                "resource_exhausted"));
    } catch (const std::exception& e) {
      return Failed(rec, Status(StatusCode::kInternal,
                                std::string("unexpected error: ") + e.what(), "internal"));
    }
  }

  Done Failed(const BatchRecord& rec, const Status& st) {
    spdlog::warn("note {} failed: {}", LogSafe(rec.id), st.ToString());
    Done d;
    d.error_kind = st.kind();
    try {
      d.out = FormatError(format_, rec.id, st);
    } catch (const std::exception&) {
      // Not even the error record fits: a fixed one with the id dropped.
      d.out = format_ == OutputFormat::kOmop ? ""
              : format_ != OutputFormat::kCsv
                  ? "{\"id\":\"\",\"status\":\"error\",\"error\":{\"kind\":\"resource_exhausted\","
                    "\"message\":\"out of memory\"}}\n"
                  : ",error,,,,,,,resource_exhausted,out of memory,\n";
    }
    return d;
  }

  Done ProcessUnguarded(const BatchRecord& rec) {
    Done d;
    if (rec.error) {
      d.error_kind = rec.error->kind();
      d.out = FormatError(format_, rec.id, *rec.error);
      return d;
    }
    if (Status st = CheckRecordForFormat(format_, rec.id); !st.ok()) return Failed(rec, st);
    // The record's own setting (and input fields) win over the flags.
    const AnalyzeOptions opts = RecordOptions(rec, opts_);
    auto result = model_.Analyze(rec.text, opts);
    if (!result.ok()) {
      spdlog::warn("note {} failed: {}", LogSafe(rec.id), result.status().ToString());
      d.error_kind = result.status().kind().empty() ? "error" : result.status().kind();
      d.out = FormatError(format_, rec.id, result.status());
      return d;
    }
    for (const Suggestion& s : result->suggestions) d.codes.push_back(s.code);
    d.out = FormatResult(format_, *result, rec.text, rec.id, opts);
    return d;
  }

  const Model& model_;
  const AnalyzeOptions& opts_;
  OutputFormat format_;
  RecordSource* src_;
  unsigned threads_;
  uint64_t skip_;
  uint64_t window_;

  // The input: held by one worker while it reads a block.
  std::mutex in_mu_;
  bool skipped_done_ = false;  // the --resume records are skipped
  bool input_eof_ = false;

  // Blocks read, done and written; guards everything below.
  std::mutex mu_;
  std::condition_variable cv_space_, cv_done_;
  std::map<uint64_t, DoneBlock> done_;
  uint64_t blocks_ = 0;        // blocks read (numbered 0..blocks_-1)
  uint64_t next_write_ = 0;    // the next block to write
  uint64_t records_read_ = 0;
  uint64_t inflight_ = 0;      // bytes read and not yet written
  bool input_done_ = false;    // blocks_ is final
  bool abort_ = false;
  std::atomic<uint64_t> consumed_{0};
  std::atomic<uint64_t> skipped_{0};

  std::vector<std::thread> workers_;
};

nlohmann::json SummaryJson(const Totals& t, uint64_t skipped, double elapsed, unsigned threads) {
  nlohmann::json j;
  j["notes"] = t.notes;
  j["ok"] = t.notes - t.errors;
  j["errors"] = t.errors;
  j["resumed_skipped"] = skipped;
  j["codes"] = t.codes;
  j["error_kinds"] = t.error_kinds;
  j["elapsed_seconds"] = elapsed;
  j["notes_per_second"] = elapsed > 0 ? t.notes / elapsed : 0.0;
  j["threads"] = threads;
  return j;
}

}  // namespace

std::unique_ptr<RecordSource> OpenInputOrLog(const InputSpec& spec, int* exit_code) {
  std::string error;
  bool usage = false;
  std::unique_ptr<RecordSource> src = OpenRecordSource(spec, &error, &usage);
  if (!src) {
    spdlog::error("{}", error);
    *exit_code = usage ? kExitUsage : kExitIo;
  }
  return src;
}

int RunBatchPipeline(const Model& model, const AnalyzeOptions& options,
                     const BatchConfig& config) {
  const auto start = Clock::now();
  const OutputFormat format = ChooseOutputFormat(config.output_format, config.output);
  if (config.resume && config.output == "-") {
    spdlog::error("--resume needs an --output file");
    return kExitUsage;
  }
  if (config.resume && format == OutputFormat::kOmop) {
    spdlog::error("--resume does not work with --output-format omop (a note has 0..n rows)");
    return kExitUsage;
  }

  // One typo must not destroy the archive: an output (or summary) that is the
  // input file, also through a symlink or a hard link, is refused before
  // anything is opened for writing.
  {
    std::string what;
    if (SameFile(config.output, config.input.path)) {
      what = "--output " + config.output + " is the input file " + config.input.path;
    } else if (SameFile(config.summary_path, config.input.path)) {
      what = "--summary " + config.summary_path + " is the input file " + config.input.path;
    } else if (config.output != "-" && !config.summary_path.empty() &&
               (config.summary_path == config.output ||
                SameFile(config.summary_path, config.output))) {
      what = "--summary " + config.summary_path + " is the output file " + config.output;
    }
    if (!what.empty()) {
      spdlog::error("refusing to run: {} (it would be overwritten)", what);
      return kExitUsage;
    }
  }

  int open_rc = kExitOk;
  std::unique_ptr<RecordSource> src = OpenInputOrLog(config.input, &open_rc);
  if (!src) return open_rc;
  std::string error;

  uint64_t skip = 0;
  bool has_header = false;
  bool refused = false;
  // Resuming into another run's output would leave a mixed file: the kept
  // records' ids must be the input's first ids, in order. Read from a second
  // pass over the input (only for a file or folder: stdin or a pipe is read
  // once).
  ResumeCheck same_input;
  std::error_code type_ec;
  const auto input_type = std::filesystem::status(config.input.path, type_ec).type();
  if (config.input.path != "-" && !type_ec &&
      (input_type == std::filesystem::file_type::regular ||
       input_type == std::filesystem::file_type::directory)) {
    same_input = [&](const std::vector<std::string>& ids, std::string* why) {
      std::string open_error;
      bool open_usage = false;
      auto again = OpenRecordSource(config.input, &open_error, &open_usage);
      if (!again) {
        *why = open_error;
        return false;
      }
      BatchRecord rec;
      for (size_t k = 0; k < ids.size(); ++k) {
        const bool more = again->Next(&rec, /*skip=*/true);
        if (!more || (format == OutputFormat::kCsv ? CsvIdCell(rec.id) : rec.id) != ids[k]) {
          *why = fmt::format(
              "refusing to --resume: {} was not written from this input (its record {} is {}, "
              "the input's is {}); use a new --output",
              config.output, k + 1, LogSafe(ids[k]), more ? LogSafe(rec.id) : "past its end");
          return false;
        }
      }
      return true;
    };
  }
  // The run manifest beside a file output (run_manifest.h): a resume into an
  // output written by another input, other options or other models is
  // refused before anything is changed.
  // Only an output that is (or will be created as) a regular file has one:
  // beside /dev/null or a pipe it is neither written nor read (an empty
  // output is never resumed), so the input is not fingerprinted for it
  // (32 MiB hashed byte by byte, before any note is read).
  nlohmann::json manifest;
  std::error_code out_ec;
  const auto out_type = std::filesystem::status(config.output, out_ec).type();
  using FileType = std::filesystem::file_type;
  const bool manifest_used =
      config.output != "-" && out_type != FileType::character && out_type != FileType::block &&
      out_type != FileType::fifo && out_type != FileType::socket;
  const std::string manifest_path = manifest_used ? ManifestPath(config.output) : "";
  if (!manifest_path.empty()) {
    std::map<std::string, std::string> opts = config.run_options;
    opts["--output-format"] = OutputFormatName(format);
    opts["--format"] = config.input.format.empty() ? "(by extension)" : config.input.format;
    opts["--id-column"] = config.input.id_column;
    opts["--text-column"] = config.input.text_column;
    manifest = BuildRunManifest(config.input, opts, model.models_version());
  }
  bool rewrite_manifest = !config.resume;
  if (config.resume && !manifest_path.empty()) {
    std::error_code ec;
    const bool has_output = std::filesystem::file_size(config.output, ec) > 0 && !ec;
    std::ifstream old_in(manifest_path, std::ios::binary);
    if (!has_output) {
      rewrite_manifest = true;  // nothing to resume: a fresh start
    } else if (!old_in) {
      spdlog::warn("--resume: no {} beside the output (written by an older suggest?): the "
                   "input, options and models are not checked, only the record ids",
                   manifest_path);
      rewrite_manifest = true;
    } else {
      nlohmann::json old = nlohmann::json::parse(old_in, nullptr, /*allow_exceptions=*/false);
      const std::string diff = old.is_discarded()
                                   ? "its manifest " + manifest_path + " is not valid JSON"
                                   : ManifestDifference(old, manifest);
      if (!diff.empty()) {
        spdlog::error("refusing to --resume: {} was written by another run: {}. Use a new "
                      "--output, or run without --resume to start over",
                      config.output, diff);
        return kExitUsage;
      }
    }
  }
  if (config.resume &&
      !PrepareResume(config.output, format, &skip, &has_header, &error, same_input, &refused)) {
    spdlog::error("{}", error);
    return refused ? kExitUsage : kExitIo;
  }
  if (config.resume) spdlog::info("resuming after {} records", skip);

  // Past a file-size limit (ulimit -f) a write fails with EFBIG instead of
  // the process being killed by SIGXFSZ: the error is reported like a full
  // disk and the output keeps only whole records.
  std::signal(SIGXFSZ, SIG_IGN);
  OutputSink out;
  if (!out.Open(config.output, config.resume, &error)) {
    spdlog::error("{}", error);
    return kExitIo;
  }
  if (rewrite_manifest && !manifest_path.empty()) {
    // Only beside a regular file (not /dev/null or a pipe).
    std::error_code ec;
    if (std::filesystem::is_regular_file(config.output, ec) &&
        !WriteFileAtomic(manifest_path, manifest.dump(1) + "\n", &error)) {
      spdlog::warn("run manifest: {} (a later --resume cannot check this run)", error);
    }
  }
  bool write_failed = false;
  if (const std::string* header = OutputHeader(format); header && !has_header)
    write_failed = !out.Write(*header, &error);

  unsigned threads = config.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  Pipeline pipe(model, options, format, src.get(), threads, skip);
  Progress progress(config.progress, config.progress_interval);
  Totals totals;
  pipe.Start();
  bool more = !write_failed;
  std::string chunk;         // one batch of records: one write
  std::vector<size_t> ends;  // where each record ends in chunk
  while (more && !write_failed) {
    std::vector<Done> batch = pipe.NextBatch(std::chrono::milliseconds(200), &more);
    chunk.clear();
    ends.clear();
    for (const Done& d : batch) {
      chunk += d.out;
      ends.push_back(chunk.size());
    }
    size_t whole = batch.size();
    if (!chunk.empty() && !out.Write(chunk, ends, &whole, &error)) write_failed = true;
    // Counted once written: the totals describe the output file.
    for (size_t i = 0; i < whole; ++i) {
      const Done& d = batch[i];
      ++totals.notes;
      if (!d.error_kind.empty()) {
        ++totals.errors;
        ++totals.error_kinds[d.error_kind];
      }
      for (const std::string& c : d.codes) ++totals.codes[c];
    }
    if (!write_failed)
      progress.Update(totals.notes, pipe.Read(), pipe.Consumed(), src->Total(), false);
  }
  if (!write_failed && !out.Close(&error)) write_failed = true;
  if (write_failed) {
    EndStatusLine();
    pipe.Stop();
    pipe.Join();
    spdlog::error("{}; {} records were written whole (a later --resume continues after them)",
                  error, skip + totals.notes);
    return kExitIo;
  }
  pipe.Join();
  progress.Update(totals.notes, pipe.Read(), pipe.Consumed(), src->Total(), true);

  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const nlohmann::json summary = SummaryJson(totals, pipe.Skipped(), elapsed, threads);
  std::string codes;
  for (const auto& [code, n] : totals.codes) {
    codes += fmt::format("{}{}={}", codes.empty() ? "" : ", ", code, n);
  }
  PrintLine(fmt::format("batch summary: {} notes, {} errors{}, {:.2f} s, {:.1f} notes/s",
                        totals.notes, totals.errors,
                        pipe.Skipped()
                            ? fmt::format(" ({} resumed records skipped)", pipe.Skipped())
                            : "",
                        elapsed, summary["notes_per_second"].get<double>()));
  PrintLine("batch codes: " + (codes.empty() ? std::string("(none)") : codes));
  if (!config.summary_path.empty()) {
    // Written whole to a fresh temporary and renamed (safe_file.h).
    if (!WriteFileAtomic(config.summary_path, summary.dump(2) + "\n", &error)) {
      spdlog::error("summary: {}", error);
      return kExitIo;
    }
  }
  spdlog::info("batch done: {} notes, {} errors", totals.notes, totals.errors);
  if (src->Failed()) {
    spdlog::error("read error on input after {} records", totals.notes + skip);
    return kExitIo;
  }
  return totals.errors > 0 ? kExitNoteFailed : kExitOk;
}

}  // namespace suggest::tools
