// Copyright libsuggest authors.
#include "run_manifest.h"

#include <spdlog/fmt/fmt.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "suggest/version.h"

namespace suggest::tools {
namespace fs = std::filesystem;
namespace {

constexpr int kManifestVersion = 1;
constexpr uint64_t kFingerprintSpan = 16ull << 20;  // bytes hashed at each end

struct Fnv {
  uint64_t h = 1469598103934665603ull;
  void Add(const char* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(p[i]);
      h *= 1099511628211ull;
    }
  }
  void Add(const std::string& s) { Add(s.data(), s.size() + 1); }  // with the NUL
  std::string Hex() const { return fmt::format("{:016x}", h); }
};

// Hashes [begin, end) of the stream into *f; false on a read error.
bool HashRange(std::ifstream& in, uint64_t begin, uint64_t end, Fnv* f) {
  std::vector<char> buf(1 << 16);
  in.seekg(static_cast<std::streamoff>(begin));
  uint64_t left = end - begin;
  while (left > 0 && in) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
    in.read(buf.data(), static_cast<std::streamsize>(want));
    const auto got = static_cast<size_t>(in.gcount());
    f->Add(buf.data(), got);
    left -= got;
    if (got < want) break;
  }
  return left == 0;
}

nlohmann::json InputJson(const InputSpec& input) {
  nlohmann::json j;
  if (input.path == "-") {
    j["kind"] = "stdin";
    return j;
  }
  std::error_code ec;
  const fs::path abs = fs::absolute(input.path, ec);
  j["path"] = ec ? input.path : abs.lexically_normal().string();
  if (fs::is_directory(input.path, ec)) {
    j["kind"] = "folder";
    std::vector<std::pair<std::string, uint64_t>> files;
    fs::recursive_directory_iterator it(input.path, fs::directory_options::skip_permission_denied,
                                        ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code e2;
      if (it->path().extension() != ".txt" || !it->is_regular_file(e2)) continue;
      const uint64_t size = it->file_size(e2);
      files.emplace_back(fs::relative(it->path(), input.path, e2).string(), e2 ? 0 : size);
    }
    std::sort(files.begin(), files.end());
    Fnv f;
    for (const auto& [name, size] : files) {
      f.Add(name);
      f.Add(std::to_string(size));
    }
    j["files"] = files.size();
    j["fingerprint"] = f.Hex();
    return j;
  }
  struct stat st {};
  if (stat(input.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    j["kind"] = "stream";  // a FIFO or device: read once, not checkable
    return j;
  }
  j["kind"] = "file";
  const auto size = static_cast<uint64_t>(st.st_size);
  j["size"] = size;
  std::ifstream in(input.path, std::ios::binary);
  Fnv f;
  const bool ok = in && (size <= 2 * kFingerprintSpan
                             ? HashRange(in, 0, size, &f)
                             : HashRange(in, 0, kFingerprintSpan, &f) &&
                                   HashRange(in, size - kFingerprintSpan, size, &f));
  if (ok) j["fingerprint"] = f.Hex();
  return j;
}

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "(none)";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::string ManifestPath(const std::string& output) { return output + ".manifest.json"; }

nlohmann::json BuildRunManifest(const InputSpec& input,
                                const std::map<std::string, std::string>& options,
                                const std::string& models_version) {
  nlohmann::json j;
  j["suggest_run_manifest"] = kManifestVersion;
  j["engine_version"] = SUGGEST_VERSION_STRING;
  j["models_version"] = models_version;
  j["input"] = InputJson(input);
  j["options"] = options;
  return j;
}

std::string ManifestDifference(const nlohmann::json& old, const nlohmann::json& now) {
  if (!old.is_object() || old.value("suggest_run_manifest", 0) != kManifestVersion)
    return "its manifest is not one this version of suggest writes";
  std::vector<std::string> diffs;
  const nlohmann::json& oi = old.contains("input") ? old["input"] : nlohmann::json::object();
  const nlohmann::json& ni = now["input"];
  const std::string okind = Str(oi, "kind"), nkind = Str(ni, "kind");
  if (okind != nkind) {
    diffs.push_back(fmt::format("the input differs (it was a {}, this run's is a {})", okind, nkind));
  } else if (okind == "file" &&
             (Str(oi, "size") != Str(ni, "size") || Str(oi, "fingerprint") != Str(ni, "fingerprint"))) {
    diffs.push_back(Str(oi, "size") != Str(ni, "size")
                        ? fmt::format("the input differs ({} was {} bytes, this run's {} is {})",
                                      Str(oi, "path"), Str(oi, "size"), Str(ni, "path"),
                                      Str(ni, "size"))
                        : fmt::format("the input differs ({} and this run's {} have the same size "
                                      "but other content)",
                                      Str(oi, "path"), Str(ni, "path")));
  } else if (okind == "folder" && (Str(oi, "files") != Str(ni, "files") ||
                                   Str(oi, "fingerprint") != Str(ni, "fingerprint"))) {
    diffs.push_back(fmt::format(
        "the input differs (folder {} had {} .txt files, this run's {} has {}; or their names or "
        "sizes changed)",
        Str(oi, "path"), Str(oi, "files"), Str(ni, "path"), Str(ni, "files")));
  }
  const nlohmann::json& oo = old.contains("options") ? old["options"] : nlohmann::json::object();
  const nlohmann::json& no = now["options"];
  std::vector<std::string> opts;
  for (const auto& [key, value] : no.items()) {
    const std::string was = Str(oo, key.c_str());
    const std::string is = value.is_string() ? value.get<std::string>() : value.dump();
    if (was != is) opts.push_back(fmt::format("{} was {}, this run's is {}", key, was, is));
  }
  for (const auto& [key, value] : oo.items()) {
    if (!no.contains(key)) opts.push_back(fmt::format("{} was {}, this run has none", key, Str(oo, key.c_str())));
  }
  if (!opts.empty()) {
    std::string s = "options differ: ";
    for (size_t i = 0; i < opts.size(); ++i) s += (i ? "; " : "") + opts[i];
    diffs.push_back(s);
  }
  if (Str(old, "models_version") != Str(now, "models_version"))
    diffs.push_back(fmt::format("the models differ (models version {}, this run's {})",
                                Str(old, "models_version"), Str(now, "models_version")));
  if (Str(old, "engine_version") != Str(now, "engine_version"))
    diffs.push_back(fmt::format("the engine differs (suggest {}, this run's {})",
                                Str(old, "engine_version"), Str(now, "engine_version")));
  std::string out;
  for (size_t i = 0; i < diffs.size(); ++i) out += (i ? "; " : "") + diffs[i];
  return out;
}

}  // namespace suggest::tools
