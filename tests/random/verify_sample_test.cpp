// A sample of random models through the real binary with --verify (Verilator):
// the generated Verilog at a random pipeline depth must match the reference
// model on corner and random vectors (exit 0 and a PASS line).
//   DAGEN_VERIFY_BASE=N   first seed (default 7000); DAGEN_VERIFY_COUNT=N (default 6)
#include <gtest/gtest.h>

#include <cstdlib>

#include "../errors/cli.hpp"
#include "dagen/lower.hpp"
#include "dagen/model_json.hpp"
#include "dagen/passes.hpp"
#include "dagen/target.hpp"
#include "random_model.hpp"

namespace dagen {
namespace {

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : fallback;
}

class VerifySample : public ::testing::TestWithParam<int> {};

TEST_P(VerifySample, VerilatedDesignMatchesReference) {
  testing::RandomModelConfig config;
  config.max_size = 16;  // keeps each Verilator build in the 10-20 s range
  // The first seed of this test's block whose design has some adders (random
  // quantizers often saturate a model to constants, which Verilator need not see).
  const std::uint64_t first =
      env_u64("DAGEN_VERIFY_BASE", 7000) + 1000 * static_cast<std::uint64_t>(GetParam());
  constexpr std::uint64_t kTries = 200;  // a block without such a seed fails, never loops
  std::uint64_t seed = first;
  nlohmann::json doc;
  for (; seed < first + kTries; ++seed) {
    doc = testing::random_model(seed, config);
    AdderGraph g = lower_model(parse_model(doc), {});
    remove_dead_nodes(g);
    if (find_target("xcup").graph_stats(g).adders >= 5) break;
  }
  ASSERT_LT(seed, first + kTries) << "no seed in [" << first << ", " << first + kTries
                                  << ") gives a design with 5 adders";
  cli::Scratch dir("verify");
  cli::write_file(dir.path / "model.json", doc.dump() + "\n");
  const int pipeline = static_cast<int>((seed * 2654435761u) % 7);
  std::vector<std::string> args{"model.json", "-o",
                                "out",        "--verify",
                                "--vectors",  "300",
                                "--pipeline", std::to_string(pipeline),
                                "--seed",     std::to_string(seed)};
  if (GetParam() % 2 == 1) args.push_back("--ternary");  // half the sample: ternary adders
  const auto r = cli::run(DAGEN_BIN, args, dir.path);
  EXPECT_EQ(r.exit_code, 0) << "seed " << seed << " pipeline " << pipeline
                            << (GetParam() % 2 ? " --ternary" : "") << "\n"
                            << r.out << r.err << "\nmodel: " << doc.dump();
  EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
  std::cout << "seed " << seed << " pipeline " << pipeline << ": " << r.out;
}

INSTANTIATE_TEST_SUITE_P(Random, VerifySample,
                         ::testing::Range(0, static_cast<int>(env_u64("DAGEN_VERIFY_COUNT", 6))));

}  // namespace
}  // namespace dagen
