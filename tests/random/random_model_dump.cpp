// random_model_dump [--small | --graph] SEED [SEED...]: writes each generated model.json
// to stdout (one per line), or with -o DIR to DIR/rand_SEED.json; --graph gives
// version 2 graphs (random_graph.hpp).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "random_graph.hpp"
#include "random_model.hpp"

int main(int argc, char** argv) {
  std::string dir;
  int first = 1;
  dagen::testing::RandomModelConfig config;
  bool graph = false;
  if (argc > 1 && std::string(argv[1]) == "--graph") {
    graph = true;
    first = 2;
  } else if (argc > 1 && std::string(argv[1]) == "--small") {  // small enough for a SAT proof
    config.max_dense = 2;
    config.max_size = 3;
    config.max_input_width = 6;
    first = 2;
  }
  if (argc > first + 1 && std::string(argv[first]) == "-o") {
    dir = argv[first + 1];
    first += 2;
  }
  if (first >= argc) {
    std::cerr << "usage: random_model_dump [--small | --graph] [-o DIR] SEED [SEED...]\n";
    return 2;
  }
  for (int k = first; k < argc; ++k) {
    const std::uint64_t seed = std::strtoull(argv[k], nullptr, 0);
    const std::string text = (graph ? dagen::testing::random_graph_model(seed)
                                    : dagen::testing::random_model(seed, config))
                                 .dump() +
                             "\n";
    if (dir.empty()) {
      std::cout << text;
    } else {
      std::ofstream(dir + "/rand_" + std::to_string(seed) + ".json") << text;
    }
  }
  return 0;
}
