// Copyright libsuggest authors.

#include "util/disk_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <utility>

#include "suggest/version.h"

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

DiskCacheBranch::DiskCacheBranch() : parent_(tl_scope) {
  if (parent_ == nullptr) return;
  entries_at_ = parent_->entries_.size();
  errors_at_ = parent_->errors_.size();
  notes_at_ = parent_->notes_.size();
}

void DiskCacheBranch::Run(const std::function<void()>& work) {
  if (parent_ == nullptr || tl_scope != nullptr) {
    work();  // no scope to follow, or this is the loading thread: its scope
    return;
  }
  DiskCacheScope scope(parent_->dir_, parent_->write_, parent_->cache_dir_);
  work();
  entries_ = std::move(scope.entries_);
  errors_ = std::move(scope.errors_);
  notes_ = std::move(scope.notes_);
}

void DiskCacheBranch::Merge() {
  if (parent_ == nullptr) return;
  auto insert = [](std::vector<std::string>* into, size_t at, std::vector<std::string>* from) {
    into->insert(into->begin() + static_cast<std::ptrdiff_t>(at),
                 std::make_move_iterator(from->begin()), std::make_move_iterator(from->end()));
    from->clear();
  };
  insert(&parent_->entries_, entries_at_, &entries_);
  insert(&parent_->errors_, errors_at_, &errors_);
  insert(&parent_->notes_, notes_at_, &notes_);
}

CacheBytes& CacheBytes::operator=(CacheBytes&& other) noexcept {
  if (this != &other) {
    if (addr_ != nullptr) ::munmap(addr_, size_);
    addr_ = std::exchange(other.addr_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

CacheBytes::~CacheBytes() {
  if (addr_ != nullptr) ::munmap(addr_, size_);
}

std::optional<CacheBytes> CacheBytes::Map(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<CacheBytes> bytes;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    bytes.emplace();
    if (st.st_size > 0) {
      void* addr = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (addr == MAP_FAILED) {
        bytes.reset();
      } else {
        bytes->addr_ = addr;
        bytes->size_ = static_cast<size_t>(st.st_size);
      }
    }
  }
  ::close(fd);  // the mapping outlives the descriptor
  return bytes;
}

std::optional<CacheBytes> ReadDiskCache(const std::string& name) {
  DiskCacheScope* scope = tl_scope;
  if (scope == nullptr) return std::nullopt;  // no cache unless a load asked
  if (!scope->dir_.empty()) {
    if (auto bytes = CacheBytes::Map(scope->dir_ + "/" + name)) {
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
  auto bytes = CacheBytes::Map(dir + "/" + name);
  if (bytes && scope->write_) scope->Store(name, bytes->view());
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

CheckedFile::CheckedFile(std::string_view what, std::string_view bytes) {
  KeyHasher key;
  key.Add("checked-1").Add(SUGGEST_VERSION_STRING).Add(what).Add(bytes);
  name_ = "checked-" + key.Hex() + ".txt";
  content_ = "checked " + std::string(what) + " " + key.Hex() + "\n";
}

bool CheckedFile::Found() const {
  const std::optional<CacheBytes> bytes = ReadDiskCache(name_);
  return bytes && bytes->view() == content_;
}

bool CheckedFile::Record() const { return WriteDiskCache(name_, content_); }

}  // namespace suggest::internal
