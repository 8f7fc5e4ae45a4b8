// Copyright libsuggest authors.
//
// FindModelsDir (suggest.h): where Model::Load() and the C ABI's
// suggest_model_load(NULL, ...) find the installed models. One lookup for
// both; nothing here is an absolute path known at build time, so an
// installed prefix can be moved and a program never reaches into a build
// tree that has since gone.

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "suggest/suggest.h"

// The installed models relative to the directory of the library
// (share/suggest/models seen from lib/ or lib/<multiarch>/) and of a program
// in bin/ holding the static library. Set by libsuggest/cmake/install.cmake
// from the configured install layout.
#ifndef SUGGEST_MODELS_FROM_LIBDIR
#define SUGGEST_MODELS_FROM_LIBDIR "../share/suggest/models"
#endif
#ifndef SUGGEST_MODELS_FROM_BINDIR
#define SUGGEST_MODELS_FROM_BINDIR "../share/suggest/models"
#endif
// A models directory (or a symlink to one) beside the library or program:
// the build tree places one beside its libsuggest.so and its programs
// (libsuggest/CMakeLists.txt); an application may ship one too.
#define SUGGEST_MODELS_BESIDE "suggest-models"

namespace suggest {

StatusOr<std::string> FindModelsDir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("SUGGEST_MODELS"); env && *env) return std::string(env);
  std::vector<std::string> looked{"$SUGGEST_MODELS (not set)"};

  // The file holding this code: libsuggest.so, or the program the static
  // library is linked into.
  Dl_info info{};
  fs::path object;
  if (dladdr(reinterpret_cast<void*>(&FindModelsDir), &info) != 0 && info.dli_fname != nullptr &&
      info.dli_fname[0] != '\0') {
    object = info.dli_fname;
  }
  std::error_code ec;
  // The main program may be reported by the name it was started with (found
  // through PATH): the kernel knows its path.
  if (object.empty() || !object.has_parent_path()) {
    object = fs::read_symlink("/proc/self/exe", ec);
    if (ec) object.clear();
  }
  if (object.empty()) {
    looked.push_back("beside the library (its file could not be found)");
  } else {
    fs::path abs = fs::absolute(object, ec);
    if (ec) abs = object;
    // The path as loaded first (a moved prefix reached through a symlink
    // keeps its own models), then with symlinks resolved: on merged-/usr
    // systems the loader may report /lib/<multiarch>/..., whose ../../share
    // is not /usr/share.
    std::vector<fs::path> bases{abs.parent_path()};
    if (fs::path real = fs::canonical(abs, ec); !ec && real.parent_path() != bases[0])
      bases.push_back(real.parent_path());
    for (const fs::path& base : bases) {
      for (const char* rel :
           {SUGGEST_MODELS_FROM_LIBDIR, SUGGEST_MODELS_FROM_BINDIR, SUGGEST_MODELS_BESIDE}) {
        const fs::path dir = (base / rel).lexically_normal();
        if (fs::is_directory(dir, ec)) return dir.string();
        bool seen = false;
        for (const std::string& l : looked) seen = seen || l == dir.string();
        if (!seen) looked.push_back(dir.string());
      }
    }
  }
  std::string msg = "no models directory found; looked in: ";
  for (size_t i = 0; i < looked.size(); ++i) msg += (i ? ", " : "") + looked[i];
  msg += ". Pass a models directory, or set SUGGEST_MODELS";
  return NotFound(std::move(msg));
}

StatusOr<Model> Model::Load(const LoadOptions& options) {
  StatusOr<std::string> dir = FindModelsDir();
  if (!dir.ok()) return dir.status();
  return Load(*dir, options);
}

}  // namespace suggest
