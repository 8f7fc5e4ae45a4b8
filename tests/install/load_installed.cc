// Copyright libsuggest authors.
//
// install.examples: a C++ program that loads the installed models with
// suggest::Model::Load() (no directory; "--options": Load(LoadOptions)),
// built against an installed prefix, shared or static. Prints the models
// directory found and the codes of one note; on a load failure prints the
// error (which lists every place looked) and exits 3.
#include <suggest/suggest.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const bool with_options = argc > 1 && std::string(argv[1]) == "--options";
  suggest::StatusOr<suggest::Model> model =
      with_options ? suggest::Model::Load(suggest::LoadOptions{}) : suggest::Model::Load();
  if (!model.ok()) {
    std::cerr << model.status().ToString() << "\n";
    return 3;
  }
  std::cout << "models: " << model->models_dir() << "\n";
  auto result = model->Analyze("PSH: L4-L5 posterior spinal fusion 2015. Now with low back pain.");
  if (!result.ok()) {
    std::cerr << result.status().ToString() << "\n";
    return 1;
  }
  for (const auto& s : result->suggestions) std::cout << s.code << "\n";
  return 0;
}
