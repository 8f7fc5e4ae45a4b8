// Copyright libsuggest authors.

#include "util/disk_cache.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace suggest::internal {

KeyHasher& KeyHasher::Add(std::string_view s) {
  for (unsigned char c : s) {
    h_ ^= c;
    h_ *= 1099511628211ull;
  }
  h_ ^= 0xffu;  // separator (no UTF-8 byte is 0xff)
  h_ *= 1099511628211ull;
  return *this;
}

std::string KeyHasher::Hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
  return buf;
}

std::string DiskCacheDir() {
  if (const char* d = std::getenv("SUGGEST_CACHE_DIR")) {
    const std::string dir = d;
    return dir == "off" ? "" : dir;
  }
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x == '/')
    return std::string(x) + "/libsuggest";
  if (const char* h = std::getenv("HOME"); h != nullptr && *h == '/')
    return std::string(h) + "/.cache/libsuggest";
  return "";
}

namespace {

thread_local DiskCacheScope* tl_scope = nullptr;

std::optional<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  // Read into a string of the file's size: a stream grown by doubling held
  // up to twice the entry (8 MiB for the 5 MB locator database) beside the
  // database built from it, the load's peak (docs/performance.md).
  const std::streamoff size = in.tellg();
  if (size < 0) return std::nullopt;
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  in.read(bytes.data(), size);
  // A short or torn read gives bytes the caller's own check refuses
  // (hs_deserialize_database), which is a miss like any other.
  bytes.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return bytes;
}

// Writes `bytes` to dir/name through a temporary renamed into place; false
// with *why on failure.
bool WriteAtomic(const std::string& dir, const std::string& name, std::string_view bytes,
                 std::string* why) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *why = ec.message();
    return false;
  }
  static std::atomic<unsigned> counter{0};
  const std::string tmp = dir + "/." + name + "." + std::to_string(::getpid()) + "." +
                          std::to_string(counter.fetch_add(1)) + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(tmp, ec);
      *why = "cannot write a temporary file";
      return false;
    }
  }
  std::filesystem::rename(tmp, dir + "/" + name, ec);
  if (!ec) return true;
  *why = ec.message();
  std::filesystem::remove(tmp, ec);
  return false;
}

}  // namespace

DiskCacheScope::DiskCacheScope(std::string dir, bool write, std::string cache_dir)
    : dir_(std::move(dir)),
      write_(write),
      cache_dir_(std::move(cache_dir)),
      active_(tl_scope == nullptr) {
  if (active_) tl_scope = this;
}

DiskCacheScope::~DiskCacheScope() {
  if (active_) tl_scope = nullptr;
}

void DiskCacheScope::Store(const std::string& name, std::string_view bytes) {
  std::string why;
  if (WriteAtomic(dir_, name, bytes, &why)) {
    entries_.push_back(name);
    notes_.push_back("compiled database " + dir_ + "/" + name + " written");
  } else {
    errors_.push_back(dir_ + "/" + name + ": " + why);
  }
}

std::optional<std::string> ReadDiskCache(const std::string& name) {
  DiskCacheScope* scope = tl_scope;
  if (scope == nullptr) return std::nullopt;  // no cache unless a load asked
  if (!scope->dir_.empty()) {
    if (auto bytes = ReadFileBytes(scope->dir_ + "/" + name)) {
      scope->notes_.push_back("compiled database " + scope->dir_ + "/" + name + " used");
      scope->entries_.push_back(name);
      return bytes;
    }
    std::error_code ec;
    if (!scope->write_ && std::filesystem::is_directory(scope->dir_, ec)) {
      scope->notes_.push_back("compiled database " + scope->dir_ + "/" + name +
                              " not found (compiled for other rules, another Vectorscan "
                              "version or another CPU?): ignored, using " +
                              (scope->cache_dir_.empty() ? std::string("no cache: compiling")
                                                         : "the cache " + scope->cache_dir_));
    }
  }
  const std::string& dir = scope->cache_dir_;
  if (dir.empty()) return std::nullopt;
  auto bytes = ReadFileBytes(dir + "/" + name);
  if (bytes && scope->write_) scope->Store(name, *bytes);
  return bytes;
}

bool WriteDiskCache(const std::string& name, std::string_view bytes) {
  DiskCacheScope* scope = tl_scope;
  if (scope == nullptr) return false;  // no cache unless a load asked
  if (scope->write_) scope->Store(name, bytes);
  const std::string& dir = scope->cache_dir_;
  if (dir.empty()) return false;
  std::string why;  // a cache that cannot be written is only slower
  return WriteAtomic(dir, name, bytes, &why);
}

}  // namespace suggest::internal
