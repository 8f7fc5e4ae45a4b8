// Copyright libsuggest authors.
#include "util/toml_file.h"

#include <fstream>
#include <sstream>

namespace suggest::internal {

Status TomlError(const std::string& path, const toml::source_position& where,
                 std::string_view message) {
  return Status(StatusCode::kInvalidArgument,
                path + ":" + std::to_string(where.line) + ":" +
                    std::to_string(where.column) + ": error: " + std::string(message),
                "rule_file");
}

StatusOr<toml::table> ParseTomlFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": error: cannot read file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string content = ss.str();
  try {
    return toml::parse(content, path);
  } catch (const toml::parse_error& e) {
    return TomlError(path, e.source().begin, e.description());
  }
}

Status CheckKnownKeys(const std::string& path, const toml::table& table,
                      std::initializer_list<std::string_view> allowed,
                      std::string_view what) {
  for (const auto& [key, node] : table) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key.str() == a;
    if (!known) {
      const toml::source_position pos = key.source().begin.line ? key.source().begin
                                                                : node.source().begin;
      return TomlError(path, pos,
                       std::string(what) + ": unknown key \"" + std::string(key.str()) + "\"");
    }
  }
  return Status();
}

Status CheckSchemaVersion(const std::string& path, const toml::table& root,
                          int64_t min_version, int64_t max_version) {
  const toml::node* v = root.get("schema_version");
  if (v == nullptr) {
    return TomlError(path, toml::source_position{1, 1}, "missing schema_version");
  }
  const auto* i = v->as_integer();
  if (i == nullptr) return TomlError(path, *v, "schema_version must be an integer");
  if (i->get() < min_version || i->get() > max_version) {
    return TomlError(path, *v,
                     "schema_version " + std::to_string(i->get()) + " not supported (" +
                         std::to_string(min_version) + ".." + std::to_string(max_version) + ")");
  }
  return Status();
}

}  // namespace suggest::internal
