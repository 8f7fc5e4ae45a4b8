// Copyright libsuggest authors.
#include "cli_common.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "console.h"

namespace suggest::tools {
namespace {

constexpr const char* kModelsHelp =
    "models directory (default: $SUGGEST_MODELS, else the installed "
    "<prefix>/share/suggest/models, else suggest-models beside this program)";

constexpr const char* kCacheDirHelp =
    "where to keep the compiled models between runs (default: $SUGGEST_CACHE_DIR, else "
    "$XDG_CACHE_HOME/libsuggest, else ~/.cache/libsuggest); off: no cache";

}  // namespace

std::string DefaultModelsDir() {
  auto dir = FindModelsDir();
  return dir.ok() ? *dir : std::string();
}

LoadOptions ModelFlags::ToLoadOptions() const {
  LoadOptions load;
  load.code_set_year = code_set_year;
  load.cache_dir = cache_dir == "off" ? std::string() : cache_dir;
  return load;
}

void AddModelsOption(CLI::App* app, ModelFlags* flags) {
  app->add_option("--models", flags->models_dir, kModelsHelp);
}

void AddCacheDirOption(CLI::App* app, ModelFlags* flags) {
  app->add_option("--cache-dir", flags->cache_dir, kCacheDirHelp);
}

void AddCodeSetYear(CLI::App* app, ModelFlags* flags) {
  app->add_option("--code-set-year", flags->code_set_year,
                  "ICD-10-CM fiscal year of the code set for notes without a date of service, "
                  "e.g. 2026 (default: models/icd10cm/default, FY2027)");
  app->add_option("--code-set", flags->code_set_year, "deprecated: --code-set-year")->group("");
}

void AddModelFlags(CLI::App* app, ModelFlags* flags) {
  AddModelsOption(app, flags);
  AddCacheDirOption(app, flags);
  AddCodeSetYear(app, flags);
}

void WarnDeprecatedSpellings(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    const CLI::Option* old = sub->get_option_no_throw("--code-set");
    if (old != nullptr && old->count() > 0)
      spdlog::warn("--code-set is deprecated; use --code-set-year (the same value)");
    WarnDeprecatedSpellings(*sub);
  }
}

std::optional<Model> LoadModel(const ModelFlags& flags) {
  auto model = Model::Load(flags.models_dir, flags.ToLoadOptions());
  if (!model.ok()) {
    spdlog::error("cannot load models: {}", model.status().ToString());
    PrintLine("suggest: hint: name a models directory with --models DIR or $SUGGEST_MODELS");
    return std::nullopt;
  }
  for (const std::string& note : model->load_notes()) spdlog::debug("{}", note);
  return std::move(*model);
}

void SetUpLogging(const std::string& level_flag) {
  std::string level = level_flag;
  if (level.empty()) {
    const char* env = std::getenv("SUGGEST_LOG_LEVEL");
    level = env && *env ? env : "warn";
  }
  SetUpConsoleLogging(level);
}

std::optional<int> ParseCommandLine(CLI::App* app, int argc, char** argv, const char* program) {
  try {
    app->parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app->exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::CallForAllHelp& e) {
    return app->exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::CallForVersion& e) {
    return app->exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::ParseError& e) {
    // A usage error: one line naming it and where to look.
    std::string command;
    for (const CLI::App* sub : app->get_subcommands()) command += " " + sub->get_name();
    std::fprintf(stderr, "%s: error: %s\n%s: hint: see `%s%s --help`\n", program, e.what(),
                 program, program, command.c_str());
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace suggest::tools
