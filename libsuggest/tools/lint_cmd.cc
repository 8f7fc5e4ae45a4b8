// Copyright libsuggest authors.
#include "lint_cmd.h"

#include <cstdio>
#include <iostream>
#include <string_view>

#include "cli_common.h"
#include "suggest/suggest.h"

namespace suggest::tools {

int RunLint(const std::string& models_dir) {
  auto model = Model::Load(models_dir, LoadOptions{});
  if (model.ok()) {
    std::string years;
    for (int y : model->code_set_years()) years += (years.empty() ? "FY" : ", FY") + std::to_string(y);
    std::cout << "suggest lint: OK: " << model->models_dir() << " (models "
              << model->models_version() << ", code sets " << years << ")\n";
    return kExitOk;
  }
  // One error per line (Model::Load lists every file's errors); the last
  // line may count the ones not listed.
  const std::string& m = model.status().message();
  size_t errors = 0;
  for (size_t start = 0; start < m.size();) {
    size_t end = m.find('\n', start);
    if (end == std::string::npos) end = m.size();
    const std::string_view line(m.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    std::cout << line << '\n';
    if (line.rfind("... and ", 0) == 0)
      errors += std::stoul(std::string(line.substr(8)));
    else
      ++errors;
  }
  std::cout.flush();
  std::fprintf(stderr, "suggest lint: %zu error%s in %s\n", errors, errors == 1 ? "" : "s",
               models_dir.c_str());
  return kExitNoteFailed;
}

}  // namespace suggest::tools
