// Copyright libsuggest authors.
//
// A directory of derived artifacts (today: the prescreen's compiled
// Vectorscan database), each stored under a key that hashes everything it
// was derived from, so a stale entry is never found, only left behind.
//
// Where: only where the caller said. Model::Load opens a DiskCacheScope
// with LoadOptions::cache_dir (empty: no cache, nothing read or written
// there) and the models' compiled/ folder; outside a scope ReadDiskCache
// and WriteDiskCache do nothing. DiskCacheDir() is the conventional
// per-user place, which callers may choose to pass (the CLI and the Python
// binding do; suggest::DefaultCacheDir). Every failure (no such directory,
// read-only disk, a torn file) is a miss, never an error: callers rebuild
// what they asked for. Writes go to a temporary file renamed into place, so
// concurrent processes never read half an entry.

#ifndef LIBSUGGEST_SRC_UTIL_DISK_CACHE_H_
#define LIBSUGGEST_SRC_UTIL_DISK_CACHE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace suggest::internal {

// FNV-1a, 64 bits: stable across runs and builds (std::hash is not promised
// to be).
class KeyHasher {
 public:
  // Adds the bytes of `s` and then a separator, so ("ab","c") != ("a","bc").
  KeyHasher& Add(std::string_view s);
  std::string Hex() const;  // 16 lowercase hex digits

 private:
  uint64_t h_ = 14695981039346656037ull;  // FNV-1a 64 offset basis
};

// The per-user cache directory: $SUGGEST_CACHE_DIR if set ("" or "off":
// none), else $XDG_CACHE_HOME/libsuggest, else $HOME/.cache/libsuggest; ""
// when none. Read only by callers that choose it (suggest::DefaultCacheDir).
std::string DiskCacheDir();

// The bytes of one cache entry, read-only, mapped from its file (a fresh
// process then maps the page cache's pages instead of zeroing and copying
// new ones: the 5 MiB locator database made that a quarter of a cold
// load). Move-only; the mapping ends with the object.
class CacheBytes {
 public:
  CacheBytes() = default;
  CacheBytes(CacheBytes&& other) noexcept { *this = std::move(other); }
  CacheBytes& operator=(CacheBytes&& other) noexcept;
  CacheBytes(const CacheBytes&) = delete;
  CacheBytes& operator=(const CacheBytes&) = delete;
  ~CacheBytes();

  // Maps the regular file at `path`; nullopt if it cannot be opened or
  // mapped. An empty file gives empty bytes.
  static std::optional<CacheBytes> Map(const std::string& path);

  const char* data() const { return static_cast<const char*>(addr_); }
  size_t size() const { return size_; }
  std::string_view view() const { return {data(), size_}; }

 private:
  void* addr_ = nullptr;
  size_t size_ = 0;
};

// The bytes stored under `name` (a file name, e.g. "prescreen-<hex>.hsdb"),
// looked up where the thread's DiskCacheScope says; nullopt without one.
// A short or torn file gives bytes the caller's own check refuses
// (hs_deserialize_database, the locator plan's length), a miss like any other.
std::optional<CacheBytes> ReadDiskCache(const std::string& name);

// Stores `bytes` under `name` where the thread's DiskCacheScope says; false
// if it could not or there is no scope or cache directory (the caller goes
// on).
bool WriteDiskCache(const std::string& name, std::string_view bytes);

// The checks a load runs on a model file that depend only on its bytes and
// on this library (a rule's examples and counterexamples, "matches the
// empty string": each pattern compiled a second time and run; about a
// fifth of a cold load), recorded as a derived artifact: an entry
// "checked-<key>.txt" whose key hashes `what` (the loader, its check
// version and whatever else the checks read, e.g. the Unicode version of
// the normalizer) and the file's exact bytes. `suggest models compile`
// writes one for every file that passed (beside the databases; a cache
// keeps them too), and a load that finds the entry for these bytes, with
// the expected content, skips those checks. A changed file, another
// library version or a torn entry is a miss: the checks run.
class CheckedFile {
 public:
  CheckedFile(std::string_view what, std::string_view bytes);
  // True if the entry is found with the expected content.
  bool Found() const;
  // Stores the entry (the file passed); false as WriteDiskCache.
  bool Record() const;

 private:
  std::string name_;
  std::string content_;
};

// Where a load's derived artifacts are read and written, for as long as the
// scope is alive on this thread (Model::Load and CompileModels open one):
//   `dir`, the models' own compiled directory (issue 18 item 4): entries
//     shipped beside the models (`<models>/compiled/<name>`, written by
//     `suggest models compile`), so a read-only install or a container
//     needs no cache directory and no compile at load. ReadDiskCache looks
//     there first: an entry there is used (noted in Model::load_notes()); a
//     missing one (never compiled, or compiled for other rules, another
//     Vectorscan version or another CPU: the name is the key of all of
//     these) is noted too and the cache and compiling follow. With `write`
//     the scope also stores in `dir` every entry it reads from the cache or
//     is given to WriteDiskCache.
//   `cache_dir`, the caller's cache (LoadOptions::cache_dir): read after
//     `dir`, written with every new entry; "" is no cache at all.
// A scope opened while another is alive on the thread does nothing (the
// outer one wins).
class DiskCacheScope {
 public:
  DiskCacheScope(std::string dir, bool write, std::string cache_dir);
  ~DiskCacheScope();
  DiskCacheScope(const DiskCacheScope&) = delete;
  DiskCacheScope& operator=(const DiskCacheScope&) = delete;

  // Entry names found in, or written to, `dir` during the scope.
  const std::vector<std::string>& entries() const { return entries_; }
  // Write failures ("PATH: why"), with `write` only.
  const std::vector<std::string>& errors() const { return errors_; }
  // What happened, one line per entry ("compiled database PATH used", "...
  // not found (...): ignored", "... written"), for the caller's debug log
  // (this layer does not log).
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  friend class DiskCacheBranch;
  friend std::optional<CacheBytes> ReadDiskCache(const std::string& name);
  friend bool WriteDiskCache(const std::string& name, std::string_view bytes);
  void Store(const std::string& name, std::string_view bytes);

  std::string dir_;
  bool write_;
  std::string cache_dir_;
  bool active_;
  std::vector<std::string> entries_;
  std::vector<std::string> errors_;
  std::vector<std::string> notes_;
};

// Part of a load run on another thread (Model::Load reads some rule files on
// a second core). Made on the loading thread, it takes the settings of the
// scope alive there (if any) and where that scope's records stand. Run(),
// on the other thread, runs `work` under a scope of the same settings;
// Merge(), back on the loading thread once Run() has returned, inserts what
// that scope recorded (entries, errors, notes) where the branch was made:
// the records read as those of a serial load in which the branch's work
// came before whatever the loading thread did meanwhile. Run() on the
// loading thread itself (no second thread) records into its scope directly
// and leaves Merge() nothing to do.
class DiskCacheBranch {
 public:
  DiskCacheBranch();
  void Run(const std::function<void()>& work);
  void Merge();

 private:
  DiskCacheScope* parent_;
  size_t entries_at_ = 0, errors_at_ = 0, notes_at_ = 0;
  std::vector<std::string> entries_, errors_, notes_;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_UTIL_DISK_CACHE_H_
