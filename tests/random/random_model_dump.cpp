// random_model_dump SEED [SEED...]: writes each generated model.json to stdout
// (one per line), or with -o DIR to DIR/rand_SEED.json.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "random_model.hpp"

int main(int argc, char** argv) {
  std::string dir;
  int first = 1;
  if (argc > 2 && std::string(argv[1]) == "-o") {
    dir = argv[2];
    first = 3;
  }
  if (first >= argc) {
    std::cerr << "usage: random_model_dump [-o DIR] SEED [SEED...]\n";
    return 2;
  }
  for (int k = first; k < argc; ++k) {
    const std::uint64_t seed = std::strtoull(argv[k], nullptr, 0);
    const std::string text = dagen::testing::random_model(seed).dump() + "\n";
    if (dir.empty()) {
      std::cout << text;
    } else {
      std::ofstream(dir + "/rand_" + std::to_string(seed) + ".json") << text;
    }
  }
  return 0;
}
