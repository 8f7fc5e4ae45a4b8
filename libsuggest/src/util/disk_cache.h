// Copyright libsuggest authors.
//
// A directory of derived artifacts (today: the prescreen's compiled
// Vectorscan database), each stored under a key that hashes everything it
// was derived from, so a stale entry is never found, only left behind.
//
// Where: $SUGGEST_CACHE_DIR if set ("" or "off" turns the cache off), else
// $XDG_CACHE_HOME/libsuggest, else $HOME/.cache/libsuggest. Every failure
// (no such directory, read-only disk, a torn file) is a miss, never an
// error: callers rebuild what they asked for. Writes go to a temporary file
// renamed into place, so concurrent processes never read half an entry.

#ifndef LIBSUGGEST_SRC_UTIL_DISK_CACHE_H_
#define LIBSUGGEST_SRC_UTIL_DISK_CACHE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// The cache directory, or "" when the cache is off or no home is known.
std::string DiskCacheDir();

// The bytes stored under `name` (a file name, e.g. "prescreen-<hex>.hsdb").
std::optional<std::string> ReadDiskCache(const std::string& name);

// Stores `bytes` under `name`; false if it could not (the caller goes on).
bool WriteDiskCache(const std::string& name, std::string_view bytes);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_UTIL_DISK_CACHE_H_
