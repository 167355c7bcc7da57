// Through verify_with_verilator (what --verify runs on the staged design):
//  - designs whose registers the heuristic fallback placed still match the reference;
//  - negative control: the same check fails on a design with one flipped operand.
#include <gtest/gtest.h>

#include <iostream>
#include <regex>
#include <sstream>

#include "../errors/cli.hpp"
#include "dagen/flow.hpp"
#include "dagen/model_json.hpp"

namespace dagen {
namespace {

const std::string kMixed = std::string(DAGEN_SOURCE_DIR) + "/tests/models/mixed_inputs.json";

// Writes the design's files into `dir`.
void write_design(const Design& d, const FlowOptions& o, const std::filesystem::path& dir) {
  for (const auto& [name, text] : design_files(d, o)) cli::write_file(dir / name, text);
}

// Swaps the operator (+ for -, - for +) of the first adder of the top module whose
// left operand is wider than one bit (a + b and a - b agree on a single bit).
bool flip_first_adder(const std::filesystem::path& v) {
  static const std::regex adder(R"(^  assign n\d+ = .*?(_p\[(\d+):(\d+)\])? ([+-]) )");
  std::istringstream in(cli::slurp(v));
  std::string out, line;
  bool flipped = false;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!flipped && std::regex_search(line, m, adder) && (!m[1].matched || m[2] != m[3])) {
      const auto at = static_cast<std::size_t>(m.position(4));
      line[at] = line[at] == '+' ? '-' : '+';
      std::cout << "flipped: " << line << "\n";
      flipped = true;
    }
    out += line + "\n";
  }
  cli::write_file(v, out);
  return flipped;
}

VerifyResult verify(const Model& m, const Design& d, const std::filesystem::path& dir) {
  std::ostringstream log;
  return verify_with_verilator(m, d, dir, 300, 1, log);
}

class HeuristicPlacement : public ::testing::TestWithParam<bool> {};

TEST_P(HeuristicPlacement, VerilatedDesignMatchesReference) {
  const Model m = read_model_file(kMixed);
  FlowOptions o;
  o.pipeline = 3;
  o.ternary = GetParam();
  const Design exact = build_design(m, o);
  o.exact_placement_work = 0;  // the fallback, as for graphs beyond the budget
  const Design d = build_design(m, o);
  ASSERT_EQ(d.report["pipeline"]["register_placement"], "heuristic");
  EXPECT_EQ(d.schedule.latency, exact.schedule.latency);
  EXPECT_GE(d.schedule.register_bits, exact.schedule.register_bits);
  cli::Scratch dir("heuristic");
  write_design(d, o, dir.path);
  const VerifyResult r = verify(m, d, dir.path);
  EXPECT_TRUE(r.passed) << r.summary;
  std::cout << "register bits: heuristic " << d.schedule.register_bits << ", exact "
            << exact.schedule.register_bits << "; " << r.summary;
}

INSTANTIATE_TEST_SUITE_P(TwoInputAndTernary, HeuristicPlacement, ::testing::Bool());

// The check --verify runs must fail on a wrong design (else it proves nothing).
TEST(NegativeControl, VerifyFailsOnAFlippedOperand) {
  const Model m = read_model_file(kMixed);
  FlowOptions o;
  o.pipeline = 2;
  const Design d = build_design(m, o);
  cli::Scratch dir("flipped");
  write_design(d, o, dir.path);
  ASSERT_TRUE(flip_first_adder(dir.path / (d.top + ".v")));
  const VerifyResult r = verify(m, d, dir.path);
  EXPECT_FALSE(r.passed) << r.summary;
  EXPECT_NE(r.summary.find("FAIL"), std::string::npos) << r.summary;
}

}  // namespace
}  // namespace dagen
